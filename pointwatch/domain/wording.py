"""How amounts, day counts and "where to look" read in English, once for every output (status,
`join`, alerts, the calendar). Claim documents have their own catalog (phrases.py)."""

from __future__ import annotations

from pointwatch.domain.dates import DateWindow
from pointwatch.domain.expectations import Expectation


def amount_text(amount: int, unit: str) -> str:
    """500 points, 1 point, 11,000 JPY."""
    if unit == "point":
        return f"{amount:,} point" + ("" if amount == 1 else "s")
    return f"{amount:,} {unit}"


def days_text(count: int) -> str:
    return f"{count} day" + ("" if count == 1 else "s")


def window_span(window: DateWindow) -> str:
    """One day, or "start – end"."""
    if window.start == window.end:
        return str(window.start)
    return f"{window.start} – {window.end}"


def statement_place(e: Expectation) -> str:
    """Where a waiver is checked: the statement, when it closes, is fixed and is debited."""
    return (
        f"statement {e.statement} of {e.account}: closes {e.closing_date}, "
        f"fixed {e.ready_date}, debited {e.payment_date}"
    )


def where_to_look(e: Expectation) -> str:
    """One line for listings: where and when to look for this expectation."""
    if e.kind == "waiver":
        return statement_place(e)
    if e.window is None:
        return f"{e.account}: window starts once {', '.join(e.waiting_for)} is met"
    waiting = f" (once {', '.join(e.waiting_for)} is met)" if e.waiting_for else ""
    return f"{e.account}: window {window_span(e.window)}{waiting}"


def where_to_look_sentence(e: Expectation) -> str:
    """The same place, worded for a message: "the history of amazon, window …"."""
    if e.kind == "waiver":
        return statement_place(e)
    assert e.window is not None  # alerts are raised for grants with a window only
    return f"the history of {e.account}, window {window_span(e.window)}"
