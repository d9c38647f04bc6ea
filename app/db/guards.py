"""The register's protective triggers as they must be; finding and re-creating any that are missing or altered."""

# A frozen copy of what migrations 0001, 0002, 0004, 0007 and 0008 create, statement for statement: migrations are
# history and import only app.core, and this module must not import them either. tests/services/test_guards.py keeps the
# two equal (a freshly migrated register's sqlite_master against SQLITE_SQL). A migration that changes a trigger
# must change it here too, in the same commit.
#
# Why the check exists at all: the triggers are schema, not data. A backup whose snapshot had them dropped, or a
# register file edited with any SQLite tool, still opens and still passes PRAGMA integrity_check, and from then
# on `DELETE FROM documents` simply works. The app re-creates them on open (app.services.protection), checks
# them after every migration step (app.db.migrate) and refuses a backup without them (app.services.backup).

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

MISSING, ALTERED = "thiếu", "bị sửa"
REFUSE_FUNCTION = "vanthu_refuse"


@dataclass(frozen=True)
class Guard:
    """One trigger: its table, the revision that first created it, and its CREATE statement per dialect (None:
    the dialect has none, e.g. the FTS5 sync triggers exist on SQLite only, TRUNCATE triggers on PostgreSQL)."""

    name: str
    table: str
    since: str
    sqlite: str | None
    postgresql: str | None
    until: str | None = None  # the revision that retired it (its job taken over by another guard), if any

    def at(self, revision: str | None) -> bool:
        """Whether a register at `revision` (None: the newest) has this guard."""
        return (revision is None or self.since <= revision) and \
            (self.until is None or (revision is not None and revision < self.until))

    def statement(self, dialect: str) -> str | None:
        return self.sqlite if dialect == "sqlite" else self.postgresql if dialect == "postgresql" else None


@dataclass(frozen=True)
class GuardProblem:
    """A guard that is not as it must be: `state` is MISSING ("thiếu") or ALTERED ("bị sửa")."""

    name: str
    state: str


def _refusing(name: str, table: str, timing: str, condition: str | None, message: str, since: str) -> Guard:
    # The very f-strings of 0001's _create_guards and 0004's _trigger.
    when_sqlite = f" WHEN {condition}" if condition else ""
    when_pg = f" WHEN ({condition})" if condition else ""
    return Guard(name, table, since,
                 f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW{when_sqlite} "
                 f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
                 f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW{when_pg} "
                 f"EXECUTE FUNCTION {REFUSE_FUNCTION}('{message}')")


_APPEND_ONLY = "the audit log is append-only"

