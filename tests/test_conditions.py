"""Conditions computed from entries (issue 12): spend, count and entry conditions met early, met
on the deadline, missed, and missed only once the statements are covered — through the CLI.

The sign-up bonus: join on 2026-01-10, spend 50,000 yen on the Rakuten card by the end of the
month after next (2026-03-31; annual fees do not count), 5,000 points in the second half of
the month after the condition is met. Rakuten statements: January's charges are statement
2026-02 (fixed 2026-02-12), February's 2026-03, March's 2026-04 (fixed 2026-04-12).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pointwatch.domain.conditions import Ledger, _reached
from pointwatch.domain.dates import DateWindow
from pointwatch.domain.definitions import MatchRule
from pointwatch.domain.matching import Entry

CONFIG = '[pointwatch]\ntimezone = "Asia/Tokyo"\n'
SIGNUP = """\
[[campaign]]
id = "signup"
name = "5,000 points after spending 50,000 yen within two months"
issuer = "My Card Co."

[[campaign.condition]]
id = "spend"
text = "spend 50,000 yen by the end of the month after next"
kind = "spend"
account = "card"
at_least = 50000
by = "joined+2M end"
match = { exclude = ["年会費"] }

[[campaign.grant]]
id = "bonus"
amount = 5000
unit = "point"
account = "points"
window = "qualified+1M late"
requires = ["spend"]
"""
BONUS = "welcome/bonus"


def joined(pw, tmp_path, campaign: str, accounts: list[list[str]], *join: str, config=CONFIG):
    """A database with `accounts` (`account add` arguments), the campaign file loaded and
    joined (`join` arguments)."""
    pw.write_config(config)
    for account in accounts:
        pw.ok("account", "add", *account)
    path = tmp_path / "campaign.toml"
    path.write_text(campaign, encoding="utf-8")
    pw.ok("campaign", "add", str(path))
    pw.ok("join", *join)
    return pw


CARD_AND_POINTS = [["rakuten", "--profile", "rakuten-card"], ["rpoints", "--kind", "points"]]
BINDINGS = ("--account", "card=rakuten", "--account", "points=rpoints")


@pytest.fixture
def signup(pw, tmp_path):
    return joined(pw, tmp_path, SIGNUP, CARD_AND_POINTS,
                  "signup", "--on", "2026-01-10", *BINDINGS, "--id", "welcome")  # fmt: skip


def charge(pw, day: str, amount: int, memo: str = "楽天市場", *flags: str) -> None:
    pw.ok("record", "rakuten", "--date", day, "--amount", str(amount), "--memo", memo, *flags)


def bonus(pw, as_of: str) -> dict:
    return next(e for e in pw.json("status", "--as-of", as_of) if e["id"] == BONUS)


def condition(pw, as_of: str) -> dict:
    (spend,) = bonus(pw, as_of)["conditions"]
    return spend


def raised(pw, as_of: str) -> list[tuple[str, str]]:
    report = pw.json("remind", "--as-of", as_of)
    return [(alert["kind"], alert["expectation"]) for alert in report["raised"]]


def test_spend_met_early_moves_the_window_and_counts_entries_as_of_the_day(signup):
    pw = signup
    charge(pw, "2026-01-20", 30000)
    charge(pw, "2026-02-05", 11000, "年会費")  # excluded by match.exclude
    charge(pw, "2026-02-14", 25000, "家電")

    before = bonus(pw, "2026-02-13")
    assert before["status"] == "awaiting_condition"
    assert before["window_start"] is None
    assert before["conditions"] == [{
        "id": "spend", "kind": "spend", "met_on": None, "so_far": 30000, "at_least": 50000,
        "deadline": "2026-03-31", "account": "rakuten", "unit": "JPY", "missed": False,
        "unconfirmed": [],
    }]  # fmt: skip
    assert before["expires_on"] is None
    listing = pw.ok("status", "--as-of", "2026-02-13")
    assert "spend on rakuten: 30,000 / 50,000 JPY, 46 days left" in listing
    assert "import FILE --account rakuten`" in listing

    after = bonus(pw, "2026-02-14")
    assert after["status"] == "upcoming"
    assert (after["window_start"], after["window_end"]) == ("2026-03-21", "2026-03-31")
    assert after["conditions"][0]["met_on"] == "2026-02-14"
    assert after["conditions"][0]["so_far"] == 55000
    assert "spend" not in after["waiting_for"]

    pw.ok("record", "rpoints", "--date", "2026-03-25", "--amount", "5000", "--memo", "入会特典")
    assert bonus(pw, "2026-03-25")["status"] == "received"
    # A payout dated before the day the condition was met cannot be this grant's.
    assert bonus(pw, "2026-02-13")["status"] == "awaiting_condition"


def test_spend_met_on_the_deadline(signup):
    pw = signup
    charge(pw, "2026-01-20", 30000)
    charge(pw, "2026-03-31", 20000)
    assert "1 day left" in pw.ok("status", "--as-of", "2026-03-30")
    met = bonus(pw, "2026-03-31")
    assert met["status"] == "upcoming"
    assert met["conditions"][0]["met_on"] == "2026-03-31"
    assert (met["window_start"], met["window_end"]) == ("2026-04-21", "2026-04-30")
    # An entry after the deadline does not count.
    charge(pw, "2026-04-01", 90000)
    assert bonus(pw, "2026-04-30")["conditions"][0]["met_on"] == "2026-03-31"


def test_a_refund_below_the_threshold_undoes_it_until_spending_reaches_it_again(signup):
    pw = signup
    charge(pw, "2026-02-01", 50000)
    charge(pw, "2026-02-10", 10000, "楽天市場 返品", "--credit")
    assert condition(pw, "2026-02-09")["met_on"] == "2026-02-01"
    refunded = condition(pw, "2026-02-10")
    assert (refunded["met_on"], refunded["so_far"]) == (None, 40000)
    charge(pw, "2026-03-01", 10000)
    assert condition(pw, "2026-03-01")["met_on"] == "2026-03-01"


def test_missed_only_once_every_statement_up_to_the_deadline_is_covered(signup):
    pw = signup
    charge(pw, "2026-01-20", 30000)

    # The deadline passed unmet, but nothing proves the statements are complete.
    waiting = bonus(pw, "2026-04-13")
    assert waiting["status"] == "awaiting_condition"
    assert waiting["conditions"][0]["unconfirmed"] == ["2026-02", "2026-03", "2026-04"]
    assert waiting["conditions"][0]["missed"] is False
    listing = pw.ok("status", "--as-of", "2026-04-13")
    assert "statements 2026-02, 2026-03, 2026-04 of rakuten are not covered yet" in listing
    assert "checked rakuten 2026-02`" in listing
    assert ("check_statement", BONUS) in raised(pw, "2026-04-13")
    assert bonus(pw, "2026-09-01")["status"] == "awaiting_condition"  # never on missing data

    for month in ("2026-02", "2026-03", "2026-04"):
        pw.ok("checked", "rakuten", month, "--as-of", "2026-04-13")
    missed = bonus(pw, "2026-04-13")
    assert missed["status"] == "forfeited"
    assert missed["conditions"][0]["missed"] is True
    assert "30,000 / 50,000 JPY by 2026-03-31, missed" in pw.ok("status", "--as-of", "2026-04-13")
    assert "check_statement" not in [kind for kind, _ in raised(pw, "2026-04-14")]
    # Coverage recorded later does not exist as of an earlier day.
    assert bonus(pw, "2026-04-12")["status"] == "awaiting_condition"

    # Derived, not stored: an entry found later (dated by the deadline) brings it back.
    charge(pw, "2026-03-20", 20000, "家電")
    back = bonus(pw, "2026-04-13")
    assert (back["status"], back["window_start"]) == ("upcoming", "2026-04-21")
    assert back["conditions"][0]["met_on"] == "2026-03-20"


def test_partly_covered_statements_are_named(signup):
    pw = signup
    charge(pw, "2026-01-20", 30000)
    pw.ok("checked", "rakuten", "2026-02", "--as-of", "2026-04-02")
    assert condition(pw, "2026-04-02")["unconfirmed"] == ["2026-03", "2026-04"]
    step = pw.ok("status", "--as-of", "2026-04-02").splitlines()[-1]
    assert "check statement 2026-03 (fixed on 2026-03-12)" in step
    assert "checked rakuten 2026-03`" in step


def test_condition_at_risk_comes_upcoming_days_before_the_deadline(signup):
    pw = signup
    charge(pw, "2026-01-20", 30000)
    assert raised(pw, "2026-03-27") == []
    assert BONUS not in [e["id"] for e in pw.json("status", "--open", "--as-of", "2026-03-27")]
    assert BONUS in [e["id"] for e in pw.json("status", "--open", "--as-of", "2026-03-28")]
    report = pw.json("remind", "--as-of", "2026-03-28")
    (alert,) = report["raised"]
    assert (alert["kind"], alert["key"]) == ("condition_at_risk", f"condition_at_risk:{BONUS}")
    assert "spend on rakuten: 30,000 / 50,000 JPY, 3 days left" in alert["message"]
    assert "If it is not met by 2026-03-31, 5,000 points will be forfeited." in alert["message"]
    charge(pw, "2026-03-29", 20000)
    assert pw.json("remind", "--as-of", "2026-03-29")["raised"] == []
    alerts = pw.json("alerts", "--all")
    assert [a["state"] for a in alerts if a["kind"] == "condition_at_risk"] == ["resolved"]


def test_met_is_refused_for_a_computed_condition(signup, unchanged):
    stderr = unchanged("met", "welcome", "spend=2026-02-01")
    assert "is computed from the entries of role 'card'" in stderr


POINT_UP = """\
[[campaign]]
id = "point-up"
name = "Shop once for 3,000 yen or more in the first week of April: 300 points in late May"
issuer = "My Card Co."

