"""Campaign definition files: the shipped catalog, user files, and every kind of mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from pointwatch.campaigns import load_catalog, load_text
from pointwatch.errors import DefinitionError

GOOD = """\
[[campaign]]
id = "shop-cashback"
name = "Spring cashback"
issuer = "Some Shop"
period = { start = 2026-03-01, end = "2026-03-31" }

[[campaign.condition]]
id = "spent-10000"
text = "spent 10,000 yen in March"

[[campaign.grant]]
id = "cashback"
amount = 1000
unit = "JPY"
account = "card"
window = "qualified+1M 下旬"
requires = ["spent-10000"]
"""


def problems(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_text(text, "mine.toml")
    return caught.value.problems


def test_catalog_has_the_required_profiles_and_campaigns():
    catalog = load_catalog()
    profiles = {p.id: p for p in catalog.profiles}
    rakuten = profiles["rakuten-card"].cycle
    assert (rakuten.closing_day, rakuten.payment_day, rakuten.payment_months) == (None, 27, 1)
    assert (rakuten.calendar, rakuten.holiday_rule, rakuten.statement_ready_day) == (
        "JP",
        "next-business-day",
        12,
    )
    campaigns = {c.id: c for c in catalog.campaigns}
    fee = campaigns["rakuten-premium-annual-fee-free-3y"].waivers[0]
    assert (fee.amount, fee.account, fee.statement.text, fee.repeat) == (
        11000,
        "card",
        "joined+2M",
        3,
    )
    assert fee.match.keywords == ("年会費",)
    gift = campaigns["amazon-primeday-2022-giftcard"]
    assert [(g.id, g.amount, g.window.text, g.requires) for g in gift.grants] == [
        ("sender", 500, "2022-09 mid", ()),
        ("recipient", 500, "2023-01 late", ("recipient-registered",)),
    ]


def test_a_user_file_loads_with_relative_japanese_windows():
    (campaign,) = load_text(GOOD, "mine.toml").campaigns
    grant = campaign.grants[0]
    assert grant.window.anchor == "qualified" and grant.requires == ("spent-10000",)
    assert campaign.period.start.isoformat() == "2026-03-01"


def test_unknown_key_names_file_line_and_key_path():
    text = GOOD.replace('unit = "JPY"', 'unit = "JPY"\ncolour = "red"')
    assert problems(text) == [
        "mine.toml:15: campaign[1].grant[1].colour: unknown key (expected one of: id, amount, "
        "unit, account, window, grace, requires, match, text, expires)"
    ]


def test_every_problem_is_reported_at_once():
    text = (
        GOOD.replace("amount = 1000", "amount = -5")
        .replace('"qualified+1M 下旬"', '"2023-02-30"')
        .replace('end = "2026-03-31"', 'end = "2026-02-30"')
    )
    found = problems(text)
    assert len(found) == 3, found
    assert found[0].startswith("mine.toml:5: campaign[1].period.end:")
    assert "2026-02-30" in found[0]
    assert (
        found[1] == "mine.toml:13: campaign[1].grant[1].amount: expected a positive integer, got -5"
    )
    assert found[2].startswith('mine.toml:16: campaign[1].grant[1].window: "2023-02-30": not a')


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("amount = 1000", "amount = 12.5"), "grant[1].amount: expected an integer, got 12.5"),
        (("amount = 1000", 'amount = "1000"'), "grant[1].amount: expected an integer, got '1000'"),
        (('requires = ["spent-10000"]', 'requires = ["nope"]'), "unknown condition 'nope'"),
        (('account = "card"\n', ""), "campaign[1].grant[1].account: missing (required)"),
        (
            ('window = "qualified+1M 下旬"', 'window = "soon"'),
            '"soon": not a valid date expression',
        ),
        (('id = "shop-cashback"', 'id = "Shop Cashback"'), "expected lowercase letters"),
        (("[[campaign]]", "[[campaing]]"), "campaing: unknown key"),
    ],
)
def test_bad_values_are_named(change, expected):
    old, new = change
    found = problems(GOOD.replace(old, new, 1))
    assert any(expected in problem for problem in found), found


def test_toml_syntax_error_names_the_line():
    (problem,) = problems('[[campaign]]\nid = "x\n')
    assert problem.startswith("mine.toml: not valid TOML:") and "line 2" in problem


def test_campaign_without_entitlements_is_refused():
    (problem,) = problems('[[campaign]]\nid = "x"\nname = "X"\nissuer = "Y"\n')
    assert "at least one [[campaign.grant]] or [[campaign.waiver]]" in problem


def test_cli_campaign_add_is_all_or_nothing(pw, unchanged, tmp_path: Path):
    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD + GOOD.replace("shop-cashback", "other").replace("1000", "-1"), "utf-8")
    pw.ok("init")
    stderr = unchanged("campaign", "add", str(bad))
    assert "bad.toml:" in stderr and "amount: expected a positive integer, got -1" in stderr
    assert pw.json("campaign", "list") == []
    assert "added: campaign shop-cashback" in pw.ok("campaign", "add", str(good))
    assert "unchanged: campaign shop-cashback" in pw.ok("campaign", "add", str(good))
    assert [c["id"] for c in pw.json("campaign", "list")] == ["shop-cashback"]
    stderr = unchanged("campaign", "add", str(tmp_path / "missing.toml"))
    assert "missing.toml: no such file" in stderr


def test_cli_campaign_update_rederives_enrollments(pw, tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    pw.ok("campaign", "add", str(path))
    pw.ok("account", "add", "card", "--profile", "rakuten-card")
    pw.ok("join", "shop-cashback", "--on", "2026-03-05", "--met", "spent-10000=2026-03-20")
    (before,) = pw.json("status", "--as-of", "2026-03-25")
    assert (before["window_start"], before["window_end"]) == ("2026-04-21", "2026-04-30")
    path.write_text(GOOD.replace("qualified+1M 下旬", "qualified+2M 上旬"), encoding="utf-8")
    output = pw.ok("campaign", "add", str(path))
    assert "updated: campaign shop-cashback" in output
    assert "re-derived expectations of enrollment shop-cashback" in output
    (after,) = pw.json("status", "--as-of", "2026-03-25")
    assert (after["window_start"], after["window_end"]) == ("2026-05-01", "2026-05-10")


def test_cli_catalog_and_show(pw):
    catalog = pw.json("campaign", "catalog")
    assert {"rakuten-premium-annual-fee-free-3y", "amazon-primeday-2022-giftcard"} <= {
        c["id"] for c in catalog["campaigns"]
    }
    assert "rakuten-card" in {p["id"] for p in catalog["profiles"]}
    shown = pw.json("campaign", "show", "amazon-primeday-2022-giftcard")
    assert [g["window"] for g in shown["grants"]] == ["2022-09 mid", "2023-01 late"]
    assert "campaign 'nope' not found" in pw.fails("campaign", "show", "nope")


def test_cli_campaign_update_never_drops_support_history(pw, unchanged, tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    pw.ok("campaign", "add", str(path))
    pw.ok("account", "add", "card", "--profile", "rakuten-card")
    pw.ok("join", "shop-cashback", "--on", "2026-03-05", "--met", "spent-10000=2026-03-20")
    pw.ok("inquiry", "add", "shop-cashback/cashback", "--channel", "email",
          "--at", "2026-05-10 10:00", "--summary", "where is my cashback?")  # fmt: skip
    path.write_text(GOOD.replace('id = "cashback"', 'id = "refund"'), encoding="utf-8")
    stderr = unchanged("campaign", "add", str(path))
    assert "drops expectation 'shop-cashback/cashback', which has settlements or support" in stderr
