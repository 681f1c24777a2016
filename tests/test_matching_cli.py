"""Matching and point in time through the CLI (issue 8 items 1 and 3; DESIGN §3).

Each test states a rule of DESIGN §3 "Matching" or "Point in time" and fails if the rule is
broken: a grant takes no entry dated before it could be paid, the nearest entry wins, the
expected statement beats the next, a settled expectation takes nothing, and `--as-of D` sees
only what existed on D.
"""

from __future__ import annotations

import pytest

RECIPIENT = "gift/recipient"
SENDER = "gift/sender"


def _statuses(pw, as_of: str) -> dict[str, dict]:
    return {row["id"]: row for row in pw.json("status", "--as-of", as_of)}


def _settles(pw) -> dict[int, str | None]:
    """Entry id → the expectation it settles (as `entries --json` shows it)."""
    return {row["id"]: row["expectation"] for row in pw.json("entries")}


@pytest.fixture
def gift(pw):
    """Prime Day 2022 (the shipped campaign), joined 2022-07-12: the sender's 500 points are
    due 2022-09 mid, the recipient's 500 in 2023-01 late once the card is registered."""
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12",
          "--account", "points=amazon", "--id", "gift")  # fmt: skip
    return pw


def _record(pw, account: str, day: str, amount: int, memo: str, *more: str) -> int:
    out = pw.ok("record", account, "--date", day, "--amount", str(amount), "--memo", memo, *more)
    return int(out.split()[2].rstrip(":"))  # "recorded entry 7: …"


# --- issue 8 item 1: a grant takes no entry dated before it could be paid ----------------------


def test_a_duplicate_september_entry_does_not_settle_the_january_grant(gift):
    """The issue's case: 500 points recorded twice by mistake (14 and 15 September) settled the
    recipient's January grant, whose condition was met only on 20 September."""
    first = _record(gift, "amazon", "2022-09-14", 500, "Amazonポイント")
    second = _record(gift, "amazon", "2022-09-15", 500, "Amazonポイント")
    gift.ok("met", "gift", "recipient-registered=2022-09-20")
    statuses = _statuses(gift, "2023-02-10")
    assert (statuses[SENDER]["status"], statuses[SENDER]["entry"]) == ("received", first)
    assert (statuses[RECIPIENT]["status"], statuses[RECIPIENT]["days_late"]) == ("late", 10)
    assert _settles(gift) == {first: SENDER, second: None}


def test_a_late_payout_still_counts_and_an_early_one_within_early_days(gift):
    paid = _record(gift, "amazon", "2022-09-15", 500, "Amazonポイント")  # the sender's
    gift.ok("met", "gift", "recipient-registered=2022-09-20")
    too_early = _record(gift, "amazon", "2022-12-20", 500, "ポイント")  # 32 days before 21 Jan
    assert _statuses(gift, "2023-02-10")[RECIPIENT]["status"] == "late"
    late = _record(gift, "amazon", "2023-03-20", 500, "ポイント")  # 48 days after 31 Jan
    assert _statuses(gift, "2023-03-21")[RECIPIENT]["entry"] == late
    early = _record(gift, "amazon", "2022-12-21", 500, "ポイント")  # 31 days before: nearer
    assert _statuses(gift, "2023-03-21")[RECIPIENT]["entry"] == early
    assert _settles(gift) == {paid: SENDER, too_early: None, late: None, early: RECIPIENT}


def test_early_days_comes_from_the_config(gift):
    gift.write_config("[pointwatch]\nearly_days = 40\n")
    if gift("status").exit_code != 0:
        pytest.skip("early_days is not a config key yet (config.SPEC gains it in parallel)")
    _record(gift, "amazon", "2022-09-15", 500, "Amazonポイント")  # the sender's
    gift.ok("met", "gift", "recipient-registered=2022-09-20")
    early = _record(gift, "amazon", "2022-12-20", 500, "ポイント")  # 32 days before 21 Jan
    assert _statuses(gift, "2023-02-10")[RECIPIENT]["entry"] == early


TWO_CONDITIONS = """
[[campaign]]
id = "double"
name = "Two conditions"
issuer = "Test"
[[campaign.condition]]
id = "apply"
text = "applied"
[[campaign.condition]]
id = "spend"
text = "spent enough"
[[campaign.grant]]
id = "bonus"
amount = 1000
account = "points"
window = "2024-03"
requires = ["apply", "spend"]
"""


def test_qualified_is_the_later_of_two_conditions(pw, tmp_path):
    (tmp_path / "double.toml").write_text(TWO_CONDITIONS, encoding="utf-8")
    pw.ok("campaign", "add", str(tmp_path / "double.toml"))
    pw.ok("account", "add", "pts", "--kind", "points")
    pw.ok("join", "double", "--on", "2024-01-05", "--account", "points=pts", "--id", "d",
          "--met", "apply=2024-01-10", "--met", "spend=2024-02-20")  # fmt: skip
    between = _record(pw, "pts", "2024-02-10", 1000, "bonus")  # after `apply`, before `spend`
    assert _statuses(pw, "2024-04-30")["d/bonus"]["status"] == "late"
    after = _record(pw, "pts", "2024-02-25", 1000, "bonus")
    assert _statuses(pw, "2024-04-30")["d/bonus"]["entry"] == after
    assert _settles(pw)[between] is None


# --- ranking ----------------------------------------------------------------------------------

