"""Commands for the daily reminder run: remind, alerts, ack, daemon, export. Heavy modules are
imported inside the commands."""

from __future__ import annotations

from pathlib import Path

import click

from pointwatch.cli.app import (
    App,
    PointwatchGroup,
    as_of_option,
    echo_json,
    json_option,
    pass_app,
    say,
    show,
)
from pointwatch.errors import EXIT_ENVIRONMENT, EXIT_NEEDS_ATTENTION
from pointwatch.i18n import _


def _channels(app: App, as_json: bool) -> list:
    """The configured channels; with --json the console channel writes to stderr."""
    import os

    from pointwatch.notify import build_channels

    def write(text: str) -> None:
        say(text + "\n", err=as_json)

    return build_channels(app.settings.notify, os.environ, write)


@click.command()
@as_of_option
@click.option(
    "--dry-run", is_flag=True,
    help="Show what would be raised and delivered; send nothing, write nothing.",
)  # fmt: skip
@click.option("--check", is_flag=True, help="Exit 1 if any alert is open, else 0 (for scripts).")
@click.option(
    "--quiet", "-q", is_flag=True, help="No summary line when nothing was delivered (for cron)."
)
@json_option
@pass_app
def remind(app: App, as_of, dry_run: bool, check: bool, quiet: bool, as_json: bool) -> None:
    """The daily run: evaluate, raise alerts and deliver each one once.

    Alerts: late (a grant past due + grace), fee_charged (a waived fee was found),
    check_statement (a waiver's statement is fixed and unchecked), upcoming_check (a grant
    window closes, or an unchecked statement is debited, within `upcoming_days`), follow_up
    (support's promised deadline passed), condition_at_risk (a grant's condition is unmet
    within `upcoming_days` of its deadline; check_statement when its deadline passed with
    statements still to cover), expiring (received points expire within `expiry_days`).
    An alert is delivered again only after `renotify_days`, when its facts change, or when a
    snooze ends; `pointwatch ack ID` stops it. A failed channel is reported on stderr and
    retried on the next run.

    \b
    Exit codes:
      0  done (with --check: no alert is open)
      1  with --check: some alert is open (raised, not acknowledged or snoozed)
      2  bad input or configuration; nothing was written or sent
      3  a delivery failed (recorded and retried on the next run) or another run held the
         database too long; without --check only

    \b
    Example:
      pointwatch remind
      pointwatch remind --as-of 2023-02-10 --dry-run
      pointwatch remind --check --quiet     # in cron: mails only when there is news
    """
    from pointwatch.services.reminders import run_daily

    channels = _channels(app, as_json)  # a bad [[notify]] table stops here: exit 2, no writes
    now = app.moment(as_of)
    # A database held too long by another command: exit 3 naming it (the group's wrapper).
    with app.transaction(immediate=True, journal=False) as session:
        report = run_daily(
            session, now, app.settings, channels, started_at=app.now(), dry_run=dry_run
        )
        if dry_run:
            session.rollback()
    for failure in report.failed:
        say(
            _(
                "delivery failed: alert {id} ({key}) via {error}; it stays undelivered "
                "and is retried on the next run"
            ).format(id=failure.alert.id, key=failure.alert.key, error=failure.error),
            err=True,
        )
    if as_json:
        from pointwatch.formatters import remind_report_json

        echo_json(remind_report_json(report))
    else:
        _echo_report(report, quiet)
    ctx = click.get_current_context()
    if check:
        ctx.exit(EXIT_NEEDS_ATTENTION if report.open else 0)
    if report.failed:
        ctx.exit(EXIT_ENVIRONMENT)


def _echo_report(report, quiet: bool) -> None:
    from pointwatch.domain.wording import alert_kind_word, date_text
    from pointwatch.formatters.alerts import reason_word, state_word

    day = date_text(report.now.date())
    if report.dry_run:
        say(_("dry run for {day}: nothing sent, nothing recorded").format(day=day))
        for view in report.delivered:
            say()
            say(
                _("would deliver ({reason}) to {channels}:").format(
                    reason=reason_word(view.reason), channels=", ".join(report.channels)
                )
            )
            say(f"[#{view.id}] {view.message}")
        delivered = {view.key for view in report.delivered}  # a list would cost n² compares
        quiet_ones = [view for view in report.current if view.key not in delivered]
        if quiet_ones:
            say()
            say(_("raised, not due for delivery:"))
            for view in quiet_ones:
                kind, state = alert_kind_word(view.kind), state_word(view.state)
                say(f"  #{view.id} {kind} {state}: {view.title}")
        say()
        say(report.summary())
        return
    if quiet and not report.delivered and not report.failed:
        return
    if report.delivered or report.failed:
        line = _("remind {day}: {report} (channels: {channels})")
    else:
        line = _("remind {day}: {report}")
    say(line.format(day=day, report=report.summary(), channels=", ".join(report.channels)))


