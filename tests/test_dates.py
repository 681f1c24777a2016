"""Months, day windows and the date expressions of campaign definitions (DESIGN §3)."""

from datetime import date

import pytest

from pointwatch.domain.dates import (
    DateExpression,
    DateWindow,
    Month,
    add_months,
    parse_date,
    parse_date_expression,
)
from pointwatch.errors import InvalidValue

JOINED = date(2023, 3, 31)
QUALIFIED = date(2023, 1, 15)
ANCHORS = {"joined": JOINED, "qualified": QUALIFIED}


def window(start: str, end: str | None = None) -> DateWindow:
    first = date.fromisoformat(start)
    return DateWindow(first, date.fromisoformat(end) if end else first)


# --- parse_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2023-01-31",
        "2023/01/31",
        "2023年1月31日",
        "2023年01月31日",
        " 2023-01-31 ",
        "２０２３年１月３１日",
    ],
)
def test_parse_date_accepts_the_written_forms(text: str) -> None:
    assert parse_date(text) == date(2023, 1, 31)


def test_parse_date_accepts_leap_day() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "2023-02-30",
        "2023-02-29",
        "2023-13-01",
        "2023-00-10",
        "2023-01-00",
        "2023-01/31",
        "2023-01",
        "20230131",
        "31/01/2023",
        "2023-01-31T00:00",
        "1899-12-31",
        "tomorrow",
        "",
    ],
)
def test_parse_date_rejects_anything_else(text: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_date(text)
    assert str(raised.value) == f'"{text}": not a valid date (expected YYYY-MM-DD)'


def test_invalid_value_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_date("2023-02-30")


# --- add_months ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 3, 31), -1, date(2023, 2, 28)),
        (date(2023, 1, 31), 2, date(2023, 3, 31)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2023, 1, 15), -13, date(2021, 12, 15)),
        (date(2023, 5, 10), 0, date(2023, 5, 10)),
    ],
)
def test_add_months_clamps_to_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_add_months_beyond_year_9999_is_invalid() -> None:
    with pytest.raises(InvalidValue, match="outside the supported years"):
        add_months(date(9999, 12, 1), 1)


# --- Month --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2026-02", "2026/02", "2026-2", "2026年2月", "2026年02月", " 2026-02 ", "２０２６年２月"],
)
def test_month_parse_accepts_the_written_forms(text: str) -> None:
    assert Month.parse(text) == Month(2026, 2)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "2026-02-01", "2026", "26-02", "2026-02 mid", "1899-12", "feb"]
)
def test_month_parse_rejects_anything_else(text: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        Month.parse(text)
    assert str(raised.value).startswith(f'"{text}": not a valid month (expected YYYY-MM')


@pytest.mark.parametrize(
    ("year", "month", "message"),
    [
        (2026, 13, "month 13 is out of range (expected 1..12)"),
        (2026, 0, "month 0 is out of range (expected 1..12)"),
        (1899, 12, "year 1899 is out of range (expected 1900..2999)"),
        (3000, 1, "year 3000 is out of range (expected 1900..2999)"),
    ],
)
def test_month_validates_its_fields(year: int, month: int, message: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        Month(year, month)
    assert str(raised.value) == message


def test_month_text_and_days() -> None:
    month = Month(2026, 2)
    assert str(month) == "2026-02"
    assert str(Month(1999, 12)) == "1999-12"
    assert month.first_day == date(2026, 2, 1)
    assert month.last_day == date(2026, 2, 28)
    assert Month(2024, 2).last_day == date(2024, 2, 29)
    assert Month(2026, 4).last_day == date(2026, 4, 30)
    assert Month.of(date(2026, 2, 17)) == month


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (Month(2025, 12), 1, Month(2026, 1)),
        (Month(2026, 1), -1, Month(2025, 12)),
        (Month(2025, 11), 14, Month(2027, 1)),
        (Month(2026, 3), -15, Month(2024, 12)),
        (Month(2026, 3), 0, Month(2026, 3)),
        (Month(2026, 12), 12, Month(2027, 12)),
    ],
)
def test_month_plus_crosses_years(start: Month, months: int, expected: Month) -> None:
    assert start.plus(months) == expected


