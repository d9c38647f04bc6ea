"""A register holding secret entries whose every string carries one token, and a way to look for that token in
what a user without clearance is shown (tests/cli/test_secret_leaks.py, tests/ui/test_secret_leaks_ui.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.commands import run
from app.core.text import fold

ADMIN = {"VANTHU_USER": "quantri", "VANTHU_PASSWORD": "quan-tri-2026"}
CLERK = {"VANTHU_USER": "lan", "VANTHU_PASSWORD": "van-thu-2026"}
CLEARED = {"VANTHU_USER": "hoa", "VANTHU_PASSWORD": "van-thu-mat-2026"}
# Every string the secret entries carry holds this token (folded: marks off, đ → d), and no ordinary one does.
TOKEN = "qxzv"
SECRET_ISSUER = "Cục Kỹ thuật Qxzv"
SECRET_REFERENCE = "77/QXZV-BM"


class Cli:
    """`python -m app` in this process (a subprocess per command would take minutes), as one user at a time."""

    def __init__(self, db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.monkeypatch, self.capsys = db, monkeypatch, capsys

    def __call__(self, env: dict[str, str], *args: str, ok: bool = True) -> str:
        for key, value in env.items():
            self.monkeypatch.setenv(key, value)
        self.capsys.readouterr()
        try:
            code = run(["--db", str(self.db), *args])
        except SystemExit as exc:  # argparse refusing an argument
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err, (args, err)
        if ok:
            assert code == 0, (args, err)
        return out + err


def new_cli(db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    for name in ("VANTHU_USER", "VANTHU_PASSWORD", "VANTHU_NEW_PASSWORD", "VANTHU_DB"):
        monkeypatch.delenv(name, raising=False)
    return Cli(db, monkeypatch, capsys)


def leaks(text: str, typed: tuple[str, ...] = ()) -> bool:
    """True when the token appears in what the user was shown, beyond the words the user typed in."""
    folded = fold(text)
    for word in typed:
        folded = folded.replace(fold(word), "")
    return TOKEN in folded


def set_up(cli: Cli) -> dict[str, int]:
    """Accounts, two units, an ordinary entry, and secret entries (incoming and outgoing) routed and linked."""
    cli({"VANTHU_NEW_PASSWORD": ADMIN["VANTHU_PASSWORD"]}, "user", "add", "quantri", "--role", "quan_tri")
    cli({**ADMIN, "VANTHU_NEW_PASSWORD": CLERK["VANTHU_PASSWORD"]}, "user", "add", "lan", "--role", "van_thu")
    cli({**ADMIN, "VANTHU_NEW_PASSWORD": CLEARED["VANTHU_PASSWORD"]}, "user", "add", "hoa", "--role", "van_thu",
        "--clearance", "toi_mat", "--full-name", "Trần Thị Hoa")
    for key, value in (("agency.name", "SỞ Y TẾ TỈNH TÂY NINH"), ("agency.abbreviation", "SYT")):
        cli(ADMIN, "settings", "set", key, value)
    for unit in ("Phòng Kế hoạch", "Văn phòng"):
        cli(ADMIN, "department", "add", unit)
    ordinary = json.loads(cli(CLERK, "--json", "incoming", "add", "--issuer", "SỞ Y TẾ", "--reference",
                              "5/SYT-VP", "--issued-on", "02/03/2026", "--received-on", "03/03/2026", "--type",
                              "Công văn", "--subject", "Về việc tiêm chủng mở rộng"))
    secret = json.loads(cli(CLEARED, "--json", "incoming", "add", "--issuer", SECRET_ISSUER, "--reference",
                            SECRET_REFERENCE, "--issued-on", "02/03/2026", "--received-on", "03/03/2026",
                            "--type", "Công văn", "--subject", "Về việc bảo vệ mục tiêu Qxzv", "--secrecy",
                            "tối mật", "--note", "Cất tủ Qxzv", "--file-code", "HS-QXZV", "--urgency", "khẩn"))
    cli(CLEARED, "route", str(secret["number"]), "--secret", "--year", "2026", "--lead", "Phòng Kế hoạch",
        "--support", "Văn phòng", "--deadline", "20/03/2026", "--directive", "Chỉ đạo Qxzv khẩn",
        "--directed-by", "Lãnh đạo Qxzv", "--on", "04/03/2026", "--assignee", "Cán bộ Qxzv")
    cli(CLEARED, "handover", str(secret["number"]), "--secret", "--year", "2026", "--unit", "Phòng Kế hoạch",
        "--signed-by", "Người nhận Qxzv", "--at", "04/03/2026 09:00")
    reply = json.loads(cli(CLEARED, "--json", "outgoing", "add", "--type", "Công văn", "--unit", "VP",
                           "--signed-on", "05/03/2026", "--subject", "Về việc trả lời Qxzv", "--signer",
                           "Người ký Qxzv", "--signer-title", "Giám đốc", "--recipients", "Nơi nhận Qxzv",
                           "--secrecy", "mật", "--note", "Ghi chú Qxzv"))
    cli(CLEARED, "link", str(reply["id"]), "--replies-to", str(secret["id"]))
    cli(CLEARED, "link", str(secret["id"]), "--cites", "5/SYT-VP", "--issuer", "SỞ Y TẾ")
    return {"ordinary": ordinary["id"], "secret": secret["id"], "secret_number": secret["number"],
            "reply": reply["id"], "reply_number": reply["number"]}