[[campaign.condition]]
id = "one-purchase"
kind = "entry"
account = "card"
at_least = 3000
from = "2026-04-01"
by = "2026-04-07"
match = { keywords = ["楽天市場"] }

[[campaign.condition]]
id = "three-uses"
kind = "count"
account = "card"
at_least = 3
from = "2026-04-01"
by = "2026-04-30"

[[campaign.grant]]
id = "points"
amount = 300
account = "points"
window = "2026-05 late"
requires = ["one-purchase"]

[[campaign.grant]]
id = "extra"
amount = 200
account = "points"
window = "2026-06"
requires = ["three-uses"]
"""


def test_entry_and_count_conditions(pw, tmp_path):
    joined(pw, tmp_path, POINT_UP, CARD_AND_POINTS,
           "point-up", "--on", "2026-04-01", *BINDINGS, "--id", "up")  # fmt: skip
    charge(pw, "2026-03-31", 5000)  # before `from`
    charge(pw, "2026-04-02", 2000)  # too small for the entry condition
    charge(pw, "2026-04-03", 4000, "コンビニ")  # big enough, without the keyword
    charge(pw, "2026-04-05", 3500)
    charge(pw, "2026-04-06", 800, "楽天市場 返品", "--credit")  # a credit is no use

    status = {e["id"]: e for e in pw.json("status", "--as-of", "2026-04-05")}
    (entry,) = status["up/points"]["conditions"]
    assert (entry["kind"], entry["met_on"], entry["so_far"]) == ("entry", "2026-04-05", 3500)
    assert status["up/points"]["status"] == "upcoming"
    (count,) = status["up/extra"]["conditions"]
    assert (count["kind"], count["met_on"], count["so_far"], count["at_least"]) == (
        "count", "2026-04-05", 3, 3
    )  # fmt: skip
    early = {e["id"]: e for e in pw.json("status", "--as-of", "2026-04-04")}
    assert early["up/extra"]["conditions"][0]["so_far"] == 2
    assert "2 / 3 charges, 26 days left" in pw.ok("status", "--as-of", "2026-04-04")
    assert "no charge of 3,000 JPY or more, 3 days left" in pw.ok("status", "--as-of", "2026-04-04")


DEBIT = """\
[[campaign]]
id = "debit-cashback"
name = "Pay 10,000 yen with the debit card in March, 500 yen back in May"
issuer = "My Bank"