def test_month_plus_out_of_range_is_invalid() -> None:
    with pytest.raises(InvalidValue):
        Month(1900, 1).plus(-1)


def test_months_order_chronologically() -> None:
    assert sorted([Month(2026, 1), Month(2025, 12), Month(2025, 2)]) == [
        Month(2025, 2),
        Month(2025, 12),
        Month(2026, 1),
    ]


# --- DateWindow ---------------------------------------------------------------------------


def test_window_end_before_start_is_invalid() -> None:
    with pytest.raises(InvalidValue, match="end is before the start"):
        DateWindow(date(2023, 1, 5), date(2023, 1, 4))


@pytest.mark.parametrize(
    ("day", "inside", "distance"),
    [
        (date(2023, 1, 20), False, 1),
        (date(2022, 12, 31), False, 21),
        (date(2023, 1, 21), True, 0),
        (date(2023, 1, 25), True, 0),
        (date(2023, 1, 31), True, 0),
        (date(2023, 2, 1), False, 1),
        (date(2023, 2, 7), False, 7),
    ],
)
def test_window_contains_and_distance(day: date, inside: bool, distance: int) -> None:
    late_january = DateWindow(date(2023, 1, 21), date(2023, 1, 31))
    assert late_january.contains(day) is inside
    assert late_january.distance(day) == distance


def test_single_day_window() -> None:
    day = DateWindow(date(2023, 1, 31), date(2023, 1, 31))
    assert day.contains(date(2023, 1, 31))
    assert day.distance(date(2023, 1, 30)) == 1
    assert day.distance(date(2023, 2, 2)) == 2


# --- absolute expressions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-01-31", window("2023-01-31")),
        ("2023/01/31", window("2023-01-31")),
        ("2023年1月31日", window("2023-01-31")),
        ("2023-01", window("2023-01-01", "2023-01-31")),
        ("2023/01", window("2023-01-01", "2023-01-31")),
        ("2023年1月", window("2023-01-01", "2023-01-31")),
        ("2023-01 early", window("2023-01-01", "2023-01-10")),
        ("2023-01 mid", window("2023-01-11", "2023-01-20")),
        ("2023-01 late", window("2023-01-21", "2023-01-31")),
        ("2023-01 end", window("2023-01-31")),
        ("2023-01 month", window("2023-01-01", "2023-01-31")),
        ("2023年1月上旬", window("2023-01-01", "2023-01-10")),
        ("2023年1月中旬", window("2023-01-11", "2023-01-20")),
        ("2023年1月下旬", window("2023-01-21", "2023-01-31")),
        ("2023年1月末", window("2023-01-31")),
        ("2023年1月 下旬", window("2023-01-21", "2023-01-31")),
        ("2023-01 上旬", window("2023-01-01", "2023-01-10")),
        ("2023-01下旬", window("2023-01-21", "2023-01-31")),
        # lenient on whitespace and case
        ("2023-01 Mid", window("2023-01-11", "2023-01-20")),
        ("2023-1 mid", window("2023-01-11", "2023-01-20")),
        ("  2023-01   LATE ", window("2023-01-21", "2023-01-31")),
        ("２０２３年１月　中旬", window("2023-01-11", "2023-01-20")),
        # part boundaries follow the month's length
        ("2023-04 late", window("2023-04-21", "2023-04-30")),
        ("2023-04 end", window("2023-04-30")),
        ("2024-02 late", window("2024-02-21", "2024-02-29")),
        ("2023-02 late", window("2023-02-21", "2023-02-28")),
        ("2024-02 end", window("2024-02-29")),
        ("2023年2月末", window("2023-02-28")),
    ],
)
def test_absolute_expressions(text: str, expected: DateWindow) -> None:
    expression = parse_date_expression(text)
    assert expression.anchor is None
    assert expression.text == text
    assert expression.resolve({}) == expected


def test_absolute_expression_ignores_anchors() -> None:
    expression = parse_date_expression("2023-01 late")
    assert expression.resolve(ANCHORS) == expression.resolve({})


