"""route, handover, overdue and holiday as a clerk types them, on a real SQLite file in a subprocess."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from tests.cli.test_cli import EXIT_BAD_INPUT, add_incoming, add_outgoing, cli, cli_json


def setup_register(db: Path) -> int:
    cli(db, "settings", "set", "agency.abbreviation", "SYT")
    for name, code in (("Phòng Nghiệp vụ", "NV"), ("Phòng Kế hoạch", "KH"), ("Văn phòng", "VP")):
        cli(db, "department", "add", name, "--code", code)
    return add_incoming(db, reference="21/UBND-TH", issued_on="27/04/2026", received_on="29/04/2026")["number"]


def table_rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


def test_route_handover_and_overdue_from_the_command_line(db_path: Path) -> None:
    number = setup_register(db_path)
    step = cli_json(db_path, "route", str(number), "--year", "2026", "--lead", "Phòng Nghiệp vụ",
                    "--support", "Phòng Kế hoạch=06/05/2026;VP", "--directive", "NV chủ trì, báo cáo trước 15/5",
                    "--directed-by", "Giám đốc", "--on", "29/04/2026")
    assert step["step"] == 1
    assert [(a["unit"], a["role"], a["deadline"]) for a in step["assignments"]] == [
        ("Phòng Nghiệp vụ", "lead", "2026-05-15"),  # 10 working days, skipping 30/4, 1/5 and the weekends
        ("Phòng Kế hoạch", "support", "2026-05-06"), ("Văn phòng", "support", "2026-05-15")]
    shown = cli_json(db_path, "incoming", "show", str(number), "--year", "2026")
    assert (shown["status"], shown["recipient_text"], shown["due_on"], shown["directive"]) == (
        "cho_xu_ly", "Phòng Nghiệp vụ", "2026-05-15", "NV chủ trì, báo cáo trước 15/5")

    text = cli(db_path, "handover", str(number), "--year", "2026", "--unit", "NV", "--signed-by", "Nguyễn Văn A",
               "--at", "04/05/2026 08:30").stdout
    assert "Nguyễn Văn A" in text and "08:30 04/05/2026" in text
    assert table_rows(db_path, "SELECT signed_by, received_at, status FROM routing_assignments WHERE role = 'lead'") \
        == [("Nguyễn Văn A", "2026-05-04 08:30:00.000000", "dang_xu_ly")]

    late = cli_json(db_path, "overdue", "--on", "08/05/2026")
    assert [(i["unit"], i["overdue"], i["days_late"]) for i in late] == [("Phòng Kế hoạch", True, 2)]
    text = cli(db_path, "overdue", "--on", "14/05/2026").stdout
    assert "QUÁ HẠN" in text and "SẮP ĐẾN HẠN" in text and "Phòng Nghiệp vụ" in text

    # Routing again adds step 2; step 1 stays in the table.
    cli(db_path, "route", str(number), "--year", "2026", "--lead", "VP", "--deadline", "20/05/2026",
        "--on", "05/05/2026")
    assert table_rows(db_path, "SELECT step FROM routings ORDER BY step") == [(1,), (2,)]
    assert len(table_rows(db_path, "SELECT id FROM routing_assignments")) == 4

    # The outgoing reply closes the item.
    reply = add_outgoing(db_path, unit="VP", signed_on="12/05/2026")
    cli(db_path, "link", str(reply["id"]), "--replies-to", str(shown["id"]))
    assert cli_json(db_path, "incoming", "show", str(number), "--year", "2026")["status"] == "da_tra_loi"
    assert cli_json(db_path, "overdue", "--on", "01/06/2026") == []


def test_bad_routing_input_exits_2_and_writes_nothing(db_path: Path) -> None:
    number = setup_register(db_path)
    before = table_rows(db_path, "SELECT count(*) FROM audit_events")
    for args, message in (
            (["route", str(number), "--year", "2026", "--lead", "Phòng Ma"], "Phòng Ma"),
            (["route", "99", "--year", "2026", "--lead", "NV"], "99"),
            (["route", str(number), "--year", "2026", "--lead", "NV", "--deadline", "31/02/2026"], "ngày có thật"),
            (["route", str(number), "--year", "2026", "--lead", "NV", "--support", "VP=hôm qua"], "Thời hạn"),
            (["handover", str(number), "--year", "2026", "--unit", "NV", "--signed-by", "A"], "chưa được chuyển"),
            (["holiday", "remove", "03/03/2026"], "không có trong bảng"),
            (["holiday", "add", "1/1/2026", "Trùng"], "đã có"),
            (["overdue", "--on", "hôm nay"], "không đúng dạng ngày")):
        result = cli(db_path, *args, expect=EXIT_BAD_INPUT)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert table_rows(db_path, "SELECT count(*) FROM routings") == [(0,)]
    assert table_rows(db_path, "SELECT count(*) FROM audit_events") == before


def test_holiday_list_add_remove(db_path: Path) -> None:
    listed = cli_json(db_path, "holiday", "list", "--year", "2027")
    assert {"day": "2027-02-06", "name": "Tết Nguyên đán (mùng 1)"} in [
        {k: h[k] for k in ("day", "name")} for h in listed]
    added = cli_json(db_path, "holiday", "add", "02/01/2026", "Nghỉ bù Tết Dương lịch")
    assert added["day"] == "2026-01-02"
    assert "02/01/2026  Nghỉ bù Tết Dương lịch" in cli(db_path, "holiday", "list", "--year", "2026").stdout
    assert "Đã bỏ ngày nghỉ 02/01/2026" in cli(db_path, "holiday", "remove", "2026-01-02").stdout


def test_unit_progress_handover_list_and_follow_up_book(db_path: Path, tmp_path: Path) -> None:
    from tests.printing.pdf_read import page_texts

    cli(db_path, "settings", "set", "agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    number = setup_register(db_path)
    other = add_incoming(db_path, reference="22/UBND-TH", issued_on="27/04/2026", received_on="29/04/2026")["number"]
    for n in (number, other):
        cli(db_path, "route", str(n), "--year", "2026", "--lead", "NV", "--support", "VP", "--on", "29/04/2026",
            "--deadline", "08/05/2026")
    # The handover list: what NV has not signed for yet, oldest first; once signed, it leaves the list.
    sheet = tmp_path / "chuyen-giao.pdf"
    assert "Phòng Nghiệp vụ: 2 văn bản" in cli(db_path, "print", "handover", "--unit", "nv", "-o", str(sheet)).stdout
    text = " ".join(page_texts(sheet))
    assert "SỔ CHUYỂN GIAO VĂN BẢN ĐẾN" in text and "21/UBND-TH" in text and "22/UBND-TH" in text
    cli(db_path, "handover", str(number), "--year", "2026", "--unit", "NV", "--signed-by", "Nguyễn Văn A")
    cli(db_path, "handover", str(other), "--year", "2026", "--unit", "NV", "--signed-by", "Nguyễn Văn A")
    refused = cli(db_path, "print", "handover", "--unit", "NV", "-o", str(tmp_path / "none.pdf"),
                  expect=EXIT_BAD_INPUT)
    assert "không có văn bản nào đang chờ 'Phòng Nghiệp vụ' ký nhận" in refused.stderr
    assert not (tmp_path / "none.pdf").exists()

    # Unit progress: typed without marks; a closed unit gets its time; the entry follows its lead.
    done = cli_json(db_path, "status", str(number), "--year", "2026", "--unit", "VP", "--set", "da xu ly",
                    "--at", "07/05/2026 16:00")
    assert (done["status"], done["done_at"]) == ("da_xu_ly", "2026-05-07T16:00:00")
    cli(db_path, "status", str(number), "--year", "2026", "--unit", "NV", "--set", "Đã xử lý",
        "--at", "11/05/2026 10:00")
    assert cli_json(db_path, "incoming", "show", str(number), "--year", "2026")["status"] == "da_xu_ly"
    bad = cli(db_path, "status", str(number), "--year", "2026", "--unit", "VP", "--set", "xong",
              expect=EXIT_BAD_INPUT)
    assert "Trạng thái: 'xong' không dùng được" in bad.stderr
    bad = cli(db_path, "status", str(number), "--year", "2026", "--unit", "KH", "--set", "đã xử lý",
              expect=EXIT_BAD_INPUT)
    assert "'Phòng Kế hoạch' không có trong lần chuyển hiện tại" in bad.stderr
    # A routed entry follows its lead; once the lead has finished it can be filed.
    bad = cli(db_path, "status", str(other), "--year", "2026", "--set", "luu ho so", expect=EXIT_BAD_INPUT)
    assert "chỉ lưu hồ sơ được khi đơn vị chủ trì đã xong" in bad.stderr
    filed = cli_json(db_path, "status", str(number), "--year", "2026", "--set", "luu ho so")
    assert filed["status"] == "luu_ho_so"
    unrouted = add_incoming(db_path, reference="23/UBND-TH", issued_on="27/04/2026", received_on="29/04/2026")
    cli(db_path, "status", str(unrouted["number"]), "--year", "2026", "--set", "Lưu hồ sơ")
    assert cli_json(db_path, "incoming", "show", str(unrouted["number"]), "--year", "2026")["status"] == "luu_ho_so"

    # The Sổ theo dõi giải quyết shows each unit and its progress: on time, late, or still open and late.
    book = tmp_path / "theo-doi.pdf"
    cli(db_path, "print", "register", "--book", "follow-up", "--year", "2026", "-o", str(book))
    text = " ".join(" ".join(page_texts(book)).split())
    assert "Phòng Nghiệp vụ (chủ trì); Văn phòng (phối hợp)" in text
    assert "Văn phòng: Đã xử lý 07/05/2026, đúng hạn" in text
    assert "Phòng Nghiệp vụ: Đã xử lý 11/05/2026, trễ hạn" in text
    assert "Phòng Nghiệp vụ: Đang xử lý, quá hạn" in text  # the other one, as of today


def test_an_outgoing_reply_registered_with_replies_to_closes_the_incoming_item(db_path: Path) -> None:
    number = setup_register(db_path)
    cli(db_path, "route", str(number), "--year", "2026", "--lead", "NV", "--support", "VP", "--on", "29/04/2026")
    bad = cli(db_path, "outgoing", "add", "--type", "Công văn", "--unit", "NV", "--subject", "Trả lời",
              "--signer", "Nguyễn Văn An", "--signed-on", "05/05/2026", "--replies-to", "99; abc",
              expect=EXIT_BAD_INPUT)
    assert "Trả lời văn bản đến số: không có văn bản đến số 99 năm 2026." in bad.stderr
    assert "'abc' không phải là số đến" in bad.stderr
    assert table_rows(db_path, "SELECT count(*) FROM documents WHERE direction = 'outgoing'") == [(0,)]
    reply = cli_json(db_path, "outgoing", "add", "--type", "Công văn", "--unit", "NV", "--subject", "Trả lời",
                     "--signer", "Nguyễn Văn An", "--signed-on", "05/05/2026", "--replies-to", f"{number}/2026")
    assert [(link["link_type"], link["target_id"]) for link in reply["links"]] == [("replies_to", 1)]
    shown = cli_json(db_path, "incoming", "show", str(number), "--year", "2026")
    assert shown["status"] == "da_tra_loi"
    assert table_rows(db_path, "SELECT DISTINCT status FROM routing_assignments") == [("da_tra_loi",)]


def test_route_correct_keeps_what_is_not_given_and_the_old_version(db_path: Path) -> None:
    number = setup_register(db_path)
    cli(db_path, "route", str(number), "--year", "2026", "--lead", "NV", "--support", "VP",
        "--deadline", "15/05/2026", "--directive", "NV chủ trì", "--on", "29/04/2026")
    cli(db_path, "handover", str(number), "--year", "2026", "--unit", "VP", "--signed-by", "Lê Thị D",
        "--at", "29/04/2026 09:00")
    # Typed without marks, as units may be; the directive and the day stay as they were.
    fixed = cli_json(db_path, "route-correct", str(number), "--year", "2026", "--lead", "phong ke hoach",
                     "--deadline", "20/05/2026")
    assert (fixed["step"], fixed["version"], fixed["directive"], fixed["directed_at"]) == (
        1, 2, "NV chủ trì", "2026-04-29")
    assert [(a["unit"], a["role"], a["deadline"], a["signed_by"]) for a in fixed["assignments"]] == [
        ("Phòng Kế hoạch", "lead", "2026-05-20", None), ("Văn phòng", "support", "2026-05-20", "Lê Thị D")]
    assert table_rows(db_path, "SELECT step, version FROM routings ORDER BY id") == [(1, 1), (1, 2)]
    text = cli(db_path, "route-correct", str(number), "--year", "2026", "--support", "").stdout
    assert "Đã sửa lần chuyển 1" in text and "Văn phòng" not in text
    refused = cli(db_path, "route-correct", str(number), "--year", "2026", "--step", "2", expect=EXIT_BAD_INPUT)
    assert "Lần chuyển" in refused.stderr and "lần 2 không có" in refused.stderr
    assert "sửa lần chuyển hiện tại" in cli(db_path, "route-correct", "--help").stdout
