"""Configuration: the spec table, the example file, and bad values."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

import pytest

from pointwatch.config import (
    NOTIFY_SPEC,
    SPEC,
    Option,
    Settings,
    load_settings,
    settings_from_mapping,
)
from pointwatch.errors import InputError, InvalidValue

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


# --- one spec: defaults, ranges, choices -----------------------------------------------------


def test_settings_take_every_default_from_the_spec():
    settings = Settings()
    assert {option.name: getattr(settings, option.name) for option in SPEC} == {
        option.name: option.default for option in SPEC
    }
    spec_fields = [f for f in fields(Settings) if f.name not in ("notify", "formats", "source")]
    assert [(f.name, f.type) for f in spec_fields] == [(o.name, o.type.__name__) for o in SPEC]


def test_every_number_in_the_spec_has_a_range():
    assert all(
        option.minimum is not None and option.maximum is not None
        for option in SPEC
        if option.type is int
    )
    with pytest.raises(TypeError, match="needs a minimum and a maximum"):
        Option("lead_days", int, 3, "a number without a range", minimum=0)


def test_new_settings_and_their_defaults():
    settings = Settings()
    assert (settings.early_days, settings.expiry_days, settings.language) == (31, 14, "")
    assert settings_from_mapping({"pointwatch": {"language": "en"}}).language == "en"
    assert settings_from_mapping({"pointwatch": {"early_days": 0}}).early_days == 0
    assert settings_from_mapping({"pointwatch": {"early_days": 366}}).early_days == 366


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("renotify_days", 99999999999, "expected at most 366, got 99999999999 (allowed: 1..366)"),
        ("renotify_days", 0, "expected at least 1, got 0 (allowed: 1..366)"),
        ("grace_days", 367, "expected at most 366, got 367 (allowed: 0..366)"),
        ("upcoming_days", -3, "expected at least 0, got -3 (allowed: 0..366)"),
        ("early_days", 400, "expected at most 366, got 400 (allowed: 0..366)"),
        ("expiry_days", -1, "expected at least 0, got -1 (allowed: 0..366)"),
        ("expiry_days", "14", "expected int, got '14'"),
        ("language", "fr", "expected one of ja, en or empty, got 'fr'"),
        ("language", 1, "expected str, got 1"),
    ],
)
def test_values_out_of_range_name_the_file_the_key_and_the_range(key, value, message):
    source = Path("/home/me/.config/pointwatch/config.toml")
    with pytest.raises(InvalidValue) as caught:
        settings_from_mapping({"pointwatch": {key: value}}, source=source)
    assert caught.value.message == f"{source}: pointwatch.{key}: {message}"
    assert caught.value.exit_code == 2


def test_cli_refuses_a_huge_renotify_days_and_writes_nothing(pw, unchanged):
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.write_config("[pointwatch]\nrenotify_days = 99999999999\n")
    stderr = unchanged("remind", "--as-of", "2024-01-01")
    assert (
        f"{pw.config_path}: pointwatch.renotify_days: expected at most 366, "
        "got 99999999999 (allowed: 1..366)"
    ) in stderr
    assert "Traceback" not in stderr and "OverflowError" not in stderr


def test_init_documents_the_ranges(pw):
    pw.ok("init")
    text = pw.config_path.read_text(encoding="utf-8")
    assert "# renotify_days = 7" in text and "(1..366)" in text
    assert "# early_days = 31" in text and '# language = ""' in text


# --- [[notify]] tables, checked when the file is read ----------------------------------------


def test_example_config_documents_every_notify_key():
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for kind, options in NOTIFY_SPEC.items():
        assert f'kind = "{kind}"' in text
        for option in options:
            assert f"{option.name} = " in text, f"{kind}: {option.name}"


def test_notify_problems_name_the_file_and_the_key_path():
    source = Path("/home/me/.config/pointwatch/config.toml")
    data = {
        "notify": [
            {"kind": "console"},
            {"kind": "email", "host": "mx", "to": "a@x", "port": 70000, "user": 1},
            {"kind": "apprise"},
        ]
    }
    with pytest.raises(InputError) as caught:
        settings_from_mapping(data, source=source)
    assert caught.value.message.splitlines() == [
        f"{source}: notify[1].port: expected a port number from 1 to 65535, got 70000",
        f"{source}: notify[1].user: expected a string, got 1",
        f'{source}: notify[2].url: required (an Apprise URL, e.g. "ntfys://ntfy.sh/your-topic")',
    ]


def test_a_good_notify_table_loads_as_written():
    tables = [{"kind": "email", "host": "mx", "to": ["a@x"], "starttls": True}]
    assert settings_from_mapping({"notify": tables}).notify == tuple(tables)


def test_a_bad_notify_table_fails_every_command_and_writes_nothing(pw, unchanged):
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.write_config('[[notify]]\nkind = "email"\nhost = "mx"\nto = "a@x"\nport = "587"\n')
    stderr = unchanged("account", "add", "other", "--kind", "points")
    assert f'{pw.config_path}: notify[0].port: expected an integer, got "587"' in stderr


def test_an_unset_password_variable_fails_only_delivery(pw, monkeypatch):
    monkeypatch.delenv("PW_UNSET_FOR_TEST", raising=False)
    pw.write_config(
        '[[notify]]\nkind = "email"\nhost = "mx"\nto = "a@x"\nuser = "me"\n'
        'password_env = "PW_UNSET_FOR_TEST"\n'
    )
    pw.ok("account", "add", "amazon", "--kind", "points")  # the file itself is fine
    stderr = pw.fails("remind", "--as-of", "2024-01-01")
    assert "notify[0].password_env: the environment variable PW_UNSET_FOR_TEST is not set" in stderr
