"""Books and the edges the review found: numbering across books, family lists, refusals instead of tracebacks."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from app.core.enums import BookCategory, Direction, NumberingScope
from app.core.errors import NotFoundError, ValidationError, VanThuError
from app.core.records import IncomingInput, OutgoingInput
from app.models import RegisterBook
from app.services import Registry

pytestmark = pytest.mark.both_engines


def incoming(ref: str, received: str = "05/03/2024", **extra: str) -> IncomingInput:
    return IncomingInput(issuer="SỞ Y TẾ", reference=ref, issued_on=received, received_on=received,
                         doc_type="Công văn", subject=f"Văn bản {ref}", **extra)


def test_a_new_book_mid_year_continues_the_numbering(state_registry: Registry) -> None:
    first = state_registry.documents.register_incoming(incoming("1/A-VP"))
    book2 = state_registry.books.add(Direction.INCOMING, BookCategory.ORDINARY, book_number=2)
    second = state_registry.documents.register_incoming(incoming("2/A-VP"))
    assert (first.number, second.number) == (1, 2)
    assert second.book_id == book2.id != first.book_id
    books = {b.id: b for b in state_registry.books.list()}
    assert books[first.book_id].closed and not books[book2.id].closed
    assert state_registry.documents.find(Direction.INCOMING, 1, 2024).id == first.id


def test_changing_the_agency_family_keeps_the_years_numbering(state_registry: Registry) -> None:
    state_registry.documents.register_incoming(incoming("1/A-VP"))
    state_registry.documents.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="x", signer="A",
                                                   signed_on="05/03/2024"))
    state_registry.settings.set("agency.family", "party")
    state_registry.settings.set("agency.abbreviation", "DU")
    assert state_registry.documents.register_incoming(incoming("2/A-VP")).number == 2
    out = state_registry.documents.register_outgoing(OutgoingInput(doc_type="Công văn", subject="x", signer="A",
                                                         signed_on="06/03/2024"))
    # The new Party book numbers per type: công văn starts its own sequence; it never collides with 01/QĐ-SYT.
    assert out.reference == "01-CV/DU"
    open_books = [b for b in state_registry.books.list() if not b.closed]
    assert sorted((b.direction.value, b.family.value) for b in open_books) == [("incoming", "party"),
                                                                              ("outgoing", "party")]


def test_only_one_open_book_per_kind_even_when_written_directly(state_registry: Registry) -> None:
    state_registry.documents.register_incoming(incoming("1/A-VP"))
    with pytest.raises(IntegrityError):
        with state_registry.db.writing() as session:
            session.add(RegisterBook(name="Sổ thứ hai", direction=Direction.INCOMING,
                                     category=BookCategory.ORDINARY, family=state_registry.settings.agency().family,
                                     period="calendar_year", scope=NumberingScope.SINGLE))


def test_each_family_issues_only_its_own_types(state_registry: Registry, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="NĐ 30 Phụ lục III"):
        state_registry.documents.register_outgoing(OutgoingInput(doc_type="Kết luận", unit="VP", subject="x",
                                                                 signer="A"))
    party = Registry(str(tmp_path / "party.sqlite3"))
    party.settings.set("agency.family", "party")
    party.settings.set("agency.abbreviation", "TU")
    with pytest.raises(ValidationError, match="HD 36"):
        party.documents.register_outgoing(OutgoingInput(doc_type="Thư công", unit="VP", subject="x", signer="A"))
    assert party.documents.register_outgoing(OutgoingInput(doc_type="Kết luận", subject="x",
                                                           signer="A")).reference.startswith(
        "01-KL/TU")
    party.close()


def test_term_books_only_for_party_outgoing(state_registry: Registry) -> None:
    with pytest.raises(ValidationError, match="chỉ sổ văn bản đi của cơ quan Đảng"):
        state_registry.books.add(Direction.OUTGOING, BookCategory.ORDINARY, term_start=date(2020, 10, 1),
                                term_end=date(2025, 9, 30))


def test_a_scheme_change_never_issues_the_same_reference_twice(party_registry: Registry) -> None:
    def out(signed: str) -> str:
        return party_registry.documents.register_outgoing(OutgoingInput(doc_type="Công văn", subject="x", signer="A",
                                                              signed_on=signed)).reference

    assert out("05/03/2024") == "01-CV/TU"
    party_registry.books.add(Direction.OUTGOING, BookCategory.ORDINARY, NumberingScope.PER_TYPE,
                            term_start=date(2024, 1, 1), term_end=date(2028, 12, 31))
    with pytest.raises(ValidationError, match="01-CV/TU đã cấp trong năm 2024"):
        out("06/03/2024")
    assert len(party_registry.documents.list(Direction.OUTGOING, 2024)) == 1


def test_ambiguous_number_asks_for_the_id(party_registry: Registry) -> None:
    for doc_type in ("Công văn", "Kế hoạch"):
        party_registry.documents.register_outgoing(OutgoingInput(doc_type=doc_type, subject="x", signer="A",
                                                       signed_on="05/03/2024"))
    with pytest.raises(NotFoundError, match="01-CV/TU, 01-KH/TU|01-KH/TU, 01-CV/TU"):
        party_registry.documents.find(Direction.OUTGOING, 1, 2024)


@pytest.mark.parametrize("reference, message", [("Số:", "không có số, ký hiệu"),
                                                ("99999999999999999999/UBND", "quá lớn")])
def test_references_that_cannot_be_stored_are_refused(state_registry: Registry, reference: str, message: str) -> None:
    with pytest.raises(ValidationError, match=f"Số, ký hiệu: .*{message}"):
        state_registry.documents.register_incoming(incoming(reference))


def test_edit_refuses_blanking_a_required_date(state_registry: Registry) -> None:
    doc = state_registry.documents.register_incoming(incoming("1/A-VP"))
    with pytest.raises(ValidationError, match="Ngày đến: không được để trống"):
        state_registry.documents.update(doc.id, {"received_on": ""})
    assert state_registry.documents.get(doc.id).received_on == date(2024, 3, 5)


def test_directory_limits(registry: Registry) -> None:
    with pytest.raises(ValidationError, match="Mã đơn vị"):
        registry.directory.add_department("Văn phòng", "X" * 21)
    with pytest.raises(ValidationError, match="Họ và tên"):
        registry.directory.add_person("N" * 151)
    dep = registry.directory.add_department("Văn phòng", "vp")
    with pytest.raises(ValidationError, match="đã được dùng"):
        registry.directory.add_department("Phòng khác", "VP")
    assert registry.directory.add_person("Nguyễn Thị Hà", "Chuyên viên", dep) > 0


def test_unopenable_database_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    with pytest.raises(VanThuError, match="Không mở được cơ sở dữ liệu"):
        Registry(str(blocker / "x.sqlite3"))
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(VanThuError, match="Không mở được cơ sở dữ liệu"):
        Registry(str(garbage))


@pytest.mark.sqlite_only  # sqlite_stat1
def test_closing_keeps_planner_statistics(state_registry: Registry, db_path: Path) -> None:
    for i in range(20):
        state_registry.documents.register_incoming(incoming(f"{i}/A-VP"))
    state_registry.close()
    stats = sqlite3.connect(db_path).execute("SELECT tbl FROM sqlite_stat1").fetchall()
    assert ("documents",) in stats
