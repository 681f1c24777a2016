"""Output: rich tables and sentences for people, stable JSON for scripts.

JSON keys are a contract (DESIGN §4): more may be added, none renamed. Dates are ISO-8601,
amounts integers.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from pointwatch.domain.billing import Statement
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.statuses import Evaluation

STATUS_STYLE = {
    "late": "bold red",
    "fee_charged": "bold red",
    "check": "yellow",
    "due": "cyan",
    "upcoming": "dim",
    "awaiting_condition": "dim",
    "received": "green",
    "confirmed": "green",
    "substituted": "magenta",
    "forfeited": "dim",
    "written_off": "dim",
}


def console():
    from rich.console import Console

    # Piped output keeps long ids and dates on one line instead of wrapping at 80 columns.
    width = None if sys.stdout.isatty() else 200
    return Console(width=width, highlight=False, soft_wrap=False)


def dump_json(value: Any) -> str:
    # Indented for a person at a terminal; compact (and several times faster: the C encoder)
    # for scripts and pipes.
    indent = 2 if sys.stdout.isatty() else None
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def amount_text(amount: int, unit: str) -> str:
    if unit == "point":
        return f"{amount:,} point" + ("" if amount == 1 else "s")
    return f"{amount:,} {unit}"


# --- expectations ----------------------------------------------------------------------------


def expectation_json(evaluation: Evaluation) -> dict[str, Any]:
    e = evaluation.expectation
    settlement = evaluation.settlement
    return {
        "id": e.id,
        "enrollment": e.enrollment,
        "campaign": e.campaign,
        "entitlement": e.entitlement,
        "kind": e.kind,
        "status": evaluation.status,
        "amount": e.amount,
        "unit": e.unit,
        "account": e.account,
        "window_start": _iso(e.window.start if e.window else None),
        "window_end": _iso(e.window.end if e.window else None),
        "due": _iso(e.due),
        "statement": str(e.statement) if e.statement else None,
        "closing_date": _iso(e.closing_date),
        "payment_date": _iso(e.payment_date),
        "ready_date": _iso(e.ready_date),
        "days_late": evaluation.days_late,
        "occurrence": e.occurrence,
        "waiting_for": list(e.waiting_for),
        "entry": evaluation.entry,
        "settlement": None
        if settlement is None
        else {
            "kind": settlement.kind,
            "on": settlement.on.isoformat(),
            "substitute": settlement.substitute or None,
            "amount": settlement.amount,
            "note": settlement.note,
            "usability": _usability(settlement, e.unit),
        },
    }


def where_to_look(e: Expectation) -> str:
    """One line: where and when to look for this expectation."""
    if e.kind == "waiver":
        return (
            f"statement {e.statement} of {e.account}: closes {_iso(e.closing_date)}, "
            f"fixed {_iso(e.ready_date)}, debited {_iso(e.payment_date)}"
        )
    if e.window is None:
        return f"{e.account}: window starts once {', '.join(e.waiting_for)} is met"
    window = (
        f"{e.window.start}"
        if e.window.start == e.window.end
        else f"{e.window.start} – {e.window.end}"
    )
    waiting = f" (once {', '.join(e.waiting_for)} is met)" if e.waiting_for else ""
    return f"{e.account}: window {window}{waiting}"


def expectation_line(e: Expectation, grace: int) -> str:
    """A sentence for `join`: what is owed and where/when to look."""
    if e.kind == "waiver":
        return (
            f"{e.id}: {amount_text(e.amount, e.unit)} must NOT be charged — open statement "
            f"{e.statement} of {e.account} (closes {_iso(e.closing_date)}, fixed "
            f"{_iso(e.ready_date)}, debited {_iso(e.payment_date)})"
        )
    late_after = ""
    if e.window is not None:
        days = grace if e.grace is None else e.grace
        late_after = f", due {e.window.end}, late after {e.window.end + timedelta(days=days)}"
    return f"{e.id}: {amount_text(e.amount, e.unit)} into {where_to_look(e)}{late_after}"


STATUS_COLUMNS = ("expectation", "status", "amount", "where / when", "due", "late")


def status_rows(evaluations: Sequence[Evaluation]) -> list[tuple[str, ...]]:
    """One row of plain text cells per expectation, in STATUS_COLUMNS order."""
    rows = []
    for evaluation in evaluations:
        e = evaluation.expectation
        status = evaluation.status
        if evaluation.settlement and evaluation.settlement.substitute:
            s = evaluation.settlement
            lower = _usability(s, e.unit) == "lower"
            status += f" ({s.substitute} {s.amount:,}{', less usable' if lower else ''})"
        rows.append((
            e.id,
            status,
            amount_text(e.amount, e.unit),
            where_to_look(e),
            _iso(e.due) or "–",
            f"{evaluation.days_late}d" if evaluation.days_late else "",
        ))  # fmt: skip
    return rows


def status_table(evaluations: Sequence[Evaluation]):
    """A rich table at a terminal; aligned plain text when piped (rich takes seconds to lay out
    thousands of rows, and a pipe wants neither colour nor box drawing)."""
    rows = status_rows(evaluations)
    if not sys.stdout.isatty():
        return plain_table(STATUS_COLUMNS, rows)
    from rich.table import Table

    table = Table()
    for column in STATUS_COLUMNS:
        table.add_column(column, no_wrap=column in ("expectation", "status", "due"))
    for evaluation, row in zip(evaluations, rows, strict=True):
        style = STATUS_STYLE.get(evaluation.status, "")
        table.add_row(row[0], f"[{style}]{row[1]}[/]" if style else row[1], *row[2:])
    return table


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, two spaces apart."""
    widths = [
        max([len(header), *(len(row[i]) for row in rows)]) for i, header in enumerate(headers)
    ]
    lines = [headers, *rows]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


