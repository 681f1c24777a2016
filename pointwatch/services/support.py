"""Support: inquiries and their promises, settlements and reopening, and the evidence of one
expectation that `claim` and `history` present. The caller's transaction; `today`/`now` passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo

from sqlmodel import Session, select

from pointwatch.domain.claims import (
    AlertFact,
    ChannelAdvice,
    Claim,
    Evidence,
    InquiryFact,
    MetCondition,
    PastSettlement,
    RelatedGrant,
    TimelineEvent,
    build_claim,
    claim_language,
    recommend_channel,
    timeline,
)
from pointwatch.domain.definitions import CONTACT_CHANNELS, Campaign, Issuer
from pointwatch.domain.entries import RecordedEntry
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.statuses import (
    CONFIRMED,
    RECEIVED,
    SETTLEMENT_STATUS,
    Evaluation,
    Settlement,
)
from pointwatch.domain.support import SUBSTITUTES, Inquiry, promise_state
from pointwatch.errors import Conflict, InputError
from pointwatch.services.definitions import find_issuer, get_campaign
from pointwatch.services.enrollments import get_enrollment_row
from pointwatch.services.evaluation import evaluate_all
from pointwatch.store.convert import inquiry_of, settlement_of
from pointwatch.store.queries import (
    get_expectation,
    load_inquiries,
    reopened_settlements,
)
from pointwatch.store.settlement_log import ReopenedSettlementRow
from pointwatch.store.tables import AccountRow, CoverageRow, EntryRow, InquiryRow, SettlementRow

SETTLEMENT_KINDS = tuple(SETTLEMENT_STATUS)  # substituted, forfeited, written-off


# --- inquiries ------------------------------------------------------------------------------


def add_inquiry(
    session: Session,
    expectation_id: str,
    channel: str,
    at: datetime,
    agent: str = "",
    summary: str = "",
    promise: str = "",
    promise_by: datetime | None = None,
) -> Inquiry:
    """Log a support contact about one expectation, with what was promised and by when."""
    expectation = get_expectation(session, expectation_id)
    check_channel(channel)
    check_promise(promise, promise_by is not None)
    if at.tzinfo is None or (promise_by is not None and promise_by.tzinfo is None):
        raise InputError("inquiry times must carry a time zone")
    joined = get_enrollment_row(session, expectation.enrollment).joined_on
    if at.date() < joined:
        raise InputError(
            f"--at {at:%Y-%m-%d %H:%M}: before the enrollment "
            f"{expectation.enrollment!r} joined on {joined.isoformat()}"
        )
    if promise_by is not None and promise_by <= at:
        raise InputError(
            f"--promise-by {promise_by:%Y-%m-%d %H:%M}: the deadline is not after the inquiry "
            f"({at:%Y-%m-%d %H:%M})"
        )
    row = InquiryRow(
        expectation_id=expectation.id,
        channel=channel,
        at=at,
        agent=agent.strip(),
        summary=summary.strip(),
        promise=promise.strip(),
        promise_by=promise_by,
    )
    session.add(row)
    session.flush()
    return inquiry_of(row)


def check_channel(channel: str) -> None:
    if channel not in CONTACT_CHANNELS:
        raise InputError(f"--channel {channel!r}: expected one of {', '.join(CONTACT_CHANNELS)}")


def check_promise(promise: str, has_deadline: bool) -> None:
    """A promise and its deadline come together: the deadline is what the follow-up watches."""
    if promise.strip() and not has_deadline:
        raise InputError("--promise needs --promise-by (a deadline like 5m, 3d or a date)")
    if has_deadline and not promise.strip():
        raise InputError("--promise-by needs --promise (what was promised)")


def list_inquiries(
    session: Session, expectation_id: str | None, now: datetime, zone: tzinfo
) -> list[InquiryFact]:
    """Inquiries (all, or one expectation's), oldest first, each with its promise's state."""
    if expectation_id is not None:
        get_expectation(session, expectation_id)
    received = _received_dates(session, now.date())
    settled = {row.expectation_id: row.on for row in session.exec(select(SettlementRow)).all()}
    return [
        InquiryFact(
            _local(inquiry, zone),
            promise_state(
                inquiry,
                received.get(inquiry.expectation),
                now,
                zone,
                settled.get(inquiry.expectation),
            ),
        )
        for inquiry in load_inquiries(session, expectation_id)
    ]


def _local(inquiry: Inquiry, zone: tzinfo) -> Inquiry:
    promise_by = inquiry.promise_by.astimezone(zone) if inquiry.promise_by else None
    return replace(inquiry, at=inquiry.at.astimezone(zone), promise_by=promise_by)


def _received_dates(session: Session, day: date) -> dict[str, date]:
    """Expectation id → the date of the entry that settles it, as on `day`."""
    from pointwatch.services.evaluation import matched_entries

    by_entry = matched_entries(session, day)
    if not by_entry:
        return {}
    columns = EntryRow.__table__.c
    query = select(columns.id, columns.date).where(columns.id.in_(list(by_entry)))
    return {by_entry[entry_id]: on for entry_id, on in session.execute(query).all()}


# --- settlements ----------------------------------------------------------------------------


def settle(
    session: Session,
    expectation_id: str,
    kind: str,
    on: date,
    default_grace: int,
    substitute: str = "",
    amount: int = 0,
    note: str = "",
) -> Evaluation:
    """Close an expectation that ended differently; returns its evaluation afterwards."""
    expectation = get_expectation(session, expectation_id)
    existing = session.get(SettlementRow, expectation.id)
    if existing is not None:
        what = f" with {existing.substitute}" if existing.substitute else ""
        raise Conflict(
            f"expectation {expectation.id!r} is already settled ({existing.kind}{what} on "
            f"{existing.on.isoformat()}); run `pointwatch reopen {expectation.id}` first"
        )
    if kind not in SETTLEMENT_KINDS:
        raise InputError(f"settlement {kind!r}: expected one of {', '.join(SETTLEMENT_KINDS)}")
    if kind == "substituted":
        check_substitute(substitute)
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InputError(f"--amount {amount!r}: expected a positive whole number")
    else:
        if substitute or amount:
            raise InputError(f"a {kind} settlement takes no substitute or amount")
        if not note.strip():
            raise InputError(f"a {kind} settlement needs --reason (why it ended)")
    joined = get_enrollment_row(session, expectation.enrollment).joined_on
    if on < joined:
        raise InputError(
            f"--as-of {on.isoformat()}: before the enrollment {expectation.enrollment!r} "
            f"joined on {joined.isoformat()}"
        )
    evaluation = status_of(session, expectation.id, on, default_grace)
    if evaluation.status in (RECEIVED, CONFIRMED):
        raise Conflict(
            f"expectation {expectation.id!r} is {evaluation.status} (entry "
            f"{evaluation.entry or 'checked statement'}): nothing to settle"
        )
    session.add(
        SettlementRow(
            expectation_id=expectation.id,
            kind=kind,
            on=on,
            substitute=substitute,
            amount=amount,
            note=note.strip(),
        )
    )
    session.flush()
    return status_of(session, expectation.id, on, default_grace)


def check_substitute(substitute: str) -> None:
    if substitute not in SUBSTITUTES:
        raise InputError(
            f"--substituted-with {substitute!r}: expected one of {', '.join(SUBSTITUTES)}"
        )


def reopen(session: Session, expectation_id: str, on: date, reason: str = "") -> Settlement:
    """Undo a settlement (e.g. a coupon the user does not accept); it stays in the history."""
    expectation = get_expectation(session, expectation_id)
    row = session.get(SettlementRow, expectation.id)
    if row is None:
        raise Conflict(f"expectation {expectation.id!r} is not settled: nothing to reopen")
    if on < row.on:
        raise InputError(f"--as-of {on.isoformat()}: before the settlement on {row.on.isoformat()}")
    settlement = settlement_of(row)
    session.add(
        ReopenedSettlementRow(
            expectation_id=row.expectation_id,
            kind=row.kind,
            on=row.on,
            substitute=row.substitute,
            amount=row.amount,
            note=row.note,
            reopened_on=on,
            reason=reason.strip(),
        )
    )
    session.delete(row)
    session.flush()
    return settlement


def status_of(session: Session, expectation_id: str, today: date, grace: int) -> Evaluation:
    """One expectation's evaluation (matching is global, so all are evaluated)."""
    return next(
        v for v in evaluate_all(session, today, grace) if v.expectation.id == expectation_id
    )


# --- evidence: claim and history ------------------------------------------------------------


@dataclass(frozen=True)
class ClaimDraft:
    claim: Claim
    advice: ChannelAdvice
    evidence: Evidence


@dataclass(frozen=True)
class History:
    evidence: Evidence
    evaluation: Evaluation
    events: list[TimelineEvent]


def gather_evidence(
    session: Session,
    expectation_id: str,
    today: date,
    now: datetime,
    zone: tzinfo,
    default_grace: int,
) -> tuple[Evidence, Evaluation, Campaign]:
    """Everything pointwatch knows about one expectation, as of `today`."""
    expectation = get_expectation(session, expectation_id)
    enrollment = get_enrollment_row(session, expectation.enrollment)
    campaign = get_campaign(session, expectation.campaign)
    evaluations = evaluate_all(session, today, default_grace)
    evaluation = next(v for v in evaluations if v.expectation.id == expectation.id)
    received = _received_dates(session, today)
    account = session.exec(select(AccountRow).where(AccountRow.name == expectation.account)).one()
    covered_on = _covered_on(session, account, expectation)
    evidence = Evidence(
        expectation=expectation,
        campaign_name=campaign.name,
        issuer=campaign.issuer,
        joined=enrollment.joined_on,
        as_of=today,
        status=evaluation.status,
        days_late=evaluation.days_late,
        grace=default_grace if expectation.grace is None else expectation.grace,
        terms_url=campaign.terms_url,
        entitlement_text=_entitlement_text(campaign, expectation),
        account_kind=account.kind,
        period=campaign.period,
        conditions=_conditions(campaign, expectation, enrollment.met),
        entry=_entry(session, evaluation.entry),
        covered=covered_on is not None,
        covered_on=covered_on,
        settlement=evaluation.settlement,
        reopened=tuple(
            PastSettlement(settlement, reopened_on, reason)
            for settlement, reopened_on, reason in reopened_settlements(session, expectation.id)
        ),
        inquiries=tuple(list_inquiries(session, expectation.id, now, zone)),
        related=_related(evaluations, expectation, received),
        alerts=alert_facts(session, expectation.id, zone),
    )
    return evidence, evaluation, campaign


def draft_claim(
    session: Session,
    expectation_id: str,
    lang: str | None,
    today: date,
    now: datetime,
    zone: tzinfo,
    default_grace: int,
) -> ClaimDraft:
    """The message to send to support, and which channel to send it by."""
    evidence, evaluation, campaign = gather_evidence(
        session, expectation_id, today, now, zone, default_grace
    )
    if evaluation.status in (RECEIVED, CONFIRMED):
        proof = (
            f"entry {evidence.entry.id} on {evidence.entry.date.isoformat()}"
            if evidence.entry is not None
            else f"statement {evidence.expectation.statement} checked"
        )
        raise Conflict(
            f"expectation {expectation_id!r} is {evaluation.status} ({proof}): nothing to claim"
        )
    issuer: Issuer | None = find_issuer(session, campaign.issuer)
    language = claim_language(lang, issuer)
    advice = recommend_channel(issuer, campaign.issuer, [f.inquiry for f in evidence.inquiries])
    return ClaimDraft(build_claim(evidence, language), advice, evidence)


def history(
    session: Session,
    expectation_id: str,
    today: date,
    now: datetime,
    zone: tzinfo,
    default_grace: int,
) -> History:
    """The whole timeline of one expectation, oldest first."""
    evidence, evaluation, _ = gather_evidence(
        session, expectation_id, today, now, zone, default_grace
    )
    return History(evidence, evaluation, timeline(evidence))


def _entitlement_text(campaign: Campaign, expectation: Expectation) -> str:
    entitlements = campaign.grants if expectation.kind == "grant" else campaign.waivers
    return next((item.text for item in entitlements if item.id == expectation.entitlement), "")


def _conditions(
    campaign: Campaign, expectation: Expectation, met: dict[str, str]
) -> tuple[MetCondition, ...]:
    """The conditions this expectation requires, with the day each was met."""
    required: Sequence[str] = ()
    for grant in campaign.grants:
        if grant.id == expectation.entitlement and expectation.kind == "grant":
            required = grant.requires
    texts = {condition.id: condition.text for condition in campaign.conditions}
    return tuple(
        MetCondition(
            condition,
            texts.get(condition, condition),
            date.fromisoformat(met[condition]) if condition in met else None,
        )
        for condition in required
    )


def _covered_on(session: Session, account: AccountRow, expectation: Expectation) -> date | None:
    """The day the waiver's statement was imported or checked in full (None: not yet)."""
    if expectation.statement is None:
        return None
    row = session.exec(
        select(CoverageRow).where(
            CoverageRow.account_id == account.id,
            CoverageRow.statement == str(expectation.statement),
        )
    ).first()
    return row.recorded_on if row is not None else None


def _entry(session: Session, entry_id: int | None) -> RecordedEntry | None:
    if entry_id is None:
        return None
    row = session.get(EntryRow, entry_id)
    if row is None or row.id is None:
        return None
    return RecordedEntry(row.id, row.date, row.amount, row.description, row.statement)


def _related(
    evaluations: Sequence[Evaluation], expectation: Expectation, received: dict[str, date]
) -> tuple[RelatedGrant, ...]:
    """Other grants of the same enrollment that arrived: proof the enrollment is recognised."""
    if expectation.kind != "grant":
        return ()
    return tuple(
        RelatedGrant(v.expectation.entitlement, v.expectation.amount, v.expectation.unit, on)
        for v in evaluations
        if v.expectation.enrollment == expectation.enrollment
        and v.expectation.id != expectation.id
        and v.expectation.kind == "grant"
        and v.status == RECEIVED
        and (on := received.get(v.expectation.id)) is not None
    )


def alert_facts(session: Session, expectation_id: str, zone: tzinfo) -> tuple[AlertFact, ...]:
    """Alerts the daily run raised about one expectation. An optional hook: the alert store
    belongs to the reminder feature, and history works without it."""
    try:
        from pointwatch.store.alerts import AlertRow
    except ImportError:  # pragma: no cover - only without the reminder feature
        return ()
    from sqlalchemy import inspect

    if not inspect(session.connection()).has_table(AlertRow.__tablename__):
        return ()  # a database made before alerts existed, and `remind` never ran on it
    columns = AlertRow.__table__.c
    query = select(AlertRow).where(columns.expectation_id == expectation_id).order_by(columns.id)
    facts = []
    for row in session.exec(query).all():
        raised = row.raised_at.astimezone(zone)
        resolved = row.resolved_at.astimezone(zone) if row.resolved_at else None
        facts.append(AlertFact(raised.date(), row.kind, row.title, raised, row.id, resolved))
    return tuple(facts)
