"""Support inquiries and their promises (values only; the rules live with their users)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from pointwatch.domain.dates import MAX_YEAR, MIN_YEAR
from pointwatch.errors import InvalidValue
from pointwatch.i18n import _, language


@dataclass(frozen=True)
class Inquiry:
    """A support contact: when, channel, agent, what was asked, what was promised and by when."""

    id: int
    expectation: str
    channel: str
    at: datetime
    agent: str = ""
    summary: str = ""
    promise: str = ""
    promise_by: datetime | None = None

    def promise_broken(self, now: datetime) -> bool:
        """A promise with a deadline that has passed (the caller knows whether it was kept)."""
        return self.promise_by is not None and now > self.promise_by


# --- moments and promise deadlines (pure: the caller passes the time zone) --------------------

_MOMENT_RE = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?",
    re.ASCII,
)
_DURATION_RE = re.compile(r"(\d+)\s*(m|min|h|d)", re.ASCII | re.IGNORECASE)
_DURATION_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days"}
# A promise further away than this is a typo, not a promise (and would overflow dates).
LONGEST_PROMISE = timedelta(days=3660)
MOMENT_FORMS = "YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM (local time unless an offset is given)"


def _moment(text: str, zone: tzinfo) -> tuple[datetime, bool]:
    """(aware datetime, whether a time of day was given)."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = _MOMENT_RE.fullmatch(cleaned)
    if match is None:
        raise InvalidValue(
            _("{text!r}: not a date and time (expected {moment_forms})").format(
                text=text, moment_forms=MOMENT_FORMS
            )
        )
    year, month, day, hour, minute, second, offset = match.groups()
    if not MIN_YEAR <= int(year) <= MAX_YEAR:  # (a deadline after it must stay a datetime)
        raise InvalidValue(
            f"{text!r}: outside the supported years (expected {MIN_YEAR}..{MAX_YEAR})"
        )
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        raise InvalidValue(
            _("{text!r}: no such date or time (expected {moment_forms})").format(
                text=text, moment_forms=MOMENT_FORMS
            )
        ) from None
    if offset is None:
        return moment.replace(tzinfo=zone), hour is not None
    try:
        parsed = datetime.fromisoformat(
            f"{moment.isoformat()}{'+00:00' if offset == 'Z' else offset}"
        )
    except ValueError:
        raise InvalidValue(
            _("{text!r}: the offset {offset} is not a time zone offset (-23:59 to +23:59)").format(
                text=text, offset=offset
            )
        ) from None
    return parsed, hour is not None


def parse_moment(text: str, zone: tzinfo) -> datetime:
    """An aware moment from "2023-02-01 10:00" / "2023-02-01T10:00" (naive = `zone`)."""
    moment, timed = _moment(text, zone)
    if not timed:
        raise InvalidValue(
            _("{text!r}: give the time too, e.g. '{text2} 10:00'").format(
                text=text, text2=text.strip()
            )
        )
    return moment


def parse_deadline(text: str, start: datetime, zone: tzinfo) -> datetime:
    """A promise deadline: a duration after `start` ("5m", "2h", "3d"), a moment, or a day
    (meaning the end of that day). It must fall after `start`."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if (match := _DURATION_RE.fullmatch(cleaned)) is not None:
        duration = timedelta(**{_DURATION_UNITS[match[2].lower()]: min(int(match[1]), 10**9)})
        if not timedelta(0) < duration <= LONGEST_PROMISE:
            raise InvalidValue(
                _(
                    "{text!r}: a duration must be longer than zero and at most {days} days "
                    "(e.g. 5m, 2h, 3d)"
                ).format(text=text, days=LONGEST_PROMISE.days)
            )
        return start + duration
    try:
        deadline, timed = _moment(cleaned, zone)
    except InvalidValue:
        raise InvalidValue(
            _("{text!r}: expected a duration (5m, 2h, 3d), a day, or {moment_forms}").format(
                text=text, moment_forms=MOMENT_FORMS
            )
        ) from None
    if not timed:
        deadline = datetime.combine(deadline.date(), time(23, 59, 59), tzinfo=deadline.tzinfo)
    if deadline <= start:
        raise InvalidValue(
            _(
                "{text!r}: the deadline {deadline:%Y-%m-%d %H:%M} is not after the "
                "inquiry ({start:%Y-%m-%d %H:%M})"
            ).format(text=text, deadline=deadline, start=start)
        )
    return deadline


# --- promises ---------------------------------------------------------------------------------

PENDING = "pending"
KEPT = "kept"
SETTLED = "settled"
BROKEN = "broken"


def promise_state(
    inquiry: Inquiry,
    received_on: date | None,
    now: datetime,
    zone: tzinfo,
    settled_on: date | None = None,
) -> str:
    """The state of an inquiry's dated promise ("" without one), judged by the deadline's day:
    `kept` when the owed entry is dated on or before it; `settled` when the expectation was
    settled (a substitute accepted, or closed) by then; else `pending` until the deadline
    passes, then `broken`. A settlement the user reopened is no longer a settlement."""
    if inquiry.promise_by is None:
        return ""
    deadline_day = inquiry.promise_by.astimezone(zone).date()
    if received_on is not None and received_on <= deadline_day:
        return KEPT
    if settled_on is not None and settled_on <= deadline_day:
        return SETTLED
    return BROKEN if inquiry.promise_broken(now) else PENDING


# --- substitutes ------------------------------------------------------------------------------

SUBSTITUTES = ("coupon", "gift-card", "points", "cash")
# How freely a substitute can be spent, compared with points or cash (3): a coupon is limited to
# some items, often one per order, and expires; a gift card is spendable at one shop only.
USABILITY_RANK = {"coupon": 1, "gift-card": 2, "points": 3, "cash": 3}


@dataclass(frozen=True)
class Usability:
    substitute: str
    relative: str  # "lower" | "same", compared with what was promised
    rank: int  # coupon 1 < gift-card 2 < points / cash 3
    promised: str = "cash"  # "points" | "cash"

    @property
    def note(self) -> str:
        """One sentence for people, in the language in use (words of the claim catalog)."""
        from pointwatch.domain.phrases import phrases

        words = phrases(language())
        if self.relative != "lower":
            return words.word("usability_same", self.promised)
        return words["usability_lower"].format(
            promised=words.word("promised", self.promised),
            limits=words.word("limits", self.substitute, ""),
        )


def usability(substitute: str, promised_unit: str) -> Usability:
    """How a substitute compares with the promised points or money."""
    promised = "points" if promised_unit.lower().startswith("point") else "cash"
    rank = USABILITY_RANK.get(substitute, 3)
    return Usability(substitute, "lower" if rank < 3 else "same", rank, promised)
