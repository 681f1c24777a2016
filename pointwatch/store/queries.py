"""Set-based reads: expectations, the entries matching ranks, coverage — no per-row SQL.

Point in time (DESIGN §3): evaluated as on day D, what is dated after D does not exist yet —
entries dated after D, coverage recorded after D, settlements made after D, conditions met
after D. Every read that evaluation uses applies `existing_on` (or `met_on`), the one place
that rule lives; the statements of reads.py take D as their `day` parameter (`day_parameter`).

Evaluation's reads take a `Source`: a command's SQLAlchemy session, or the reader of a
read-only command (reader.py: plain sqlite3 for the SQLite default, no ORM imported). They ask
for rows of the named statements of reads.py, the one definition of their SQL. The reads that
build ORM rows import SQLAlchemy when called.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from pointwatch.domain.dates import Month
from pointwatch.domain.expectations import Expectation, Rules, judged, with_conditions
from pointwatch.domain.matching import Entry
from pointwatch.domain.statuses import Settlement
from pointwatch.domain.support import Inquiry
from pointwatch.errors import NotFound
from pointwatch.i18n import _
from pointwatch.store.conditions import campaign_terms
from pointwatch.store.convert import (
    Days,
    expectation_from_tuple,
    inquiry_of,
    met_of,
    settlement_from_tuple,
    settlement_of,
)
from pointwatch.store.point_in_time import SPANS, day_parameter, existing_on, met_on
from pointwatch.store.reader import Source, reader_of
from pointwatch.store.reader import raw_rows as raw_rows  # imports.py reads through it

if TYPE_CHECKING:
    from sqlmodel import Session

    from pointwatch.store.tables import AccountRow


def load_expectations(
    source: Source,
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
    reader = reader_of(source)
    if ids is not None:
        rows = reader.rows("expectations_by_id", ids=list(ids))
        if enrollment is not None:
            rows = [row for row in rows if row[1] == enrollment]
    elif enrollment is not None:
        rows = reader.rows("expectations_of_enrollment", enrollment=enrollment)
    else:
        rows = reader.rows("expectations")
    days = Days()
    requirements, progress = campaign_terms(
        source,
        {row[2] for row in rows if row[4] == "grant"},
        as_of,
        {row[1] for row in rows},
        covered_statements,
    )
    met: dict[str, dict[str, date]] = {}  # enrollment → its conditions met, parsed once
    expectations = []
    for row in rows:
        expectation = expectation_from_tuple(row[:-2], row[-2], days)
        needs = requirements.get((expectation.campaign, expectation.entitlement))
        if needs is None or expectation.kind != "grant":
            if rules is not None:
                expectation = judged(expectation, rules)
        else:  # with_conditions judges it once its window is known
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


def get_expectation(source: Source, expectation_id: str, rules: Rules | None = None) -> Expectation:
    found = load_expectations(source, ids=[expectation_id], rules=rules)
    if not found:
        raise NotFound(
            _(
                "expectation {expectation_id!r} not found (see `pointwatch status` for the ids)"
            ).format(expectation_id=expectation_id)
        )
    return found[0]


def matching_entries(
    source: Source, expectations: Iterable[Expectation], day: date | None
) -> list[Entry]:
    """The entries that could settle `expectations`, as they stood on `day`: those on their
    accounts with an amount within their tolerance (domain.matching orders and ranks them).

    Each account's exact amounts in one span, its ranges (tolerance) one span each, overlapping
    ranges merged so that no entry is read twice; SPANS spans per read (reads.py).
    """
    wanted: dict[str, list[tuple[int, int]]] = {}
    for expectation in expectations:
        low = expectation.match_amount - expectation.tolerance
        high = expectation.match_amount + expectation.tolerance
        wanted.setdefault(expectation.account, []).append((low, high))
    if not wanted:
        return []
    reader = reader_of(source)
    names = dict(reader.rows("accounts"))
    ids = {name: account_id for account_id, name in names.items()}
    exact: list[dict] = []
    between: list[dict] = []
    for name, ranges in wanted.items():
        merged = _merged(ranges)
        amounts = [low for low, high in merged if low == high]
        if amounts:
            exact.append({"account": ids[name], "amounts": amounts})
        between += (
            {"account": ids[name], "low": low, "high": high} for low, high in merged if low < high
        )
    on = day_parameter(day)
    rows = []
    for statement, spans in (("entries_of_amounts", exact), ("entries_between", between)):
        for first in range(0, len(spans), SPANS):
            rows += reader.rows(statement, day=on, **_span_parameters(spans[first : first + SPANS]))
    days = Days()
    return [
        Entry(entry, names[account], amount, days[posted], statement, description)
        for entry, account, amount, posted, statement, description in rows
    ]


def _span_parameters(spans: list[dict]) -> dict:
    """The parameters of one read: span n's `account` as `account{n}`, …; the places left get
    spans of no account (NULL: they find nothing, at the cost of one index lookup)."""
    spans = spans + [{**spans[-1], "account": None}] * (SPANS - len(spans))
    return {f"{key}{n}": value for n, span in enumerate(spans) for key, value in span.items()}


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping amount ranges merged, so that no entry is read twice."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(set(ranges)):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def covered_statements(source: Source, day: date | None = None) -> set[tuple[str, Month]]:
    """(account name, statement month) of every statement known to be complete on `day`."""
    rows = reader_of(source).rows("coverage", day=day_parameter(day))
    return {(name, Month.parse(statement)) for name, statement in rows}


def settlements(source: Source, day: date | None = None) -> dict[str, Settlement]:
    """Expectation id → the settlement in force on `day`: the current one if made by then, or
    one made by then and reopened only later (on `day` it had not been reopened yet)."""
    reader = reader_of(source)
    days = Days()
    on = day_parameter(day)
    current = {
        row[0]: settlement_from_tuple(row, days) for row in reader.rows("settlements", day=on)
    }
    if day is None:
        return current
    undone = {
        row[0]: settlement_from_tuple(row, days)
        for row in reader.rows("undone_settlements", day=on)
    }
    return {**undone, **current}


def account_by_name(session: Session, name: str) -> AccountRow:
    from sqlalchemy import select

    from pointwatch.store.tables import AccountRow

    columns = AccountRow.__table__.c
    row = session.execute(select(AccountRow).where(columns.name == name)).scalars().first()
    if row is None:
        known = session.execute(select(columns.name)).scalars().all()
        hint = (
            _("known: {names}").format(names=", ".join(sorted(known)))
            if known
            else _("add one with `pointwatch account add`")
        )
        raise NotFound(_("account {name!r} not found ({hint})").format(name=name, hint=hint))
    return row


def load_inquiries(
    session: Session, expectation: str | None = None, until: datetime | None = None
) -> list[Inquiry]:
    """Inquiries (all, or one expectation's) in the order they happened; with `until`, only
    those logged by then (the point-in-time rule for a moment)."""
    from sqlalchemy import select

    from pointwatch.store.tables import InquiryRow

    columns = InquiryRow.__table__.c
    query = select(InquiryRow)
    if until is not None:
        query = query.where(columns.at <= until)
    if expectation is not None:
        query = query.where(columns.expectation_id == expectation)
    rows = session.execute(query.order_by(columns.at)).scalars()
    return [inquiry_of(row) for row in rows]


def reopened_settlements(
    session: Session, expectation: str, day: date | None = None
) -> list[tuple[Settlement, date, str]]:
    """Undone settlements of one expectation, oldest first: (settlement, reopened on, reason);
    with `day`, those reopened by then."""
    from sqlalchemy import select

    from pointwatch.store.settlement_log import ReopenedSettlementRow

    columns = ReopenedSettlementRow.__table__.c
    query = (
        select(ReopenedSettlementRow)
        .where(columns.expectation_id == expectation)
        .where(existing_on("reopened_settlement", day))
        .order_by(columns.reopened_on, columns.id)
    )
    return [
        (settlement_of(row), row.reopened_on, row.reason)
        for row in session.execute(query).scalars()
    ]
