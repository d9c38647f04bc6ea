"""How the CLI prints records: JSON for scripts, short Vietnamese text for people."""

from __future__ import annotations

import json
import sys
from typing import Any

from app.core.dates import format_date
from app.core.enums import Direction
from app.core.records import DocumentRecord, JsonRecord
from app.core.unnumbered import shown_reference


def emit_json(value: JsonRecord | list[JsonRecord] | list[dict[str, Any]] | dict[str, Any]) -> None:
    data: Any
    if isinstance(value, list):
        data = [v.to_dict() if isinstance(v, JsonRecord) else v for v in value]
    elif isinstance(value, JsonRecord):
        data = value.to_dict()
    else:
        data = value
    print(json.dumps(data, ensure_ascii=False, indent=2))


def say(text: str) -> None:
    print(text)


def warn(text: str) -> None:
    print(text, file=sys.stderr)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def summary(doc: DocumentRecord) -> str:
    """One line that identifies an entry the way the paper register would."""
    cancelled = " [ĐÃ HỦY]" if doc.cancelled else ""
    if doc.direction is Direction.INCOMING:
        return (f"Số đến {doc.number} ngày {format_date(doc.received_on)} — {shown_reference(doc.reference)} "
                f"ngày {format_date(doc.issued_on)} của {doc.issuer} (mã {doc.id}){cancelled}")
    return (f"{doc.reference} ngày {format_date(doc.issued_on)} — {doc.doc_type} "
            f"(số {doc.number}, mã {doc.id}){cancelled}")


def search_row(doc: DocumentRecord) -> dict[str, Any]:
    """One search hit for scripts: enough to identify the entry and read what it is about."""
    return {"id": doc.id, "book": doc.direction.value, "number": doc.number, "year": doc.year,
            "registered_on": doc.registered_on.isoformat(), "reference": doc.reference, "issuer": doc.issuer,
            "doc_type": doc.doc_type, "subject": doc.subject, "cancelled": doc.cancelled}


def table(docs: list[DocumentRecord]) -> str:
    if not docs:
        return "(Không có văn bản nào.)"
    lines = []
    incoming = docs[0].direction is Direction.INCOMING
    if incoming:
        lines.append(f"{'Số đến':>7}  {'Ngày đến':10}  {'Tác giả':24}  {'Số, ký hiệu':16}  {'Ngày VB':10}  "
                     "Tên loại và trích yếu")
    else:
        lines.append(f"{'Số':>5}  {'Số, ký hiệu':18}  {'Ngày VB':10}  {'Người ký':20}  Tên loại và trích yếu")
    for d in docs:
        about = _cut(f"{d.doc_type}: {d.subject}", 60) + (" [ĐÃ HỦY]" if d.cancelled else "")
        if incoming:
            lines.append(f"{d.number:>7}  {format_date(d.received_on):10}  {_cut(d.issuer or '', 24):24}  "
                         f"{_cut(shown_reference(d.reference), 16):16}  {format_date(d.issued_on):10}  {about}")
        else:
            lines.append(f"{d.number:>5}  {_cut(d.reference or '', 18):18}  {format_date(d.issued_on):10}  "
                         f"{_cut(d.signer or '', 20):20}  {about}")
    return "\n".join(lines)


def details(doc: DocumentRecord) -> str:
    """Every filled field of an entry, labelled in Vietnamese."""
    rows: list[tuple[str, Any]] = [
        ("Mã văn bản", doc.id), ("Sổ", doc.book_name),
        ("Số đến" if doc.direction is Direction.INCOMING else "Số đi", doc.number),
        ("Ngày đến", format_date(doc.received_on)), ("Giờ đến", doc.received_at or ""),
        ("Tác giả", doc.issuer), ("Số, ký hiệu", shown_reference(doc.reference)),
        ("Ngày văn bản", format_date(doc.issued_on)),
        ("Tên loại", doc.doc_type), ("Trích yếu", doc.subject),
        ("Độ khẩn", doc.urgency.label if doc.urgency else ""), ("Độ mật", doc.secrecy.label if doc.secrecy else ""),
        ("Số trang", doc.pages), ("Số bản", doc.copies), ("Người ký", doc.signer),
        ("Chức vụ", doc.signer_title), ("Thẩm quyền ký", doc.authority), ("Nơi nhận", "; ".join(doc.recipients)),
        ("Đơn vị soạn thảo", doc.drafting_unit), ("Bản lưu", doc.archive_holder),
        ("Hạn trả lời", format_date(doc.reply_due)), ("Đơn vị hoặc người nhận", doc.recipient_text),
        ("Ý kiến chỉ đạo", doc.directive), ("Thời hạn giải quyết", format_date(doc.due_on)),
        ("Số và ký hiệu hồ sơ", doc.file_code),
        ("Ghi chú", doc.note), ("Trạng thái", "ĐÃ HỦY — " + (doc.cancel_reason or "") if doc.cancelled
                                else doc.status.label),
    ]
    lines = [f"{label + ':':22} {value}" for label, value in rows if value not in (None, "")]
    for link in doc.links:
        arrow = "→" if link.source_id == doc.id else "←"  # ← : another document points at this one
        lines.append(f"{'Liên kết:':22} {arrow} {link.link_type.label}: {link.other_label}")
    return "\n".join(lines)
