"""Entries → expectations: rank the candidate pairs the store found, then assign greedily.

The store does the set-based filtering (account, amount ± tolerance, dates or statements) in
indexed SQL; this module only ranks the few pairs that survive. Each entry settles at most one
expectation and each expectation takes at most one entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from pointwatch.domain.expectations import Expectation


@dataclass(frozen=True)
class CandidateRow:
    """An entry that fits an expectation's account and amount (as the store found it)."""

    expectation: str
    entry: int
    date: date
    description: str
    statement: str | None


@dataclass(frozen=True, order=True)
class Candidate:
    score: tuple[int, ...]
    expectation: str
    entry: int


def rank(expectation: Expectation, row: CandidateRow) -> Candidate | None:
    """Score one pair (lower is better) or reject it.

    Grants: keywords only rank (point histories word things unpredictably, so a missing keyword
    must not make a paid grant look late); early and late payouts both count, the nearest to the
    window first. Waivers: keywords are required when given (an 11,000-yen purchase is not an
    annual fee); the expected statement beats the next one.
    """
    hit = any(keyword in row.description for keyword in expectation.keywords)
    if expectation.kind == "waiver":
        if expectation.keywords and not hit:
            return None
        slipped = 0 if row.statement == str(expectation.statement) else 1
        return Candidate((0, slipped, row.date.toordinal(), row.entry), expectation.id, row.entry)
    if expectation.window is not None:
        distance = expectation.window.distance(row.date)
    else:
        distance = (row.date - expectation.earliest).days
    miss = 0 if hit or not expectation.keywords else 1
    return Candidate((miss, distance, row.date.toordinal(), row.entry), expectation.id, row.entry)


def assign(expectations: Mapping[str, Expectation], rows: Iterable[CandidateRow]) -> dict[str, int]:
    """Expectation id → the entry id that settles it (best-ranked pairs first)."""
    candidates = [
        candidate
        for row in rows
        if (candidate := rank(expectations[row.expectation], row)) is not None
    ]
    candidates.sort()
    taken_entries: set[int] = set()
    assignment: dict[str, int] = {}
    for candidate in candidates:
        if candidate.expectation in assignment or candidate.entry in taken_entries:
            continue
        assignment[candidate.expectation] = candidate.entry
        taken_entries.add(candidate.entry)
    return assignment
