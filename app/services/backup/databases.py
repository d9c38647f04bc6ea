"""The database inside a backup: SQLite snapshots and their checks, pg_dump and pg_restore for PostgreSQL."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from app.core.errors import VanThuError
from app.db import guards, read_only
from app.services.backup.common import _connect, _engine_url, _refuse

# SQLite snapshot ----------------------------------------------------------------------------------------------

def _snapshot_sqlite(source: Path, target: Path) -> None:
    """Copy the live database with the online backup API in one step (a consistent read snapshot, whatever
    other clerks are writing; committed WAL content included), as a single file in rollback-journal mode. A
    register that cannot be written (a read-only or full disk) is read as app.db.read_only says: it can still be
    copied off."""
    cannot_write = read_only.detect(source)
    src = read_only.connect(source, cannot_write) if cannot_write else _connect(source)
    try:
        dst = _connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _describe_sqlite(path: Path) -> tuple[str | None, int, int]:
    """(schema revision, documents, attachment rows) of a snapshot, after checking it is a sound register."""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _refuse(f"không mở được cơ sở dữ liệu trong bản sao lưu ({exc}).") from exc
    try:
        try:
            check = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise _refuse(f"cơ sở dữ liệu trong bản sao lưu bị hỏng hoặc không phải SQLite ({exc}).") from exc
        if check != ["ok"]:
            raise _refuse("cơ sở dữ liệu trong bản sao lưu bị hỏng (PRAGMA integrity_check: "
                          f"{'; '.join(check[:3])}).")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "documents"} <= tables:
            raise _refuse("cơ sở dữ liệu trong tệp không phải là sổ đăng ký văn bản của Sổ Văn Thư.")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        attachments = conn.execute("SELECT count(*) FROM attachments").fetchone()[0] if "attachments" in tables else 0
        return (revision[0] if revision else None), documents, attachments
    finally:
        conn.close()


def _check_guards_sqlite(path: Path) -> None:
    """Refuse a snapshot (already at the newest schema) that lacks a protective trigger or has an altered one: the
    register it would become lets entries be deleted and the trail be rewritten (app.db.guards)."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            problems = guards.missing_or_altered(conn)
    finally:
        engine.dispose()
    if problems:
        raise _refuse(_guards_refusal(problems))


def _guards_refusal(problems: list[guards.GuardProblem]) -> str:
    return (f"cơ sở dữ liệu trong bản sao lưu {guards.describe(problems)}, nên sổ phục hồi từ đó sẽ không chặn "
            "việc xóa văn bản, đổi số hay sửa nhật ký. Đã từ chối phục hồi; sổ hiện tại giữ nguyên.")


# PostgreSQL ---------------------------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise VanThuError(f"Không tìm thấy chương trình {name} (bộ công cụ PostgreSQL client). Hãy cài PostgreSQL "
                          f"client (ví dụ gói postgresql-client) cùng phiên bản với máy chủ và thêm {name} vào PATH.")
    return found


def _pg_args(url: URL) -> tuple[list[str], dict[str, str]]:
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args + ["--no-password"], env


def _run_pg(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)  # noqa: S603
    except (OSError, subprocess.SubprocessError) as exc:
        raise VanThuError(f"Không chạy được {what}: {exc}") from exc
    if done.returncode != 0:
        raise VanThuError(f"{what} báo lỗi (mã {done.returncode}): {done.stderr.strip()[:2000]}")


def _describe_pg(url: URL) -> tuple[str | None, int, int]:
    engine = create_engine(_engine_url(url))
    try:
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            documents = conn.execute(text("SELECT count(*) FROM documents")).scalar() or 0
            attachments = conn.execute(text("SELECT count(*) FROM attachments")).scalar() or 0
        return revision, documents, attachments
    finally:
        engine.dispose()


def _dump_pg(url: URL, target: Path) -> None:
    args, env = _pg_args(url)
    _run_pg([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", *args,
             f"--dbname={url.database}"], env, "pg_dump")


def _check_guards_pg(dump: Path, revision: str | None) -> None:
    """Refuse a dump whose table of contents lacks a protective trigger (or the function they call) of its schema
    revision. Only presence by name can be read from a dump; a trigger altered in it is re-created when the
    restored register is next opened (app.services.protection), with a notice and an audit event."""
    try:
        done = subprocess.run([_pg_tool("pg_restore"), "--list", str(dump)], capture_output=True, text=True,  # noqa: S603
                              timeout=600, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise VanThuError(f"Không chạy được pg_restore --list: {exc}") from exc
    if done.returncode != 0:
        raise _refuse(f"không đọc được bản kết xuất PostgreSQL trong bản sao lưu: {done.stderr.strip()[:500]}")
    present = set(re.findall(r"^\d+; \d+ \d+ TRIGGER \S+ \S+ (\S+)", done.stdout, re.MULTILINE))
    present |= {f.name for f in guards.FUNCTIONS
                if re.search(rf"^\d+; \d+ \d+ FUNCTION \S+ {f.name}\(\)", done.stdout, re.MULTILINE)}
    missing = [guards.GuardProblem(name, guards.MISSING) for name in guards.expected("postgresql", revision)
               if name not in present]
    if missing:
        raise _refuse(_guards_refusal(missing))


def _restore_pg(url: URL, dump: Path) -> None:
    args, env = _pg_args(url)
    _run_pg([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", *args, f"--dbname={url.database}", str(dump)], env, "pg_restore")
