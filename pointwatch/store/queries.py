"""Set-based reads: expectations, matching candidates, coverage — no per-row Python loops in SQL.

Matching is pushed into two indexed joins (grants by account/amount/date, waivers by
account/statement/amount); Python only ranks the pairs that survive.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Integer, and_, case, exists, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col

from pointwatch.domain.dates import Month
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.matching import CandidateRow
from pointwatch.domain.statuses import Settlement
from pointwatch.domain.support import Inquiry
from pointwatch.errors import NotFound
from pointwatch.store.convert import (
    EXPECTATION_FIELDS,
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
    KeywordRow,
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
    rows = raw_rows(session, query)
    expectations = [expectation_from_tuple(row[:-1], row[-1]) for row in rows]
    return sorted(expectations, key=lambda e: (e.due is None, e.due or e.earliest, e.id))


def get_expectation(session: Session, expectation_id: str) -> Expectation:
    found = load_expectations(session, ids=[expectation_id])
    if not found:
        raise NotFound(
            f"expectation {expectation_id!r} not found (see `pointwatch status` for the ids)"
        )
    return found[0]


class days_between(FunctionElement):  # noqa: N801 - reads like the SQL function it compiles to
    """Whole days from `earlier` to `later` (dates), portable across SQLite and PostgreSQL."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


class contains_text(FunctionElement):  # noqa: N801
    """True when `needle` occurs in `haystack` (plain substring, no LIKE wildcards)."""

    type = Boolean()
    inherit_cache = True


@compiles(contains_text)
def _contains_text_default(element, compiler, **kw):
    haystack, needle = (compiler.process(c, **kw) for c in element.clauses)
    return f"(position({needle} in {haystack}) > 0)"


@compiles(contains_text, "sqlite")
def _contains_text_sqlite(element, compiler, **kw):
    haystack, needle = (compiler.process(c, **kw) for c in element.clauses)
    return f"(instr({haystack}, {needle}) > 0)"


def _fitting_pairs():
    """Entries that fit an unsettled expectation's account and amount (± tolerance).

    Grants: dated on or after the joined date. Waivers: on the expected statement or the next,
    and — keywords being required for waivers — containing one of its keywords.
    """
    K = KeywordRow.__table__.c
    unsettled = X.id.not_in(select(SettlementRow.__table__.c.expectation_id))
    amount_fits = E.amount.between(X.match_amount - X.tolerance, X.match_amount + X.tolerance)
    has_keywords = exists().where(K.expectation_id == X.id)
    keyword_hit = exists().where(
        K.expectation_id == X.id, contains_text(E.description, K.keyword)
    )
    grant_fits = and_(X.kind == "grant", E.date >= X.earliest)
    waiver_fits = and_(
        X.kind == "waiver",
        or_(E.statement == X.statement, E.statement == X.next_statement),
        or_(~has_keywords, keyword_hit),
    )
    fits = and_(E.account_id == X.account_id, amount_fits, or_(grant_fits, waiver_fits))
    return fits, unsettled, has_keywords, keyword_hit


def candidate_rows(session: Session) -> list[CandidateRow]:
    """Every fitting pair, unranked (the reference path; see ranked_candidates)."""
    fits, unsettled, _, _ = _fitting_pairs()
    query = (
        select(X.id, E.id, E.date, E.description, E.statement)
        .select_from(ExpectationRow.__table__)
        .join(EntryRow.__table__, fits)
        .where(unsettled)
    )
    return [CandidateRow(*row) for row in session.execute(query).all()]


def ranked_candidates(
    session: Session, per_expectation: int | None
) -> list[tuple[str, int, int]]:
    """(expectation, entry, rank within the expectation) in the global order of
    domain.matching.rank, at most `per_expectation` best pairs per expectation (None: all).

    The same ranking as the domain's reference rule, computed in SQL so that only the few best
    pairs per expectation reach Python.
    """
    fits, unsettled, has_keywords, keyword_hit = _fitting_pairs()
    waiver = X.kind == "waiver"
    miss = case((and_(~waiver, has_keywords, ~keyword_hit), 1), else_=0)
    distance = case(
        (waiver, case((E.statement == X.statement, 0), else_=1)),
        (X.window_start.is_(None), days_between(E.date, X.earliest)),
        (E.date < X.window_start, days_between(X.window_start, E.date)),
        (E.date > X.window_end, days_between(E.date, X.window_end)),
        else_=0,
    )
    pairs = (
        select(
            X.id.label("expectation"),
            E.id.label("entry"),
            miss.label("miss"),
            distance.label("distance"),
            E.date.label("day"),
        )
        .select_from(ExpectationRow.__table__)
        .join(EntryRow.__table__, fits)
        .where(unsettled)
        .subquery()
    )
    order = (pairs.c.miss, pairs.c.distance, pairs.c.day, pairs.c.entry)
    if per_expectation is None:
        query = select(pairs.c.expectation, pairs.c.entry, literal(0)).order_by(
            *order, pairs.c.expectation
        )
        return raw_rows(session, query)
    numbered = select(
        pairs,
        func.row_number().over(partition_by=pairs.c.expectation, order_by=order).label("position"),
    ).subquery()
    query = (
        select(numbered.c.expectation, numbered.c.entry, numbered.c.position)
        .where(numbered.c.position <= per_expectation)
        .order_by(
            numbered.c.miss, numbered.c.distance, numbered.c.day, numbered.c.entry,
            numbered.c.expectation,
        )  # fmt: skip
    )
    return raw_rows(session, query)


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
            Settlement(row.kind, row.on, row.substitute, row.amount, row.note),
            row.reopened_on,
            row.reason,
        )
        for row in session.execute(query).scalars()
    ]
