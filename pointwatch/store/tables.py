"""SQLModel tables. Kept apart from the domain values; `convert.py` maps between them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

# Amounts are 64-bit like the command line's bound (domain.entries.LARGEST_AMOUNT): BIGINT on
# servers (revision pw0004), INTEGER on SQLite, whose INTEGER holds 64 bits already.
AMOUNT = BigInteger().with_variant(Integer(), "sqlite")

# A change to any table needs an Alembic revision (store/migrations/; a test compares the
# migrated schema with these models).


class Meta(SQLModel, table=True):
    """Key/value facts about the store itself. `schema_version` was the schema's number before
    Alembic (1..3); it says "alembic" since (the revision is in `alembic_version`)."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class AccountRow(SQLModel, table=True):
    __tablename__ = "account"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    kind: str
    profile: str | None = None
    closing_day: str | None = None  # "end" or "1".."28"
    payment_day: int | None = None
    payment_months: int | None = None
    holiday_rule: str | None = None
    calendar: str | None = None
    statement_ready_day: int | None = None


class CampaignRow(SQLModel, table=True):
    __tablename__ = "campaign"
    id: str = Field(primary_key=True)
    name: str
    issuer: str
    source: str
    definition: dict = Field(sa_column=Column(JSON, nullable=False))


class ProfileRow(SQLModel, table=True):
    __tablename__ = "profile"
    id: str = Field(primary_key=True)
    source: str
    definition: dict = Field(sa_column=Column(JSON, nullable=False))


class IssuerRow(SQLModel, table=True):
    __tablename__ = "issuer"
    id: str = Field(primary_key=True)
    name: str = Field(index=True)
    definition: dict = Field(sa_column=Column(JSON, nullable=False))


class EnrollmentRow(SQLModel, table=True):
    __tablename__ = "enrollment"
    id: str = Field(primary_key=True)
    campaign_id: str = Field(foreign_key="campaign.id", index=True)
    joined_on: date
    # Replaced whole on change, never mutated in place (plain JSON columns are not tracked).
    accounts: dict = Field(sa_column=Column(JSON, nullable=False))
    met: dict = Field(sa_column=Column(JSON, nullable=False))


class ExpectationRow(SQLModel, table=True):
    __tablename__ = "expectation"
    id: str = Field(primary_key=True)
    enrollment_id: str = Field(foreign_key="enrollment.id", index=True)
    campaign_id: str
    entitlement: str
    kind: str
    occurrence: int
    account_id: int = Field(foreign_key="account.id", index=True)
    amount: int = Field(sa_type=AMOUNT)
    unit: str
    match_amount: int = Field(sa_type=AMOUNT)
    tolerance: int = Field(sa_type=AMOUNT)
    keywords: list = Field(sa_column=Column(JSON, nullable=False))
    earliest: date
    window_start: date | None = None
    window_end: date | None = None
    grace: int | None = None
    waiting_for: list = Field(sa_column=Column(JSON, nullable=False))
    statement: str | None = None
    next_statement: str | None = None
    closing_date: date | None = None
    payment_date: date | None = None
    ready_date: date | None = None


class SettlementRow(SQLModel, table=True):
    __tablename__ = "settlement"
    expectation_id: str = Field(foreign_key="expectation.id", primary_key=True)
    kind: str
    on: date
    substitute: str = ""
    amount: int = Field(default=0, sa_type=AMOUNT)
    note: str = ""


class EntryRow(SQLModel, table=True):
    __tablename__ = "entry"
    __table_args__ = (
        # Matching looks entries up by account and amount, then date (grants) or statement
        # (waivers): these two indexes keep it set-based.
        Index("ix_entry_account_amount_date", "account_id", "amount", "date"),
        Index("ix_entry_account_statement", "account_id", "statement", "amount"),
    )
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    date: date
    amount: int = Field(sa_type=AMOUNT)
    description: str
    statement: str | None = None
    source: str = "manual"
    dedup_key: str | None = Field(default=None, unique=True)


class CoverageRow(SQLModel, table=True):
    __tablename__ = "coverage"
    __table_args__ = (UniqueConstraint("account_id", "statement"),)
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    statement: str
    source: str
    recorded_on: date


class RunRow(SQLModel, table=True):
    """One daily run (remind); the daemon catches up when the last success is too old."""

    __tablename__ = "run"
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime
    as_of: date
    ok: bool
    summary: str = ""


class InquiryRow(SQLModel, table=True):
    """A support contact about one expectation, with what was promised and by when."""

    __tablename__ = "inquiry"
    id: int | None = Field(default=None, primary_key=True)
    expectation_id: str = Field(foreign_key="expectation.id", index=True)
    channel: str  # chat | email | phone | form
    at: datetime  # time-zone aware
    agent: str = ""
    summary: str = ""
    promise: str = ""
    promise_by: datetime | None = None
