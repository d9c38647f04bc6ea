"""Numbering: gapless, unique, per book and period, never reused; safe with several processes at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update

from app.core.enums import BookCategory, Direction, NumberingScope
from app.core.errors import ValidationError
from app.core.records import IncomingInput, OutgoingInput
from app.models import Document, NumberSequence
from app.services import Registry

WORKER = Path(__file__).with_name("register_worker.py")
pytestmark = pytest.mark.both_engines


def incoming(ref: str, received: str, issuer: str = "SỞ Y TẾ", **extra: str) -> IncomingInput:
    return IncomingInput(issuer=issuer, reference=ref, issued_on=extra.pop("issued_on", received),
                         received_on=received, doc_type="Công văn", subject=f"Văn bản {ref}", **extra)


def test_numbers_start_at_one_and_follow_each_other(state_registry: Registry) -> None:
    numbers = [state_registry.documents.register_incoming(incoming(f"{i}/UBND-VP",
                                                                   "05/03/2024")).number for i in range(1, 6)]
    assert numbers == [1, 2, 3, 4, 5]


def test_year_rollover_restarts_at_one(state_registry: Registry) -> None:
    last_2023 = [state_registry.documents.register_incoming(incoming(f"{i}/A-VP", "31/12/2023")).number for i in (1, 2)]
    first_2024 = state_registry.documents.register_incoming(incoming("3/A-VP", "01/01/2024"))
    back_in_2023 = state_registry.documents.register_incoming(incoming("4/A-VP", "31/12/2023"))
    assert last_2023 == [1, 2]
    assert (first_2024.number, first_2024.year, first_2024.period) == (1, 2024, "2024")
    assert back_in_2023.number == 3  # a late entry for 2023 continues 2023's sequence
    assert state_registry.documents.find(Direction.INCOMING, 1, 2024).reference == "3/A-VP"
    assert state_registry.documents.find(Direction.INCOMING, 1, 2023).reference == "1/A-VP"


def test_cancel_keeps_number_and_never_reuses_it(state_registry: Registry) -> None:
    first = state_registry.documents.register_incoming(incoming("1/A-VP", "05/03/2024"))
    state_registry.documents.register_incoming(incoming("2/A-VP", "05/03/2024"))
    cancelled = state_registry.documents.cancel(first.id, "Vào sổ nhầm")
    assert cancelled.cancelled and cancelled.number == 1 and cancelled.cancel_reason == "Vào sổ nhầm"
    assert state_registry.documents.register_incoming(incoming("3/A-VP", "05/03/2024")).number == 3
    listed = state_registry.documents.list(Direction.INCOMING, 2024)
    assert [(d.number, d.cancelled) for d in listed] == [(1, True), (2, False), (3, False)]
    with pytest.raises(ValidationError, match="Lý do hủy"):
        state_registry.documents.cancel(listed[1].id, "  ")
    with pytest.raises(ValidationError, match="đã bị hủy"):
        state_registry.documents.cancel(first.id, "lần nữa")


def test_failed_registration_leaves_no_gap(state_registry: Registry) -> None:
    state_registry.documents.register_incoming(incoming("1/A-VP", "05/03/2024"))
    with pytest.raises(ValidationError):
        state_registry.documents.register_incoming(incoming("2/A-VP", "05/03/2024", urgency="rất gấp"))
    assert state_registry.documents.register_incoming(incoming("3/A-VP", "05/03/2024")).number == 2


def test_secret_documents_have_their_own_book_and_sequence(state_registry: Registry) -> None:
    ordinary = state_registry.documents.register_incoming(incoming("1/A-VP", "05/03/2024"))
    secret = state_registry.documents.register_incoming(incoming("2/A-VP", "05/03/2024", secrecy="Tối mật"))
    ordinary2 = state_registry.documents.register_incoming(incoming("3/A-VP", "05/03/2024"))
    assert (ordinary.number, secret.number, ordinary2.number) == (1, 1, 2)
    assert secret.category is BookCategory.SECRET and secret.book_id != ordinary.book_id
    assert [d.reference for d in state_registry.documents.list(Direction.INCOMING, 2024, secret=True)] == ["2/A-VP"]
    assert state_registry.documents.find(Direction.INCOMING, 1, 2024, secret=True).id == secret.id


def test_next_number_is_shown_before_saving(state_registry: Registry) -> None:
    from datetime import date

    assert state_registry.documents.next_incoming_number(date(2024, 3, 5)) == 1
    state_registry.documents.register_incoming(incoming("1/A-VP", "05/03/2024"))
    assert state_registry.documents.next_incoming_number(date(2024, 3, 5)) == 2
    assert state_registry.documents.next_incoming_number(date(2025, 1, 2)) == 1
    assert state_registry.documents.next_outgoing_number("Quyết định", date(2024, 3, 5)) == 1


def test_party_term_book_numbers_per_type_for_the_whole_term(party_registry: Registry) -> None:
    from datetime import date

    party_registry.books.add(Direction.OUTGOING, BookCategory.ORDINARY, NumberingScope.PER_TYPE,
                            term_start=date(2020, 10, 1), term_end=date(2025, 9, 30))

    def out(doc_type: str, signed: str) -> str:
        return party_registry.documents.register_outgoing(OutgoingInput(doc_type=doc_type, subject="Nội dung",
                                                              signer="Nguyễn Văn A", signed_on=signed)).reference

    assert out("Công văn", "15/12/2023") == "01-CV/TU"
    assert out("Công văn", "10/01/2024") == "02-CV/TU"  # no reset on 1 January within a term
    assert out("Kế hoạch", "11/01/2024") == "01-KH/TU"
    with pytest.raises(ValidationError, match="nằm ngoài nhiệm kỳ"):
        out("Công văn", "01/10/2025")


def test_database_refuses_deleting_renumbering_and_rewinding(state_registry: Registry, db_path: Path,
                                                             engine: str) -> None:
    doc = state_registry.documents.register_incoming(incoming("1/A-VP", "05/03/2024"))
    for statement in (delete(Document).where(Document.id == doc.id),
                      update(Document).where(Document.id == doc.id).values(number=7),
                      update(NumberSequence).values(last_number=0),
                      text("DELETE FROM audit_events"), text("UPDATE audit_events SET actor = 'x'")):
        with pytest.raises(Exception, match="never|append-only"):
            with state_registry.db.writing() as session:
                session.execute(statement)
    with state_registry.db.reading() as session:
        assert session.execute(text("SELECT number FROM documents")).all() == [(1,)]
    if engine == "sqlite":
        con = sqlite3.connect(db_path)
        assert con.execute("SELECT number FROM documents").fetchall() == [(1,)]
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.sqlite_only  # the 8-process proof on both engines is tests/services/test_concurrency.py
def test_four_processes_registering_at_once_get_gapless_unique_numbers(
        state_registry: Registry, db_path: Path, tmp_path: Path) -> None:
    workers, per_worker = 4, 40
    go = tmp_path / "go"
    processes = [subprocess.Popen([sys.executable, str(WORKER), str(db_path), str(w), str(per_worker), str(go)],
                                  stderr=subprocess.PIPE, text=True) for w in range(workers)]
    go.touch()
    for p in processes:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    con = sqlite3.connect(db_path)
    rows = con.execute("SELECT number, reference, subject, created_by FROM documents ORDER BY number").fetchall()
    total = workers * per_worker
    assert [r[0] for r in rows] == list(range(1, total + 1))
    assert len({r[1] + r[3] for r in rows}) == total  # every record is a distinct, complete registration
    assert all(r[2].startswith("Văn bản ") for r in rows)
    for w in range(workers):  # each worker's own documents kept their order of arrival
        mine = [r[0] for r in rows if r[3] == f"worker{w}"]
        assert len(mine) == per_worker and mine == sorted(mine)
    assert con.execute("SELECT last_number FROM number_sequences").fetchall() == [(total,)]
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
