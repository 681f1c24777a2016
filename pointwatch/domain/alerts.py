"""Alerts: what the daily run tells the user, and when it tells them again.

Pure: evaluations, inquiries and "now" come in; `Alert` values and delivery decisions go out.

An alert is identified by a stable key (``late:gift/recipient``), so the store can tell a new
alert from one already delivered. Its `facts` fingerprint holds only what should make the user
hear about it again (amount, status, due dates, which entry charged the fee, what support
promised) — never a day counter, or every alert would be "changed" every day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from pointwatch.domain.alert_builders import (
    _check_statement,
    _condition_drafts,
    _expiring,
    _fee_charged,
    _follow_ups,
    _late,
    _upcoming_check,
)
from pointwatch.domain.alert_types import (
    ALERT_KINDS,
    CHANGED,
    CHECK_STATEMENT,
    CONDITION_AT_RISK,
    EXPIRING,
    FEE_CHARGED_KIND,
    FOLLOW_UP,
    LATE_KIND,
    NEW,
    RENOTIFY,
    RETRY,
    SNOOZE_ENDED,
    UPCOMING_CHECK,
    Alert,
    CampaignInfo,
    DeliveryState,
    Draft,
    alert_key,
)
from pointwatch.domain.entries import RecordedEntry
from pointwatch.domain.statuses import (
    AWAITING_CONDITION,
    CHECK,
    DUE,
    FEE_CHARGED,
    LATE,
    RECEIVED,
    UPCOMING,
    Evaluation,
)
from pointwatch.domain.support import Inquiry


def alert_drafts(
    evaluations: Iterable[Evaluation],
    inquiries: Iterable[Inquiry],
    now: datetime,
    *,
    upcoming_days: int,
    campaigns: Mapping[str, CampaignInfo] | None = None,
    entries: Mapping[int, RecordedEntry] | None = None,
    expiry_days: int = 14,
) -> list[Draft]:
    """Every alert whose condition holds at `now`, most urgent kind first, before its wording.

    - late: a grant past its due date plus grace with nothing received;
    - fee_charged: a waived fee found on the expected statement (or the next);
    - check_statement: a waiver's statement is fixed (ready) and nobody checked it yet;
    - upcoming_check: a grant window closes, or an unchecked waiver statement is debited,
      within `upcoming_days`;
    - follow_up: support promised something by a deadline that passed, the expectation is
      still open and no contact was logged since the deadline;
    - condition_at_risk: a grant's required condition is unmet and its deadline is within
      `upcoming_days`;
    - check_statement (for a grant): a required condition's deadline passed unmet while
      statements that could hold its entries are not covered yet (from the day the first of
      them is fixed) — the grant is not forfeited on missing data;
    - expiring: received points expire within `expiry_days`.

    The daily run renders (`Draft.render`) only the alerts it sends or stores anew: thousands
    of quiet alerts keep the text stored when they were raised.
    """
    campaigns = campaigns or {}
    entries = entries or {}
    today = now.date()
    drafts: list[Draft] = []
    open_by_id: dict[str, Evaluation] = {}
    for evaluation in evaluations:
        e = evaluation.expectation
        status = evaluation.status
        if evaluation.is_open:
            open_by_id[e.id] = evaluation
        if status not in _ALERTING:
            continue
        info = campaigns.get(e.campaign) or CampaignInfo(e.campaign, e.campaign)
        if status == LATE:
            drafts.append(_late(evaluation, info))
        elif status == FEE_CHARGED:
            drafts.append(_fee_charged(evaluation, info, entries.get(evaluation.entry or -1)))
        elif status == CHECK:
            drafts.append(_check_statement(evaluation, info))
        elif status == AWAITING_CONDITION:
            drafts.extend(_condition_drafts(evaluation, info, today, upcoming_days))
        elif status == RECEIVED:
            drafts.extend(_expiring(evaluation, info, today, expiry_days))
        upcoming = _upcoming_check(evaluation, info, today, upcoming_days)
        if upcoming is not None:
            drafts.append(upcoming)
    drafts.extend(_follow_ups(list(inquiries), open_by_id, campaigns, now))
    order = {kind: index for index, kind in enumerate(ALERT_KINDS)}
    return sorted(drafts, key=lambda a: (order[a.kind], a.expectation, a.key))


# Statuses that can raise an alert of their own (follow-ups look at every open expectation).
_ALERTING = frozenset({LATE, FEE_CHARGED, CHECK, UPCOMING, DUE, AWAITING_CONDITION, RECEIVED})


def delivery_reason(
    facts: str, state: DeliveryState | None, now: datetime, renotify_days: int
) -> str | None:
    """Why this alert must be delivered at `now`, or None to stay quiet.

    An acknowledgement or a snooze holds only for the facts the user saw: when the facts change,
    the alert is delivered again. Otherwise: new → deliver; an unfinished delivery round (a
    channel failed) → retry; a snooze that ended since the last delivery → deliver; and again
    every `renotify_days` until acknowledged or resolved.
    """
    state = state or DeliveryState()
    answered_these_facts = state.ack_facts == facts
    if state.acked_at is not None and answered_these_facts:
        return None
    snoozed = state.snoozed_until is not None and answered_these_facts
    if snoozed and now < state.snoozed_until:  # type: ignore[operator]
        return None
    if state.pending_since is not None:
        return RETRY
    if state.delivered_at is None:
        return NEW
    if state.delivered_facts != facts:
        return CHANGED
    if snoozed and state.delivered_at < state.snoozed_until:  # type: ignore[operator]
        return SNOOZE_ENDED
    if now >= state.delivered_at + timedelta(days=renotify_days):
        return RENOTIFY
    return None


def is_open(state: DeliveryState, facts: str, now: datetime) -> bool:
    """An unresolved alert the user has neither acknowledged nor snoozed (for `remind --check`)."""
    if state.ack_facts != facts:
        return True
    if state.acked_at is not None:
        return False
    return not (state.snoozed_until is not None and now < state.snoozed_until)


__all__ = [
    "ALERT_KINDS",
    "Alert",
    "CHANGED",
    "CHECK_STATEMENT",
    "CONDITION_AT_RISK",
    "CampaignInfo",
    "DeliveryState",
    "Draft",
    "EXPIRING",
    "FEE_CHARGED_KIND",
    "FOLLOW_UP",
    "LATE_KIND",
    "NEW",
    "RENOTIFY",
    "RETRY",
    "SNOOZE_ENDED",
    "UPCOMING_CHECK",
    "alert_drafts",
    "alert_key",
    "delivery_reason",
    "is_open",
]
