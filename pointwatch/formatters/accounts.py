"""Accounts, billing cycles, statements and entries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pointwatch.domain.billing import Statement
from pointwatch.domain.wording import date_text, kind_word, month_text, statement_name
from pointwatch.formatters.base import table
from pointwatch.i18n import N_, _, language, word
from pointwatch.services.views import AccountView, EntryView

if TYPE_CHECKING:
    from pointwatch.services.statements import StatementAnswer


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


def statement_sentence(answer: StatementAnswer, note: str = "") -> str:
    """`which-statement`: what the statement is for, and its dates."""
    statement = answer.statement
    if answer.posted is not None:
        reason = _("posted {day}").format(day=date_text(answer.posted))
    elif answer.entry is not None:
        reason = _("entry {id}: {description}").format(
            id=answer.entry, description=answer.description
        )
    else:
        reason = answer.reason
    return (
        _(
            "{reason}: open {statement} — covers {start} to {closing} (closing date), amount fixed "
            "{ready}, debited {payment}"
        ).format(
            reason=reason,
            statement=statement_name(statement.month, answer.account),
            start=date_text(statement.period_start),
            closing=date_text(statement.closing_date),
            ready=date_text(statement.ready_date),
            payment=date_text(statement.payment_date),
        )
        + note
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
    """A billing cycle in words: closes month end, paid the 27th of the next month, …"""
    if row.closing_day is None:
        return ""
    if row.closing_day == "end":
        closing = _("closes month end")
    else:
        closing = _("closes the {nth}").format(nth=_nth(int(row.closing_day)))
    nth = _nth(row.payment_day or 0)
    if row.payment_months == 0:
        paid = _("paid the {nth} of the same month").format(nth=nth)
    elif row.payment_months == 1:
        paid = _("paid the {nth} of the next month").format(nth=nth)
    else:
        paid = _("paid the {nth}, {months} months later").format(nth=nth, months=row.payment_months)
    parts = [closing, paid, holiday_rule_word(row.holiday_rule)]
    if row.calendar:
        parts[-1] = _("{rule} ({calendar} calendar)").format(rule=parts[-1], calendar=row.calendar)
    text = _(", ").join(parts)
    if row.statement_ready_day:
        text += _("; fixed on the {nth}").format(nth=_nth(row.statement_ready_day))
    return text


HOLIDAY_RULE_WORDS = {
    "next-business-day": N_("next-business-day"),
    "previous-business-day": N_("previous-business-day"),
    "none": N_("none"),
}


def holiday_rule_word(rule: str) -> str:
    return word(HOLIDAY_RULE_WORDS, rule)


def _nth(day: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st / 1日, 2日."""
    if language() == "ja":
        return f"{day}日"
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def accounts_table(rows: Iterable[AccountView]):
    return table(
        (N_("account"), N_("kind"), N_("profile"), N_("billing cycle")),
        [(row.name, kind_word(row.kind), row.profile or "", cycle_text(row)) for row in rows],
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


def source_text(source: str) -> str:
    """Where an entry came from: manual (typed with `record`) or the imported file."""
    return _("manual") if source == "manual" else source


def entries_table(views: Iterable[EntryView]):
    rows = [
        (str(view.id), view.account, date_text(view.date), f"{view.amount:,}", view.description,
         month_text(view.statement), source_text(view.source), view.expectation or "")
        for view in views
    ]  # fmt: skip
    return table(
        (N_("id"), N_("account"), N_("date"), N_("amount"), N_("description"), N_("statement"),
         N_("source"), N_("settles")),
        rows, right=("id", "amount"), wrap=("description", "source"),
    )  # fmt: skip
