"""Entries → expectations: rank the candidate pairs the store found, then assign greedily.

The store does the set-based filtering (account, amount ± tolerance, joined date or statement)
in one indexed SQL join; this module only ranks the pairs that survive, as plain tuples (the
daily run ranks tens of thousands). Each entry settles at most one expectation and each
expectation takes at most one entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
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


def rank(expectation: Expectation, row: CandidateRow) -> tuple[int, int, int, int] | None:
    """Score one fitting pair (lower is better), or None to reject it.

    Grants: keywords only rank (point histories word things unpredictably, so a missing keyword
    must not make a paid grant look late); the entry nearest to the window comes first, early
    or late. Waivers: keywords are required when given (an 11,000-yen purchase is not an annual
    fee); the expected statement beats the next one.
    """
    keywords = expectation.keywords
    hit = bool(keywords) and any(keyword in row.description for keyword in keywords)
    day = row.date.toordinal()
    if expectation.kind == "waiver":
        if expectation.keywords and not hit:
            return None
        return (0, 0 if row.statement == str(expectation.statement) else 1, day, row.entry)
    miss = 0 if hit or not expectation.keywords else 1
    window = expectation.window
    if window is None:
        distance = day - expectation.earliest.toordinal()
    else:
        distance = window.distance(row.date)
    return (miss, distance, day, row.entry)


def assign(expectations: Mapping[str, Expectation], rows: Iterable[CandidateRow]) -> dict[str, int]:
    """Expectation id → the entry id that settles it: the best-ranked pairs are taken first,
    each entry and each expectation at most once (ties broken by entry, then expectation id)."""
    scored = []
    for row in rows:
        score = rank(expectations[row.expectation], row)
        if score is not None:
            scored.append((score, row.expectation))
    scored.sort()
    taken_entries: set[int] = set()
    assignment: dict[str, int] = {}
    for (*_, entry), expectation in scored:
        if expectation in assignment or entry in taken_entries:
            continue
        assignment[expectation] = entry
        taken_entries.add(entry)
    return assignment
