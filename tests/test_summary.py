"""`pointwatch summary` against a table computed by hand (issue 12.3).

Two campaigns as of 2026-03-01. "mix" promises six grants of points with distinct amounts, so
each total names its grants: 100 received, 200 late, 400 substituted by a coupon worth 150
(250 lost), 800 written off, 1,600 not due yet, and 3,200 forfeited (on another points
account). "fees" promises 1,000 yen cashback onto the card (received as a credit) and four
waived fees on it: 1,100 confirmed (statement checked), 2,200 charged, 4,400 charged then
refunded, 8,800 on a statement not checked yet.
"""

from __future__ import annotations

CONFIG = '[pointwatch]\ntimezone = "Asia/Tokyo"\n'
MIX = """\
[[campaign]]
id = "mix"
name = "Six grants"
issuer = "Some Shop"
{grants}

[[campaign]]
id = "fees"
name = "Cashback and waived fees"
issuer = "My Card Co."

[[campaign.grant]]
id = "cashback"
amount = 1000
unit = "JPY"
account = "card"
window = "2026-02"
{waivers}
"""
GRANT = """
[[campaign.grant]]
id = "g{amount}"
amount = {amount}
account = "{account}"
window = "{window}"
"""
WAIVER = """
[[campaign.waiver]]
id = "fee{amount}"
amount = {amount}
account = "card"
statement = "{statement}"
match = {{ keywords = ["年会費{amount}"] }}
"""
AS_OF = "2026-03-01"

# The hand-computed table: grants and fees per unit, then per campaign and per account.
POINT = {
    "unit": "point", "expected": 6300, "received": 100, "pending": 1600, "late": 200,
    "substituted": 400, "forfeited": 3200, "written_off": 800, "fees_waived": 0,
    "fees_charged": 0, "refunded": 0, "substitute_value": 150, "lost": 250, "fees_pending": 0,
}  # fmt: skip
JPY = {
    "unit": "JPY", "expected": 1000, "received": 1000, "pending": 0, "late": 0,
    "substituted": 0, "forfeited": 0, "written_off": 0, "fees_waived": 1100,
    "fees_charged": 2200, "refunded": 4400, "substitute_value": 0, "lost": 0,
    "fees_pending": 8800,
}  # fmt: skip


def _only(row: dict, **changes: int) -> dict:
    """A breakdown row: the unit's totals with some replaced (the rest zero where changed)."""
    return {key: value for key, value in {**row, **changes}.items() if key != "unit"}


def setup(pw, tmp_path) -> None:
    pw.write_config(CONFIG)
    pw.ok("account", "add", "shop", "--kind", "points")
    pw.ok("account", "add", "other", "--kind", "points")
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    grants = "".join(
        GRANT.format(amount=amount, account=account, window=window)
        for amount, account, window in [
            (100, "points", "2026-01"), (200, "points", "2026-01"), (400, "points", "2026-01"),
            (800, "points", "2026-01"), (1600, "points", "2026-06"), (3200, "other", "2026-01"),
        ]
    )  # fmt: skip
    waivers = "".join(
        WAIVER.format(amount=amount, statement=statement)
        for amount, statement in [(1100, "2026-01"), (2200, "2026-02"), (4400, "2026-02"),
                                  (8800, "2026-04")]
    )  # fmt: skip
    path = tmp_path / "mix.toml"
    path.write_text(MIX.format(grants=grants, waivers=waivers), encoding="utf-8")
    pw.ok("campaign", "add", str(path))
    pw.ok("join", "mix", "--on", "2025-12-01", "--account", "points=shop",
          "--account", "other=other", "--id", "mix")  # fmt: skip
    pw.ok("join", "fees", "--on", "2025-12-01", "--account", "card=rakuten", "--id", "fees")

    pw.ok("record", "shop", "--date", "2026-01-15", "--amount", "100", "--memo", "ポイント")
    pw.ok("settle", "mix/g400", "--substituted-with", "coupon", "--amount", "150",
          "--as-of", "2026-02-20")  # fmt: skip
    pw.ok("settle", "mix/g800", "--write-off", "--reason", "gave up", "--as-of", "2026-02-20")
    pw.ok("settle", "mix/g3200", "--forfeit", "--reason", "condition", "--as-of", "2026-02-20")
    pw.ok("record", "rakuten", "--date", "2026-02-10", "--amount", "1000", "--memo", "キャッシュバック",
          "--credit")  # fmt: skip
    pw.ok("checked", "rakuten", "2026-01", "--as-of", AS_OF)
    pw.ok("record", "rakuten", "--date", "2026-01-20", "--amount", "2200", "--memo", "年会費2200")
    pw.ok("record", "rakuten", "--date", "2026-01-21", "--amount", "4400", "--memo", "年会費4400")
    pw.ok("record", "rakuten", "--date", "2026-02-10", "--amount", "4400", "--memo",
          "年会費4400 返金", "--credit")  # fmt: skip


def test_summary_totals_match_the_hand_computed_table(pw, tmp_path):
    setup(pw, tmp_path)
    statuses = {e["id"]: e["status"] for e in pw.json("status", "--as-of", AS_OF)}
    assert statuses == {
        "mix/g100": "received", "mix/g200": "late", "mix/g400": "substituted",
        "mix/g800": "written_off", "mix/g1600": "upcoming", "mix/g3200": "forfeited",
        "fees/cashback": "received", "fees/fee1100/1": "confirmed",
        "fees/fee2200/1": "fee_charged", "fees/fee4400/1": "refunded",
        "fees/fee8800/1": "upcoming",
    }  # fmt: skip

    jpy, point = pw.json("summary", "--as-of", AS_OF)
    assert {key: value for key, value in jpy.items() if not key.startswith("by_")} == JPY
    assert {key: value for key, value in point.items() if not key.startswith("by_")} == POINT
    assert point["by_campaign"] == [{"campaign": "mix", **_only(POINT)}]
    assert jpy["by_campaign"] == [{"campaign": "fees", **_only(JPY)}]
    assert point["by_account"] == [
        {"account": "other", **_only(POINT, expected=3200, received=0, pending=0, late=0,
                                     substituted=0, written_off=0, substitute_value=0, lost=0)},
        {"account": "shop", **_only(POINT, expected=3100, forfeited=0)},
    ]  # fmt: skip
    assert jpy["by_account"] == [{"account": "rakuten", **_only(JPY)}]


def test_summary_is_as_of_the_day_asked_and_reads_as_a_table(pw, tmp_path):
    setup(pw, tmp_path)
    # On 2026-01-31 nothing was settled yet, the 100 had come and nothing was late.
    jpy, point = pw.json("summary", "--as-of", "2026-01-31")
    assert (point["received"], point["pending"], point["late"], point["substituted"]) == (
        100, 6200, 0, 0
    )  # fmt: skip
    assert (jpy["received"], jpy["refunded"], jpy["fees_charged"]) == (0, 0, 6600)

    lines = pw.ok("summary", "--as-of", AS_OF).splitlines()
    assert lines[0] == "Totals per unit:"
    header = lines[1].split()
    assert header[:5] == ["unit", "expected", "received", "pending", "late"]
    assert lines[3].split()[:8] == ["point", "6,300", "100", "1,600", "200", "400", "250", "3,200"]
    assert "Per campaign:" in lines and "Per account:" in lines
    assert any(line.startswith("shop (point)") for line in lines)


def test_summary_of_nothing(pw):
    pw.write_config(CONFIG)
    assert pw.json("summary") == []
    assert "nothing to sum up" in pw.ok("summary")
