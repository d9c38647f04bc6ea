"""A throwaway local PostgreSQL server for the tests that run on both engines.

One server per test run: `initdb` into a temporary folder and `pg_ctl -w start` on a free port, listening on
127.0.0.1 only, with its unix socket in the same folder and `trust` authentication. PostgreSQL refuses to run
as root, so when the tests run as root (CI does) the server runs as the `postgres` system user that Debian's
`postgresql` package creates. The schema is migrated once into a template database; every test gets its own
database copied from it (CREATE DATABASE … TEMPLATE), so Alembic does not run again per test.

Without PostgreSQL installed the PostgreSQL variants are skipped, except when CI=1 or VANTHU_REQUIRE_PG=1
(set by scripts/test.sh), where they fail naming what is missing.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

TEMPLATE = "vanthu_template"
REQUIRE_ENV = ("CI", "VANTHU_REQUIRE_PG")


def required() -> bool:
    """True when a missing PostgreSQL must fail the run instead of skipping its tests."""
    return any(os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no") for name in REQUIRE_ENV)


def find_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin (Debian), else the folder of an initdb on PATH."""
    candidates = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    if candidates:
        def version(path: str) -> float:
            try:
                return float(Path(path).parts[-3])
            except ValueError:
                return 0.0
        return Path(max(candidates, key=version)).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """Start with start(); new_database() hands out URLs of fresh, migrated databases; stop() removes it all."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.as_postgres = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="vanthu-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._counter = itertools.count(1)
        self._started = False

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.folder,
                                env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
        if result.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n"
                               f"{result.stderr}\n{tail}")

    def start(self) -> PostgresServer:
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o700)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        # fsync off: the tests prove atomicity and locking against killed clients, not surviving a power cut of
        # this throwaway server; it makes the thousands of commits of the concurrency test cheap.
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                   "-c fsync=off -c full_page_writes=off")
        self._run("pg_ctl", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", options, "start")
        self._started = True
        atexit.register(self.stop)
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:  # `timeout`, CI cancelling: still stop the server
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        self.admin(f"CREATE DATABASE {TEMPLATE}")
        from app.services import Registry  # migrate the template once; every test database is a copy

        Registry(self.url(TEMPLATE), actor="template").close()
        return self

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self) -> tuple[str, str]:
        """(name, URL) of a new database holding the newest schema and nothing else."""
        name = f"t_{next(self._counter)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return name, self.url(name)

    def empty_database(self) -> tuple[str, str]:
        """(name, URL) of a new database without any schema (for the migration tests)."""
        name = f"e_{next(self._counter)}"
        self.admin(f"CREATE DATABASE {name}")
        return name, self.url(name)

    def drop_database(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self._started:
            self._started = False
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


def unavailable_reason() -> str | None:
    """Why no test server can be started here, or None."""
    if find_bindir() is None:
        return ("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl, no initdb on PATH): "
                "run scripts/setup.sh or `apt-get install postgresql`")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed in the virtualenv: pip install -e '.[test]'"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root but there is no 'postgres' user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root but runuser (util-linux) is missing"
    return None
