"""verify, trust, sign and copy make: electronic signatures from the command line (exit 4: a signature not good)."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli import output
from app.cli.shared import find_document, wants_json
from app.core.enums import Direction

if TYPE_CHECKING:
    from app.services import Registry

EXIT_SIGNATURE = 4  # verify: a signature is not intact and trusted, or there is none


def add_parsers(commands: argparse._SubParsersAction, sub, by_number) -> None:  # type: ignore[no-untyped-def]
    p = sub(commands, "verify", "kiểm tra chữ ký số của tệp PDF (NĐ 30 Điều 21): còn nguyên vẹn, chứng thư có được "
                                "tin cậy, có bị sửa sau khi ký; mã thoát 0 hợp lệ, 4 không hợp lệ hoặc không có")
    p.add_argument("file", nargs="?", metavar="TỆP.pdf")
    p.add_argument("--id", type=int, help="kiểm tra lại tệp đã đính kèm có mã này (xem mã ở thẻ Tệp)")

    trust = sub(commands, "trust", "chứng thư số gốc tin cậy của sổ (chỉ quản trị thay đổi; ghi nhật ký)")
    actions = trust.add_subparsers(dest="action", required=True, metavar="VIỆC")
    sub(actions, "list", "liệt kê chứng thư tin cậy")
    p = sub(actions, "add", "thêm chứng thư gốc (.pem, .cer, .crt, .der, .p7b)")
    p.add_argument("file", metavar="TỆP")
    p = sub(actions, "remove", "bỏ một chứng thư khỏi danh sách tin cậy")
    p.add_argument("fingerprint", metavar="DẤU_VÂN_TAY", help="ít nhất 8 chữ số đầu của SHA-256 (xem trust list)")
    p = sub(actions, "add-crl", "nhập danh sách chứng thư bị thu hồi (CRL) do CA công bố")
    p.add_argument("file", metavar="TỆP.crl")

    p = sub(commands, "sign", "ký số văn bản đi bằng chữ ký số của cơ quan (NĐ 30 Điều 3.2, Phụ lục I) rồi đính kèm "
                              "tệp đã ký vào văn bản")
    by_number(p)
    p.add_argument("--in", dest="draft", required=True, metavar="BẢN_THẢO.pdf", help="văn bản đã có chữ ký của "
                   "người có thẩm quyền")
    p.add_argument("-o", "--output", required=True, metavar="TỆP.pdf", help="tệp văn bản đã ký số phát hành")
    p.add_argument("--attachment", action="store_true", help="văn bản kèm theo (tệp riêng): không hiện hình dấu, "
                   "ghi số, ký hiệu và thời gian ký ở góc trên bên phải trang đầu")
    _key_options(p)


def _copy_options(p: argparse.ArgumentParser, by_number) -> None:  # type: ignore[no-untyped-def]
    by_number(p)
    p.add_argument("--book", choices=["incoming", "outgoing"], default="incoming",
                   help="sổ của văn bản được sao: incoming (đến, mặc định) | outgoing (đi)")
    p.add_argument("--form", required=True, choices=["sao-y", "sao-luc", "trich-sao"], help="hình thức sao")
    p.add_argument("--in", dest="draft", required=True, metavar="TỆP.pdf", help="văn bản cần sao (PDF)")
    p.add_argument("-o", "--output", required=True, metavar="BẢN_SAO.pdf", help="tệp bản sao đã ký số")
    p.add_argument("--signer", default="", help="người ký bản sao ghi vào sổ (mặc định: tên trên chứng thư số)")
    _key_options(p)


def add_copy_make(group: argparse._SubParsersAction, sub, by_number) -> None:  # type: ignore[no-untyped-def]
    """`copy make`: the copy book's own command for an electronic copy."""
    _copy_options(sub(group, "make", "tạo bản sao điện tử có chữ ký số của cơ quan, vào sổ bản sao"), by_number)


def _key_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pkcs12", metavar="TỆP.p12", help="tệp khóa ký số (mật khẩu hỏi khi chạy, hoặc "
                   "$VANTHU_P12_PASSWORD)")
    p.add_argument("--pkcs11-lib", metavar="THƯ_VIỆN", help="thư viện PKCS#11 của USB token (.dll/.so; mã PIN hỏi "
                   "khi chạy, hoặc $VANTHU_PIN)")
    p.add_argument("--token-label", help="nhãn của USB token (khi cắm nhiều thiết bị)")
    p.add_argument("--key-label", help="nhãn của khóa trên thiết bị")


def key_source(args: argparse.Namespace) -> Any:
    from app.core.errors import ValidationError
    from app.signatures.keys import KeySource

    if bool(args.pkcs12) == bool(args.pkcs11_lib):
        raise ValidationError.single("pkcs12", "Khóa ký số", "cần đúng một trong --pkcs12 TỆP hoặc --pkcs11-lib "
                                     "THƯ_VIỆN.")
    if args.pkcs12:
        password = os.environ.get("VANTHU_P12_PASSWORD")
        if password is None:
            password = getpass.getpass(f"Mật khẩu của {Path(args.pkcs12).name}: ")
        return KeySource(pkcs12=Path(args.pkcs12).expanduser(), password=password)
    pin = os.environ.get("VANTHU_PIN")
    if pin is None:
        pin = getpass.getpass("Mã PIN của thiết bị ký số: ")
    return KeySource(pkcs11_lib=args.pkcs11_lib, token_label=args.token_label, key_label=args.key_label, pin=pin)


