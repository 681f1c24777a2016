"""The evaluation pipeline: expectations → matching → statuses, as on a given day.

On day D the world is as it was then (DESIGN §3 "Point in time"): the store's reads leave out
what came to exist after D, and matching and statuses only ever see those reads.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlmodel import Session

from pointwatch.domain.expectations import Expectation
from pointwatch.domain.matching import EARLY_DAYS, assign, settlable
from pointwatch.domain.statuses import Evaluation, Settlement, evaluate
from pointwatch.store.queries import (
    covered_statements,
    load_expectations,
    matching_entries,
    settlements,
)


def evaluate_all(
    session: Session, today: date, default_grace: int, early_days: int = EARLY_DAYS
) -> list[Evaluation]:
    """Every expectation with its status on `today`."""
    expectations = load_expectations(session, as_of=today)
    settled = settlements(session, today)
    assignment = _assign(session, expectations, settled, today, early_days)
    return evaluate(
        expectations, assignment, covered_statements(session, today), settled, today,
        default_grace,
    )  # fmt: skip


def match(
    session: Session,
    day: date | None,
    expectations: list[Expectation] | None = None,
    early_days: int = EARLY_DAYS,
) -> dict[str, int]:
    """Expectation id → the entry that settles it, as on `day` (None: everything recorded,
    for the commands that list entries without a day)."""
    if expectations is None:
        expectations = load_expectations(session, as_of=day)
    return _assign(session, expectations, settlements(session, day), day, early_days)


def matched_entries(
    session: Session, day: date | None, early_days: int = EARLY_DAYS
) -> dict[int, str]:
    """Entry id → the expectation it settles, as on `day` (None: everything recorded)."""
    return {
        entry: expectation for expectation, entry in match(session, day, None, early_days).items()
    }


def _assign(
    session: Session,
    expectations: list[Expectation],
    settled: dict[str, Settlement],
    day: date | None,
    early_days: int,
) -> dict[str, int]:
    open_ones = list(settlable(expectations, settled))
    with _collector_paused():
        return assign(open_ones, matching_entries(session, open_ones, day), early_days)


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
