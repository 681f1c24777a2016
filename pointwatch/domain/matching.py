"""Entries → expectations: rank the candidate pairs the store found, then assign greedily.

The store does the set-based filtering (account, amount ± tolerance, joined date or statement)
in one indexed SQL join; this module only ranks the pairs that survive, as plain tuples (the
daily run ranks tens of thousands). Each entry settles at most one expectation and each
expectation takes at most one entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from pointwatch.domain.expectations import Expectation


class CandidateRow(NamedTuple):
    """An entry that fits an expectation's account, amount and dates (as the store found it)."""

    expectation: str
    entry: int
    date: date
    description: str
    statement: str | None


def fits(
    expectation: Expectation, account: str, amount: int, day: date, statement: str | None
) -> bool:
    """The set-based part of matching, as the store's SQL applies it: the bound account, the
    amount within tolerance, and — grants — on or after the joined date (early and late payouts
    both count), or — waivers — on the expected statement or the next."""
    if account != expectation.account:
        return False
    if abs(amount - expectation.match_amount) > expectation.tolerance:
        return False
    if expectation.kind == "grant":
        return day >= expectation.earliest
    return statement in (str(expectation.statement), str(expectation.next_statement))


def scores(
    expectation: Expectation, rows: Iterable[CandidateRow]
) -> Iterator[tuple[int, int, int, int]]:
    """Score each fitting pair of one expectation (lower is better); rejected pairs are left out.

    Grants: keywords only rank (point histories word things unpredictably, so a missing keyword
    must not make a paid grant look late); the entry nearest to the window comes first, early
    or late. Waivers: keywords are required when given (an 11,000-yen purchase is not an annual
    fee); the expected statement beats the next one. Ties: earlier date, then lower entry id.
    """
    keywords = expectation.keywords
    if expectation.kind == "waiver":
        statement = str(expectation.statement)
        for row in rows:
            if keywords and not any(keyword in row.description for keyword in keywords):
                continue
            slipped = 0 if row.statement == statement else 1
            yield (0, slipped, row.date.toordinal(), row.entry)
        return
    window = expectation.window
    start = (window.start if window else expectation.earliest).toordinal()
    end = window.end.toordinal() if window else start
    for row in rows:
        day = row.date.toordinal()
        miss = 1 if keywords and not any(keyword in row.description for keyword in keywords) else 0
        distance = start - day if day < start else day - end if day > end else 0
        yield (miss, distance, day, row.entry)


def assign(expectations: Mapping[str, Expectation], rows: Iterable[CandidateRow]) -> dict[str, int]:
    """Expectation id → the entry id that settles it: the best-ranked pairs are taken first,
    each entry and each expectation at most once (ties broken by entry, then expectation id).

    Rows grouped by expectation (as the store returns them) are scored fastest.
    """
    scored = [
        (score, expectation_id)
        for expectation_id, group in groupby(rows, key=attrgetter("expectation"))
        for score in scores(expectations[expectation_id], group)
    ]
    scored.sort()
    taken_entries: set[int] = set()
    assignment: dict[str, int] = {}
    for (*_, entry), expectation in scored:
        if expectation in assignment or entry in taken_entries:
            continue
        assignment[expectation] = entry
        taken_entries.add(entry)
    return assignment
