"""Recorded entries as plain values, for the messages that cite them (alerts, claims)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RecordedEntry:
    """A recorded statement or point-history line: what a message quotes as evidence."""

    id: int
    date: date
    amount: int
    description: str
    statement: str | None = None
