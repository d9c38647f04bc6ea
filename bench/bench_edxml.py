"""Importing a 20 MB edXML message, beside a bare parse of the same file.

    python bench/bench_edxml.py [--mb 20] [--runs 5]

The message is made here: the tests' signed letter plus an image-only "scan" PDF of random pixels, so that the
file is about --mb MB, nearly all of it the scan's base64. Each measurement runs --runs times, each run in its own
spawned process (so its peak memory, VmHWM, is its own), and the median is printed:
1. bare parse: defusedxml's expat over the file with a handler that does nothing (the floor for any reader);
2. ElementTree.parse of the file (what reading it whole would cost: every base64 text held in memory);
3. read_message (app.edxml.parse): our parse, the attachments decoded to disk and hashed on the way;
4. the whole import (registry.edxml.import_file into a fresh register): read, signature check, text layer, store,
   register, all in one transaction.
"idle" is a spawned process that imports the same modules and does nothing: its peak is what Python and the
libraries take before any work.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def make_message(folder: Path, megabytes: int) -> Path:
    from PIL import Image

    from tests import pki
    from tests.edxml.messages import Message
    from tests.signatures import documents as d

    ca = pki.make_ca()
    signed = d.signed(folder, pki.issue(ca, "Lê Thị Bình", d.SENDER, "Văn phòng"), ca, "3646.pdf")
    (folder / "root.pem").write_bytes(ca.pem)
    wanted = megabytes * 1024 * 1024 * 3 // 4  # the scan's bytes whose base64 makes the message that size
    scan = folder / "scan.pdf"
    side = 1500
    for _ in range(4):  # Pillow writes RGB pages as JPEG: size the noise until the scan is as big as wanted
        noise = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        noise.save(scan, "PDF", resolution=300.0, quality=95)
        side = int(side * (wanted / scan.stat().st_size) ** 0.5)
    message = Message(attachments=[("3646-SYT-VP.pdf", signed.read_bytes(), "application/pdf"),
                                   ("Phụ lục bản quét.pdf", scan.read_bytes(), "application/pdf")])
    return message.write(folder / "big.edxml")


def _peak_kib() -> int:
    """VmHWM, the process's own peak RSS (KiB): ru_maxrss would keep the parent's peak across fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _imports() -> None:
    import defusedxml.sax  # noqa: F401

    import app.edxml.parse  # noqa: F401
    import app.services  # noqa: F401


def idle(_path: str, _folder: str, queue: multiprocessing.Queue) -> None:
    _imports()
    queue.put((0.0, _peak_kib()))


def bare_parse(path: str, _folder: str, queue: multiprocessing.Queue) -> None:
    _imports()
    from xml.sax.handler import ContentHandler

    from defusedxml.expatreader import DefusedExpatParser

    started = time.perf_counter()
    parser = DefusedExpatParser(forbid_dtd=True)
    parser.setContentHandler(ContentHandler())
    with open(path, "rb") as source:
        while chunk := source.read(1024 * 1024):
            parser.feed(chunk)
    parser.close()
    queue.put((time.perf_counter() - started, _peak_kib()))


def element_tree(path: str, _folder: str, queue: multiprocessing.Queue) -> None:
    _imports()
    from defusedxml import ElementTree

    started = time.perf_counter()
    root = ElementTree.parse(path).getroot()
    assert root is not None
    queue.put((time.perf_counter() - started, _peak_kib()))


def read_message(path: str, _folder: str, queue: multiprocessing.Queue) -> None:
    _imports()
    from app.edxml.parse import read_message as read

    started = time.perf_counter()
    with read(path) as package:
        assert len(package.message.attachments) == 2
    queue.put((time.perf_counter() - started, _peak_kib()))


def full_import(path: str, folder: str, queue: multiprocessing.Queue) -> None:
    _imports()
    from app.services import Registry

    work = Path(tempfile.mkdtemp(dir=folder))
    reg = Registry(str(work / "so.db"), actor="bench")
    reg.settings.set("agency.name", "Sở Nội vụ tỉnh Tây Ninh")
    reg.trust.add(Path(folder) / "root.pem")
    started = time.perf_counter()
    result = reg.edxml.import_file(path)
    elapsed = time.perf_counter() - started
    assert len(result.attachments) == 2
    reg.close()
    queue.put((elapsed, _peak_kib()))


def measure(target, path: Path, folder: Path, runs: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    context = multiprocessing.get_context("spawn")
    times, peaks = [], []
    for _ in range(runs):
        queue = context.Queue()
        process = context.Process(target=target, args=(str(path), str(folder), queue))
        process.start()
        elapsed, peak = queue.get(timeout=600)
        process.join()
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), int(statistics.median(peaks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-edxml-") as temp:
        folder = Path(temp)
        path = make_message(folder, args.mb)
        size = path.stat().st_size / 1024 / 1024
        print(f"edXML message: {size:.1f} MB (2 PDFs), {args.runs} runs each, medians; machine: {os.cpu_count()} CPU")
        rows = [("idle (imports only)", idle), ("bare parse (defusedxml expat, no handler)", bare_parse),
                ("ElementTree.parse (whole tree in memory)", element_tree), ("read_message (app.edxml)", read_message),
                ("whole import (registry.edxml.import_file)", full_import)]
        results = {name: measure(target, path, folder, args.runs) for name, target in rows}
        base_time, base_peak = results[rows[1][0]]
        idle_peak = results[rows[0][0]][1]
        print(f"{'':44} {'time':>8} {'× bare':>7} {'peak RSS':>10} {'above idle':>11}")
        for name, (elapsed, peak) in results.items():
            ratio = f"{elapsed / base_time:6.1f}×" if elapsed and base_time else "      –"
            print(f"{name:44} {elapsed:7.2f}s {ratio} {peak / 1024:8.0f} MB {(peak - idle_peak) / 1024:9.0f} MB")
        print(f"(bare parse above idle: {(base_peak - idle_peak) / 1024:.0f} MB; the message is {size:.0f} MB)")


if __name__ == "__main__":
    main()
