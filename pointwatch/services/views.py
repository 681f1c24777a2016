"""What services hand out: frozen views, never table rows (a view cannot change the database
behind the caller's back, and the formatters can be typed against it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class AccountView:
    name: str
    kind: str
    profile: str | None = None
    closing_day: str | None = None  # "end" or "1".."28"; cards only
    payment_day: int | None = None
    payment_months: int | None = None
    holiday_rule: str | None = None
    calendar: str | None = None
    statement_ready_day: int | None = None


@dataclass(frozen=True)
class EntryView:
    id: int
    account: str
    date: date
    amount: int
    description: str
    statement: str | None
    source: str
    expectation: str | None = None  # the expectation this entry settles, if any


@dataclass(frozen=True)
class JournalView:
    """One journaled change: when, the command line, what changed, and whether it was undone."""

    id: int
    at: datetime
    command: str
    summary: str  # in English, as stored
    undone_at: datetime | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)  # the row images (for `shown`)
