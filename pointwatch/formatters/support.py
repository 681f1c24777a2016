"""Support: inquiries, settlements, claims and an expectation's history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pointwatch.domain.expectations import Expectation
from pointwatch.domain.wording import amount_text
from pointwatch.formatters.base import minutes, table
from pointwatch.formatters.expectations import expectation_json, usability_of

if TYPE_CHECKING:
    from pointwatch.domain.evidence import InquiryFact
    from pointwatch.domain.statuses import Settlement
    from pointwatch.services.support import ClaimDraft, History


def inquiry_json(fact: InquiryFact) -> dict[str, Any]:
    inquiry = fact.inquiry
    return {
        "id": inquiry.id,
        "expectation": inquiry.expectation,
        "channel": inquiry.channel,
        "at": minutes(inquiry.at),
        "agent": inquiry.agent,
        "summary": inquiry.summary,
        "promise": inquiry.promise,
        "promise_by": minutes(inquiry.promise_by),
        "promise_state": fact.promise_state or None,
    }


def inquiries_table(facts: Iterable[InquiryFact]):
    rows = []
    for fact in facts:
        i = fact.inquiry
        by = i.promise_by.strftime("%Y-%m-%d %H:%M") if i.promise_by else ""
        state = f" ({fact.promise_state})" if fact.promise_state else ""
        rows.append((str(i.id), i.expectation, i.at.strftime("%Y-%m-%d %H:%M"), i.channel,
                     i.agent, i.summary, i.promise, by + state))  # fmt: skip
    return table(
        ("id", "expectation", "at", "channel", "agent", "summary", "promise", "by"), rows,
        right=("id",), wrap=("agent", "summary", "promise", "by"),
    )  # fmt: skip


def settlement_sentence(e: Expectation, settlement: Settlement) -> str:
    """What was promised next to what was received, e.g. for `settle` and `history`."""
    from pointwatch.domain.phrases import substitute_phrase
    from pointwatch.domain.support import usability

    promised = amount_text(e.amount, e.unit)
    note = f" — {settlement.note}" if settlement.note else ""
    if settlement.kind != "substituted":
        return f"{settlement.kind} on {settlement.on}: {promised} promised, nothing received{note}"
    verdict = usability(settlement.substitute, e.unit)
    received = substitute_phrase(settlement.substitute, settlement.amount, "en")
    return (
        f"substituted on {settlement.on}: {promised} promised, received {received} "
        f"({verdict.note}){note}"
    )


def history_json(history: History) -> dict[str, Any]:
    evidence = history.evidence
    e = evidence.expectation
    events = []
    for event in history.events:
        item = {"date": event.day.isoformat(), "at": minutes(event.at), "kind": event.kind}
        item["text"] = event.text
        item.update(event.data)
        events.append(item)
    return {
        **expectation_json(history.evaluation),
        "campaign_name": evidence.campaign_name,
        "issuer": evidence.issuer,
        "joined": evidence.joined.isoformat(),
        "as_of": evidence.as_of.isoformat(),
        "reopened": [
            {
                "kind": past.settlement.kind,
                "on": past.settlement.on.isoformat(),
                "substitute": past.settlement.substitute or None,
                "amount": past.settlement.amount,
                "note": past.settlement.note,
                "usability": usability_of(past.settlement, e.unit),
                "reopened_on": past.reopened_on.isoformat(),
                "reason": past.reason,
            }
            for past in evidence.reopened
        ],
        "events": events,
    }


def history_lines(history: History) -> list[str]:
    evidence = history.evidence
    e = evidence.expectation
    late = f", {history.evaluation.days_late} days late" if history.evaluation.days_late else ""
    lines = [
        f"{e.id}: {amount_text(e.amount, e.unit)} — {evidence.campaign_name}",
        f"status as of {evidence.as_of}: {history.evaluation.status}{late}",
    ]
    if history.evaluation.settlement is not None:
        lines.append(settlement_sentence(e, history.evaluation.settlement))
    for past in evidence.reopened:
        lines.append(
            f"earlier, reopened on {past.reopened_on}: {settlement_sentence(e, past.settlement)}"
        )
    lines.append("")
    for event in history.events:
        when = event.at.strftime("%Y-%m-%d %H:%M") if event.at else event.day.isoformat()
        later = "  (ahead)" if event.day > evidence.as_of else ""
        lines.append(f"{when:<16}  {event.kind:<17}  {event.text}{later}")
    return lines


def claim_json(expectation_id: str, draft: ClaimDraft) -> dict[str, Any]:
    """A claim draft for `claim --json`: the message and the channel advice."""
    advice = draft.advice
    return {
        "expectation": expectation_id,
        "language": draft.claim.language,
        "subject": draft.claim.subject,
        "body": draft.claim.body,
        "channel": {
            "use": list(advice.use),
            "avoid": list(advice.avoid),
            "contact": advice.contact,
            "advice": advice.text,
        },
    }
