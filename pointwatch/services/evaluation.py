"""The evaluation pipeline: expectations → matching → statuses, as on a given day.

On day D the world is as it was then (DESIGN §3 "Point in time"): the store's reads leave out
what came to exist after D, and matching and statuses only ever see those reads.

Each function reads from a `Source`: the session of the command's transaction, or the reader
of a read-only command (store/reader.py), which imports no ORM.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from pointwatch.domain.expectations import Expectation, Rules
from pointwatch.domain.matching import assign, settlable
from pointwatch.domain.refunds import credit_side, match_refunds
from pointwatch.domain.statuses import Evaluation, Settlement, evaluate
from pointwatch.store.conditions import with_expiry
from pointwatch.store.queries import (
    covered_statements,
    load_expectations,
    matching_entries,
    settlements,
)
from pointwatch.store.reader import SessionReader, Source, SqliteReader

if TYPE_CHECKING:
    from sqlmodel import Session


def evaluate_all(source: Source, today: date, rules: Rules) -> list[Evaluation]:
    """Every expectation with its status on `today`, judged by the user's `rules`."""
    expectations = load_expectations(source, as_of=today, rules=rules)
    settled = settlements(source, today)
    matched = _match(source, expectations, settled, today, rules.early_days)
    coverage = covered_statements(source, today)
    evaluations = evaluate(
        expectations, matched.fees_and_payouts, coverage, settled, today, matched.refunds
    )
    # Expiry needs a session: the plain-sqlite3 reader is used only when no stored campaign
    # has an `expires` (reader._current_sqlite), so there is nothing to add with it.
    if isinstance(source, SqliteReader):
        return evaluations
    session = source.session if isinstance(source, SessionReader) else source
    return with_expiry(cast("Session", session), evaluations)


def match(source: Source, day: date | None, rules: Rules) -> dict[str, int]:
    """Expectation id → the entry that pays or charges it, as on `day` (None: everything)."""
    expectations = load_expectations(source, as_of=day, rules=rules)
    settled = settlements(source, day)
    return _match(source, expectations, settled, day, rules.early_days).fees_and_payouts


def matched_entries(source: Source, day: date | None, rules: Rules) -> dict[int, str]:
    """Entry id → the expectation it settles or refunds, as on `day` (None: everything
    recorded, for the commands that list entries without a day)."""
    expectations = load_expectations(source, as_of=day, rules=rules)
    matched = _match(source, expectations, settlements(source, day), day, rules.early_days)
    return {
        entry: expectation
        for assignment in (matched.fees_and_payouts, matched.refunds)
        for expectation, entry in assignment.items()
    }


@dataclass(frozen=True)
class _Matched:
    fees_and_payouts: dict[str, int]  # expectation id → the entry that pays or charges it
    refunds: dict[str, int]  # waiver id → the credit that refunded its fee


def _match(
    source: Source,
    expectations: list[Expectation],
    settled: dict[str, Settlement],
    day: date | None,
    early_days: int,
) -> _Matched:
    open_ones = list(settlable(expectations, settled))
    with _collector_paused():
        entries = matching_entries(source, open_ones, day)
        assignment = assign(open_ones, entries, early_days)
    charged = [e for e in open_ones if e.kind == "waiver" and e.id in assignment]
    if not charged:
        return _Matched(assignment, {})
    by_id = {entry.id: entry for entry in entries}
    credits = matching_entries(source, [credit_side(e) for e in charged], day)
    fees = [(waiver, by_id[assignment[waiver.id]]) for waiver in charged]
    return _Matched(assignment, match_refunds(fees, credits, set(assignment.values())))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Matching builds hundreds of thousands of small acyclic values: the cyclic garbage
    collector would rescan them all, again and again (doubling the entries tripled the time);
    reference counting frees them all the same."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
