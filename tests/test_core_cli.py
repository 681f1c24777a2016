"""The core slice through the CLI: accounts, join, record, checked, status, which-statement.

Both real cases of DESIGN §1 are replayed here; every error path exits 2 and writes nothing.
"""

from __future__ import annotations

import json

import pytest

FEE = "rakuten-premium-annual-fee-free-3y"
GIFT = "amazon-primeday-2022-giftcard"


@pytest.fixture
def fee_case(pw):
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    return pw.ok("join", FEE, "--on", "2025-12-10", "--account", "card=rakuten", "--id", "premium")


@pytest.fixture
def gift_case(pw):
    pw.ok("account", "add", "amazon", "--kind", "points")
    return pw.ok("join", GIFT, "--on", "2022-07-12", "--id", "gift")


def statuses(pw, as_of: str) -> dict[str, str]:
    return {e["id"]: e["status"] for e in pw.json("status", "--as-of", as_of)}


# --- the fee-waiver case ---------------------------------------------------------------------


def test_fee_case_join_says_which_statement_to_open(fee_case):
    assert "role card = account rakuten" in fee_case
    assert (
        "premium/annual-fee/1: 11,000 JPY must NOT be charged — open statement 2026-02 of "
        "rakuten (closes 2026-01-31, fixed 2026-02-12, debited 2026-02-27)"
    ) in fee_case
    # 2027-02-27 is a Saturday: debited on Monday 1 March.
    assert (
        "open statement 2027-02 of rakuten (closes 2027-01-31, fixed 2027-02-12, debited 2027-03-01)"
        in fee_case
    )
    assert "premium/annual-fee/3" in fee_case


def test_fee_case_waiver_goes_upcoming_check_confirmed_then_fee_charged(pw, fee_case):
    assert statuses(pw, "2026-02-11")["premium/annual-fee/1"] == "upcoming"
    assert statuses(pw, "2026-02-12")["premium/annual-fee/1"] == "check"
    # An 11,000-yen purchase on that statement is not an annual fee.
    pw.ok("record", "rakuten", "--date", "2026-01-20", "--amount", "11,000", "--memo", "家電")
    assert statuses(pw, "2026-02-12")["premium/annual-fee/1"] == "check"
    pw.ok("checked", "rakuten", "2026-02", "--as-of", "2026-02-13")
    assert statuses(pw, "2026-02-13")["premium/annual-fee/1"] == "confirmed"
    # The charge slipped to the next statement: it still counts and flips the occurrence.
    output = pw.ok(
        "record", "rakuten", "--date", "2026-02-02", "--amount", "11000", "--memo", "年会費"
    )
    assert "statement 2026-03" in output and "settles premium/annual-fee/1" in output
    by_id = {e["id"]: e for e in pw.json("status", "--as-of", "2026-03-20")}
    first = by_id["premium/annual-fee/1"]
    assert first["status"] == "fee_charged"
    assert (first["statement"], first["closing_date"], first["payment_date"]) == (
        "2026-02",
        "2026-01-31",
        "2026-02-27",
    )
    assert by_id["premium/annual-fee/2"]["status"] == "upcoming"


def test_fee_entry_two_statements_later_does_not_match(pw, fee_case):
    pw.ok("record", "rakuten", "--date", "2026-03-02", "--amount", "11000", "--memo", "年会費")
    assert statuses(pw, "2026-04-20")["premium/annual-fee/1"] == "check"


def test_which_statement_for_an_enrollment_and_for_a_date(pw, fee_case):
    answers = pw.json("which-statement", "premium")
    assert [(a["statement"], a["closing_date"], a["payment_date"]) for a in answers] == [
        ("2026-02", "2026-01-31", "2026-02-27"),
        ("2027-02", "2027-01-31", "2027-03-01"),
        ("2028-02", "2028-01-31", "2028-02-28"),
    ]
    answer = pw.json("which-statement", "--card", "rakuten-card", "--date", "2026-01-15")
    assert {k: answer[k] for k in ("account", "statement", "closing_date", "payment_date")} == {
        "account": "rakuten-card",
        "statement": "2026-02",
        "closing_date": "2026-01-31",
        "payment_date": "2026-02-27",
    }
    # By account name too, and a December charge lands on January's statement, debited after
    # New Year (27 Dec 2025 is a Saturday -> 29 Dec is still a business day).
    answer = pw.json("which-statement", "--card", "rakuten", "--date", "2025-11-30")
    assert (answer["statement"], answer["payment_date"]) == ("2025-12", "2025-12-29")
    text = pw.ok("which-statement", "premium/annual-fee/1")
    assert "open statement 2026-02 of rakuten" in text and "debited 2026-02-27" in text


