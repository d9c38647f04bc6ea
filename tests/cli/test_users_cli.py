"""The CLI with accounts: open register until the first account, then every command signs in or exits 2."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

ADMIN = {"VANTHU_USER": "quantri", "VANTHU_PASSWORD": "quan-tri-2026"}
CLERK = {"VANTHU_USER": "lan", "VANTHU_PASSWORD": "van-thu-2026"}
SECRET_CLERK = {"VANTHU_USER": "hoa", "VANTHU_PASSWORD": "van-thu-mat-2026"}


def _add_incoming(db: Path, env: dict[str, str], n: int, *extra: str) -> str:
    result = run_cli("incoming", "add", "--issuer", "BỘ CÔNG AN", "--reference", f"{n}/BCA-A03",
                     "--issued-on", "02/01/2026", "--received-on", "03/01/2026", "--type", "Công văn", *extra,
                     db=db, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_accounts_from_the_command_line(db_path: Path, tmp_path: Path) -> None:
    # No accounts: the single-clerk register is open, and the first account must be a quản trị.
    _add_incoming(db_path, {}, 1, "--subject", "Về việc chuẩn bị hội nghị")
    assert run_cli("user", "list", db=db_path).stdout.startswith("(Chưa có tài khoản nào")
    refused = run_cli("user", "add", "lan", "--role", "van_thu", db=db_path,
                      env={"VANTHU_NEW_PASSWORD": CLERK["VANTHU_PASSWORD"]})
    assert refused.returncode == 2 and "tài khoản đầu tiên phải có vai trò quản trị" in refused.stderr
    no_password = run_cli("user", "add", "quantri", "--role", "quan_tri", db=db_path, stdin="")
    assert no_password.returncode == 2 and "VANTHU_NEW_PASSWORD" in no_password.stderr
    made = run_cli("user", "add", "quantri", "--role", "quan_tri", "--full-name", "Quản Trị", db=db_path,
                   env={"VANTHU_NEW_PASSWORD": ADMIN["VANTHU_PASSWORD"]})
    assert made.returncode == 0 and "không xem sổ mật" in made.stdout

    # From now on every command needs valid credentials (exit 2), init and backup included.
    for command in (("incoming", "list"), ("init",), ("search", "hoi nghi"), ("backup", "-o", str(tmp_path / "a"))):
        result = run_cli(*command, db=db_path)
        assert result.returncode == 2, command
        assert "hãy đăng nhập (--user TÊN hoặc biến VANTHU_USER" in result.stderr
    wrong = run_cli("incoming", "list", db=db_path, env={**ADMIN, "VANTHU_PASSWORD": "sai-mat-khau"})
    assert wrong.returncode == 2 and "Sai tên đăng nhập hoặc mật khẩu" in wrong.stderr
    no_tty = run_cli("--user", "quantri", "incoming", "list", db=db_path, stdin="")
    assert no_tty.returncode == 2 and "VANTHU_PASSWORD" in no_tty.stderr

    for name, role, clearance, env in (("lan", "van_thu", None, CLERK), ("hoa", "van_thu", "toi_mat", SECRET_CLERK)):
        args = ["user", "add", name, "--role", role, *(["--clearance", clearance] if clearance else [])]
        added = run_cli(*args, db=db_path, env={**ADMIN, "VANTHU_NEW_PASSWORD": env["VANTHU_PASSWORD"]})
        assert added.returncode == 0, added.stderr
    listed = json.loads(run_cli("user", "list", "--json", db=db_path, env=ADMIN).stdout)
    assert [(u["username"], u["roles"], u["clearance"]) for u in listed] == [
        ("hoa", ["van_thu"], "toi_mat"), ("lan", ["van_thu"], None), ("quantri", ["quan_tri"], None)]
    assert all("password" not in json.dumps(u) for u in listed)

    # A clerk registers; the admin may not; only the cleared clerk sees the secret book.
    assert "Số đến 2" in _add_incoming(db_path, CLERK, 2, "--subject", "Về việc tổ chức tập huấn")
    denied = run_cli("incoming", "add", "--issuer", "X", "--reference", "3/X", "--issued-on", "02/01/2026",
                     "--type", "Công văn", "--subject", "Y", db=db_path, env=ADMIN)
    assert denied.returncode == 2 and "không có quyền vào sổ" in denied.stderr
    secret = run_cli("incoming", "add", "--issuer", "BỘ CÔNG AN", "--reference", "9/BCA", "--issued-on",
                     "02/01/2026", "--type", "Công văn", "--subject", "Về việc bảo vệ bí mật", "--secrecy", "mật",
                     db=db_path, env=CLERK)
    assert secret.returncode == 2 and "không được phép xử lý văn bản Mật" in secret.stderr
    _add_incoming(db_path, SECRET_CLERK, 9, "--subject", "Về việc bảo vệ bí mật", "--secrecy", "tối mật")
    top = run_cli("incoming", "add", "--issuer", "BỘ CÔNG AN", "--reference", "10/BCA", "--issued-on",
                  "02/01/2026", "--type", "Công văn", "--secrecy", "tuyệt mật", db=db_path, env=SECRET_CLERK)
    assert top.returncode == 2 and "Tuyệt mật" in top.stderr
    for env, expected in ((CLERK, 0), (ADMIN, 0), (SECRET_CLERK, 1)):
        found = json.loads(run_cli("search", "bao ve bi mat", "--secret", "--json", db=db_path, env=env).stdout)
        assert len(found) == expected
        listed_secret = run_cli("incoming", "list", "--secret", "--year", "2026", "--json", db=db_path, env=env)
        assert len(json.loads(listed_secret.stdout)) == expected

    # The quản trị disables an account: its next command is refused; backup is the quản trị's.
    assert run_cli("user", "disable", "lan", db=db_path, env=ADMIN).returncode == 0
    locked = run_cli("incoming", "list", db=db_path, env=CLERK)
    assert locked.returncode == 2 and "đã bị khóa" in locked.stderr
    backup = run_cli("backup", "-o", str(tmp_path / "sao-luu.vanthu"), db=db_path, env=SECRET_CLERK)
    assert backup.returncode == 2 and "không có quyền sao lưu" in backup.stderr
    assert run_cli("backup", "-o", str(tmp_path / "sao-luu.vanthu"), db=db_path, env=ADMIN).returncode == 0

    # Every sign-in, refusal and account change is in the audit trail, which still verifies.
    audit = json.loads(run_cli("audit", "--limit", "200", "--json", db=db_path, env=ADMIN).stdout)
    actions = {(e["action"], e["actor"]) for e in audit}
    assert {("sign_in", "lan"), ("sign_in_failed", "quantri"), ("sign_in_failed", "lan"), ("user_create", "quantri"),
            ("user_disable", "quantri")} <= actions
    assert not [e for e in audit if e["entity"] == "document" and e["action"] == "create"
                and "bí mật" in json.dumps(e, ensure_ascii=False)]  # the admin is not cleared
    assert run_cli("audit", "verify", db=db_path, env=ADMIN).returncode == 0
