"""The sweep (domain.matching.assign) equals the brute-force oracle on random small inputs.

Values are drawn from small sets on purpose: identical windows, amounts within one another's
tolerance, shared keywords and equal dates are what the sweep's shortcuts must get right.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pointwatch.domain.dates import DateWindow, Month
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.matching import Entry, assign, not_before
from tests.matching_oracle import brute_force

BASE = date(2024, 1, 1)
ACCOUNTS = ("a", "b")
KEYWORDS = ((), ("x",), ("x", "y"))


def _day(offset: int) -> date:
    return BASE + timedelta(days=offset)


def _expectation(id_: str, kind: str = "grant", **fields) -> Expectation:
    """An expectation of 100 on account "a" from BASE, with `fields` changed."""
    values = {
        "enrollment": "e", "campaign": "c", "entitlement": kind, "kind": kind, "account": "a",
        "amount": 100, "unit": "point", "match_amount": 100, "tolerance": 0, "keywords": (),
        "earliest": BASE,
    }  # fmt: skip
    return Expectation(id=id_, **{**values, **fields})


@st.composite
def grants(draw, number: int) -> Expectation:
    start = draw(st.integers(0, 40))
    waiting = draw(st.sampled_from(((), (), (), ("c",))))
    window = DateWindow(_day(start), _day(start + draw(st.integers(0, 10))))
    return _expectation(
        f"g{number:02}",
        account=draw(st.sampled_from(ACCOUNTS)),
        match_amount=draw(st.sampled_from((100, 102, 110, -100))),
        tolerance=draw(st.sampled_from((0, 0, 2, 10))),
        keywords=draw(st.sampled_from(KEYWORDS)),
        earliest=_day(draw(st.integers(0, 30))),
        window=None if waiting and draw(st.booleans()) else window,
        waiting_for=waiting,
        qualified=draw(st.one_of(st.none(), st.integers(0, 60).map(_day))),
    )


@st.composite
def waivers(draw, number: int) -> Expectation:
    month = Month(2024, draw(st.integers(1, 4)))
    return _expectation(
        f"w{number:02}",
        "waiver",
        account=draw(st.sampled_from(ACCOUNTS)),
        match_amount=draw(st.sampled_from((100, 102, 110))),
        tolerance=draw(st.sampled_from((0, 0, 2))),
        keywords=draw(st.sampled_from(KEYWORDS)),
        window=DateWindow(month.first_day, month.last_day),
        statement=month,
    )


@st.composite
def expectation_lists(draw) -> list[Expectation]:
    kinds = draw(st.lists(st.sampled_from(("grant", "grant", "waiver")), max_size=14))
    return [
        draw(grants(number) if kind == "grant" else waivers(number))
        for number, kind in enumerate(kinds)
    ]


@st.composite
def entry_lists(draw) -> list[Entry]:
    ids = draw(st.lists(st.integers(1, 500), unique=True, max_size=50))
    return [
        Entry(
            id=entry,
            account=draw(st.sampled_from(ACCOUNTS)),
            amount=draw(st.sampled_from((100, 100, 100, 101, 102, 110, -100))),
            date=_day(draw(st.integers(0, 60))),
            statement=draw(st.sampled_from((None, "2024-01", "2024-02", "2024-03", "2024-05"))),
            description=draw(st.sampled_from(("", "x", "y", "xy", "z"))),
        )
        for entry in ids
    ]


@settings(max_examples=300, deadline=None)
@given(expectation_lists(), entry_lists(), st.sampled_from((0, 5, 31)))
def test_the_sweep_equals_brute_force(expectations, entries, early_days):
    assert assign(expectations, entries, early_days) == brute_force(
        expectations, entries, early_days
    )


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.integers(0, 12), st.integers(0, 3), entry_lists())
def test_many_expectations_with_one_window_share_the_entries(copies, start, length, entries):
    """Identical expectations search as one; the lowest id still takes the best entry."""
    window = DateWindow(_day(start), _day(start + length))
    same = [
        Expectation(
            f"s{n}", "e", "c", "g", "grant", "a", 100, "point", 100, 2, ("x",), BASE, window=window
        )  # fmt: skip
        for n in range(copies)
    ]
    assert assign(same, entries) == brute_force(same, entries)


@st.composite
def one_group(draw) -> tuple[list[Expectation], list[Entry]]:
    """Grants of one amount on one account, few entries: ties of distance and of date."""
    expectations = []
    for number in range(draw(st.integers(1, 8))):
        start = draw(st.integers(5, 30))
        window = DateWindow(_day(start), _day(start + draw(st.integers(0, 4))))
        expectations.append(
            Expectation(
                f"g{number}",
                "e",
                "c",
                "g",
                "grant",
                "a",
                100,
                "point",
                100,
                0,
                (),
                _day(draw(st.integers(0, 10))),
                window=window,
            )  # fmt: skip
        )
    days = draw(st.lists(st.integers(0, 40), max_size=12))
    ids = draw(st.permutations(range(1, len(days) + 1)))
    entries = [Entry(i, "a", 100, _day(d), None, "") for i, d in zip(ids, days, strict=True)]
    return expectations, entries


@settings(max_examples=400, deadline=None)
@given(one_group())
def test_the_sweep_equals_brute_force_on_one_group(case):
    expectations, entries = case
    assert assign(expectations, entries) == brute_force(expectations, entries)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=1, max_size=10),
    st.lists(st.integers(0, 45), max_size=15),
    st.sampled_from(((), ("x",))),
    st.sampled_from((0, 5, 31)),
    st.randoms(use_true_random=False),
)
def test_one_window_with_many_joined_dates(joined, days, keywords, early_days, rng):
    """One window, members joined on different days (before and after its start): they search
    together inside the window, then each its own way."""
    window = DateWindow(_day(20), _day(25))
    same = [
        _expectation(f"j{n:02}", earliest=_day(d), window=window, keywords=keywords)
        for n, d in enumerate(joined)
    ]
    ids = list(range(1, len(days) + 1))
    rng.shuffle(ids)
    words = ("", "x")
    entries = [
        Entry(i, "a", 100, _day(d), None, words[i % 2]) for i, d in zip(ids, days, strict=True)
    ]
    assert assign(same, entries, early_days) == brute_force(same, entries, early_days)


def test_equally_far_entries_go_to_the_earlier_date_then_the_lower_id():
    window = DateWindow(_day(10), _day(12))
    grant = _expectation("g", window=window)
    before, after = Entry(2, "a", 100, _day(8), None, ""), Entry(1, "a", 100, _day(14), None, "")
    assert assign([grant], [after, before]) == {"g": 2}  # two days before beats two days after
    twin = Entry(1, "a", 100, _day(8), None, "")
    assert assign([grant], [before, Entry(3, "a", 100, _day(8), None, ""), twin]) == {"g": 1}


def test_not_before_is_the_latest_of_joined_qualified_and_the_early_margin():
    window = DateWindow(date(2023, 1, 21), date(2023, 1, 31))
    grant = _expectation("g", earliest=date(2022, 7, 12), window=window)
    assert not_before(grant) == date(2022, 12, 21)
    assert not_before(grant, early_days=400) == date(2022, 7, 12)
    assert not_before(replace(grant, qualified=date(2023, 1, 2))) == date(2023, 1, 2)
    assert not_before(replace(grant, waiting_for=("c",))) is None
