"""No string of a secret document reaches a user without clearance: every CLI command, run as one, is searched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.printing.pdf_read import page_texts
from tests.secret_register import (
    ADMIN,
    CLEARED,
    CLERK,
    SECRET_ISSUER,
    SECRET_REFERENCE,
    TOKEN,
    Cli,
    leaks,
    new_cli,
    set_up,
)


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    yield new_cli(db_path, monkeypatch, capsys)


def _pdf_text(path: Path) -> str:
    return " ".join(page_texts(path))


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    return " ".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                    for cell in row if cell is not None)


def test_no_secret_string_reaches_an_uncleared_user_by_any_command(cli: Cli, tmp_path: Path) -> None:
    ids = set_up(cli)
    assert leaks(cli(CLEARED, "issuers", "ky thuat")), "the cleared clerk sees the secret issuer"
    cli(ADMIN, "backup", "-o", str(tmp_path / "sao-luu.vanthu"))
    secret_no, reply_no = str(ids["secret_number"]), str(ids["reply_number"])
    by_id = ("--id", str(ids["secret"]))
    outputs = {
        "pdf": tmp_path / "out.pdf", "xlsx": tmp_path / "out.xlsx",
    }
    commands: list[tuple[str, ...]] = [
        ("issuers", "ky thuat"), ("issuers", "cuc"), ("issuers", ""),
        ("search", "bao ve muc tieu"), ("search", "bao ve", "--secret"), ("search", TOKEN), ("search", "77"),
        ("search", TOKEN, "--secret", "--json"),
        ("incoming", "list"), ("incoming", "list", "--secret"), ("incoming", "list", "--json", "--secret"),
        ("outgoing", "list", "--secret"), ("copy", "list", "--secret"),
        ("incoming", "show", secret_no, "--secret", "--year", "2026"), ("incoming", "show", *by_id),
        ("outgoing", "show", reply_no, "--secret", "--year", "2026"),
        ("incoming", "show", "--id", str(ids["ordinary"])),
        ("incoming", "edit", secret_no, "--secret", "--year", "2026", "--subject", "Sửa"),
        ("incoming", "cancel", secret_no, "--secret", "--year", "2026", "--reason", "Nhầm"),
        ("link", str(ids["ordinary"]), "--replies-to", SECRET_REFERENCE, "--issuer", SECRET_ISSUER),
        ("link", str(ids["secret"]), "--cites", "5/SYT-VP", "--issuer", "SỞ Y TẾ"),
        ("link", str(ids["ordinary"]), "--cites", str(ids["secret"])),
        ("print", "stamp", secret_no, "--secret", "--year", "2026", "--output", str(outputs["pdf"])),
        ("print", "slip", *by_id, "--output", str(outputs["pdf"])),
        ("print", "receipt", *by_id, "--output", str(outputs["pdf"])),
        ("route", secret_no, "--secret", "--year", "2026", "--lead", "Văn phòng"),
        ("handover", secret_no, "--secret", "--year", "2026", "--unit", "Văn phòng", "--signed-by", "A"),
        ("status", secret_no, "--secret", "--year", "2026", "--set", "luu_ho_so"),
        ("overdue", "--on", "30/03/2026"), ("book", "list"), ("department", "add", "Phòng Mới"),
        ("holiday", "list", "--year", "2026"), ("deadline-rule", "list"), ("settings", "list"),
        ("report", "--year", "2026"), ("report", "--year", "2026", "--secret"),
        ("report", "--year", "2026", "--by", "issuer"), ("report", "--year", "2026", "--by", "unit"),
        ("report", "--year", "2026", "--by", "type"), ("report", "--year", "2026", "--by", "issuer", "--json"),
        ("audit",), ("audit", "--limit", "500", "--json"), ("audit", "--document", str(ids["secret"])),
        ("audit", "--actor", "hoa"), ("audit", "verify"),
        ("user", "list"), ("backup", "--list"), ("init",), ("incoming", "list", "--year", "2026", "--limit", "5"),
    ]
    files: list[tuple[tuple[str, ...], Path]] = [
        (("print", "register", "--book", "incoming", "--year", "2026", "--output", str(outputs["pdf"])),
         outputs["pdf"]),
        (("print", "register", "--book", "incoming", "--year", "2026", "--secret", "--output",
          str(outputs["pdf"])), outputs["pdf"]),
        (("print", "handover", "--unit", "Phòng Kế hoạch", "--output", str(outputs["pdf"])), outputs["pdf"]),
        (("export", "--book", "incoming", "--year", "2026", "--xlsx", str(outputs["xlsx"])), outputs["xlsx"]),
        (("export", "--book", "incoming", "--year", "2026", "--secret", "--xlsx", str(outputs["xlsx"])),
         outputs["xlsx"]),
        (("report", "--year", "2026", "--xlsx", str(outputs["xlsx"])), outputs["xlsx"]),
    ]
    found: list[str] = []
    for who, env in (("quản trị", ADMIN), ("văn thư", CLERK)):
        for command in commands:
            shown = cli(env, *command, ok=False)
            if leaks(shown, command):
                found.append(f"{who}: {' '.join(command)} → {shown.strip()[:300]}")
        for command, path in files:
            path.unlink(missing_ok=True)
            shown = cli(env, *command, ok=False)
            written = "" if not path.exists() else (_pdf_text(path) if path.suffix == ".pdf" else _xlsx_text(path))
            if leaks(shown + written, command):
                found.append(f"{who}: {' '.join(command)} → {(shown + written).strip()[:300]}")
    # The same paper typed again by the clerk without clearance: the secret entry is not named, nor its fields.
    typed = ("incoming", "add", "--issuer", SECRET_ISSUER, "--reference", SECRET_REFERENCE, "--issued-on",
             "02/03/2026", "--received-on", "06/03/2026", "--type", "Công văn", "--subject", "Bản khác")
    if leaks(shown := cli(CLERK, *typed, ok=False), typed):
        found.append(f"văn thư: incoming add (the secret entry's issuer and reference) → {shown.strip()[:300]}")
    assert found == []
    # Nothing the uncleared users tried changed the secret entry.
    shown = json.loads(cli(CLEARED, "--json", "incoming", "show", secret_no, "--secret", "--year", "2026"))
    assert shown["subject"] == "Về việc bảo vệ mục tiêu Qxzv" and not shown.get("cancelled")


def test_an_ordinary_entry_makes_its_issuer_visible_to_all(cli: Cli) -> None:
    set_up(cli)
    assert not leaks(cli(CLERK, "issuers", "ky thuat"))
    cli(CLEARED, "incoming", "add", "--issuer", SECRET_ISSUER.upper(), "--reference", "78/QXZV", "--issued-on",
        "07/03/2026", "--received-on", "08/03/2026", "--type", "Công văn", "--subject", "Về việc thường")
    assert SECRET_ISSUER in cli(CLERK, "issuers", "ky thuat")


def test_the_body_of_a_secret_attachment_is_searched_only_by_the_cleared(cli: Cli, db_path: Path,
                                                                        tmp_path: Path) -> None:
    from app.core.errors import NotFoundError
    from app.services import Registry
    from tests.services.test_body_search import text_pdf

    ids = set_up(cli)
    letter = text_pdf(tmp_path / "mat.pdf", ["Kế hoạch bảo vệ kho đạn Qxzv tại khu vực biên giới."])
    attached = cli(CLEARED, "attach", "--id", str(ids["secret"]), str(letter))
    assert "đã được đưa vào tìm kiếm" in attached, attached
    found = cli(CLEARED, "search", "kho dan bien gioi", "--secret")
    assert SECRET_REFERENCE in found and "[khớp ở nội dung]" in found, found
    for typed in ("kho dan bien gioi", "kho dan"):
        for flags in ((), ("--secret",)):
            shown = cli(CLERK, "search", typed, *flags, ok=False)
            assert not leaks(shown, (typed,)) and "Số đến" not in shown, (typed, flags, shown)
    reg = Registry(str(db_path), actor="lan")
    try:
        reg.sign_in(CLERK["VANTHU_USER"], CLERK["VANTHU_PASSWORD"])
        with pytest.raises(NotFoundError):  # whether a secret body holds a word is not the clerk's to learn
            reg.fulltext.places("kho dan", [ids["secret"]])
        with pytest.raises(NotFoundError):
            reg.fulltext.indexed_characters(ids["secret"])
    finally:
        reg.close()
