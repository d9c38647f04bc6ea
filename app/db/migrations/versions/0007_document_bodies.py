"""The text of attachments: kept per attachment (compressed) and, folded with the entry's own, in one search index.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 02:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Plain ALTER … ADD COLUMN (SQLite and PostgreSQL alike), never a batch copy: that would drop the guard
# triggers. The foreign key is named as app.models' naming convention names it on a new register.
_COLUMNS = [
    "ALTER TABLE attachments ADD COLUMN text_z BLOB",
    "ALTER TABLE attachments ADD COLUMN text_source VARCHAR(10)",
    "ALTER TABLE attachments ADD COLUMN text_confidence FLOAT",
    "ALTER TABLE attachments ADD COLUMN derived_from_id INTEGER "
    "CONSTRAINT fk_attachments_derived_from_id_attachments REFERENCES attachments (id)",
]

# One external-content FTS5 index over document_bodies (entry text + attachments' body) replaces documents_fts
# (0002): every entry gets a row, made by a trigger on documents, and a search is one MATCH whatever it finds.
# Same tokenizer as 0002. The very statements of app.db.guards (tests/services/test_guards.py keeps them equal).
_FTS = [
    "CREATE VIRTUAL TABLE bodies_fts USING fts5(entry, body, content='document_bodies', "
    "content_rowid='document_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER bodies_fts_insert AFTER INSERT ON document_bodies BEGIN "
    "INSERT INTO bodies_fts(rowid, entry, body) VALUES (new.document_id, new.entry, new.body); END",
    "CREATE TRIGGER bodies_fts_update AFTER UPDATE ON document_bodies BEGIN "
    "INSERT INTO bodies_fts(bodies_fts, rowid, entry, body) VALUES ('delete', old.document_id, old.entry, "
    "old.body); INSERT INTO bodies_fts(rowid, entry, body) VALUES (new.document_id, new.entry, new.body); END",
    "CREATE TRIGGER bodies_fts_delete AFTER DELETE ON document_bodies BEGIN "
    "INSERT INTO bodies_fts(bodies_fts, rowid, entry, body) VALUES ('delete', old.document_id, old.entry, "
    "old.body); END",
    "CREATE TRIGGER documents_body_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO document_bodies(document_id, entry, body) VALUES (new.id, new.search_text, ''); END",
    "CREATE TRIGGER documents_body_entry AFTER UPDATE OF search_text ON documents BEGIN "
    "UPDATE document_bodies SET entry = new.search_text WHERE document_id = new.id; END",
]
_OLD_FTS = [  # 0002's, for the downgrade
    "CREATE VIRTUAL TABLE documents_fts USING fts5(search_text, content='documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE OF search_text ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO documents_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
# PostgreSQL has no FTS5 (search is a LIKE over the folded text): the rows are made and kept by triggers there too.
_PG = [
    "CREATE OR REPLACE FUNCTION vanthu_body_insert() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN INSERT INTO document_bodies(document_id, entry, body) VALUES (NEW.id, NEW.search_text, ''); "
    "RETURN NEW; END $$",
    "CREATE TRIGGER documents_body_insert AFTER INSERT ON documents FOR EACH ROW "
    "EXECUTE FUNCTION vanthu_body_insert()",
    "CREATE OR REPLACE FUNCTION vanthu_body_entry() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN UPDATE document_bodies SET entry = NEW.search_text WHERE document_id = NEW.id; RETURN NEW; END $$",
    "CREATE TRIGGER documents_body_entry AFTER UPDATE OF search_text ON documents FOR EACH ROW "
    "EXECUTE FUNCTION vanthu_body_entry()",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _COLUMNS:
        op.execute(statement if sqlite else statement.replace("BLOB", "BYTEA"))
    op.create_table(
        'document_bodies',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('entry', sa.Text(), server_default='', nullable=False),
        sa.Column('body', sa.Text(), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_bodies_document_id_documents')),
        sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_bodies')),
    )
    op.execute("INSERT INTO document_bodies(document_id, entry, body) SELECT id, search_text, '' FROM documents")
    if sqlite:
        for name in ("documents_fts_insert", "documents_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for statement in _FTS if sqlite else _PG:
        op.execute(statement)
    if sqlite:
        op.execute("INSERT INTO bodies_fts(bodies_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("bodies_fts_insert", "bodies_fts_update", "bodies_fts_delete", "documents_body_insert",
                     "documents_body_entry"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS bodies_fts")
        for statement in _OLD_FTS:
            op.execute(statement)
        op.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    else:
        for name in ("documents_body_insert", "documents_body_entry"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON documents")
        op.execute("DROP FUNCTION IF EXISTS vanthu_body_insert()")
        op.execute("DROP FUNCTION IF EXISTS vanthu_body_entry()")
    op.drop_table('document_bodies')
    # SQLite cannot DROP a column a foreign key uses; attachments carries no guard trigger, so a batch copy of
    # that one table is safe there.
    with op.batch_alter_table('attachments') as batch:
        for column in ("derived_from_id", "text_confidence", "text_source", "text_z"):
            batch.drop_column(column)
