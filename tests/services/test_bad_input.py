"""Bad input everywhere: random field values, a full or read-only disk, a locked database, and attachments that
are empty, too big or not what their extension says. Every case ends in a saved valid record or a clear refusal,
with nothing half-written."""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as tally
from hypothesis import strategies as st
from sqlalchemy import event

from app.core.enums import Direction
from app.core.errors import DuplicateError, ValidationError, VanThuError
from app.core.records import IncomingInput, OutgoingInput
from app.core.text import clean
from app.core.validation import LABELS, check_incoming
from app.services import Registry
from app.services import attachments as attachment_store

# ---------------------------------------------------------------------------------------------- helpers


def state(db_path: Path) -> dict[str, object]:
    """What a failed write must not change: documents, counters, audit events, attachments (read-only look)."""
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {
            "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "sequences": conn.execute("SELECT direction, category, period_key, scope_key, last_number "
                                      "FROM number_sequences ORDER BY 1, 2, 3, 4").fetchall(),
            "audit": conn.execute("SELECT count(*) FROM audit_events").fetchone()[0],
            "attachments": conn.execute("SELECT count(*) FROM attachments").fetchone()[0],
        }
    finally:
        conn.close()


def integrity(db_path: Path) -> None:
    """The file is sound, numbers are gapless per series, and every document has its 'create' audit event."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        series = conn.execute("SELECT direction, category, period_key, scope_key, count(*), min(number), "
                              "max(number) FROM documents GROUP BY 1, 2, 3, 4").fetchall()
        for *_key, count, low, high in series:
            assert (low, high) == (1, count), series
        orphans = conn.execute("SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM audit_events a "
                               "WHERE a.entity = 'document' AND a.entity_id = d.id AND a.action = 'create')"
                               ).fetchall()
        assert orphans == []
    finally:
        conn.close()


def incoming(reference: str = "3646/SYT-VP", **overrides: object) -> IncomingInput:
    values: dict[str, object] = dict(issuer="SỞ Y TẾ", reference=reference, issued_on="20/10/2025",
                                     received_on="24/10/2025", doc_type="Công văn", subject="Tham mưu thực hiện")
    values.update(overrides)
    return IncomingInput(**values)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- random field values

# Text a clerk could paste: any code point (control characters, lone surrogates, RTL marks, emoji) and sizes far
# past the column limits.
ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec=None), max_size=40),
    st.text(alphabet=st.sampled_from("\x00\x01\x07\x1b\x7f\u200b\u202e\ufeff\ud800\udfff\n\t\r é Đ"), max_size=20),
    st.text(min_size=90, max_size=3000).map(lambda s: s * 2),
    st.sampled_from(["", " ", "\n\t", "3646/SYT-VP", "12-CV/TU", "Công văn", "SỞ Y TẾ", "a" * 256, "1" * 40,
                     "0/0", "-1/A", "99999999999/X-Y"]),
)
DATES = st.one_of(
    st.none(),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.dates(min_value=date(1899, 12, 1), max_value=date(2026, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["31/02/2026", "0/0/0", "99999999", "29/02/2023", "29/02/2024", "2025-13-01", "32/1/2025",
                     "1/1/1", "01/01/10000", "24/10/25", "24.10.2025", "24-10-2025", "hôm qua", "1e9", "-1/-1/-1",
                     "\x00", "٢٤/١٠/٢٠٢٥", "２４/１０/２０２５", "24 / 10 / 2025", "  ", "1/1/1899"]),
    ANY_TEXT,
)
NUMBERS = st.one_of(st.none(), st.integers(-10**12, 10**12), st.integers(-5, 200).map(str),
                    st.sampled_from(["", "1.5", "1e3", "٣", "１２", " 7 ", "0x10", "+3", "-0", "∞", "NaN"]), ANY_TEXT)
CHOICES = st.one_of(st.none(), st.sampled_from(["Khẩn", "khan", "HỎA TỐC", "Hoả tốc", "thượng khẩn", "Mật", "mat",
                                                "Tối mật", "Tuyệt mật", "tuyet mat", "Thường", "khẩn!"]), ANY_TEXT)
TIMES = st.one_of(st.none(), st.sampled_from(["08:30", "8h30", "24:00", "23:59", "99:99", "7", "", "-1:00"]),
                  ANY_TEXT)

INCOMING = st.builds(
    IncomingInput, issuer=ANY_TEXT, reference=ANY_TEXT, issued_on=DATES, doc_type=ANY_TEXT, subject=ANY_TEXT,
    received_on=DATES, received_at=TIMES, urgency=CHOICES, secrecy=CHOICES, pages=NUMBERS, copies=NUMBERS,
    note=ANY_TEXT, file_code=ANY_TEXT)
# Valid entries with at most two fields broken, so that the checks past the first refusal (numbering,
# duplicates, the database's own limits) run with odd but acceptable values: any printable code point, control
# characters (dropped), right-to-left marks, long texts up to the limits.
VALID_TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=120).filter(
    lambda t: clean(t) != "")
LONG_TEXT = st.integers(1, 2000).map(lambda n: ("Trích yếu \x07dài " * 200)[:n] + "x")
REFERENCES = st.one_of(st.sampled_from(["3646/SYT-VP", "12-CV/TU", "5/QĐ-UBND", "7", "01/2025/TT-BYT"]),
                       st.builds(lambda n, a: f"{n}/{a}-VP", st.integers(1, 999_999_999),
                                 st.text("ABCDĐEGHKLMNQSTUVXY", min_size=1, max_size=8)))
DAY_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d%m%y")


@st.composite
def near_valid_incoming(draw: st.DrawFn) -> IncomingInput:
    received = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 12, 31)))
    issued = received - timedelta(days=draw(st.integers(0, 400)))
    values: dict[str, object] = dict(
        issuer=draw(st.sampled_from(["SỞ Y TẾ", "UBND TỈNH", "Ban Tổ chức Tỉnh ủy"]) | VALID_TEXT),
        reference=draw(REFERENCES), issued_on=draw(st.sampled_from([issued, *(issued.strftime(f)
                                                                             for f in DAY_FORMATS)])),
        doc_type=draw(st.sampled_from(["Công văn", "Quyết định", "Tờ trình", "cong van"]) | VALID_TEXT),
        subject=draw(VALID_TEXT | LONG_TEXT),
        received_on=draw(st.sampled_from([received, received.strftime("%d/%m/%Y")])),
        received_at=draw(st.sampled_from([None, "08:30", "8h", "23:59"])),
        urgency=draw(st.sampled_from([None, "Khẩn", "hoa toc", "Thượng khẩn"])),
        secrecy=draw(st.sampled_from([None, None, None, "Mật", "toi mat"])),
        pages=draw(st.none() | st.integers(1, 100_000) | st.integers(1, 500).map(str)),
        copies=draw(st.none() | st.integers(1, 100_000)), note=draw(st.just("") | VALID_TEXT),
        file_code=draw(st.just("") | VALID_TEXT.map(lambda t: t[:50])))
    junk = {"issuer": ANY_TEXT, "reference": ANY_TEXT, "issued_on": DATES, "doc_type": ANY_TEXT,
            "subject": ANY_TEXT, "received_on": DATES, "received_at": TIMES, "urgency": CHOICES, "secrecy": CHOICES,
            "pages": NUMBERS, "copies": NUMBERS, "note": ANY_TEXT, "file_code": ANY_TEXT}
    for name in draw(st.sets(st.sampled_from(sorted(junk)), max_size=2)):
        values[name] = draw(junk[name])
    return IncomingInput(**values)  # type: ignore[arg-type]


@st.composite
def near_valid_outgoing(draw: st.DrawFn) -> OutgoingInput:
    signed = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 12, 31)))
    values: dict[str, object] = dict(
        doc_type=draw(st.sampled_from(["Công văn", "Quyết định", "Tờ trình", "Thông báo", "Bản sao y"])),
        subject=draw(VALID_TEXT | LONG_TEXT), unit=draw(st.sampled_from(["VP", "TCCB", "vp"])),
        signer=draw(VALID_TEXT.map(lambda t: t[:150])), signer_title=draw(st.just("") | VALID_TEXT),
        authority=draw(st.sampled_from([None, "KT.", "TM", "tl", "Q.", "TUQ."])),
        recipients=draw(st.lists(VALID_TEXT.filter(lambda t: ";" not in t), max_size=4)),
        copies=draw(st.none() | st.integers(1, 1000)),
        signed_on=draw(st.sampled_from([signed, signed.strftime("%d/%m/%Y")])),
        archive_holder=draw(st.just("") | VALID_TEXT), reply_due=draw(st.sampled_from([None, signed])),
        urgency=draw(st.sampled_from([None, "Khẩn"])), secrecy=draw(st.sampled_from([None, None, "Mật"])),
        pages=draw(st.none() | st.integers(1, 1000)), note=draw(st.just("") | VALID_TEXT))
    junk = {"doc_type": ANY_TEXT, "subject": ANY_TEXT, "unit": ANY_TEXT, "signer": ANY_TEXT, "authority": ANY_TEXT,
            "recipients": ANY_TEXT, "signed_on": DATES, "reply_due": DATES, "copies": NUMBERS, "pages": NUMBERS,
            "replies_to": st.sampled_from(["1", "1; 2/2025", "999999", "0", "-1"]) | ANY_TEXT, "note": ANY_TEXT}
    for name in draw(st.sets(st.sampled_from(sorted(junk)), max_size=2)):
        values[name] = draw(junk[name])
    return OutgoingInput(**values)  # type: ignore[arg-type]


PLAUSIBLE_INCOMING = near_valid_incoming()
OUTGOING = st.builds(
    OutgoingInput, doc_type=st.sampled_from(["Công văn", "Quyết định", "Tờ trình", "Bản sao y"]) | ANY_TEXT,
    subject=st.text(min_size=1, max_size=80) | ANY_TEXT, unit=st.sampled_from(["VP", "TCCB", ""]) | ANY_TEXT,
    signer=st.sampled_from(["Nguyễn Văn A"]) | ANY_TEXT, signer_title=ANY_TEXT,
    authority=st.one_of(st.none(), st.sampled_from(["KT.", "TM", "tl", "Q.", "TUQ."]), ANY_TEXT),
    recipients=st.one_of(ANY_TEXT, st.lists(ANY_TEXT, max_size=5), st.just("; ".join(["Sở"] * 250))),
    copies=NUMBERS, signed_on=st.sampled_from(["24/10/2025", None]) | DATES, archive_holder=ANY_TEXT,
    reply_due=DATES, urgency=CHOICES, secrecy=st.none() | CHOICES, pages=NUMBERS, note=ANY_TEXT,
    file_code=ANY_TEXT, replies_to=st.sampled_from(["", "1", "1; 2/2025", "999999"]) | ANY_TEXT)

FIELDS = set(LABELS) | {"number"}


def assert_clear_refusal(exc: VanThuError) -> None:
    message = str(exc)
    assert message.strip(), "empty message"
    if isinstance(exc, ValidationError):
        assert exc.errors and all(e.field in FIELDS and e.label and e.message.strip() for e in exc.errors), exc.errors
        assert all(e.label in message for e in exc.errors)
    try:
        message.encode("utf-8")
    except UnicodeEncodeError:
        pytest.fail(f"the message cannot be shown or logged: {message!r}")


def same_text(saved: str | None, typed: str | None) -> None:
    assert (saved or "") == clean(typed), (saved, typed)


@pytest.fixture
def fuzz_registry(tmp_path: Path) -> Iterator[tuple[Registry, Path]]:
    path = tmp_path / "fuzz.sqlite3"
    registry = Registry(str(path), actor="van_thu_fuzz")
    registry.settings.set("agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    registry.settings.set("agency.abbreviation", "SYT")
    yield registry, path
    registry.close()


FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


@FUZZ
@given(data=st.one_of(INCOMING, PLAUSIBLE_INCOMING), allow_duplicate=st.booleans())
def test_random_incoming_is_saved_valid_or_refused_clearly(fuzz_registry: tuple[Registry, Path],
                                                           data: IncomingInput, allow_duplicate: bool) -> None:
    registry, path = fuzz_registry
    before = state(path)
    try:
        record = registry.documents.register_incoming(data, allow_duplicate=allow_duplicate)
    except (ValidationError, DuplicateError) as exc:
        tally(f"refused: {type(exc).__name__}")
        assert_clear_refusal(exc)
        assert state(path) == before
        return
    tally("saved")
    clean = check_incoming(data)  # what was saved passed the checks...
    again = registry.documents.get(record.id)  # ...and reads back as it was typed (cleaned)
    assert again == record
    assert again.received_on == clean.received_on and again.issued_on == clean.issued_on
    same_text(again.subject, data.subject)
    same_text(again.note, data.note)
    same_text(again.file_code, data.file_code)
    assert again.reference == clean.reference.reference
    assert state(path)["documents"] == before["documents"] + 1  # type: ignore[operator]


@FUZZ
@given(data=st.one_of(OUTGOING, near_valid_outgoing()))
def test_random_outgoing_is_saved_valid_or_refused_clearly(fuzz_registry: tuple[Registry, Path],
                                                           data: OutgoingInput) -> None:
    registry, path = fuzz_registry
    before = state(path)
    try:
        record = registry.documents.register_outgoing(data)
    except (ValidationError, DuplicateError) as exc:
        tally(f"refused: {type(exc).__name__}")
        assert_clear_refusal(exc)
        assert state(path) == before
        return
    tally("saved")
    again = registry.documents.get(record.id)
    assert again == record
    assert again.direction in (Direction.OUTGOING, Direction.COPY)
    same_text(again.subject, data.subject)
    assert state(path)["documents"] == before["documents"] + 1  # type: ignore[operator]


def test_after_the_random_runs_the_register_is_sound(fuzz_registry: tuple[Registry, Path]) -> None:
    """The two runs above each end with their own registry; run both here on one file and check it whole."""
    registry, path = fuzz_registry

    @settings(max_examples=150, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.one_of(INCOMING, PLAUSIBLE_INCOMING, OUTGOING, near_valid_outgoing()))
    def register(data: IncomingInput | OutgoingInput) -> None:
        try:
            if isinstance(data, IncomingInput):
                registry.documents.register_incoming(data)
            else:
                registry.documents.register_outgoing(data)
            outcomes["saved"] += 1
        except (ValidationError, DuplicateError) as exc:
            assert_clear_refusal(exc)
            outcomes["refused"] += 1

    outcomes = {"saved": 0, "refused": 0}
    register()
    assert outcomes["saved"] >= 5 and outcomes["refused"] >= 5, outcomes  # both paths were exercised
    for i in range(5):  # a few that surely save, so the checks below see rows
        registry.documents.register_incoming(incoming(f"{i + 1}/SYT-VP"))
    integrity(path)


# ------------------------------------------------------------------------- full disk, read-only, locked


def _limit_connections(registry: Registry, *pragmas: str) -> None:
    """Run these pragmas on every new connection of the registry (after its own), and drop the open ones."""

    @event.listens_for(registry.db.engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        for pragma in pragmas:
            dbapi_connection.execute(pragma)

    registry.db.engine.dispose()


def test_a_full_disk_refuses_the_registration_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "full.sqlite3"
    registry = Registry(str(path), actor="van_thu_test")
    try:
        registry.documents.register_incoming(incoming("1/SYT-VP"))
        with registry.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        registry.db.engine.dispose()
        pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
        _limit_connections(registry, f"PRAGMA max_page_count={pages}")
        failure = None
        for i in range(2, 400):  # the free space in the last pages runs out after a few entries
            before = state(path)
            try:
                registry.documents.register_incoming(incoming(f"{i}/SYT-VP", subject="Trích yếu " * 150))
            except VanThuError as exc:
                failure = exc
                break
        assert failure is not None, "the page limit never filled"
        assert str(failure).startswith("Ổ đĩa đầy"), failure
        assert str(path) in str(failure)
        assert state(path) == before  # no document, no number taken, no audit event
    finally:
        registry.close()
    registry = Registry(str(path), actor="van_thu_test")  # space freed: the next entry takes the next number
    try:
        record = registry.documents.register_incoming(incoming("after/SYT-VP"))
        assert record.number == before["documents"] + 1  # type: ignore[operator]
    finally:
        registry.close()
    integrity(path)


def test_a_read_only_database_refuses_writes_clearly(tmp_path: Path) -> None:
    """Tests run as root, where chmod does not stop writes: SQLite's query_only gives the same SQLITE_READONLY
    a read-only file, folder or disk gives."""
    path = tmp_path / "ro.sqlite3"
    registry = Registry(str(path), actor="van_thu_test")
    try:
        registry.documents.register_incoming(incoming("1/SYT-VP"))
        _limit_connections(registry, "PRAGMA query_only=ON")
        before = state(path)
        with pytest.raises(VanThuError, match="^Không ghi được vào .*chỉ cho phép đọc"):
            registry.documents.register_incoming(incoming("2/SYT-VP"))
        with pytest.raises(VanThuError, match="chỉ cho phép đọc"):
            registry.settings.set("agency.name", "SỞ Y TẾ")
        assert state(path) == before
        assert [d.number for d in registry.documents.list(Direction.INCOMING, 2025)] == [1]  # reading still works
    finally:
        registry.close()
    integrity(path)


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root writes through chmod; the query_only test covers the message")
def test_a_read_only_file_refuses_writes_clearly(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    registry = Registry(str(path), actor="van_thu_test")
    registry.documents.register_incoming(incoming("1/SYT-VP"))
    registry.close()
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(VanThuError, match="Không|chỉ cho phép đọc"):
            reg = Registry(str(path), actor="van_thu_test")
            try:
                reg.documents.register_incoming(incoming("2/SYT-VP"))
            finally:
                reg.close()
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)


def test_a_locked_database_is_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite3"
    registry = Registry(str(path), actor="van_thu_test")
    try:
        registry.documents.register_incoming(incoming("1/SYT-VP"))
        _limit_connections(registry, "PRAGMA busy_timeout=200")
        before = state(path)
        other = sqlite3.connect(path, isolation_level=None)  # another program holds the write lock
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(VanThuError, match="đang bị khóa"):
                registry.documents.register_incoming(incoming("2/SYT-VP"))
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert state(path) == before
        assert registry.documents.register_incoming(incoming("2/SYT-VP")).number == 2
    finally:
        registry.close()


# --------------------------------------------------------------------------------------------- attachments

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 40
BMP = b"BM" + b"\x00" * 60
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40


@pytest.fixture
def with_doc(registry: Registry) -> tuple[Registry, int]:
    return registry, registry.documents.register_incoming(incoming()).id


def stored_files(registry: Registry) -> list[Path]:
    folder = registry.attachments.folder / attachment_store.STORE_DIR
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize(("name", "content"), [
    ("quet.pdf", PDF), ("Quet.PDF", b"\r\n" + PDF), ("junk-before-header.pdf", b"\x00" * 300 + PDF),
    ("anh.png", PNG), ("anh.jpg", JPEG), ("anh.jpeg", JPEG), ("anh.tif", TIFF), ("anh.tiff", b"MM\x00*" + TIFF),
    ("anh.gif", GIF), ("anh.bmp", BMP), ("anh.webp", WEBP),
])
def test_a_file_that_is_what_its_extension_says_is_attached(with_doc: tuple[Registry, int], tmp_path: Path,
                                                            name: str, content: bytes) -> None:
    registry, doc = with_doc
    source = tmp_path / name
    source.write_bytes(content)
    assert registry.attachments.attach(doc, source).size == len(content)


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("rong.pdf", b"", "rỗng (0 byte)"),
    ("anh-png.pdf", PNG, "không phải PDF (nội dung là ảnh PNG)"),
    ("vanban.pdf", "Công văn số 12\n".encode(), "không phải PDF (nội dung là văn bản thuần"),
    ("word.pdf", b"PK\x03\x04" + b"\x00" * 60, "nội dung là tệp nén ZIP hoặc Word"),
    ("cu.jpg", b"\xd0\xcf\x11\xe0" + b"\x00" * 60, "không phải ảnh JPEG (nội dung là tệp Word/Excel cũ"),
    ("virus.jpg", b"MZ\x90\x00" + b"\x00" * 60, "chương trình Windows"),
    ("pdf-that-is-jpeg.jpg", PDF, "không phải ảnh JPEG (nội dung là PDF)"),
    ("gif.png", GIF, "không phải ảnh PNG (nội dung là ảnh GIF)"),
    ("noise.tif", bytes(range(256)) * 4, "không phải ảnh TIFF"),
    ("riff.webp", b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 40, "không phải ảnh WEBP"),
    ("late-header.pdf", b"x" * 2000 + PDF, "không phải PDF"),
])
def test_a_bad_attachment_is_refused_with_the_reason(with_doc: tuple[Registry, int], tmp_path: Path, db_path: Path,
                                                     name: str, content: bytes, reason: str) -> None:
    registry, doc = with_doc
    source = tmp_path / name
    source.write_bytes(content)
    before = state(db_path)
    with pytest.raises(ValidationError, match="Tệp đính kèm") as caught:
        registry.attachments.attach(doc, source)
    assert reason in str(caught.value) and name in str(caught.value), str(caught.value)
    assert state(db_path) == before and stored_files(registry) == []
    assert source.read_bytes() == content


def test_a_huge_attachment_is_refused_with_its_size(with_doc: tuple[Registry, int], tmp_path: Path, db_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    registry, doc = with_doc
    monkeypatch.setattr(attachment_store, "MAX_SIZE", 3 * 1024 * 1024)
    source = tmp_path / "hop-luu-tru.pdf"
    with source.open("wb") as out:  # sparse: 5 MB that take no disk
        out.write(PDF)
        out.truncate(5 * 1024 * 1024)
    before = state(db_path)
    with pytest.raises(ValidationError, match=r"nặng 5 MB, tối đa 3 MB"):
        registry.attachments.attach(doc, source)
    assert state(db_path) == before and stored_files(registry) == []
    assert attachment_store.MAX_SIZE <= 200 * 1024 * 1024


def _copying() -> bool:
    """Called from the check store_file makes just before it copies (the part checks the file earlier too, before
    reading its text): the moment these tests change the file under it."""
    return inspect.stack()[2].function == "store_file"


def test_a_file_that_grows_past_the_limit_while_copied_is_refused(with_doc: tuple[Registry, int], tmp_path: Path,
                                                                  db_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    registry, doc = with_doc
    source = tmp_path / "dang-quet.pdf"
    source.write_bytes(PDF)
    real_check = attachment_store.check_file

    def grow_after_check(path: str | Path) -> Path:
        checked = real_check(path)
        if _copying():
            with Path(path).open("ab") as out:  # the scanner is still writing
                out.truncate(3 * 1024 * 1024)
        return checked

    monkeypatch.setattr(attachment_store, "MAX_SIZE", 2 * 1024 * 1024)
    monkeypatch.setattr(attachment_store, "check_file", grow_after_check)
    before = state(db_path)
    with pytest.raises(ValidationError, match="nặng hơn 2 MB"):
        registry.attachments.attach(doc, source)
    assert state(db_path) == before and stored_files(registry) == []


def test_a_vanished_or_unreadable_file_is_refused(with_doc: tuple[Registry, int], tmp_path: Path, db_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    registry, doc = with_doc
    before = state(db_path)
    gone = tmp_path / "da-xoa.pdf"
    with pytest.raises(ValidationError, match="không tìm thấy tệp"):
        registry.attachments.attach(doc, gone)
    folder = tmp_path / "thu-muc.pdf"
    folder.mkdir()
    with pytest.raises(ValidationError, match="không phải là một tệp"):
        registry.attachments.attach(doc, folder)
    locked = tmp_path / "bi-khoa.pdf"
    locked.write_bytes(PDF)
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(ValidationError, match="không đọc được tệp bi-khoa.pdf"):
        registry.attachments.attach(doc, locked)
    monkeypatch.undo()
    real_check = attachment_store.check_file

    def vanish_after_check(path: str | Path) -> Path:
        checked = real_check(path)
        if _copying():
            Path(path).unlink()  # moved away between the check and the copy
        return checked

    monkeypatch.setattr(attachment_store, "check_file", vanish_after_check)
    with pytest.raises(ValidationError, match="không đọc được tệp"):
        registry.attachments.attach(doc, locked)
    assert state(db_path) == before and stored_files(registry) == []