def _say_report(report: Any) -> None:
    output.say(f"{report.file_name}: {report.verdict}")
    for index, s in enumerate(report.signatures, start=1):
        output.say(f"  Chữ ký {index} ({s.field}): {s.signer}" + (f" — {s.organization}" if s.organization else ""))
        output.say(f"    Chứng thư do {s.issuer} cấp, hiệu lực {s.valid_from or '?'} đến {s.valid_to or '?'}")
        output.say(f"    Thời điểm ký: {s.signed_at or 'không ghi'}"
                   + (f"; dấu thời gian: {s.timestamp}" if s.timestamp else "; không có dấu thời gian"))
        output.say(f"    Nguyên vẹn: {'có' if s.intact else 'KHÔNG'}; tin cậy: {'có' if s.trusted else 'KHÔNG'}; "
                   f"phủ toàn bộ tệp: {'có' if s.covers_whole else 'không'}; thay đổi sau khi ký: "
                   f"{_modification(s.modification)}")
        for problem in s.problems:
            output.say(f"    - {problem}")
        output.say(f"    {s.verdict}")


def _modification(level: str | None) -> str:
    from app.signatures.verdicts import MODIFICATIONS

    return MODIFICATIONS.get(level or "", "không xác định")


def cmd_verify(reg: Registry, args: argparse.Namespace) -> None:
    from app.core.errors import ValidationError

    if (args.file is None) == (args.id is None):
        raise ValidationError.single("file", "Tệp PDF", "cần một tệp PDF, hoặc --id MÃ của tệp đã đính kèm.")
    if args.id is not None:
        check = reg.signatures.recheck(args.id)
        ok = check.status == "valid"
        if wants_json(args):
            output.emit_json({**check.to_dict(), "ok": ok})
        else:
            output.say(f"Tệp đính kèm mã {check.attachment_id} «{check.file_name}»: {check.verdict}")
            output.say(f"Đã kiểm tra lại lúc {check.checked_at:%d/%m/%Y %H:%M} (giờ UTC), lưu vào lịch sử của tệp.")
        args.exit_code = 0 if ok else EXIT_SIGNATURE
        return
    report = reg.signatures.check_file(args.file)
    if wants_json(args):
        output.emit_json(report.to_dict())
    else:
        _say_report(report)
    args.exit_code = 0 if report.ok else EXIT_SIGNATURE


def cmd_trust(reg: Registry, args: argparse.Namespace) -> None:
    if args.action == "list":
        rows = reg.trust.list()
        if wants_json(args):
            output.emit_json(rows)
            return
        if not rows:
            output.say("Chưa có chứng thư gốc tin cậy nào: mọi chữ ký số sẽ là \"chưa được tin cậy\". Thêm bằng "
                       "lệnh trust add TỆP (xem README: nơi công bố chứng thư gốc).")
        for r in rows:
            output.say(f"{r.fingerprint[:16]}  {r.subject}" + (f" — {r.organization}" if r.organization else "")
                       + f"  (do {r.issuer} cấp, hiệu lực {r.not_before:%d/%m/%Y}–{r.not_after:%d/%m/%Y})")
        return
    if args.action == "add":
        added = reg.trust.add(args.file)
        if wants_json(args):
            output.emit_json(added)
            return
        for r in added:
            output.say(f"Đã thêm chứng thư tin cậy: {r.subject} (SHA-256 {r.fingerprint})")
        return
    if args.action == "add-crl":
        row = reg.trust.add_crl(args.file)
        output.say(f"Đã nhập danh sách thu hồi (CRL) mã {row}.")
        return
    removed = reg.trust.remove(args.fingerprint)
    output.say(f"Đã bỏ chứng thư khỏi danh sách tin cậy: {removed.subject} (SHA-256 {removed.fingerprint})")


def _say_issued(args: argparse.Namespace, issued: Any, what: str) -> None:
    if wants_json(args):
        output.emit_json(issued.to_dict())
        return
    output.say(f"Đã ký số {what}: {output.summary(issued.document)} → {issued.output}")
    output.say(f"Ký bằng chứng thư của {issued.signer}" + (f" — {issued.organization}" if issued.organization else ""))
    output.say(f"Kiểm tra lại tệp đã ký: {issued.check.verdict}")


def cmd_sign(reg: Registry, args: argparse.Namespace) -> None:
    doc = find_document(reg, args, Direction.OUTGOING)
    issued = reg.signatures.sign(doc.id, args.draft, args.output, key_source(args), attachment=args.attachment)
    _say_issued(args, issued, "văn bản kèm theo" if args.attachment else "văn bản")


def cmd_copy_make(reg: Registry, args: argparse.Namespace) -> None:
    original = find_document(reg, args, Direction(args.book))
    issued = reg.signatures.make_copy(original.id, args.form, args.draft, args.output, key_source(args), args.signer)
    _say_issued(args, issued, "bản sao")
