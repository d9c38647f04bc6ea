"""Shared fixtures: a fresh SQLite register file per test, and offscreen Qt."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything can import PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent

from app.services import Registry  # noqa: E402
from tests import pg_server  # noqa: E402


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.sqlite3"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_engines: run the tests using the `engine` fixture (registry, "
                            "state_registry, party_registry, db_url) on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "sqlite_only: keep a test of a both_engines module on SQLite only (it opens "
                            "the .sqlite3 file, checks PRAGMAs, FTS5, ...)")
    config.addinivalue_line("markers", "installer: builds the frozen bundle with installer/build.sh and runs it "
                            "(minutes; not in the default run: `scripts/test.sh -m installer`)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """In modules marked both_engines, every test that needs a register runs once per engine."""
    if ("engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_engines")
            and not metafunc.definition.get_closest_marker("sqlite_only")):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg_server.PostgresServer]:
    """One local PostgreSQL server for the whole run (see tests/pg_server.py)."""
    reason = pg_server.unavailable_reason()
    if reason:
        if pg_server.required():
            pytest.fail(f"PostgreSQL tests are required here (CI / VANTHU_REQUIRE_PG) but {reason}", pytrace=False)
        pytest.skip(f"PostgreSQL not available: {reason}")
    bindir = pg_server.find_bindir()
    assert bindir is not None
    server = pg_server.PostgresServer(bindir)
    try:
        server.start()
    except Exception as exc:
        server.stop()
        if pg_server.required():
            pytest.fail(f"Could not start the test PostgreSQL server: {exc}", pytrace=False)
        pytest.skip(f"Could not start the test PostgreSQL server: {exc}")
    yield server
    server.stop()


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """"sqlite" unless the test is parametrized per engine (modules marked both_engines)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_url(engine: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The --db value of an empty register: the SQLite file path, or the URL of a fresh PostgreSQL database."""
    if engine == "sqlite":
        yield str(db_path)
        return
    server: pg_server.PostgresServer = request.getfixturevalue("postgres")
    name, url = server.new_database()
    yield url
    server.drop_database(name)


@pytest.fixture
def registry(db_url: str) -> Iterator[Registry]:
    """A migrated, empty register on a real SQLite file (or a PostgreSQL database, see `engine`)."""
    reg = Registry(db_url, actor="van_thu_test")
    yield reg
    reg.close()


@pytest.fixture
def state_registry(registry: Registry) -> Registry:
    """A register of a state agency (Sở Y tế Tây Ninh)."""
    registry.settings.set("agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    registry.settings.set("agency.abbreviation", "SYT")
    registry.settings.set("agency.parent", "UBND TỈNH TÂY NINH")
    registry.settings.set("agency.family", "state")
    return registry


@pytest.fixture
def party_registry(registry: Registry) -> Registry:
    """A register of a Party agency (Tỉnh ủy)."""
    registry.settings.set("agency.name", "TỈNH ỦY TÂY NINH")
    registry.settings.set("agency.abbreviation", "TU")
    registry.settings.set("agency.family", "party")
    return registry


def run_cli(*args: str, db: Path, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m app ...` as a user would, in a real subprocess."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "app", "--db", str(db), *args], capture_output=True, text=True,
                          encoding="utf-8", env=full_env, cwd=ROOT, input=stdin, timeout=120)


@pytest.fixture(scope="module")
def ca():  # type: ignore[no-untyped-def]
    """A test root CA (tests/pki.py), one per test module: the signature and edXML tests trust or distrust it."""
    from tests import pki

    return pki.make_ca()


@pytest.fixture(scope="module")
def sender(ca):  # type: ignore[no-untyped-def]
    """The sending agency's signer (Sở Y tế tỉnh Tây Ninh), certified by `ca`."""
    from tests import pki
    from tests.signatures.documents import SENDER

    return pki.issue(ca, "Lê Thị Bình", SENDER, "Văn phòng")
