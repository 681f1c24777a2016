"""How amounts, day counts and "where to look" read in English, once for every output (status,
`join`, alerts, the calendar). Claim documents have their own catalog (phrases.py)."""

from __future__ import annotations

import re

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


# C0/C1 controls (ESC, BEL, CSI, OSC, …) and bidirectional overrides: text from memos, campaign
# files or inquiries must never drive the terminal, so they are shown escaped. Newline and tab
# stay (multi-line claim drafts); table cells escape them too.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CELLCONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character shown as an escape (newlines and tabs kept)."""
    return CONTROLS.sub(_escaped, text)


def visible_cell(text: str) -> str:
    """One table cell: no control character at all, newlines included."""
    return _CELLCONTROLS.sub(_escaped, text)