GUARDS: tuple[Guard, ...] = (
    # 0001: entries are never deleted or renumbered, sequences never go back, the audit trail is append-only.
    _refusing("documents_no_delete", "documents", "BEFORE DELETE", None,
              "register entries are never deleted; cancel them instead", "0001"),
    _refusing("documents_number_fixed", "documents", "BEFORE UPDATE",
              "NEW.number <> OLD.number OR NEW.book_id <> OLD.book_id"
              " OR NEW.period_key <> OLD.period_key OR NEW.scope_key <> OLD.scope_key"
              " OR NEW.direction <> OLD.direction OR NEW.category <> OLD.category",
              "a register number never changes", "0001"),
    _refusing("sequences_no_rewind", "number_sequences", "BEFORE UPDATE", "NEW.last_number < OLD.last_number",
              "a number sequence never goes back", "0001"),
    _refusing("sequences_no_delete", "number_sequences", "BEFORE DELETE", None,
              "a number sequence is never deleted", "0001"),
    # audit_no_update: created by 0001, dropped and re-created identically by 0004 around its backfill.
    _refusing("audit_no_update", "audit_events", "BEFORE UPDATE", None, _APPEND_ONLY, "0001"),
    _refusing("audit_no_delete", "audit_events", "BEFORE DELETE", None, _APPEND_ONLY, "0001"),
    # 0004: a new event must carry its place in the hash chain; PostgreSQL's TRUNCATE fires no row trigger.
    _refusing("audit_hash_required", "audit_events", "BEFORE INSERT", "NEW.hash IS NULL OR NEW.prev_hash IS NULL",
              "an audit event must carry its chain hashes", "0004"),
    Guard("audit_no_truncate", "audit_events", "0004", None,
          "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT "
          f"EXECUTE FUNCTION {REFUSE_FUNCTION}('{_APPEND_ONLY}')"),
    # 0002: the FTS5 index follows documents.search_text; without these, new entries silently go unfound. Retired
    # by 0007, whose one index (bodies_fts) holds the entry's text and its attachments' body.
    Guard("documents_fts_insert", "documents", "0002",
          "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
          "INSERT INTO documents_fts(rowid, search_text) VALUES (new.id, new.search_text); END", None, "0007"),
    Guard("documents_fts_update", "documents", "0002",
          "CREATE TRIGGER documents_fts_update AFTER UPDATE OF search_text ON documents BEGIN "
          "INSERT INTO documents_fts(documents_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
          "INSERT INTO documents_fts(rowid, search_text) VALUES (new.id, new.search_text); END", None, "0007"),
    # 0007: every entry has a document_bodies row (its text, and its attachments' body), made by a trigger and kept
    # equal to documents.search_text by another; the one search index follows that table.
    Guard("documents_body_insert", "documents", "0007",
          "CREATE TRIGGER documents_body_insert AFTER INSERT ON documents BEGIN "
          "INSERT INTO document_bodies(document_id, entry, body) VALUES (new.id, new.search_text, ''); END",
          "CREATE TRIGGER documents_body_insert AFTER INSERT ON documents FOR EACH ROW "
          "EXECUTE FUNCTION vanthu_body_insert()"),
    Guard("bodies_fts_insert", "document_bodies", "0007",
          "CREATE TRIGGER bodies_fts_insert AFTER INSERT ON document_bodies BEGIN "
          "INSERT INTO bodies_fts(rowid, entry, body) VALUES (new.document_id, new.entry, new.body); END", None),
    Guard("bodies_fts_update", "document_bodies", "0007",
          "CREATE TRIGGER bodies_fts_update AFTER UPDATE ON document_bodies BEGIN "
          "INSERT INTO bodies_fts(bodies_fts, rowid, entry, body) VALUES ('delete', old.document_id, old.entry, "
          "old.body); INSERT INTO bodies_fts(rowid, entry, body) VALUES (new.document_id, new.entry, new.body); END",
          None),
    Guard("bodies_fts_delete", "document_bodies", "0007",
          "CREATE TRIGGER bodies_fts_delete AFTER DELETE ON document_bodies BEGIN "
          "INSERT INTO bodies_fts(bodies_fts, rowid, entry, body) VALUES ('delete', old.document_id, old.entry, "
          "old.body); END", None),
    Guard("documents_body_entry", "documents", "0007",
          "CREATE TRIGGER documents_body_entry AFTER UPDATE OF search_text ON documents BEGIN "
          "UPDATE document_bodies SET entry = new.search_text WHERE document_id = new.id; END",
          "CREATE TRIGGER documents_body_entry AFTER UPDATE OF search_text ON documents FOR EACH ROW "
          "EXECUTE FUNCTION vanthu_body_entry()"),
    # 0008: signature checks are the record of what the clerk was shown; trust data is flagged out, not deleted.
    _refusing("signature_checks_no_update", "signature_checks", "BEFORE UPDATE", None,
              "signature checks are kept as written", "0008"),
    _refusing("signature_checks_no_delete", "signature_checks", "BEFORE DELETE", None,
              "signature checks are kept as written", "0008"),
    _refusing("trusted_certificates_no_delete", "trusted_certificates", "BEFORE DELETE", None,
              "trusted certificates are removed by a flag, never deleted", "0008"),
    _refusing("revocation_lists_no_delete", "revocation_lists", "BEFORE DELETE", None,
              "imported revocation lists are kept", "0008"),
    # 0009: the edXML messages received, sent and refused are the trace of the exchange.
    _refusing("edxml_messages_no_update", "edxml_messages", "BEFORE UPDATE", None,
              "edXML messages are kept as written", "0009"),
    _refusing("edxml_messages_no_delete", "edxml_messages", "BEFORE DELETE", None,
              "edXML messages are kept as written", "0009"),
)
SEARCH_SYNC = frozenset({"documents_body_insert", "bodies_fts_insert", "bodies_fts_update", "bodies_fts_delete",
                         "documents_body_entry"})

