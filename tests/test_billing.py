"""Billing cycles, statements and Japanese bank business days (DESIGN §2, §7).

Every weekday and holiday below was checked against the calendar and `holidays.JP`.
"""

from datetime import date

import pytest

from pointwatch.domain.billing import (
    BillingCycle,
    Statement,
    adjust_payment_date,
    is_business_day,
    statement_for_month,
    statement_for_posting,
)
from pointwatch.domain.dates import Month
from pointwatch.errors import InvalidValue

# Rakuten Card: closes at month end, debits the 27th of the next month, amount fixed on the 12th.
RAKUTEN = BillingCycle.from_values("end", 27, 1, "next-business-day", "JP", 12)
# JCB proper: closes on the 15th, debits the 10th of the next month.
JCB = BillingCycle(closing_day=15, payment_day=10, calendar="JP")


# --- Rakuten-like cycle -------------------------------------------------------------------


def test_rakuten_posting_in_december_is_paid_in_january() -> None:
    statement = statement_for_posting(RAKUTEN, date(2025, 12, 10))
    assert statement == Statement(
        month=Month(2026, 1),
        period_start=date(2025, 12, 1),
        closing_date=date(2025, 12, 31),
        payment_date=date(2026, 1, 27),  # Tuesday
        ready_date=date(2026, 1, 12),
    )


def test_rakuten_february_statement() -> None:
    statement = statement_for_month(RAKUTEN, Month(2026, 2))
    assert statement == Statement(
        month=Month(2026, 2),
        period_start=date(2026, 1, 1),
        closing_date=date(2026, 1, 31),
        payment_date=date(2026, 2, 27),  # Friday
        ready_date=date(2026, 2, 12),
    )


@pytest.mark.parametrize(
    ("month", "payment"),
    [
        (Month(2025, 9), date(2025, 9, 29)),  # 27th is a Saturday -> Monday 29th
        (Month(2025, 7), date(2025, 7, 28)),  # 27th is a Sunday -> Monday 28th
        (Month(2026, 1), date(2026, 1, 27)),  # Tuesday: unchanged
    ],
)
def test_rakuten_weekend_payment_moves_to_monday(month: Month, payment: date) -> None:
    assert statement_for_month(RAKUTEN, month).payment_date == payment


@pytest.mark.parametrize(
    ("posted", "month"),
    [
        (date(2025, 12, 1), Month(2026, 1)),
        (date(2025, 12, 31), Month(2026, 1)),  # the closing day itself belongs to the statement
        (date(2026, 1, 1), Month(2026, 2)),
        (date(2024, 2, 29), Month(2024, 3)),
    ],
)
def test_rakuten_posting_belongs_to_the_month_end_closing(posted: date, month: Month) -> None:
    assert statement_for_posting(RAKUTEN, posted).month == month


def test_month_end_closing_in_a_leap_february() -> None:
    statement = statement_for_month(RAKUTEN, Month(2024, 3))
    assert statement.period_start == date(2024, 2, 1)
    assert statement.closing_date == date(2024, 2, 29)
    assert statement_for_month(RAKUTEN, Month(2024, 4)).period_start == date(2024, 3, 1)


# --- JCB-like cycle -----------------------------------------------------------------------


def test_jcb_posting_on_closing_day_and_day_after() -> None:
    on_closing = statement_for_posting(JCB, date(2026, 1, 15))
    assert on_closing.month == Month(2026, 2)
    assert on_closing.closing_date == date(2026, 1, 15)
    assert on_closing.payment_date == date(2026, 2, 10)
    after_closing = statement_for_posting(JCB, date(2026, 1, 16))
    assert after_closing.month == Month(2026, 3)
    assert after_closing.period_start == date(2026, 1, 16)
    assert after_closing.closing_date == date(2026, 2, 15)


def test_ready_date_is_the_closing_date_without_statement_ready_day() -> None:
    assert statement_for_month(JCB, Month(2026, 2)).ready_date == date(2026, 1, 15)


