"""Settlements that were undone by `pointwatch reopen`, kept as evidence (the current settlement
lives in `tables.SettlementRow`, one per expectation)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel

from pointwatch.store.tables import AMOUNT


class ReopenedSettlementRow(SQLModel, table=True):
    """A settlement the user did not accept (e.g. a coupon instead of points), and when it was
    reopened: the history and the claim show it next to what was finally received."""

    __tablename__ = "reopened_settlement"
    id: int | None = Field(default=None, primary_key=True)
    expectation_id: str = Field(foreign_key="expectation.id", index=True)
    kind: str  # "substituted" | "forfeited" | "written_off"
    on: date
    substitute: str = ""
    amount: int = Field(default=0, sa_type=AMOUNT)
    note: str = ""
    reopened_on: date
    reason: str = ""
