"""What needs the user now, and the one thing to do next (the end of `status`).

Pure: evaluations and today come in; whether each needs attention and the most urgent step,
with its exact command, go out. The sentences are the formatters' (they will be translated);
the commands are the same in every language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pointwatch.domain.conditions import Progress
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.statuses import (
    AWAITING_CONDITION,
    CHECK,
    DUE,
    FEE_CHARGED,
    LATE,
    UPCOMING,
    Evaluation,
)

# Most urgent first: money lost, money late, a statement to check, then what is coming.
URGENCY = (FEE_CHARGED, LATE, CHECK, DUE, AWAITING_CONDITION, UPCOMING)
_NOW = frozenset({FEE_CHARGED, LATE, CHECK, DUE})


@dataclass(frozen=True)
class NextStep:
    """The most urgent expectation and what to run for it. `command` is the step itself,
    `also` the other way out (record a late grant after all, import instead of checking);
    `count` is how many expectations need attention now, this one included. When nothing
    does, `count` is 0 and the step is for the expectation that will next, on `on`."""

    evaluation: Evaluation
    command: str
    also: str = ""
    count: int = 1
    on: date | None = None


def attention_from(evaluation: Evaluation) -> date | None:
    """The day an open expectation starts to need the user; None when settled, or when only
    the world can move it (a grant waiting for a condition whose window is not known yet).

    Late, fee_charged, check and due need the user already (their day is in the past or
    today); an upcoming grant from its window's start (a payout may come early); an upcoming
    waiver from the day its statement is fixed; a grant awaiting a condition from its
    window's start or the condition's deadline, whichever comes first (record the condition,
    or settle it as forfeited), and once that deadline passed with statements to check, from
    the day the first of them is fixed."""
    e = evaluation.expectation
    status = evaluation.status
    if status in _NOW:
        return date.min
    if status not in (UPCOMING, AWAITING_CONDITION):
        return None
    if e.kind == "waiver":
        return e.ready_date
    days: list[date | None] = [e.window.start] if e.window is not None else []
    if status == AWAITING_CONDITION:
        # A condition's deadline; once it passed, the day its statements can be checked.
        for p in e.conditions:
            if p.id in e.waiting_for and not p.missed:
                days.append(p.check_from if p.unconfirmed else p.deadline)
    known = [day for day in days if day is not None]
    return min(known) if known else None


def waiting_on(e: Expectation) -> Progress | None:
    """The required condition a grant waits for that needs the user most: one whose deadline
    passed with statements still to check, else one counted from entries (the user imports
    them), else None (a declared one: `met` records it)."""
    waiting = [p for p in e.conditions if p.id in e.waiting_for and not p.missed]
    ranked = [p for p in waiting if p.unconfirmed] + [p for p in waiting if p.computed]
    return ranked[0] if ranked else None


def needs_attention(evaluation: Evaluation, today: date, upcoming_days: int) -> bool:
    """`status --open`: late, fee_charged, check and due, and what starts to need the user
    within `upcoming_days` of today (see `attention_from`) — not a statement fixed in two
    years."""
    start = attention_from(evaluation)
    return start is not None and start <= today + timedelta(days=upcoming_days)


def next_step(
    evaluations: Sequence[Evaluation], today: date, upcoming_days: int
) -> NextStep | None:
    """The most urgent expectation that needs attention and its command; if none does, the
    open one that will need it first; None when nothing is open or has a day to wait for."""
    urgent = [v for v in evaluations if needs_attention(v, today, upcoming_days)]
    if urgent:
        first = min(urgent, key=_urgency)
        command, also = commands(first)
        return NextStep(first, command, also, count=len(urgent))
    waiting = [(start, v) for v in evaluations if (start := attention_from(v)) is not None]
    if not waiting:
        return None
    on, first = min(waiting, key=lambda pair: (pair[0], pair[1].expectation.id))
    command, also = commands(first)
    return NextStep(first, command, also, count=0, on=on)


def _urgency(evaluation: Evaluation) -> tuple:
    e = evaluation.expectation
    status = evaluation.status
    if status == LATE:
        when = -evaluation.days_late  # the longest overdue first
    elif e.kind == "waiver":
        when = e.payment_date.toordinal() if e.payment_date else 0  # the soonest debit first
    else:
        window = e.window
        when = (window.end if status == DUE else window.start).toordinal() if window else 0
    return (URGENCY.index(status), when, e.id)


def commands(evaluation: Evaluation) -> tuple[str, str]:
    """The command for this status, and the other way out ("" when there is none)."""
    e = evaluation.expectation
    status = evaluation.status
    if status in (FEE_CHARGED, LATE):
        also = record_command(e) if status == LATE else ""
        return f"pointwatch claim {e.id}", also
    if status == AWAITING_CONDITION:
        waiting = waiting_on(e)
        if waiting is None:
            return f"pointwatch met {e.enrollment} {e.waiting_for[0]}=DATE", ""
        account = _word(waiting.account)
        if waiting.unconfirmed:
            return (
                f"pointwatch checked {account} {waiting.unconfirmed[0]}",
                f"pointwatch import FILE --account {account}",
            )
        return (
            f"pointwatch import FILE --account {account}",
            f"pointwatch record {account} --date DATE --amount N --memo TEXT",
        )
    if e.kind == "waiver":
        return (
            f"pointwatch checked {_word(e.account)} {e.statement}",
            f"pointwatch import FILE --account {_word(e.account)}",
        )
    return record_command(e), f"pointwatch import FILE --account {_word(e.account)}"


def record_command(e: Expectation) -> str:
    """`pointwatch record …` for the entry that would settle a grant (or a fee on a card)."""
    memo = e.keywords[0] if e.keywords else "TEXT"
    credit = " --credit" if e.match_amount < 0 else ""
    return (
        f'pointwatch record {_word(e.account)} --date DATE --amount {e.amount} --memo "{memo}"'
        f"{credit}"
    )


def _word(text: str) -> str:
    """One shell word: as is when safe (Japanese included), else in single quotes."""
    if re.fullmatch(r"[\w@%+=:,./-]+", text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"