[[campaign.condition]]
id = "spend"
kind = "spend"
account = "bank"
at_least = 10000
from = "2026-03-01"
by = "2026-03-31"
match = { keywords = ["デビット"] }

[[campaign.grant]]
id = "cashback"
amount = 500
unit = "JPY"
account = "bank"
window = "2026-05"
requires = ["spend"]
"""


def test_an_account_without_statements_misses_the_day_after_the_deadline(pw, tmp_path):
    joined(pw, tmp_path, DEBIT, [["bank", "--kind", "bank"]],
           "debit-cashback", "--on", "2026-03-01", "--id", "debit")  # fmt: skip
    pw.ok("record", "bank", "--date", "2026-03-10", "--amount", "6000", "--memo", "デビット 書店",
          "--debit")  # fmt: skip
    pw.ok(
        "record", "bank", "--date", "2026-03-12", "--amount", "9000", "--memo", "振込", "--debit"
    )  # fmt: skip (no keyword)
    status = pw.json("status", "--as-of", "2026-03-31")[0]
    assert (status["status"], status["conditions"][0]["so_far"]) == ("awaiting_condition", 6000)
    missed = pw.json("status", "--as-of", "2026-04-01")[0]
    assert missed["status"] == "forfeited"
    assert missed["conditions"][0]["unconfirmed"] == []
    pw.ok("record", "bank", "--date", "2026-03-30", "--amount", "4000", "--memo", "デビット 駅",
          "--debit")  # fmt: skip
    assert pw.json("status", "--as-of", "2026-04-01")[0]["status"] == "upcoming"


DECLARED = """\
[[campaign]]
id = "friend"
name = "500 points once the friend registers by the end of March"
issuer = "Some Shop"

