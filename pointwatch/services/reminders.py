"""The daily run: evaluate → raise alerts → deliver the ones due, once; ack and snooze.

Run it inside one write transaction (the CLI and the daemon use BEGIN IMMEDIATE): two runs at
the same moment then serialise on the database, and the second finds everything delivered.

A delivery round sends every due alert to every configured channel, as one message per channel
(a digest when several alerts are due). An alert is delivered only when every channel took it;
a channel that failed is recorded with its error and retried on the next run, while the
channels that succeeded are not sent the same facts again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from pointwatch.config import Settings
from pointwatch.domain.alerts import (
    ALERT_KINDS,
    RETRY,
    Alert,
    DeliveryState,
    Draft,
    alert_drafts,
    delivery_reason,
    is_open,
)
from pointwatch.domain.entries import RecordedEntry
from pointwatch.domain.statuses import FEE_CHARGED, Evaluation
from pointwatch.domain.wording import alert_kind_word
from pointwatch.errors import InputError
from pointwatch.i18n import _, english
from pointwatch.notify import Channel, DeliveryFailed, Notification
from pointwatch.services.evaluation import evaluate_all
from pointwatch.services.lookups import campaign_infos
from pointwatch.store import alerts as store
from pointwatch.store.alerts import AlertRow
from pointwatch.store.queries import load_inquiries
from pointwatch.store.tables import EntryRow, RunRow

OPEN = "open"
ACKNOWLEDGED = "acknowledged"
SNOOZED = "snoozed"
RESOLVED = "resolved"


@dataclass(frozen=True)
class AlertView:
    """An alert as reports and listings show it."""

    id: int
    key: str
    kind: str
    expectation: str
    title: str
    body: str
    since: date
    state: str  # open | acknowledged | snoozed | resolved
    raised_at: datetime | None = None
    delivered_at: datetime | None = None
    acked_at: datetime | None = None
    snoozed_until: datetime | None = None
    resolved_at: datetime | None = None
    pending: bool = False  # a channel failed; the next run retries
    reason: str | None = None  # why this run delivers it (new, changed, retry, …)

    @property
    def message(self) -> str:
        return f"{self.title}\n{self.body}"


@dataclass(frozen=True)
class Failure:
    alert: AlertView
    channel: str
    error: str


@dataclass
class RunReport:
    now: datetime
    dry_run: bool
    channels: list[str]
    current: list[AlertView] = field(default_factory=list)  # every alert raised now, urgent first
    delivered: list[AlertView] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    resolved: list[AlertView] = field(default_factory=list)

    @property
    def raised(self) -> list[AlertView]:
        """The alerts this run raised: new ones, and ones whose condition came back."""
        return [view for view in self.current if view.raised_at == self.now]

    @property
    def open(self) -> list[AlertView]:
        return [view for view in self.current if view.state == OPEN]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        counts = {
            "delivered": len(self.delivered),
            "failed": len({failure.alert.id for failure in self.failed}),
            "raised": len(self.raised),
            "open": len(self.open),
            "resolved": len(self.resolved),
        }
        if self.dry_run:
            text = _(
                "{delivered} would be delivered, {failed} failed; {raised} raised ({open} open), "
                "{resolved} resolved"
            )
        else:
            text = _(
                "{delivered} delivered, {failed} failed; {raised} raised ({open} open), "
                "{resolved} resolved"
            )
        return text.format(**counts)


def run_daily(
    session: Session,
    now: datetime,
    settings: Settings,
    channels: Sequence[Channel],
    *,
    started_at: datetime | None = None,
    dry_run: bool = False,
) -> RunReport:
    """Evaluate everything at `now`, store the alerts, deliver the ones due, record the run.

    `started_at` is the wall-clock start recorded for the daemon's catch-up (default `now`).
    With `dry_run` nothing is sent and nothing recorded as delivered; the caller rolls back.
    """
    if now.tzinfo is None:
        raise ValueError("run_daily needs an aware datetime")
    names = channel_names(channels)
    report = RunReport(now=now, dry_run=dry_run, channels=names)
    evaluations = evaluate_all(session, now.date(), settings.rules)
    drafts = alert_drafts(
        evaluations,
        load_inquiries(session, until=now),
        now,
        upcoming_days=settings.upcoming_days,
        campaigns=campaign_infos(session, evaluations),
        entries=fee_entries(session, evaluations),
        expiry_days=settings.expiry_days,
    )
    tracked, report.resolved = _sync(session, drafts, now)
    due: list[tuple[Alert, int, str, DeliveryState]] = []
    views: dict[str, AlertView] = {}
    reworded: list[dict[str, Any]] = []
    for draft in drafts:
        entry = tracked[draft.key]
        reason = delivery_reason(draft.facts, entry.state, now, settings.renotify_days)
        alert = entry.alert
        if reason is not None:
            if alert is None:  # a quiet alert due again: word it afresh
                alert = draft.render()
                if (alert.title, alert.body) != (entry.title, entry.body):
                    reworded.append({"id": entry.id, "title": alert.title, "body": alert.body})
            due.append((alert, entry.id, reason, entry.state))
        title, body = (alert.title, alert.body) if alert else (entry.title, entry.body)
        views[draft.key] = _view_of(draft, entry, title, body, now)
    store.update_alerts(session, reworded)
    delivered_keys, failures = _deliver(session, due, channels, names, now, dry_run, views)
    reasons = {alert.key: reason for alert, _id, reason, _state in due}
    for draft in drafts:  # most urgent first
        view = views[draft.key]
        if draft.key in reasons:
            view = _with_reason(view, reasons[draft.key], draft.key in delivered_keys, now, dry_run)
        report.current.append(view)
    report.delivered = [view for view in report.current if view.key in delivered_keys]
    report.failed = failures
    if not dry_run:
        session.add(
            RunRow(
                started_at=started_at or now,
                as_of=now.date(),
                ok=report.ok,
                summary=english(report.summary),
            )
        )
        session.flush()
    return report


def channel_names(channels: Sequence[Channel]) -> list[str]:
    """Channel names, made unique within the run (two channels may show the same name)."""
    names: list[str] = []
    seen: Counter[str] = Counter()
    for channel in channels:
        seen[channel.name] += 1
        names.append(
            channel.name if seen[channel.name] == 1 else f"{channel.name}#{seen[channel.name]}"
        )
    return names


def fee_entries(session: Session, evaluations: Sequence[Evaluation]) -> dict[int, RecordedEntry]:
    """The entries behind `fee_charged` statuses (shown in the alert)."""
    wanted = [e.entry for e in evaluations if e.status == FEE_CHARGED and e.entry is not None]
    if not wanted:
        return {}
    c = EntryRow.__table__.c
    query = select(c.id, c.date, c.amount, c.description, c.statement).where(c.id.in_(wanted))
    return {row[0]: RecordedEntry(*row) for row in session.execute(query)}


@dataclass(frozen=True)
class _Tracked:
    """A raised alert as stored after `_sync`: its row, delivery state and current wording."""

    id: int
    state: DeliveryState
    raised_at: datetime
    title: str  # the stored wording
    body: str
    alert: Alert | None  # rendered now (new, reopened or changed facts), else None


def _sync(
    session: Session, drafts: Sequence[Draft], now: datetime
) -> tuple[dict[str, _Tracked], list[AlertView]]:
    """Store the alerts raised now: insert new keys, update changed facts, reopen and resolve.

    Only new, reopened or changed alerts are worded here; the rest keep their stored text.
    """
    stored = store.stored_alerts(session)
    current = {draft.key for draft in drafts}
    new: list[Alert] = []
    changes: list[dict[str, Any]] = []
    tracked: dict[str, _Tracked] = {}
    for draft in drafts:
        row = stored.get(draft.key)
        if row is None:
            new.append(draft.render())
            continue
        change: dict[str, Any] = {}
        state, raised_at = row.state, row.raised_at
        if row.resolved_at is not None:  # the condition came back: a new alert again
            state, raised_at = DeliveryState(), now
            change.update(
                resolved_at=None, raised_at=now, delivered_at=None, delivered_facts=None,
                pending_since=None, acked_at=None, snoozed_until=None, ack_facts=None,
            )  # fmt: skip
        alert = None
        if change or (row.facts, row.since) != (draft.facts, draft.since):
            alert = draft.render()
            change.update(title=alert.title, body=alert.body, facts=alert.facts, since=alert.since)
        if change:
            changes.append({"id": row.id, **change})
        tracked[draft.key] = _Tracked(row.id, state, raised_at, row.title, row.body, alert)
    resolved = []
    for key, row in stored.items():
        if key not in current and row.resolved_at is None:
            changes.append({"id": row.id, "resolved_at": now, "pending_since": None})
            resolved.append(key)
    store.update_alerts(session, changes)
    rows = [
        {"key": a.key, "kind": a.kind, "expectation_id": a.expectation, "title": a.title,
         "body": a.body, "facts": a.facts, "since": a.since, "raised_at": now}
        for a in new
    ]  # fmt: skip
    ids = store.insert_alerts(session, rows)
    for alert in new:
        tracked[alert.key] = _Tracked(
            ids[alert.key], DeliveryState(), now, alert.title, alert.body, alert
        )
    by_key = {row.key: row for row in store.alerts_by_keys(session, resolved)}
    return tracked, [view_of_row(by_key[key], now) for key in resolved]


def _deliver(
    session: Session,
    due: list[tuple[Alert, int, str, DeliveryState]],
    channels: Sequence[Channel],
    names: list[str],
    now: datetime,
    dry_run: bool,
    views: dict[str, AlertView],
) -> tuple[set[str], list[Failure]]:
    """Send the due alerts, one message per channel; returns delivered keys and failures."""
    if not due:
        return set(), []
    if dry_run:
        return {alert.key for alert, *_ in due}, []
    retrying = {
        alert_id: (state.pending_since, alert.facts)
        for alert, alert_id, reason, state in due
        if reason == RETRY and state.pending_since is not None
    }
    done = store.channels_done(session, retrying)  # type: ignore[arg-type]
    attempts: list[dict[str, Any]] = []
    failures: list[Failure] = []
    failed_ids: set[int] = set()
    for channel, name in zip(channels, names, strict=True):
        batch = [(alert, alert_id) for alert, alert_id, *_ in due if (alert_id, name) not in done]
        if not batch:
            continue
        error = _send(channel, notification([(alert, alert_id) for alert, alert_id in batch], now))
        for alert, alert_id in batch:
            attempts.append(
                {"alert_id": alert_id, "channel": name, "at": now, "ok": error is None,
                 "facts": alert.facts, "error": error or ""}
            )  # fmt: skip
            if error is not None:
                failed_ids.add(alert_id)
                failures.append(Failure(views[alert.key], name, error))
    store.add_deliveries(session, attempts)
    changes: list[dict[str, Any]] = []
    delivered: set[str] = set()
    for alert, alert_id, reason, state in due:
        if alert_id in failed_ids:
            round_start = state.pending_since if reason == RETRY else now
            changes.append({"id": alert_id, "pending_since": round_start})
        else:
            delivered.add(alert.key)
            changes.append(
                {"id": alert_id, "delivered_at": now, "delivered_facts": alert.facts,
                 "pending_since": None}
            )  # fmt: skip
    store.update_alerts(session, changes)
    return delivered, failures


def _send(channel: Channel, message: Notification) -> str | None:
    """None when the channel took the message, else why not (a run never stops on a channel)."""
    try:
        channel.send(message)
    except DeliveryFailed as exc:
        return exc.message
    except Exception as exc:  # a broken channel must not lose the other channels' work
        return f"{getattr(channel, 'name', 'channel')}: {type(exc).__name__}: {exc}"
    return None


def notification(batch: Sequence[tuple[Alert, int]], now: datetime) -> Notification:
    """One message for a channel: the alert itself, or a digest when several are due."""
    if len(batch) == 1:
        alert, alert_id = batch[0]
        body = f"{alert.body}\n\n{_ack_hint(str(alert_id))}"
        return Notification(key=alert.key, title=f"[#{alert_id}] {alert.title}", body=body)
    counts = Counter(alert.kind for alert, _alert_id in batch)
    kinds = _(", ").join(
        _("{count} {kind}").format(count=counts[kind], kind=alert_kind_word(kind).replace("_", " "))
        for kind in ALERT_KINDS
        if counts[kind]
    )
    parts = [f"[#{alert_id}] {alert.title}\n{alert.body}" for alert, alert_id in batch]
    parts.append(
        _ack_hint("ID") + " " + _("List them: `{command}`.").format(command="pointwatch alerts")
    )
    return Notification(
        key=f"digest:{now.date()}:{len(batch)}",  # a header line: short, whatever the batch
        title=_("{count} reminders ({kinds})").format(count=len(batch), kinds=kinds),
        body="\n\n".join(parts),
    )


def _ack_hint(alert_id: str) -> str:
    return _("Stop this reminder: `{ack}`; remind me later: `{snooze}`.").format(
        ack=f"pointwatch ack {alert_id}", snooze=f"pointwatch ack {alert_id} --snooze DAYS"
    )


# --- listing, ack and snooze -------------------------------------------------------------------


def list_alerts(session: Session, now: datetime, include_resolved: bool = False) -> list[AlertView]:
    """Stored alerts (unresolved ones, or all), most urgent kind first."""
    order = {kind: index for index, kind in enumerate(ALERT_KINDS)}
    views = [view_of_row(row, now) for row in store.load_alerts(session, include_resolved)]
    return sorted(views, key=lambda v: (v.state == RESOLVED, order.get(v.kind, 99), v.id))


def acknowledge(
    session: Session, reference: str, now: datetime, snooze_days: int | None = None
) -> AlertView:
    """Acknowledge an alert (never delivered again unless its facts change) or snooze it."""
    row = store.get_alert(session, reference)
    if row.resolved_at is not None:
        raise InputError(
            _(
                "alert {id} ({key}) is resolved already (its condition cleared); "
                "nothing to acknowledge"
            ).format(id=row.id, key=row.key)
        )
    if snooze_days is None:
        row.acked_at, row.snoozed_until = now, None
    else:
        row.acked_at, row.snoozed_until = None, now + timedelta(days=snooze_days)
    row.ack_facts = row.facts
    row.pending_since = None  # seen: a failed delivery round need not be retried
    session.add(row)
    session.flush()
    return view_of_row(row, now)


def last_successful_run(session: Session) -> datetime | None:
    return store.last_successful_run(session)


def view_of_row(row: AlertRow, now: datetime) -> AlertView:
    state = row.state()
    status = RESOLVED if row.resolved_at is not None else _status(state, row.facts, now)
    assert row.id is not None
    return AlertView(
        id=row.id, key=row.key, kind=row.kind, expectation=row.expectation_id, title=row.title,
        body=row.body, since=row.since, state=status, raised_at=_local(row.raised_at, now),
        delivered_at=_local(row.delivered_at, now), acked_at=_local(row.acked_at, now),
        snoozed_until=_local(row.snoozed_until, now), resolved_at=_local(row.resolved_at, now),
        pending=row.pending_since is not None,
    )  # fmt: skip


def _view_of(draft: Draft, entry: _Tracked, title: str, body: str, now: datetime) -> AlertView:
    state = entry.state
    return AlertView(
        id=entry.id, key=draft.key, kind=draft.kind, expectation=draft.expectation, title=title,
        body=body, since=draft.since, raised_at=_local(entry.raised_at, now),
        state=_status(state, draft.facts, now), delivered_at=_local(state.delivered_at, now),
        acked_at=_local(state.acked_at, now), snoozed_until=_local(state.snoozed_until, now),
        pending=state.pending_since is not None,
    )  # fmt: skip


def _local(moment: datetime | None, now: datetime) -> datetime | None:
    """Stored moments come back in UTC; reports show them in the run's zone."""
    return moment.astimezone(now.tzinfo) if moment is not None else None


def _with_reason(
    view: AlertView, reason: str, delivered: bool, now: datetime, dry_run: bool
) -> AlertView:
    if dry_run:  # would be delivered
        return replace(view, reason=reason)
    if not delivered:
        return replace(view, reason=reason, pending=True)
    return replace(view, reason=reason, pending=False, delivered_at=now)


def _status(state: DeliveryState, facts: str, now: datetime) -> str:
    if is_open(state, facts, now):
        return OPEN
    return ACKNOWLEDGED if state.acked_at is not None else SNOOZED


__all__ = [
    "ACKNOWLEDGED",
    "OPEN",
    "RESOLVED",
    "SNOOZED",
    "AlertView",
    "Failure",
    "RunReport",
    "acknowledge",
    "list_alerts",
    "run_daily",
]
