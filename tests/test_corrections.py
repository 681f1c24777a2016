"""Corrections: the journal (`log`), `undo` of every change command, `delete`, `edit`, the
duplicate refusal of `record`, and the demo's own database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pointwatch.cli import main

DATA = Path(__file__).parent / "data"
TOKYO = '[pointwatch]\ntimezone = "Asia/Tokyo"\n'

SHOP = """\
[[campaign]]
id = "shop-cashback"
name = "Spring cashback"
issuer = "Some Shop"
period = {{ start = 2026-03-01, end = "2026-03-31" }}

[[campaign.condition]]
id = "spent-10000"
text = "spent 10,000 yen in March"

[[campaign.grant]]
id = "cashback"
amount = {amount}
unit = "point"
account = "points"
window = "qualified+1M 下旬"
requires = ["spent-10000"]
{bonus}"""

BONUS = """
[[campaign.grant]]
id = "bonus"
amount = 100
unit = "point"
account = "points"
window = "2026-05"
"""


def state(pw) -> list[tuple]:
    """Every row of every table but the journal itself."""
    return [row for row in pw.dump() if row[0] != "journal"]


def journal(pw) -> list[dict]:
    return pw.json("log", "--limit", "0")


@pytest.fixture
def world(pw, tmp_path):
    """Accounts, three enrollments, entries, an inquiry, a settlement, coverage and alerts."""
    pw.write_config(TOKYO)
    (tmp_path / "shop.toml").write_text(SHOP.format(amount=300, bonus=BONUS), encoding="utf-8")
    (tmp_path / "shop2.toml").write_text(SHOP.format(amount=500, bonus=""), encoding="utf-8")
    other = SHOP.format(amount=500, bonus="").replace('"shop-cashback"', '"other-cashback"')
    (tmp_path / "other.toml").write_text(other, encoding="utf-8")
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("account", "add", "old", "--profile", "rakuten-card")
    pw.ok("account", "add", "purse", "--kind", "wallet")
    pw.ok("checked", "old", "2025-12", "--as-of", "2025-12-20")
    pw.ok("campaign", "add", str(tmp_path / "shop.toml"))
    pw.ok("join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10", "--id", "premium",
          "--account", "card=rakuten")  # fmt: skip
    pw.ok("join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12", "--id", "gift",
          "--account", "points=amazon")  # fmt: skip
    pw.ok("join", "shop-cashback", "--on", "2026-03-01", "--id", "shop", "--account",
          "points=amazon")  # fmt: skip
    pw.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "Amazonポイント")
    pw.ok("record", "rakuten", "--date", "2026-01-05", "--amount", "11000", "--memo", "年会費")
    pw.ok("met", "gift", "recipient-registered=2022-09-20")
    pw.ok("inquiry", "add", "gift/recipient", "--channel", "chat", "--at", "2023-02-10 10:00",
          "--summary", "where are the points")  # fmt: skip
    pw.ok("settle", "gift/recipient", "--substituted-with", "coupon", "--amount", "500",
          "--as-of", "2023-02-12")  # fmt: skip
    pw.ok("remind", "--as-of", "2026-02-13")  # fee_charged on premium/annual-fee/1: alert 1
    return pw


ENAVI = str(DATA / "rakuten_enavi_2026-02.csv")
DECEMBER = str(DATA / "rakuten_enavi_2026-01_december.csv")

# fmt: off
CHANGES = {
    "record": ("record", "amazon", "--date", "2023-01-25", "--amount", "500", "--memo", "ギフト券"),
    "record --again": ("record", "amazon", "--date", "2022-09-15", "--amount", "500",
                       "--memo", "Amazonポイント", "--again"),
    "record --credit": ("record", "rakuten", "--date", "2026-01-20", "--amount", "11000",
                        "--memo", "年会費 返金", "--credit"),
    "import": ("import", ENAVI, "--account", "rakuten", "--as-of", "2026-02-15"),
    "import, no coverage": ("import", DECEMBER, "--account", "rakuten", "--as-of", "2026-01-05"),
    "join": ("join", "amazon-primeday-2022-giftcard", "--on", "2022-07-13", "--id", "gift2",
             "--account", "points=amazon", "--met", "recipient-registered=2022-08-01"),
    "join from the catalog": ("join", "rakuten-premium-annual-fee-free-3y", "--on",
                              "2026-01-10", "--id", "premium-old", "--account", "card=old"),
    "met": ("met", "shop", "spent-10000=2026-03-20"),
    "checked": ("checked", "rakuten", "2026-01", "--as-of", "2026-01-20"),
    "settle": ("settle", "premium/annual-fee/1", "--write-off", "--reason", "gave up",
               "--as-of", "2026-03-01"),
    "settle --forfeit": ("settle", "shop/cashback", "--forfeit", "--reason", "not spent",
                         "--as-of", "2026-04-01"),
    "reopen": ("reopen", "gift/recipient", "--reason", "a coupon is not points",
               "--as-of", "2023-02-20"),
    "ack": ("ack", "1", "--as-of", "2026-02-14"),
    "ack --snooze": ("ack", "1", "--snooze", "3", "--as-of", "2026-02-14"),
    "account add": ("account", "add", "bank", "--kind", "bank"),
    "campaign add (re-derives)": ("campaign", "add", "{tmp}/shop2.toml"),
    "campaign add (new)": ("campaign", "add", "{tmp}/other.toml"),
    "inquiry add": ("inquiry", "add", "premium/annual-fee/1", "--channel", "phone", "--at",
                    "2026-02-14 10:00", "--promise", "refund", "--promise-by", "3d"),
    "delete entry": ("delete", "entry", "1"),
    "delete enrollment": ("delete", "enrollment", "shop"),
    "delete account (with coverage)": ("delete", "account", "old"),
    "delete account": ("delete", "account", "purse"),
    "delete inquiry": ("delete", "inquiry", "1"),
    "edit entry": ("edit", "entry", "2", "--date", "2026-01-06", "--amount", "1100",
                   "--memo", "年会費 修正"),
    "edit entry --debit": ("edit", "entry", "1", "--debit"),
    "demo": ("demo", "--as-of", "2026-02-20"),
}
# fmt: on


@pytest.mark.parametrize("name", list(CHANGES))
def test_undo_reverts_every_change_command_exactly(world, tmp_path, name):
    command = [arg.replace("{tmp}", str(tmp_path)) for arg in CHANGES[name]]
    before = state(world)
    journaled = len(journal(world))
    world.ok(*command)
    assert state(world) != before, f"{name} changed nothing"
    latest = journal(world)[0]
    assert len(journal(world)) == journaled + 1
    assert " ".join(command[:2]) in latest["command"]
    assert latest["undone"] is False
    out = world.ok("undo")
    assert out.startswith(f"undid change {latest['id']}: `pointwatch ")
    assert state(world) == before
    assert journal(world)[0] == {
        **latest,
        "undone": True,
        "undone_at": journal(world)[0]["undone_at"],
    }


def test_undo_walks_back_one_change_at_a_time(world):
    before = state(world)
    world.ok("record", "amazon", "--date", "2023-01-25", "--amount", "500", "--memo", "ギフト券")
    middle = state(world)
    world.ok("delete", "entry", "1")
    assert "delete entry 1" in world.ok("undo")
    assert state(world) == middle
    assert "record amazon" in world.ok("undo")
    assert state(world) == before


def test_the_journal_lists_changes_newest_first_with_what_they_changed(pw):
    pw.write_config(TOKYO)
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "x")
    pw.ok("status")  # reads only: not journaled
    pw.ok("entries", "--json")
    entries = journal(pw)
    assert [e["summary"] for e in entries] == ["added entry 1", "added account amazon"]
    assert entries[0]["command"].endswith("record amazon --date 2022-09-15 --amount 500 --memo x")
    assert entries[0]["command"].startswith("pointwatch --db ")
    assert set(entries[0]) == {"id", "at", "command", "summary", "undone", "undone_at"}
    lines = pw.ok("log").splitlines()
    assert lines[0].startswith("2  ") and lines[0].endswith("--amount 500 --memo x")
    assert lines[1].strip() == "added entry 1"
    pw.ok("undo")
    assert "[undone " in pw.ok("log", "-n", "1")
    assert len(pw.ok("log", "-n", "1").splitlines()) == 2


def test_undo_is_not_itself_undoable_and_stops_at_the_start(pw, unchanged):
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("undo")
    assert len(journal(pw)) == 1
    assert "nothing to undo" in unchanged("undo")


def test_an_import_undone_removes_exactly_its_entries_and_coverage(pw):
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("record", "rakuten", "--date", "2026-01-08", "--amount", "4980", "--memo", "楽天市場")
    pw.ok("import", str(DATA / "rakuten_enavi_2026-01_december.csv"), "--account", "rakuten",
          "--as-of", "2026-01-20")  # fmt: skip
    before = state(pw)
    pw.ok("import", str(DATA / "rakuten_enavi_2026-02.csv"), "--account", "rakuten",
          "--as-of", "2026-02-15")  # fmt: skip
    assert journal(pw)[0]["summary"] == "added coverage 2, 5 entry rows"
    pw.ok("undo")
    assert state(pw) == before
    assert len(pw.json("entries")) == 1 + len(
        [e for e in pw.json("entries") if e["source"].startswith("import")]
    )


def test_dry_runs_and_the_daily_run_are_not_journaled(pw):
    pw.write_config(TOKYO)
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10", "--id", "premium")
    pw.ok("import", str(DATA / "rakuten_enavi_2026-02.csv"), "--account", "rakuten",
          "--as-of", "2026-02-15", "--dry-run")  # fmt: skip
    pw.ok("remind", "--as-of", "2026-02-13")
    assert [e["command"].split()[-1] for e in journal(pw)] == ["premium", "rakuten-card"]


# --- what undo refuses -------------------------------------------------------------------------


def test_undo_of_a_join_is_refused_once_the_daily_run_raised_alerts_for_it(pw, unchanged):
    pw.write_config(TOKYO)
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10", "--id", "premium")
    pw.ok("remind", "--as-of", "2026-02-13")  # check_statement on premium/annual-fee/1
    error = unchanged("undo")
    assert error.startswith("Error: cannot undo change 2 (`pointwatch --db "), error
    assert (
        "alert 1, written since, refers to expectation premium/annual-fee/1, which this change "
        "added, by something the journal does not record (the daily run `pointwatch remind`, "
        "for one); correct it instead with: `pointwatch delete enrollment premium`"
    ) in error
    pw.ok("delete", "enrollment", "premium")  # the way out the message gives
    assert pw.json("status") == []


def test_undo_of_an_ack_is_refused_once_the_daily_run_delivered_the_alert_again(pw, unchanged):
    pw.write_config(TOKYO)
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10", "--id", "premium")
    pw.ok("remind", "--as-of", "2026-02-13")
    pw.ok("ack", "1", "--snooze", "1", "--as-of", "2026-02-13")
    pw.ok("remind", "--as-of", "2026-02-20")  # the snooze is over: delivered again
    error = unchanged("undo")
    assert "(`pointwatch --db" in error and " ack 1 --snooze 1 --as-of 2026-02-13`)" in error
    assert "alert 1 was changed since, by something the journal does not record" in error


def test_undo_is_refused_when_rows_were_changed_outside_the_journal(pw, unchanged):
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("import", ENAVI, "--account", "rakuten", "--as-of", "2026-02-15")
    pw.ok("record", "rakuten", "--date", "2026-01-20", "--amount", "100", "--memo", "x")
    with sqlite3.connect(pw.db_path) as connection:  # as an older pointwatch, or a hand, would
        connection.execute("UPDATE entry SET amount = 200 WHERE description = 'x'")
        connection.execute("DELETE FROM entry WHERE id = 2")
    assert "Error: cannot undo change 3 (`pointwatch --db " in unchanged("undo")
    assert "): entry 6 was changed since, by something the journal" in unchanged("undo")
    with sqlite3.connect(pw.db_path) as connection:
        connection.execute("UPDATE entry SET amount = 100 WHERE description = 'x'")
    pw.ok("undo")
    error = unchanged("undo")
    assert "1 of the 5 entry rows it added were removed since" in error
    assert "correct it instead with `pointwatch delete` or `pointwatch edit`" in error


# --- delete ------------------------------------------------------------------------------------


def test_delete_entry_says_what_it_settled(world):
    out = world.ok("delete", "entry", "1")
    assert out.splitlines() == [
        "deleted entry 1 of amazon: 2022-09-15 500 'Amazonポイント' (`pointwatch undo` brings "
        "it back)",
        "  it settled gift/sender, which is open again",
    ]


def test_delete_account_in_use_is_refused_with_the_reason(world, unchanged):
    error = unchanged("delete", "account", "amazon")
    assert error == (
        "Error: account 'amazon' is in use: 1 entries (remove them with `pointwatch delete entry "
        "1` and so on, or `pointwatch undo` the import that added them); enrollment gift, shop "
        "binds it (`pointwatch delete enrollment gift`, `pointwatch delete enrollment shop`)\n"
    )
    assert "enrollment premium binds it" in unchanged("delete", "account", "rakuten")


def test_delete_enrollment_with_support_history_is_refused(world, unchanged):
    error = unchanged("delete", "enrollment", "gift")
    assert error == (
        "Error: enrollment 'gift' has support history (inquiries 1 (gift/recipient); settled "
        "gift/recipient), kept as evidence: it cannot be deleted. If the campaign ended for you, "
        "close what is still open with `pointwatch settle EXPECTATION --write-off` (or "
        "--forfeit); a mistaken inquiry can be deleted first with `pointwatch delete inquiry ID`\n"
    )


def test_delete_enrollment_removes_its_expectations(world):
    assert world.ok("delete", "enrollment", "shop").startswith(
        "deleted enrollment shop (shop-cashback) and its 2 expectation(s)"
    )
    assert not [e for e in world.json("status") if e["enrollment"] == "shop"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("delete", "entry", "99"), "entry 99 not found (see `pointwatch entries` for ids)"),
        (("delete", "inquiry", "9"), "inquiry 9 not found (see `pointwatch inquiry list`"),
        (("delete", "account", "nope"), "account 'nope' not found (known: amazon, old, purse"),
        (("delete", "enrollment", "nope"), "enrollment 'nope' not found (known: gift, premium"),
        (("edit", "entry", "99", "--memo", "x"), "entry 99 not found"),
        (("edit", "entry", "1"), "edit entry: give what to change (--date, --amount, --memo"),
        (("edit", "entry", "1", "--credit"), "--credit: 'amazon' is a points account; use --debit"),
        (("edit", "entry", "2", "--addition"), "--addition: 'rakuten' is a card; use --charge"),
        (("edit", "entry", "1", "--statement", "2022-10"), "--statement: 'amazon' is a points"),
        (("edit", "entry", "1", "--memo", " "), "--memo: must not be empty"),
        (("edit", "entry", "1", "--amount", "0"), "expected a positive whole number"),
    ],
)
def test_bad_deletes_and_edits_write_nothing(world, unchanged, args, message):
    assert message in unchanged(*args)


# --- edit --------------------------------------------------------------------------------------


def entry(pw, entry_id: int) -> dict:
    return next(e for e in pw.json("entries") if e["id"] == entry_id)


def test_edit_keeps_the_stored_sign_unless_told(world):
    world.ok("record", "rakuten", "--date", "2026-01-20", "--amount", "500", "--memo", "返金",
             "--credit")  # fmt: skip
    world.ok("edit", "entry", "3", "--amount", "600")
    assert entry(world, 3)["amount"] == -600
    world.ok("edit", "entry", "3", "--charge")
    assert entry(world, 3)["amount"] == 600
    out = world.ok("edit", "entry", "1", "--debit")
    assert out.splitlines() == [
        "entry 1 of amazon: 2022-09-15 500 'Amazonポイント'",
        "  is now 2022-09-15 -500 'Amazonポイント' (`pointwatch undo` brings it back)",
    ]


def test_edit_of_a_card_date_moves_the_entry_to_that_statement(world):
    assert entry(world, 2)["statement"] == "2026-02"
    world.ok("edit", "entry", "2", "--date", "2026-02-03")
    assert entry(world, 2)["statement"] == "2026-03"
    world.ok("edit", "entry", "2", "--statement", "2026-02")
    assert (entry(world, 2)["date"], entry(world, 2)["statement"]) == ("2026-02-03", "2026-02")


def test_edit_into_a_copy_of_another_entry_needs_again(world, unchanged):
    world.ok(
        "record", "amazon", "--date", "2022-09-16", "--amount", "500", "--memo", "Amazonポイント"
    )
    error = unchanged("edit", "entry", "3", "--date", "2022-09-15")
    assert "edit: entry 1 on 'amazon' is the same (2022-09-15, 500, 'Amazonポイント')" in error
    world.ok("edit", "entry", "3", "--date", "2022-09-15", "--again")


# --- record: the same entry twice (item 2) -----------------------------------------------------


def test_record_refuses_an_identical_entry_unless_again(pw, unchanged):
    pw.ok("account", "add", "amazon", "--kind", "points")
    line = ("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "付与")
    pw.ok(*line)
    assert unchanged(*line) == (
        "Error: record: entry 1 on 'amazon' is the same (2022-09-15, 500, '付与'); pass --again "
        "if there really are two such lines (or correct entry 1 with `pointwatch edit entry 1`)\n"
    )
    assert unchanged(*line[:-1], " 付与 ")  # the memo as stored: stripped
    pw.ok(*line, "--again")
    assert len(pw.json("entries")) == 2
    pw.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "付与",
          "--debit")  # a different amount: -500  # fmt: skip
    pw.ok("record", "amazon", "--date", "2022-09-16", "--amount", "500", "--memo", "付与")
    assert len(pw.json("entries")) == 4


def test_record_refuses_a_copy_of_an_imported_line(pw, unchanged):
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("import", str(DATA / "rakuten_enavi_2026-02.csv"), "--account", "rakuten",
          "--as-of", "2026-02-15")  # fmt: skip
    first = pw.json("entries")[0]
    args = ("record", "rakuten", "--date", first["date"], "--amount", str(first["amount"]),
            "--memo", first["description"])  # fmt: skip
    assert "pass --again" in unchanged(*args)


# --- schema: the journal on an old database ----------------------------------------------------


def test_an_old_database_gets_the_journal_table(pw):
    pw.ok("account", "add", "amazon", "--kind", "points")
    with sqlite3.connect(pw.db_path) as connection:
        connection.execute("DROP TABLE journal")
        connection.execute("DROP TABLE alembic_version")  # as before Alembic
        connection.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    pw.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "x")
    assert [e["summary"] for e in journal(pw)] == ["added entry 1"]
    pw.ok("undo")
    assert pw.json("entries") == []


# --- the demo keeps to its own database (item 7) -----------------------------------------------


def test_the_demo_uses_its_own_database_unless_db_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    real = tmp_path / "real.db"
    monkeypatch.setenv("POINTWATCH_DB", str(real))
    config = ["--config", str(tmp_path / "none.toml")]
    runner = CliRunner()
    result = runner.invoke(main, [*config, "demo", "--as-of", "2026-02-20"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    demo = tmp_path / "data" / "pointwatch" / "demo.db"
    assert f"database: sqlite:///{demo} (the demo's own;" in result.output
    assert f"next: pointwatch --db {demo} which-statement demo-premium" in result.output
    assert demo.exists() and not real.exists()
    again = runner.invoke(main, [*config, "demo"], catch_exceptions=False)
    assert "demo data already loaded" in again.output

    chosen = tmp_path / "chosen.db"
    result = runner.invoke(main, ["--db", str(chosen), *config, "demo"], catch_exceptions=False)
    assert result.exit_code == 0 and f"database: sqlite:///{chosen}" in result.output
    assert not real.exists()
    status = runner.invoke(main, ["--db", str(chosen), *config, "status", "--json"])
    assert {row["enrollment"] for row in json.loads(status.stdout)} == {"demo-premium", "demo-gift"}
