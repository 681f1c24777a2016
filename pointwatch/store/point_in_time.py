"""Rules every read follows: the point-in-time filter of `--as-of` (one place, DESIGN §3 "Point
in time") and the shape of the matching reads. Light on purpose: the plain-sqlite3 read path
imports it without SQLAlchemy (the filter itself builds SQLAlchemy expressions on demand)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement

SPANS = 20  # (account, amounts) spans per read: a few reads, not one per account

# The column holding the day each kind of row came to exist, for the point-in-time rule.
_EXISTS_FROM = {
    "entry": "date",
    "coverage": "recorded_on",
    "settlement": "on",
    "reopened_settlement": "reopened_on",
}


def existing_on(table: str, day) -> ColumnElement[bool]:
    """The point-in-time filter: rows of `table` that existed on `day` (None: every row; a
    bound parameter: the day each run of a statement gives, see `day_parameter`)."""
    from sqlalchemy import true
    from sqlmodel import SQLModel

    from pointwatch.store import settlement_log, tables  # noqa: F401 (their tables)

    if day is None:
        return true()
    return SQLModel.metadata.tables[table].c[_EXISTS_FROM[table]] <= day


def day_parameter(day: date | None) -> date:
    """The value of the `day` parameter of the statements in reads.py for a view as of `day`
    (None: every row, so a day after any stored one)."""
    return date.max if day is None else day


def met_on(met: Mapping[str, date], day: date | None) -> dict[str, date]:
    """The point-in-time filter for conditions: those met by `day` (None: all met so far)."""
    return dict(met) if day is None else {name: on for name, on in met.items() if on <= day}
