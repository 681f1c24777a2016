"""The whole story of one expectation, oldest first, from its evidence (English, like the rest
of the command line)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pointwatch.domain.evidence import Evidence, InquiryFact
from pointwatch.domain.phrases import amount_words, moment_text, phrases, substitute_phrase
from pointwatch.domain.statuses import Settlement
from pointwatch.domain.support import PENDING, usability

# Within one day: events known only by their day come first ("start") or last ("end"); events
# with a time of day sit between, in time order; then by rank, then in the order built.
EVENT_PLACE: dict[str, tuple[int, int]] = {
    "joined": (0, 0),
    "condition_met": (0, 1),
    "window_start": (0, 2),
    "statement_period": (0, 2),
    "entry": (0, 3),
    "statement_checked": (0, 3),
    "late": (0, 4),
    "inquiry": (1, 0),
    "promise": (1, 1),
    "alert": (2, 5),
    "alert_resolved": (2, 7),
    "settled": (2, 6),
    "reopened": (2, 6),
    "statement_closing": (2, 8),
    "window_end": (2, 9),
    "statement_ready": (2, 9),
    "payment": (2, 10),
}
# An alert is resolved by the first run after what resolved it (an entry, a settlement), so it
# sorts after that day's settlements even when the run's time of day is known.
ORDER_BY_DAY_ONLY = frozenset({"alert_resolved"})


@dataclass(frozen=True)
class TimelineEvent:
    day: date
    kind: str
    text: str
    at: datetime | None = None  # a moment in the user's time zone, when the time is known
    data: Mapping[str, Any] = field(default_factory=dict)


def order_timeline(events: Iterable[TimelineEvent]) -> list[TimelineEvent]:
    """Oldest first; ties on one day are broken as EVENT_PLACE says, then by input order."""

    def key(item: tuple[int, TimelineEvent]) -> tuple:
        index, event = item
        phase, rank = EVENT_PLACE.get(event.kind, (2, 5))
        timed = event.at is not None and event.kind not in ORDER_BY_DAY_ONLY
        if timed:
            phase = 1
        moment = event.at.time() if timed and event.at is not None else datetime.min.time()
        return (event.day, phase, moment, rank, index)

    return [event for _, event in sorted(enumerate(events), key=key)]


def timeline(evidence: Evidence) -> list[TimelineEvent]:
    """The whole story of one expectation, oldest first."""
    e = evidence.expectation
    events = [
        TimelineEvent(
            evidence.joined,
            "joined",
            f"joined {e.campaign} (enrollment {e.enrollment})",
            data={"enrollment": e.enrollment, "campaign": e.campaign},
        )
    ]
    for condition in evidence.conditions:
        if condition.on is not None:
            events.append(
                TimelineEvent(
                    condition.on,
                    "condition_met",
                    f"condition met: {condition.text} ({condition.id})",
                    data={"condition": condition.id},
                )
            )
    events.extend(_schedule_events(evidence))
    if evidence.entry is not None:
        entry = evidence.entry
        what = "fee charged" if e.kind == "waiver" else "received"
        where = f", statement {entry.statement}" if entry.statement else ""
        events.append(
            TimelineEvent(
                entry.date,
                "entry",
                f"{what}: entry {entry.id} on {e.account}, "
                f"{amount_words(abs(entry.amount), e.unit, 'en')} “{entry.description}”{where}",
                data={"entry": entry.id, "amount": entry.amount, "description": entry.description},
            )
        )
    if evidence.covered_on is not None and e.kind == "waiver":
        verdict = "the fee was charged" if evidence.entry is not None else "no such fee"
        events.append(
            TimelineEvent(
                evidence.covered_on,
                "statement_checked",
                f"statement {e.statement} of {e.account} checked in full: {verdict}",
            )
        )
    if (late_since := evidence.late_since) is not None:
        events.append(
            TimelineEvent(
                late_since,
                "late",
                f"late: nothing received by {e.due} + {evidence.grace} days of grace",
                data={"due": e.due.isoformat() if e.due else None, "grace": evidence.grace},
            )
        )
    for alert in evidence.alerts:
        data = {"alert": alert.id, "alert_kind": alert.kind}
        events.append(
            TimelineEvent(
                alert.day, "alert", f"alert raised: {alert.message}", at=alert.at, data=data
            )
        )
        if alert.resolved_at is not None:
            events.append(
                TimelineEvent(
                    alert.resolved_at.date(),
                    "alert_resolved",
                    f"alert {alert.kind} resolved (no longer raised by the daily run)",
                    at=alert.resolved_at,
                    data=data,
                )
            )
    for fact in evidence.inquiries:
        events.extend(_inquiry_events(fact))
    for past in evidence.reopened:
        events.append(_settled_event(past.settlement, e.unit, e.amount))
        reason = f": {past.reason}" if past.reason else ""
        events.append(
            TimelineEvent(
                past.reopened_on,
                "reopened",
                f"reopened: the {past.settlement.kind} settlement was not accepted{reason}",
                data={"reason": past.reason},
            )
        )
    if evidence.settlement is not None:
        events.append(_settled_event(evidence.settlement, e.unit, e.amount))
    return order_timeline(events)


def _schedule_events(evidence: Evidence) -> list[TimelineEvent]:
    e = evidence.expectation
    owed = amount_words(e.amount, e.unit, "en")
    if e.kind == "waiver":
        statement = str(e.statement)
        events = []
        if e.closing_date is not None:
            events.append(
                TimelineEvent(
                    e.closing_date,
                    "statement_closing",
                    f"statement {statement} of {e.account} closes ({owed} must not be on it)",
                )
            )
        if e.ready_date is not None:
            events.append(
                TimelineEvent(
                    e.ready_date, "statement_ready", f"statement {statement} amount is fixed"
                )
            )
        if e.payment_date is not None:
            events.append(
                TimelineEvent(e.payment_date, "payment", f"statement {statement} is debited")
            )
        return events
    if e.window is None:
        return []
    return [
        TimelineEvent(
            e.window.start, "window_start", f"window opens: {owed} expected into {e.account}"
        ),
        TimelineEvent(e.window.end, "window_end", f"window closes (due date): {owed}"),
    ]


def _inquiry_events(fact: InquiryFact) -> list[TimelineEvent]:
    inquiry = fact.inquiry
    agent = f" (agent {inquiry.agent})" if inquiry.agent else ""
    summary = f": {inquiry.summary}" if inquiry.summary else ""
    promise = f"; promised “{inquiry.promise}”" if inquiry.promise else ""
    by = f" by {moment_text(inquiry.promise_by)}" if inquiry.promise_by else ""
    events = [
        TimelineEvent(
            inquiry.at.date(),
            "inquiry",
            f"inquiry by {inquiry.channel}{agent}{summary}{promise}{by}",
            at=inquiry.at,
            data={"inquiry": inquiry.id, "channel": inquiry.channel},
        )
    ]
    if inquiry.promise_by is not None:
        state = fact.promise_state or PENDING
        verdict = phrases("en").word("promise_state", state)
        events.append(
            TimelineEvent(
                inquiry.promise_by.date(),
                "promise",
                f"promise deadline: “{inquiry.promise}” — {verdict}",
                at=inquiry.promise_by,
                data={"inquiry": inquiry.id, "promise_state": state},
            )
        )
    return events


def _settled_event(settlement: Settlement, unit: str, promised: int) -> TimelineEvent:
    note = f" — {settlement.note}" if settlement.note else ""
    data: dict[str, Any] = {"settlement_kind": settlement.kind}
    if settlement.kind == "substituted":
        verdict = usability(settlement.substitute, unit)
        received = substitute_phrase(settlement.substitute, settlement.amount, "en")
        text = (
            f"settled: substituted — received {received} for "
            f"{amount_words(promised, unit, 'en')} promised ({verdict.note}){note}"
        )
        data.update(
            substitute=settlement.substitute,
            amount=settlement.amount,
            usability=verdict.relative,
        )
    else:
        text = f"settled: {settlement.kind}{note}"
    return TimelineEvent(settlement.on, "settled", text, data=data)
