"""edXML exchange: each organisation's mã định danh (OrganId) and every message received, sent or refused.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 10:30:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The messages are the register's trace of the exchange: kept as written. The very statements of app.db.guards.
_GUARDS = [
    ("edxml_messages_no_update", "edxml_messages", "BEFORE UPDATE", "edXML messages are kept as written"),
    ("edxml_messages_no_delete", "edxml_messages", "BEFORE DELETE", "edXML messages are kept as written"),
]


def _trigger(name: str, table: str, timing: str, message: str, sqlite: bool) -> str:
    if sqlite:
        return f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{message}'); END"
    return f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW EXECUTE FUNCTION vanthu_refuse('{message}')"


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # A plain column and a unique index: no table rebuild on SQLite (the documents point at organizations).
    op.add_column('organizations', sa.Column('organ_id', sa.String(length=50), nullable=True))
    op.create_index(op.f('ix_organizations_organ_id'), 'organizations', ['organ_id'], unique=True)
    op.create_table(
        'edxml_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('message_id', sa.String(length=255), nullable=False),
        sa.Column('organ_id', sa.String(length=50), nullable=False),
        sa.Column('status_code', sa.String(length=4), nullable=True),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('header', sa.JSON(), nullable=False),
        sa.Column('note', sa.String(length=1000), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_edxml_messages_document_id_documents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_edxml_messages')),
    )
    op.create_index(op.f('ix_edxml_messages_document_id'), 'edxml_messages', ['document_id'])
    op.create_index(op.f('ix_edxml_messages_message_id'), 'edxml_messages', ['message_id'])
    for name, table, timing, message in _GUARDS:
        op.execute(_trigger(name, table, timing, message, sqlite))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, table, _timing, _message in _GUARDS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" if sqlite else f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.drop_table('edxml_messages')
    op.drop_index(op.f('ix_organizations_organ_id'), table_name='organizations')
    op.drop_column('organizations', 'organ_id')  # SQLite ≥ 3.35 drops a column in place, as 0006 does
