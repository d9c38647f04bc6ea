"""Routing corrections: a routing step can have versions (a correction adds one; the old row stays as history).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-14 09:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite cannot drop the UNIQUE (document_id, step) it was created with: the table is rebuilt. A plain batch copy
# would DROP routings while routing_assignments points at it, which the enforced foreign keys refuse (and
# PRAGMA foreign_keys cannot be switched off inside the migration's transaction). So both tables are copied, the
# new assignments pointing at the new routings, then the old ones dropped child first and the copies renamed
# (SQLite then rewrites the reference to the final name). The statements are those 0003 created, plus version.
_ROUTINGS = """CREATE TABLE _new_routings (
    id INTEGER NOT NULL,
    document_id INTEGER NOT NULL,
    step INTEGER NOT NULL,
    version INTEGER DEFAULT 1 NOT NULL,
    directive TEXT,
    directed_by VARCHAR(150),
    directed_at DATE NOT NULL,
    created_at DATETIME NOT NULL,
    created_by VARCHAR(100) NOT NULL,
    CONSTRAINT pk_routings PRIMARY KEY (id),
    CONSTRAINT fk_routings_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id),
    CONSTRAINT {unique}
)"""
_ASSIGNMENTS = """CREATE TABLE _new_routing_assignments (
    id INTEGER NOT NULL,
    routing_id INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    department_name VARCHAR(255) NOT NULL,
    role VARCHAR(20) NOT NULL,
    deadline DATE,
    assignee VARCHAR(150),
    status VARCHAR(20) NOT NULL,
    received_at DATETIME,
    signed_by VARCHAR(150),
    done_at DATETIME,
    CONSTRAINT pk_routing_assignments PRIMARY KEY (id),
    CONSTRAINT fk_routing_assignments_department_id_departments FOREIGN KEY(department_id) REFERENCES departments (id),
    CONSTRAINT fk_routing_assignments_routing_id_routings FOREIGN KEY(routing_id) REFERENCES _new_routings (id),
    CONSTRAINT uq_routing_assignments_routing_id_department_id UNIQUE (routing_id, department_id),
    CONSTRAINT ck_routing_assignments_role CHECK (role IN ('lead', 'support')),
    CONSTRAINT ck_routing_assignments_status CHECK (status IN ('cho_trinh', 'cho_xu_ly', 'dang_xu_ly', 'da_xu_ly',
    'da_tra_loi', 'luu_ho_so', 'da_ban_hanh'))
)"""
_ROUTING_COLUMNS = "id, document_id, step, directive, directed_by, directed_at, created_at, created_by"
_ASSIGNMENT_COLUMNS = ("id, routing_id, department_id, department_name, role, deadline, assignee, status, received_at, "
                       "signed_by, done_at")
_NEW_UNIQUE = "uq_routings_document_id_step_version UNIQUE (document_id, step, version)"
_OLD_UNIQUE = "uq_routings_document_id_step UNIQUE (document_id, step)"


def _rebuild_sqlite(unique: str, routing_columns: str) -> None:
    op.execute(_ROUTINGS.format(unique=unique))
    op.execute(f"INSERT INTO _new_routings ({routing_columns}) SELECT {routing_columns} FROM routings")
    op.execute(_ASSIGNMENTS)
    op.execute(f"INSERT INTO _new_routing_assignments ({_ASSIGNMENT_COLUMNS}) "
               f"SELECT {_ASSIGNMENT_COLUMNS} FROM routing_assignments")
    op.execute("DROP TABLE routing_assignments")
    op.execute("DROP TABLE routings")
    op.execute("ALTER TABLE _new_routings RENAME TO routings")
    op.execute("ALTER TABLE _new_routing_assignments RENAME TO routing_assignments")
    op.create_index('ix_routing_assignments_department_id', 'routing_assignments', ['department_id'])
    op.create_index('ix_routing_assignments_status_deadline', 'routing_assignments', ['status', 'deadline'])


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(_NEW_UNIQUE, _ROUTING_COLUMNS)
        return
    op.add_column('routings', sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))
    op.drop_constraint(op.f('uq_routings_document_id_step'), 'routings', type_='unique')
    op.create_unique_constraint(op.f('uq_routings_document_id_step_version'), 'routings',
                                ['document_id', 'step', 'version'])


def downgrade() -> None:
    # The schema before corrections holds one version per step: the current one is kept (its handover with it);
    # the superseded versions, which only that schema cannot hold, go.
    superseded = ("SELECT id FROM routings r WHERE EXISTS (SELECT 1 FROM routings n WHERE n.document_id = "
                  "r.document_id AND n.step = r.step AND n.version > r.version)")
    op.execute(f"DELETE FROM routing_assignments WHERE routing_id IN ({superseded})")
    op.execute(f"DELETE FROM routings WHERE id IN (SELECT id FROM ({superseded}) AS old)")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(_OLD_UNIQUE, _ROUTING_COLUMNS)
        # The copy gave every row the default version: the column goes with the old statement's rebuild below.
        op.execute("ALTER TABLE routings DROP COLUMN version")
        return
    op.drop_constraint(op.f('uq_routings_document_id_step_version'), 'routings', type_='unique')
    op.create_unique_constraint(op.f('uq_routings_document_id_step'), 'routings', ['document_id', 'step'])
    op.drop_column('routings', 'version')
