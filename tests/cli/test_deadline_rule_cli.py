"""`deadline-rule list|set|remove` as a clerk types it, on a real SQLite file in a subprocess."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import EXIT_BAD_INPUT, cli, cli_json, query


def test_set_list_and_remove_a_rule(db_path: Path) -> None:
    text = cli(db_path, "deadline-rule", "set", "--type", "Công văn", "--urgency", "khan", "--days", "3").stdout
    assert "Đã đặt quy định thời hạn Công văn, Khẩn: 3 ngày làm việc" in text
    assert "Thời hạn đã giao không thay đổi" in text
    cli(db_path, "deadline-rule", "set", "--type", "cong van", "--urgency", "Khẩn", "--days", "4")  # same rule
    cli(db_path, "deadline-rule", "set", "--days", "12")  # the catch-all
    listed = cli(db_path, "deadline-rule", "list").stdout.splitlines()
    assert listed == ["mọi loại, mọi độ khẩn: 12 ngày làm việc", "mọi loại, Khẩn: 1 ngày làm việc",
                      "mọi loại, Thượng khẩn: 0 ngày làm việc", "mọi loại, Hỏa tốc: 0 ngày làm việc",
                      "Công văn, Khẩn: 4 ngày làm việc"]
    removed = cli_json(db_path, "deadline-rule", "remove", "--type", "CÔNG VĂN", "--urgency", "khẩn")
    assert (removed["doc_type"], removed["urgency"], removed["working_days"]) == ("Công văn", "khan", 4)
    assert query(db_path, "SELECT doc_type, urgency, working_days FROM deadline_rules ORDER BY id") == [
        (None, "hoa_toc", 0), (None, "thuong_khan", 0), (None, "khan", 1), (None, None, 12)]
    assert query(db_path, "SELECT action FROM audit_events WHERE entity = 'deadline_rule' ORDER BY id") == [
        ("create",), ("edit",), ("edit",), ("delete",)]


def test_bad_rules_exit_2_and_write_nothing(db_path: Path) -> None:
    cli(db_path, "init")
    before = query(db_path, "SELECT count(*) FROM audit_events"), query(db_path, "SELECT * FROM deadline_rules")
    for args, message in (
            (["set", "--type", "Công văn lạ", "--days", "3"], "không có trong danh mục loại văn bản"),
            (["set", "--urgency", "rất khẩn", "--days", "3"], "không phải độ khẩn"),
            (["set", "--type", "Công văn", "--days", "366"], "từ 0 đến 365"),
            (["remove", "--type", "Báo cáo"], "Không có quy định thời hạn cho Báo cáo, mọi độ khẩn")):
        result = cli(db_path, "deadline-rule", *args, expect=EXIT_BAD_INPUT)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert "--days" in cli(db_path, "deadline-rule", "set", "--type", "Công văn", expect=EXIT_BAD_INPUT).stderr
    assert (query(db_path, "SELECT count(*) FROM audit_events"), query(db_path, "SELECT * FROM deadline_rules")) \
        == before
