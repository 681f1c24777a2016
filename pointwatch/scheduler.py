"""`pointwatch daemon`: run the daily reminder at `daily_at` in the configured zone.

No logic of its own beyond *when*: the job calls `services.reminders.run_daily`, like
`pointwatch remind` does. APScheduler 3.x pitfalls handled here (DESIGN §7):

- `misfire_grace_time` defaults to 1 s, which silently skips a daily run that starts a little
  late (a busy or sleeping machine); ours is two days, and `coalesce` turns a backlog into one run;
- jobs have explicit ids with `replace_existing=True`, and their callables are module-level
  functions taking plain arguments (what a persistent job store would need);
- a sleeping laptop: the scheduler's timers count monotonic time, which stops during suspend,
  so a 09:00 run could come hours late after waking. A light catch-up check every
  `CATCH_UP_MINUTES` (and once at start) runs the reminder as soon as the latest scheduled time
  has passed without a successful run.

Only the standard library is imported at module level; APScheduler, SQLModel and the services
are imported when the daemon starts, so `pointwatch --help` stays fast.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

DAILY_JOB_ID = "pointwatch-daily-remind"
CATCH_UP_JOB_ID = "pointwatch-catch-up"
MISFIRE_GRACE_SECONDS = 2 * 24 * 3600
CATCH_UP_MINUTES = 15

log = logging.getLogger("pointwatch.daemon")
_engines: dict[str, Any] = {}


def daily_trigger(daily_at: str, zone: tzinfo) -> Any:
    """The APScheduler CronTrigger for `daily_at` (HH:MM, local time in `zone`)."""
    from apscheduler.triggers.cron import CronTrigger

    hour, minute = _hh_mm(daily_at)
    return CronTrigger(hour=hour, minute=minute, second=0, timezone=zone)


def latest_scheduled(now: datetime, daily_at: str) -> datetime:
    """The most recent scheduled run time at or before `now` (aware, in now's zone)."""
    hour, minute = _hh_mm(daily_at)
    zone = now.tzinfo
    today = datetime.combine(now.date(), time(hour, minute), tzinfo=zone)
    if today <= now:
        return today
    return datetime.combine(now.date() - timedelta(days=1), time(hour, minute), tzinfo=zone)


def catch_up_due(last_success: datetime | None, now: datetime, daily_at: str) -> bool:
    """Run now? Yes when no run ever succeeded, the last one is older than a day, or the
    latest scheduled time passed without a successful run since (a machine that slept
    through 09:00, or a daemon started at 09:05)."""
    if last_success is None:
        return True
    if now - last_success >= timedelta(days=1):
        return True
    return last_success < latest_scheduled(now, daily_at)


def daily_job(database_url: str, config_path: str, catch_up_only: bool = False) -> str:
    """The scheduled job: one `remind` run at the current time; returns its summary line.

    With `catch_up_only`, run only if `catch_up_due` (checked inside the run's write
    transaction, so a daily run and a catch-up check can never both deliver).
    Reads the config afresh, so notify settings edited while the daemon runs apply next time.
    """
    import os
    from pathlib import Path

    import click

    from pointwatch.config import load_settings, zone
    from pointwatch.errors import PointwatchError
    from pointwatch.i18n import locale_language, set_language
    from pointwatch.notify import build_channels
    from pointwatch.services.reminders import run_daily
    from pointwatch.store.alerts import last_successful_run
    from pointwatch.store.engine import transaction

    try:
        settings = load_settings(Path(config_path))
        # Alerts are worded in the config's language, else the locale's (read again each run).
        set_language(settings.language or locale_language(os.environ))
        channels = build_channels(settings.notify, os.environ, click.echo)
        engine = _engine(database_url)
        now = datetime.now(zone(settings))
        with transaction(
            engine, immediate=True, holder="pointwatch daemon (daily remind)"
        ) as session:
            if catch_up_only and not catch_up_due(
                last_successful_run(session), now, settings.daily_at
            ):
                return "not due"
            report = run_daily(session, now, settings, channels, started_at=now)
    except Exception as exc:
        from pointwatch.store.engine import database_url as parsed
        from pointwatch.store.failures import database_failure

        # A broken config, a busy or unreachable database: say so, keep the daemon alive
        # (the catch-up check runs it again within CATCH_UP_MINUTES).
        failure = exc if isinstance(exc, PointwatchError) else None
        failure = failure or database_failure(exc, parsed(database_url))
        if failure is None:
            raise
        log.error("remind failed: %s", failure.message)
        return f"failed: {failure.message}"
    for failure in report.failed:
        log.warning(
            "delivery failed: alert %s (%s): %s; retried on the next run",
            failure.alert.id, failure.alert.key, failure.error,
        )  # fmt: skip
    summary = f"remind {now:%Y-%m-%d %H:%M %Z}: {report.summary()}"
    log.info(summary)
    return summary


def catch_up_job(database_url: str, config_path: str) -> str:
    """The periodic check: `daily_job` if the latest scheduled run was missed."""
    return daily_job(database_url, config_path, catch_up_only=True)


def run_daemon(database_url: str, config_path: str, daily_at: str, zone: tzinfo) -> None:
    """Block, running the reminder daily until SIGTERM or SIGINT (then stop cleanly).

    One daemon per database: a second one exits at once naming the first (store/locks.py);
    when the first dies, however it dies, the next one starts normally.
    """
    from pointwatch.store.locks import DaemonLock

    lock = DaemonLock(_engine(database_url))
    lock.acquire()  # EnvironmentFailure (exit 3) while another daemon runs
    try:
        _run(database_url, config_path, daily_at, zone)
    finally:
        lock.release()


def _run(database_url: str, config_path: str, daily_at: str, zone: tzinfo) -> None:
    import signal

    scheduler = build_scheduler(database_url, config_path, daily_at, zone)

    def stop(signum: int, _frame: Any) -> None:
        log.info("received %s: stopping after the current run", signal.Signals(signum).name)
        # wait=False: a signal handler must not block; a running job finishes its transaction
        # before the interpreter exits (the pool's worker threads are joined at exit).
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    job = scheduler.get_job(DAILY_JOB_ID)
    log.info(
        "pointwatch daemon started: daily at %s (%s), next run %s; catch-up check every %d min",
        daily_at, zone, job.trigger.get_next_fire_time(None, datetime.now(zone)),
        CATCH_UP_MINUTES,
    )  # fmt: skip
    scheduler.start()
    log.info("pointwatch daemon stopped")


def build_scheduler(database_url: str, config_path: str, daily_at: str, zone: tzinfo) -> Any:
    """A BlockingScheduler with the daily job and the catch-up check (not started)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    # One worker: the daily job and the catch-up check never run at the same time.
    scheduler = BlockingScheduler(timezone=zone, executors={"default": ThreadPoolExecutor(1)})
    arguments = {"database_url": database_url, "config_path": config_path}
    common = {
        "replace_existing": True,
        "coalesce": True,
        "max_instances": 1,
        "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        "kwargs": arguments,
    }
    scheduler.add_job(
        daily_job, daily_trigger(daily_at, zone), id=DAILY_JOB_ID, name="daily remind", **common
    )
    scheduler.add_job(
        catch_up_job,
        IntervalTrigger(minutes=CATCH_UP_MINUTES, timezone=zone),
        id=CATCH_UP_JOB_ID,
        name="catch-up check",
        next_run_time=datetime.now(zone),  # at start: a missed day runs at once
        **common,
    )
    return scheduler


def _engine(database_url: str) -> Any:
    if database_url not in _engines:
        from pointwatch.store.engine import ensure_schema, make_engine

        engine = make_engine(database_url, create_dirs=True)
        upgrade = ensure_schema(engine)
        if upgrade is not None:
            log.warning(
                "upgraded the database from %s to %s; the database as it was: %s",
                upgrade.before, upgrade.after, upgrade.backup or "(no copy: a server database)",
            )  # fmt: skip
        _engines[database_url] = engine
    return _engines[database_url]


def _hh_mm(text: str) -> tuple[int, int]:
    hour, _, minute = text.partition(":")
    return int(hour), int(minute)
