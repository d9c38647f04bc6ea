"""The entry's history: audit events worded as the clerk reads them (also for the audit window), and its list."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QGroupBox, QListWidget, QVBoxLayout, QWidget

from app.core.dates import format_date
from app.core.enums import (
    AssignmentRole,
    BookCategory,
    Direction,
    DocumentStatus,
    LabelledEnum,
    LinkType,
    Secrecy,
    Urgency,
)
from app.core.records import AuditRecord, DocumentRecord
from app.core.validation import LABELS
from app.services.attachments import size_text

# Names of the fields the services' LABELS do not name (the pane's own rows and audit-only keys).
EXTRA_LABELS = {
    "number": "Số đến", "book_name": "Sổ đăng ký", "created": "Người vào sổ",
    "recipient_text": "Đơn vị hoặc người nhận", "directive": "Ý kiến chỉ đạo", "due_on": "Thời hạn giải quyết",
    "registered_on": "Ngày vào sổ",
    "status": "Trạng thái", "drafting_unit": "Đơn vị soạn thảo", "cancelled": "Đã hủy",
    "cancel_reason": "Lý do hủy", "reason": "Lý do hủy",
}
# Audit keys that restate another field (ids, parsed parts of the số/ký hiệu): not shown in the history.
HIDDEN_AUDIT_KEYS = {"issuer_id", "doc_number", "notation", "book_id", "period", "year", "reference_key"}
AUDIT_ENUMS: dict[str, type[LabelledEnum]] = {
    "urgency": Urgency, "secrecy": Secrecy, "status": DocumentStatus, "direction": Direction,
    "category": BookCategory, "link_type": LinkType, "role": AssignmentRole,
}
ACTIONS = {
    "create": "Vào sổ", "edit": "Sửa", "cancel": "Hủy văn bản", "link": "Thêm liên kết",
    "resolve_link": "Nối liên kết với văn bản vừa vào sổ", "unlink": "Bỏ liên kết", "attach": "Đính kèm tệp",
    "detach": "Gỡ tệp đính kèm", "route": "Chuyển xử lý",
    "routing_correct": "Sửa lần chuyển", "handover": "Ký nhận", "unit_status": "Cập nhật tiến độ",
    "status": "Đặt trạng thái",
    "answered": "Đã trả lời",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def local_time(value: datetime) -> str:
    """Stored times are naive UTC; the clerk reads local time, DD/MM/YYYY HH:MM."""
    return value.replace(tzinfo=UTC).astimezone().strftime("%d/%m/%Y %H:%M")


def field_label(key: str) -> str:
    return EXTRA_LABELS.get(key) or LABELS.get(key, key)


def audit_value(key: str, value: Any) -> str:
    """An audited value as the clerk would write it: dates DD/MM/YYYY, codes as their Vietnamese labels."""
    if value is None or value == "" or value == []:
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return "; ".join(audit_value(key, v) for v in value)
    if key in AUDIT_ENUMS and isinstance(value, str):
        try:
            return AUDIT_ENUMS[key](value).label
        except ValueError:
            return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return format_date(datetime.fromisoformat(value).date())
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return local_time(datetime.fromisoformat(value))
    return str(value)


def describe_event(event: AuditRecord, labels: dict[int, str]) -> str:
    """One history line: when, who, what; then each changed field, old → new."""
    head = f"{local_time(event.at)} — {event.actor} — {ACTIONS.get(event.action, event.action)}"
    before, after = event.before or {}, event.after or {}

    def target(data: dict[str, Any]) -> str:
        kind = audit_value("link_type", data.get("link_type"))
        target_id = data.get("target_id")
        name = labels.get(target_id) if isinstance(target_id, int) else None
        name = name or data.get("target_label") or data.get("target_reference")
        name = name or (f"văn bản mã {target_id}" if target_id else "?")
        return f"{kind}: {name}"

    if event.action == "create":
        number = after.get("number")
        return f"{head} (số {number})" if number is not None else head
    if event.action == "cancel":
        return f"{head} — lý do: {after.get('reason', '')}"
    if event.action in ("link", "resolve_link"):
        return f"{head}\n    {target(after)}"
    if event.action == "unlink":
        return f"{head}\n    {target(before)}"
    if event.action in ("attach", "detach"):
        data = after or before
        size = data.get("size")
        return f"{head}: {data.get('file_name', '')}" + (f" ({size_text(size)})" if isinstance(size, int) else "")
    if event.action in ("route", "routing_correct", "handover", "unit_status", "answered"):
        return "\n".join([head, *routing_lines(event.action, after)])
    lines = [head]
    for key in [k for k in {**before, **after} if k not in HIDDEN_AUDIT_KEYS]:
        if key == "registered_on" and "received_on" in after:
            continue  # the same date as ngày đến for incoming entries
        old, new = audit_value(key, before.get(key)), audit_value(key, after.get(key))
        lines.append(f"    {field_label(key)}: {old} → {new}")
    return "\n".join(lines)


def _unit_summary(data: dict[str, Any]) -> str:
    text = f"{audit_value('role', data.get('role'))}: {data.get('unit', '')}"
    if data.get("deadline"):
        text += f", hạn {audit_value('deadline', data['deadline'])}"
    text += f", {audit_value('status', data.get('status')).lower()}"
    if data.get("signed_by"):
        text += f", {data['signed_by']} ký nhận {audit_value('received_at', data.get('received_at'))}"
    if data.get("done_at"):
        text += f", xong {audit_value('done_at', data['done_at'])}"
    return text


def routing_lines(action: str, after: dict[str, Any]) -> list[str]:
    """A routing event in the history: the directive and each unit as routed, or the one unit that changed."""
    if action in ("route", "routing_correct"):
        step = after.get("routing") or {}
        lines = [f"    Lần {step.get('step', '?')}" + (f" — {step['directed_by']}" if step.get("directed_by") else "")]
        removed = after.get("removed_units") or []
        if action == "routing_correct" and removed:  # the corrected step, as it now is, follows
            lines.append(f"    Không còn giao: {'; '.join(removed)}")
        if step.get("directive"):
            lines.append(f"    Ý kiến chỉ đạo: {step['directive']}")
        lines += [f"    {_unit_summary(a)}" for a in step.get("assignments", [])]
        return lines
    if action == "answered":
        closed = after.get("closed_units") or []
        return [f"    Văn bản trả lời: {after.get('reply') or ''}"] + (
            [f"    Đơn vị được đóng: {'; '.join(closed)}"] if closed else [])
    return [f"    {_unit_summary(after.get('assignment') or {})}"]


def short_label(r: DocumentRecord) -> str:
    """'3646/SYT-VP ngày 24/10/2023 (SỞ Y TẾ)', as links name the document at their other end."""
    text = r.reference or f"{r.doc_type} số {r.number}"
    if r.issued_on:
        text += f" ngày {format_date(r.issued_on)}"
    return f"{text} ({r.issuer})" if r.issuer else text


class HistoryBox(QGroupBox):
    """The Lịch sử tab: one line per audit event of the entry, newest first (as the register gives them)."""

    def __init__(self, records: Callable[[Sequence[int]], list[DocumentRecord]],
                 parent: QWidget | None = None) -> None:
        super().__init__("Lịch sử thay đổi", parent)
        self._records = records  # registry.documents.records: names documents no longer linked here
        self.history = QListWidget()
        self.history.setMinimumHeight(160)
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        QVBoxLayout(self).addWidget(self.history)

    def show_events(self, events: list[AuditRecord], labels: dict[int, str]) -> None:
        """List the events; `labels` names the linked documents (document id -> label) and learns the others."""
        self.history.clear()
        # Links named by id whose link is gone (or never was this pane's): name them from the register.
        unknown = {t for e in events for data in (e.before, e.after) if data
                   if isinstance(t := data.get("target_id"), int) and t not in labels}
        if unknown:
            for r in self._records(sorted(unknown)):
                labels[r.id] = short_label(r)
        for event in events:
            self.history.addItem(describe_event(event, labels))
