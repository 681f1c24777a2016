"""Set-based reads: expectations, the entries matching ranks, coverage — no per-row SQL.

Point in time (DESIGN §3): evaluated as on day D, what is dated after D does not exist yet —
entries dated after D, coverage recorded after D, settlements made after D, conditions met
after D. Every read that evaluation uses applies `existing_on` (or `met_on`), the one place
that rule lives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from sqlalchemy import and_, or_, select, true
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col

from pointwatch.domain.dates import Month
from pointwatch.domain.expectations import Expectation, Rules, judged, with_conditions
from pointwatch.domain.matching import Entry
from pointwatch.domain.statuses import Settlement
from pointwatch.domain.support import Inquiry
from pointwatch.errors import NotFound
from pointwatch.store.convert import (
    EXPECTATION_FIELDS,
    Days,
    expectation_from_tuple,
    inquiry_of,
    met_of,
    settlement_of,
)
from pointwatch.store.settlement_log import ReopenedSettlementRow
from pointwatch.store.tables import (
    AccountRow,
    CoverageRow,
    EnrollmentRow,
    EntryRow,
    ExpectationRow,
    InquiryRow,
    SettlementRow,
)

X = ExpectationRow.__table__.c
E = EntryRow.__table__.c
A = AccountRow.__table__.c
C = CoverageRow.__table__.c
S = SettlementRow.__table__.c
N = EnrollmentRow.__table__.c

# The day each kind of row came to exist, for the point-in-time rule.
_EXISTS_FROM = {"entry": E.date, "coverage": C.recorded_on, "settlement": S.on}


def existing_on(table: str, day: date | None) -> ColumnElement[bool]:
    """The point-in-time filter: rows of `table` that existed on `day` (None: every row)."""
    return true() if day is None else _EXISTS_FROM[table] <= day


def met_on(met: Mapping[str, date], day: date | None) -> dict[str, date]:
    """The point-in-time filter for conditions: those met by `day` (None: all met so far)."""
    return dict(met) if day is None else {name: on for name, on in met.items() if on <= day}


def raw_rows(session: Session, query) -> list[tuple]:
    """Rows as the driver returns them, skipping SQLAlchemy's per-value processing (several
    times faster on the 10,000-row reads of status and remind); callers convert the values."""
    result = session.connection().execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def load_expectations(
    session: Session,
    ids: list[str] | None = None,
    enrollment: str | None = None,
    as_of: date | None = None,
    *,
    rules: Rules | None = None,
) -> list[Expectation]:
    """Expectations (all, some ids, or one enrollment's), ordered by due date then id; with
    `rules`, judged by them (`late_after` set; callers that show no verdict pass none); with
    `as_of`, grants as their conditions stood on that day (one met later is still awaited,
    computed ones count the entries dated by then: `store.conditions`)."""
    query = (
        select(*(X[name] for name in EXPECTATION_FIELDS), A.name, N.met)
        .join_from(ExpectationRow.__table__, AccountRow.__table__, X.account_id == A.id)
        .join(EnrollmentRow.__table__, X.enrollment_id == N.id)
    )
    if ids is not None:
        query = query.where(X.id.in_(ids))
    if enrollment is not None:
        query = query.where(X.enrollment_id == enrollment)
    from pointwatch.store.conditions import campaign_terms  # it reads through this module

    days = Days()
    rows = raw_rows(session, query)
    requirements, progress = campaign_terms(
        session, {row[2] for row in rows if row[4] == "grant"}, as_of, {row[1] for row in rows}
    )
    met: dict[str, dict[str, date]] = {}  # enrollment → its conditions met, parsed once
    expectations = []
    for row in rows:
        expectation = expectation_from_tuple(row[:-2], row[-2], days)
        if rules is not None:
            expectation = judged(expectation, rules)
        needs = requirements.get((expectation.campaign, expectation.entitlement))
        if needs is not None and expectation.kind == "grant":
            if expectation.enrollment not in met:
                met[expectation.enrollment] = met_on(met_of(row[-1]), as_of)
            expectation = with_conditions(
                expectation,
                needs,
                met[expectation.enrollment],
                rules,
                progress.get(expectation.enrollment),
            )
        expectations.append(expectation)
    return sorted(expectations, key=lambda e: (e.due is None, e.due or e.earliest, e.id))


def get_expectation(
    session: Session, expectation_id: str, rules: Rules | None = None
) -> Expectation:
    found = load_expectations(session, ids=[expectation_id], rules=rules)
    if not found:
        raise NotFound(
            f"expectation {expectation_id!r} not found (see `pointwatch status` for the ids)"
        )
    return found[0]


def matching_entries(
    session: Session, expectations: Iterable[Expectation], day: date | None
) -> list[Entry]:
    """The entries that could settle `expectations`, as they stood on `day`: those on their
    accounts with an amount within their tolerance (domain.matching orders and ranks them).

    The (account, amount, date) index finds the ids — per account its exact amounts, then its
    ranges (tolerance), many per statement (building a statement costs more than SQLite takes
    to run it); the rows are then read
    by id, so the table is read in its own order (in the index's order, the reads of a large
    table outgrow SQLite's page cache and slow down faster than the entries grow).
    """
    wanted: dict[str, list[tuple[int, int]]] = {}
    for expectation in expectations:
        low = expectation.match_amount - expectation.tolerance
        high = expectation.match_amount + expectation.tolerance
        wanted.setdefault(expectation.account, []).append((low, high))
    if not wanted:
        return []
    ids = dict(session.execute(select(A.name, A.id).where(A.name.in_(wanted))).all())
    names = {account_id: name for name, account_id in ids.items()}
    clauses = []
    for name, ranges in wanted.items():
        merged = _merged(ranges)
        exact = [low for low, high in merged if low == high]
        if exact:
            clauses.append(and_(E.account_id == ids[name], E.amount.in_(exact)))
        clauses.extend(
            and_(E.account_id == ids[name], E.amount.between(low, high))
            for low, high in merged
            if low < high
        )
    days = Days()
    entries = []
    for first in range(0, len(clauses), _CLAUSES_PER_READ):
        in_spans = or_(*clauses[first : first + _CLAUSES_PER_READ])
        found = select(E.id).where(in_spans, existing_on("entry", day))
        query = select(E.id, E.account_id, E.amount, E.date, E.statement, E.description).where(
            E.id.in_(found)
        )
        entries.extend(
            Entry(entry, names[account], amount, days[on], statement, description)
            for entry, account, amount, on, statement, description in raw_rows(session, query)
        )
    return entries


_CLAUSES_PER_READ = 100  # well within SQLite's limits on expression depth and parameters


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping amount ranges merged, so that no entry is read twice."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(set(ranges)):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def covered_statements(session: Session, day: date | None = None) -> set[tuple[str, Month]]:
    """(account name, statement month) of every statement known to be complete on `day`."""
    query = (
        select(A.name, C.statement)
        .join_from(CoverageRow.__table__, AccountRow.__table__, C.account_id == A.id)
        .where(existing_on("coverage", day))
    )
    return {(name, Month.parse(statement)) for name, statement in session.execute(query).all()}


def settlements(session: Session, day: date | None = None) -> dict[str, Settlement]:
    """Expectation id → the settlement in force on `day`: the current one if made by then, or
    one made by then and reopened only later (on `day` it had not been reopened yet)."""
    query = select(SettlementRow).where(existing_on("settlement", day))
    current = {row.expectation_id: settlement_of(row) for row in session.execute(query).scalars()}
    if day is None:
        return current
    R = ReopenedSettlementRow.__table__.c
    later = select(ReopenedSettlementRow).where(R.on <= day, R.reopened_on > day)
    undone = {row.expectation_id: settlement_of(row) for row in session.execute(later).scalars()}
    return {**undone, **current}


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


def load_inquiries(
    session: Session, expectation: str | None = None, until: datetime | None = None
) -> list[Inquiry]:
    """Inquiries (all, or one expectation's) in the order they happened; with `until`, only
    those logged by then (the point-in-time rule for a moment)."""
    query = select(InquiryRow)
    if until is not None:
        query = query.where(InquiryRow.__table__.c.at <= until)
    if expectation is not None:
        query = query.where(InquiryRow.__table__.c.expectation_id == expectation)
    rows = session.execute(query.order_by(InquiryRow.__table__.c.at)).scalars()
    return [inquiry_of(row) for row in rows]


def reopened_settlements(
    session: Session, expectation: str, day: date | None = None
) -> list[tuple[Settlement, date, str]]:
    """Undone settlements of one expectation, oldest first: (settlement, reopened on, reason);
    with `day`, those reopened by then."""
    columns = ReopenedSettlementRow.__table__.c
    query = (
        select(ReopenedSettlementRow)
        .where(columns.expectation_id == expectation)
        .where(true() if day is None else columns.reopened_on <= day)
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