@pytest.mark.parametrize(
    ("month", "payment"),
    [
        # 10th is a Saturday; Monday 12th is Coming of Age Day -> Tuesday 13th.
        (Month(2026, 1), date(2026, 1, 13)),
        # 10th is Monday, Coming of Age Day -> Tuesday 11th.
        (Month(2022, 1), date(2022, 1, 11)),
        # 10th is Monday, Sports Day -> Tuesday 11th.
        (Month(2022, 10), date(2022, 10, 11)),
    ],
)
def test_jcb_payment_skips_japanese_holidays(month: Month, payment: date) -> None:
    assert statement_for_month(JCB, month).payment_date == payment


def test_without_calendar_only_weekends_move_payment() -> None:
    weekends_only = BillingCycle(closing_day=15, payment_day=10)
    # 2026-01-10 is a Saturday: Monday 12th is a business day without a holiday calendar.
    assert statement_for_month(weekends_only, Month(2026, 1)).payment_date == date(2026, 1, 12)
    assert statement_for_month(weekends_only, Month(2022, 1)).payment_date == date(2022, 1, 10)


def test_closing_date_never_moves_for_holidays() -> None:
    # 2026-02-15 is a Sunday, 2025-12-31 a bank holiday: both still close on that day.
    assert statement_for_month(JCB, Month(2026, 3)).closing_date == date(2026, 2, 15)
    assert statement_for_month(RAKUTEN, Month(2026, 1)).closing_date == date(2025, 12, 31)


@pytest.mark.parametrize(
    ("payment_months", "statement_month"),
    [(0, Month(2026, 1)), (1, Month(2026, 2)), (2, Month(2026, 3)), (3, Month(2026, 4))],
)
def test_payment_months_shift_the_statement_month(
    payment_months: int, statement_month: Month
) -> None:
    cycle = BillingCycle(closing_day=5, payment_day=27, payment_months=payment_months)
    statement = statement_for_posting(cycle, date(2026, 1, 5))
    assert statement.month == statement_month
    assert statement.closing_date == date(2026, 1, 5)
    assert Month.of(statement.payment_date) == statement_month


# --- New Year and Golden Week -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "business"),
    [
        (date(2024, 12, 27), True),  # Friday
        (date(2024, 12, 30), True),  # Monday
        (date(2024, 12, 31), False),  # Tuesday, bank holiday
        (date(2025, 1, 1), False),  # Wednesday, New Year's Day
        (date(2025, 1, 2), False),  # Thursday, bank holiday
        (date(2025, 1, 3), False),  # Friday, bank holiday
        (date(2025, 1, 6), True),  # Monday
        (date(2025, 12, 29), True),  # Monday
        (date(2025, 12, 30), True),  # Tuesday
        (date(2025, 12, 31), False),  # Wednesday
        (date(2026, 1, 2), False),  # Friday
        (date(2026, 1, 3), False),  # Saturday
        (date(2026, 1, 5), True),  # Monday
        (date(2026, 1, 12), False),  # Monday, Coming of Age Day
        (date(2026, 5, 6), False),  # Wednesday, substitute holiday
        (date(2026, 1, 10), False),  # Saturday
        (date(2026, 1, 11), False),  # Sunday
    ],
)
def test_japanese_bank_business_days(day: date, business: bool) -> None:
    assert is_business_day(day, "JP") is business


@pytest.mark.parametrize(
    ("day", "business"),
    [(date(2024, 12, 31), True), (date(2026, 1, 12), True), (date(2026, 1, 10), False)],
)
def test_business_days_without_calendar_are_weekdays(day: date, business: bool) -> None:
    assert is_business_day(day, None) is business


@pytest.mark.parametrize(
    ("rule", "payment"),
    [
        ("next-business-day", date(2027, 1, 4)),
        ("previous-business-day", date(2026, 12, 30)),
        ("none", date(2026, 12, 31)),
    ],
)
def test_payment_on_new_years_eve(rule: str, payment: date) -> None:
    # Payment day 31 of December 2026 (Thursday); banks are closed 31 Dec to 3 Jan.
    cycle = BillingCycle(closing_day=None, payment_day=31, holiday_rule=rule, calendar="JP")
    assert statement_for_month(cycle, Month(2026, 12)).payment_date == payment


