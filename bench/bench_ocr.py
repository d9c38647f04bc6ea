"""Reading a 50-page image-only scan with app.ocr.read_scan, beside the bare Tesseract CLI on the same pages.

    python bench/bench_ocr.py [--pages 50] [--dpi 250] [--out DIR]

The scan is made here, as tests/ocr/scans.py makes the tests' scans: the typeset letter rasterised at --dpi, each
page spoilt (tilt, blur, specks; every tenth page upside down), saved as one image-only PDF. Each measurement
runs in its own forked process, so its peak memory (ru_maxrss) is its own and RUSAGE_CHILDREN holds only the
tesseract processes it started:
1. read_scan: render each page at 300 dpi (app/ocr/pages.py), despeckle, detect the orientation (tesseract
   --psm 0), recognise in Vietnamese with word confidences (tesseract ... tsv);
2. the rendering and despeckling alone (pages(), no recognition): our overhead before Tesseract;
3. the baseline: `tesseract page.png - -l vie` on the same pages rendered at 300 dpi beforehand (no despeckle,
   no orientation: the upside-down pages come out as nonsense), with the OMP_THREAD_LIMIT read_scan ran with.
The process's RSS is also sampled after each page: a scan of any length must keep one page in memory at a time.
Tesseract's own peak is taken by GNU time (/usr/bin/time -f %M) around each tesseract run, through a wrapper named
by $VANTHU_TESSERACT: RUSAGE_CHILDREN would not do, as Linux counts in a child's ru_maxrss the RSS of the process
it was forked from (the caller's, page images and all) until it execs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.ocr import read_scan  # noqa: E402
from app.ocr.engine import ENV, LANGUAGE, tesseract_program  # noqa: E402
from app.ocr.pages import DPI, pages  # noqa: E402
from tests.ocr.scans import image_pdf, letter_pdf, rasterise, spoil  # noqa: E402

MARK = "3646/SYT-VP"  # the letter's số/ký hiệu: a page "read" when it comes out whole
GNU_TIME = Path("/usr/bin/time")
LOG = "VANTHU_BENCH_TESSERACT_LOG"  # where the wrapper appends each tesseract run's peak RSS (KiB)


def timed_tesseract(folder: Path) -> Path | None:
    """A tesseract that records its own peak RSS, for $VANTHU_TESSERACT; None without GNU time."""
    if not GNU_TIME.is_file():
        return None
    wrapper = folder / "tesseract"
    wrapper.write_text(f'#!/bin/sh\nexec {GNU_TIME} -a -o "${LOG}" -f %M {tesseract_program()} "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def tesseract_peaks(log: Path) -> list[int]:
    lines = log.read_text().split() if log.exists() else []  # "Command exited with non-zero status 1" too
    return [int(word) for word in lines if word.isdigit()]


def rss_kib() -> int:
    """The process's resident set now (VmRSS), KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def make_scan(folder: Path, count: int, dpi: int) -> tuple[Path, list[Path]]:
    """The image-only PDF of `count` pages, and its pages rendered as the app renders them (300 dpi, grey PNG)."""
    originals = rasterise(letter_pdf(folder / "letter.pdf", pages=1), dpi)
    spoilt = [spoil(originals[0], tilt=(i % 5 - 2) * 0.4, turn=180 if i % 10 == 6 else 0, seed=i)
              for i in range(count)]
    scan = image_pdf(spoilt, folder / "scan.pdf", dpi)
    del spoilt
    import pypdfium2 as pdfium

    rendered = []
    document = pdfium.PdfDocument(str(scan))
    try:
        for index in range(len(document)):
            page = document[index]
            png = folder / f"page-{index + 1:03}.png"
            page.render(scale=DPI / 72).to_pil().convert("L").save(png)
            page.close()
            rendered.append(png)
    finally:
        document.close()
    return scan, rendered


def run_ours(scan: Path, _pngs: list[Path], samples: list[int]) -> int:
    def seen(_index: int, _total: int) -> None:
        samples.append(rss_kib())

    read = read_scan(scan, progress=seen)
    return sum(MARK in " ".join(p.text.split()) for p in read.pages)


def run_render(scan: Path, _pngs: list[Path], samples: list[int]) -> int:
    for _image in pages(scan):  # each page rendered and despeckled (the filter runs when called)
        samples.append(rss_kib())
    return 0


def run_cli(_scan: Path, pngs: list[Path], samples: list[int]) -> int:
    program = str(tesseract_program())
    found = 0
    for png in pngs:
        done = subprocess.run([program, str(png), "-", "-l", LANGUAGE], capture_output=True, text=True, check=True)
        found += MARK in " ".join(done.stdout.split())
        samples.append(rss_kib())
    return found


def _child(fn: Callable[[Path, list[Path], list[int]], int], scan: Path, pngs: list[Path], conn: Any) -> None:
    log = scan.with_name(f"{fn.__name__}.rss")
    os.environ[LOG] = str(log)
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    samples: list[int] = []
    started = time.perf_counter()
    found = fn(scan, pngs, samples)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    runs = tesseract_peaks(log)
    conn.send({"seconds": seconds, "found": found, "start": start, "peak": peak, "samples": samples,
               "runs": len(runs), "children": max(runs, default=children if children else 0),
               "threads": os.environ.get("OMP_THREAD_LIMIT")})
    conn.close()


