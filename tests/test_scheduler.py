"""The daemon's schedule and catch-up: triggers through get_next_fire_time, the catch-up rule as a
pure function, the job function under a frozen clock, and SIGTERM on a real daemon process.

No scheduler thread ever runs under a frozen clock (DESIGN §7).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from pointwatch import scheduler
from pointwatch.scheduler import (
    CATCH_UP_JOB_ID,
    DAILY_JOB_ID,
    MISFIRE_GRACE_SECONDS,
    build_scheduler,
    catch_up_due,
    catch_up_job,
    daily_job,
    daily_trigger,
    latest_scheduled,
)

TOKYO = ZoneInfo("Asia/Tokyo")
BERLIN = ZoneInfo("Europe/Berlin")


def tokyo(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


# --- the schedule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2023-02-10 08:00", "2023-02-10 09:00"),
        ("2023-02-10 08:59:59", "2023-02-10 09:00"),
        ("2023-02-10 09:00:01", "2023-02-11 09:00"),
        ("2023-12-31 23:00", "2024-01-01 09:00"),
    ],
)
def test_daily_trigger_fires_at_the_configured_local_time(now: str, expected: str) -> None:
    trigger = daily_trigger("09:00", TOKYO)
    assert trigger.get_next_fire_time(None, tokyo(now)) == tokyo(expected)


def test_daily_trigger_keeps_local_time_across_daylight_saving() -> None:
    trigger = daily_trigger("07:30", BERLIN)
    before = trigger.get_next_fire_time(None, datetime(2023, 3, 25, 7, 0, tzinfo=BERLIN))
    after = trigger.get_next_fire_time(None, before + timedelta(minutes=1))
    assert (before.hour, before.minute, after.hour, after.minute) == (7, 30, 7, 30)
    assert before.utcoffset() == timedelta(hours=1)  # CET
    assert after.utcoffset() == timedelta(hours=2)  # CEST, the next morning
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=23)


def test_the_scheduler_jobs_are_configured_against_apscheduler_pitfalls() -> None:
    sched = build_scheduler("sqlite:///unused.db", "unused.toml", "09:15", TOKYO)
    daily = sched.get_job(DAILY_JOB_ID)
    catch_up = sched.get_job(CATCH_UP_JOB_ID)
    assert daily.func_ref == "pointwatch.scheduler:daily_job"  # importable, module level
    assert catch_up.func_ref == "pointwatch.scheduler:catch_up_job"
    for job in (daily, catch_up):
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS >= 24 * 3600
        assert job.kwargs == {"database_url": "sqlite:///unused.db", "config_path": "unused.toml"}
    fields = {field.name: str(field) for field in daily.trigger.fields}
    assert (fields["hour"], fields["minute"], fields["second"]) == ("9", "15", "0")
    assert daily.trigger.timezone == TOKYO
    # The catch-up check runs at start (next_run_time = now), then every few minutes.
    assert catch_up.next_run_time is not None
    assert sched.running is False


# --- the catch-up rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "latest"),
    [
        ("2023-02-10 09:00", "2023-02-10 09:00"),
        ("2023-02-10 23:00", "2023-02-10 09:00"),
        ("2023-02-10 08:59", "2023-02-09 09:00"),
        ("2023-03-01 00:30", "2023-02-28 09:00"),
    ],
)
def test_latest_scheduled(now: str, latest: str) -> None:
    assert latest_scheduled(tokyo(now), "09:00") == tokyo(latest)


@pytest.mark.parametrize(
    ("last", "now", "due"),
    [
        (None, "2023-02-10 08:00", True),  # never ran
        ("2023-02-09 09:00:05", "2023-02-10 08:00", False),  # today's run is still ahead
        ("2023-02-09 09:00:05", "2023-02-10 09:00:04", True),  # 09:00 passed without a run
        ("2023-02-09 09:00:05", "2023-02-10 10:30", True),  # the laptop slept through 09:00
        ("2023-02-10 09:00:05", "2023-02-10 23:00", False),  # ran today
        ("2023-02-10 07:00", "2023-02-10 08:00", False),  # a manual run this morning counts
        ("2023-02-07 20:00", "2023-02-10 08:00", True),  # older than a day
    ],
)
def test_catch_up_due(last: str | None, now: str, due: bool) -> None:
    assert catch_up_due(tokyo(last) if last else None, tokyo(now), "09:00") is due


# --- the job function with a frozen clock ---------------------------------------------------------


@pytest.fixture
def daemon_db(pw):
    pw.write_config('[pointwatch]\ntimezone = "Asia/Tokyo"\ndaily_at = "09:00"\n')
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok(
        "join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12", "--id", "gift",
        "--met", "recipient-registered=2022-07-20",
    )  # fmt: skip
    scheduler._engines.clear()
    yield pw
    for engine in scheduler._engines.values():
        engine.dispose()
    scheduler._engines.clear()


def runs(pw) -> list[tuple[str, int]]:
    with sqlite3.connect(pw.db_path) as connection:
        return connection.execute("SELECT started_at, ok FROM run ORDER BY id").fetchall()


def test_catch_up_job_runs_once_when_the_daily_run_was_missed(daemon_db, capsys) -> None:
    url, config = f"sqlite:///{daemon_db.db_path}", str(daemon_db.config_path)
    with freeze_time("2023-02-10 10:30:00+09:00"):  # daemon started after 09:00, never ran
        summary = catch_up_job(url, config)
    assert summary.startswith("remind 2023-02-10 10:30 JST: 2 delivered, 0 failed")
    assert "[#1] Late: 500 points from Amazon.co.jp" in capsys.readouterr().out  # console
    assert runs(daemon_db) == [("2023-02-10 01:30:00.000000", 1)]

    with freeze_time("2023-02-10 10:45:00+09:00"):  # the next check: ran already today
        assert catch_up_job(url, config) == "not due"
    with freeze_time("2023-02-11 08:59:00+09:00"):  # before today's 09:00
        assert catch_up_job(url, config) == "not due"
    with freeze_time("2023-02-11 09:00:00+09:00"):  # the scheduled daily run itself
        assert daily_job(url, config).startswith("remind 2023-02-11 09:00 JST: 0 delivered")
    with freeze_time("2023-02-11 09:15:00+09:00"):  # a catch-up check right after it
        assert catch_up_job(url, config) == "not due"
    with freeze_time("2023-02-13 07:00:00+09:00"):  # slept through 2023-02-12 09:00
        assert catch_up_job(url, config).startswith("remind 2023-02-13 07:00 JST")
    assert len(runs(daemon_db)) == 3


def test_the_job_delivers_nothing_twice(daemon_db, capsys) -> None:
    url, config = f"sqlite:///{daemon_db.db_path}", str(daemon_db.config_path)
    with freeze_time("2023-02-10 09:00:00+09:00"):
        daily_job(url, config)
    with freeze_time("2023-02-11 09:00:00+09:00"):
        daily_job(url, config)
    assert capsys.readouterr().out.count("Late: 500 points from Amazon.co.jp (gift/sender)") == 1


def test_a_failing_delivery_does_not_count_as_a_successful_run(daemon_db) -> None:
    from tests.smtp_server import free_port

    daemon_db.write_config(
        '[pointwatch]\ntimezone = "Asia/Tokyo"\n[[notify]]\nkind = "email"\nhost = "127.0.0.1"\n'
        f'port = {free_port()}\nto = "me@example.com"\n'
    )
    url, config = f"sqlite:///{daemon_db.db_path}", str(daemon_db.config_path)
    with freeze_time("2023-02-10 10:00:00+09:00"):
        summary = catch_up_job(url, config)  # both late alerts in one digest, which failed
    assert summary.startswith("remind 2023-02-10 10:00 JST: 0 delivered, 2 failed")
    with freeze_time("2023-02-10 10:15:00+09:00"):
        # The last run did not deliver: the next check runs again (and retries).
        assert catch_up_job(url, config).startswith("remind 2023-02-10 10:15 JST: 0 delivered")
    assert [ok for _, ok in runs(daemon_db)] == [0, 0]


def test_a_broken_config_is_logged_and_the_daemon_lives_on(daemon_db, caplog) -> None:
    daemon_db.write_config('[pointwatch]\ntimezone = "Asia/Tokyo"\n[[notify]]\nkind = "pager"\n')
    url, config = f"sqlite:///{daemon_db.db_path}", str(daemon_db.config_path)
    with freeze_time("2023-02-10 10:00:00+09:00"):
        summary = daily_job(url, config)
    assert summary.startswith(f"failed: {config}: notify[0].kind")
    assert f"remind failed: {config}: notify[0].kind" in caplog.text
    assert runs(daemon_db) == []


# --- the daemon process -------------------------------------------------------------------------


def test_daemon_catches_up_at_start_and_stops_cleanly_on_sigterm(daemon_db) -> None:
    command = [
        sys.executable, "-c", "from pointwatch.cli import main; main()",
        "--db", str(daemon_db.db_path), "--config", str(daemon_db.config_path), "daemon",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        log = []
        assert process.stderr is not None
        for line in process.stderr:  # wait for the catch-up run the start triggers
            log.append(line)
            if " remind " in line or "remind failed" in line:
                break
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:  # pragma: no cover - only if the daemon hangs
            process.kill()
    text = "".join(log) + err
    assert process.returncode == 0, text
    assert "pointwatch daemon started: daily at 09:00 (Asia/Tokyo)" in text
    assert "received SIGTERM: stopping after the current run" in text
    assert "pointwatch daemon stopped" in text
    assert "Late: 500 points" in out  # the console channel, delivered by the catch-up run
    assert len(runs(daemon_db)) == 1


def test_importing_the_scheduler_and_the_remind_commands_stays_light() -> None:
    code = (
        "import sys, pointwatch.scheduler, pointwatch.cli; "
        "print(sorted(m for m in ('apscheduler', 'sqlalchemy', 'sqlmodel', 'icalendar', "
        "'apprise', 'rich', 'pointwatch.services.reminders') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
