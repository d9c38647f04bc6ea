"""Electronic signatures: the trust store (certificates, imported CRLs) and every check of an attachment.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 07:30:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The checks are the register's record of what the clerk was shown (Điều 21): kept as written. Certificates and
# CRLs are taken out of use by a flag, never deleted. The very statements of app.db.guards.
_GUARDS = [
    ("signature_checks_no_update", "signature_checks", "BEFORE UPDATE", "signature checks are kept as written"),
    ("signature_checks_no_delete", "signature_checks", "BEFORE DELETE", "signature checks are kept as written"),
    ("trusted_certificates_no_delete", "trusted_certificates", "BEFORE DELETE",
     "trusted certificates are removed by a flag, never deleted"),
    ("revocation_lists_no_delete", "revocation_lists", "BEFORE DELETE", "imported revocation lists are kept"),
]


def _trigger(name: str, table: str, timing: str, message: str, sqlite: bool) -> str:
    if sqlite:
        return f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{message}'); END"
    return f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW EXECUTE FUNCTION vanthu_refuse('{message}')"


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        'trusted_certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('der', sa.LargeBinary(), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('organization', sa.String(length=255), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('not_before', sa.DateTime(), nullable=False),
        sa.Column('not_after', sa.DateTime(), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.Column('added_by', sa.String(length=100), nullable=False),
        sa.Column('removed_at', sa.DateTime(), nullable=True),
        sa.Column('removed_by', sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_trusted_certificates')),
    )
    op.create_index(op.f('ix_trusted_certificates_fingerprint'), 'trusted_certificates', ['fingerprint'])
    op.create_table(
        'revocation_lists',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('der', sa.LargeBinary(), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('this_update', sa.DateTime(), nullable=False),
        sa.Column('next_update', sa.DateTime(), nullable=True),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.Column('added_by', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_revocation_lists')),
    )
    op.create_index(op.f('ix_revocation_lists_sha256'), 'revocation_lists', ['sha256'])
    op.create_table(
        'signature_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('attachment_id', sa.Integer(), nullable=False),
        sa.Column('checked_at', sa.DateTime(), nullable=False),
        sa.Column('checked_by', sa.String(length=100), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('verdict', sa.Text(), nullable=False),
        sa.Column('signer', sa.String(length=255), nullable=True),
        sa.Column('organization', sa.String(length=255), nullable=True),
        sa.Column('signed_at', sa.String(length=40), nullable=True),
        sa.Column('report', sa.Text(), nullable=False),
        sa.Column('confirmed_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'],
                                name=op.f('fk_signature_checks_attachment_id_attachments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signature_checks')),
    )
    op.create_index(op.f('ix_signature_checks_attachment_id'), 'signature_checks', ['attachment_id'])
    for name, table, timing, message in _GUARDS:
        op.execute(_trigger(name, table, timing, message, sqlite))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, table, _timing, _message in _GUARDS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" if sqlite else f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.drop_table('signature_checks')
    op.drop_table('revocation_lists')
    op.drop_table('trusted_certificates')