def test_explicit_cycle_with_holidays(pw):
    pw.ok(
        "account", "add", "jcb", "--closing-day", "15", "--payment-day", "10",
        "--payment-months", "1", "--holidays", "JP",
    )  # fmt: skip
    # Closes 15 Dec 2025, paid 10 Jan 2026 = Saturday; 12 Jan is Coming of Age Day -> 13 Jan.
    answer = pw.json("which-statement", "--card", "jcb", "--date", "2025-12-15")
    assert (answer["statement"], answer["closing_date"], answer["payment_date"]) == (
        "2026-01",
        "2025-12-15",
        "2026-01-13",
    )
    answer = pw.json("which-statement", "--card", "jcb", "--date", "2025-12-16")
    assert answer["statement"] == "2026-02"


# --- the two-step points case ----------------------------------------------------------------


def test_gift_case_join_prints_windows(gift_case):
    assert "role points = account amazon" in gift_case  # the only points account is bound
    assert "gift/sender: 500 points into amazon: window 2022-09-11 – 2022-09-20" in gift_case
    assert "late after 2022-09-27" in gift_case
    assert "gift/recipient: 500 points into amazon: window 2023-01-21 – 2023-01-31" in gift_case


def test_gift_case_first_grant_received_second_late_until_paid(pw, gift_case):
    pw.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "ポイント付与")
    assert statuses(pw, "2022-09-16") == {
        "gift/sender": "received",
        "gift/recipient": "awaiting_condition",
    }
    pw.ok("met", "gift", "recipient-registered=2022-09-20")
    assert statuses(pw, "2023-01-25")["gift/recipient"] == "due"
    late = {e["id"]: e for e in pw.json("status", "--as-of", "2023-02-10")}["gift/recipient"]
    assert (late["status"], late["days_late"], late["due"]) == ("late", 10, "2023-01-31")
    assert [e["id"] for e in pw.json("status", "--as-of", "2023-02-10", "--open")] == [
        "gift/recipient"
    ]
    # A late payout still counts; the first 500 is already taken by the sender grant.
    pw.ok("record", "amazon", "--date", "2023-02-12", "--amount", "500", "--memo", "ギフト券特典")
    assert statuses(pw, "2023-02-13") == {"gift/sender": "received", "gift/recipient": "received"}
    listed = pw.json("entries", "amazon")
    assert [(e["date"], e["expectation"]) for e in listed] == [
        ("2022-09-15", "gift/sender"),
        ("2023-02-12", "gift/recipient"),
    ]


def test_status_json_has_the_contract_keys(pw, gift_case, fee_case):
    rows = pw.json("status", "--as-of", "2026-01-01")
    keys = {
        "id", "enrollment", "campaign", "entitlement", "kind", "status", "amount", "unit",
        "account", "window_start", "window_end", "due", "statement", "closing_date",
        "payment_date", "days_late",
    }  # fmt: skip
    assert all(keys <= set(row) for row in rows)
    assert {row["kind"] for row in rows} == {"grant", "waiver"}
    assert all(isinstance(row["amount"], int) for row in rows)


def test_status_human_output(pw, gift_case):
    text = pw.ok("status", "--as-of", "2022-09-30")
    assert "gift/sender" in text and "late" in text and "10d" in text


# --- entries and coverage --------------------------------------------------------------------


def test_record_card_entry_statement_from_cycle_or_given(pw, fee_case):
    pw.ok("record", "rakuten", "--date", "2026-01-31", "--amount", "100", "--memo", "a")
    pw.ok("record", "rakuten", "--date", "2026-02-01", "--amount", "200", "--memo", "b")
    pw.ok("record", "rakuten", "--date", "2026-02-01", "--amount", "50", "--memo", "refund",
          "--credit", "--statement", "2026-04")  # fmt: skip
    rows = pw.json("entries", "rakuten")
    assert [(r["amount"], r["statement"], r["source"]) for r in rows] == [
        (100, "2026-02", "manual"),
        (200, "2026-03", "manual"),
        (-50, "2026-04", "manual"),
    ]
    assert [r["amount"] for r in pw.json("entries", "--statement", "2026-03")] == [200]


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("account", "add", "x", "--kind", "card"), "card 'x' needs a billing cycle"),
        (("account", "add", "x", "--profile", "nope"), "profile 'nope' not found"),
        (("account", "add", "x", "--closing-day", "29", "--payment-day", "10"), "closing_day"),
        (
            ("account", "add", "x", "--closing-day", "15"),
            "needs both --closing-day and --payment-day",
        ),
        (("account", "add", "rakuten", "--kind", "points"), "account 'rakuten' already exists"),
        (
            ("account", "add", "y", "--kind", "points", "--closing-day", "5", "--payment-day", "3"),
            "only cards do",
        ),
        (
            ("record", "rakuten", "--date", "2023-02-30", "--amount", "5", "--memo", "m"),
            "2023-02-30",
        ),
        (
            ("record", "rakuten", "--date", "2023-02-03", "--amount", "-5", "--memo", "m"),
            "'-5': expected a positive whole number",
        ),
        (
            ("record", "rakuten", "--date", "2023-02-03", "--amount", "12.5", "--memo", "m"),
            "'12.5': expected a positive whole number",
        ),
        (("record", "rakuten", "--date", "2023-02-03", "--amount", "0", "--memo", "m"), "'0'"),
        (
            ("record", "nope", "--date", "2023-02-03", "--amount", "5", "--memo", "m"),
            "account 'nope' not found",
        ),
        (("record", "rakuten", "--date", "2023-02-03", "--amount", "5", "--memo", " "), "--memo"),
        (
            (
                "record",
                "rakuten",
                "--date",
                "2023-02-03",
                "--amount",
                "5",
                "--memo",
                "m",
                "--debit",
            ),
            "--debit",
        ),
        (("checked", "rakuten", "2026-13"), "2026-13"),
        (("checked", "rakuten", "2026-02", "--as-of", "2026-02-11"), "not final until 2026-02-12"),
        (("join", "nope", "--on", "2025-12-10"), "campaign 'nope' not found"),
        (("join", FEE, "--on", "2025-12-10", "--id", "premium"), "already exists"),
        (
            ("join", FEE, "--on", "2025-12-10", "--account", "points=rakuten"),
            "has no role 'points'",
        ),
        (("join", FEE, "--on", "2025-12-10", "--account", "card=nope"), "account 'nope' not found"),
        (("join", FEE, "--on", "2025-12-10", "--account", "card"), "expected ROLE=ACCOUNT"),
        (("join", FEE, "--on", "2025-12-10", "--met", "x=2025-12-11"), "unknown condition"),
        (("join", FEE, "--on", "2025-02-29"), "2025-02-29"),
        (("join", FEE, "--on", "2025-12-10", "--id", "bad id"), "--id 'bad id'"),
        (("which-statement",), "give an ENROLLMENT"),
        (
            ("which-statement", "--card", "nope", "--date", "2026-01-01"),
            "no such card account or profile",
        ),
        (("which-statement", "nope"), "enrollment 'nope' not found"),
        (("met", "premium", "recipient-registered=2026-01-01"), "unknown condition"),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(pw, fee_case, unchanged, args, message):
    assert message in unchanged(*args)


