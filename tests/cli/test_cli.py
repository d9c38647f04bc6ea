"""The command line as a clerk (or a script) uses it: every test runs `python -m app --db FILE ...` in a real
subprocess and reads the SQLite file back through the CLI (`--json`) or with the stdlib sqlite3 module."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import unicodedata
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

EXIT_OK, EXIT_UNEXPECTED, EXIT_BAD_INPUT, EXIT_DUPLICATE = 0, 1, 2, 3

SUBJECT_1 = "V/v triển khai tiêm vắc xin phòng COVID-19 đợt bổ sung cho trẻ em từ 5 đến dưới 12 tuổi"
SUBJECT_2 = "V/v báo cáo tình hình thực hiện nhiệm vụ quý III năm 2023"


# --------------------------------------------------------------------------------------------- helpers


def cli(db: Path, *args: str, expect: int = EXIT_OK) -> subprocess.CompletedProcess[str]:
    """Run one command and check its exit code (stderr is shown when it is not the expected one)."""
    result = run_cli(*args, db=db)
    assert result.returncode == expect, (
        f"`{' '.join(args)[:200]}` exited {result.returncode}, expected {expect}\n"
        f"stdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}")
    if expect == EXIT_OK:
        assert "Traceback" not in result.stderr, result.stderr
    return result


def cli_json(db: Path, *args: str) -> Any:
    """Run one command with --json, expect exit 0 and return the parsed output."""
    return json.loads(cli(db, *args, "--json").stdout)


def _options(defaults: dict[str, str | None], overrides: dict[str, str | None]) -> list[str]:
    """{'issued_on': '24/10/2023'} -> ['--issued-on', '24/10/2023']; an override of None drops the option."""
    args: list[str] = []
    for key, value in {**defaults, **overrides}.items():
        if value is not None:
            args += [f"--{key.replace('_', '-')}", value]
    return args


INCOMING_DEFAULTS: dict[str, str | None] = {
    "issuer": "SỞ Y TẾ", "reference": "3646/SYT-VP", "issued_on": "24/10/2023", "type": "Công văn",
    "subject": SUBJECT_1, "received_on": "24/10/2023",
}
OUTGOING_DEFAULTS: dict[str, str | None] = {
    "type": "Công văn", "subject": "V/v tăng cường công tác phòng, chống dịch bệnh mùa mưa",
    "signer": "Trương Văn Hùng", "signed_on": "25/10/2023",
}


def incoming_args(**fields: str | None) -> list[str]:
    return ["incoming", "add", *_options(INCOMING_DEFAULTS, fields)]


def outgoing_args(**fields: str | None) -> list[str]:
    return ["outgoing", "add", *_options(OUTGOING_DEFAULTS, fields)]


def add_incoming(db: Path, *flags: str, **fields: str | None) -> dict[str, Any]:
    return cli_json(db, *incoming_args(**fields), *flags)


def add_outgoing(db: Path, **fields: str | None) -> dict[str, Any]:
    return cli_json(db, *outgoing_args(**fields))


def query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, params).fetchall()


def count_documents(db: Path) -> int:
    return query(db, "SELECT COUNT(*) FROM documents")[0][0]


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: two equal snapshots mean nothing at all was written in between."""
    with closing(sqlite3.connect(db)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def copy_db(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def assert_refused(result: subprocess.CompletedProcess[str], *expected_in_stderr: str) -> None:
    """A refusal says 'Lỗi' and names what is wrong on stderr, and prints nothing on stdout."""
    assert "Lỗi" in result.stderr, result.stderr
    for text in expected_in_stderr:
        assert text in result.stderr, f"{text!r} not in stderr: {result.stderr!r}"
    assert result.stdout == "", result.stdout
    assert "Traceback" not in result.stderr, result.stderr


# ------------------------------------------------------------------------------------ shared templates


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two prepared registers, copied per test: 'bare' (just init) and 'agency' (Sở Y tế, state, with
    incoming số đến 1 of 2023 registered)."""
    folder = tmp_path_factory.mktemp("templates")
    bare = folder / "bare.sqlite3"
    cli(bare, "init")
    agency = folder / "agency.sqlite3"
    cli(agency, "settings", "set", "agency.abbreviation", "SYT")  # agency.family defaults to state
    assert add_incoming(agency)["number"] == 1
    return {"bare": bare, "agency": agency}


# ------------------------------------------------------------------------------------------ the tests


def test_version_names_the_app(tmp_path: Path) -> None:
    result = cli(tmp_path / "v.sqlite3", "--version")
    assert "Sổ Văn Thư" in result.stdout


def test_spec_session_state_agency(tmp_path: Path) -> None:
    """The session of the spec, from an empty file to outgoing 02/QĐ-SYT."""
    db = tmp_path / "register.sqlite3"
    result = cli(db, "init")
    assert "sẵn sàng" in result.stdout
    cli(db, "settings", "set", "agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    cli(db, "settings", "set", "agency.abbreviation", "SYT")
    cli(db, "settings", "set", "agency.parent", "UBND TỈNH TÂY NINH")
    cli(db, "settings", "set", "agency.family", "state")
    settings = cli_json(db, "settings", "list")
    assert settings["agency.name"] == "SỞ Y TẾ TỈNH TÂY NINH"
    assert settings["agency.abbreviation"] == "SYT"
    assert settings["agency.parent"] == "UBND TỈNH TÂY NINH"
    assert settings["agency.family"] == "state"

    first = add_incoming(db, issuer="SỞ Y TẾ", reference="3646/SYT-VP", issued_on="24/10/2023",
                         type="Công văn", subject=SUBJECT_1, received_on="24/10/2023")
    assert first["number"] == 1
    assert first["reference"] == "3646/SYT-VP"
    assert first["issuer"] == "SỞ Y TẾ"
    assert first["subject"] == SUBJECT_1
    assert first["doc_type"] == "Công văn"
    assert first["issued_on"] == "2023-10-24" and first["received_on"] == "2023-10-24"
    assert first["direction"] == "incoming" and first["year"] == 2023 and first["cancelled"] is False

    second = add_incoming(db, issuer="UBND TỈNH TÂY NINH", reference="512/UBND-KGVX", issued_on="23/10/2023",
                          type="Công văn", subject=SUBJECT_2, received_on="24/10/2023")
    assert second["number"] == 2
    assert second["id"] != first["id"]

    listed = cli_json(db, "incoming", "list", "--year", "2023")
    assert [(d["number"], d["reference"], d["issuer"]) for d in listed] == [
        (1, "3646/SYT-VP", "SỞ Y TẾ"), (2, "512/UBND-KGVX", "UBND TỈNH TÂY NINH")]

    shown = cli_json(db, "incoming", "show", "1", "--year", "2023")
    assert shown["id"] == first["id"]
    assert (shown["number"], shown["reference"], shown["issuer"], shown["subject"]) == (
        1, "3646/SYT-VP", "SỞ Y TẾ", SUBJECT_1)

    letter = add_outgoing(db, type="Công văn", unit="VP", subject="V/v tăng cường phòng, chống sốt xuất huyết",
                          signer="Trương Văn Hùng", signed_on="25/10/2023")
    assert letter["reference"] == "01/SYT-VP"
    assert letter["number"] == 1
    assert letter["signer"] == "Trương Văn Hùng"
    assert letter["drafting_unit"] == "VP"
    assert letter["issued_on"] == "2023-10-25"
    decision = add_outgoing(db, type="Quyết định", subject="Về việc thành lập Tổ công tác",
                            signed_on="26/10/2023")
    assert decision["reference"] == "02/QĐ-SYT"  # one sequence for every type in a state agency
    assert decision["number"] == 2

    # Read back with sqlite3: exactly what the CLI said, diacritics byte-for-byte (NFC).
    rows = query(db, "SELECT d.direction, d.number, d.reference, o.name FROM documents d "
                     "LEFT JOIN organizations o ON o.id = d.issuer_id ORDER BY d.id")
    assert rows == [("incoming", 1, "3646/SYT-VP", "SỞ Y TẾ"), ("incoming", 2, "512/UBND-KGVX", "UBND TỈNH TÂY NINH"),
                    ("outgoing", 1, "01/SYT-VP", None), ("outgoing", 2, "02/QĐ-SYT", None)]
    assert unicodedata.is_normalized("NFC", rows[0][3])
    stored = dict(query(db, "SELECT key, value FROM settings"))
    assert stored["agency.name"] == "SỞ Y TẾ TỈNH TÂY NINH"


def test_party_agency_numbers_each_type_separately(tmp_path: Path) -> None:
    db = tmp_path / "party.sqlite3"
    cli(db, "settings", "set", "agency.abbreviation", "TU")
    cli(db, "settings", "set", "agency.family", "party")
    first_letter = add_outgoing(db, type="Công văn", signed_on="02/10/2023")
    plan = add_outgoing(db, type="Kế hoạch", subject="Kế hoạch tổ chức hội nghị", signed_on="03/10/2023")
    second_letter = add_outgoing(db, type="Công văn", subject="V/v chuẩn bị hội nghị", signed_on="04/10/2023")
    assert (first_letter["reference"], first_letter["number"]) == ("01-CV/TU", 1)
    assert (plan["reference"], plan["number"]) == ("01-KH/TU", 1)
    assert (second_letter["reference"], second_letter["number"]) == ("02-CV/TU", 2)
    assert query(db, "SELECT reference FROM documents ORDER BY id") == [("01-CV/TU",), ("01-KH/TU",), ("02-CV/TU",)]
    # Số 1 of 2023 is both 01-CV/TU and 01-KH/TU: the CLI asks for the ID, and --id reaches each entry.
    ambiguous = cli(db, "outgoing", "show", "1", "--year", "2023", expect=EXIT_BAD_INPUT)
    assert_refused(ambiguous, "01-CV/TU", "01-KH/TU", "mã văn bản (ID)")
    shown = cli_json(db, "outgoing", "show", "--id", str(plan["id"]))
    assert shown["reference"] == "01-KH/TU"
    cancelled = cli_json(db, "outgoing", "cancel", "--id", str(plan["id"]), "--reason", "Ký nhầm")
    assert cancelled["cancelled"] is True and cancelled["reference"] == "01-KH/TU"


def test_cancel_keeps_the_number(tmp_path: Path) -> None:
    db = tmp_path / "cancel.sqlite3"
    first = add_incoming(db)
    assert first["number"] == 1
    cli(db, "incoming", "cancel", "1", "--year", "2023", "--reason", "Vào sổ nhầm ngày đến")

    shown = cli_json(db, "incoming", "show", "1", "--year", "2023")
    assert shown["id"] == first["id"] and shown["number"] == 1
    assert shown["cancelled"] is True
    assert shown["cancel_reason"] == "Vào sổ nhầm ngày đến"

    # The same document registered again (a cancelled entry is no duplicate) takes the next number, not 1.
    again = add_incoming(db, received_on="25/10/2023")
    assert again["number"] == 2
    assert again["cancelled"] is False

    before = snapshot(db)
    refused = cli(db, "incoming", "cancel", "1", "--year", "2023", "--reason", "Lần nữa", expect=EXIT_BAD_INPUT)
    assert_refused(refused, "Lý do hủy", "đã bị hủy")
    assert snapshot(db) == before
    assert query(db, "SELECT number, cancelled_at IS NOT NULL, cancel_reason FROM documents ORDER BY id") == [
        (1, 1, "Vào sổ nhầm ngày đến"), (2, 0, None)]


BAD_INPUTS = [
    pytest.param("agency", incoming_args(issued_on="31/02/2024", received_on="01/03/2024"),
                 ("Ngày văn bản", "31/02/2024"), id="impossible-date"),
    pytest.param("agency", incoming_args(reference="100/SYT-KHTC", issued_on="26/10/2023", received_on="25/10/2023"),
                 ("Ngày văn bản", "sau ngày đến"), id="issued-after-received"),
    pytest.param("agency", incoming_args(reference="101/SYT-KHTC", received_on="01/01/2099"),
                 ("Ngày đến", "tương lai"), id="received-in-future"),
    pytest.param("agency", incoming_args(reference="102/SYT-KHTC", urgency="rất khẩn"),
                 ("Độ khẩn", "rất khẩn"), id="unknown-urgency"),
    pytest.param("agency", incoming_args(reference="103/SYT-KHTC", subject="a" * 2001),
                 ("Trích yếu", "2001", "2000"), id="overlong-subject"),
    pytest.param("agency", incoming_args(reference="104/SYT-KHTC", issuer=None),
                 ("--issuer",), id="missing-required-option"),
    pytest.param("agency", incoming_args(reference="105/SYT-KHTC", pages="mười"),
                 ("Số trang", "mười"), id="non-integer-pages"),
    pytest.param("agency", ["settings", "set", "agency.family", "federal"],
                 ("Khối (Nhà nước/Đảng)", "federal"), id="bad-agency-family"),
    pytest.param("agency", ["settings", "set", "agency.phone", "0276 3822 000"],
                 ("Khóa cài đặt", "agency.phone"), id="unknown-settings-key"),
    pytest.param("bare", outgoing_args(unit="VP"),
                 ("Chữ viết tắt tên cơ quan",), id="outgoing-without-agency-abbreviation"),
    pytest.param("agency", outgoing_args(unit=None),
                 ("Đơn vị soạn thảo",), id="state-cong-van-without-unit"),
]


@pytest.mark.parametrize(("template", "args", "expected"), BAD_INPUTS)
def test_bad_input_exits_2_names_the_field_and_writes_nothing(
        templates: dict[str, Path], tmp_path: Path, template: str, args: list[str], expected: tuple[str, ...]) -> None:
    db = copy_db(templates[template], tmp_path / "register.sqlite3")
    before = snapshot(db)
    documents = count_documents(db)
    result = cli(db, *args, expect=EXIT_BAD_INPUT)
    assert_refused(result, *expected)
    assert count_documents(db) == documents
    assert snapshot(db) == before  # not a document, an issuer, a book, a counter, a setting or an audit line


def test_refused_inputs_leave_no_audit_event_and_burn_no_number(templates: dict[str, Path], tmp_path: Path) -> None:
    db = copy_db(templates["agency"], tmp_path / "register.sqlite3")
    template_events = {row[0] for row in query(db, "SELECT id FROM audit_events")}
    cli(db, *incoming_args(reference="200/SYT-VP", issued_on="31/02/2024", received_on="01/03/2024"),
        expect=EXIT_BAD_INPUT)
    cli(db, *outgoing_args(unit=None), expect=EXIT_BAD_INPUT)
    events = cli_json(db, "audit", "--limit", "1000")
    assert {e["id"] for e in events} == template_events
    assert [e["entity_id"] for e in events if e["entity"] == "document"] == [1]  # the template's own entry
    # Neither refusal took a number.
    assert add_incoming(db, reference="201/SYT-VP", received_on="25/10/2023")["number"] == 2


def test_duplicate_is_refused_with_exit_3_unless_allowed(tmp_path: Path) -> None:
    db = tmp_path / "dup.sqlite3"
    original = add_incoming(db)
    assert original["number"] == 1
    before = snapshot(db)

    same_case_changed = cli(db, *incoming_args(issuer="Sở Y tế", received_on="25/10/2023"), expect=EXIT_DUPLICATE)
    assert "Trùng văn bản" in same_case_changed.stderr
    assert "3646/SYT-VP" in same_case_changed.stderr and "số đến 1" in same_case_changed.stderr
    assert "--allow-duplicate" in same_case_changed.stderr
    assert same_case_changed.stdout == ""
    assert snapshot(db) == before

    # Decomposed marks (as pasted from a PDF), different case, and a lower-case reference: still the same document.
    decomposed = unicodedata.normalize("NFD", "Sở Y Tế")
    assert decomposed != "Sở Y Tế"
    other_form = cli(db, *incoming_args(issuer=decomposed, reference="3646/syt-vp", received_on="25/10/2023"),
                     expect=EXIT_DUPLICATE)
    assert "Trùng văn bản" in other_form.stderr
    assert snapshot(db) == before

    allowed = add_incoming(db, "--allow-duplicate", issuer="Sở Y tế", received_on="25/10/2023")
    assert allowed["number"] == 2
    assert allowed["issuer"] == "SỞ Y TẾ"  # one issuer in the directory, spelled as first registered
    assert count_documents(db) == 2
    assert query(db, "SELECT COUNT(*) FROM organizations") == [(1,)]


@pytest.mark.parametrize("typed", ["24/10/2023", "24/10/23", "24-10-2023", "2023-10-24"])
def test_issued_on_formats(tmp_path: Path, typed: str) -> None:
    db = tmp_path / "dates.sqlite3"
    doc = add_incoming(db, issued_on=typed, received_on="25/10/2023")
    assert doc["issued_on"] == "2023-10-24"
    assert query(db, "SELECT issued_on FROM documents") == [("2023-10-24",)]


def test_month_first_date_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "dates.sqlite3"
    result = cli(db, *incoming_args(issued_on="10/24/2023", received_on="25/10/2023"), expect=EXIT_BAD_INPUT)
    assert_refused(result, "Ngày văn bản", "10/24/2023")
    assert count_documents(db) == 0


def test_numbering_restarts_on_1_january(tmp_path: Path) -> None:
    db = tmp_path / "rollover.sqlite3"
    dec_30 = add_incoming(db, reference="10/SYT-VP", issued_on="29/12/2023", received_on="30/12/2023")
    dec_31 = add_incoming(db, reference="11/SYT-VP", issued_on="29/12/2023", received_on="31/12/2023")
    jan_1 = add_incoming(db, reference="12/SYT-VP", issued_on="29/12/2023", received_on="01/01/2024")
    assert (dec_30["number"], dec_30["year"]) == (1, 2023)
    assert (dec_31["number"], dec_31["year"]) == (2, 2023)
    assert (jan_1["number"], jan_1["year"], jan_1["period"]) == (1, 2024, "2024")
    assert query(db, "SELECT reference, year, number FROM documents ORDER BY id") == [
        ("10/SYT-VP", 2023, 1), ("11/SYT-VP", 2023, 2), ("12/SYT-VP", 2024, 1)]


def test_link_to_a_reference_not_yet_registered_resolves_on_registration(tmp_path: Path) -> None:
    db = tmp_path / "links.sqlite3"
    citing = add_incoming(db, reference="3700/SYT-VP", issued_on="10/10/2023", received_on="11/10/2023")

    pending = cli_json(db, "link", str(citing["id"]), "--cites", "1737-TB/VPTU", "--on", "22/09/2023")
    assert pending["source_id"] == citing["id"]
    assert pending["link_type"] == "cites"
    assert pending["target_reference"] == "1737-TB/VPTU"
    assert pending["target_issued_on"] == "2023-09-22"
    assert pending["target_id"] is None and pending["resolved"] is False

    cited = add_incoming(db, issuer="VĂN PHÒNG TỈNH ỦY", reference="1737-TB/VPTU", issued_on="22/09/2023",
                         type="Thông báo", subject="Kết luận của Thường trực Tỉnh ủy", received_on="12/10/2023")
    assert cited["number"] == 2

    shown = cli_json(db, "incoming", "show", "1", "--year", "2023")
    assert shown["id"] == citing["id"]
    assert [(link["link_type"], link["source_id"], link["target_id"], link["resolved"]) for link in shown["links"]] == [
        ("cites", citing["id"], cited["id"], True)]
    assert query(db, "SELECT source_id, target_id FROM document_links") == [(citing["id"], cited["id"])]
    assert query(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'resolve_link'") == [(1,)]

    before = snapshot(db)
    missing_source = cli(db, "link", "99", "--cites", str(cited["id"]), expect=EXIT_BAD_INPUT)
    assert_refused(missing_source, "99")
    missing_target = cli(db, "link", str(citing["id"]), "--replies-to", "42", expect=EXIT_BAD_INPUT)
    assert_refused(missing_target, "42")
    assert snapshot(db) == before


def test_edit_subject_is_audited(tmp_path: Path) -> None:
    db = tmp_path / "edit.sqlite3"
    doc = add_incoming(db)
    new_subject = "V/v triển khai tiêm vắc xin phòng COVID-19 (đính chính trích yếu)"
    edited = cli_json(db, "incoming", "edit", "1", "--year", "2023", "--subject", new_subject)
    assert (edited["id"], edited["number"], edited["subject"]) == (doc["id"], 1, new_subject)
    assert query(db, "SELECT subject FROM documents") == [(new_subject,)]

    events = cli_json(db, "audit", "--document", str(doc["id"]))
    assert {e["entity"] for e in events} == {"document"} and {e["entity_id"] for e in events} == {doc["id"]}
    edits = [e for e in events if e["action"] == "edit"]
    assert len(edits) == 1
    assert edits[0]["before"] == {"subject": SUBJECT_1}
    assert edits[0]["after"] == {"subject": new_subject}
    assert "create" in {e["action"] for e in events}


def test_pending_link_naming_an_issuer_resolves_only_to_that_issuer(tmp_path: Path) -> None:
    db = tmp_path / "links.sqlite3"
    citing = add_incoming(db, reference="3700/SYT-VP", issued_on="10/10/2023", received_on="11/10/2023")
    pending = cli_json(db, "link", str(citing["id"]), "--cites", "15/QĐ-UBND", "--on", "01/10/2023",
                       "--issuer", "UBND TỈNH TÂY NINH")
    assert pending["resolved"] is False and pending["target_issuer"] == "UBND TỈNH TÂY NINH"
    # Every UBND numbers its own decisions: the district's 15/QĐ-UBND of the same day is another document.
    district = add_incoming(db, issuer="UBND HUYỆN CHÂU THÀNH", reference="15/QĐ-UBND", issued_on="01/10/2023",
                            type="Quyết định", subject="Quyết định của huyện", received_on="12/10/2023")
    province = add_incoming(db, issuer="UBND tỉnh Tây Ninh", reference="15/QĐ-UBND", issued_on="01/10/2023",
                            type="Quyết định", subject="Quyết định của tỉnh", received_on="12/10/2023")
    assert district["id"] != province["id"]
    shown = cli_json(db, "incoming", "show", "1", "--year", "2023")
    assert [(link["target_id"], link["resolved"]) for link in shown["links"]] == [(province["id"], True)]


def test_copies_have_their_own_register_in_the_cli(templates: dict[str, Path], tmp_path: Path) -> None:
    db = copy_db(templates["agency"], tmp_path / "copies.sqlite3")
    copy = add_outgoing(db, type="Bản sao y", subject="Sao y Quyết định 15/QĐ-BYT", signed_on="26/10/2023")
    assert copy["reference"] == "01/SY-SYT" and copy["direction"] == "copy"
    assert [d["reference"] for d in cli_json(db, "copy", "list", "--year", "2023")] == ["01/SY-SYT"]
    assert cli_json(db, "outgoing", "list", "--year", "2023") == []
    assert cli_json(db, "copy", "show", "1", "--year", "2023")["id"] == copy["id"]
    wrong_book = cli(db, "incoming", "show", "--id", str(copy["id"]), expect=EXIT_BAD_INPUT)
    assert_refused(wrong_book, "không thuộc sổ văn bản đến")


def test_refusals_instead_of_tracebacks(templates: dict[str, Path], tmp_path: Path) -> None:
    db = copy_db(templates["agency"], tmp_path / "edges.sqlite3")
    before = snapshot(db)
    assert_refused(cli(db, *incoming_args(reference="99999999999999999999/UBND"), expect=EXIT_BAD_INPUT),
                   "Số, ký hiệu", "quá lớn")
    assert_refused(cli(db, "incoming", "list", "--limit", "-1", expect=EXIT_BAD_INPUT), "phải lớn hơn 0")
    assert snapshot(db) == before
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    unopenable = run_cli("init", db=blocker / "x.sqlite3")
    assert unopenable.returncode == EXIT_BAD_INPUT
    assert_refused(unopenable, "Không mở được cơ sở dữ liệu")
