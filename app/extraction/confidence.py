"""Which fields of a scanned document were read from a weak OCR line: shown to the clerk to check, never taken
silently (`extract` lists them, `incoming add --from-text` refuses to register them unless they are typed).

WEAK_LINE, the threshold on a line's mean word confidence, comes from measurement (`python bench/ocr_fields.py
--sweep`): the documents of tests/ocr/scans.py typeset, then scanned at 250, 150, 120 and 100 dpi with more blur
and noise each time, 332 lines read by Tesseract 5.3 (vie), each compared with the line printed:

    line confidence   lines   read exactly
    under 70             81        2%
    70 - 85              35        9%
    85 - 90              23       22%
    90 - 94              50       60%
    94 and over         143       84%

Under 90 more than nine lines in ten are misread (four in ten from 90 to 94), and the misreads are the fields that
matter: "5968/UBND-TH ngày 30/10/2073" at 80.6, "9968/UBND-TM ngày 29/10/2022" at 83.4, "Vẽ Đức Trọng" at 67,
"TÍNH ỦY" at 85. On the good scans (250 dpi desk scans, the phone photo) the lines fields come from are at 92-96,
but for two read right and unsure: a V/v line at 88 and the photo's number line at 73, whose "45/GM-UBND" word
alone is at 53; flagging those is what the clerk wants. Hence 90. A confident misread stays possible ("2023" read
"2025" at 93, a name at 91): the flag narrows what to check, it does not replace checking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from app.core.dates import format_date
from app.extraction.records import ExtractedDocument, Extraction

WEAK_LINE = 90.0

# What the clerk calls each field (messages only).
FIELD_LABELS: dict[str, str] = {
    "family": "Khối (Nhà nước / Đảng)", "issuer": "Cơ quan ban hành", "issuer_parent": "Cơ quan chủ quản",
    "number": "Số", "notation": "Ký hiệu", "reference": "Số, ký hiệu", "doc_type": "Tên loại",
    "issued_on": "Ngày văn bản", "place": "Địa danh", "subject": "Trích yếu", "urgency": "Độ khẩn",
    "secrecy": "Độ mật", "recipients": "Kính gửi", "distribution": "Nơi nhận", "signing_authority": "Thẩm quyền ký",
    "signer_title": "Chức vụ người ký", "signer": "Người ký", "digital_signature": "Chữ ký số",
    "deadline": "Thời hạn", "cites": "Văn bản được dẫn",
}


def line_weakness(line: int | None, line_confidence: Sequence[float | None],
                  threshold: float = WEAK_LINE) -> float | None:
    """The confidence of a 1-based input line when it is under threshold, else None (a strong line, a line of a
    text layer or a typed text, a line number outside the text)."""
    if line is None or not 1 <= line <= len(line_confidence):
        return None
    confidence = line_confidence[line - 1]
    return confidence if confidence is not None and confidence < threshold else None


def weak_fields(document: ExtractedDocument, line_confidence: Sequence[float | None],
                threshold: float = WEAK_LINE) -> dict[str, float]:
    """Field name -> confidence (0-100) of the weakest line it was read from, for each field of `document` read
    from a line under `threshold`; empty for a text that was not recognised from a scan.

    `document` is one of extract(text).documents; `line_confidence` is DocumentText.line_confidence of the file
    that text came from (aligned with text.split("\\n"); None for lines not recognised). A subject wrapped over
    several lines counts its weakest line; "cites" counts the weakest line a citation was read from. Field names
    are those of ExtractedDocument (FIELD_LABELS gives the clerk's words for them).
    """
    if not any(c is not None for c in line_confidence):
        return {}
    found: dict[str, float] = {}
    for name, line in document.sources.items():
        lines = document.source_lines.get(name) or (line,)
        if name == "cites":
            lines = tuple(c.line for c in document.cites if c.line is not None) or (line,)
        weak = [w for w in (line_weakness(n, line_confidence, threshold) for n in lines) if w is not None]
        if weak:
            found[name] = min(weak)
    return found


def shown(document: ExtractedDocument, name: str) -> str:
    """A field's value as the clerk reads it in a message: dates dd/mm/yyyy, lists joined, cites by reference."""
    value = getattr(document, name, None)
    if name == "cites":
        return ", ".join(c.reference for c in document.cites)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def describe(document: ExtractedDocument, weak: dict[str, float]) -> list[str]:
    """One Vietnamese line per weak field, weakest first: 'Số, ký hiệu «45/GM-UBND» (đọc kém, độ tin cậy 73%: cần
    xem lại)'; the số and the ký hiệu are not named again beside the số, ký hiệu they are part of."""
    named = {name: c for name, c in weak.items() if not ("reference" in weak and name in ("number", "notation"))}
    return [f"{FIELD_LABELS.get(name, name)} «{shown(document, name)}» (đọc kém, độ tin cậy {confidence:.0f}%: "
            "cần xem lại)" for name, confidence in sorted(named.items(), key=lambda item: item[1])]


def drop_weak_links(extraction: Extraction, line_confidence: Sequence[float | None],
                    threshold: float = WEAK_LINE) -> tuple[Extraction, list[tuple[str, float]]]:
    """The extraction without what would become a link from a weak line (a citation of the first document, a
    forwarded document whose own số/ký hiệu is weak), and what was left out: (reference, confidence)."""
    if not extraction.documents:
        return extraction, []
    dropped: list[tuple[str, float]] = []
    first, *rest = extraction.documents
    kept_cites = []
    for cite in first.cites:
        weak = line_weakness(cite.line, line_confidence, threshold)
        if weak is None:
            kept_cites.append(cite)
        else:
            dropped.append((cite.reference, weak))
    kept_docs = [first if len(kept_cites) == len(first.cites) else replace(first, cites=kept_cites)]
    for doc in rest:
        weak = line_weakness(doc.sources.get("reference"), line_confidence, threshold)
        if weak is None or not doc.reference:
            kept_docs.append(doc)
        else:
            dropped.append((doc.reference, weak))
    return replace(extraction, documents=kept_docs), dropped