def test_card_roles_need_cards_and_conditions_cannot_predate_joining(pw, gift_case, unchanged):
    stderr = unchanged("join", FEE, "--on", "2025-12-10", "--account", "card=amazon")
    assert "needs a card" in stderr
    stderr = unchanged(
        "join", GIFT, "--on", "2022-07-12", "--met", "recipient-registered=2022-07-01"
    )
    assert "before the joined date 2022-07-12" in stderr
    pw.ok("account", "add", "second", "--kind", "points")
    assert "2 points accounts exist" in unchanged("join", GIFT, "--on", "2022-07-12")
    assert "have windows, not statements" in unchanged("which-statement", "gift")


def test_every_command_has_help_with_an_example(pw):
    from pointwatch.cli import main

    def walk(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from walk(command, (*prefix, name))
            else:
                yield (*prefix, name), command

    for path, command in walk(main):
        assert command.help and "Example:" in command.help, f"{' '.join(path)} lacks an example"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("record", "rakuten", "--date", "2026-01-05", "--amount", "-5", "--memo", "m"),
         "Error: Invalid value for '--amount': '-5': expected a positive whole number (e.g. 500 or 11,000) (see `pointwatch record --help`)"),
        (("join", FEE), "Error: Missing option '--on'. (see `pointwatch join --help`)"),
        (("account", "add"), "Error: Missing argument 'NAME'. (see `pointwatch account add --help`)"),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line(pw, fee_case, unchanged, args, line):
    assert unchanged(*args) == line + "\n"


def test_joining_without_a_card_says_how_to_add_one(pw, unchanged):
    pw.ok("init")
    stderr = unchanged("join", FEE, "--on", "2025-12-10")
    assert "no card account yet: add one with `pointwatch account add NAME --profile" in stderr
    assert "no entries recorded" in pw.ok("entries")


def test_an_unexpected_failure_is_one_line_and_a_private_log(pw, tmp_path, monkeypatch) -> None:
    import stat

    import pointwatch.services.entries as entries

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom postgresql://me:secret@db.example/pw")

    monkeypatch.setattr(entries, "list_entries", broken)
    stderr = pw.fails("entries", code=70)
    log = tmp_path / "state" / "pointwatch" / "log" / "crash.log"
    assert stderr == (
        "Error: unexpected RuntimeError in `pointwatch entries` — this is a bug in pointwatch, "
        f"please report it; the details are in {log}\n"
    )
    assert "Traceback" not in stderr
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: boom postgresql://me:***@db.example/pw" in text
    assert "secret" not in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


HOSTILE = "年会費\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e"


def test_control_characters_from_the_data_never_reach_the_terminal(pw) -> None:
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    confirmation = pw.ok("record", "rakuten", "--date", "2026-01-05", "--amount", "11000",
                         "--memo", HOSTILE)  # fmt: skip
    listing = pw.ok("entries")
    raw_json = pw.ok("entries", "--json")
    for output in (confirmation, listing, raw_json):
        assert not any(char in output for char in "\x1b\x07\x9b\u202e"), repr(output)
    assert "年会費\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202e" in confirmation
    assert "\\x1b" in listing
    assert json.loads(raw_json)[0]["description"] == HOSTILE  # scripts get the exact text
