"""How amounts, dates, statuses and "where to look" read, in the language in use (i18n), once
for every output (status, `join`, alerts, the calendar). Claim documents have their own catalog
(phrases.py).

Japanese: dates as 2023年1月31日, statement months as 2026年2月請求分, amounts as 11,000円 and
500ポイント. Each function takes the language, or uses the one in use.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pointwatch.domain.conditions import COUNT, ENTRY, Progress
from pointwatch.domain.dates import DateWindow, Month
from pointwatch.domain.expectations import Expectation
from pointwatch.i18n import N_, NP_, Message, _, language, ngettext, word

# Every status in the words people read (README "Statuses" lists the Japanese ones).
STATUS_WORDS = {
    "upcoming": NP_("status", "upcoming"),
    "due": NP_("status", "due"),
    "late": NP_("status", "late"),
    "received": NP_("status", "received"),
    "awaiting_condition": NP_("status", "awaiting_condition"),
    "check": NP_("status", "check"),
    "confirmed": NP_("status", "confirmed"),
    "fee_charged": NP_("status", "fee_charged"),
    "refunded": NP_("status", "refunded"),
    "substituted": NP_("status", "substituted"),
    "forfeited": NP_("status", "forfeited"),
    "written_off": NP_("status", "written_off"),
}
YEN_UNITS = ("jpy", "yen", "円")
ACCOUNT_KIND_WORDS = {
    "card": N_("card"), "points": N_("points"), "bank": N_("bank"), "wallet": N_("wallet")
}  # fmt: skip


def _lang(lang: str | None) -> str:
    return lang or language()


def status_word(status: str) -> str:
    """An expectation status as people read it (`late`, 遅延)."""
    return word(STATUS_WORDS, status, "status")


CHANNEL_WORDS = {
    "chat": N_("chat"), "email": N_("email"), "phone": N_("phone"), "form": N_("form")
}  # fmt: skip


SUBSTITUTE_WORDS = {
    "coupon": N_("coupon"), "gift-card": N_("gift-card"), "points": N_("points"),
    "cash": N_("cash"),
}  # fmt: skip


def substitute_word(substitute: str) -> str:
    """What was received instead of a grant (coupon, クーポン)."""
    return word(SUBSTITUTE_WORDS, substitute)


PROMISE_STATE_WORDS = {
    "pending": N_("pending"), "kept": N_("kept"), "broken": N_("broken"), "settled": N_("settled")
}  # fmt: skip


def promise_state_word(state: str) -> str:
    """The state of a support promise as people read it (broken, 守られず)."""
    return word(PROMISE_STATE_WORDS, state)


def channel_word(channel: str) -> str:
    """A support channel as people read it (chat, チャット)."""
    return word(CHANNEL_WORDS, channel)


def list_words(items: list[str]) -> str:
    """ "a, b or c" / "a、bまたはc"."""
    if len(items) <= 1:
        return "".join(items)
    return _(", ").join(items[:-1]) + _(" or ") + items[-1]


ALERT_KIND_WORDS = {
    "late": N_("late"), "fee_charged": N_("fee_charged"), "check_statement": N_("check_statement"),
    "upcoming_check": N_("upcoming_check"), "follow_up": N_("follow_up"),
    "condition_at_risk": N_("condition_at_risk"), "expiring": N_("expiring"),
}  # fmt: skip


def alert_kind_word(kind: str) -> str:
    """An alert kind as people read it (fee_charged, 請求あり)."""
    return word(ALERT_KIND_WORDS, kind)


def kind_word(kind: str) -> str:
    """An account kind as people read it (card, カード)."""
    return word(ACCOUNT_KIND_WORDS, kind)


def date_text(day: date | None, lang: str | None = None) -> str:
    """2023-01-31 / 2023年1月31日 ("" for no date)."""
    if day is None:
        return ""
    if _lang(lang) == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def moment_text(moment: datetime, lang: str | None = None) -> str:
    """2022-09-01 10:00 / 2022年9月1日 10:00."""
    return f"{date_text(moment.date(), lang)} {moment:%H:%M}"


def month_name(month: Month | str | None, lang: str | None = None) -> str:
    """A month: 2026-02 / 2026年2月."""
    if month is None:
        return ""
    if _lang(lang) == "ja":
        parsed = month if isinstance(month, Month) else Month.parse(str(month))
        return f"{parsed.year}年{parsed.month}月"
    return str(month)


def month_text(month: Month | str | None, lang: str | None = None) -> str:
    """A statement month: 2026-02 / 2026年2月請求分 (the statement debited that month)."""
    name = month_name(month, lang)
    return name + "請求分" if name and _lang(lang) == "ja" else name


def amount_text(amount: int, unit: str, lang: str | None = None) -> str:
    """500 points, 1 point, 11,000 JPY / 500ポイント, 11,000円."""
    lowered = unit.lower()
    if _lang(lang) == "ja":
        if lowered.startswith("point"):
            return f"{amount:,}ポイント"
        if lowered in YEN_UNITS:
            return f"{amount:,}円"
        return f"{amount:,} {unit}"
    if unit == "point":
        return f"{amount:,} point" + ("" if amount == 1 else "s")
    return f"{amount:,} {unit}"


def days_text(count: int) -> str:
    """3 days / 3日."""
    return ngettext("{count} day", "{count} days", count).format(count=count)


def window_span(window: DateWindow) -> str:
    """One day, or "start – end"."""
    if window.start == window.end:
        return date_text(window.start)
    return _("{start} – {end}").format(start=date_text(window.start), end=date_text(window.end))


def statement_name(month: Month | str | None, account: str) -> str:
    """statement 2026-02 of rakuten / rakutenの2026年2月請求分."""
    return _("statement {month} of {account}").format(month=month_text(month), account=account)


def statement_place(e: Expectation) -> str:
    """Where a waiver is checked: the statement, when it closes, is fixed and is debited."""
    return _("{statement}: closes {closing}, fixed {ready}, debited {payment}").format(
        statement=statement_name(e.statement, e.account),
        closing=date_text(e.closing_date),
        ready=date_text(e.ready_date),
        payment=date_text(e.payment_date),
    )


def where_to_look(e: Expectation) -> str:
    """One line for listings: where and when to look for this expectation."""
    if e.kind == "waiver":
        return statement_place(e)
    if note := conditions_note(e):
        return note
    conditions = ", ".join(e.waiting_for)
    if e.window is None:
        return _("{account}: window starts once {conditions} is met").format(
            account=e.account, conditions=conditions
        )
    if e.waiting_for:
        return _("{account}: window {window} (once {conditions} is met)").format(
            account=e.account, window=window_span(e.window), conditions=conditions
        )
    return _("{account}: window {window}").format(account=e.account, window=window_span(e.window))


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
                day=date_text(p.met_on), deadline=date_text(p.deadline)
            )
        return _("{progress} by {deadline}, missed").format(
            progress=reached_text(p), deadline=date_text(p.deadline)
        )
    if p.met_on is not None:
        return _("met on {day}").format(day=date_text(p.met_on))
    reached = reached_text(p)
    if p.unconfirmed:
        return _(
            "{progress} by {deadline}; statements {statements} of {account} are not covered yet"
        ).format(
            progress=reached,
            deadline=date_text(p.deadline),
            statements=_(", ").join(month_text(month) for month in p.unconfirmed),
            account=p.account,
        )
    left = p.days_left
    if left is None:
        if p.deadline is None:
            return reached
        return _("{progress} by {deadline}").format(
            progress=reached, deadline=date_text(p.deadline)
        )
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
    return _("the history of {account}, window {window}").format(
        account=e.account, window=window_span(e.window)
    )


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


def _shown_value(value: object) -> object:
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return date_text(value)
    if isinstance(value, Month):
        return month_text(value)
    return value


def shown(text: str) -> str:
    """`text` in the language in use when it is an i18n.Message (its parameters too, dates and
    statement months worded here), else as it is."""
    if not isinstance(text, Message):
        return text
    values = {key: _shown_value(value) for key, value in text.params.items()}
    return _(text.msgid).format(**values)