@dataclass(frozen=True)
class TriggerFunction:
    """A PostgreSQL function that guard triggers call: replacing its body (with RETURN NEW, say) would disarm its
    triggers while every trigger still looks right, so it is checked and repaired like a trigger."""

    name: str
    since: str
    body: str  # as pg_proc.prosrc holds it, the very text between the $$ of the migration's statement

    @property
    def sql(self) -> str:
        return f"CREATE OR REPLACE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $${self.body}$$"


FUNCTIONS: tuple[TriggerFunction, ...] = (
    # 0001: every refusing trigger calls this one.
    TriggerFunction(REFUSE_FUNCTION, "0001", " BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END "),
    # 0007: each entry's document_bodies row, made and kept equal to its search text.
    TriggerFunction("vanthu_body_insert", "0007",
                    " BEGIN INSERT INTO document_bodies(document_id, entry, body) VALUES (NEW.id, NEW.search_text, "
                    "''); RETURN NEW; END "),
    TriggerFunction("vanthu_body_entry", "0007",
                    " BEGIN UPDATE document_bodies SET entry = NEW.search_text WHERE document_id = NEW.id; RETURN NEW; "
                    "END "),
)
_FUNCTION = {f.name: f for f in FUNCTIONS}


def expected(dialect: str, revision: str | None = None) -> dict[str, str]:
    """name → CREATE statement of every guard this dialect has (at `revision`, when given: those created by then);
    on PostgreSQL the functions the triggers call come first."""
    found = {g.name: sql for g in GUARDS if (sql := g.statement(dialect)) is not None and g.at(revision)}
    if dialect == "postgresql":
        found = {f.name: f.sql for f in FUNCTIONS if revision is None or f.since <= revision} | found
    return found


def created_by(dialect: str, revision: str) -> set[str]:
    """The guards the migration to `revision` introduces on this dialect."""
    names = {g.name for g in GUARDS if g.since == revision and g.statement(dialect) is not None}
    return names | ({f.name for f in FUNCTIONS if f.since == revision} if dialect == "postgresql" else set())


def retired_by(revision: str) -> set[str]:
    """The guards the migration to `revision` removes, their work taken over by others it creates."""
    return {g.name for g in GUARDS if g.until == revision}


def normalised(sql: str) -> str:
    """SQL with its whitespace collapsed, as the SQLite comparison sees it."""
    return " ".join(sql.split())


def _pg_normalised(sql: str, schema: str) -> str:
    # pg_get_triggerdef qualifies the table, wraps every operand in parentheses and casts varchar to text. What
    # is compared is the rest: lower case, without those parentheses and casts. It cannot tell `a AND (b OR c)`
    # from `a AND b OR c`; no guard's condition mixes the two, and the SQLite check (the embedded register) is
    # exact.
    out = sql.lower().replace(f"{schema.lower()}.", "")
    out = re.sub(r"::(text|character varying)", "", out)
    return normalised(out.replace("(", " ").replace(")", " "))


def _sqlite_state(connection: Connection) -> dict[str, str]:
    rows = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    return {name: normalised(sql or "") for name, sql in rows}