TWO_GRANTS = """
[[campaign]]
id = "pair"
name = "Two grants"
issuer = "Test"
[[campaign.grant]]
id = "first"
amount = 300
account = "points"
window = "2024-03"
[[campaign.grant]]
id = "second"
amount = 300
account = "points"
window = "{second}"
"""


def _pair(pw, tmp_path, second: str):
    """Two grants of 300 points into `pts`, joined 2024-01-05: March, and `second`."""
    (tmp_path / "pair.toml").write_text(TWO_GRANTS.format(second=second), encoding="utf-8")
    pw.ok("campaign", "add", str(tmp_path / "pair.toml"))
    pw.ok("account", "add", "pts", "--kind", "points")
    pw.ok("join", "pair", "--on", "2024-01-05", "--account", "points=pts", "--id", "p")
    return pw


def test_the_entry_nearest_to_the_window_wins_not_the_earliest(pw, tmp_path):
    _pair(pw, tmp_path, second="2024-09")
    early = _record(pw, "pts", "2024-02-05", 300, "points")  # 25 days before March
    near = _record(pw, "pts", "2024-04-03", 300, "points")  # 3 days after it
    assert _statuses(pw, "2024-04-10")["p/first"]["entry"] == near
    # September's grant could take the other only from 1 August (31 days early).
    assert _settles(pw) == {early: None, near: "p/first"}


@pytest.mark.parametrize(
    "settlement",
    [
        ("--substituted-with", "coupon", "--amount", "300"),
        ("--forfeit", "--reason", "condition missed"),
        ("--write-off", "--reason", "gave up"),
    ],
)
def test_a_settled_expectation_never_takes_an_entry(pw, tmp_path, settlement):
    pair = _pair(pw, tmp_path, second="2024-04")
    pair.ok("settle", "p/first", *settlement, "--as-of", "2024-03-01")
    inside_first = _record(pair, "pts", "2024-03-15", 300, "points")
    statuses = _statuses(pair, "2024-04-10")
    assert statuses["p/first"]["entry"] is None
    assert (statuses["p/second"]["status"], statuses["p/second"]["entry"]) == (
        "received",
        inside_first,
    )


def test_the_expected_statement_beats_the_next_for_a_fee(pw):
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10",
          "--account", "card=rakuten", "--id", "premium")  # fmt: skip
    # The slipped charge is dated first: ranking by date alone would pick it.
    slipped = _record(pw, "rakuten", "2026-01-05", 11000, "年会費", "--statement", "2026-03")
    expected = _record(pw, "rakuten", "2026-01-20", 11000, "年会費", "--statement", "2026-02")
    row = _statuses(pw, "2026-03-01")["premium/annual-fee/1"]
    assert (row["status"], row["entry"]) == ("fee_charged", expected)
    assert _settles(pw)[slipped] is None


# --- issue 8 item 3: point in time --------------------------------------------------------------


def test_status_as_of_a_day_before_the_entry_does_not_see_it(gift):
    gift.ok("met", "gift", "recipient-registered=2022-09-20")
    paid = _record(gift, "amazon", "2023-03-01", 500, "Amazonギフト券キャンペーン")
    assert _statuses(gift, "2023-03-01")[RECIPIENT]["entry"] == paid
    before = _statuses(gift, "2022-10-01")[RECIPIENT]
    assert (before["status"], before["entry"]) == ("upcoming", None)


def test_a_condition_met_after_the_day_is_still_awaited(gift):
    gift.ok("met", "gift", "recipient-registered=2022-09-20")
    assert _statuses(gift, "2022-09-19")[RECIPIENT]["status"] == "awaiting_condition"
    assert _statuses(gift, "2022-09-20")[RECIPIENT]["status"] == "upcoming"


def test_a_settlement_made_after_the_day_does_not_exist_yet(gift):
    gift.ok("met", "gift", "recipient-registered=2022-09-20")
    gift.ok("settle", RECIPIENT, "--substituted-with", "coupon", "--amount", "500",
            "--as-of", "2023-02-11")  # fmt: skip
    assert _statuses(gift, "2023-02-10")[RECIPIENT]["status"] == "late"
    assert _statuses(gift, "2023-02-11")[RECIPIENT]["status"] == "substituted"


def test_coverage_recorded_after_the_day_does_not_exist_yet(pw):
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10",
          "--account", "card=rakuten", "--id", "premium")  # fmt: skip
    pw.ok("checked", "rakuten", "2026-02", "--as-of", "2026-03-01")
    assert _statuses(pw, "2026-02-20")["premium/annual-fee/1"]["status"] == "check"
    assert _statuses(pw, "2026-03-01")["premium/annual-fee/1"]["status"] == "confirmed"


def test_the_demo_as_of_2022_has_not_checked_the_2026_statement(pw):
    """The issue's case: the demo's 2026-02 statement showed `confirmed` at --as-of 2022-08-01."""
    pw.ok("demo", "--as-of", "2026-03-01")  # loads the demo, checking the 2026-02 statement
    assert _statuses(pw, "2026-03-01")["demo-premium/annual-fee/1"]["status"] == "confirmed"
    then = _statuses(pw, "2022-08-01")
    assert then["demo-premium/annual-fee/1"]["status"] == "upcoming"
    assert then["demo-gift/sender"]["status"] == "upcoming"  # its entry is dated 2022-09-15
