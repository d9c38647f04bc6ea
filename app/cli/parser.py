"""The argparse tree of every command; the handlers live in the app.cli.*_commands modules."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from app import APP_NAME, __version__
from app.cli import edxml_commands as _edxml_commands
from app.cli import signature_commands as _signature_commands
from app.cli import user_commands as _user_commands
from app.core.enums import LinkType
from app.core.validation import EARLIEST, MAX_DOCUMENT_NUMBER, shown


class VietnameseFormatter(argparse.HelpFormatter):
    """argparse's help in Vietnamese: its own "usage:" and the DEST metavars it makes up for options."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return "GIÁ_TRỊ"


# argparse's own refusals (Python 3.11), said in Vietnamese; what our type checks say is already Vietnamese.
_ERRORS = ((re.compile(r"the following arguments are required: (.*)"), r"thiếu tham số bắt buộc: \1"),
           (re.compile(r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)"),
            r"\1: không có lựa chọn \2 (chọn một trong: \3)"),
           (re.compile(r"argument (\S+): expected one argument"), r"\1: cần một giá trị"),
           (re.compile(r"argument (\S+): expected at least one argument"), r"\1: cần ít nhất một giá trị"),
           (re.compile(r"argument (\S+): not allowed with argument (\S+)"), r"\1: không dùng cùng với \2"),
           (re.compile(r"argument (\S+): ignored explicit argument (.*)"), r"\1: không nhận giá trị \2"),
           (re.compile(r"argument (\S+): invalid (\S+) value: (.*)"), r"\1: giá trị không hợp lệ \3"),
           (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"tùy chọn \1 không rõ: có thể là \2"),
           (re.compile(r"unrecognized arguments: (.*)"), r"không hiểu tham số: \1"),
           (re.compile(r"argument (\S+): (.*)"), r"\1: \2"))


def vietnamese_error(message: str) -> str:
    for pattern, replacement in _ERRORS:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return message


class VietnameseParser(argparse.ArgumentParser):
    """argparse that exits 2 with a Vietnamese lead-in (bad input), as every other refusal does, and says its own
    texts (usage, section titles, -h, its refusals) in Vietnamese. An `intermixed` (sub)parser takes its
    positionals on both sides of options (argparse's intermixed parse, for one command)."""

    def __init__(self, *args: Any, intermixed: bool = False, **kwargs: Any) -> None:
        wants_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", VietnameseFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        if wants_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="hiện hướng dẫn này rồi thoát")
        self._intermixed = intermixed
        self._inside = False

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:  # type: ignore[override]
        if not self._intermixed or self._inside:
            return super().parse_known_args(args, namespace)
        self._inside = True  # the intermixed parse calls parse_known_args itself
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._inside = False

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: lệnh không hợp lệ — {vietnamese_error(message)}\n")


def _shared_fields(p: argparse.ArgumentParser) -> None:
    """Fields that incoming and outgoing entries both carry."""
    p.add_argument("--urgency", help="độ khẩn: khẩn | thượng khẩn | hỏa tốc")
    p.add_argument("--secrecy", help="độ mật: mật | tối mật | tuyệt mật (vào sổ mật)")
    p.add_argument("--pages", help="số trang")
    p.add_argument("--note", help="ghi chú")
    p.add_argument("--file-code", help="số và ký hiệu hồ sơ")