# --- statements, accounts, entries -----------------------------------------------------------


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


def account_json(row: Any) -> dict[str, Any]:
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


def cycle_text(row: Any) -> str:
    if row.closing_day is None:
        return ""
    closing = "month end" if row.closing_day == "end" else f"the {row.closing_day}th"
    months = {0: "the same month", 1: "the next month"}.get(
        row.payment_months, f"{row.payment_months} months later"
    )
    ready = f"; fixed on the {row.statement_ready_day}th" if row.statement_ready_day else ""
    calendar = f" ({row.calendar} calendar)" if row.calendar else ""
    return (
        f"closes {closing}, paid the {row.payment_day}th of {months}, "
        f"{row.holiday_rule}{calendar}{ready}"
    )


def accounts_table(rows: Iterable[Any]):
    from rich.table import Table

    table = Table()
    for column in ("account", "kind", "profile", "billing cycle"):
        table.add_column(column)
    for row in rows:
        table.add_row(row.name, row.kind, row.profile or "", cycle_text(row))
    return table


def entry_json(view: Any) -> dict[str, Any]:
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


def entries_table(views: Iterable[Any]):
    from rich.table import Table

    table = Table()
    for column in (
        "id",
        "account",
        "date",
        "amount",
        "description",
        "statement",
        "source",
        "settles",
    ):
        table.add_column(column, justify="right" if column in ("id", "amount") else "left")
    for view in views:
        table.add_row(
            str(view.id), view.account, view.date.isoformat(), f"{view.amount:,}",
            view.description, view.statement or "", view.source, view.expectation or "",
        )  # fmt: skip
    return table


# --- support: inquiries, settlements, history ------------------------------------------------


def _usability(settlement: Any, unit: str) -> str | None:
    """Lower or same: how a substitute compares compared with what was promised; None otherwise."""
    from pointwatch.domain.support import usability

    if not settlement.substitute:
        return None
    return usability(settlement.substitute, unit).relative


def _minutes(value: Any) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None else None


def inquiry_json(fact: Any) -> dict[str, Any]:
    inquiry = fact.inquiry
    return {
        "id": inquiry.id,
        "expectation": inquiry.expectation,
        "channel": inquiry.channel,
        "at": _minutes(inquiry.at),
        "agent": inquiry.agent,
        "summary": inquiry.summary,
        "promise": inquiry.promise,
        "promise_by": _minutes(inquiry.promise_by),
        "promise_state": fact.promise_state or None,
    }


def inquiries_table(facts: Iterable[Any]):
    from rich.table import Table

    table = Table()
    for column in ("id", "expectation", "at", "channel", "agent", "summary", "promise", "by"):
        table.add_column(column, no_wrap=column in ("id", "expectation", "at"))
    for fact in facts:
        i = fact.inquiry
        by = i.promise_by.strftime("%Y-%m-%d %H:%M") if i.promise_by else ""
        state = f" ({fact.promise_state})" if fact.promise_state else ""
        table.add_row(
            str(i.id), i.expectation, i.at.strftime("%Y-%m-%d %H:%M"), i.channel, i.agent,
            i.summary, i.promise, by + state,
        )  # fmt: skip
    return table


