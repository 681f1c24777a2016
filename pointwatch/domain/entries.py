"""Recorded entries as plain values, for the messages that cite them (alerts, claims)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The largest amount a database integer column holds (signed 64-bit: SQLite INTEGER, PostgreSQL
# BIGINT); larger ones are refused wherever they come in (command line, CSV, campaign files).
LARGEST_AMOUNT = 2**63 - 1


@dataclass(frozen=True)
class RecordedEntry:
    """A recorded statement or point-history line: what a message quotes as evidence."""

    id: int
    date: date
    amount: int
    description: str
    statement: str | None = None
