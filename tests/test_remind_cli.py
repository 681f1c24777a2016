"""`pointwatch remind`, `alerts` and `ack` end to end: each alert kind, delivered once, re-notified
after the interval, snoozed, acknowledged, resolved; failed deliveries retried; concurrent runs.

Time comes from --as-of (a run "on day D" happens at 23:59:59 of D in Asia/Tokyo). E-mail goes
through a real SMTP server on loopback (tests/smtp_server.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from apprise.decorators import notify as apprise_plugin

from pointwatch.notify import Notification
from tests.factories import campaign_toml
from tests.smtp_server import HOST, free_port, running_smtp_server

TOKYO = '[pointwatch]\ntimezone = "Asia/Tokyo"\n'


def email_config(port: int, *extra: str) -> str:
    table = f'[[notify]]\nkind = "email"\nhost = "{HOST}"\nport = {port}\nto = ["me@example.com"]\n'
    return TOKYO + "".join(extra) + table


CONSOLE = '[[notify]]\nkind = "console"\n'


@pytest.fixture
def gift(pw):
    """The two-step points case: 500 points mid-Sep 2022, 500 more late Jan 2023."""
    pw.write_config(TOKYO)
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok(
        "join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12", "--id", "gift",
        "--account", "points=amazon", "--met", "recipient-registered=2022-07-20",
    )  # fmt: skip
    return pw


@pytest.fixture
def premium(pw):
    """The fee-waiver case: Rakuten Premium joined 2025-12-10, first fee on statement 2026-02."""
    pw.write_config(TOKYO)
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok(
        "join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10", "--id", "rk",
        "--account", "card=rakuten",
    )  # fmt: skip
    return pw


def remind(pw, day: str, *args: str, code: int = 0) -> dict[str, Any]:
    result = pw("remind", "--as-of", day, "--json", *args)
    assert result.exit_code == code, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout)


def keys(items: list[dict[str, Any]]) -> list[str]:
    return [item["key"] for item in items]


def alert_list(pw, *args: str) -> list[dict[str, Any]]:
    return pw.json("alerts", *args)


# --- each kind, delivered once ------------------------------------------------------------------


def test_late_grant_is_delivered_once_then_again_after_the_renotify_interval(gift) -> None:
    assert remind(gift, "2022-09-27") == {**remind(gift, "2022-09-27"), "raised": []}  # grace
    first = remind(gift, "2022-09-28")
    assert keys(first["raised"]) == ["late:gift/sender"]
    assert keys(first["delivered"]) == ["late:gift/sender"]
    assert first["failed"] == []
    [alert] = first["delivered"]
    assert set(alert) >= {"id", "key", "kind", "expectation", "message"}
    assert (alert["kind"], alert["expectation"]) == ("late", "gift/sender")
    assert alert["message"].startswith("Late: 500 points from Amazon.co.jp (gift/sender)\n")
    assert "Late since 2022-09-28" in alert["message"]
    assert alert["reason"] == "new"

    assert remind(gift, "2022-09-28")["delivered"] == []  # same day: once
    assert remind(gift, "2022-10-04")["delivered"] == []  # 6 days later: still quiet
    again = remind(gift, "2022-10-05")  # renotify_days = 7
    assert keys(again["delivered"]) == ["late:gift/sender"]
    assert again["delivered"][0]["reason"] == "re-notify"
    assert again["delivered"][0]["id"] == alert["id"]  # the same stored alert


def test_json_lists_what_this_run_raised_and_open_alerts_only_as_ids(gift) -> None:
    first = remind(gift, "2022-09-28")
    [alert] = first["raised"]
    assert (first["open"], first["open_ids"]) == (1, [alert["id"]])
    later = remind(gift, "2022-09-29")  # still open, raised by an earlier run
    assert later["raised"] == [] and later["delivered"] == []
    assert (later["open"], later["open_ids"]) == (1, [alert["id"]])
    assert [item["id"] for item in alert_list(gift)] == [alert["id"]]  # the bodies live here


def test_console_delivery_and_summary_without_json(gift) -> None:
    output = gift.ok("remind", "--as-of", "2022-09-28")
    assert output.startswith("[#1] Late: 500 points from Amazon.co.jp (gift/sender)\n")
    assert "Stop this reminder: `pointwatch ack 1`" in output
    assert output.rstrip().endswith(
        "remind 2022-09-28: 1 delivered, 0 failed; 1 raised (1 open), 0 resolved "
        "(channels: console)"
    )
    quiet = gift.ok("remind", "--as-of", "2022-09-29", "--quiet")
    assert quiet == ""  # nothing new: nothing for cron to mail
    assert gift.ok("remind", "--as-of", "2022-09-29").startswith("remind 2022-09-29: 0 delivered")


def test_json_keeps_stdout_clean_console_goes_to_stderr(gift) -> None:
    result = gift("remind", "--as-of", "2022-09-28", "--json")
    json.loads(result.stdout)
    assert "[#1] Late: 500 points" in result.stderr


def test_several_alerts_go_out_as_one_digest_per_channel(gift, tmp_path: Path) -> None:
    with running_smtp_server() as server:
        gift.write_config(email_config(server.port))
        report = remind(gift, "2023-02-08")
        assert keys(report["delivered"]) == ["late:gift/recipient", "late:gift/sender"]
        [mail] = server.messages
    assert mail.message["Subject"] == "[pointwatch] 2 reminders (2 late)"
    assert mail.message["X-Pointwatch-Key"] == "digest:2023-02-08:2"
    body = mail.message.get_content()
    assert "[#1] Late: 500 points from Amazon.co.jp (gift/recipient)" in body
    assert "[#2] Late: 500 points from Amazon.co.jp (gift/sender)" in body
    assert "pointwatch alerts" in body


def test_a_single_alert_is_its_own_email(gift) -> None:
    with running_smtp_server() as server:
        gift.write_config(email_config(server.port))
        remind(gift, "2022-09-28")
        [mail] = server.messages
    assert (
        mail.message["Subject"]
        == "[pointwatch] [#1] Late: 500 points from Amazon.co.jp (gift/sender)"
    )
    assert mail.message["X-Pointwatch-Key"] == "late:gift/sender"
    assert mail.rcpt_tos == ["me@example.com"]
    assert "Where to look: the history of amazon, window 2022-09-11 – 2022-09-20." in (
        mail.message.get_content()
    )


def test_check_statement_from_the_ready_day_until_checked(premium) -> None:
    assert remind(premium, "2026-02-11")["raised"] == []  # the statement is not fixed yet
    report = remind(premium, "2026-02-12")
    [alert] = report["delivered"]
    assert alert["key"] == "check_statement:rk/annual-fee/1"
    assert (
        "Open the 2026-02 statement of rakuten, fixed on 2026-02-12 and debited "
        "2026-02-27, look for the annual fee (年会費), then run "
        "`pointwatch checked rakuten 2026-02`."
    ) in alert["message"]
    premium.ok("checked", "rakuten", "2026-02", "--as-of", "2026-02-13")
    after = remind(premium, "2026-02-13")
    assert after["raised"] == [] and after["delivered"] == []
    assert keys(after["resolved"]) == ["check_statement:rk/annual-fee/1"]


def test_upcoming_check_before_the_debit_of_an_unchecked_statement(premium) -> None:
    remind(premium, "2026-02-12")
    remind(premium, "2026-02-19")  # check_statement again after renotify_days
    report = remind(premium, "2026-02-24")  # debited 2026-02-27, upcoming_days = 3
    assert keys(report["delivered"]) == ["upcoming_check:rk/annual-fee/1"]
    assert "is debited on 2026-02-27" in report["delivered"][0]["message"]
    after = remind(premium, "2026-02-27")
    assert keys(after["resolved"]) == ["upcoming_check:rk/annual-fee/1"]


def test_upcoming_check_before_a_grant_window_closes(gift) -> None:
    gift.write_config(TOKYO + "upcoming_days = 5\n")
    assert keys(remind(gift, "2022-09-14")["raised"]) == []
    report = remind(gift, "2022-09-15")
    assert keys(report["delivered"]) == ["upcoming_check:gift/sender"]
    assert (
        "Due soon: 500 points from Amazon.co.jp by 2022-09-20" in report["delivered"][0]["message"]
    )


def test_fee_charged_names_the_entry(premium) -> None:
    premium.ok("record", "rakuten", "--date", "2026-01-15", "--amount", "11000", "--memo", "年会費")
    report = remind(premium, "2026-01-20")
    [alert] = report["delivered"]
    assert alert["key"] == "fee_charged:rk/annual-fee/1"
    found = "Found: 2026-01-15 11,000 JPY '年会費' on statement 2026-02 of rakuten (entry 1)."
    assert found in alert["message"]
    assert alert["since"] == "2026-01-15"


def test_follow_up_when_supports_promise_passes_unkept(gift) -> None:
    gift.ok(
        "inquiry", "add", "gift/recipient", "--channel", "chat", "--at", "2023-02-10 10:00",
        "--agent", "Sato", "--promise", "the points will appear within 5 minutes",
        "--promise-by", "5m",
    )  # fmt: skip
    report = remind(gift, "2023-02-10")
    [follow_up] = [a for a in report["delivered"] if a["kind"] == "follow_up"]
    assert follow_up["key"].startswith("follow_up:gift/recipient#")
    assert follow_up["message"].startswith(
        "Follow up: support promised 'the points will appear within 5 minutes' by "
        "2023-02-10 10:05 on chat; nothing arrived (gift/recipient)"
    )
    gift.ok("record", "amazon", "--date", "2023-02-11", "--amount", "500", "--memo", "ギフト券")
    after = remind(gift, "2023-02-11")
    assert follow_up["key"] in keys(after["resolved"])
    assert "late:gift/recipient" in keys(after["resolved"])


def test_resolved_alert_is_not_delivered_again(gift) -> None:
    remind(gift, "2022-09-28")
    gift.ok("record", "amazon", "--date", "2022-10-01", "--amount", "500", "--memo", "ポイント")
    report = remind(gift, "2022-10-02")
    assert keys(report["resolved"]) == ["late:gift/sender"]
    assert remind(gift, "2022-10-20")["delivered"] == []
    assert alert_list(gift) == []
    [resolved] = alert_list(gift, "--all")
    assert (resolved["key"], resolved["state"]) == ("late:gift/sender", "resolved")


# --- ack, snooze, facts changes -----------------------------------------------------------------


def test_ack_stops_the_reminder(gift) -> None:
    [alert] = remind(gift, "2022-09-28")["delivered"]
    output = gift.ok("ack", str(alert["id"]), "--as-of", "2022-09-28")
    assert output == (
        "acknowledged alert 1 (late:gift/sender): not delivered again unless its facts change\n"
    )
    assert remind(gift, "2022-10-30")["delivered"] == []
    [listed] = alert_list(gift)
    assert listed["state"] == "acknowledged"


def test_ack_by_key(gift) -> None:
    remind(gift, "2022-09-28")
    gift.ok("ack", "late:gift/sender", "--as-of", "2022-09-28")
    assert alert_list(gift)[0]["state"] == "acknowledged"


def test_snooze_delays_until_it_ends(gift) -> None:
    remind(gift, "2022-09-28")
    output = gift.ok("ack", "1", "--snooze", "3", "--as-of", "2022-09-29")
    assert output == "snoozed alert 1 (late:gift/sender) until 2022-10-02 23:59\n"
    assert alert_list(gift, "--as-of", "2022-09-30")[0]["state"] == "snoozed"
    assert remind(gift, "2022-10-01")["delivered"] == []
    report = remind(gift, "2022-10-02")
    assert keys(report["delivered"]) == ["late:gift/sender"]
    assert report["delivered"][0]["reason"] == "snooze ended"
    assert alert_list(gift, "--as-of", "2022-10-02")[0]["state"] == "open"
    assert remind(gift, "2022-10-03")["delivered"] == []  # the interval restarts


def shop_campaign(amount: int) -> str:
    return campaign_toml(
        "shop-points",
        "Shop points campaign",
        "Shop",
        grants=[
            {
                "id": "bonus",
                "amount": amount,
                "unit": "point",
                "account": "points",
                "window": "2024-03",
            }
        ],
    )


def test_a_changed_fact_is_delivered_again_even_after_ack(pw, tmp_path: Path) -> None:
    pw.write_config(TOKYO)
    definitions = tmp_path / "shop.toml"
    definitions.write_text(shop_campaign(500), encoding="utf-8")
    pw.ok("campaign", "add", str(definitions))
    pw.ok("account", "add", "shop", "--kind", "points")
    pw.ok("join", "shop-points", "--on", "2024-02-01", "--id", "shop")
    remind(pw, "2024-04-10")
    pw.ok("ack", "late:shop/bonus", "--as-of", "2024-04-10")
    assert remind(pw, "2024-04-11")["delivered"] == []
    definitions.write_text(shop_campaign(800), encoding="utf-8")
    pw.ok("campaign", "add", str(definitions))
    report = remind(pw, "2024-04-12")
    [alert] = report["delivered"]
    assert (alert["key"], alert["reason"]) == ("late:shop/bonus", "changed")
    assert "Late: 800 points from Shop (shop/bonus)" in alert["message"]


def test_ack_errors_change_nothing(gift, unchanged) -> None:
    remind(gift, "2022-09-28")
    assert "alert '99' not found" in unchanged("ack", "99")
    assert "alert 'late:nope' not found" in unchanged("ack", "late:nope")
    assert "--snooze" in unchanged("ack", "1", "--snooze", "0")
    assert "--snooze" in unchanged("ack", "1", "--snooze", "soon")
    gift.ok("record", "amazon", "--date", "2022-10-01", "--amount", "500", "--memo", "ポイント")
    remind(gift, "2022-10-02")
    assert "is resolved already" in unchanged("ack", "1", "--as-of", "2022-10-02")


# --- remind --check, --dry-run -------------------------------------------------------------------


def test_check_exit_codes(gift) -> None:
    assert gift("remind", "--as-of", "2022-09-27", "--check").exit_code == 0
    assert gift("remind", "--as-of", "2022-09-28", "--check", "--quiet").exit_code == 1
    gift.ok("ack", "1", "--as-of", "2022-09-28")
    assert gift("remind", "--as-of", "2022-09-29", "--check").exit_code == 0
    gift.ok("record", "amazon", "--date", "2022-10-01", "--amount", "500", "--memo", "x")
    assert gift("remind", "--as-of", "2023-02-08", "--check").exit_code == 1  # recipient late
    gift.ok("ack", "late:gift/recipient", "--snooze", "2", "--as-of", "2023-02-08")
    assert gift("remind", "--as-of", "2023-02-09", "--check").exit_code == 0
    assert gift("remind", "--as-of", "2023-02-10", "--check").exit_code == 1  # snooze over


def test_dry_run_sends_and_writes_nothing(gift) -> None:
    before = gift.dump()
    with running_smtp_server() as server:
        gift.write_config(email_config(server.port))
        report = remind(gift, "2022-09-28", "--dry-run")
        assert report["dry_run"] is True
        assert keys(report["delivered"]) == ["late:gift/sender"]  # would be delivered
        text = gift.ok("remind", "--as-of", "2022-09-28", "--dry-run")
        assert server.messages == []
    assert gift.dump() == before
    assert text.startswith("dry run for 2022-09-28: nothing sent, nothing recorded\n")
    assert "would deliver (new) to email:me@example.com:\n[#1] Late: 500 points" in text
    assert gift("remind", "--as-of", "2022-09-28", "--dry-run", "--check").exit_code == 1
    assert gift.dump() == before


def test_dry_run_after_a_real_run_shows_nothing_due(gift) -> None:
    remind(gift, "2022-09-28")
    text = gift.ok("remind", "--as-of", "2022-09-29", "--dry-run")
    assert "would deliver" not in text
    assert "raised, not due for delivery:\n  #1 late open: Late: 500 points" in text


def test_bad_notify_config_is_exit_2_and_writes_nothing(gift, unchanged) -> None:
    gift.write_config(TOKYO + '[[notify]]\nkind = "pager"\n')
    message = unchanged("remind", "--as-of", "2022-09-28")
    assert 'notify[0].kind: expected one of console, email, apprise, got "pager"' in message


def test_remind_on_an_empty_database(pw) -> None:
    pw.write_config(TOKYO)
    assert remind(pw, "2024-01-01") == {
        "as_of": "2024-01-01", "now": "2024-01-01T23:59:59+09:00", "dry_run": False,
        "channels": ["console"], "raised": [], "delivered": [], "failed": [], "resolved": [],
        "open": 0, "open_ids": [],
    }  # fmt: skip
    assert pw.ok("alerts") == "no alerts (the daily run raises them: `pointwatch remind`)\n"


def test_alerts_table_and_json(gift) -> None:
    remind(gift, "2023-02-08")
    table = gift.ok("alerts", "--as-of", "2023-02-08")
    assert "late:" not in table  # numbers and expectations, not keys
    assert "gift/recipient" in table and "gift/sender" in table
    items = alert_list(gift)
    assert [(i["id"], i["kind"], i["expectation"], i["state"]) for i in items] == [
        (1, "late", "gift/recipient", "open"),
        (2, "late", "gift/sender", "open"),
    ]
    assert items[0]["delivered_at"] == "2023-02-08T23:59:59+09:00"
    assert items[0]["raised_at"] == "2023-02-08T23:59:59+09:00"
    assert items[1]["since"] == "2022-09-28"


# --- failed deliveries: logged, retried, never recorded as delivered ----------------------------


def test_unreachable_smtp_fails_the_run_gracefully_and_is_retried(gift) -> None:
    port = free_port()  # nothing listens here yet
    gift.write_config(email_config(port))
    result = gift("remind", "--as-of", "2022-09-28", "--json")
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert report["delivered"] == []
    assert keys(report["raised"]) == ["late:gift/sender"]
    [failure] = report["failed"]
    assert failure["key"] == "late:gift/sender"
    assert failure["channel"] == "email:me@example.com"
    assert "connection refused" in failure["error"]
    assert "delivery failed: alert 1 (late:gift/sender) via email:me@example.com" in result.stderr
    assert "retried on the next run" in result.stderr
    [listed] = alert_list(gift)
    assert (listed["delivered_at"], listed["pending"]) == (None, True)

    assert gift("remind", "--as-of", "2022-09-28", "--check").exit_code == 1  # --check: 0/1 only

    with running_smtp_server() as server:
        # The server now listens on the configured port; the next run retries.
        server_port = server.port
        gift.write_config(email_config(server_port))
        again = remind(gift, "2022-09-29")
        assert keys(again["delivered"]) == ["late:gift/sender"]
        assert again["delivered"][0]["reason"] == "retry"
        assert len(server.messages) == 1
        assert remind(gift, "2022-09-30")["delivered"] == []
        assert len(server.messages) == 1
    [listed] = alert_list(gift)
    assert listed["pending"] is False and listed["delivered_at"] is not None


def test_a_channel_that_took_the_alert_is_not_sent_it_again_on_retry(gift) -> None:
    port = free_port()
    gift.write_config(email_config(port, CONSOLE))
    first = gift("remind", "--as-of", "2022-09-28")
    assert first.exit_code == 3
    assert first.stdout.count("Late: 500 points") == 1  # the console took it
    with running_smtp_server() as server:
        gift.write_config(email_config(server.port, CONSOLE))
        second = gift("remind", "--as-of", "2022-09-29")
        assert second.exit_code == 0
        assert "Late: 500 points" not in second.stdout  # not printed twice
        assert len(server.messages) == 1  # the e-mail went out now


APPRISE_SEEN: list[str] = []


@apprise_plugin(on="pwremind")
def _pwremind(body: str, title: str, notify_type: str, *args: Any, **kwargs: Any) -> bool:
    APPRISE_SEEN.append(title)
    return True


def test_apprise_delivery_and_a_bad_apprise_url(gift) -> None:
    APPRISE_SEEN.clear()
    gift.write_config(
        TOKYO + '[[notify]]\nkind = "apprise"\nurl = "pwremind://host"\n'
        '[[notify]]\nkind = "apprise"\nurl = "nosuchservice://x/y"\n'
    )
    result = gift("remind", "--as-of", "2022-09-28", "--json")
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert APPRISE_SEEN == ["[#1] Late: 500 points from Amazon.co.jp (gift/sender)"]
    [failure] = report["failed"]
    assert failure["channel"] == "apprise:nosuchservice://…"
    assert "apprise cannot use this URL" in failure["error"]
    gift.write_config(TOKYO + '[[notify]]\nkind = "apprise"\nurl = "pwremind://host"\n')
    retried = remind(gift, "2022-09-29")
    assert keys(retried["delivered"]) == ["late:gift/sender"]
    assert len(APPRISE_SEEN) == 1  # the working URL already had it: not sent twice


# --- two runs at the same moment ----------------------------------------------------------------


class SlowRecorder:
    """A channel that takes its time, so that two runs overlap for sure."""

    name = "recorder"

    def __init__(self) -> None:
        self.sent: list[Notification] = []
        self.lock = threading.Lock()

    def send(self, notification: Notification) -> None:
        time.sleep(0.3)
        with self.lock:
            self.sent.append(notification)


def test_two_concurrent_runs_in_threads_deliver_each_alert_once(gift) -> None:
    from pointwatch.config import Settings
    from pointwatch.services.reminders import run_daily
    from pointwatch.store.engine import make_engine, transaction

    gift.ok("alerts")  # creates the alert tables
    engine = make_engine(f"sqlite:///{gift.db_path}")
    channel = SlowRecorder()
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now = datetime(2023, 2, 8, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    reports: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with transaction(engine, immediate=True) as session:
                reports.append(run_daily(session, now, Settings(), [channel]))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(channel.sent) == 1  # one digest, from one of the runs
    assert sorted(len(report.delivered) for report in reports) == [0, 2]
    engine.dispose()


def test_two_concurrent_remind_processes_deliver_each_alert_once(gift) -> None:
    with running_smtp_server() as server:
        gift.write_config(email_config(server.port))
        gift.ok("alerts")  # schema in place before the race
        command = [
            sys.executable, "-c", "from pointwatch.cli import main; main()",
            "--db", str(gift.db_path), "--config", str(gift.config_path),
            "remind", "--as-of", "2023-02-08", "--json",
        ]  # fmt: skip
        processes = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outputs = [process.communicate(timeout=120) for process in processes]
        assert [process.returncode for process in processes] == [0, 0], outputs
        delivered = sorted(len(json.loads(out)["delivered"]) for out, _ in outputs)
        assert delivered == [0, 2]
        bodies = [received.message.get_content() for received in server.messages]
    text = "\n".join(bodies)
    assert text.count("[#1] Late:") == 1
    assert text.count("[#2] Late:") == 1


def test_a_database_held_too_long_by_another_run_is_exit_3(gift, monkeypatch) -> None:
    import sqlite3

    from pointwatch.store import locks

    gift.ok("alerts")
    monkeypatch.setattr(locks, "BUSY_TIMEOUT_SECONDS", 0.2)
    holder = sqlite3.connect(gift.db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another run holding the write lock
    try:
        result = gift("remind", "--as-of", "2022-09-28")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: the database is busy: another program or pointwatch command kept it locked for "
        "more than 0.2 s; nothing was written; try again when it has finished\n"
    )
    assert result.stdout == ""
    assert keys(remind(gift, "2022-09-28")["delivered"]) == ["late:gift/sender"]
