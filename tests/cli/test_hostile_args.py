"""Arbitrary text where the CLI wants a date, a number or a year, and arbitrary words for search: a refusal with a
message (exit 2) or a result, never a traceback. Commands run in-process through app.cli.commands.run."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli.commands import run
from app.core.enums import Direction
from app.core.errors import ValidationError
from app.core.records import DocumentQuery, IncomingInput
from app.services import Registry

_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that looks almost like what is wanted, and text that is nothing like it.
_NEAR = st.sampled_from([
    "0", "-1", "1", "2024", "99999", "10000", "1" * 30, "9" * 5000, "1e9", "0x10", " 5 ", "５", "٣", "1_000",
    "31/02/2024", "29/02/2023", "00/00/0000", "2024-13-01", "24/10/23", "05/05/2026 25:61", "1/1/1", "01/01/0001",
    "31/12/9999", "01/01/10000", "--", "-", "", " ", "\x00", "'; DROP TABLE documents; --", "NULL", "NaN", "inf",
])
_ANY = st.one_of(_NEAR, st.text(max_size=40), st.integers().map(str),
                 st.from_regex(r"-?\d{1,20}([/.-]\d{1,6}){0,2}( \d{1,3}:\d{1,3})?", fullmatch=True))
_WORDS = st.one_of(st.text(max_size=60), st.sampled_from([
    '"', "'", '""', "*", "NEAR(a b)", "a OR b", "AND", "NOT x", "-x", "^x", "x:y", "title:*", "(", ")", "{a}",
    "\x00", "%", "_", "\\", "a" * 10_000, "thong bao " * 500, "Đ\u0300", "\ud7ff", "\U0010ffff"]))

# Every command that takes a date, a number or a year, with the slot the drawn text goes into.
_COMMANDS: list[list[str]] = [
    ["incoming", "list", "--year", "{}"],
    ["incoming", "list", "--limit", "{}"],
    ["outgoing", "show", "{}", "--year", "{}"],
    ["incoming", "show", "--id", "{}"],
    ["copy", "list", "--year", "{}"],
    ["search", "{}", "--year", "{}", "--limit", "{}"],
    ["incoming", "add", "--issuer", "SỞ TÀI CHÍNH", "--reference", "{}", "--issued-on", "{}", "--type", "Công văn",
     "--subject", "Về việc {}", "--received-on", "{}", "--received-at", "{}", "--pages", "{}", "--copies", "{}"],
    ["outgoing", "add", "--type", "Công văn", "--subject", "Báo cáo", "--signer", "Nguyễn Văn A", "--signed-on",
     "{}", "--reply-due", "{}", "--copies", "{}", "--pages", "{}"],
    ["incoming", "edit", "1", "--received-on", "{}", "--pages", "{}"],
    ["incoming", "cancel", "{}", "--year", "{}", "--reason", "{}"],
    ["route", "{}", "--lead", "VP", "--deadline", "{}", "--on", "{}"],
    ["handover", "1", "--unit", "VP", "--signed-by", "Lê Văn B", "--at", "{}"],
    ["status", "1", "--set", "{}", "--at", "{}"],
    ["overdue", "--on", "{}"],
    ["holiday", "add", "{}", "Nghỉ bù"],
    ["holiday", "list", "--year", "{}"],
    ["holiday", "remove", "{}"],
    ["deadline-rule", "set", "--type", "{}", "--days", "{}"],
    ["report", "--year", "{}", "--on", "{}", "--top", "{}"],
    ["audit", "--from", "{}", "--to", "{}", "--limit", "{}", "--document", "{}"],
    ["audit", "verify", "--against", "{}"],
    ["book", "add", "--direction", "outgoing", "--term-start", "{}", "--term-end", "{}", "--book-number", "{}"],
    ["link", "{}", "--cites", "{}", "--on", "{}"],
    ["settings", "set", "{}", "{}"],
    ["issuers", "{}"],
]


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One register for every example: an agency, a department and one entry to act on."""
    db = tmp_path_factory.mktemp("hostile") / "register.sqlite3"
    reg = Registry(str(db), actor="van_thu")
    try:
        reg.settings.set("agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
        reg.settings.set("agency.abbreviation", "SYT")
        reg.directory.add_department("Văn phòng", "VP")
        reg.documents.register_incoming(IncomingInput(
            issuer="UBND TỈNH TÂY NINH", reference="5068/UBND-TH", issued_on="02/03/2024", received_on="03/03/2024",
            doc_type="Công văn", subject="Triển khai thông báo"))
    finally:
        reg.close()
    return db


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        try:
            code = run(argv)
        except SystemExit as exc:  # argparse refuses with exit 2 (VietnameseParser.error)
            code = exc.code if isinstance(exc.code, int) else 2
    return code, err.getvalue()


@_SETTINGS
@given(command=st.sampled_from(_COMMANDS), values=st.lists(_ANY, min_size=8, max_size=8))
def test_any_text_in_a_date_number_or_year_is_refused_with_a_message(register: Path, command: list[str],
                                                                       values: list[str]) -> None:
    drawn = iter(values)
    argv = ["--db", str(register)] + [a.replace("{}", next(drawn)) if "{}" in a else a for a in command]
    code, err = _run(argv)
    assert "Traceback" not in err and "Lỗi không mong đợi" not in err, (argv, err)
    assert code in (0, 2, 3), (argv, code, err)
    if code == 2:
        assert err.strip(), argv  # a refusal says why


@pytest.fixture(scope="module")
def searched(register: Path) -> Registry:
    reg = Registry(str(register), actor="van_thu")
    yield reg
    reg.close()


@_SETTINGS
@given(text=_WORDS, issuer=_WORDS, direction=st.sampled_from([None, *Direction]), year=st.none() | st.integers(),
       limit=st.none() | st.integers(min_value=-5, max_value=10**6))
def test_any_search_text_gives_a_list_or_a_refusal(searched: Registry, text: str, issuer: str,
                                                  direction: Direction | None, year: int | None,
                                                  limit: int | None) -> None:
    query = DocumentQuery(direction=direction, text=text, issuer=issuer, year=year, limit=limit)
    try:
        found = searched.documents.search(query)
    except ValidationError as exc:
        assert str(exc).strip()
        return
    assert isinstance(found, list)
