"""Golden files: the CLI's output and the printouts' text on a demo register made from a fixed seed stay exactly
as they were before the register was cut into parts (set VANTHU_UPDATE_GOLDEN=1 to write them anew)."""

from __future__ import annotations

import contextlib
import io
import os
import re
from datetime import date
from pathlib import Path

import pytest

from app.cli.commands import run
from tests.printing.pdf_read import page_texts

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
YEAR = 2025  # a whole past year: the demo is then the same whatever day the test runs

# (name, arguments) in order: reads first, then writes whose output names numbers, then reads of the result.
COMMANDS: list[tuple[str, list[str]]] = [
    ("demo", ["demo-data", "--count", "90", "--year", str(YEAR), "--seed", "7"]),
    ("incoming-list", ["incoming", "list", "--year", str(YEAR)]),
    ("outgoing-list", ["outgoing", "list", "--year", str(YEAR)]),
    ("incoming-show", ["incoming", "show", "5", "--year", str(YEAR)]),
    ("incoming-show-json", ["--json", "incoming", "show", "9", "--year", str(YEAR)]),
    ("outgoing-show", ["outgoing", "show", "3", "--year", str(YEAR)]),
    ("search", ["search", "ngan sach", "--year", str(YEAR)]),
    ("search-json", ["--json", "search", "quyet dinh", "--limit", "5"]),
    ("report", ["report", "--year", str(YEAR), "--on", f"31/12/{YEAR}"]),
    ("report-unit-json", ["--json", "report", "--year", str(YEAR), "--by", "unit", "--on", f"31/12/{YEAR}"]),
    ("overdue", ["overdue", "--on", f"15/12/{YEAR}"]),
    ("book-list", ["book", "list"]),
    ("settings-list", ["settings", "list"]),
    ("issuers", ["issuers", "Sở"]),
    ("holiday-list", ["holiday", "list", "--year", str(YEAR)]),
    ("deadline-rules", ["deadline-rule", "list"]),
    ("department-add", ["department", "add", "Phòng Thử nghiệm", "--code", "TN"]),
    ("incoming-add", ["incoming", "add", "--issuer", "SỞ Y TẾ", "--reference", "3646/SYT-VP", "--issued-on",
                      f"24/10/{YEAR}", "--received-on", f"27/10/{YEAR}", "--type", "Công văn", "--subject",
                      "Về việc tăng cường phòng, chống dịch bệnh mùa mưa"]),
    ("route", ["route", "73", "--year", str(YEAR), "--lead", "TN", "--deadline", f"10/11/{YEAR}",
               "--directive", "Giao Phòng Thử nghiệm chủ trì", "--directed-by", "Giám đốc", "--on",
               f"28/10/{YEAR}"]),
    ("handover", ["handover", "73", "--year", str(YEAR), "--unit", "TN", "--signed-by", "Nguyễn Văn A", "--at",
                  f"29/10/{YEAR} 08:30"]),
    ("status", ["status", "73", "--year", str(YEAR), "--unit", "TN", "--set", "đã xử lý", "--at",
                f"05/11/{YEAR} 10:00"]),
    ("cancel", ["incoming", "cancel", "2", "--year", str(YEAR), "--reason", "Vào sổ nhầm"]),
    ("link", ["link", "75", "--replies-to", "91"]),
    ("incoming-show-after", ["incoming", "show", "73", "--year", str(YEAR)]),
    ("audit-verify", ["audit", "verify"]),
]
PRINTS: list[tuple[str, list[str]]] = [
    ("print-stamp", ["print", "stamp", "5", "--year", str(YEAR)]),
    ("print-slip", ["print", "slip", "73", "--year", str(YEAR)]),
    ("print-receipt", ["print", "receipt", "5", "--year", str(YEAR), "--sender", "Bưu điện tỉnh"]),
    ("print-register", ["print", "register", "--book", "incoming", "--year", str(YEAR), "--to-number", "30"]),
    ("print-follow-up", ["print", "register", "--book", "follow-up", "--year", str(YEAR), "--to-number", "20"]),
    ("print-outgoing", ["print", "register", "--book", "outgoing", "--year", str(YEAR)]),
]


def _normalise(text: str, tmp: Path) -> str:
    """Take out what changes from run to run: the folder, the clock of the run, today's date."""
    now = date.today()
    text = text.replace(str(tmp), "<TMP>")  # the clerk is "Văn thư" (no name given), never the OS login
    text = re.sub(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?", "<NOW>", text)
    text = re.sub(r"\b[0-9a-f]{64}\b", "<HASH>", text)  # the audit chain hashes the clock too
    text = re.sub(r"(Mã kiểm tra nhật ký: #\d+, )[0-9a-f]{16}\b", r"\1<HASH16>", text)  # the head's code
    text = re.sub(r"Thời gian nhận: \d{1,2} giờ \d{2}", "Thời gian nhận: <NOW>", text)  # printed now
    text = re.sub(r"mất \d+(\.\d+)? giây", "mất <T> giây", text)
    for shown in (now.strftime("%d/%m/%Y"), now.isoformat()):
        text = text.replace(shown, "<TODAY>")
    text = re.sub(rf"ngày {now.day:02d} tháng 0?{now.month} năm {now.year}", "ngày <TODAY>", text)
    text = re.sub(r"\b\d{2}:\d{2} <TODAY>", "<NOW>", text)
    return text


def _cli(db: Path, argv: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["--db", str(db), *argv])
    return f"exit {code}\n{out.getvalue()}{err.getvalue()}"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("golden")
    db = tmp / "so.db"
    seen = {name: _normalise(_cli(db, argv), tmp) for name, argv in COMMANDS}
    for name, argv in PRINTS:
        pdf = tmp / f"{name}.pdf"
        said = _cli(db, [*argv, "-o", str(pdf)])
        pages = page_texts(pdf) if pdf.exists() else []
        seen[name] = _normalise(said + "".join(f"--- trang {i}\n{t}\n" for i, t in enumerate(pages, 1)), tmp)
    return seen


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS + PRINTS])
def test_output_equals_its_golden_file(outputs: dict[str, str], name: str) -> None:
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("VANTHU_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(outputs[name], encoding="utf-8")
    assert outputs[name] == golden.read_text(encoding="utf-8")


def test_every_command_did_its_work(outputs: dict[str, str]) -> None:
    """The golden files are worth keeping only if the commands succeeded (a golden error proves little)."""
    failed = {name: text.splitlines()[0] for name, text in outputs.items() if not text.startswith("exit 0")}
    assert failed == {}
    assert all("--- trang 1" in outputs[name] for name, _ in PRINTS)