@click.command("alerts")
@click.option("--all", "show_all", is_flag=True, help="Include resolved alerts.")
@as_of_option
@json_option
@pass_app
def alerts_command(app: App, show_all: bool, as_of, as_json: bool) -> None:
    """List the alerts of the daily run: open, acknowledged, snoozed (and resolved with --all).

    \b
    Example:
      pointwatch alerts
      pointwatch alerts --all --json
    """
    from pointwatch.services.reminders import list_alerts

    now = app.moment(as_of)
    with app.transaction() as session:
        views = list_alerts(session, now, include_resolved=show_all)
    if as_json:
        from pointwatch.formatters import alert_json

        echo_json([alert_json(view) for view in views])
        return
    if not views:
        say(_("no alerts (the daily run raises them: `pointwatch remind`)"))
        return
    from pointwatch.formatters import alerts_table

    show(alerts_table(views, now.tzinfo))


@click.command()
@click.argument("alert", metavar="ALERT")
@click.option(
    "--snooze", "snooze_days", type=click.IntRange(1, 3650), metavar="DAYS",
    help="Remind again after DAYS days instead of stopping for good.",
)  # fmt: skip
@as_of_option
@pass_app
def ack(app: App, alert: str, snooze_days: int | None, as_of) -> None:
    """Acknowledge an alert (number or key, see `pointwatch alerts`) or snooze it.

    An acknowledged alert is not delivered again unless its facts change (a different amount,
    status, due date or promise); a snoozed one comes back when the snooze ends.

    \b
    Example:
      pointwatch ack late:gift/recipient --snooze 7
      pointwatch ack 1
    """
    from pointwatch.services.reminders import acknowledge

    now = app.moment(as_of)
    with app.transaction(immediate=True) as session:
        view = acknowledge(session, alert, now, snooze_days)
    if snooze_days is None:
        say(
            _(
                "acknowledged alert {id} ({key}): not delivered again unless its facts change"
            ).format(id=view.id, key=view.key)
        )
    else:
        from pointwatch.domain.wording import moment_text

        until = view.snoozed_until.astimezone(now.tzinfo) if view.snoozed_until else None
        say(
            _("snoozed alert {id} ({key}) until {until}").format(
                id=view.id, key=view.key, until=moment_text(until) if until else ""
            )
        )


@click.command()
@pass_app
def daemon(app: App) -> None:
    """Run `remind` every day at `daily_at` in the configured time zone, in the foreground.

    On start, and every 15 minutes, it checks whether the latest scheduled run was missed
    (no successful run since; e.g. the machine slept through it) and then runs at once.
    SIGTERM or Ctrl-C stops it cleanly after the current run. Logs go to stderr.

    \b
    Example:
      pointwatch daemon
      systemd-run --user --unit pointwatch ~/pointwatch/.venv/bin/pointwatch daemon
    """
    import logging

    from pointwatch.config import zone
    from pointwatch.scheduler import run_daemon

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    _channels(app, as_json=False)  # a broken [[notify]] table fails now, not at 09:00
    run_daemon(app.database_url, str(app.config_path), app.settings.daily_at, zone(app.settings))


@click.group(cls=PointwatchGroup)
def export() -> None:
    """Export dates to a calendar (`export ics`), or everything for `restore` (`export all`)."""


@export.command("ics")
@click.argument(
    "file", required=False, type=click.Path(dir_okay=False, allow_dash=True, path_type=Path)
)
@as_of_option
@pass_app
def export_ics_command(app: App, file: Path | None, as_of) -> None:
    """Write check dates and grant due dates as an iCalendar file (stdout without FILE).

    Event UIDs stay the same between exports, so importing a newer file updates the events;
    settled expectations come as cancelled events.

    \b
    Example:
      pointwatch export ics ~/pointwatch.ics
      pointwatch export ics > pointwatch.ics
    """
    from pointwatch.errors import InputError
    from pointwatch.services.calendar_export import export_ics

    with app.transaction() as session:
        data, count = export_ics(session, app.moment(as_of), app.rules)
    if file is None or str(file) == "-":
        click.get_binary_stream("stdout").write(data)
        return
    try:
        file.write_bytes(data)
    except OSError as exc:
        raise InputError(
            _("{file}: cannot write ({value})").format(file=file, value=exc.strerror or exc)
        ) from None
    say(_("wrote {count} event(s) to {file}").format(count=count, file=file))
