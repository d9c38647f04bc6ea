"""`backup -o FILE`, `backup --list` and `restore FILE [--yes]` in a real subprocess."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import run_cli


def documents(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "register.sqlite3"
    assert run_cli("demo-data", "--count", "6", "--year", "2024", db=db).returncode == 0
    archive = tmp_path / "usb" / "sovanthu.vanthu"

    done = run_cli("backup", "-o", str(archive), db=db)
    assert done.returncode == 0, done.stderr
    assert f"Đã sao lưu 6 văn bản, 0 tệp đính kèm → {archive}" in done.stdout
    as_json = run_cli("backup", "-o", str(tmp_path / "b.vanthu"), "--json", db=db)
    assert json.loads(as_json.stdout)["documents"] == 6

    assert run_cli("demo-data", "--count", "4", "--year", "2025", "--force", db=db).returncode == 0
    assert documents(db) == 10

    refused = run_cli("restore", str(archive), db=db, stdin="")  # not a TTY and no --yes
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert documents(db) == 10 and not (tmp_path / "backups").exists()

    restored = run_cli("restore", str(archive), "--yes", db=db)
    assert restored.returncode == 0, restored.stderr
    assert "Đã phục hồi 6 văn bản" in restored.stdout and "truoc-phuc-hoi-" in restored.stdout
    assert documents(db) == 6
    listed = json.loads(run_cli("backup", "--list", "--json", db=db).stdout)
    assert [b["documents"] for b in listed] == [10]  # the register that was replaced
    assert "10 văn bản" in run_cli("backup", "--list", db=db).stdout
    assert run_cli("init", db=db).returncode == 0  # the restored register opens and is current


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "register.sqlite3"
    assert run_cli("init", db=db).returncode == 0
    text = tmp_path / "notes.vanthu"
    text.write_text("không phải bản sao lưu", encoding="utf-8")
    for args, message in ((("restore", str(text), "--yes"), "không phải là bản sao lưu"),
                          (("restore", str(tmp_path / "missing.vanthu"), "--yes"), "không tìm thấy tệp"),
                          (("backup", "-o", str(db)), "chính tệp cơ sở dữ liệu"),
                          (("backup",), "-o/--output --list")):
        result = run_cli(*args, db=db)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.vanthu", "register.sqlite3"]
    missing = run_cli("backup", "-o", str(tmp_path / "x.vanthu"), db=tmp_path / "nothing.sqlite3")
    assert missing.returncode == 2 and "không có sổ đăng ký" in missing.stderr
    assert not (tmp_path / "x.vanthu").exists()
