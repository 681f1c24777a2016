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
    """Expectation id → the entry id that settles it (best-ranked pairs first).

    The reference rule; the store computes the same order in SQL (`greedy` takes it from there).
    """
    candidates = [
        candidate
        for row in rows
        if (candidate := rank(expectations[row.expectation], row)) is not None
    ]
    candidates.sort()
    return greedy((c.expectation, c.entry) for c in candidates)


def greedy(ranked_pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Walk pairs best first; a pair is taken when neither side is taken yet."""
    taken_entries: set[int] = set()
    assignment: dict[str, int] = {}
    for expectation, entry in ranked_pairs:
        if expectation in assignment or entry in taken_entries:
            continue
        assignment[expectation] = entry
        taken_entries.add(entry)
    return assignment


def greedy_truncated(
    ranked: Iterable[tuple[str, int, int]], per_expectation: int
) -> dict[str, int] | None:
    """`greedy` over each expectation's best `per_expectation` pairs only.

    Returns None when the truncation might have changed the answer: an expectation left
    unassigned after all of its listed pairs were taken may have had a free pair further down.
    Otherwise the result equals `greedy` over all pairs (each expectation stops at a pair it
    would have reached first anyway).
    """
    ranked = list(ranked)
    assignment = greedy((expectation, entry) for expectation, entry, _ in ranked)
    for expectation, _entry, position in ranked:
        if position == per_expectation and expectation not in assignment:
            return None
    return assignment
