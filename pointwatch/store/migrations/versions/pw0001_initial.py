"""The schema of pointwatch 0.1.0, the last release before Alembic (its `meta` table said
schema_version 3).

On a new database this creates every table. On a database of the earlier scheme (`meta`
schema_version 1, 2 or 3: those releases only ever added tables, and indexes) it creates the
tables and indexes that database lacks and drops `expectation_keyword`, a table that only
development versions of schema 2 had (it duplicated `expectation.keywords` and its foreign key
could block deleting an expectation). Either way `meta.schema_version` then says "alembic": the
version lives in `alembic_version` from now on, and releases before Alembic, which read that
value as a number, stop before writing anything.

The tables are spelled out here, not taken from the models, so that later model changes never
change what this revision does.

Revision ID: pw0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "pw0001"
down_revision = None
branch_labels = None
depends_on = None

_present: set[str] = set()


def _table(name: str, *elements) -> None:
    """op.create_table, unless the table exists (a database of the earlier scheme)."""
    if name not in _present:
        op.create_table(name, *elements)


def _index(name: str, table: str, columns: list[str], unique: bool = False) -> None:
    existing = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes(table)}
    if name not in existing:
        op.create_index(name, table, columns, unique=unique)


def upgrade() -> None:
    _present.clear()
    _present.update(sa.inspect(op.get_bind()).get_table_names())
    if "expectation_keyword" in _present:
        op.drop_table("expectation_keyword")
    _table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("profile", sa.String(), nullable=True),
        sa.Column("closing_day", sa.String(), nullable=True),
        sa.Column("payment_day", sa.Integer(), nullable=True),
        sa.Column("payment_months", sa.Integer(), nullable=True),
        sa.Column("holiday_rule", sa.String(), nullable=True),
        sa.Column("calendar", sa.String(), nullable=True),
        sa.Column("statement_ready_day", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("ix_account_name", "account", ["name"], unique=True)
    _table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("expectation_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("facts", sa.String(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_facts", sa.String(), nullable=True),
        sa.Column("pending_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ack_facts", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    _index("ix_alert_expectation_id", "alert", ["expectation_id"], unique=False)
    _table(
        "campaign",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("issuer", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _table(
        "issuer",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("ix_issuer_name", "issuer", ["name"], unique=False)
    _table(
        "journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("command", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    _table(
        "meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    _table(
        "profile",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _table(
        "run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _table(
        "alert_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("facts", sa.String(), nullable=False),
        sa.Column("error", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("ix_alert_delivery_alert_at", "alert_delivery", ["alert_id", "at"], unique=False)
    _table(
        "coverage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "statement"),
    )
    _table(
        "enrollment",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("campaign_id", sa.String(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("accounts", sa.JSON(), nullable=False),
        sa.Column("met", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("ix_enrollment_campaign_id", "enrollment", ["campaign_id"], unique=False)
    _table(
        "entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("statement", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("dedup_key", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedup_key"),
    )
    _index("ix_entry_account_amount_date", "entry", ["account_id", "amount", "date"], unique=False)
    _index(
        "ix_entry_account_statement", "entry", ["account_id", "statement", "amount"], unique=False
    )
    _table(
        "expectation",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("enrollment_id", sa.String(), nullable=False),
        sa.Column("campaign_id", sa.String(), nullable=False),
        sa.Column("entitlement", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("match_amount", sa.Integer(), nullable=False),
        sa.Column("tolerance", sa.Integer(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("earliest", sa.Date(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=True),
        sa.Column("window_end", sa.Date(), nullable=True),
        sa.Column("grace", sa.Integer(), nullable=True),
        sa.Column("waiting_for", sa.JSON(), nullable=False),
        sa.Column("statement", sa.String(), nullable=True),
        sa.Column("next_statement", sa.String(), nullable=True),
        sa.Column("closing_date", sa.Date(), nullable=True),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("ready_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("ix_expectation_account_id", "expectation", ["account_id"], unique=False)
    _index("ix_expectation_enrollment_id", "expectation", ["enrollment_id"], unique=False)
    _table(
        "inquiry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expectation_id", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agent", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("promise", sa.String(), nullable=False),
        sa.Column("promise_by", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["expectation_id"],
            ["expectation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("ix_inquiry_expectation_id", "inquiry", ["expectation_id"], unique=False)
    _table(
        "reopened_settlement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expectation_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("substitute", sa.String(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("reopened_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["expectation_id"],
            ["expectation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _index(
        "ix_reopened_settlement_expectation_id",
        "reopened_settlement",
        ["expectation_id"],
        unique=False,
    )
    _table(
        "settlement",
        sa.Column("expectation_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("substitute", sa.String(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["expectation_id"],
            ["expectation.id"],
        ),
        sa.PrimaryKeyConstraint("expectation_id"),
    )
    meta = sa.table("meta", sa.column("key", sa.String()), sa.column("value", sa.String()))
    op.execute(meta.delete().where(meta.c.key == "schema_version"))
    op.execute(meta.insert().values(key="schema_version", value="alembic"))


def downgrade() -> None:
    for name in (
        "settlement", "reopened_settlement", "inquiry", "expectation", "entry", "enrollment",
        "coverage", "alert_delivery", "run", "profile", "meta", "journal", "issuer", "campaign",
        "alert", "account",
    ):  # fmt: skip
        op.drop_table(name)