# --- relative expressions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("joined", "joined", window("2023-03-31")),
        ("joined+2M", "joined", window("2023-05-31")),
        ("joined+1M", "joined", window("2023-04-30")),
        ("joined-1M", "joined", window("2023-02-28")),
        ("joined+12M", "joined", window("2024-03-31")),
        ("joined+11M", "joined", window("2024-02-29")),
        ("joined+1M end", "joined", window("2023-04-30")),
        ("joined+2M mid", "joined", window("2023-05-11", "2023-05-20")),
        ("joined+2M month", "joined", window("2023-05-01", "2023-05-31")),
        ("joined early", "joined", window("2023-03-01", "2023-03-10")),
        ("joined+10d", "joined", window("2023-04-10")),
        ("joined-31d", "joined", window("2023-02-28")),
        ("qualified+60d", "qualified", window("2023-03-16")),
        ("qualified+60d late", "qualified", window("2023-03-21", "2023-03-31")),
        ("qualified+1M 下旬", "qualified", window("2023-02-21", "2023-02-28")),
        ("qualified+1M下旬", "qualified", window("2023-02-21", "2023-02-28")),
        ("qualified+1M 末", "qualified", window("2023-02-28")),
        ("qualified", "qualified", window("2023-01-15")),
        # lenient on whitespace and case
        ("Joined + 2m", "joined", window("2023-05-31")),
        ("QUALIFIED+60D", "qualified", window("2023-03-16")),
        ("  joined+1M   End ", "joined", window("2023-04-30")),
    ],
)
def test_relative_expressions(text: str, anchor: str, expected: DateWindow) -> None:
    expression = parse_date_expression(text)
    assert expression.anchor == anchor
    assert expression.text == text
    assert expression.resolve(ANCHORS) == expected


def test_relative_part_selects_the_month_the_shifted_day_falls_in() -> None:
    # 2024-01-31 + 1 month clamps to 2024-02-29, so "late" is late February of a leap year.
    expression = parse_date_expression("joined+1M late")
    assert expression.resolve({"joined": date(2024, 1, 31)}) == window("2024-02-21", "2024-02-29")
    assert expression.resolve({"joined": date(2023, 1, 31)}) == window("2023-02-21", "2023-02-28")


def test_relative_expression_moves_with_its_anchor() -> None:
    expression = parse_date_expression("joined+2M")
    assert expression.resolve({"joined": date(2025, 12, 10)}) == window("2026-02-10")
    assert expression.resolve({"joined": date(2023, 12, 31)}) == window("2024-02-29")


@pytest.mark.parametrize("anchors", [{}, {"qualified": QUALIFIED}, {"joined": None}])
def test_relative_expression_needs_its_anchor(anchors: dict[str, date | None]) -> None:
    expression = parse_date_expression("joined+2M")
    with pytest.raises(InvalidValue) as raised:
        expression.resolve(anchors)  # type: ignore[arg-type]
    assert '"joined"' in str(raised.value)
    assert str(raised.value).startswith('"joined+2M"')


def test_qualified_expression_does_not_use_joined() -> None:
    with pytest.raises(InvalidValue, match='"qualified" date'):
        parse_date_expression("qualified+60d").resolve({"joined": JOINED})


def test_date_expression_rejects_unknown_anchor_when_built_directly() -> None:
    with pytest.raises(InvalidValue, match="unknown anchor"):
        DateExpression("shipped+2M", "shipped", offset_months=2)


# --- bad expressions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2023-13",
        "2023-00",
        "2023-02-30",
        "2023-01-31 end",
        "joined+2x",
        "joined+2",
        "joined+M",
        "joined+",
        "joined+2M+3d",
        "joined+2Mmid",
        "joinedmid",
        "+2M",
        "shipped+2M",
        "tomorrow",
        "2023-01 middle",
        "2023-01mid",
        "2023-01 early late",
        "2023年1月31",
        "2023年13月",
        "1899-12",
        "",
    ],
)
def test_bad_expressions_are_rejected_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_date_expression(text)
    message = str(raised.value)
    assert message.startswith(f'"{text}": not a valid date expression')
    for form in ("YYYY-MM-DD", "YYYY-MM early|mid|late|end", "上旬", "joined+2M", "qualified+60d"):
        assert form in message


@pytest.mark.parametrize(
    ("text", "reason"), [("2023-02-30", "no such day"), ("2023-13 late", "no such month")]
)
def test_bad_expression_message_says_what_was_wrong(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue, match=reason):
        parse_date_expression(text)