def _pg_state(connection: Connection) -> tuple[dict[str, str], str]:
    schema = str(connection.execute(text("SELECT current_schema()")).scalar())
    rows = connection.execute(text(
        "SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid) FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"))
    # A disabled trigger (ALTER TABLE … DISABLE TRIGGER) refuses nothing: it counts as altered.
    state = {name: (_pg_normalised(sql, schema) if enabled in ("O", "A") else "disabled")
             for name, enabled, sql in rows}
    for function in FUNCTIONS:
        body = connection.execute(text(
            "SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE p.proname = :name AND n.nspname = current_schema() AND p.pronargs = 0"),
            {"name": function.name}).scalar()
        if body is not None:
            state[function.name] = normalised(body)
    return state, schema


def missing_or_altered(connection: Connection, revision: str | None = None) -> list[GuardProblem]:
    """Every guard of this dialect that is missing or differs from its definition, in GUARDS order."""
    dialect = connection.dialect.name
    wanted = expected(dialect, revision)
    if dialect == "sqlite":
        present = _sqlite_state(connection)
        want = {name: normalised(sql) for name, sql in wanted.items()}
    elif dialect == "postgresql":
        present, schema = _pg_state(connection)
        want = {name: normalised(_FUNCTION[name].body) if name in _FUNCTION else _pg_normalised(sql, schema)
                for name, sql in wanted.items()}
    else:
        return []
    return [GuardProblem(name, MISSING if name not in present else ALTERED)
            for name in wanted if present.get(name) != want[name]]


def repair(connection: Connection, problems: list[GuardProblem] | None = None) -> list[GuardProblem]:
    """Drop the altered guards and create every missing or altered one, in the caller's transaction; returns what
    was repaired. A missing search sync trigger means the index may lack entries: it is rebuilt from documents."""
    problems = missing_or_altered(connection) if problems is None else problems
    dialect = connection.dialect.name
    wanted = expected(dialect)
    tables = {g.name: g.table for g in GUARDS}
    for problem in problems:  # first the functions: the triggers below need them to exist
        if dialect == "postgresql" and problem.name in _FUNCTION:
            connection.execute(text(_FUNCTION[problem.name].sql))
    for problem in problems:
        if problem.name in _FUNCTION:
            continue
        on = f" ON {tables[problem.name]}" if dialect == "postgresql" else ""
        connection.execute(text(f"DROP TRIGGER IF EXISTS {problem.name}{on}"))
        connection.execute(text(wanted[problem.name]))
    if any(p.name in SEARCH_SYNC for p in problems):
        # Entries written while a sync trigger was missing: give each its row and its current text, then index.
        # The index's own triggers are off meanwhile: they would ask an index out of step to delete what it lacks.
        index_triggers = [n for n in ("bodies_fts_insert", "bodies_fts_update", "bodies_fts_delete") if n in wanted]
        for name in index_triggers:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        connection.execute(text("INSERT INTO document_bodies(document_id, entry, body) SELECT id, search_text, '' "
                                "FROM documents WHERE id NOT IN (SELECT document_id FROM document_bodies)"))
        connection.execute(text("UPDATE document_bodies SET entry = (SELECT search_text FROM documents "
                                "WHERE documents.id = document_bodies.document_id)"))
        for name in index_triggers:
            connection.execute(text(wanted[name]))
        if dialect == "sqlite":
            connection.execute(text("INSERT INTO bodies_fts(bodies_fts) VALUES ('rebuild')"))
    return problems


def describe(problems: list[GuardProblem]) -> str:
    """The problems for people: "thiếu 7 cơ chế bảo vệ (documents_no_delete, …)", "… bị sửa (…)", or both."""
    missing = [p.name for p in problems if p.state == MISSING]
    altered = [p.name for p in problems if p.state == ALTERED]
    parts = []
    if missing:
        parts.append(f"thiếu {len(missing)} cơ chế bảo vệ ({', '.join(missing)})")
    if altered:
        parts.append(f"có {len(altered)} cơ chế bảo vệ bị sửa ({', '.join(altered)})")
    return " và ".join(parts)
