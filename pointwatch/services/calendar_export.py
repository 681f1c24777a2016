"""`pointwatch export ics`: check dates and due dates as an iCalendar file.

One all-day event per expectation that has a date: a waiver's statement check on the day the
statement is fixed (its `ready_date`), a grant on its due date (the window's end). UIDs derive
from the expectation id only, so importing a newer export updates the same events instead of
adding copies; an expectation that was settled since is exported as cancelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from pointwatch.domain.alerts import CampaignInfo
from pointwatch.domain.expectations import Rules
from pointwatch.domain.next_step import record_command
from pointwatch.domain.statuses import Evaluation
from pointwatch.domain.wording import (
    amount_text,
    date_text,
    month_text,
    status_word,
    visible,
    visible_cell,
    where_to_look,
)
from pointwatch.i18n import _
from pointwatch.services.evaluation import evaluate_all
from pointwatch.services.lookups import campaign_infos

UID_DOMAIN = "pointwatch"
PRODID = "-//pointwatch//pointwatch reminders//EN"


def export_ics(session: Session, now: datetime, rules: Rules) -> tuple[bytes, int]:
    """The calendar for every expectation, evaluated at `now`; returns (ics bytes, events)."""

    evaluations = evaluate_all(session, now.date(), rules)
    return build_calendar(evaluations, now, campaign_infos(session, evaluations))


def event_uid(kind: str, expectation_id: str) -> str:
    """Stable across exports: `check/<expectation>@pointwatch` or `due/<expectation>@…`."""
    return f"{kind}/{expectation_id}@{UID_DOMAIN}"


def build_calendar(
    evaluations: Sequence[Evaluation],
    now: datetime,
    campaigns: Mapping[str, CampaignInfo],
) -> tuple[bytes, int]:
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "pointwatch")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    count = 0
    for evaluation in evaluations:
        event_data = _event_data(evaluation, campaigns)
        if event_data is None:
            continue
        uid, day, summary, description = event_data
        # RFC 5545 TEXT allows no control characters: data-borne ones travel escaped.
        summary, description = visible_cell(summary), visible(description)
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        event.add("summary", summary)
        event.add("description", description)
        event.add("categories", ["pointwatch"])
        if evaluation.is_open:
            event.add("status", "CONFIRMED")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", timedelta(hours=9))  # 09:00 on the day
            event.add_component(alarm)
        else:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
        count += 1
    return calendar.to_ical(), count


def _event_data(
    evaluation: Evaluation, campaigns: Mapping[str, CampaignInfo]
) -> tuple[str, object, str, str] | None:
    e = evaluation.expectation
    info = campaigns.get(e.campaign) or CampaignInfo(e.campaign, e.campaign)
    amount = amount_text(e.amount, e.unit)
    settled = "" if evaluation.is_open else f" [{status_word(evaluation.status)}]"
    if e.kind == "waiver":
        if e.ready_date is None:
            return None
        fee = info.fees.get(e.entitlement) or e.entitlement.replace("-", " ")
        keywords = (
            _(" ({keywords})").format(keywords=_(", ").join(e.keywords)) if e.keywords else ""
        )
        summary = _("Check {account} statement {month}: no {fee}").format(
            account=e.account, month=month_text(e.statement), fee=fee
        )
        description = "\n".join([
            _("{campaign}: the {fee} of {amount} must NOT be charged.").format(
                campaign=info.name, fee=fee, amount=amount
            ),
            _(
                "Open the {month} statement of {account}, fixed on {ready} and debited "
                "{payment}, look for the {fee}{keywords}, then run `{command}`."
            ).format(
                month=month_text(e.statement), account=e.account, ready=date_text(e.ready_date),
                payment=date_text(e.payment_date), fee=fee, keywords=keywords,
                command=f"pointwatch checked {e.account} {e.statement}",
            ),
            _("Expectation: {id}").format(id=e.id),
        ])  # fmt: skip
        return event_uid("check", e.id), e.ready_date, summary + settled, description
    if e.window is None:  # waiting for a condition: no date yet
        return None
    summary = _("Due: {amount} from {issuer} into {account}").format(
        amount=amount, issuer=info.issuer, account=e.account
    )
    summary += settled
    description = "\n".join([
        f"{info.name} ({e.entitlement}): {amount}.",
        _("Where to look: {place}.").format(place=where_to_look(e)),
        _("Late after {day}; if it came, record it: `{command}`.").format(
            day=date_text(e.late_after),
            command=record_command(e),
        ),
        _("Expectation: {id}").format(id=e.id),
    ])  # fmt: skip
    return event_uid("due", e.id), e.window.end, summary, description
