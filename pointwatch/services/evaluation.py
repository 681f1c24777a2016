"""The evaluation pipeline: expectations → matching → statuses, for a given day."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from pointwatch.domain.expectations import Expectation
from pointwatch.domain.matching import assign
from pointwatch.domain.statuses import Evaluation, evaluate
from pointwatch.store.queries import (
    candidate_rows,
    covered_statements,
    load_expectations,
    settlements,
)


def evaluate_all(session: Session, today: date, default_grace: int) -> list[Evaluation]:
    """Every expectation with its status on `today`."""
    expectations = load_expectations(session)
    assignment = match(session, expectations)
    return evaluate(
        expectations, assignment, covered_statements(session), settlements(session), today,
        default_grace,
    )  # fmt: skip


def match(session: Session, expectations: list[Expectation] | None = None) -> dict[str, int]:
    """Expectation id → the entry that settles it (matching does not depend on the day)."""
    if expectations is None:
        expectations = load_expectations(session)
    return assign({e.id: e for e in expectations}, candidate_rows(session))


def matched_entries(session: Session) -> dict[int, str]:
    """Entry id → the expectation it settles (matching does not depend on the day)."""
    return {entry: expectation for expectation, entry in match(session).items()}
