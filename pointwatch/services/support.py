"""Support: inquiries and their promises, settlements and reopening, and the evidence of one
expectation that `claim` and `history` present. The caller's transaction; `today`/`now` passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo

from sqlmodel import Session, select

from pointwatch.domain.claim import (
    ChannelAdvice,
    Claim,
    build_claim,
    claim_language,
    recommend_channel,
)
from pointwatch.domain.definitions import CONTACT_CHANNELS, Campaign, Issuer
from pointwatch.domain.entries import RecordedEntry
from pointwatch.domain.evidence import (
    AlertFact,
    Evidence,
    InquiryFact,
    MetCondition,
    PastSettlement,
    RelatedGrant,
)
from pointwatch.domain.expectations import Expectation, Rules
from pointwatch.domain.statuses import (
    CONFIRMED,
    RECEIVED,
    REFUNDED,
    SETTLEMENT_STATUS,
    Evaluation,
    Settlement,
)
from pointwatch.domain.support import SUBSTITUTES, Inquiry, promise_state
from pointwatch.domain.timeline import TimelineEvent, timeline
from pointwatch.domain.wording import date_text, month_text, status_word, substitute_word
from pointwatch.errors import Conflict, InputError
from pointwatch.i18n import _
from pointwatch.services.definitions import find_issuer, get_campaign
from pointwatch.services.enrollments import get_enrollment_row
from pointwatch.services.evaluation import evaluate_all
from pointwatch.store.alerts import AlertRow
from pointwatch.store.convert import inquiry_of, met_of, settlement_of
from pointwatch.store.point_in_time import existing_on, met_on
from pointwatch.store.queries import (
    get_expectation,
    load_inquiries,
    reopened_settlements,
)
from pointwatch.store.settlement_log import ReopenedSettlementRow
from pointwatch.store.tables import AccountRow, CoverageRow, EntryRow, InquiryRow, SettlementRow

SETTLEMENT_KINDS = tuple(SETTLEMENT_STATUS)  # substituted, forfeited, written_off


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
        raise InputError(_("inquiry times must carry a time zone"))
    joined = get_enrollment_row(session, expectation.enrollment).joined_on
    if at.date() < joined:
        raise InputError(
            _(
                "--at {at:%Y-%m-%d %H:%M}: before the enrollment {enrollment!r} joined on {joined}"
            ).format(at=at, enrollment=expectation.enrollment, joined=date_text(joined))
        )
    if promise_by is not None and promise_by <= at:
        raise InputError(
            _(
                "--promise-by {promise_by:%Y-%m-%d %H:%M}: the deadline is not after "
                "the inquiry ({at:%Y-%m-%d %H:%M})"
            ).format(promise_by=promise_by, at=at)
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
        raise InputError(
            _("--channel {channel!r}: expected one of {contact_channels}").format(
                channel=channel, contact_channels=", ".join(CONTACT_CHANNELS)
            )
        )


def check_promise(promise: str, has_deadline: bool) -> None:
    """A promise and its deadline come together: the deadline is what the follow-up watches."""
    if promise.strip() and not has_deadline:
        raise InputError(_("--promise needs --promise-by (a deadline like 5m, 3d or a date)"))
    if has_deadline and not promise.strip():
        raise InputError(_("--promise-by needs --promise (what was promised)"))


@dataclass(frozen=True)
class Outcomes:
    """What happened to every expectation by a day — the one computation behind each
    promise's state and each expectation's evidence (inquiry list, claim, history)."""

    evaluations: dict[str, Evaluation]
    resolved_on: dict[str, date]  # the day its payout (grants) or refund (waivers) is dated
    settled_on: dict[str, date]

    def promise_state(self, inquiry: Inquiry, now: datetime, zone: tzinfo) -> str:
        expectation = inquiry.expectation
        return promise_state(
            inquiry, self.resolved_on.get(expectation), now, zone, self.settled_on.get(expectation)
        )


def outcomes(session: Session, day: date, rules: Rules) -> Outcomes:
    """Every expectation as on `day`, with the dates its promises are judged by."""
    evaluations = {v.expectation.id: v for v in evaluate_all(session, day, rules)}
    resolving = {
        expectation_id: entry
        for expectation_id, v in evaluations.items()
        if (entry := v.refund if v.expectation.kind == "waiver" else v.entry) is not None
    }
    dates = _entry_dates(session, list(resolving.values()))
    return Outcomes(
        evaluations,
        {expectation_id: dates[entry] for expectation_id, entry in resolving.items()},
        {key: v.settlement.on for key, v in evaluations.items() if v.settlement is not None},
    )


def list_inquiries(
    session: Session,
    expectation_id: str | None,
    now: datetime,
    zone: tzinfo,
    rules: Rules,
    known: Outcomes | None = None,
) -> list[InquiryFact]:
    """Inquiries logged by `now` (all, or one expectation's), oldest first, each with its
    promise's state as on that day."""
    if expectation_id is not None:
        get_expectation(session, expectation_id)
    known = known or outcomes(session, now.date(), rules)
    return [
        InquiryFact(_local(inquiry, zone), known.promise_state(inquiry, now, zone))
        for inquiry in load_inquiries(session, expectation_id, until=now)
    ]


def _local(inquiry: Inquiry, zone: tzinfo) -> Inquiry:
    promise_by = inquiry.promise_by.astimezone(zone) if inquiry.promise_by else None
    return replace(inquiry, at=inquiry.at.astimezone(zone), promise_by=promise_by)


def _entry_dates(session: Session, entry_ids: list[int]) -> dict[int, date]:
    if not entry_ids:
        return {}
    columns = EntryRow.__table__.c
    query = select(columns.id, columns.date).where(columns.id.in_(entry_ids))
    return dict(session.execute(query).all())


# --- settlements ----------------------------------------------------------------------------


def settle(
    session: Session,
    expectation_id: str,
    kind: str,
    on: date,
    rules: Rules,
    substitute: str = "",
    amount: int = 0,
    note: str = "",
) -> Evaluation:
    """Close an expectation that ended differently; returns its evaluation afterwards."""
    expectation = get_expectation(session, expectation_id)
    existing = session.get(SettlementRow, expectation.id)
    if existing is not None:
        what = (
            _(" with {substitute}").format(substitute=substitute_word(existing.substitute))
            if existing.substitute
            else ""
        )
        raise Conflict(
            _(
                "expectation {id!r} is already settled ({kind}{what} on {on}); run "
                "`pointwatch reopen {id}` first"
            ).format(
                id=expectation.id,
                kind=status_word(existing.kind),
                what=what,
                on=date_text(existing.on),
            )  # fmt: skip
        )
    if kind not in SETTLEMENT_KINDS:
        raise InputError(
            _("settlement {kind!r}: expected one of {settlement_kinds}").format(
                kind=kind, settlement_kinds=", ".join(SETTLEMENT_KINDS)
            )
        )
    if kind == "substituted":
        check_substitute(substitute)
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InputError(
                _("--amount {amount!r}: expected a positive whole number").format(amount=amount)
            )
    else:
        if substitute or amount:
            raise InputError(
                _("a {kind} settlement takes no substitute or amount").format(
                    kind=status_word(kind)
                )
            )
        if kind == REFUNDED and expectation.kind != "waiver":
            raise InputError(
                _("--refunded: {id!r} is a grant; only a waived fee is refunded").format(
                    id=expectation.id
                )
            )
        if kind != REFUNDED and not note.strip():
            raise InputError(
                _("a {kind} settlement needs --reason (why it ended)").format(
                    kind=status_word(kind)
                )
            )
    joined = get_enrollment_row(session, expectation.enrollment).joined_on
    if on < joined:
        raise InputError(
            _("--as-of {on}: before the enrollment {enrollment!r} joined on {joined}").format(
                on=on.isoformat(), enrollment=expectation.enrollment, joined=date_text(joined)
            )
        )
    evaluation = status_of(session, expectation.id, on, rules)
    if evaluation.status in (RECEIVED, CONFIRMED):
        if evaluation.entry is not None:
            message = _("expectation {id!r} is {status} (entry {entry}): nothing to settle")
        else:
            message = _("expectation {id!r} is {status} (checked statement): nothing to settle")
        raise Conflict(
            message.format(
                id=expectation.id, status=status_word(evaluation.status), entry=evaluation.entry
            )
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
    return status_of(session, expectation.id, on, rules)


def check_substitute(substitute: str) -> None:
    if substitute not in SUBSTITUTES:
        raise InputError(
            _("--substituted-with {substitute!r}: expected one of {substitutes}").format(
                substitute=substitute, substitutes=", ".join(SUBSTITUTES)
            )
        )


def reopen(session: Session, expectation_id: str, on: date, reason: str = "") -> Settlement:
    """Undo a settlement (e.g. a coupon the user does not accept); it stays in the history."""
    expectation = get_expectation(session, expectation_id)
    row = session.get(SettlementRow, expectation.id)
    if row is None:
        raise Conflict(
            _("expectation {id!r} is not settled: nothing to reopen").format(id=expectation.id)
        )
    if on < row.on:
        raise InputError(
            _("--as-of {on}: before the settlement on {settled}").format(
                on=on.isoformat(), settled=date_text(row.on)
            )
        )
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


def status_of(session: Session, expectation_id: str, today: date, rules: Rules) -> Evaluation:
    """One expectation's evaluation (matching is global, so all are evaluated)."""
    return next(
        v for v in evaluate_all(session, today, rules) if v.expectation.id == expectation_id
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
