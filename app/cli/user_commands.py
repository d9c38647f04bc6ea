"""Sign-in for every command (--user / VANTHU_USER, password prompt or VANTHU_PASSWORD) and the `user` commands."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.cli import output
from app.core.access import Permission
from app.core.errors import SignInRequired, ValidationError

if TYPE_CHECKING:
    from app.services import Registry

USER_ENV, PASSWORD_ENV, NEW_PASSWORD_ENV = "VANTHU_USER", "VANTHU_PASSWORD", "VANTHU_NEW_PASSWORD"


def add_parsers(commands: argparse._SubParsersAction,
                sub: Callable[[argparse._SubParsersAction, str, str], argparse.ArgumentParser]) -> None:
    group = sub(commands, "user", "tài khoản người dùng (quản trị): thêm, xem, khóa, mở khóa, sửa, đặt lại mật khẩu"
                ).add_subparsers(dest="action", required=True, metavar="VIỆC")
    p = sub(group, "add", "thêm tài khoản (mật khẩu được hỏi, hoặc lấy từ VANTHU_NEW_PASSWORD); tài khoản đầu tiên "
                          "phải là quản trị")
    p.add_argument("name", metavar="TÊN", help="tên đăng nhập (chữ không dấu, số, . _ -), ví dụ lan.nt")
    p.add_argument("--role", required=True, metavar="VAI_TRÒ",
                   help="van_thu | lanh_dao | chuyen_vien | quan_tri; nhiều vai trò ngăn cách bởi dấu phẩy")
    p.add_argument("--clearance", metavar="ĐỘ_MẬT", help="được xem sổ mật đến độ: mat | toi_mat | tuyet_mat "
                                                        "(mặc định: không được xem sổ mật)")
    p.add_argument("--full-name", default="", help="họ và tên")
    p.add_argument("--unit", help="đơn vị (tên hoặc mã) của chuyên viên: họ xem văn bản được chuyển đến đơn vị đó")
    sub(group, "list", "liệt kê các tài khoản")
    for action, text in (("disable", "khóa tài khoản (không xóa: nhật ký vẫn ghi tên)"),
                         ("enable", "mở khóa tài khoản")):
        sub(group, action, text).add_argument("name", metavar="TÊN")
    p = sub(group, "set", "sửa vai trò, độ mật, họ tên, đơn vị của tài khoản")
    p.add_argument("name", metavar="TÊN")
    p.add_argument("--role", metavar="VAI_TRÒ")
    p.add_argument("--clearance", metavar="ĐỘ_MẬT", help="mat | toi_mat | tuyet_mat | khong (bỏ quyền xem sổ mật)")
    p.add_argument("--full-name")
    p.add_argument("--unit", help="đơn vị (tên hoặc mã); \"\" để bỏ")
    sub(group, "password", "đặt lại mật khẩu của một tài khoản (mật khẩu mới được hỏi, hoặc VANTHU_NEW_PASSWORD)"
        ).add_argument("name", metavar="TÊN")


def add_sign_in_option(common: argparse.ArgumentParser) -> None:
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="TÊN",
                        help="tên đăng nhập (mặc định: $VANTHU_USER); mật khẩu được hỏi hoặc lấy từ $VANTHU_PASSWORD")


def sign_in(registry: Registry, args: argparse.Namespace) -> None:
    """Once the register has accounts, nothing runs without a valid name and password (SignInRequired: exit 2).
    A register without accounts stays open (the single-clerk setup)."""
    if not registry.has_users():
        return
    name = getattr(args, "user", None) or os.environ.get(USER_ENV, "")
    if not name.strip():
        from app.services.parts.users import SIGN_IN_HINT

        raise SignInRequired(SIGN_IN_HINT)
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise SignInRequired(f"Chưa có mật khẩu của {name}: đặt biến {PASSWORD_ENV} (không hỏi được vì không có "
                                 "bàn phím).")
        password = getpass.getpass(f"Mật khẩu của {name}: ")
    registry.sign_in(name, password, "dòng lệnh")


def _new_password(name: str) -> str:
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise ValidationError.single("password", "Mật khẩu", f"chưa có: đặt biến {NEW_PASSWORD_ENV} (không hỏi được "
                                                             "vì không có bàn phím).")
    first = getpass.getpass(f"Mật khẩu mới của {name}: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise ValidationError.single("password", "Mật khẩu", "hai lần nhập không giống nhau; chưa lưu gì.")
    return first


def _line(u: object) -> str:
    from app.services.users import UserRecord

    assert isinstance(u, UserRecord)
    state = "" if u.active else "  [ĐÃ KHÓA]"
    clearance = f"mật: {u.clearance_label}" if u.clearance_label else "không xem sổ mật"
    unit = f"; đơn vị: {u.department}" if u.department else ""
    name = f" ({u.full_name})" if u.full_name else ""
    return f"{u.username}{name} — {u.roles_label}; {clearance}{unit}{state}"


def cmd_user(reg: Registry, args: argparse.Namespace) -> None:
    wants_json = getattr(args, "json", False)
    if args.action == "list":
        found = reg.users.list()
        if wants_json:
            output.emit_json([u.to_dict() for u in found])
        else:
            output.say("\n".join(_line(u) for u in found) or "(Chưa có tài khoản nào: sổ đang mở cho mọi người dùng "
                                                            "máy này.)")
        return
    if args.action == "add":
        reg.check(Permission.USERS)  # before a password is asked for
        record = reg.users.add(args.name, _new_password(args.name), args.role, args.clearance, args.full_name,
                              args.unit)
        verb = "Đã thêm tài khoản"
    elif args.action in ("disable", "enable"):
        record = reg.users.update(args.name, active=args.action == "enable")
        verb = "Đã mở khóa" if args.action == "enable" else "Đã khóa"
    elif args.action == "password":
        reg.check(Permission.USERS)  # before a password is asked for
        record = reg.users.update(args.name, password=_new_password(args.name))
        verb = "Đã đặt lại mật khẩu"
    else:
        record = reg.users.update(args.name, roles=args.role, clearance=args.clearance, full_name=args.full_name,
                                 unit=args.unit)
        verb = "Đã sửa"
    if wants_json:
        output.emit_json(record.to_dict())
    else:
        output.say(f"{verb}: {_line(record)}")