@pytest.mark.parametrize(
    ("payment_day", "payment"),
    [
        (29, date(2026, 12, 29)),  # Tuesday: a business day despite the season
        (30, date(2026, 12, 30)),  # Wednesday: likewise
    ],
)
def test_payment_on_29_and_30_december_stays(payment_day: int, payment: date) -> None:
    cycle = BillingCycle(closing_day=None, payment_day=payment_day, calendar="JP")
    assert statement_for_month(cycle, Month(2026, 12)).payment_date == payment


def test_payment_on_new_years_day_moves_to_first_business_day() -> None:
    # Epos-like cycle (closes the 4th, pays the 4th) shifted to pay on the 1st.
    cycle = BillingCycle(closing_day=4, payment_day=1, calendar="JP")
    assert statement_for_month(cycle, Month(2025, 1)).payment_date == date(2025, 1, 6)
    assert statement_for_month(cycle, Month(2027, 1)).payment_date == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("rule", "payment"),
    [
        # 2026-05-04..06 are Greenery Day, Children's Day and a substitute holiday.
        ("next-business-day", date(2026, 5, 7)),
        ("previous-business-day", date(2026, 5, 1)),
    ],
)
def test_golden_week_payment(rule: str, payment: date) -> None:
    cycle = BillingCycle(closing_day=None, payment_day=4, holiday_rule=rule, calendar="JP")
    assert statement_for_month(cycle, Month(2026, 5)).payment_date == payment


# --- adjust_payment_date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "rule", "calendar", "expected"),
    [
        (date(2026, 1, 10), "next-business-day", "JP", date(2026, 1, 13)),
        (date(2026, 1, 10), "previous-business-day", "JP", date(2026, 1, 9)),
        (date(2026, 1, 12), "previous-business-day", "JP", date(2026, 1, 9)),
        (date(2026, 1, 12), "previous-business-day", None, date(2026, 1, 12)),
        (date(2025, 9, 28), "previous-business-day", None, date(2025, 9, 26)),
        (date(2025, 9, 28), "none", "JP", date(2025, 9, 28)),  # a Sunday is kept
        (date(2026, 1, 13), "next-business-day", "JP", date(2026, 1, 13)),
        (date(2026, 1, 13), "previous-business-day", "JP", date(2026, 1, 13)),
    ],
)
def test_adjust_payment_date(day: date, rule: str, calendar: str | None, expected: date) -> None:
    assert adjust_payment_date(day, rule, calendar) == expected


def test_previous_business_day_cycle_pays_before_the_weekend() -> None:
    cycle = BillingCycle.from_values("end", 27, holiday_rule="previous-business-day", calendar="JP")
    assert statement_for_month(cycle, Month(2025, 9)).payment_date == date(2025, 9, 26)


def test_none_rule_keeps_a_sunday_payment() -> None:
    cycle = BillingCycle(closing_day=None, payment_day=27, holiday_rule="none", calendar="JP")
    assert statement_for_month(cycle, Month(2025, 7)).payment_date == date(2025, 7, 27)


def test_adjust_rejects_unknown_rule_and_calendar() -> None:
    with pytest.raises(InvalidValue, match="holiday_rule"):
        adjust_payment_date(date(2026, 1, 10), "sometimes", "JP")
    with pytest.raises(InvalidValue, match="calendar"):
        adjust_payment_date(date(2026, 1, 10), "none", "XX")


# --- payment day clamping -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "payment"),
    [
        (Month(2024, 2), date(2024, 2, 29)),
        (Month(2023, 2), date(2023, 2, 28)),
        (Month(2026, 4), date(2026, 4, 30)),
        (Month(2026, 3), date(2026, 3, 31)),
    ],
)
def test_payment_day_31_clamps_to_month_end(month: Month, payment: date) -> None:
    cycle = BillingCycle(closing_day=15, payment_day=31, holiday_rule="none")
    assert statement_for_month(cycle, month).payment_date == payment


def test_ready_date_is_in_the_payment_month() -> None:
    cycle = BillingCycle(closing_day=15, payment_day=10, payment_months=2, statement_ready_day=1)
    statement = statement_for_month(cycle, Month(2026, 3))
    assert statement.closing_date == date(2026, 1, 15)
    assert statement.ready_date == date(2026, 3, 1)


