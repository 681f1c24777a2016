"""Conversions between stored rows and domain values."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from pointwatch.domain.billing import BillingCycle
from pointwatch.domain.dates import DateWindow, Month
from pointwatch.domain.expectations import AccountInfo, Enrollment, Expectation
from pointwatch.domain.statuses import LEGACY_SETTLEMENT_KINDS, Settlement
from pointwatch.domain.support import Inquiry

if TYPE_CHECKING:  # the read path of status converts driver rows and never imports these
    from pointwatch.store.settlement_log import ReopenedSettlementRow
    from pointwatch.store.tables import (
        AccountRow,
        EnrollmentRow,
        ExpectationRow,
        InquiryRow,
        SettlementRow,
    )


def cycle_of(row: AccountRow) -> BillingCycle | None:
    if row.closing_day is None or row.payment_day is None:
        return None
    return BillingCycle.from_values(
        closing_day=row.closing_day,
        payment_day=row.payment_day,
        payment_months=row.payment_months if row.payment_months is not None else 1,
        holiday_rule=row.holiday_rule or "next-business-day",
        calendar=row.calendar,
        statement_ready_day=row.statement_ready_day,
    )


def account_row(
    name: str, kind: str, cycle: BillingCycle | None, profile: str | None
) -> AccountRow:
    from pointwatch.store.tables import AccountRow

    row = AccountRow(name=name, kind=kind, profile=profile)
    if cycle is not None:
        row.closing_day = cycle.closing_day_text
        row.payment_day = cycle.payment_day
        row.payment_months = cycle.payment_months
        row.holiday_rule = cycle.holiday_rule
        row.calendar = cycle.calendar
        row.statement_ready_day = cycle.statement_ready_day
    return row


def account_info(row: AccountRow) -> AccountInfo:
    return AccountInfo(name=row.name, kind=row.kind, cycle=cycle_of(row))


def enrollment_of(row: EnrollmentRow) -> Enrollment:
    return Enrollment(
        id=row.id,
        campaign=row.campaign_id,
        joined=row.joined_on,
        accounts=dict(row.accounts),
        met={key: date.fromisoformat(value) for key, value in row.met.items()},
    )


def expectation_row(expectation: Expectation, account_id: int) -> ExpectationRow:
    from pointwatch.store.tables import ExpectationRow

    window = expectation.window
    return ExpectationRow(
        id=expectation.id,
        enrollment_id=expectation.enrollment,
        campaign_id=expectation.campaign,
        entitlement=expectation.entitlement,
        kind=expectation.kind,
        occurrence=expectation.occurrence,
        account_id=account_id,
        amount=expectation.amount,
        unit=expectation.unit,
        match_amount=expectation.match_amount,
        tolerance=expectation.tolerance,
        keywords=list(expectation.keywords),
        earliest=expectation.earliest,
        window_start=window.start if window else None,
        window_end=window.end if window else None,
        grace=expectation.grace,
        waiting_for=list(expectation.waiting_for),
        statement=str(expectation.statement) if expectation.statement else None,
        next_statement=str(expectation.next_statement) if expectation.statement else None,
        closing_date=expectation.closing_date,
        payment_date=expectation.payment_date,
        ready_date=expectation.ready_date,
    )


# Column order used by `queries.expectation_columns` and `expectation_from_tuple`.
EXPECTATION_FIELDS = (
    "id", "enrollment_id", "campaign_id", "entitlement", "kind", "occurrence", "amount", "unit",
    "match_amount", "tolerance", "keywords", "earliest", "window_start", "window_end", "grace",
    "waiting_for", "statement", "closing_date", "payment_date", "ready_date",
)  # fmt: skip


def day_of(value: date | str | None) -> date | None:
    """A date from a raw driver value."""
    # Raw driver values: SQLite returns ISO text, PostgreSQL returns dates.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


class Days(dict):
    """raw driver value → date, each distinct value converted once (a 10,000-row read holds
    a few hundred distinct days)."""

    def __missing__(self, value: date | str | None) -> date | None:
        day = self[value] = day_of(value)
        return day


def moment_of(value: str | datetime | None) -> datetime | None:
    """A stored moment as an aware datetime (stored in UTC, as SQLModel writes it)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _strings(value: list | str) -> tuple[str, ...]:
    # Raw driver values: SQLite returns JSON text, PostgreSQL decoded lists.
    if isinstance(value, list):
        return tuple(value)
    return () if value == "[]" else tuple(json.loads(value))


def json_value(value: Any) -> Any:
    """A JSON column's raw driver value, decoded (SQLite returns text, PostgreSQL the value)."""
    return json.loads(value) if isinstance(value, str) else value


def met_of(value: dict | str) -> dict[str, date]:
    """An enrollment's met conditions (condition → day) from a raw driver value."""
    # Raw driver values: SQLite returns JSON text, PostgreSQL a decoded mapping.
    if isinstance(value, str):
        value = {} if value == "{}" else json.loads(value)
    return {condition: date.fromisoformat(on) for condition, on in value.items()}


def _month(value: str | None) -> Month | None:
    return Month(int(value[:4]), int(value[5:7])) if value else None


def expectation_from_tuple(values: tuple, account: str, days: Days | None = None) -> Expectation:
    """An expectation from one raw row of EXPECTATION_FIELDS (driver values, unprocessed)."""
    days = Days() if days is None else days
    (
        id_, enrollment, campaign, entitlement, kind, occurrence, amount, unit, match_amount,
        tolerance, keywords, earliest, window_start, window_end, grace, waiting_for, statement,
        closing_date, payment_date, ready_date,
    ) = values  # fmt: skip
    return Expectation(
        id=id_,
        enrollment=enrollment,
        campaign=campaign,
        entitlement=entitlement,
        kind=kind,
        account=account,
        amount=amount,
        unit=unit,
        match_amount=match_amount,
        tolerance=tolerance,
        keywords=_strings(keywords),
        earliest=days[earliest],
        occurrence=occurrence,
        window=DateWindow(days[window_start], days[window_end]) if window_start else None,
        grace=grace,
        waiting_for=_strings(waiting_for),
        statement=_month(statement),
        closing_date=days[closing_date],
        payment_date=days[payment_date],
        ready_date=days[ready_date],
    )


# Column order of `settlement_from_tuple` (reads.py selects them so).
SETTLEMENT_FIELDS = ("expectation_id", "kind", "on", "substitute", "amount", "note")


def settlement_from_tuple(values: tuple, days: Days) -> Settlement:
    """A settlement from one raw row of SETTLEMENT_FIELDS (driver values, unprocessed)."""
    _expectation, kind, on, substitute, amount, note = values
    return Settlement(
        kind=LEGACY_SETTLEMENT_KINDS.get(kind, kind),
        on=days[on],
        substitute=substitute,
        amount=amount,
        note=note,
    )


def settlement_of(row: SettlementRow | ReopenedSettlementRow) -> Settlement:
    return Settlement(
        kind=LEGACY_SETTLEMENT_KINDS.get(row.kind, row.kind),
        on=row.on,
        substitute=row.substitute,
        amount=row.amount,
        note=row.note,
    )


def inquiry_of(row: InquiryRow) -> Inquiry:
    return Inquiry(
        id=row.id or 0,
        expectation=row.expectation_id,
        channel=row.channel,
        at=row.at,
        agent=row.agent,
        summary=row.summary,
        promise=row.promise,
        promise_by=row.promise_by,
    )
