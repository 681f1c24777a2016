"""`pointwatch campaign new KIND` (issue 12.4): each skeleton loads unchanged with `campaign add`
and behaves as its comments say, through the CLI."""

from __future__ import annotations

import tomllib

import pytest

from pointwatch.skeletons import KINDS

CONFIG = '[pointwatch]\ntimezone = "Asia/Tokyo"\n'


@pytest.fixture
def accounts(pw):
    pw.write_config(CONFIG)
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("account", "add", "rpoints", "--kind", "points")
    return pw


def load(pw, tmp_path, kind: str) -> str:
    text = pw.ok("campaign", "new", kind)
    path = tmp_path / f"{kind}.toml"
    path.write_text(text, encoding="utf-8")
    campaign_id = tomllib.loads(text)["campaign"][0]["id"]
    assert f"added: campaign {campaign_id}" in pw.ok("campaign", "add", str(path))
    return campaign_id


CARD = ("--account", "card=rakuten")
POINTS = ("--account", "points=rpoints")


def joined(pw, tmp_path, kind: str, on: str, enrollment: str, *bindings: str) -> None:
    """The skeleton of `kind` loaded and joined on `on` as `enrollment`."""
    campaign_id = load(pw, tmp_path, kind)
    pw.ok("join", campaign_id, "--on", on, *bindings, "--id", enrollment)


def statuses(pw, as_of: str) -> dict[str, dict]:
    return {e["id"]: e for e in pw.json("status", "--as-of", as_of)}


@pytest.mark.parametrize("kind", KINDS)
def test_every_skeleton_is_commented_and_loads_unchanged(accounts, tmp_path, kind):
    text = accounts.ok("campaign", "new", kind)
    assert text.startswith("# ") and f"pointwatch campaign new {kind}" in text
    assert "docs/campaigns.md" in text
    campaign_id = load(accounts, tmp_path, kind)
    assert campaign_id.startswith("my-")
    assert accounts.json("campaign", "show", campaign_id)["id"] == campaign_id


def test_an_unknown_kind_is_refused(pw, unchanged):
    pw.ok("init")
    assert "'raffle' is not one of" in unchanged("campaign", "new", "raffle")


def test_signup_bonus(accounts, tmp_path):
    pw = accounts
    joined(pw, tmp_path, "signup-bonus", "2026-01-10", "bonus", *CARD, *POINTS)
    pw.ok("record", "rakuten", "--date", "2026-01-31", "--amount", "11000", "--memo", "年会費")
    pw.ok("record", "rakuten", "--date", "2026-02-20", "--amount", "50000", "--memo", "家電")
    bonus = statuses(pw, "2026-02-20")["bonus/bonus"]
    assert bonus["conditions"][0]["met_on"] == "2026-02-20"
    assert (bonus["window_start"], bonus["window_end"]) == ("2026-03-21", "2026-03-31")
    pw.ok("record", "rpoints", "--date", "2026-03-25", "--amount", "5000", "--memo", "入会特典")
    received = statuses(pw, "2026-03-25")["bonus/bonus"]
    assert (received["status"], received["expires_on"]) == ("received", "2026-09-30")


def test_fee_waiver(accounts, tmp_path):
    pw = accounts
    joined(pw, tmp_path, "fee-waiver", "2025-12-10", "fee", *CARD)
    found = statuses(pw, "2026-03-02")
    assert [(e["statement"], e["status"]) for e in found.values()] == [
        ("2026-02", "check"), ("2027-02", "upcoming")
    ]  # fmt: skip


def test_two_step(accounts, tmp_path):
    pw = accounts
    joined(pw, tmp_path, "two-step", "2026-07-12", "gift", *POINTS)
    assert statuses(pw, "2026-09-01")["gift/friend"]["status"] == "awaiting_condition"
    pw.ok("met", "gift", "friend-registered=2026-09-20")
    found = statuses(pw, "2026-10-01")
    assert (found["gift/sender"]["status"], found["gift/friend"]["status"]) == ("late", "upcoming")


def test_point_up(accounts, tmp_path):
    pw = accounts
    joined(pw, tmp_path, "point-up", "2026-04-03", "up", *CARD, *POINTS)
    pw.ok("record", "rakuten", "--date", "2026-04-02", "--amount", "3500", "--memo", "楽天市場")
    found = statuses(pw, "2026-04-10")["up/extra-points"]
    assert (found["status"], found["conditions"][0]["met_on"]) == ("upcoming", "2026-04-02")


def test_cashback(accounts, tmp_path):
    pw = accounts
    joined(pw, tmp_path, "cashback", "2026-03-01", "cash", *CARD)
    pw.ok("record", "rakuten", "--date", "2026-03-15", "--amount", "12000", "--memo", "書店")
    pw.ok("record", "rakuten", "--date", "2026-05-10", "--amount", "1000",
          "--memo", "キャッシュバック", "--credit")  # fmt: skip
    assert statuses(pw, "2026-05-10")["cash/cashback"]["status"] == "received"
