"""Full-text search over a folded copy of each entry, attachments, and the editable list of document types.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 09:00:00

"""
import json
import re
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from alembic import op

from app.core.references import PARTY_TYPE_ABBREVIATIONS, STATE_TYPE_ABBREVIATIONS, UNABBREVIATED_TYPES
from app.core.text import fold

revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# External-content FTS5 index over documents.search_text, kept in step by triggers. The text is folded by the
# app (marks removed, đ→d) before it is stored; remove_diacritics 2 also folds what a query might still carry.
_FTS = [
    "CREATE VIRTUAL TABLE documents_fts USING fts5(search_text, content='documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE OF search_text ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO documents_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by', sa.String(length=100), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.Column('removed_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_attachments_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_document_id'), ['document_id'], unique=False)

    types = op.create_table('document_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family', sa.Enum('state', 'party', name='family', native_enum=False, create_constraint=True,
                                length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('abbreviation', sa.String(length=20), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_types')),
    sa.UniqueConstraint('family', 'name_key', name=op.f('uq_document_types_family_name_key'))
    )
    # Seeded with NĐ 30 Phụ lục III (state) and HD 36 (Party); the agency edits the list afterwards.
    rows = []
    for family, table in (("state", {**STATE_TYPE_ABBREVIATIONS, **dict.fromkeys(UNABBREVIATED_TYPES)}),
                          ("party", PARTY_TYPE_ABBREVIATIONS)):
        rows += [{"family": family, "name": name, "name_key": fold(name), "abbreviation": abbr, "active": True}
                 for name, abbr in table.items()]
    op.bulk_insert(types, rows)

    # Plain ALTER and CREATE INDEX, never a batch copy of the table: that would drop the guard triggers of 0001.
    op.add_column('documents', sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
    op.create_index('ix_documents_listing', 'documents', ['direction', 'category', 'year', 'number', 'id'],
                    unique=False)
    _fill_search_text()
    if op.get_bind().dialect.name == "sqlite":
        for statement in _FTS:
            op.execute(statement)
        op.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")


# A frozen copy of the search text as it was when this revision was written (app.core.text.fold is core and
# kept stable): an upgrade of an old register must do what it did then, whatever app.services does today.
_LEADING_ZEROS = re.compile(r"\b0+(\d)")


def search_text_0002(*, reference: str | None, issuer: str | None, doc_type: str | None, subject: str | None,
                     note: str | None = None, signer: str | None = None, recipients: Iterable[str] = (),
                     file_code: str | None = None, drafting_unit: str | None = None) -> str:
    parts = [reference, issuer, doc_type, subject, note, signer, *recipients, file_code, drafting_unit]
    text = " ".join(fold(p) for p in parts if p)
    unpadded = _LEADING_ZEROS.sub(r"\1", fold(reference)) if reference else ""
    return f"{text} {unpadded}" if unpadded and unpadded != fold(reference) else text


def _fill_search_text() -> None:
    """Entries registered before this revision get their folded text too."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT d.id, d.reference, d.doc_type, d.subject, d.note, d.signer, d.recipients, d.file_code, "
        "d.drafting_unit, o.name FROM documents d LEFT JOIN organizations o ON o.id = d.issuer_id")).all()
    for row in rows:
        recipients = row.recipients if isinstance(row.recipients, list) else []
        if isinstance(row.recipients, str):
            recipients = json.loads(row.recipients) or []
        text = search_text_0002(reference=row.reference, issuer=row.name, doc_type=row.doc_type,
                                subject=row.subject, note=row.note, signer=row.signer, recipients=recipients,
                                file_code=row.file_code, drafting_unit=row.drafting_unit)
        bind.execute(sa.text("UPDATE documents SET search_text = :t WHERE id = :i"), {"t": text, "i": row.id})


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS documents_fts_insert")
        op.execute("DROP TRIGGER IF EXISTS documents_fts_update")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    op.drop_index('ix_documents_listing', table_name='documents')
    # Plain ALTER (SQLite >= 3.35): a batch copy of the table would drop the guard triggers of 0001.
    op.execute("ALTER TABLE documents DROP COLUMN search_text")
    op.drop_table('document_types')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_document_id'))
    op.drop_table('attachments')
