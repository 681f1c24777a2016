"""The evaluation pipeline: expectations → matching → statuses, for a given day."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from pointwatch.domain.matching import greedy, greedy_truncated
from pointwatch.domain.statuses import Evaluation, evaluate
from pointwatch.store.queries import (
    covered_statements,
    load_expectations,
    ranked_candidates,
    settlements,
)

# Most expectations have one fitting entry; a few more cover competing expectations.
FIRST_PAIRS_PER_EXPECTATION = 4


def evaluate_all(session: Session, today: date, default_grace: int) -> list[Evaluation]:
    """Every expectation with its status on `today`."""
    expectations = load_expectations(session)
    assignment = match(session)
    return evaluate(
        expectations, assignment, covered_statements(session), settlements(session), today,
        default_grace,
    )  # fmt: skip


def match(session: Session) -> dict[str, int]:
    """Expectation id → the entry that settles it, as domain.matching.assign would decide.

    Only each expectation's best few pairs are fetched first; when that could change the
    answer (an expectation found all of its listed entries taken), every pair is ranked.
    """
    ranked = ranked_candidates(session, FIRST_PAIRS_PER_EXPECTATION)
    assignment = greedy_truncated(ranked, FIRST_PAIRS_PER_EXPECTATION)
    if assignment is None:
        assignment = greedy((e, x) for e, x, _ in ranked_candidates(session, None))
    return assignment


def matched_entries(session: Session) -> dict[int, str]:
    """Entry id → the expectation it settles (matching does not depend on the day)."""
    return {entry: expectation for expectation, entry in match(session).items()}
