"""edxml import, show, export, status: edXML messages (QCVN 102:2016) in and out of the register as files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli import output
from app.cli.shared import date_option, find_document, wants_json
from app.core.dates import format_date
from app.core.enums import Direction
from app.core.records import jsonable

if TYPE_CHECKING:
    from app.services import Registry


def add_parsers(commands: argparse._SubParsersAction, sub, by_number) -> None:  # type: ignore[no-untyped-def]
    group = sub(commands, "edxml", "văn bản điện tử edXML (QCVN 102:2016): nhận vào sổ, gửi đi, thông điệp trạng "
                                   "thái").add_subparsers(dest="action", required=True, metavar="VIỆC")
    p = sub(group, "import", "vào sổ văn bản đến từ tệp edXML: đủ các trường, tệp đính kèm được đính và kiểm tra "
                             "chữ ký số (mã thoát 2 tệp hỏng, 3 trùng, 4 chữ ký số không đạt)")
    p.add_argument("file", metavar="TỆP.edxml")
    p.add_argument("--received-on", metavar="NGÀY", help="ngày đến (mặc định: hôm nay)")
    p.add_argument("--allow-duplicate", action="store_true", help="vẫn vào sổ khi trùng DocumentId hoặc số, ký "
                   "hiệu, cơ quan và ngày của văn bản đã có")
    p.add_argument("--accept-signature", metavar="LÝ_DO", help="vẫn nhận khi tệp PDF có chữ ký số bị hỏng, chưa được "
                   "tin cậy hoặc thiếu, với lý do này (ghi vào nhật ký)")
    p = sub(group, "show", "đọc tệp edXML và cho xem sẽ vào sổ những gì (chưa ghi gì)")
    p.add_argument("file", metavar="TỆP.edxml")
    p = sub(group, "export", "ghi văn bản đi thành tệp edXML để gửi (mặc định kèm các tệp đã đính kèm)")
    by_number(p)
    p.add_argument("--book", choices=["outgoing"], default="outgoing", help="sổ: outgoing (văn bản đi)")
    p.add_argument("--attach", nargs="+", metavar="TỆP", help="gửi các tệp này thay cho tệp đã đính kèm")
    p.add_argument("-o", "--output", required=True, metavar="TỆP.edxml", help="tệp edXML kết quả")
    p = sub(group, "status", "ghi thông điệp trạng thái cho nơi gửi một văn bản đến: 01 đã đến, 02 từ chối tiếp "
                             "nhận, 03 đã tiếp nhận, 04 phân công, 05 đang xử lý, 06 hoàn thành")
    by_number(p)
    p.add_argument("--code", required=True, metavar="MÃ", help="mã trạng thái (01–06) hoặc tên (ví dụ \"đã tiếp "
                   "nhận\")")
    p.add_argument("--description", default="", help="mô tả (mặc định: tên trạng thái; từ chối: ghi lý do)")
    p.add_argument("--staff", default="", help="người xử lý ghi trong thông điệp (mặc định: người dùng)")
    p.add_argument("--department", default="", help="đơn vị của người xử lý")
    p.add_argument("-o", "--output", required=True, metavar="TỆP", help="tệp thông điệp trạng thái")


def cmd_edxml(reg: Registry, args: argparse.Namespace) -> None:
    if args.action == "import":
        _import(reg, args)
    elif args.action == "show":
        _show(reg, args)
    elif args.action == "export":
        doc = find_document(reg, args, Direction.OUTGOING)
        written = reg.edxml.export(doc.id, args.output, args.attach)
        _written(args, written, f"Đã ghi thông điệp edXML của văn bản {doc.reference}")
    elif args.action == "status":
        doc = find_document(reg, args, Direction.INCOMING)
        written = reg.edxml.status(doc.id, args.code, args.output, args.description, args.staff, args.department)
        _written(args, written, f"Đã ghi thông điệp trạng thái {written.message_id} cho văn bản đến số "
                                f"{doc.number} ({doc.reference})")


def _written(args: argparse.Namespace, written: Any, done: str) -> None:
    if wants_json(args):
        output.emit_json({"path": str(written.path), "message_id": written.message_id,
                          "attachments": written.attachments, "sha256": written.sha256})
        return
    output.say(f"{done}: {written.path}")
    for name in written.attachments:
        output.say(f"  Kèm tệp «{name}»")


def _import(reg: Registry, args: argparse.Namespace) -> None:
    received_on = date_option(args.received_on, "received_on", "Ngày đến")
    result = reg.edxml.import_file(Path(args.file), received_on=received_on, allow_duplicate=args.allow_duplicate,
                                   signature_reason=args.accept_signature)
    if wants_json(args):
        output.emit_json({"document": result.document.to_dict(), "edxml": result.header,
                          "replies": [{"reference": r.code, "issued_on": jsonable(r.issued_on),
                                       "target_id": r.target_id} for r in result.replies],
                          "attachments": [a.to_dict() for a in result.attachments],
                          "signatures": {str(k): v.to_dict() for k, v in result.checks.items()},
                          "skipped": result.skipped})
        return
    output.say(f"Đã vào sổ văn bản đến: {output.summary(result.document)}")
    for attached in result.attachments:
        check = result.checks.get(attached.id)
        output.say(f"  Đã đính kèm «{attached.file_name}»." + (f" Chữ ký số: {check.verdict}" if check else ""))
        if check is not None and check.confirmed_reason:
            output.say(f"    Đã xác nhận vẫn nhận, lý do: {check.confirmed_reason}")
    for name, why in result.skipped.items():
        output.say(f"  Không đính kèm «{name}»: {why} (vẫn giữ trong bản gốc thông điệp)")
    for reply in result.replies:
        output.say(f"  {reply.describe()}")


def _show(reg: Registry, args: argparse.Namespace) -> None:
    with reg.edxml.read(Path(args.file)) as package:
        preview = reg.edxml.preview(package)
        message = package.message
    if wants_json(args):
        output.emit_json({"form": jsonable(preview.data.__dict__), "extras": jsonable(preview.extras),
                          "edxml": message.header(), "duplicate": preview.duplicate,
                          "signatures": {k: v.verdict for k, v in preview.checks.items()},
                          "skipped": preview.skipped})
        return
    data = preview.data
    output.say(f"Nơi gửi: {data.issuer} ({message.sender.organ_id or 'không có mã định danh'})")
    output.say(f"Số, ký hiệu: {data.reference} — ngày {format_date(message.promulgation_date)}")
    output.say(f"{data.doc_type}: {data.subject}")
    for item in message.attachments:
        report = preview.checks.get(item.name)
        why = preview.skipped.get(item.name)
        output.say(f"  Tệp «{item.name}» ({item.size} byte)" + (f": {report.verdict}" if report else "")
                   + (f": không đính kèm — {why}" if why else ""))
    for reply in preview.replies:
        output.say(f"  {reply.describe()}")
    if preview.duplicate:
        output.say(f"Trùng: {preview.duplicate}")
