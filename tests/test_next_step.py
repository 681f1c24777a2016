"""`status` ends with the one thing to do next (its exact command, real ids); `status --open`
lists only what needs attention now or within `upcoming_days`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from pointwatch.domain.next_step import needs_attention, next_step
from pointwatch.domain.statuses import Evaluation
from tests.factories import fee_expectations, gift_expectations

FEE = "rakuten-premium-annual-fee-free-3y"
GIFT = "amazon-primeday-2022-giftcard"


def evaluation(expectation, status: str, days_late: int = 0) -> Evaluation:
    return Evaluation(expectation, status, days_late)


FEE_1, FEE_2, _ = fee_expectations()  # statement 2026-02 (fixed 2026-02-12), 2027-02, 2028-02
SENDER, RECIPIENT = gift_expectations(met={"recipient-registered": date(2022, 9, 20)})
_, WAITING = gift_expectations()  # the recipient grant, its condition not met yet


# --- which expectations need attention (pure) ------------------------------------------------


@pytest.mark.parametrize(
    ("item", "today", "expected"),
    [
        (evaluation(SENDER, "late", 3), date(2022, 10, 1), True),
        (evaluation(FEE_1, "fee_charged"), date(2026, 3, 1), True),
        (evaluation(FEE_1, "check"), date(2026, 2, 12), True),
        (evaluation(SENDER, "due"), date(2022, 9, 15), True),
        # A waiver counts from `upcoming_days` before its statement is fixed (2026-02-12)...
        (evaluation(FEE_1, "upcoming"), date(2026, 2, 9), True),
        (evaluation(FEE_1, "upcoming"), date(2026, 2, 8), False),
        # ...so the check of the second year is not listed in the first.
        (evaluation(FEE_2, "upcoming"), date(2026, 2, 12), False),
        # A grant counts from `upcoming_days` before its window starts (2022-09-11).
        (evaluation(SENDER, "upcoming"), date(2022, 9, 8), True),
        (evaluation(SENDER, "upcoming"), date(2022, 9, 7), False),
        # Waiting for a condition: once its window starts (record the condition, or forfeit).
        (evaluation(WAITING, "awaiting_condition"), date(2023, 1, 21), True),
        (evaluation(WAITING, "awaiting_condition"), date(2023, 1, 1), False),
        # Settled ones never.
        (evaluation(SENDER, "received"), date(2022, 9, 15), False),
        (evaluation(FEE_1, "confirmed"), date(2026, 2, 12), False),
        (evaluation(SENDER, "substituted"), date(2022, 10, 1), False),
    ],
)
def test_needs_attention(item, today, expected) -> None:
    assert needs_attention(item, today, upcoming_days=3) is expected


def test_a_grant_waiting_for_a_condition_without_a_window_never_needs_attention() -> None:
    no_window = replace(WAITING, window=None)
    assert not needs_attention(evaluation(no_window, "awaiting_condition"), date(2030, 1, 1), 3)
    assert next_step([evaluation(no_window, "awaiting_condition")], date(2030, 1, 1), 3) is None


# --- the most urgent step (pure) -------------------------------------------------------------


def test_a_charged_fee_comes_before_a_late_grant_and_the_longest_late_first() -> None:
    items = [
        evaluation(SENDER, "late", 3),
        evaluation(RECIPIENT, "late", 30),
        evaluation(FEE_2, "upcoming"),
    ]
    step = next_step(items, date(2026, 3, 1), 3)
    assert step is not None
    assert (step.evaluation.expectation.id, step.command, step.count) == (
        "gift/recipient", "pointwatch claim gift/recipient", 2,
    )  # fmt: skip
    assert step.also == ('pointwatch record amazon --date DATE --amount 500 --memo "ギフト券"')
    step = next_step([*items, evaluation(FEE_1, "fee_charged")], date(2026, 3, 1), 3)
    assert step is not None
    assert (step.command, step.also, step.count) == ("pointwatch claim premium/annual-fee/1", "", 3)


def test_a_statement_to_check_names_the_account_and_month() -> None:
    step = next_step([evaluation(FEE_1, "check"), evaluation(SENDER, "due")], date(2026, 2, 12), 3)
    assert step is not None
    assert (step.command, step.also) == (
        "pointwatch checked rakuten 2026-02", "pointwatch import FILE --account rakuten",
    )  # fmt: skip


def test_when_nothing_needs_attention_the_step_is_for_the_next_date() -> None:
    step = next_step([evaluation(FEE_1, "upcoming"), evaluation(FEE_2, "upcoming")],
                     date(2026, 1, 1), 3)  # fmt: skip
    assert step is not None
    assert (step.on, step.count, step.command) == (
        date(2026, 2, 12), 0, "pointwatch checked rakuten 2026-02",
    )  # fmt: skip
    assert next_step([evaluation(FEE_1, "confirmed")], date(2026, 3, 1), 3) is None


# --- through the command line ----------------------------------------------------------------


@pytest.fixture
def fee(pw):
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("join", FEE, "--on", "2025-12-10", "--account", "card=rakuten", "--id", "premium")
    return pw


@pytest.fixture
def gift(pw):
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("join", GIFT, "--on", "2022-07-12", "--id", "gift")
    return pw


def prefix(pw) -> str:
    """How the tests run pointwatch: the suggested commands carry the same --db and --config."""
    return f"pointwatch --db {pw.db_path} --config {pw.config_path}"


def tail(text: str) -> list[str]:
    """The lines after the listing (after its last blank line)."""
    return text.rstrip("\n").split("\n\n")[-1].splitlines()


def test_status_ends_with_the_claim_of_a_late_grant(gift) -> None:
    gift.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "付与")
    gift.ok("met", "gift", "recipient-registered=2022-09-20")
    pw = prefix(gift)
    assert tail(gift.ok("status", "--as-of", "2023-02-10")) == [
        "Next: 500 points into amazon was due on 2023-01-31 and has not arrived "
        f"(gift/recipient). Ask support: `{pw} claim gift/recipient` drafts the message; if it "
        f'came after all, record it: `{pw} record amazon --date DATE --amount 500 --memo "ギフト券"`.'
    ]


def test_status_says_which_statement_to_check(fee) -> None:
    pw = prefix(fee)
    assert tail(fee.ok("status", "--as-of", "2026-02-13")) == [
        "Next: open statement 2026-02 of rakuten (fixed on 2026-02-12, debited 2026-02-27), make "
        f"sure the waived fee of 11,000 JPY is not on it, then run `{pw} checked rakuten "
        f"2026-02`; or import the statement: `{pw} import FILE --account rakuten`.",
    ]
    # The command runs as written, and then nothing needs attention until next year's check.
    fee.ok("checked", "rakuten", "2026-02", "--as-of", "2026-02-13")
    assert tail(fee.ok("status", "--as-of", "2026-02-13"))[0] == (
        "Nothing needs you now; the next date is 2027-02-12 (premium/annual-fee/2)."
    )


def test_status_says_how_many_need_attention(fee, gift) -> None:
    pw = prefix(fee)
    lines = tail(fee.ok("status", "--as-of", "2026-02-13"))
    # The longest late first: the sender grant (the recipient's condition was never recorded
    # and its window has passed: it needs attention too), then the statement to check.
    assert lines[0].startswith("Next: 500 points into amazon was due on 2022-09-20")
    assert f"`{pw} claim gift/sender`" in lines[0]
    assert lines[1:] == [f"Needing attention now: 3 (`{pw} status --open` lists only those)."]
    ids = [e["id"] for e in fee.json("status", "--open", "--as-of", "2026-02-13")]
    assert sorted(ids) == ["gift/recipient", "gift/sender", "premium/annual-fee/1"]


def test_a_charged_fee_asks_for_a_refund(fee) -> None:
    fee.ok("record", "rakuten", "--date", "2026-01-05", "--amount", "11000", "--memo", "年会費")
    assert tail(fee.ok("status", "--as-of", "2026-02-13")) == [
        "Next: a fee of 11,000 JPY was charged on statement 2026-02 of rakuten although it is "
        f"waived (premium/annual-fee/1). Ask for a refund: `{prefix(fee)} claim "
        "premium/annual-fee/1` drafts the message."
    ]


def test_a_condition_to_record(gift) -> None:
    gift.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "付与")
    assert tail(gift.ok("status", "--as-of", "2023-01-22")) == [
        "Next: gift/recipient waits for recipient-registered; once it is met, record the day: "
        f"`{prefix(gift)} met gift recipient-registered=DATE`."
    ]


def test_nothing_needs_attention_now_names_the_next_date(fee) -> None:
    text = fee.ok("status", "--as-of", "2026-01-05")
    assert "premium/annual-fee/3" in text  # the full listing
    assert tail(text) == [
        "Nothing needs you now; the next date is 2026-02-12 (premium/annual-fee/1).",
        "Next: statement 2026-02 of rakuten is fixed on 2026-02-12 (premium/annual-fee/1); then "
        "make sure the waived fee of 11,000 JPY is not on it and run "
        f"`{prefix(fee)} checked rakuten 2026-02`.",
    ]
    assert fee.ok("status", "--open", "--as-of", "2026-01-05").splitlines()[0] == (
        "Nothing needs your attention now."
    )


def test_nothing_open(fee) -> None:
    for month in ("2026-02", "2027-02", "2028-02"):
        fee.ok("checked", "rakuten", month, "--as-of", "2028-03-01")
    assert tail(fee.ok("status", "--as-of", "2028-03-01")) == [
        "Nothing is open: everything was received, confirmed or settled."
    ]


def test_a_suggested_command_without_global_options_when_none_were_given(fee, monkeypatch):
    monkeypatch.setenv("POINTWATCH_DB", str(fee.db_path))
    monkeypatch.setenv("POINTWATCH_CONFIG", str(fee.config_path))
    result = fee.runner.invoke(__import__("pointwatch.cli").cli.main,
                               ["status", "--as-of", "2026-02-13"], prog_name="pointwatch")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "then run `pointwatch checked rakuten 2026-02`" in result.output


# --- status --open ---------------------------------------------------------------------------


def test_open_lists_only_what_needs_attention_now_or_soon(fee) -> None:
    ids = [e["id"] for e in fee.json("status", "--open", "--as-of", "2026-01-05")]
    assert ids == []  # the first check is five weeks away, the others years
    ids = [e["id"] for e in fee.json("status", "--open", "--as-of", "2026-02-09")]
    assert ids == ["premium/annual-fee/1"]  # fixed on the 12th: within upcoming_days (3)
    text = fee.ok("status", "--open", "--as-of", "2026-02-09")
    assert "premium/annual-fee/1" in text and "premium/annual-fee/2" not in text
    assert "Needing attention now" not in text  # the listing is that already
    # A charged fee stays until it is settled, whatever the date.
    fee.ok("record", "rakuten", "--date", "2026-01-05", "--amount", "11000", "--memo", "年会費")
    assert [e["id"] for e in fee.json("status", "--open", "--as-of", "2027-01-01")] == [
        "premium/annual-fee/1"
    ]


def test_open_follows_upcoming_days_of_the_config(fee) -> None:
    fee.write_config("[pointwatch]\nupcoming_days = 40\n")
    assert [e["id"] for e in fee.json("status", "--open", "--as-of", "2026-01-05")] == [
        "premium/annual-fee/1"
    ]


def test_json_keys_unchanged_and_no_next_step(fee) -> None:
    text = fee.ok("status", "--json", "--as-of", "2026-02-13")
    rows = json.loads(text)  # nothing but the JSON document
    assert "Next" not in text
    assert set(rows[0]) >= {
        "id", "enrollment", "campaign", "entitlement", "kind", "status", "amount", "unit",
        "account", "window_start", "window_end", "due", "statement", "closing_date",
        "payment_date", "days_late",
    }  # fmt: skip


def test_open_is_documented_in_the_help(pw) -> None:
    text = pw.ok("status", "--help")
    assert "upcoming_days" in text and "two years" in text
