"""Card billing cycles, the statements they produce and bank business days.

Pure: holiday calendars come from the `holidays` package, computed, never fetched.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pointwatch.domain.dates import Month
from pointwatch.errors import InvalidValue
from pointwatch.i18n import _

if TYPE_CHECKING:
    from holidays import HolidayBase

HOLIDAY_RULES = ("next-business-day", "previous-business-day", "none")
SUPPORTED_CALENDARS = ("JP",)

_END_WORDS = ("end", "月末")


def _show(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _check_range(field: str, value: object, low: int, high: int, extra: str = "") -> None:
    # bool is an int subclass, but `closing_day = true` in a definition is a mistake.
    in_range = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    if not in_range:
        raise InvalidValue(
            _("{field} {show} is not allowed (expected {low}..{high}{extra})").format(
                field=field, show=_show(value), low=low, high=high, extra=extra
            )
        )


def _check_rule(rule: object) -> None:
    if rule not in HOLIDAY_RULES:
        raise InvalidValue(
            _("holiday_rule {show} is not allowed (expected one of {holiday_rules})").format(
                show=_show(rule), holiday_rules=", ".join(HOLIDAY_RULES)
            )
        )


def _check_calendar(calendar: str | None) -> None:
    if calendar is not None and calendar not in SUPPORTED_CALENDARS:
        raise InvalidValue(
            _(
                "calendar {show} is not supported (expected one of "
                "{supported_calendars}, or none for weekends only)"
            ).format(show=_show(calendar), supported_calendars=", ".join(SUPPORTED_CALENDARS))
        )


@dataclass(frozen=True)
class BillingCycle:
    """When a card closes its statements, when they are paid and how holidays move payment."""

    closing_day: int | None
    payment_day: int
    payment_months: int = 1
    holiday_rule: str = "next-business-day"
    calendar: str | None = None
    statement_ready_day: int | None = None

    def __post_init__(self) -> None:
        if self.closing_day is not None:
            _check_range("closing_day", self.closing_day, 1, 28, ' or "end"')
        _check_range("payment_day", self.payment_day, 1, 31)
        _check_range("payment_months", self.payment_months, 0, 3)
        _check_rule(self.holiday_rule)
        _check_calendar(self.calendar)
        if self.statement_ready_day is not None:
            _check_range("statement_ready_day", self.statement_ready_day, 1, 28, " or none")
        if self.payment_months == 0:
            # Paid in the closing month itself: payment (and the fixed amount) must come after
            # the closing day, or the statement would be paid before it is closed.
            if self.closing_day is None:
                raise InvalidValue(
                    _(
                        'payment_months 0 with closing_day "end" is not allowed (expected '
                        "payment_months 1..3 for a month-end closing)"
                    )
                )
            if self.payment_day <= self.closing_day:
                raise InvalidValue(
                    _(
                        "payment_day {payment_day} with payment_months 0 is not allowed "
                        "(expected a day after closing_day {closing_day}, or payment_months "
                        "1..3)"
                    ).format(payment_day=self.payment_day, closing_day=self.closing_day)
                )
            if self.statement_ready_day is not None and self.statement_ready_day < self.closing_day:
                raise InvalidValue(
                    _(
                        "statement_ready_day {statement_ready_day} with payment_months 0 is "
                        "not allowed (expected a day on or after closing_day {closing_day})"
                    ).format(
                        statement_ready_day=self.statement_ready_day, closing_day=self.closing_day
                    )
                )

    @classmethod
    def from_values(
        cls,
        closing_day: str | int,
        payment_day: int,
        payment_months: int = 1,
        holiday_rule: str = "next-business-day",
        calendar: str | None = None,
        statement_ready_day: int | None = None,
    ) -> BillingCycle:
        """Build a cycle from definition values; closing_day may be "end", "月末", 15 or "15"."""
        closing: int | None
        if isinstance(closing_day, str):
            word = closing_day.strip().lower()
            if word in _END_WORDS:
                closing = None
            elif word.isascii() and word.isdigit():
                closing = int(word)
            else:
                raise InvalidValue(
                    _('closing_day {show} is not allowed (expected 1..28 or "end")').format(
                        show=_show(closing_day)
                    )
                )
        else:
            closing = closing_day
        rule = holiday_rule.strip().lower() if isinstance(holiday_rule, str) else holiday_rule
        if isinstance(calendar, str):
            calendar = calendar.strip().upper() or None
        return cls(closing, payment_day, payment_months, rule, calendar, statement_ready_day)

    @property
    def closing_day_text(self) -> str:
        """The closing day as written in definitions: "end" or the day number."""
        return "end" if self.closing_day is None else str(self.closing_day)

    def closing_date(self, month: Month) -> date:
        """The closing date in a month; it never moves for holidays."""
        return month.last_day if self.closing_day is None else month.day(self.closing_day)


@dataclass(frozen=True)
class Statement:
    """One billing period of a card, named by its payment month (「2月請求分」 = 2026-02)."""

    month: Month
    period_start: date
    closing_date: date
    payment_date: date
    ready_date: date


def ready_date(cycle: BillingCycle, month: Month) -> date:
    """The day the statement paid in `month` is final: its `statement_ready_day`, or its
    closing date where the card has none (needs no holiday calendar, unlike the payment)."""
    if cycle.statement_ready_day is None:
        return cycle.closing_date(month.plus(-cycle.payment_months))
    return month.day(cycle.statement_ready_day)


@functools.lru_cache(maxsize=65536)
def statement_for_month(cycle: BillingCycle, month: Month) -> Statement:
    """The statement of a cycle that is paid in `month`."""
    closing_month = month.plus(-cycle.payment_months)
    closing = cycle.closing_date(closing_month)
    previous_closing = cycle.closing_date(closing_month.plus(-1))
    payment = adjust_payment_date(month.day(cycle.payment_day), cycle.holiday_rule, cycle.calendar)
    start = previous_closing + timedelta(days=1)
    return Statement(month, start, closing, payment, ready_date(cycle, month))


# Imports ask this once per row; rows share few distinct days, so the cache hits almost always.
@functools.lru_cache(maxsize=65536)
def statement_for_posting(cycle: BillingCycle, posted: date) -> Statement:
    """The statement a charge posted on `posted` belongs to: the first closing on or after it."""
    closing_month = Month.of(posted)
    if posted > cycle.closing_date(closing_month):
        closing_month = closing_month.plus(1)
    return statement_for_month(cycle, closing_month.plus(cycle.payment_months))


@functools.cache
def _holiday_calendar(name: str) -> HolidayBase:
    # Imported here: `holidays` costs more to import than click, and `pointwatch --help` must
    # stay fast. One object per calendar computes each year once, on first use. Years outside
    # the package's range (JP: 1949..2099) have no holidays, so only weekends count there.
    import holidays

    if name == "JP":
        # Japanese banks close on weekends, national holidays and 31 Dec-3 Jan (銀行法施行令
        # 第5条); the "bank" category adds exactly those three days to the public holidays.
        return holidays.JP(categories=("public", "bank"))
    raise AssertionError(f"unchecked calendar {name!r}")  # _check_calendar runs first


def is_business_day(day: date, calendar: str | None) -> bool:
    """Whether banks are open: not a weekend, nor a holiday of `calendar` (None = weekends only).

    For "JP" the holidays are the national holidays and the bank closing days 31 Dec–3 Jan.
    """
    _check_calendar(calendar)
    if day.weekday() >= 5:
        return False
    return calendar is None or day not in _holiday_calendar(calendar)


def adjust_payment_date(day: date, rule: str, calendar: str | None) -> date:
    """Move a payment date off a non-business day as `rule` says (forward, backward or not)."""
    _check_rule(rule)
    if rule == "none":
        _check_calendar(calendar)
        return day
    step = timedelta(days=1 if rule == "next-business-day" else -1)
    while not is_business_day(day, calendar):
        day += step
    return day
