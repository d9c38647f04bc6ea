"""`--db postgresql+psycopg://…`: the command line on a PostgreSQL database, from an empty database (which
`init` migrates) through registering, searching, routing, cancelling, reports, printing, export, demo data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.pg_server import PostgresServer


@pytest.fixture
def pg_url(postgres: PostgresServer) -> Iterator[str]:
    name, url = postgres.empty_database()
    yield url
    postgres.drop_database(name)


def cli(url: str, *args: str) -> Any:
    result = run_cli(*args, "--json", db=url)  # type: ignore[arg-type]
    assert result.returncode == 0 and "Traceback" not in result.stderr, (
        f"`{' '.join(args)}` exited {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    try:
        return json.loads(result.stdout)
    except ValueError:  # a few commands print text even with --json
        return result.stdout


def test_a_whole_session_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    run = run_cli("init", db=pg_url)  # type: ignore[arg-type]
    assert run.returncode == 0 and "sẵn sàng" in run.stdout, run.stderr
    for key, value in (("agency.name", "SỞ Y TẾ TỈNH TÂY NINH"), ("agency.abbreviation", "SYT"),
                       ("agency.family", "state")):
        cli(pg_url, "settings", "set", key, value)
    cli(pg_url, "department", "add", "Văn phòng", "--code", "VP")
    first = cli(pg_url, "incoming", "add", "--issuer", "UBND tỉnh Tây Ninh", "--reference", "512/UBND-KGVX",
                "--issued-on", "23/10/2023", "--received-on", "24/10/2023", "--type", "Công văn",
                "--subject", "V/v triển khai tiêm vắc xin đợt bổ sung")
    second = cli(pg_url, "incoming", "add", "--issuer", "Bộ Y tế", "--reference", "77/BYT-KHTC",
                 "--issued-on", "24/10/2023", "--received-on", "24/10/2023", "--type", "Thông báo",
                 "--subject", "Thông báo lịch họp")
    assert (first["number"], second["number"]) == (1, 2)
    letters = [cli(pg_url, "outgoing", "add", "--type", kind, "--unit", "VP", "--subject", "V/v trả lời",
                   "--signer", "Trương Văn Hùng", "--signed-on", "25/10/2023")["reference"]
               for kind in ("Công văn", "Quyết định")]
    assert letters == ["01/SYT-VP", "02/QĐ-SYT"]
    assert [d["id"] for d in cli(pg_url, "search", "tiem vac xin", "--year", "2023")] == [first["id"]]
    cli(pg_url, "route", "1", "--year", "2023", "--lead", "VP", "--on", "25/10/2023",
        "--deadline", "30/10/2023")
    cli(pg_url, "incoming", "cancel", "2", "--year", "2023", "--reason", "Vào sổ nhầm")
    listed = cli(pg_url, "incoming", "list", "--year", "2023")
    assert [(d["number"], d["cancelled"]) for d in listed] == [(1, False), (2, True)]
    assert cli(pg_url, "report", "--year", "2023") is not None
    pdf = tmp_path / "so-den.pdf"
    cli(pg_url, "print", "register", "--book", "incoming", "--year", "2023", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    xlsx = tmp_path / "so-den.xlsx"
    cli(pg_url, "export", "--book", "incoming", "--year", "2023", "--xlsx", str(xlsx))
    assert xlsx.stat().st_size > 0  # importing it back is tests/services/test_transfer.py[postgresql]
    demo = run_cli("demo-data", "--count", "30", "--year", "2022", "--force", db=pg_url)  # type: ignore[arg-type]
    assert demo.returncode == 0, demo.stderr
    assert len(cli(pg_url, "incoming", "list", "--year", "2022")) > 0
