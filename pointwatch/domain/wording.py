"""How amounts, day counts and "where to look" read in English, once for every output (status,
`join`, alerts, the calendar). Claim documents have their own catalog (phrases.py)."""

from __future__ import annotations

import re

from pointwatch.domain.conditions import COUNT, ENTRY, Progress
from pointwatch.domain.dates import DateWindow
from pointwatch.domain.expectations import Expectation
from pointwatch.i18n import _, ngettext


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
    if note := conditions_note(e):
        return note
    if e.window is None:
        return f"{e.account}: window starts once {', '.join(e.waiting_for)} is met"
    waiting = f" (once {', '.join(e.waiting_for)} is met)" if e.waiting_for else ""
    return f"{e.account}: window {window_span(e.window)}{waiting}"


def reached_text(p: Progress) -> str:
    """What a condition reached so far: "30,000 / 50,000 JPY", "2 / 3 charges"."""
    if p.kind == COUNT:
        count = p.at_least or 0
        reached = ngettext("{so_far} / {at_least} charge", "{so_far} / {at_least} charges", count)
        return reached.format(so_far=p.so_far, at_least=count)
    if p.kind == ENTRY:
        return _("no charge of {amount} or more").format(
            amount=amount_text(p.at_least or 0, p.unit)
        )
    if p.computed:
        return _("{so_far} / {at_least}").format(
            so_far=f"{p.so_far or 0:,}", at_least=amount_text(p.at_least or 0, p.unit)
        )
    return _("not met")


def progress_text(p: Progress) -> str:
    """How far a condition is: "30,000 / 50,000 JPY, 12 days left", "met on 2026-02-20"."""
    if p.missed:
        if p.met_on is not None:
            return _("met on {day}, after the deadline {deadline}").format(
                day=p.met_on, deadline=p.deadline
            )
        return _("{progress} by {deadline}, missed").format(
            progress=reached_text(p), deadline=p.deadline
        )
    if p.met_on is not None:
        return _("met on {day}").format(day=p.met_on)
    reached = reached_text(p)
    if p.unconfirmed:
        return _(
            "{progress} by {deadline}; statements {statements} of {account} are not covered yet"
        ).format(
            progress=reached,
            deadline=p.deadline,
            statements=", ".join(str(month) for month in p.unconfirmed),
            account=p.account,
        )
    left = p.days_left
    if left is None:
        if p.deadline is None:
            return reached
        return _("{progress} by {deadline}").format(progress=reached, deadline=p.deadline)
    if left == 0:
        return _("{progress}, the deadline is today").format(progress=reached)
    days = ngettext("{count} day left", "{count} days left", left).format(count=left)
    return _("{progress}, {days}").format(progress=reached, days=days)


def condition_label(p: Progress) -> str:
    """A condition by name, with the account its entries are counted on."""
    if p.account:
        return _("{condition} on {account}").format(condition=p.id, account=p.account)
    return p.id


def conditions_note(e: Expectation) -> str:
    """Where a grant stands when a required condition decides it: missed, or still waited for
    with a deadline or a count ("" otherwise: the plain window line says it all)."""
    missed = [p for p in e.conditions if p.missed]
    if missed:
        return _("{account}: {progress}").format(
            account=e.account,
            progress="; ".join(f"{condition_label(p)}: {progress_text(p)}" for p in missed),
        )
    pending = [
        p for p in e.conditions if p.id in e.waiting_for and (p.computed or p.deadline is not None)
    ]
    if not pending:
        return ""
    fields = {
        "account": e.account,
        "conditions": ", ".join(e.waiting_for),
        "progress": "; ".join(f"{condition_label(p)}: {progress_text(p)}" for p in pending),
    }
    if e.window is None:
        return _("{account}: window starts once {conditions} is met — {progress}").format(**fields)
    return _("{account}: window {window} once {conditions} is met — {progress}").format(
        window=window_span(e.window), **fields
    )


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
