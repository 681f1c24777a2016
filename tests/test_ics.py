"""`pointwatch export ics`: check dates and due dates as calendar events with stable UIDs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

TOKYO = '[pointwatch]\ntimezone = "Asia/Tokyo"\n'


@pytest.fixture
def cases(pw):
    pw.write_config(TOKYO)
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok(
        "join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12", "--id", "gift",
        "--account", "points=amazon",
    )  # fmt: skip
    pw.ok(
        "join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10", "--id", "rk",
        "--account", "card=rakuten",
    )  # fmt: skip
    return pw


def events(data: bytes) -> dict[str, dict]:
    calendar = Calendar.from_ical(data)
    found = {}
    for event in calendar.walk("VEVENT"):
        found[str(event["uid"])] = {
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "summary": str(event["summary"]),
            "description": str(event["description"]),
            "status": str(event["status"]),
            "stamp": event.decoded("dtstamp"),
            "alarms": [str(alarm["trigger"].to_ical(), "ascii") for alarm in event.walk("VALARM")],
        }
    return found


def export(pw, *args: str) -> bytes:
    result = pw("export", "ics", *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_check_dates_and_due_dates_become_all_day_events(cases) -> None:
    data = export(cases, "--as-of", "2026-01-05")
    calendar = Calendar.from_ical(data)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]) == "-//pointwatch//pointwatch reminders//EN"
    found = events(data)
    assert sorted(found) == [
        "check/rk/annual-fee/1@pointwatch",
        "check/rk/annual-fee/2@pointwatch",
        "check/rk/annual-fee/3@pointwatch",
        "due/gift/recipient@pointwatch",
        "due/gift/sender@pointwatch",
    ]
    # The recipient grant has a fixed window but waits for its condition: the event says so.
    recipient = found["due/gift/recipient@pointwatch"]
    assert recipient["start"] == date(2023, 1, 31)
    assert "(once recipient-registered is met)" in recipient["description"]
    check = found["check/rk/annual-fee/1@pointwatch"]
    assert (check["start"], check["end"]) == (date(2026, 2, 12), date(2026, 2, 13))
    assert check["summary"] == "Check rakuten statement 2026-02: no annual fee"
    assert (
        "Open the 2026-02 statement of rakuten, fixed on 2026-02-12 and debited 2026-02-27, "
        "look for the annual fee (年会費), then run `pointwatch checked rakuten 2026-02`."
    ) in check["description"]
    assert check["status"] == "CONFIRMED"
    assert check["alarms"] == ["PT9H"]  # 09:00 on the day
    year_two = found["check/rk/annual-fee/2@pointwatch"]
    assert year_two["start"] == date(2027, 2, 12)
    assert "debited 2027-03-01" in year_two["description"]  # 27 Feb 2027 is a Saturday
    due = found["due/gift/sender@pointwatch"]
    assert due["start"] == date(2022, 9, 20)
    assert due["summary"] == "Due: 500 points from Amazon.co.jp into amazon"
    assert "Where to look: amazon: window 2022-09-11 – 2022-09-20." in due["description"]
    assert "Late after 2022-09-27" in due["description"]
    assert due["stamp"].isoformat() == "2026-01-05T14:59:59+00:00"  # end of the --as-of day


def test_uids_are_stable_and_settled_expectations_come_cancelled(cases) -> None:
    before = events(export(cases, "--as-of", "2022-09-01"))
    cases.ok("met", "gift", "recipient-registered=2022-09-01")
    cases.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "ポイント")
    after = events(export(cases, "--as-of", "2022-10-01"))
    assert set(before) == set(after)  # the same UIDs: a re-import updates the events
    sender = after["due/gift/sender@pointwatch"]
    assert sender["status"] == "CANCELLED"
    assert sender["summary"].endswith("[received]")
    assert sender["alarms"] == []
    assert sender["stamp"] > before["due/gift/sender@pointwatch"]["stamp"]
    recipient = after["due/gift/recipient@pointwatch"]
    assert recipient["status"] == "CONFIRMED"
    assert "(once recipient-registered is met)" not in recipient["description"]


def test_export_to_a_file(cases, tmp_path: Path) -> None:
    target = tmp_path / "pointwatch.ics"
    output = cases.ok("export", "ics", str(target), "--as-of", "2026-01-05")
    assert output == f"wrote 5 event(s) to {target}\n"
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert len(events(target.read_bytes())) == 5
    assert export(cases, "-", "--as-of", "2026-01-05").startswith(b"BEGIN:VCALENDAR")


def test_an_unwritable_file_is_a_clean_error(cases, unchanged, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "x.ics"
    message = unchanged("export", "ics", str(missing))
    assert message.startswith(f"Error: {missing}: cannot write")


def test_an_empty_database_exports_an_empty_calendar(pw) -> None:
    pw.write_config(TOKYO)
    assert events(export(pw)) == {}