# --- BillingCycle validation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("closing_day", "expected"),
    [("end", None), ("月末", None), (" END ", None), (15, 15), ("15", 15), (" 28 ", 28), (1, 1)],
)
def test_from_values_closing_day(closing_day: str | int, expected: int | None) -> None:
    cycle = BillingCycle.from_values(closing_day, 27)
    assert cycle.closing_day == expected
    assert cycle.closing_day_text == ("end" if expected is None else str(expected))


def test_from_values_normalises_rule_and_calendar() -> None:
    cycle = BillingCycle.from_values(15, 10, holiday_rule=" Next-Business-Day ", calendar="jp")
    assert cycle == BillingCycle(15, 10, 1, "next-business-day", "JP", None)


def test_rakuten_profile_values() -> None:
    assert BillingCycle(None, 27, 1, "next-business-day", "JP", 12) == RAKUTEN
    assert RAKUTEN.closing_day_text == "end"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"closing_day": 29}, 'closing_day 29 is not allowed (expected 1..28 or "end")'),
        ({"closing_day": 0}, 'closing_day 0 is not allowed (expected 1..28 or "end")'),
        ({"closing_day": "29"}, 'closing_day 29 is not allowed (expected 1..28 or "end")'),
        ({"closing_day": "last"}, 'closing_day "last" is not allowed (expected 1..28 or "end")'),
        ({"closing_day": "-1"}, 'closing_day "-1" is not allowed (expected 1..28 or "end")'),
        ({"payment_day": 0}, "payment_day 0 is not allowed (expected 1..31)"),
        ({"payment_day": 32}, "payment_day 32 is not allowed (expected 1..31)"),
        ({"payment_months": 5}, "payment_months 5 is not allowed (expected 0..3)"),
        ({"payment_months": -1}, "payment_months -1 is not allowed (expected 0..3)"),
        (
            {"holiday_rule": "sometimes"},
            'holiday_rule "sometimes" is not allowed '
            "(expected one of next-business-day, previous-business-day, none)",
        ),
        (
            {"calendar": "XX"},
            'calendar "XX" is not supported (expected one of JP, or none for weekends only)',
        ),
        (
            {"statement_ready_day": 29},
            "statement_ready_day 29 is not allowed (expected 1..28 or none)",
        ),
    ],
)
def test_from_values_rejects_bad_values(values: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"closing_day": 15, "payment_day": 10, **values}
    with pytest.raises(InvalidValue) as raised:
        BillingCycle.from_values(**arguments)  # type: ignore[arg-type]
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"closing_day": 29}, "closing_day"),
        ({"closing_day": True}, "closing_day"),
        ({"payment_day": 27.0}, "payment_day"),
        ({"payment_months": 5}, "payment_months"),
        ({"holiday_rule": "sometimes"}, "holiday_rule"),
        ({"calendar": "jp"}, "calendar"),
        ({"statement_ready_day": 0}, "statement_ready_day"),
    ],
)
def test_constructor_validates_every_field(values: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"closing_day": 15, "payment_day": 10, **values}
    with pytest.raises(InvalidValue) as raised:
        BillingCycle(**arguments)  # type: ignore[arg-type]
    assert str(raised.value).startswith(field)


@pytest.mark.parametrize(
    ("closing_day", "payment_day", "ready_day"),
    [(None, 27, None), (15, 10, None), (15, 15, None), (5, 27, 4)],
)
def test_same_month_payment_must_follow_the_closing(
    closing_day: int | None, payment_day: int, ready_day: int | None
) -> None:
    with pytest.raises(InvalidValue, match="payment_months 0"):
        BillingCycle(closing_day, payment_day, payment_months=0, statement_ready_day=ready_day)


# --- calendars ---------------------------------------------------------------------------


@pytest.mark.parametrize("calendar", ["XX", "jp", "US", ""])
def test_unknown_calendar_lists_the_supported_ones(calendar: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        is_business_day(date(2026, 1, 12), calendar)
    assert str(raised.value) == (
        f'calendar "{calendar}" is not supported (expected one of JP, or none for weekends only)'
    )


def test_statements_are_cached_values() -> None:
    first = statement_for_month(RAKUTEN, Month(2026, 2))
    assert (
        statement_for_month(
            BillingCycle(None, 27, 1, "next-business-day", "JP", 12), Month(2026, 2)
        )
        is first
    )