def measure(fn: Callable[[Path, list[Path], list[int]], int], scan: Path, pngs: list[Path]) -> dict[str, Any]:
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, scan, pngs, child))
    proc.start()
    child.close()
    try:
        result = parent.recv()
    except EOFError:
        proc.join()
        raise SystemExit(f"{fn.__name__} failed in the child process (exit code {proc.exitcode})") from None
    proc.join()
    return result


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=50, help="số trang của bản quét (mặc định 50)")
    parser.add_argument("--dpi", type=int, default=250, help="độ phân giải khi làm bản quét (mặc định 250)")
    parser.add_argument("--out", type=Path, default=None, help="giữ bản quét và các trang PNG trong thư mục này")
    args = parser.parse_args()
    if args.pages < 1:
        parser.error("--pages phải từ 1 trở lên")
    folder = args.out or Path(tempfile.mkdtemp(prefix="bench_ocr_"))
    folder.mkdir(parents=True, exist_ok=True)

    program = tesseract_program()
    wrapper = timed_tesseract(folder)
    if wrapper is not None:
        os.environ[ENV] = str(wrapper)  # read_scan and the baseline both run it
        os.environ[LOG] = str(folder / "check.rss")  # engine.py's --list-langs
        tesseract_program.cache_clear()
        tesseract_program()
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    print(f"Nhận dạng chữ một bản quét {args.pages} trang (quét {args.dpi} dpi, đọc ở {DPI} dpi); {version} "
          f"({program}), {os.cpu_count()} CPU; Python {sys.version.split()[0]}")
    ctx = multiprocessing.get_context("fork")  # the scan is made in a child: its images never swell our RSS
    with ctx.Pool(1) as pool:
        scan, pngs = pool.apply(make_scan, (folder, args.pages, args.dpi))
    print(f"Bản quét: {scan} ({scan.stat().st_size / 1e6:.1f} MB, chỉ có ảnh)")
    if wrapper is None:
        print(f"(không có {GNU_TIME}: đỉnh của tesseract là ru_maxrss RUSAGE_CHILDREN, gồm cả RSS của tiến trình gọi)")

    ours = measure(run_ours, scan, pngs)
    if ours["threads"] is not None:  # the baseline runs tesseract with the threads read_scan gave it
        os.environ["OMP_THREAD_LIMIT"] = ours["threads"]
    rows = [("read_scan (của ta)", ours, True),
            ("  chỉ kết xuất + lọc đốm", measure(run_render, scan, pngs), False),
            ("tesseract CLI -l vie (mốc)", measure(run_cli, scan, pngs), True)]
    print(f"OMP_THREAD_LIMIT của tesseract khi đọc: {ours['threads'] or 'không đặt (mặc định của OpenMP)'}")
    n = args.pages
    half = max(n // 2, 1)
    print(f"\n{'Tốc độ':28} {'giây':>7} {'trang/s':>8} {'lần chạy tesseract':>19} {'trang đọc đúng ' + MARK:>27}")
    for label, r, ocr in rows:
        found = f"{r['found']}/{n}" if ocr else "—"
        print(f"{label:28} {r['seconds']:>7.1f} {n / r['seconds']:>8.2f} {r['runs'] if ocr else '—':>19} {found:>27}")
    print(f"\n{'Bộ nhớ, MiB':28} {'RSS lúc đầu':>12} {'sau trang 1':>12} {f'sau trang {half}':>13} "
          f"{f'sau trang {n}':>13} {'RSS đỉnh':>9} {'tesseract đỉnh':>15}")
    for label, r, ocr in rows:
        s = r["samples"]
        print(f"{label:28} {_mib(r['start']):>12} {_mib(s[0]):>12} {_mib(s[half - 1]):>13} {_mib(s[-1]):>13} "
              f"{_mib(r['peak']):>9} {_mib(r['children']) if ocr else '—':>15}")
    render, cli = rows[1][1], rows[2][1]
    first, second = ours["samples"][:half], ours["samples"][half:] or ours["samples"][-1:]
    print(f"\nRSS: của tiến trình đo (VmRSS sau mỗi trang; đỉnh: ru_maxrss); tesseract đỉnh: lớn nhất trong các lần "
          f"chạy tesseract. read_scan mất {ours['seconds'] / cli['seconds']:.2f}× thời gian của CLI: kết xuất và lọc "
          f"đốm {render['seconds']:.1f} s, phần còn lại là dò chiều trang (một lần tesseract nữa mỗi trang) và ảnh "
          f"tạm của pytesseract. RSS lớn nhất của read_scan sau các trang 1–{half}: {_mib(max(first))} MiB, "
          f"sau các trang {min(half + 1, n)}–{n}: {_mib(max(second))} MiB (không tăng theo số trang: mỗi lần chỉ "
          f"một trang trong bộ nhớ).")
    if args.out is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
