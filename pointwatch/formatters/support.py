"""Support: inquiries, settlements, claims and an expectation's history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pointwatch.domain.expectations import Expectation
from pointwatch.domain.texts import japanese, localized
from pointwatch.domain.timeline import timeline
from pointwatch.domain.wording import (
    amount_text,
    channel_word,
    date_text,
    days_text,
    moment_text,
    promise_state_word,
    status_word,
)
from pointwatch.formatters.base import cell_width, minutes, table
from pointwatch.formatters.expectations import expectation_json, usability_of
from pointwatch.i18n import N_, _, english, language, using, word

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
        by = moment_text(i.promise_by) if i.promise_by else ""
        if fact.promise_state:
            by = _("{by} ({state})").format(by=by, state=promise_state_word(fact.promise_state))
        rows.append((str(i.id), i.expectation, moment_text(i.at), channel_word(i.channel),
                     i.agent, i.summary, i.promise, by))  # fmt: skip
    return table(
        (N_("id"), N_("expectation"), N_("at"), N_("channel"), N_("agent"), N_("summary"),
         N_("promise"), N_("by")), rows,
        right=("id",), wrap=("agent", "summary", "promise", "by"),
    )  # fmt: skip


def settlement_sentence(e: Expectation, settlement: Settlement) -> str:
    """What was promised next to what was received, e.g. for `settle` and `history`."""
    from pointwatch.domain.phrases import substitute_phrase
    from pointwatch.domain.support import usability

    values = {
        "kind": status_word(settlement.kind), "on": date_text(settlement.on),
        "promised": amount_text(e.amount, e.unit),
    }  # fmt: skip
    note = _(" — {note}").format(note=settlement.note) if settlement.note else ""
    if settlement.kind != "substituted":
        return _("{kind} on {on}: {promised} promised, nothing received").format(**values) + note
    verdict = usability(settlement.substitute, e.unit)
    received = substitute_phrase(settlement.substitute, settlement.amount, language())
    return (
        _("{kind} on {on}: {promised} promised, received {received} ({verdict})").format(
            **values, received=received, verdict=verdict.note
        )
        + note
    )


def history_json(history: History) -> dict[str, Any]:
    evidence = history.evidence
    e = evidence.expectation
    events = []
    with using("en"):  # JSON never changes with the language
        english_events = timeline(evidence)
    for event in english_events:
        item = {"date": event.day.isoformat(), "at": minutes(event.at), "kind": event.kind}
        item["text"] = event.text
        item.update(event.data)
        events.append(item)
    return {
        **expectation_json(history.evaluation),
        "campaign_name": evidence.campaign_name,
        "campaign_name_ja": japanese(evidence.campaign_name),
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
    evaluation = history.evaluation
    values = {
        "day": date_text(evidence.as_of), "status": status_word(evaluation.status),
        "late": days_text(evaluation.days_late),
    }  # fmt: skip
    if evaluation.days_late:
        status = _("status as of {day}: {status}, {late} late").format(**values)
    else:
        status = _("status as of {day}: {status}").format(**values)
    name = localized(evidence.campaign_name)
    lines = [f"{e.id}: {amount_text(e.amount, e.unit)} — {name}", status]
    if evaluation.settlement is not None:
        lines.append(settlement_sentence(e, evaluation.settlement))
    for past in evidence.reopened:
        lines.append(
            _("earlier, reopened on {day}: {settlement}").format(
                day=date_text(past.reopened_on), settlement=settlement_sentence(e, past.settlement)
            )
        )
    lines.append("")
    events = [
        (moment_text(event.at) if event.at else date_text(event.day), event_word(event.kind), event)
        for event in history.events
    ]
    when_width = max((cell_width(when) for when, _kind, _event in events), default=16)
    kind_width = max((cell_width(kind) for _when, kind, _event in events), default=17)
    for when, kind, event in events:
        later = "  " + _("(ahead)") if event.day > evidence.as_of else ""
        lines.append(
            f"{_padded(when, max(when_width, 16))}  {_padded(kind, max(kind_width, 17))}  "
            f"{event.text}{later}"
        )
    return lines


def _padded(text: str, width: int) -> str:
    return text + " " * (width - cell_width(text))


EVENT_WORDS = {
    "joined": N_("joined"), "condition_met": N_("condition_met"),
    "window_start": N_("window_start"), "window_end": N_("window_end"),
    "statement_closing": N_("statement_closing"), "statement_ready": N_("statement_ready"),
    "payment": N_("payment"), "entry": N_("entry"), "statement_checked": N_("statement_checked"),
    "late": N_("late"), "alert": N_("alert"), "alert_resolved": N_("alert_resolved"),
    "inquiry": N_("inquiry"), "promise": N_("promise"), "settled": N_("settled"),
    "reopened": N_("reopened"),
}  # fmt: skip


def event_word(kind: str) -> str:
    """A timeline event's kind as people read it (joined, 参加)."""
    return word(EVENT_WORDS, kind)


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
            "advice": english(lambda: advice.text),  # JSON never changes with the language
        },
    }
