"""Issuers that only secret documents name: organizations.secrecy, filled from the documents already registered.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 09:00:00

"""
from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A column CHECK written in the ADD COLUMN itself: SQLite cannot add a constraint to a table afterwards, and a
# column's own CHECK goes with it on DROP COLUMN (SQLite >= 3.35, PostgreSQL). Same name and values as
# app.models' enum_column(Secrecy, "secrecy") creates on a new register.
_ADD = ("ALTER TABLE organizations ADD COLUMN secrecy VARCHAR(20) "
        "CONSTRAINT ck_organizations_secrecy CHECK (secrecy IN ('mat', 'toi_mat', 'tuyet_mat'))")

# Frozen rule of app.services.directory at this revision: an issuer no ordinary document names gets the lowest
# level of the secret documents that name it (a secret entry without a level counts as Tuyệt mật); every other
# issuer stays visible to all (NULL). One statement, probing each issuer's entries through ix_documents_issuer_id.
_FILL = """
UPDATE organizations SET secrecy = (
    SELECT CASE MIN(CASE d.secrecy WHEN 'mat' THEN 1 WHEN 'toi_mat' THEN 2 ELSE 3 END)
           WHEN 1 THEN 'mat' WHEN 2 THEN 'toi_mat' ELSE 'tuyet_mat' END
    FROM documents d WHERE d.issuer_id = organizations.id AND d.category = 'secret')
WHERE EXISTS (SELECT 1 FROM documents d WHERE d.issuer_id = organizations.id AND d.category = 'secret')
  AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.issuer_id = organizations.id AND d.category = 'ordinary')
"""


def upgrade() -> None:
    op.execute(_ADD)
    op.execute(_FILL)


def downgrade() -> None:
    op.drop_column('organizations', 'secrecy')
