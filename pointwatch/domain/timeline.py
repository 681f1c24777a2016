"""The whole story of one expectation, oldest first, from its evidence, worded in the language in
use (`history --json` builds it in English)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pointwatch.domain.evidence import Evidence, InquiryFact
from pointwatch.domain.phrases import amount_words, phrases, substitute_phrase
from pointwatch.domain.statuses import Settlement
from pointwatch.domain.support import PENDING, usability
from pointwatch.domain.texts import localized
from pointwatch.domain.wording import (
    alert_kind_word,
    channel_word,
    date_text,
    days_text,
    moment_text,
    month_text,
    statement_name,
    status_word,
)
from pointwatch.i18n import _, language

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
            _("joined {campaign} (enrollment {enrollment})").format(
                campaign=e.campaign, enrollment=e.enrollment
            ),
            data={"enrollment": e.enrollment, "campaign": e.campaign},
        )
    ]
    for condition in evidence.conditions:
        if condition.on is not None:
            events.append(
                TimelineEvent(
                    condition.on,
                    "condition_met",
                    _("condition met: {text} ({id})").format(
                        text=localized(condition.text), id=condition.id
                    ),
                    data={"condition": condition.id},
                )
            )
    events.extend(_schedule_events(evidence))
    if evidence.entry is not None:
        entry = evidence.entry
        values = {
            "id": entry.id, "account": e.account, "memo": entry.description,
            "amount": amount_words(abs(entry.amount), e.unit, language()),
            "statement": statement_name(entry.statement, e.account),
        }  # fmt: skip
        if e.kind == "waiver" and entry.statement:
            text = _("fee charged: entry {id}, {amount} “{memo}” on {statement}")
        elif e.kind == "waiver":
            text = _("fee charged: entry {id} on {account}, {amount} “{memo}”")
        elif entry.statement:
            text = _("received: entry {id}, {amount} “{memo}” on {statement}")
        else:
            text = _("received: entry {id} on {account}, {amount} “{memo}”")
        events.append(
            TimelineEvent(
                entry.date,
                "entry",
                text.format(**values),
                data={"entry": entry.id, "amount": entry.amount, "description": entry.description},
            )
        )
    if evidence.covered_on is not None and e.kind == "waiver":
        if evidence.entry is not None:
            text = _("{statement} checked in full: the fee was charged")
        else:
            text = _("{statement} checked in full: no such fee")
        events.append(
            TimelineEvent(
                evidence.covered_on,
                "statement_checked",
                text.format(statement=statement_name(e.statement, e.account)),
            )
        )
    if (late_since := evidence.late_since) is not None:
        events.append(
            TimelineEvent(
                late_since,
                "late",
                _("late: nothing received by {due} + {grace} of grace").format(
                    due=date_text(e.due), grace=days_text(evidence.grace)
                ),
                data={"due": e.due.isoformat() if e.due else None, "grace": evidence.grace},
            )
        )
    for alert in evidence.alerts:
        data = {"alert": alert.id, "alert_kind": alert.kind}
        events.append(
            TimelineEvent(
                alert.day,
                "alert",
                _("alert raised: {message}").format(message=alert.message),
                at=alert.at,
                data=data,
            )
        )
        if alert.resolved_at is not None:
            events.append(
                TimelineEvent(
                    alert.resolved_at.date(),
                    "alert_resolved",
                    _("alert {kind} resolved (no longer raised by the daily run)").format(
                        kind=alert_kind_word(alert.kind)
                    ),
                    at=alert.resolved_at,
                    data=data,
                )
            )
    for fact in evidence.inquiries:
        events.extend(_inquiry_events(fact))
    for past in evidence.reopened:
        events.append(_settled_event(past.settlement, e.unit, e.amount))
        if past.reason:
            text = _("reopened: the {kind} settlement was not accepted: {reason}")
        else:
            text = _("reopened: the {kind} settlement was not accepted")
        events.append(
            TimelineEvent(
                past.reopened_on,
                "reopened",
                text.format(kind=status_word(past.settlement.kind), reason=past.reason),
                data={"reason": past.reason},
            )
        )
    if evidence.settlement is not None:
        events.append(_settled_event(evidence.settlement, e.unit, e.amount))
    return order_timeline(events)


def _schedule_events(evidence: Evidence) -> list[TimelineEvent]:
    e = evidence.expectation
    owed = amount_words(e.amount, e.unit, language())
    if e.kind == "waiver":
        statement = month_text(e.statement)
        events = []
        if e.closing_date is not None:
            text = _("statement {month} of {account} closes ({amount} must not be on it)")
            events.append(
                TimelineEvent(
                    e.closing_date,
                    "statement_closing",
                    text.format(month=statement, account=e.account, amount=owed),
                )
            )
        if e.ready_date is not None:
            text = _("statement {month} amount is fixed").format(month=statement)
            events.append(TimelineEvent(e.ready_date, "statement_ready", text))
        if e.payment_date is not None:
            text = _("statement {month} is debited").format(month=statement)
            events.append(TimelineEvent(e.payment_date, "payment", text))
        return events
    if e.window is None:
        return []
    opens = _("window opens: {amount} expected into {account}").format(
        amount=owed, account=e.account
    )
    closes = _("window closes (due date): {amount}").format(amount=owed)
    return [
        TimelineEvent(e.window.start, "window_start", opens),
        TimelineEvent(e.window.end, "window_end", closes),
    ]


def _inquiry_events(fact: InquiryFact) -> list[TimelineEvent]:
    inquiry = fact.inquiry
    text = _("inquiry by {channel}").format(channel=channel_word(inquiry.channel))
    if inquiry.agent:
        text += _(" (agent {agent})").format(agent=inquiry.agent)
    if inquiry.summary:
        text += _(": {summary}").format(summary=inquiry.summary)
    if inquiry.promise:
        text += _("; promised “{promise}”").format(promise=inquiry.promise)
    if inquiry.promise_by:
        text += _(" by {moment}").format(moment=moment_text(inquiry.promise_by))
    events = [
        TimelineEvent(
            inquiry.at.date(),
            "inquiry",
            text,
            at=inquiry.at,
            data={"inquiry": inquiry.id, "channel": inquiry.channel},
        )
    ]
    if inquiry.promise_by is not None:
        state = fact.promise_state or PENDING
        verdict = phrases(language()).word("promise_state", state)
        events.append(
            TimelineEvent(
                inquiry.promise_by.date(),
                "promise",
                _("promise deadline: “{promise}” — {verdict}").format(
                    promise=inquiry.promise, verdict=verdict
                ),
                at=inquiry.promise_by,
                data={"inquiry": inquiry.id, "promise_state": state},
            )
        )
    return events


def _settled_event(settlement: Settlement, unit: str, promised: int) -> TimelineEvent:
    note = _(" — {note}").format(note=settlement.note) if settlement.note else ""
    data: dict[str, Any] = {"settlement_kind": settlement.kind}
    lang = language()
    if settlement.kind == "substituted":
        verdict = usability(settlement.substitute, unit)
        text = _("settled: substituted — received {received} for {amount} promised ({verdict})")
        text = text.format(
            received=substitute_phrase(settlement.substitute, settlement.amount, lang),
            amount=amount_words(promised, unit, lang),
            verdict=verdict.note,
        )
        data.update(
            substitute=settlement.substitute,
            amount=settlement.amount,
            usability=verdict.relative,
        )
    else:
        text = _("settled: {kind}").format(kind=status_word(settlement.kind))
    text += note
    return TimelineEvent(settlement.on, "settled", text, data=data)
