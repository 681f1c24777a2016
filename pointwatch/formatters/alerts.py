"""Alerts of the daily run: JSON, the table, and the run report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pointwatch.domain.wording import alert_kind_word, date_text, moment_text
from pointwatch.formatters.base import iso, styles_for, table
from pointwatch.i18n import N_, _, word

if TYPE_CHECKING:
    from datetime import tzinfo

    from pointwatch.services.reminders import AlertView, Failure, RunReport


def alert_json(view: AlertView) -> dict[str, Any]:
    """An alert for `remind --json` / `alerts --json` (DESIGN §4 keys first)."""
    return {
        "id": view.id,
        "key": view.key,
        "kind": view.kind,
        "expectation": view.expectation,
        "message": view.message,
        "title": view.title,
        "body": view.body,
        "state": view.state,
        "since": view.since.isoformat(),
        "raised_at": iso(view.raised_at),
        "delivered_at": iso(view.delivered_at),
        "acked_at": iso(view.acked_at),
        "snoozed_until": iso(view.snoozed_until),
        "resolved_at": iso(view.resolved_at),
        "pending": view.pending,
        "reason": view.reason,
    }


def failure_json(failure: Failure) -> dict[str, Any]:
    return {**alert_json(failure.alert), "channel": failure.channel, "error": failure.error}


STATE_WORDS = {
    "open": N_("open"), "acknowledged": N_("acknowledged"), "snoozed": N_("snoozed"),
    "resolved": N_("resolved"),
}  # fmt: skip
REASON_WORDS = {
    "new": N_("new"), "changed": N_("changed"), "retry": N_("retry"),
    "snooze ended": N_("snooze ended"), "re-notify": N_("re-notify"),
}  # fmt: skip


def state_word(state: str) -> str:
    """An alert's state as people read it (open, 未対応)."""
    return word(STATE_WORDS, state)


def reason_word(reason: str | None) -> str:
    """Why an alert is delivered now, as people read it (new, 新規)."""
    return word(REASON_WORDS, reason or "")


def alerts_table(views: Sequence[AlertView], zone: tzinfo | None = None):
    rows = []
    for view in views:
        state = state_word(view.state)
        if view.snoozed_until is not None and view.state == "snoozed":
            until = moment_text(view.snoozed_until.astimezone(zone))
            state = _("{state} until {until}").format(state=state, until=until)
        if view.pending and view.state != "resolved":
            state = _("{state} (delivery failed, retrying)").format(state=state)
        sent = date_text(view.delivered_at.astimezone(zone).date()) if view.delivered_at else ""
        rows.append((str(view.id), alert_kind_word(view.kind), view.expectation, state,
                     date_text(view.since), sent, view.title))  # fmt: skip
    return table(
        (N_("id"), N_("kind"), N_("expectation"), N_("state"), N_("since"), N_("last sent"),
         N_("alert")), rows,
        styles=styles_for([v.state for v in views], {"open": "bold", "resolved": "dim"}),
        style_column=3, right=("id",), wrap=("state", "alert"),
    )  # fmt: skip


def remind_report_json(report: RunReport) -> dict[str, Any]:
    """`remind --json`: what this run raised, delivered, failed and resolved, in full; the open
    alerts as a count and ids (`alerts --json` lists them), so a daily run stays small."""
    return {
        "as_of": report.now.date().isoformat(),
        "now": report.now.isoformat(),
        "dry_run": report.dry_run,
        "channels": report.channels,
        "raised": [alert_json(view) for view in report.raised],
        "delivered": [alert_json(view) for view in report.delivered],
        "failed": [failure_json(failure) for failure in report.failed],
        "resolved": [alert_json(view) for view in report.resolved],
        "open": len(report.open),
        "open_ids": [view.id for view in report.open],
    }
