"""Issue 21 item 4: a person, not "root". The audit, receipts and handover lists name the register's clerk (kept in
the register), the signed-in account's full name with accounts, else the neutral "Văn thư" — never the OS login
of whoever runs the program (these tests run as that user)."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import ValidationError, VanThuError
from app.core.records import IncomingInput
from app.services import Registry
from app.services.registry import CLERK_NAME_KEY, DEFAULT_CLERK
from tests.conftest import run_cli
from tests.printing.pdf_read import page_texts

pytestmark = pytest.mark.both_engines
CLERK = "Nguyễn Thị Lan"
LOGIN = getpass.getuser()  # "root" here: the name that must never be printed or audited


def incoming(ref: str) -> IncomingInput:
    return IncomingInput(issuer="SỞ Y TẾ", reference=ref, issued_on="05/03/2024", received_on="05/03/2024",
                         doc_type="Công văn", subject=f"Văn bản {ref} về tiêm chủng")


@pytest.fixture
def opened(db_url: str) -> Iterator[list[Registry]]:
    """Registries opened as the program opens them, with no actor given; all closed at the end."""
    registries: list[Registry] = []
    yield registries
    for reg in registries:
        reg.close()


def open_register(db_url: str, opened: list[Registry]) -> Registry:
    reg = Registry(db_url)
    opened.append(reg)
    return reg


def agency(reg: Registry) -> None:
    reg.settings.set("agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    reg.settings.set("agency.abbreviation", "SYT")


def printed(reg: Registry, tmp_path: Path) -> tuple[str, str]:
    """A document registered and routed; the text of its receipt and of the handover list."""
    doc = reg.documents.register_incoming(incoming("3646/SYT-VP"))
    reg.directory.add_department("Văn phòng")
    reg.routing.route(doc.id, "Văn phòng")
    receipt = reg.printouts.receipt([doc.id], tmp_path / "bien-nhan.pdf", "Bưu điện tỉnh")
    handover = reg.printouts.handover("Văn phòng", None, tmp_path / "chuyen-giao.pdf")
    return " ".join(page_texts(receipt)), " ".join(page_texts(handover))


def test_without_a_name_the_register_writes_and_prints_the_neutral_word(db_url: str, opened, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reg = open_register(db_url, opened)
    assert reg.actor == DEFAULT_CLERK and LOGIN not in reg.principal.display
    agency(reg)
    receipt, handover = printed(reg, tmp_path)
    assert DEFAULT_CLERK in receipt and LOGIN not in receipt and LOGIN not in handover
    assert {e.actor for e in reg.audit.events(limit=1000)} == {DEFAULT_CLERK}


def test_the_clerk_s_name_is_kept_audited_and_printed(db_url: str, opened, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reg = open_register(db_url, opened)
    assert reg.users.name_clerk(f"  {CLERK} ") == CLERK
    assert reg.actor == CLERK and reg.principal.display.startswith(CLERK)
    [named] = [e for e in reg.audit.events(limit=1000) if e.after and CLERK_NAME_KEY in e.after]
    assert named.actor == CLERK  # the change of name is itself in the audit, under that name
    agency(reg)
    receipt, handover = printed(reg, tmp_path)
    assert CLERK in receipt and CLERK in handover  # NGƯỜI NHẬN (VĂN THƯ) on one, NGƯỜI GIAO on the other
    assert LOGIN not in receipt and LOGIN not in handover
    assert {e.actor for e in reg.audit.events(limit=1000)} == {CLERK}
    again = open_register(db_url, opened)  # the next start (or a CLI command) knows her
    assert again.actor == CLERK and again.users.clerk_name() == CLERK


def test_an_empty_or_overlong_name_is_refused_naming_the_field(db_url: str, opened) -> None:  # type: ignore[no-untyped-def]
    reg = open_register(db_url, opened)
    for bad, reason in (("   ", "không được để trống"), ("A" * 101, "tối đa 100 ký tự")):
        with pytest.raises(ValidationError) as refused:
            reg.users.name_clerk(bad)
        assert str(refused.value).startswith("Họ và tên văn thư:") and reason in str(refused.value)
    assert reg.actor == DEFAULT_CLERK and reg.users.clerk_name() == ""


def test_with_accounts_the_signed_in_person_is_named(db_url: str, opened, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reg = open_register(db_url, opened)
    reg.users.name_clerk(CLERK)
    agency(reg)
    reg.users.add("binh", "mat-khau-dai-1", "quan_tri,van_thu", full_name="Trần Văn Bình")
    reg.sign_in("binh", "mat-khau-dai-1")
    with pytest.raises(VanThuError, match="tài khoản"):
        reg.users.name_clerk("Ai Khác")
    receipt, handover = printed(reg, tmp_path)
    assert "Trần Văn Bình" in receipt and "Trần Văn Bình" in handover  # the full name, not "binh"
    assert LOGIN not in receipt and LOGIN not in handover


@pytest.mark.sqlite_only
def test_the_cli_uses_the_stored_name_else_the_neutral_word(db_path: Path) -> None:
    assert run_cli("init", db=db_path).returncode == 0
    add = ["incoming", "add", "--issuer", "SỞ Y TẾ", "--reference", "1/SYT-VP", "--issued-on", "05/03/2024",
           "--type", "Công văn", "--subject", "Về tiêm chủng"]
    assert run_cli(*add, db=db_path).returncode == 0
    assert run_cli("settings", "set", CLERK_NAME_KEY, CLERK, db=db_path).returncode == 0
    add[add.index("1/SYT-VP")] = "2/SYT-VP"
    assert run_cli(*add, db=db_path).returncode == 0
    shown = run_cli("audit", "--limit", "100", db=db_path)
    assert shown.returncode == 0, shown.stderr
    assert DEFAULT_CLERK in shown.stdout and CLERK in shown.stdout
    reg = Registry(str(db_path))
    try:
        actors = [e.actor for e in reversed(reg.audit.events(limit=100))]
    finally:
        reg.close()
    assert LOGIN not in actors and actors[-1] == CLERK and DEFAULT_CLERK in actors
