"""Accounts, billing cycles, statements and entries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pointwatch.domain.billing import Statement
from pointwatch.formatters.base import table
from pointwatch.services.views import AccountView, EntryView


def statement_json(account: str, statement: Statement, reason: str) -> dict[str, Any]:
    return {
        "account": account,
        "statement": str(statement.month),
        "closing_date": statement.closing_date.isoformat(),
        "payment_date": statement.payment_date.isoformat(),
        "ready_date": statement.ready_date.isoformat(),
        "period_start": statement.period_start.isoformat(),
        "for": reason,
    }


def statement_sentence(account: str, statement: Statement, reason: str, note: str = "") -> str:
    return (
        f"{reason}: open statement {statement.month} of {account} — covers "
        f"{statement.period_start} to {statement.closing_date} (closing date), amount fixed "
        f"{statement.ready_date}, debited {statement.payment_date}{note}"
    )


def account_json(row: AccountView) -> dict[str, Any]:
    return {
        "name": row.name,
        "kind": row.kind,
        "profile": row.profile,
        "closing_day": row.closing_day,
        "payment_day": row.payment_day,
        "payment_months": row.payment_months,
        "holiday_rule": row.holiday_rule,
        "holidays": row.calendar,
        "statement_ready_day": row.statement_ready_day,
    }


def cycle_text(row: AccountView) -> str:
    if row.closing_day is None:
        return ""
    closing = "month end" if row.closing_day == "end" else f"the {_nth(int(row.closing_day))}"
    months = {0: "the same month", 1: "the next month"}.get(
        row.payment_months, f"{row.payment_months} months later"
    )
    ready = f"; fixed on the {_nth(row.statement_ready_day)}" if row.statement_ready_day else ""
    calendar = f" ({row.calendar} calendar)" if row.calendar else ""
    return (
        f"closes {closing}, paid the {_nth(row.payment_day or 0)} of {months}, "
        f"{row.holiday_rule}{calendar}{ready}"
    )


def _nth(day: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def accounts_table(rows: Iterable[AccountView]):
    return table(
        ("account", "kind", "profile", "billing cycle"),
        [(row.name, row.kind, row.profile or "", cycle_text(row)) for row in rows],
        wrap=("billing cycle",),
    )


def entry_json(view: EntryView) -> dict[str, Any]:
    return {
        "id": view.id,
        "account": view.account,
        "date": view.date.isoformat(),
        "amount": view.amount,
        "description": view.description,
        "statement": view.statement,
        "source": view.source,
        "expectation": view.expectation,
    }


def entries_table(views: Iterable[EntryView]):
    rows = [
        (str(view.id), view.account, view.date.isoformat(), f"{view.amount:,}", view.description,
         view.statement or "", view.source, view.expectation or "")
        for view in views
    ]  # fmt: skip
    return table(
        ("id", "account", "date", "amount", "description", "statement", "source", "settles"),
        rows, right=("id", "amount"), wrap=("description", "source"),
    )  # fmt: skip
