"""Entries in the books: incoming/outgoing/copy add|list|show|cancel|edit, extract, link, search, demo-data."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import output
from app.cli.shared import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    book_direction,
    date_option,
    find_document,
    given,
    show_document,
    wants_json,
)
from app.core.dates import today
from app.core.enums import Direction, LinkType
from app.core.errors import ValidationError, VanThuError
from app.core.records import DocumentQuery, IncomingInput, OutgoingInput
from app.core.text import fold
from app.core.unnumbered import UNNUMBERED

if TYPE_CHECKING:
    from app.services import Registry

_REQUIRED_INCOMING = (("--issuer", "issuer"), ("--reference (hoặc --unnumbered)", "reference"),
                      ("--issued-on", "issued_on"), ("--type", "doc_type"), ("--subject", "subject"))
_INCOMING_KEYS = ("issuer", "reference", "issued_on", "doc_type", "subject", "received_on", "received_at",
                  "urgency", "secrecy", "pages", "copies", "note", "file_code")
_OUTGOING_KEYS = ("doc_type", "unit", "signed_on", "subject", "signer", "signer_title", "authority",
                  "recipients", "copies", "archive_holder", "reply_due", "urgency", "secrecy", "pages", "note",
                  "file_code")


def _unnumbered(args: argparse.Namespace) -> None:
    """--unnumbered stands for the số, ký hiệu (Không số); given with --reference it is a contradiction."""
    if not getattr(args, "unnumbered", None):
        return
    if args.reference is not None:
        raise ValidationError.single("reference", "Số, ký hiệu", "--reference và --unnumbered không dùng cùng "
                                     "nhau: văn bản có số, ký hiệu thì không phải văn bản không số.")
    args.reference = UNNUMBERED


def cmd_documents(reg: Registry, args: argparse.Namespace) -> None:
    incoming = args.command == "incoming"
    if incoming:
        _unnumbered(args)
    if args.action == "add":
        if incoming and args.from_text:
            _add_from_text(reg, args)
        elif incoming:
            # A Tuyệt mật entry has no trích yếu in the register: validation refuses one if given.
            top_secret = fold(args.secrecy or "").replace("_", " ").strip() == "tuyet mat"
            missing = [option for option, key in _REQUIRED_INCOMING
                       if getattr(args, key) is None and not (top_secret and key == "subject")]
            if missing:
                raise ValidationError.single("options", "Lệnh vào sổ", f"thiếu {', '.join(missing)} "
                                             "(hoặc dùng --from-text TỆP để đọc từ văn bản).")
            doc = reg.documents.register_incoming(IncomingInput(**given(args, _INCOMING_KEYS)), args.allow_duplicate)
            show_document(args, doc, "Đã vào sổ văn bản đến")
        else:
            doc = reg.documents.register_outgoing(OutgoingInput(**given(args, (*_OUTGOING_KEYS, "replies_to"))))
            show_document(args, doc, "Đã vào sổ văn bản đi")
    elif args.action == "list":
        docs = reg.documents.list(book_direction(args), args.year or today().year, args.secret, args.limit)
        output.emit_json(docs) if wants_json(args) else output.say(output.table(docs))
    elif args.action == "show":
        doc = find_document(reg, args)
        output.emit_json(doc) if wants_json(args) else output.say(output.details(doc))
    elif args.action == "cancel":
        show_document(args, reg.documents.cancel(find_document(reg, args).id, args.reason), "Đã hủy")
    elif args.action == "edit":
        changes = given(args, _INCOMING_KEYS if incoming else _OUTGOING_KEYS)
        if not changes:
            raise ValidationError.single("changes", "Nội dung sửa", "chưa ghi trường nào cần sửa.")
        doc = reg.documents.update(find_document(reg, args).id, changes, getattr(args, "allow_duplicate", False))
        show_document(args, doc, "Đã sửa")


# The register's fields a scan fills, each with the extracted fields it comes from and the option that gives it.
_FROM_SCAN = (("issuer", ("issuer",), "--issuer"), ("reference", ("reference", "number", "notation"), "--reference"),
              ("issued_on", ("issued_on",), "--issued-on"), ("doc_type", ("doc_type",), "--type"),
              ("subject", ("subject",), "--subject"), ("urgency", ("urgency",), "--urgency"),
              ("secrecy", ("secrecy",), "--secrecy"))


def _add_from_text(reg: Registry, args: argparse.Namespace) -> None:
    from app.extraction.confidence import describe, drop_weak_links, weak_fields
    from app.extraction.extractor import extract
    from app.extraction.reader import read_document
    from app.services.attachments import ALLOWED_SUFFIXES
    from app.services.signature_checks import is_pdf, require_confirmation

    source = Path(args.from_text)
    attachable = source.suffix.lower() in ALLOWED_SUFFIXES  # the document's own file goes with its entry
    if attachable:
        reg.attachments.check(source)
        if is_pdf(source):  # NĐ 30 Điều 21: the signature is checked before the document is registered
            require_confirmation(reg.signatures.check_file(source, strict=False), args.accept_signature)
    read = read_document(args.from_text)
    extraction = extract(read.text)
    left_out: list[tuple[str, float]] = []
    if read.ocr and extraction.documents:
        # A field read from a weak line is never registered as read: the clerk types it (the option wins) or the
        # command refuses, naming each one. Safer than leaving it empty: an urgency or secrecy mark left out
        # would put a Khẩn or Mật document in the ordinary book as an ordinary one.
        first = extraction.documents[0]
        weak = weak_fields(first, read.line_confidence)
        unchecked = {name: weak[name] for key, names, _ in _FROM_SCAN if getattr(args, key, None) is None
                     for name in names if name in weak}
        if unchecked:
            options = ", ".join(option for key, names, option in _FROM_SCAN
                                if getattr(args, key, None) is None and any(n in weak for n in names))
            unsure = "; ".join(describe(first, unchecked))
            raise ValidationError.single("file", "Tệp văn bản", (
                f"bản quét «{Path(args.from_text).name}» có trường đọc không chắc: {unsure}. Chưa vào sổ: hãy xem "
                f"lại văn bản rồi ghi các trường đó bằng {options} (hoặc quét lại rõ hơn)."))
        extraction, left_out = drop_weak_links(extraction, read.line_confidence)
    doc, made = reg.text_entry.register(extraction, given(args, _INCOMING_KEYS), args.allow_duplicate)
    attached = None
    if attachable:
        from app.services.attachment_text import LAYER, OCR, AttachedText

        text = AttachedText(read.text, OCR if read.ocr else LAYER, read.confidence,
                            line_confidence=read.line_confidence)
        attached = reg.attachments.attach(doc.id, source, text, signature_reason=args.accept_signature)
    check = reg.signatures.latest([attached.id]).get(attached.id) if attached is not None else None
    if wants_json(args):
        output.emit_json({"document": doc.to_dict(), "links": [
            {"type": p.link_type.value, "reference": p.reference, "target_id": p.target_id, "note": p.note}
            for p in made], "attachment": attached.to_dict() if attached else None,
            "signature": check.to_dict() if check else None,
            **({"uncertain_links": [{"reference": ref, "confidence": confidence} for ref, confidence in left_out]}
               if read.ocr else {})})
        return
    output.say(f"Đã vào sổ văn bản đến: {output.summary(doc)}")
    if attached is not None:
        output.say(f"Đã đính kèm «{attached.file_name}»." + (f" Kiểm tra chữ ký số: {check.verdict}" if check else ""))
        if check is not None and check.confirmed_reason:
            output.say(f"  Đã xác nhận vẫn nhận, lý do: {check.confirmed_reason}")
    for plan in made:
        output.say(f"  {plan.describe()}")
    for reference, confidence in left_out:
        output.say(f"  Chưa liên kết {reference} (đọc kém, độ tin cậy {confidence:.0f}%: cần xem lại; khi đã kiểm "
                   "tra, thêm bằng lệnh link)")


def cmd_extract(args: argparse.Namespace) -> int:
    """Text in, fields out; no database is opened."""
    from app.extraction.confidence import describe, weak_fields
    from app.extraction.extractor import extract
    from app.extraction.reader import read_document

    try:
        read = read_document(args.file)
        extraction = extract(read.text)
    except VanThuError as exc:
        output.warn(f"Lỗi: {exc}")
        return EXIT_BAD_INPUT
    result = extraction.to_json(with_sources=args.sources)
    if read.ocr:  # read from a scan: say so, with how sure the recognition was (mean word confidence, 0-100)
        result = {**result, "ocr": True, "ocr_confidence": read.confidence,
                  "page_confidence": list(read.page_confidence)}
        for index, (doc, data) in enumerate(zip(extraction.documents, result["documents"], strict=True), start=1):
            weak = weak_fields(doc, read.line_confidence)
            data["uncertain_fields"] = weak  # field -> confidence of the line it was read from, under WEAK_LINE
            for line in describe(doc, weak):
                output.warn(f"Văn bản {index}: {line}")
    output.emit_json(result)
    return EXIT_OK


def cmd_link(reg: Registry, args: argparse.Namespace) -> None:
    kind, target = next((k, getattr(args, f"link_{k.value}")) for k in LinkType
                        if getattr(args, f"link_{k.value}") is not None)
    on = date_option(args.on, "on", "Ngày văn bản được dẫn")
    link = reg.links.add(args.id, kind, int(target) if target.strip().isdigit() else target, on, args.issuer)
    if wants_json(args):
        output.emit_json(link)
    else:
        state = "" if link.resolved else " (sẽ tự nối khi văn bản đó được vào sổ)"
        output.say(f"Đã liên kết văn bản mã {args.id} — {kind.label} — {link.other_label}{state}")


def cmd_search(reg: Registry, args: argparse.Namespace) -> None:
    """Same engine as the window's search box; newest first."""
    query = DocumentQuery(direction=Direction(args.book) if args.book else None, secret=args.secret, year=args.year,
                          text=args.text, sort="registered_on", descending=True, limit=args.limit)
    docs = reg.documents.search(query)
    places = reg.fulltext.places(args.text, [d.id for d in docs])
    if wants_json(args):
        output.emit_json([{**output.search_row(d), "matched_in": places.get(d.id)} for d in docs])
        return
    for doc in docs:
        where = f" [khớp ở {places[doc.id]}]" if doc.id in places else ""
        output.say(output.summary(doc) + where)
    output.warn(f"{len(docs)} văn bản" + (" (có thể còn nữa: tăng --limit)" if len(docs) == args.limit else ""))


def cmd_demo_data(reg: Registry, args: argparse.Namespace) -> None:
    if args.year is not None and args.year > today().year:
        raise ValidationError.single("year", "Năm", f"{args.year} chưa tới; dữ liệu mẫu không ghi ngày tương lai.")
    started = time.perf_counter()

    def progress(done: int) -> None:
        output.warn(f"  … {done:,}/{args.count:,} văn bản".replace(",", "."))

    result = reg.demo.fill(args.count, args.year, args.seed, progress if args.count >= 50_000 else None, args.force)
    if wants_json(args):
        output.emit_json({"incoming": result.incoming, "outgoing": result.outgoing, "links": result.links,
                          "years": list(result.years), "seconds": round(time.perf_counter() - started, 1)})
        return
    years = ", ".join(map(str, result.years))
    output.say(f"Đã tạo {result.incoming} văn bản đến, {result.outgoing} văn bản đi ({result.links} liên kết) "
               f"trong các năm {years}, mất {time.perf_counter() - started:.1f} giây.")
