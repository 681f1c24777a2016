"""Claim and history: everything pointwatch knows about one expectation as on a day, the
message to send to support, and the timeline. Built on `support.outcomes`, the one computation
of every promise's state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlmodel import Session, select

from pointwatch.domain.claim import (
    ChannelAdvice,
    Claim,
    build_claim,
    claim_language,
    recommend_channel,
)
from pointwatch.domain.definitions import Campaign, Issuer
from pointwatch.domain.entries import RecordedEntry
from pointwatch.domain.evidence import (
    AlertFact,
    Evidence,
    MetCondition,
    PastSettlement,
    RelatedGrant,
)
from pointwatch.domain.expectations import Expectation, Rules
from pointwatch.domain.statuses import (
    CONFIRMED,
    RECEIVED,
    Evaluation,
)
from pointwatch.domain.timeline import TimelineEvent, timeline
from pointwatch.domain.wording import date_text, month_text, status_word
from pointwatch.errors import Conflict
from pointwatch.i18n import _
from pointwatch.services.definitions import find_issuer, get_campaign
from pointwatch.services.enrollments import get_enrollment_row
from pointwatch.services.support import Outcomes, list_inquiries, outcomes
from pointwatch.store.alerts import AlertRow
from pointwatch.store.convert import met_of
from pointwatch.store.point_in_time import existing_on, met_on
from pointwatch.store.queries import (
    get_expectation,
    reopened_settlements,
)
from pointwatch.store.tables import AccountRow, CoverageRow, EntryRow


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
    rules: Rules,
) -> tuple[Evidence, Evaluation, Campaign]:
    """Everything pointwatch knows about one expectation, as it stood on `today` (`now` is
    the end of that day): nothing recorded, met, settled, logged or raised later counts."""
    get_expectation(session, expectation_id)  # a clear error for an unknown id
    known = outcomes(session, today, rules)
    evaluation = known.evaluations[expectation_id]
    expectation = evaluation.expectation  # as on `today`: conditions met by then
    enrollment = get_enrollment_row(session, expectation.enrollment)
    campaign = get_campaign(session, expectation.campaign)
    account = session.exec(select(AccountRow).where(AccountRow.name == expectation.account)).one()
    covered_on = _covered_on(session, account, expectation, today)
    evidence = Evidence(
        expectation=expectation,
        campaign_name=campaign.name,
        issuer=campaign.issuer,
        joined=enrollment.joined_on,
        as_of=today,
        status=evaluation.status,
        days_late=evaluation.days_late,
        grace=_grace_days(evaluation.expectation),
        terms_url=campaign.terms_url,
        entitlement_text=_entitlement_text(campaign, expectation),
        account_kind=account.kind,
        period=campaign.period,
        conditions=_conditions(campaign, expectation, met_on(met_of(enrollment.met), today)),
        entry=_entry(session, evaluation.entry),
        covered=covered_on is not None,
        covered_on=covered_on,
        settlement=evaluation.settlement,
        reopened=tuple(
            PastSettlement(settlement, reopened_on, reason)
            for settlement, reopened_on, reason in reopened_settlements(
                session, expectation.id, today
            )
        ),
        inquiries=tuple(list_inquiries(session, expectation.id, now, zone, rules, known)),
        related=_related(known, expectation, campaign),
        alerts=alert_facts(session, expectation.id, zone, now),
    )
    return evidence, evaluation, campaign


def draft_claim(
    session: Session,
    expectation_id: str,
    lang: str | None,
    today: date,
    now: datetime,
    zone: tzinfo,
    rules: Rules,
) -> ClaimDraft:
    """The message to send to support, and which channel to send it by."""
    evidence, evaluation, campaign = gather_evidence(
        session, expectation_id, today, now, zone, rules
    )
    if evaluation.status in (RECEIVED, CONFIRMED):
        proof = (
            _("entry {id} on {day}").format(
                id=evidence.entry.id, day=date_text(evidence.entry.date)
            )
            if evidence.entry is not None
            else _("statement {month} checked").format(
                month=month_text(evidence.expectation.statement)
            )
        )
        raise Conflict(
            _("expectation {id!r} is {status} ({proof}): nothing to claim").format(
                id=expectation_id, status=status_word(evaluation.status), proof=proof
            )
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
    rules: Rules,
) -> History:
    """The whole timeline of one expectation, oldest first."""
    evidence, evaluation, _ = gather_evidence(session, expectation_id, today, now, zone, rules)
    return History(evidence, evaluation, timeline(evidence))


def _grace_days(expectation: Expectation) -> int:
    """The grace a grant gets after its window (its own, else the configured one)."""
    if expectation.late_after is None or expectation.window is None:
        return 0
    return (expectation.late_after - expectation.window.end).days


def _entitlement_text(campaign: Campaign, expectation: Expectation) -> str:
    entitlements = campaign.grants if expectation.kind == "grant" else campaign.waivers
    return next((item.text for item in entitlements if item.id == expectation.entitlement), "")


def _conditions(
    campaign: Campaign, expectation: Expectation, met: Mapping[str, date]
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
            met.get(condition),
        )
        for condition in required
    )


def _covered_on(
    session: Session, account: AccountRow, expectation: Expectation, day: date
) -> date | None:
    """The day the waiver's statement was imported or checked in full (None: not by `day`)."""
    if expectation.statement is None:
        return None
    row = session.exec(
        select(CoverageRow).where(
            CoverageRow.account_id == account.id,
            CoverageRow.statement == str(expectation.statement),
            existing_on("coverage", day),
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
    known: Outcomes, expectation: Expectation, campaign: Campaign
) -> tuple[RelatedGrant, ...]:
    """Other grants of the same enrollment that arrived: proof the enrollment is recognised."""
    if expectation.kind != "grant":
        return ()
    texts = {grant.id: grant.text for grant in campaign.grants}
    return tuple(
        RelatedGrant(
            v.expectation.entitlement,
            v.expectation.amount,
            v.expectation.unit,
            on,
            texts.get(v.expectation.entitlement, ""),
        )  # fmt: skip
        for v in known.evaluations.values()
        if v.expectation.enrollment == expectation.enrollment
        and v.expectation.id != expectation.id
        and v.expectation.kind == "grant"
        and v.status == RECEIVED
        and (on := known.resolved_on.get(v.expectation.id)) is not None
    )


def alert_facts(
    session: Session, expectation_id: str, zone: tzinfo, now: datetime
) -> tuple[AlertFact, ...]:
    """Alerts the daily run raised about one expectation by `now` (one resolved later is
    still open then)."""
    from sqlalchemy import inspect

    if not inspect(session.connection()).has_table(AlertRow.__tablename__):
        return ()  # a database made before alerts existed, and `remind` never ran on it
    columns = AlertRow.__table__.c
    query = (
        select(AlertRow)
        .where(columns.expectation_id == expectation_id, columns.raised_at <= now)
        .order_by(columns.id)
    )
    facts = []
    for row in session.exec(query).all():
        raised = row.raised_at.astimezone(zone)
        resolved_at = row.resolved_at if row.resolved_at and row.resolved_at <= now else None
        resolved = resolved_at.astimezone(zone) if resolved_at else None
        facts.append(AlertFact(raised.date(), row.kind, row.title, raised, row.id, resolved))
    return tuple(facts)
