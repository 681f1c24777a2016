"""Amounts as 64-bit integers on database servers: the command line, CSV imports and campaign
files accept amounts up to 2**63 - 1, which PostgreSQL's INTEGER (32 bits) cannot hold. SQLite's
INTEGER holds 64 bits already: nothing changes there.

Revision ID: pw0004
Revises: pw0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "pw0004"
down_revision = "pw0003"
branch_labels = None
depends_on = None

COLUMNS = {
    "entry": ("amount",),
    "expectation": ("amount", "match_amount", "tolerance"),
    "settlement": ("amount",),
    "reopened_settlement": ("amount",),
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
