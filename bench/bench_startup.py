"""Command start-up: `python -m app --version`, `--help` and `incoming list` on a small register, each beside
`python -c "import sqlalchemy"` measured in the same run (subprocesses, median of --runs, taken in turn so that
a busy moment of the machine falls on every command alike), then the slowest imports (`python -X importtime`).

The subprocesses load compiled bytecode from a cache folder of their own (PYTHONPYCACHEPREFIX, filled by one
warm-up run of each command), as an installed copy does; nothing is written into the source tree. --as-is keeps
the caller's environment instead (with PYTHONDONTWRITEBYTECODE=1 every app module is compiled on every run).

    python bench/bench_startup.py [--runs 7] [--count 200] [--year 2026] [--as-is]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5
IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def run_ms(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def medians(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall time of each command; one warm-up run each (bytecode cache, file cache), then rounds."""
    for command in commands.values():
        run_ms(command, env)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(run_ms(command, env))
    return {name: statistics.median(values) for name, values in samples.items()}


def slowest_imports(command: list[str], env: dict[str, str], top: int = 10) -> list[tuple[int, int, str]]:
    """(cumulative µs, self µs, module) of the `top` imports with the largest cumulative time."""
    result = subprocess.run([command[0], "-X", "importtime", *command[1:]], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    found = [(int(m[2]), int(m[1]), m[3] + m[4]) for m in map(IMPORT_LINE.match, result.stderr.splitlines()) if m]
    return sorted(found, reverse=True)[:top]


def heavy_loaded(command: list[str], env: dict[str, str]) -> list[str]:
    """Which of the heavy libraries the command imported at all (none is the aim for these commands)."""
    heavy = ("openpyxl", "reportlab", "pyhanko", "lxml", "PIL", "PySide6", "pytesseract", "numpy", "alembic")
    result = subprocess.run([command[0], "-X", "importtime", *command[1:]], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    names = {m[4] for m in map(IMPORT_LINE.match, result.stderr.splitlines()) if m}
    return [name for name in heavy if name in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (median; at least 5)")
    parser.add_argument("--count", type=int, default=200, help="documents in the small register")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--as-is", action="store_true", help="keep the caller's environment (no bytecode cache)")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="vanthu-startup-") as tmp:
        env = dict(os.environ)
        if not args.as_is:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        db = str(Path(tmp) / "small.sqlite3")
        subprocess.run([python, "-m", "app", "--db", db, "demo-data", "--count", str(args.count), "--year",
                        str(args.year)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True)
        listing = [python, "-m", "app", "--db", db, "incoming", "list", "--year", str(args.year)]
        commands = {
            'python -c "import sqlalchemy"': [python, "-c", "import sqlalchemy"],
            "python -m app --version": [python, "-m", "app", "--version"],
            "python -m app --help": [python, "-m", "app", "--help"],
            f"python -m app incoming list --year {args.year}": listing,
            # Not a target: what every command on a register imports before it reads a row (the ORM and the
            # mapped classes); it shows how much of `incoming list` is left to the app itself.
            'python -c "import app.models"': [python, "-c", "import app.models"],
        }
        figures = medians(commands, max(args.runs, 5), env)
        baseline = figures['python -c "import sqlalchemy"']
        print(f"Khởi động lệnh: trung vị {max(args.runs, 5)} lần chạy mỗi lệnh (chạy luân phiên), ms; sổ nhỏ "
              f"{args.count} văn bản năm {args.year}; Python {platform.python_version()}, {platform.machine()}, "
              f"{os.cpu_count()} CPU; {'môi trường như đang chạy' if args.as_is else 'có bộ đệm bytecode'}")
        print(f"{'lệnh':46} {'trung vị':>9} {'gốc':>7} {'tỉ lệ':>6} {'mục tiêu':>9}  kết quả")
        for name, ms in figures.items():
            ratio = ms / baseline
            if name.startswith('python -c "import sqlalchemy"'):
                verdict, target = "(mốc so sánh)", ""
            elif "app.models" in name:
                verdict, target = "(tham khảo: ORM và các lớp ánh xạ)", ""
            else:
                verdict, target = ("đạt" if ratio <= TARGET else "chưa đạt"), f"{TARGET}×"
            print(f"{name:46} {ms:>9.0f} {baseline:>7.0f} {ratio:>5.2f}× {target:>9}  {verdict}")
        for title, command in (("python -X importtime -m app --version", commands["python -m app --version"]),
                               (f"python -X importtime -m app incoming list --year {args.year}", listing)):
            print(f"\nGhi chú — 10 lần import lâu nhất (cộng dồn) của `{title}`, ms:")
            for cumulative, own, module in slowest_imports(command, env):
                print(f"  {cumulative / 1000:8.1f}  (riêng {own / 1000:6.1f})  {module}")
            loaded = heavy_loaded(command, env)
            print(f"  thư viện nặng đã nạp: {', '.join(loaded) if loaded else 'không có'}")


if __name__ == "__main__":
    main()
