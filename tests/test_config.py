"""Configuration: the spec table, the example file, and bad values."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pointwatch.config import SPEC, Settings, load_settings, settings_from_mapping
from pointwatch.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def test_missing_file_means_defaults(tmp_path: Path):
    assert load_settings(tmp_path / "absent.toml") == Settings()


def test_example_config_documents_every_spec_key_and_loads():
    example = ROOT / "config.example.toml"
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    assert set(data["pointwatch"]) == {option.name for option in SPEC}
    settings = load_settings(example)
    assert (settings.timezone, settings.grace_days, settings.daily_at) == ("Asia/Tokyo", 7, "09:00")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pointwatch": {"grace_days": "7"}}, "pointwatch.grace_days: expected int, got '7'"),
        ({"pointwatch": {"grace_days": -1}}, "pointwatch.grace_days: expected at least 0, got -1"),
        ({"pointwatch": {"grace_days": True}}, "expected int, got True"),
        ({"pointwatch": {"daily_at": "9am"}}, "pointwatch.daily_at: expected HH:MM, got '9am'"),
        ({"pointwatch": {"timezone": "Mars/Olympus"}}, "unknown time zone 'Mars/Olympus'"),
        ({"pointwatch": {"colour": 1}}, "pointwatch.colour: unknown key"),
        ({"notfy": []}, "unknown table 'notfy'"),
    ],
)
def test_bad_values_name_the_key(data, message):
    with pytest.raises(InputError) as caught:
        settings_from_mapping(data)
    assert message in caught.value.message


def test_cli_reports_a_bad_config_file(pw):
    pw.write_config("[pointwatch]\ngrace_days = 'x'\n")
    stderr = pw.fails("status")
    assert "config.toml: pointwatch.grace_days: expected int" in stderr
    pw.write_config("[pointwatch\n")
    assert "not valid TOML" in pw.fails("status")


def test_grace_days_from_config_changes_when_a_grant_is_late(pw):
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12", "--id", "gift")
    late = {e["id"]: e["status"] for e in pw.json("status", "--as-of", "2022-09-28")}
    assert late["gift/sender"] == "late"
    pw.write_config("[pointwatch]\ngrace_days = 10\n")
    due = {e["id"]: e["status"] for e in pw.json("status", "--as-of", "2022-09-28")}
    assert due["gift/sender"] == "due"


def test_init_writes_a_config_that_loads_and_is_idempotent(pw):
    first = pw.ok("init")
    assert "(created)" in first and pw.config_path.exists()
    assert load_settings(pw.config_path) == Settings(source=pw.config_path)
    pw.config_path.write_text("[pointwatch]\ngrace_days = 3\n", encoding="utf-8")
    second = pw.ok("init")
    assert "(created)" not in second
    assert load_settings(pw.config_path).grace_days == 3  # the user's file is kept
