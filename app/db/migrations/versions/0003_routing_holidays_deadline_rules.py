"""Routing of incoming documents (steps, units, deadlines, handover), the holiday table and deadline rules.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 01:00:00

"""
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Official days off of Việt Nam (Bộ luật Lao động 2019 Điều 112) for 2026 and 2027, besides Saturdays and Sundays.
# A holiday on a weekend is made up on the next working day (nghỉ bù). The table is editable (`holiday add/remove`):
# Tết and the day next to Quốc khánh are set by each year's Government announcement and MUST be checked against it.
# 2026: Tết Nguyên đán break announced as 14/02–22/02 (Sat to Sun; mùng 1 = 17/02), i.e. the weekdays 16–20/02.
# 2027: not announced yet: the 5 statutory days around mùng 1 (06/02, a Saturday) and the two days that make up
# for the weekend, marked "dự kiến".
HOLIDAYS = (
    ("2026-01-01", "Tết Dương lịch"),
    ("2026-02-16", "Tết Nguyên đán"),
    ("2026-02-17", "Tết Nguyên đán (mùng 1)"),
    ("2026-02-18", "Tết Nguyên đán"),
    ("2026-02-19", "Tết Nguyên đán"),
    ("2026-02-20", "Tết Nguyên đán"),
    ("2026-04-26", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    ("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương"),
    ("2026-04-30", "Ngày Chiến thắng"),
    ("2026-05-01", "Ngày Quốc tế Lao động"),
    ("2026-09-01", "Quốc khánh"),
    ("2026-09-02", "Quốc khánh"),
    ("2027-01-01", "Tết Dương lịch"),
    ("2027-02-05", "Tết Nguyên đán (dự kiến)"),
    ("2027-02-06", "Tết Nguyên đán (mùng 1)"),
    ("2027-02-07", "Tết Nguyên đán (dự kiến)"),
    ("2027-02-08", "Tết Nguyên đán (dự kiến)"),
    ("2027-02-09", "Tết Nguyên đán (dự kiến)"),
    ("2027-02-10", "Nghỉ bù Tết Nguyên đán (dự kiến)"),
    ("2027-02-11", "Nghỉ bù Tết Nguyên đán (dự kiến)"),
    ("2027-04-16", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    ("2027-04-30", "Ngày Chiến thắng"),
    ("2027-05-01", "Ngày Quốc tế Lao động"),
    ("2027-05-03", "Nghỉ bù Ngày Quốc tế Lao động"),
    ("2027-09-02", "Quốc khánh"),
    ("2027-09-03", "Quốc khánh"),
)

# Default handling time in working days (practice, configurable per agency): urgent documents are handled at once
# (Hỏa tốc, Thượng khẩn: the same working day; Khẩn: the next one), everything else within 10 working days.
DEADLINE_RULES = (("hoa_toc", 0), ("thuong_khan", 0), ("khan", 1), (None, 10))


def upgrade() -> None:
    rules = op.create_table('deadline_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.String(length=100), nullable=True),
    sa.Column('urgency', sa.Enum('khan', 'thuong_khan', 'hoa_toc', name='urgency', native_enum=False,
                                 create_constraint=True, length=20), nullable=True),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_rules'))
    )
    holidays = op.create_table('holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=150), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holidays')),
    sa.UniqueConstraint('day', name=op.f('uq_holidays_day'))
    )
    op.create_table('routings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('directive', sa.Text(), nullable=True),
    sa.Column('directed_by', sa.String(length=150), nullable=True),
    sa.Column('directed_at', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_routings_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routings')),
    sa.UniqueConstraint('document_id', 'step', name=op.f('uq_routings_document_id_step'))
    )
    op.create_table('routing_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('routing_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('department_name', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('lead', 'support', name='role', native_enum=False, create_constraint=True, length=20),
              nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('assignee', sa.String(length=150), nullable=True),
    sa.Column('status', sa.Enum('cho_trinh', 'cho_xu_ly', 'dang_xu_ly', 'da_xu_ly', 'da_tra_loi', 'luu_ho_so',
                                'da_ban_hanh', name='status', native_enum=False, create_constraint=True, length=20),
              nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=True),
    sa.Column('signed_by', sa.String(length=150), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                            name=op.f('fk_routing_assignments_department_id_departments')),
    sa.ForeignKeyConstraint(['routing_id'], ['routings.id'], name=op.f('fk_routing_assignments_routing_id_routings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_assignments')),
    sa.UniqueConstraint('routing_id', 'department_id',
                        name=op.f('uq_routing_assignments_routing_id_department_id'))
    )
    with op.batch_alter_table('routing_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routing_assignments_department_id'), ['department_id'], unique=False)
        batch_op.create_index('ix_routing_assignments_status_deadline', ['status', 'deadline'], unique=False)

    op.bulk_insert(holidays, [{"day": date.fromisoformat(day), "name": name} for day, name in HOLIDAYS])
    op.bulk_insert(rules, [{"doc_type": None, "urgency": urgency, "working_days": days}
                           for urgency, days in DEADLINE_RULES])


def downgrade() -> None:
    with op.batch_alter_table('routing_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_routing_assignments_status_deadline')
        batch_op.drop_index(batch_op.f('ix_routing_assignments_department_id'))

    op.drop_table('routing_assignments')
    op.drop_table('routings')
    op.drop_table('holidays')
    op.drop_table('deadline_rules')
