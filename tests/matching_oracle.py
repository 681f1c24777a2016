"""Matching by brute force, straight from DESIGN §3: every (expectation, entry) pair that fits,
ranked, taken greedily. Slow on purpose (all pairs); the tests compare the sweep with it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from pointwatch.domain.expectations import Expectation
from pointwatch.domain.matching import Entry


def fits(expectation: Expectation, entry: Entry, early_days: int) -> bool:
    """The bound account, the amount within tolerance, and — grants — dated no earlier than the
    latest of joined, qualified and the window's start less `early_days` (a grant still
    waiting for a condition takes nothing), or — waivers — on the expected statement or the
    next, with a keyword when any are given."""
    if entry.account != expectation.account:
        return False
    if abs(entry.amount - expectation.match_amount) > expectation.tolerance:
        return False
    if expectation.kind == "grant":
        if expectation.waiting_for or expectation.window is None:
            return False
        bounds = [expectation.earliest, expectation.window.start - timedelta(days=early_days)]
        if expectation.qualified is not None:
            bounds.append(expectation.qualified)
        return entry.date >= max(bounds)
    if expectation.keywords and not _hit(expectation, entry):
        return False
    return entry.statement in (str(expectation.statement), str(expectation.next_statement))


def rank(expectation: Expectation, entry: Entry) -> tuple:
    """Lower is better. Grants: keyword hit, distance from the window, date, entry id.
    Waivers: expected statement before the next, date, entry id."""
    if expectation.kind == "waiver":
        slipped = 0 if entry.statement == str(expectation.statement) else 1
        return (0, slipped, entry.date, entry.id)
    miss = 1 if expectation.keywords and not _hit(expectation, entry) else 0
    assert expectation.window is not None
    return (miss, expectation.window.distance(entry.date), entry.date, entry.id)


def brute_force(
    expectations: Iterable[Expectation], entries: Iterable[Entry], early_days: int = 31
) -> dict[str, int]:
    entries = list(entries)
    pairs = sorted(
        (rank(expectation, entry), expectation.id, entry.id)
        for expectation in expectations
        for entry in entries
        if fits(expectation, entry, early_days)
    )
    assignment: dict[str, int] = {}
    taken: set[int] = set()
    for _, expectation, entry in pairs:
        if expectation not in assignment and entry not in taken:
            assignment[expectation] = entry
            taken.add(entry)
    return assignment


def _hit(expectation: Expectation, entry: Entry) -> bool:
    return any(keyword in entry.description for keyword in expectation.keywords)