[[campaign.condition]]
id = "registered"
by = "2026-03-31"

[[campaign.grant]]
id = "points"
amount = 500
account = "points"
window = "qualified+1M"
requires = ["registered"]
"""


@pytest.mark.parametrize(
    ("met", "as_of", "expected"),
    [(None, "2026-03-31", "awaiting_condition"), (None, "2026-04-01", "forfeited"),
     ("2026-03-20", "2026-04-01", "upcoming"), ("2026-04-02", "2026-04-05", "forfeited")],
)  # fmt: skip
def test_a_declared_condition_with_a_deadline(pw, tmp_path, met, as_of, expected):
    joined(pw, tmp_path, DECLARED, [["shop", "--kind", "points"]],
           "friend", "--on", "2026-03-01", "--id", "friend")  # fmt: skip
    if met:
        pw.ok("met", "friend", f"registered={met}")
    (status,) = pw.json("status", "--as-of", as_of)
    assert status["status"] == expected
    assert status["conditions"][0]["deadline"] == "2026-03-31"
    assert status["conditions"][0]["met_on"] == met
    # Near its deadline an unmet declared condition needs the user (and says how to record it).
    waiting = met is None or met > "2026-03-28"  # on 2026-03-28, met later is not met yet
    near = pw.json("status", "--open", "--as-of", "2026-03-28")
    assert [e["id"] for e in near] == (["friend/points"] if waiting else [])
    if waiting:
        assert "met friend registered=DATE" in pw.ok("status", "--as-of", "2026-03-28")
        assert [a["kind"] for a in pw.json("remind", "--as-of", "2026-03-28")["raised"]] == [
            "condition_at_risk"
        ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('kind = "spend"', 'kind = "total"'),
         "campaign[1].condition[1].kind: 'total': expected one of declared, spend, count, entry"),
        (('by = "joined+2M end"\n', ""), "campaign[1].condition[1].by: missing (required)"),
        (('at_least = 50000\n', ""), "campaign[1].condition[1].at_least: missing (required)"),
        (('account = "card"\n', ""), "campaign[1].condition[1].account: missing (required)"),
        (('by = "joined+2M end"', 'by = "qualified+1M"'),
         "campaign[1].condition[1].by: 'qualified+1M': relative to 'qualified', which by cannot "
         "be (expected a date, or an expression relative to 'joined')"),
        (('match = { exclude = ["年会費"] }', 'match = { tolerance = 5 }'),
         "campaign[1].condition[1].match.tolerance: unknown key (expected one of: keywords, "
         "exclude)"),
        (('kind = "spend"', 'kind = "declared"'),
         "campaign[1].condition[1].account: only computed conditions take it (kind = spend, "
         "count or entry); a declared condition is met by `pointwatch met`"),
        (('requires = ["spend"]', 'requires = ["spend"]\nexpires = "joined+6M"'),
         "campaign[1].grant[1].expires: 'joined+6M': relative to 'joined', which expires cannot "
         "be (expected a date, or an expression relative to 'received')"),
        (('window = "qualified+1M late"', 'window = "received+1M"'),
         "campaign[1].grant[1].window: 'received+1M': relative to 'received', which window "
         "cannot be (expected a date, or an expression relative to 'joined' or 'qualified')"),
    ],
)  # fmt: skip
def test_condition_mistakes_are_reported(pw, tmp_path, unchanged, change, problem):
    pw.ok("init")
    path = tmp_path / "bad.toml"
    path.write_text(SIGNUP.replace(*change), encoding="utf-8")
    stderr = unchanged("campaign", "add", str(path))
    assert problem in stderr


EXPIRING = """\
[[campaign]]
id = "limited-points"
name = "1,000 limited-time points, usable until the end of the sixth month"
issuer = "Some Shop"

