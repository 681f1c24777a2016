"""Reads for campaign terms that live in the definitions rather than the expectation rows:
computed conditions (their entries, as of a day) and the expiry of received points.

Point in time: the entries and the coverage read here go through the same filter as every
other read of evaluation (`point_in_time.existing_on`), so progress as of D counts entries dated
on or before D only.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from pointwatch.campaigns import campaign_from_table
from pointwatch.domain.conditions import (
    Ledger,
    Progress,
    computed_progress,
    declared_progress,
    span,
)
from pointwatch.domain.dates import DateWindow, Month
from pointwatch.domain.definitions import Condition, MatchRule
from pointwatch.domain.expectations import GrantTerms, expiry_date
from pointwatch.domain.matching import Entry
from pointwatch.domain.statuses import RECEIVED, Evaluation
from pointwatch.store.convert import cycle_of, json_value, met_of
from pointwatch.store.point_in_time import existing_on, met_on
from pointwatch.store.reader import SessionReader, Source, SqliteReader, reader_of

if TYPE_CHECKING:  # the plain-sqlite3 read path imports this module without SQLAlchemy
    from sqlmodel import Session

    from pointwatch.store.tables import AccountRow

Terms = dict[tuple[str, str], GrantTerms]  # (campaign, grant) → its terms
Progresses = dict[str, dict[str, Progress]]  # enrollment → condition → progress
Covered = Callable[[Any, date], set[tuple[str, Month]]]  # statements covered on a day


def campaign_terms(
    source: Source,
    campaigns: Collection[str],
    day: date | None,
    enrollments: Collection[str],
    covered: Covered,
) -> tuple[Terms, Progresses]:
    """The terms of the grants of `campaigns` that have any (conditions, expiry), and the
    progress on `day` (None: everything recorded) of the computed conditions, and declared
    ones with a deadline, of `enrollments`. `covered` reads the statements covered on a day
    (`queries.covered_statements`, passed in: that module reads through this one).

    Progress needs a session: the plain-sqlite3 reader is used only when no stored campaign
    has a computed condition, a deadline or an expiry (`reader._current_sqlite`), so with it
    there is no progress to compute."""
    if not campaigns:
        return {}, {}
    rows = reader_of(source).rows("campaign_definitions", campaigns=sorted(campaigns))
    terms: Terms = {}
    watched: dict[str, tuple[Condition, ...]] = {}
    for campaign_id, stored in rows:
        definition = json_value(stored)
        if not _has_terms(definition):
            continue  # most campaigns: nothing to parse
        campaign = campaign_from_table(definition)
        for grant in campaign.grants:
            grant_terms = GrantTerms.of(grant)
            if grant_terms is not None:
                terms[(campaign_id, grant.id)] = grant_terms
        conditions = tuple(c for c in campaign.conditions if c.computed or c.by is not None)
        if conditions:
            watched[campaign_id] = conditions
    session = _session_of(source)
    if not watched or session is None:
        return terms, {}
    return terms, _progress(session, watched, day, enrollments, covered)


def _session_of(source: Source) -> Session | None:
    if isinstance(source, SqliteReader):
        return None
    if isinstance(source, SessionReader):
        return source.session
    return cast("Session", source)


def _has_terms(definition: Mapping[str, Any]) -> bool:
    return any(grant.get("requires") or "expires" in grant for grant in definition.get("grant", []))


def _progress(
    session: Session,
    watched: Mapping[str, tuple[Condition, ...]],
    day: date | None,
    enrollments: Collection[str],
    covered_statements: Covered,
) -> Progresses:
    from sqlalchemy import select
    from sqlmodel import col

    from pointwatch.store.tables import AccountRow, EnrollmentRow

    N = EnrollmentRow.__table__.c
    query = select(N.id, N.campaign_id, N.joined_on, N.accounts, N.met).where(
        N.campaign_id.in_(sorted(watched))
    )
    enrolled = [row for row in session.execute(query).all() if row[0] in enrollments]
    # (enrollment, condition, joined, account name) of every computed condition to read for.
    wanted = [
        (enrollment, condition, joined, accounts[condition.account])
        for enrollment, campaign, joined, accounts, _met in enrolled
        for condition in watched[campaign]
        if condition.computed and condition.account in accounts
    ]
    names = sorted({account for *_rest, account in wanted})
    rows = session.execute(select(AccountRow).where(col(AccountRow.name).in_(names))).scalars()
    accounts = {row.name: row for row in rows}
    spans = {(enrollment, c.id): span(c, joined) for enrollment, c, joined, _account in wanted}
    entries = _entries(session, accounts, wanted, spans, existing_on("entry", day))
    ledgers: dict[tuple[str, MatchRule], Ledger] = {}
    covered: set[tuple[str, Month]] | None = None
    progress: Progresses = {}
    for enrollment, campaign, joined, bound, met in enrolled:
        declared = met_on(met_of(met), day)
        mine = progress[enrollment] = {}
        for condition in watched[campaign]:
            if not condition.computed:
                mine[condition.id] = declared_progress(
                    condition, joined, declared.get(condition.id), day
                )
                continue
            if condition.account not in bound:
                continue
            account = accounts[bound[condition.account]]
            cycle = cycle_of(account)
            days = spans[(enrollment, condition.id)]
            key = (account.name, condition.match)
            if key not in ledgers:
                ledgers[key] = Ledger(entries.get(account.name, ()), condition.match, account.kind)
            if covered is None and cycle is not None and day is not None and day > days.end:
                covered = covered_statements(session, day)
            mine[condition.id] = computed_progress(
                condition,
                joined,
                account.name,
                account.kind,
                cycle,
                ledgers[key],
                day,
                covered or (),
            )
    return progress


def _entries(
    session: Session,
    accounts: Mapping[str, AccountRow],
    wanted: Sequence[tuple[str, Condition, date, str]],
    spans: Mapping[tuple[str, str], DateWindow],
    existing: Any,
) -> dict[str, list[Entry]]:
    """Account name → its entries from the first day any of its conditions counts to the
    last (one read: a clause per account, not per condition)."""
    from sqlalchemy import and_, or_, select

    from pointwatch.store.tables import EntryRow

    E = EntryRow.__table__.c
    bounds: dict[str, tuple[date, date]] = {}
    for enrollment, condition, _joined, account in wanted:
        days = spans[(enrollment, condition.id)]
        low, high = bounds.get(account, (days.start, days.end))
        bounds[account] = (min(low, days.start), max(high, days.end))
    if not bounds:
        return {}
    clauses = [
        and_(E.account_id == accounts[account].id, E.date.between(low, high))
        for account, (low, high) in bounds.items()
    ]
    names = {row.id: name for name, row in accounts.items()}
    query = select(E.id, E.account_id, E.amount, E.date, E.statement, E.description).where(
        or_(*clauses), existing
    )
    found: dict[str, list[Entry]] = {}
    for entry, account, amount, on, statement, description in session.execute(query).all():
        name = names[account]
        found.setdefault(name, []).append(Entry(entry, name, amount, on, statement, description))
    return found


def with_expiry(session: Session, evaluations: list[Evaluation]) -> list[Evaluation]:
    """Received grants with an `expires` rule get their `expires_on` (from the day of the
    entry that paid them); the rest are returned as they are."""
    paid = {
        v.entry
        for v in evaluations
        if v.status == RECEIVED and v.entry is not None and v.expectation.expires is not None
    }
    if not paid:
        return evaluations
    from sqlalchemy import select

    from pointwatch.store.tables import EntryRow

    E = EntryRow.__table__.c
    dates = dict(session.execute(select(E.id, E.date).where(E.id.in_(sorted(paid)))).all())
    return [
        replace(v, expires_on=expiry_date(v.expectation.expires, dates[v.entry]))
        if v.entry in paid and v.expectation.expires is not None
        else v
        for v in evaluations
    ]
