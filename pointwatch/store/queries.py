"""Set-based reads: expectations, matching candidates, coverage — no per-row Python loops in SQL.

Matching is pushed into two indexed joins (grants by account/amount/date, waivers by
account/statement/amount); Python only ranks the pairs that survive.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from pointwatch.domain.dates import Month
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.matching import CandidateRow
from pointwatch.domain.statuses import Settlement
from pointwatch.domain.support import Inquiry
from pointwatch.errors import NotFound
from pointwatch.store.convert import (
    EXPECTATION_FIELDS,
    Days,
    expectation_from_tuple,
    inquiry_of,
    settlement_of,
)
from pointwatch.store.tables import (
    AccountRow,
    CoverageRow,
    EntryRow,
    ExpectationRow,
    InquiryRow,
    SettlementRow,
)

X = ExpectationRow.__table__.c
E = EntryRow.__table__.c
A = AccountRow.__table__.c


def raw_rows(session: Session, query) -> list[tuple]:
    """Rows as the driver returns them, skipping SQLAlchemy's per-value processing (several
    times faster on the 10,000-row reads of status and remind); callers convert the values."""
    result = session.connection().execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def load_expectations(
    session: Session, ids: list[str] | None = None, enrollment: str | None = None
) -> list[Expectation]:
    """Expectations (all, some ids, or one enrollment's), ordered by due date then id."""
    query = select(*(X[name] for name in EXPECTATION_FIELDS), A.name).join_from(
        ExpectationRow.__table__, AccountRow.__table__, X.account_id == A.id
    )
    if ids is not None:
        query = query.where(X.id.in_(ids))
    if enrollment is not None:
        query = query.where(X.enrollment_id == enrollment)
    days = Days()
    rows = raw_rows(session, query)
    expectations = [expectation_from_tuple(row[:-1], row[-1], days) for row in rows]
    return sorted(expectations, key=lambda e: (e.due is None, e.due or e.earliest, e.id))


def get_expectation(session: Session, expectation_id: str) -> Expectation:
    found = load_expectations(session, ids=[expectation_id])
    if not found:
        raise NotFound(
            f"expectation {expectation_id!r} not found (see `pointwatch status` for the ids)"
        )
    return found[0]


def candidate_rows(session: Session) -> list[CandidateRow]:
    """Every entry that fits an unsettled expectation (domain.matching.fits): the bound
    account, the amount within tolerance, and — grants — on or after the joined date, or —
    waivers — on the expected statement or the next.

    Two indexed joins (account/amount/date for grants, account/statement/amount for waivers):
    one join with an OR between them keeps SQLite off the covering index.
    """
    unsettled = X.id.not_in(select(SettlementRow.__table__.c.expectation_id))
    same_account_and_amount = and_(
        E.account_id == X.account_id,
        E.amount.between(X.match_amount - X.tolerance, X.match_amount + X.tolerance),
    )
    grants = and_(same_account_and_amount, E.date >= X.earliest)
    waivers = and_(
        same_account_and_amount,
        or_(E.statement == X.statement, E.statement == X.next_statement),
    )
    days = Days()
    rows = []
    for kind, fits in (("grant", grants), ("waiver", waivers)):
        query = (
            select(X.id, E.id, E.date, E.description, E.statement)
            .select_from(ExpectationRow.__table__)
            .join(EntryRow.__table__, fits)
            .where(X.kind == kind, unsettled)
        )  # a nested loop over expectations: rows come out grouped by expectation
        rows.extend(
            CandidateRow(expectation, entry, days[day], description, statement)
            for expectation, entry, day, description, statement in raw_rows(session, query)
        )
    return rows


def covered_statements(session: Session) -> set[tuple[str, Month]]:
    """(account name, statement month) of every statement known to be complete."""
    query = select(A.name, CoverageRow.__table__.c.statement).join_from(
        CoverageRow.__table__, AccountRow.__table__, CoverageRow.__table__.c.account_id == A.id
    )
    return {(name, Month.parse(statement)) for name, statement in session.execute(query).all()}


def settlements(session: Session) -> dict[str, Settlement]:
    return {
        row.expectation_id: settlement_of(row)
        for row in session.execute(select(SettlementRow)).scalars()
    }


def account_by_name(session: Session, name: str) -> AccountRow:
    row = session.execute(select(AccountRow).where(col(AccountRow.name) == name)).scalars().first()
    if row is None:
        known = session.execute(select(A.name)).scalars().all()
        hint = (
            f"known: {', '.join(sorted(known))}"
            if known
            else "add one with `pointwatch account add`"
        )
        raise NotFound(f"account {name!r} not found ({hint})")
    return row


def load_inquiries(session: Session, expectation: str | None = None) -> list[Inquiry]:
    """Inquiries (all, or one expectation's) in the order they happened."""
    query = select(InquiryRow)
    if expectation is not None:
        query = query.where(InquiryRow.__table__.c.expectation_id == expectation)
    rows = session.execute(query.order_by(InquiryRow.__table__.c.at)).scalars()
    return [inquiry_of(row) for row in rows]


def reopened_settlements(session: Session, expectation: str) -> list[tuple[Settlement, date, str]]:
    """Undone settlements of one expectation, oldest first: (settlement, reopened on, reason)."""
    from pointwatch.store.settlement_log import ReopenedSettlementRow

    columns = ReopenedSettlementRow.__table__.c
    query = (
        select(ReopenedSettlementRow)
        .where(columns.expectation_id == expectation)
        .order_by(columns.reopened_on, columns.id)
    )
    return [
        (
            settlement_of(row),
            row.reopened_on,
            row.reason,
        )
        for row in session.execute(query).scalars()
    ]