def settlement_sentence(e: Expectation, settlement: Any) -> str:
    """What was promised next to what was received, e.g. for `settle` and `history`."""
    from pointwatch.domain.claims import substitute_phrase
    from pointwatch.domain.support import usability

    promised = amount_text(e.amount, e.unit)
    note = f" — {settlement.note}" if settlement.note else ""
    if settlement.kind != "substituted":
        return f"{settlement.kind} on {settlement.on}: {promised} promised, nothing received{note}"
    verdict = usability(settlement.substitute, e.unit)
    received = substitute_phrase(settlement.substitute, settlement.amount, "en")
    return (
        f"substituted on {settlement.on}: {promised} promised, received {received} "
        f"({verdict.note}){note}"
    )


def history_json(history: Any) -> dict[str, Any]:
    evidence = history.evidence
    e = evidence.expectation
    events = []
    for event in history.events:
        item = {"date": event.day.isoformat(), "at": _minutes(event.at), "kind": event.kind}
        item["text"] = event.text
        item.update(event.data)
        events.append(item)
    return {
        **expectation_json(history.evaluation),
        "campaign_name": evidence.campaign_name,
        "issuer": evidence.issuer,
        "joined": evidence.joined.isoformat(),
        "as_of": evidence.as_of.isoformat(),
        "reopened": [
            {
                "kind": past.settlement.kind,
                "on": past.settlement.on.isoformat(),
                "substitute": past.settlement.substitute or None,
                "amount": past.settlement.amount,
                "note": past.settlement.note,
                "usability": _usability(past.settlement, e.unit),
                "reopened_on": past.reopened_on.isoformat(),
                "reason": past.reason,
            }
            for past in evidence.reopened
        ],
        "events": events,
    }


def history_lines(history: Any) -> list[str]:
    evidence = history.evidence
    e = evidence.expectation
    late = f", {history.evaluation.days_late} days late" if history.evaluation.days_late else ""
    lines = [
        f"{e.id}: {amount_text(e.amount, e.unit)} — {evidence.campaign_name}",
        f"status as of {evidence.as_of}: {history.evaluation.status}{late}",
    ]
    if history.evaluation.settlement is not None:
        lines.append(settlement_sentence(e, history.evaluation.settlement))
    for past in evidence.reopened:
        lines.append(
            f"earlier, reopened on {past.reopened_on}: {settlement_sentence(e, past.settlement)}"
        )
    lines.append("")
    for event in history.events:
        when = event.at.strftime("%Y-%m-%d %H:%M") if event.at else event.day.isoformat()
        later = "  (ahead)" if event.day > evidence.as_of else ""
        lines.append(f"{when:<16}  {event.kind:<17}  {event.text}{later}")
    return lines


# --- alerts (remind, alerts, ack) ------------------------------------------------------------


def alert_json(view: Any) -> dict[str, Any]:
    """An alert for `remind --json` / `alerts --json` (DESIGN §4 keys first)."""
    return {
        "id": view.id,
        "key": view.key,
        "kind": view.kind,
        "expectation": view.expectation,
        "message": view.message,
        "title": view.title,
        "body": view.body,
        "state": view.state,
        "since": view.since.isoformat(),
        "raised_at": _iso(view.raised_at),
        "delivered_at": _iso(view.delivered_at),
        "acked_at": _iso(view.acked_at),
        "snoozed_until": _iso(view.snoozed_until),
        "resolved_at": _iso(view.resolved_at),
        "pending": view.pending,
        "reason": view.reason,
    }


def failure_json(failure: Any) -> dict[str, Any]:
    return {**alert_json(failure.alert), "channel": failure.channel, "error": failure.error}


def alerts_table(views: Iterable[Any], zone: Any = None):
    from rich.markup import escape
    from rich.table import Table

    table = Table(pad_edge=False)
    for column in ("id", "kind", "expectation", "state", "since", "last sent", "alert"):
        table.add_column(column, justify="right" if column == "id" else "left",
                         no_wrap=column in ("id", "kind", "state", "since"))  # fmt: skip
    for view in views:
        state = view.state
        if view.snoozed_until is not None and state == "snoozed":
            state += f" until {view.snoozed_until.astimezone(zone):%Y-%m-%d %H:%M}"
        if view.pending and state != "resolved":
            state += " (delivery failed, retrying)"
        sent = view.delivered_at.astimezone(zone).strftime("%Y-%m-%d") if view.delivered_at else ""
        style = {"open": "bold", "resolved": "dim"}.get(view.state, "")
        table.add_row(
            str(view.id), view.kind, escape(view.expectation),
            f"[{style}]{state}[/]" if style else state, view.since.isoformat(), sent,
            escape(view.title),
        )  # fmt: skip
    return table
