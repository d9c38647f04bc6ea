"""A damaged register's refusal says what the newest backup beside it would lose, never just "restore"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.core.errors import VanThuError
from app.core.records import IncomingInput
from app.services import Registry


def incoming(i: int) -> IncomingInput:
    return IncomingInput(issuer="SỞ Y TẾ", reference=f"{i}/SYT-VP", issued_on="05/03/2024", received_on="05/03/2024",
                         doc_type="Công văn", subject="Trích yếu dài về tiêm chủng mở rộng " * 12)


def register(path: Path, first: int, count: int, back_up: bool = False) -> str | None:
    registry = Registry(str(path), actor="van_thu_test")
    try:
        for i in range(first, first + count):
            registry.documents.register_incoming(incoming(i))
        return registry.backups.auto() if back_up else None
    finally:
        registry.close()


def refusal(path: Path) -> str:
    with pytest.raises(VanThuError) as refused:
        Registry(str(path), actor="van_thu_test")
    return str(refused.value)


def test_a_readable_damaged_register_is_told_how_much_the_backup_lacks(tmp_path: Path) -> None:
    path = tmp_path / "so.sqlite3"
    assert register(path, 1, 6, back_up=True) is not None  # today's automatic copy: 6 documents
    register(path, 7, 4)
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM alembic_version")  # damage the open can see, while every row stays readable
        last_event = conn.execute("SELECT max(id) FROM audit_events").fetchone()[0]
    message = refusal(path)
    assert "thiếu thông tin phiên bản lược đồ" in message and "chép tệp này" in message
    assert "Bản sao lưu mới nhất là auto-" in message and ": 6 văn bản" in message, message
    assert "Khôi phục nó sẽ mất 4 văn bản và " in message, message
    assert f"tệp hỏng còn đọc được đến mục #{last_event}" in message, message


def test_a_cut_register_names_the_backup_even_when_it_cannot_be_counted(tmp_path: Path) -> None:
    whole = tmp_path / "so.sqlite3"
    register(whole, 1, 30, back_up=True)
    register(whole, 31, 30)
    data = whole.read_bytes()
    whole.write_bytes(data[: len(data) // 3])
    message = refusal(whole)
    assert "bị cắt cụt" in message and "Bản sao lưu mới nhất là auto-" in message and ": 30 văn bản" in message
    assert "sẽ mất" in message or "Không đọc được tệp hỏng" in message, message


def test_without_a_backup_the_refusal_says_there_is_none(tmp_path: Path) -> None:
    path = tmp_path / "so.sqlite3"
    register(path, 1, 2)
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM alembic_version")
    assert "Không có bản sao lưu nào trong thư mục backups" in refusal(path)