def _incoming_fields(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("--issuer", required=required, help="tác giả: cơ quan ban hành (ví dụ \"SỞ Y TẾ\")")
    p.add_argument("--reference", required=required, help="số, ký hiệu (ví dụ 3646/SYT-VP, 1272-CV/TU)")
    p.add_argument("--unnumbered", action="store_true", default=None,
                   help="văn bản không số (giấy mời, thư…): không có số, ký hiệu; thay cho --reference")
    p.add_argument("--issued-on", required=required, help="ngày văn bản (24/10/2023, 24/10/23, 2023-10-24)")
    p.add_argument("--type", dest="doc_type", required=required, help="tên loại (Công văn, Quyết định…)")
    p.add_argument("--subject", required=required, help="trích yếu nội dung (trừ văn bản Tuyệt mật: sổ không ghi "
                                                        "trích yếu)")
    p.add_argument("--received-on", help="ngày đến (mặc định: hôm nay)")
    p.add_argument("--received-at", help="giờ đến (HH:MM)")
    p.add_argument("--copies", help="số bản")
    _shared_fields(p)


def _outgoing_fields(p: argparse.ArgumentParser, required: bool) -> None:
    if required:  # fixed once numbered: not offered by edit
        p.add_argument("--type", dest="doc_type", required=True, help="tên loại (Công văn, Quyết định…)")
        p.add_argument("--unit", help="đơn vị soạn thảo (ví dụ VP): ký hiệu công văn của cơ quan nhà nước")
        p.add_argument("--signed-on", help="ngày ký (mặc định: hôm nay)")
        p.add_argument("--replies-to", metavar="SỐ_ĐẾN[/NĂM];…", help="văn bản đến mà văn bản này trả lời, theo số "
                       "đến (ví dụ 125 hoặc 125/2025); văn bản đến đó được ghi Đã trả lời")
    p.add_argument("--subject", help="trích yếu nội dung (bắt buộc, trừ văn bản Tuyệt mật: sổ không ghi trích yếu)")
    p.add_argument("--signer", required=required, help="họ tên người ký")
    p.add_argument("--signer-title", help="chức vụ người ký (ví dụ PHÓ GIÁM ĐỐC)")
    p.add_argument("--authority", help="thẩm quyền ký: TM. KT. TL. TUQ. Q. (Đảng: T/M K/T T/L)")
    p.add_argument("--recipients", help="nơi nhận, ngăn cách bởi dấu ;")
    p.add_argument("--copies", help="số lượng bản phát hành")
    p.add_argument("--archive-holder", help="đơn vị, người nhận bản lưu")
    p.add_argument("--reply-due", help="hạn trả lời")
    _shared_fields(p)


def _accept_signature(p: argparse.ArgumentParser) -> None:
    p.add_argument("--accept-signature", metavar="LÝ_DO", help="vẫn nhận tệp PDF có chữ ký số bị hỏng, chưa được "
                   "tin cậy hoặc thiếu, với lý do này (ghi vào nhật ký)")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:  # also a number of thousands of digits, which int() refuses
        raise argparse.ArgumentTypeError(f"'{shown(text)}' không phải là số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} phải lớn hơn 0")
    if value > MAX_DOCUMENT_NUMBER:  # no number, id or count is larger; a database integer column would overflow
        raise argparse.ArgumentTypeError(f"{shown(value)} quá lớn (tối đa {MAX_DOCUMENT_NUMBER})")
    return value


def year_number(text: str) -> int:
    """A year as every date of the register can hold it (a date of year 99999 does not exist)."""
    value = positive_int(text)
    if not EARLIEST.year <= value <= 9999:
        raise argparse.ArgumentTypeError(f"năm {value} không hợp lệ (từ {EARLIEST.year} đến 9999)")
    return value


def _by_number(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", type=positive_int, nargs="?", help="số đến / số đi")
    p.add_argument("--year", type=year_number, help="năm (mặc định: năm nay)")
    p.add_argument("--secret", action="store_true", help="tìm trong sổ mật")
    p.add_argument("--id", type=positive_int, help="mã văn bản (ID), thay cho số và năm")


def _print_commands(group: argparse._SubParsersAction, sub) -> None:  # type: ignore[no-untyped-def]
    def output(p: argparse.ArgumentParser) -> None:
        p.add_argument("-o", "--output", required=True, metavar="TỆP.pdf", help="tệp PDF kết quả")

    p = sub(group, "stamp", "dấu ĐẾN trên nhãn 50×35 mm (hoặc tờ A4 nhiều nhãn)")
    _by_number(p)
    p.add_argument("--sheet", action="store_true", help="in trên tờ nhãn A4 (3×7) thay vì nhãn rời")
    output(p)
    p = sub(group, "stamp-scan", "đóng dấu ĐẾN lên trang 1 của bản quét PDF (ghi ra bản sao)")
    _by_number(p)
    p.add_argument("--in", dest="scan", metavar="BẢN_QUÉT.pdf", help="bản quét (mặc định: bản PDF đã đính kèm)")
    output(p)
    p = sub(group, "slip", "phiếu giải quyết văn bản đến")
    _by_number(p)
    output(p)
    p = sub(group, "receipt", "giấy biên nhận văn bản cho người giao")
    _by_number(p)
    p.add_argument("--sender", default="", help="người hoặc cơ quan giao văn bản")
    output(p)
    p = sub(group, "handover", "sổ chuyển giao: các văn bản đã chuyển cho một đơn vị mà đơn vị chưa ký nhận")
    p.add_argument("--unit", required=True, metavar="ĐƠN_VỊ", help="đơn vị nhận (tên hoặc mã)")
    output(p)
    p = sub(group, "register", "sổ đăng ký văn bản đến / đi, sổ theo dõi giải quyết (A4 ngang)")
    p.add_argument("--book", required=True, choices=["incoming", "outgoing", "follow-up"])
    p.add_argument("--year", type=year_number, help="năm của sổ (mặc định: năm nay)")
    p.add_argument("--from", dest="date_from", metavar="NGÀY", help="từ ngày (ngày đến / ngày ký)")
    p.add_argument("--to", dest="date_to", metavar="NGÀY", help="đến ngày")
    p.add_argument("--from-number", type=positive_int, metavar="SỐ", help="từ số")
    p.add_argument("--to-number", type=positive_int, metavar="SỐ", help="đến số")
    p.add_argument("--secret", action="store_true", help="sổ mật")
    p.add_argument("--book-number", type=positive_int, default=1, help="quyển số (in trên bìa)")
    output(p)


def _routing_commands(commands: argparse._SubParsersAction, sub) -> None:  # type: ignore[no-untyped-def]
    p = sub(commands, "route", "ghi ý kiến chỉ đạo và chuyển văn bản đến cho đơn vị chủ trì, phối hợp "
                               "(chuyển lại thì thêm một lần chuyển, lần trước vẫn giữ)")
    _by_number(p)
    p.add_argument("--lead", required=True, metavar="ĐƠN_VỊ", help="đơn vị chủ trì (tên hoặc mã đơn vị)")
    p.add_argument("--support", metavar="ĐƠN_VỊ;…", help="các đơn vị phối hợp, ngăn cách bởi dấu ; — thời hạn riêng "
                   "ghi sau dấu =, ví dụ \"Phòng A=20/05/2026;Phòng B\"")
    p.add_argument("--deadline", metavar="NGÀY", help="thời hạn giải quyết (mặc định: theo quy định của cơ quan, "
                   "tính theo ngày làm việc)")
    p.add_argument("--directive", help="ý kiến chỉ đạo của lãnh đạo")
    p.add_argument("--directed-by", help="lãnh đạo cho ý kiến")
    p.add_argument("--on", metavar="NGÀY", help="ngày chỉ đạo (mặc định: hôm nay)")
    p.add_argument("--assignee", help="người được giao trong đơn vị chủ trì")

    p = sub(commands, "route-correct", "sửa lần chuyển hiện tại khi ghi sai (bản cũ vẫn giữ trong lịch sử, ghi "
                                       "“đã sửa”); điều gì không ghi thì giữ như cũ, ký nhận đã có được giữ")
    _by_number(p)
    p.add_argument("--step", type=positive_int, metavar="LẦN", help="lần chuyển cần sửa (mặc định: lần hiện tại)")
    for flag, text in (("--lead", "đơn vị chủ trì"),
                       ("--support", "các đơn vị phối hợp, như ở lệnh route (\"\": bỏ hết)"),
                       ("--deadline", "thời hạn giải quyết"), ("--directive", "ý kiến chỉ đạo"),
                       ("--directed-by", "lãnh đạo cho ý kiến"), ("--on", "ngày chỉ đạo"),
                       ("--assignee", "người được giao trong đơn vị chủ trì")):
        p.add_argument(flag, help=f"{text} đúng (mặc định: giữ như cũ)")

    p = sub(commands, "handover", "ghi đơn vị đã nhận văn bản và người ký nhận")
    _by_number(p)
    p.add_argument("--unit", required=True, metavar="ĐƠN_VỊ", help="đơn vị nhận (tên hoặc mã)")
    p.add_argument("--signed-by", required=True, help="họ tên người ký nhận")
    p.add_argument("--at", metavar="NGÀY [GIỜ]", help="thời điểm nhận, ví dụ \"05/05/2026 08:30\" (mặc định: bây giờ)")

    p = sub(commands, "status", "cập nhật tiến độ của một đơn vị (--unit), hoặc trạng thái của văn bản chưa chuyển "
                                "xử lý (ví dụ lưu hồ sơ)")
    _by_number(p)
    p.add_argument("--unit", metavar="ĐƠN_VỊ", help="đơn vị (tên hoặc mã) trong lần chuyển mới nhất")
    p.add_argument("--set", required=True, metavar="TRẠNG_THÁI", help="chờ trình, chờ xử lý, đang xử lý, đã xử lý, "
                   "đã trả lời hoặc lưu hồ sơ (không cần dấu)")
    p.add_argument("--at", metavar="NGÀY [GIỜ]", help="thời điểm đơn vị xong việc (mặc định: bây giờ)")

    p = sub(commands, "overdue", "văn bản đến quá hạn giải quyết và sắp đến hạn (trong 2 ngày làm việc), theo đơn vị")
    p.add_argument("--on", metavar="NGÀY", help="tính tại ngày này (mặc định: hôm nay)")

    holiday = sub(commands, "holiday", "bảng ngày nghỉ lễ, Tết (dùng để tính thời hạn theo ngày làm việc)")
    actions = holiday.add_subparsers(dest="action", required=True, metavar="VIỆC")
    p = sub(actions, "list", "liệt kê ngày nghỉ")
    p.add_argument("--year", type=year_number, help="chỉ năm này")
    p = sub(actions, "add", "thêm ngày nghỉ (thời hạn đã giao không bị tính lại)")
    p.add_argument("day", metavar="NGÀY")
    p.add_argument("name", metavar="TÊN", help="tên ngày nghỉ, ví dụ \"Nghỉ bù Quốc khánh\"")
    p = sub(actions, "remove", "bỏ một ngày nghỉ")
    p.add_argument("day", metavar="NGÀY")


def _deadline_rule_commands(commands: argparse._SubParsersAction, sub) -> None:  # type: ignore[no-untyped-def]
    rule = sub(commands, "deadline-rule", "quy định thời hạn giải quyết văn bản đến (số ngày làm việc theo loại "
                                          "văn bản, độ khẩn); sửa quy định không làm đổi thời hạn đã giao")
    actions = rule.add_subparsers(dest="action", required=True, metavar="VIỆC")
    sub(actions, "list", "liệt kê các quy định thời hạn")
    for name, help_text in (("set", "đặt số ngày làm việc cho một loại văn bản, độ khẩn (thêm mới hoặc sửa)"),
                            ("remove", "bỏ quy định của một loại văn bản, độ khẩn")):
        p = sub(actions, name, help_text)
        p.add_argument("--type", default="", metavar="LOẠI", help="tên loại văn bản, ví dụ \"Công văn\" "
                                                                  "(bỏ trống: mọi loại)")
        p.add_argument("--urgency", default="", metavar="ĐỘ_KHẨN", help="khẩn | thượng khẩn | hỏa tốc "
                                                                        "(bỏ trống: mọi độ khẩn)")
        if name == "set":
            p.add_argument("--days", required=True, metavar="SỐ_NGÀY", help="số ngày làm việc, từ 0 (trong ngày) "
                                                                            "đến 365")



def _transfer_commands(commands: argparse._SubParsersAction, sub) -> None:  # type: ignore[no-untyped-def]
    p = sub(commands, "export", "xuất sổ đăng ký ra tệp Excel (.xlsx): mỗi văn bản một dòng, đủ các trường để nhập lại")
    p.add_argument("--book", required=True, choices=["incoming", "outgoing"],
                   help="incoming: sổ văn bản đến; outgoing: sổ văn bản đi")
    p.add_argument("--year", type=year_number, help="năm của sổ (mặc định: năm nay)")
    p.add_argument("--xlsx", required=True, metavar="TỆP.xlsx", help="tệp Excel kết quả")
    p.add_argument("--secret", action="store_true", help="sổ mật")
    p.add_argument("--from", dest="date_from", metavar="NGÀY", help="từ ngày (ngày đến / ngày ký)")
    p.add_argument("--to", dest="date_to", metavar="NGÀY", help="đến ngày")
    p = sub(commands, "import", "nhập sổ đăng ký cũ từ tệp Excel (.xlsx) hoặc CSV, giữ nguyên số đến / số đi; "
                                "có một dòng lỗi thì không nhập dòng nào")
    p.add_argument("file", metavar="TỆP", help="tệp .xlsx hoặc .csv (UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy)")
    p.add_argument("--book", choices=["incoming", "outgoing"],
                   help="sổ nhận dữ liệu (mặc định: nhận ra từ tiêu đề cột — Số đến là sổ đến, Người ký là sổ đi)")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi gì vào sổ")


def _report_command(commands: argparse._SubParsersAction, sub) -> None:  # type: ignore[no-untyped-def]
    p = sub(commands, "report", "báo cáo năm: văn bản đến, đi theo tháng, cơ quan ban hành, loại văn bản; tình hình "
                                "giải quyết văn bản đến theo đơn vị (đúng hạn, trễ hạn, quá hạn)")
    p.add_argument("--year", type=year_number, help="năm báo cáo (mặc định: năm nay)")
    p.add_argument("--by", choices=["month", "unit", "issuer", "type"],
                   help="chỉ một bảng: month (tháng), unit (đơn vị), issuer (cơ quan ban hành), type (loại văn bản)")
    p.add_argument("--on", metavar="NGÀY", help="ngày tính quá hạn (mặc định: hôm nay)")
    p.add_argument("--top", type=positive_int, default=10, metavar="N",
                   help="số cơ quan ban hành nhiều văn bản nhất được ghi riêng, còn lại gộp vào \"Khác\" (mặc định 10)")
    p.add_argument("--secret", action="store_true", help="báo cáo sổ mật")
    p.add_argument("--xlsx", metavar="TỆP.xlsx", help="ghi báo cáo ra tệp Excel (mỗi bảng một trang, có biểu đồ)")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="SỔ",
                        help="tệp sổ (SQLite) hoặc địa chỉ máy chủ PostgreSQL, ví dụ postgresql://van_thu@may-chu/so "
                             "(mặc định: $VANTHU_DB, hoặc tệp trong thư mục dữ liệu)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="in kết quả dạng JSON")
    _user_commands.add_sign_in_option(common)
    parser = VietnameseParser(prog="vanthu", description=f"{APP_NAME} — sổ đăng ký văn bản đến, văn bản đi.",
                              parents=[common])
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help="in số phiên bản rồi thoát")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=VietnameseParser)

    def sub(group: argparse._SubParsersAction, name: str, help_text: str) -> argparse.ArgumentParser:
        return group.add_parser(name, help=help_text, description=help_text, parents=[common])

    sub(commands, "init", "tạo hoặc nâng cấp cơ sở dữ liệu")
    p = sub(commands, "gui", "mở cửa sổ chương trình")
    p.add_argument("--screenshot", metavar="TỆP.png", help="chụp cửa sổ chính (1366×768) vào tệp PNG rồi thoát")
    p.add_argument("--select", type=positive_int, metavar="SỐ", help="chọn văn bản đến số này (năm nay) khi mở")
    p.add_argument("--clerk", metavar="HỌ TÊN", help="họ và tên văn thư của sổ chưa có tài khoản (ghi vào sổ; "
                                                    "không hỏi lại khi mở lần đầu)")
    p.add_argument("--dialog", choices=["incoming", "outgoing", "settings", "route", "overdue", "reports"],
                   help="khi chụp: chụp kèm hộp thoại vào sổ đến/đi, cài đặt, chuyển xử lý, danh sách quá hạn "
                        "hoặc báo cáo")
    p.add_argument("--detail", choices=["info", "routing", "links", "files", "history"], default="info",
                   help="khi chụp: thẻ của khung chi tiết (thông tin, xử lý, liên kết, tệp, lịch sử)")

    # `attach 12 --year 2026 scan.pdf`: two positionals with an option between them, which only an intermixed
    # parse reads as a clerk means it.
    help_text = "đính kèm một tệp (bản quét PDF, ảnh) vào văn bản đã vào sổ; tệp được chép vào kho của sổ cùng mã băm"
    p = commands.add_parser("attach", help=help_text, description=help_text, parents=[common], intermixed=True)
    _by_number(p)
    p.add_argument("--book", choices=["incoming", "outgoing", "copy"], default="incoming",
                   help="sổ của văn bản: incoming (đến, mặc định) | outgoing (đi) | copy (bản sao)")
    p.add_argument("file", metavar="TỆP")
    _accept_signature(p)

    p = sub(commands, "extract", "đọc văn bản (.txt, .pdf có lớp chữ) ra các trường của sổ, dạng JSON")
    p.add_argument("file", metavar="TỆP")
    p.add_argument("--sources", action="store_true", help="kèm số dòng nơi đọc được từng trường")

    p = sub(commands, "search", "tìm văn bản theo từ, trong các trường của sổ và trong nội dung tệp đính kèm "
                                "(không cần dấu: \"thong bao\" tìm được \"Thông báo\")")
    p.add_argument("text", help="các từ cần tìm")
    p.add_argument("--year", type=year_number, help="chỉ trong năm này")
    p.add_argument("--book", choices=["incoming", "outgoing", "copy"], help="chỉ trong sổ này (mặc định: mọi sổ)")
    p.add_argument("--secret", action="store_true", help="tìm trong sổ mật")
    p.add_argument("--limit", type=positive_int, default=50, help="số kết quả tối đa (mặc định 50)")

    p = sub(commands, "demo-data", "tạo dữ liệu mẫu để dùng thử (văn bản giả lập, đánh số tiếp theo sổ)")
    p.add_argument("--count", type=positive_int, required=True, help="số văn bản cần tạo")
    p.add_argument("--year", type=year_number, help="mọi văn bản trong năm này (mặc định: rải đều 5 năm gần đây)")
    p.add_argument("--seed", type=int, default=20231024, help="hạt giống ngẫu nhiên (cùng hạt, cùng dữ liệu)")
    p.add_argument("--force", action="store_true", help="vẫn tạo dù cơ sở dữ liệu đã có văn bản (không xóa được)")

    settings = sub(commands, "settings", "cài đặt thông tin cơ quan").add_subparsers(dest="action", required=True,
                                                                                 metavar="VIỆC")
    p = sub(settings, "set", "đặt một giá trị cài đặt")
    p.add_argument("key")
    p.add_argument("value")
    sub(settings, "get", "xem một giá trị cài đặt").add_argument("key")
    sub(settings, "list", "xem mọi cài đặt")

    for direction, label in (("incoming", "văn bản đến"), ("outgoing", "văn bản đi"),
                             ("copy", "bản sao (sao y, sao lục, trích sao)")):
        group = sub(commands, direction, label).add_subparsers(dest="action", required=True, metavar="VIỆC")
        if direction != "copy":  # copies are added with `outgoing add --type "Bản sao y"`
            p = sub(group, "add", f"vào sổ {label}")
            if direction == "incoming":
                # Required unless --from-text reads them from the document (checked by the command).
                _incoming_fields(p, required=False)
                p.add_argument("--from-text", metavar="TỆP", help="đọc các trường từ nội dung văn bản (.txt, .pdf có "
                               "lớp chữ); các tùy chọn khác ghi đè; tạo liên kết chuyển tiếp và trích dẫn")
                p.add_argument("--allow-duplicate", action="store_true", help="vẫn vào sổ dù trùng văn bản đã có")
                _accept_signature(p)
            else:
                _outgoing_fields(p, required=True)
        if direction == "copy":
            _signature_commands.add_copy_make(group, sub, _by_number)
        p = sub(group, "list", f"liệt kê {label} của một năm")
        p.add_argument("--year", type=year_number, help="năm (mặc định: năm nay)")
        p.add_argument("--secret", action="store_true", help="sổ mật")
        p.add_argument("--limit", type=positive_int, help="chỉ in N văn bản đầu")
        _by_number(sub(group, "show", f"xem một {label}"))
        p = sub(group, "cancel", f"hủy một {label} (giữ số, ghi ĐÃ HỦY)")
        _by_number(p)
        p.add_argument("--reason", required=True, help="lý do hủy")
        p = sub(group, "edit", f"sửa một {label} (ghi nhật ký)")
        _by_number(p)
        (_incoming_fields if direction == "incoming" else _outgoing_fields)(p, required=False)
        if direction == "incoming":
            p.add_argument("--allow-duplicate", action="store_true", help="vẫn lưu dù trùng văn bản đã có")

    p = sub(commands, "link", "liên kết văn bản mã ID với văn bản khác (mã hoặc số, ký hiệu)")
    p.add_argument("id", type=positive_int, help="mã văn bản (ID) nguồn")
    kinds = p.add_mutually_exclusive_group(required=True)
    for kind in LinkType:
        kinds.add_argument(f"--{kind.value.replace('_', '-')}", dest=f"link_{kind.value}", metavar="MÃ|SỐ-KÝ-HIỆU",
                           help=f"{kind.label}")
    p.add_argument("--on", help="ngày của văn bản được dẫn (khi dùng số, ký hiệu)")
    p.add_argument("--issuer", help="cơ quan ban hành văn bản được dẫn")

    _print_commands(sub(commands, "print", "in dấu ĐẾN, phiếu giải quyết, giấy biên nhận, sổ đăng ký (ra tệp PDF)")
                    .add_subparsers(dest="action", required=True, metavar="VIỆC"), sub)

    book = sub(commands, "book", "sổ đăng ký").add_subparsers(dest="action", required=True, metavar="VIỆC")
    sub(book, "list", "liệt kê các sổ")
    p = sub(book, "add", "mở sổ mới (sổ cùng loại đang mở sẽ được khóa)")
    p.add_argument("--direction", required=True, choices=["incoming", "outgoing", "copy"])
    p.add_argument("--secret", action="store_true")
    p.add_argument("--scope", choices=["single", "per_type"], help="một dãy số chung hoặc mỗi loại một dãy")
    p.add_argument("--term-start", help="ngày bắt đầu nhiệm kỳ (sổ đánh số theo nhiệm kỳ)")
    p.add_argument("--term-end", help="ngày kết thúc nhiệm kỳ")
    p.add_argument("--name")
    p.add_argument("--book-number", type=positive_int, default=1, help="quyển số")

    department = sub(commands, "department", "đơn vị trong cơ quan").add_subparsers(dest="action", required=True,
                                                                                  metavar="VIỆC")
    p = sub(department, "add", "thêm đơn vị")
    p.add_argument("name")
    p.add_argument("--code", help="mã đơn vị (ví dụ VP)")
    _routing_commands(commands, sub)
    _transfer_commands(commands, sub)
    _deadline_rule_commands(commands, sub)
    _report_command(commands, sub)
    from app.cli.backup_commands import add_parsers as _backup_commands

    _backup_commands(commands, sub)
    _user_commands.add_parsers(commands, sub)
    _signature_commands.add_parsers(commands, sub, _by_number)
    _edxml_commands.add_parsers(commands, sub, _by_number)
    p = sub(commands, "issuers", "tìm cơ quan ban hành trong danh bạ")
    p.add_argument("text", nargs="?", default="")
    p = sub(commands, "audit", "xem nhật ký thay đổi (mới nhất trước), hoặc kiểm tra tính toàn vẹn: audit verify")
    p.add_argument("--limit", type=positive_int, default=50)
    p.add_argument("--document", type=positive_int, help="chỉ nhật ký của văn bản mã này")
    p.add_argument("--actor", help="người thực hiện (một phần tên đăng nhập)")
    p.add_argument("--action", help="việc: create, edit, cancel, link, route, settings, print, sign_in…")
    p.add_argument("--from", dest="date_from", metavar="NGÀY", help="từ ngày (giờ địa phương)")
    p.add_argument("--to", dest="date_to", metavar="NGÀY", help="đến ngày (giờ địa phương)")
    actions = p.add_subparsers(dest="audit_action", metavar="VIỆC", parser_class=VietnameseParser)
    verify = sub(actions, "verify", "kiểm tra chuỗi mã băm của nhật ký: báo mục đầu tiên bị sửa, xóa hoặc chèn "
                                    "(mã thoát 2)")
    verify.add_argument("--against", metavar="TỆP|MÃ",
                        help="đối chiếu với một bản sao lưu (.vanthu), tệp neo (.json) hoặc mã kiểm tra in trên sổ "
                             "('#123, 0123456789abcdef'): nhật ký hiện tại phải nối tiếp nó")
    sub(actions, "anchor", "ghi ngay đầu chuỗi nhật ký vào tệp neo (thư mục trong cài đặt audit.anchor_dir)")
    return parser