[[campaign.grant]]
id = "points"
amount = 1000
account = "points"
window = "2026-04"
expires = "received+6M end"
"""


def test_received_points_expire_and_warn_expiry_days_before(pw, tmp_path):
    joined(pw, tmp_path, EXPIRING, [["shop", "--kind", "points"]],
           "limited-points", "--on", "2026-03-01", "--id", "limited",
           config=CONFIG + "expiry_days = 14\n")  # fmt: skip
    assert pw.json("status", "--as-of", "2026-04-30")[0]["expires_on"] is None  # not received
    pw.ok("record", "shop", "--date", "2026-04-25", "--amount", "1000", "--memo", "期間限定")
    (status,) = pw.json("status", "--as-of", "2026-05-01")
    assert (status["status"], status["expires_on"]) == ("received", "2026-10-31")
    assert "received (expires 2026-10-31)" in pw.ok("status", "--as-of", "2026-05-01")
    assert raised(pw, "2026-10-16") == []
    report = pw.json("remind", "--as-of", "2026-10-17")
    (alert,) = report["raised"]
    assert (alert["kind"], alert["expectation"]) == ("expiring", "limited/points")
    assert "Expiring on 2026-10-31: 1,000 points in shop (limited/points)" in alert["message"]
    pw.json("remind", "--as-of", "2026-11-01")
    alerts = pw.json("alerts", "--all")
    assert [a["state"] for a in alerts if a["kind"] == "expiring"] == ["resolved"]


# --- the ledger's bisections against a plain walk -----------------------------------------------

DAY = date(2026, 1, 1)
ENTRIES = st.lists(
    st.tuples(st.integers(0, 60), st.integers(-3000, 6000).filter(bool), st.booleans()),
    max_size=40,
)


@given(ENTRIES, st.sampled_from(["spend", "count", "entry"]), st.integers(1, 9000),
       st.integers(0, 60), st.integers(0, 60))  # fmt: skip
def test_the_ledger_reaches_what_a_walk_over_the_days_reaches(rows, kind, at_least, a, b):
    entries = [
        Entry(number, "card", amount, DAY + timedelta(days=day), None, "年会費" if fee else "店")
        for number, (day, amount, fee) in enumerate(rows)
    ]
    days = DateWindow(DAY + timedelta(days=min(a, b)), DAY + timedelta(days=max(a, b)))
    ledger = Ledger(entries, MatchRule(exclude=("年会費",)), "card")
    walked = sorted(
        (e for e in entries if days.contains(e.date) and e.description != "年会費"),
        key=lambda e: (e.date, e.id),
    )
    expected = _reached(kind, at_least, [(e.date, e.amount) for e in walked])
    if kind == "count":
        charges = [e.date for e in walked if e.amount > 0]
        expected = (charges[at_least - 1] if len(charges) >= at_least else None, len(charges))
    assert ledger.reached(kind, at_least, days) == expected
