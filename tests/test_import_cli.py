"""`pointwatch import`: real formats, idempotent, all-or-nothing, coverage and status changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
FEE = "rakuten-premium-annual-fee-free-3y"
MY_BANK = """
[formats.my-bank]
date = { column = "Date", format = "%Y-%m-%d" }
amount = { column = "Amount" }
description = { column = "Description" }
"""


@pytest.fixture
def card(pw):
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("join", FEE, "--on", "2025-12-10", "--id", "premium")
    return pw


def statuses(pw, as_of: str) -> dict[str, str]:
    return {e["id"]: e["status"] for e in pw.json("status", "--as-of", as_of)}


def import_json(pw, *args: str) -> dict:
    return pw.json("import", *args)


def test_enavi_cp932_then_utf8_bom_of_the_same_statement_adds_each_line_once(card):
    first = import_json(card, str(DATA / "rakuten_enavi_2026-02.csv"), "--account", "rakuten",
                        "--as-of", "2026-02-15")  # fmt: skip
    assert (first["format"], first["encoding"], first["added"], first["duplicates"]) == (
        "rakuten-enavi", "cp932", 5, 0,
    )  # fmt: skip
    assert first["statement"] == "2026-02" and first["coverage_added"] is True
    # The whole statement is covered and has no annual fee: the waiver is confirmed.
    assert first["changed"] == [
        {"id": "premium/annual-fee/1", "before": "check", "after": "confirmed"}
    ]
    again = import_json(card, str(DATA / "rakuten_enavi_2026-02_utf8bom.csv"), "--account",
                        "rakuten", "--as-of", "2026-02-15")  # fmt: skip
    assert (again["encoding"], again["added"], again["duplicates"], again["changed"]) == (
        "utf-8-sig", 0, 5, [],
    )  # fmt: skip
    entries = card.json("entries", "rakuten")
    assert len(entries) == 5
    assert {e["statement"] for e in entries} == {"2026-02"}
    assert {e["source"] for e in entries} == {"import:rakuten-enavi:rakuten_enavi_2026-02.csv"}
    # The ETC continuation row is part of the toll's description; the refund stays negative.
    by_amount = {e["amount"]: e["description"] for e in entries}
    assert by_amount[1320] == "首都高速道路 東京料金所－横浜公園"
    assert -2480 in by_amount


def test_a_fee_on_the_imported_statement_flips_the_waiver_to_fee_charged(card):
    result = import_json(card, str(DATA / "rakuten_enavi_2027-02_fee.csv"), "--account",
                         "rakuten", "--as-of", "2027-02-15")  # fmt: skip
    assert {"id": "premium/annual-fee/2", "before": "check", "after": "fee_charged"} in result[
        "changed"
    ]
    assert statuses(card, "2027-02-15")["premium/annual-fee/2"] == "fee_charged"
    fee = [e for e in card.json("entries", "rakuten") if e["amount"] == 11000]
    assert fee[0]["expectation"] == "premium/annual-fee/2"


def test_december_lines_belong_to_januarys_statement(card):
    result = import_json(card, str(DATA / "rakuten_enavi_2026-01_december.csv"), "--account",
                         "rakuten", "--as-of", "2026-01-20")  # fmt: skip
    assert result["statement"] == "2026-01"
    assert {e["statement"] for e in card.json("entries", "rakuten")} == {"2026-01"}


def test_dry_run_shows_and_writes_nothing(card):
    before = card.dump()
    result = import_json(card, str(DATA / "rakuten_enavi_2026-02.csv"), "--account", "rakuten",
                         "--dry-run", "--as-of", "2026-02-15")  # fmt: skip
    assert result["dry_run"] is True and result["added"] == 5
    assert card.dump() == before
    text = card.ok("import", str(DATA / "rakuten_enavi_2026-02.csv"), "--account", "rakuten",
                   "--dry-run", "--as-of", "2026-02-15")  # fmt: skip
    assert "would import rakuten_enavi_2026-02.csv" in text and "add   row 2: 2026-01-05" in text
    assert card.dump() == before


def test_overlapping_generic_downloads_add_each_real_line_once(pw, tmp_path: Path):
    pw.write_config(MY_BANK)
    pw.ok("account", "add", "bank", "--kind", "bank")
    header = "Date,Description,Amount\n"
    first = tmp_path / "jan.csv"
    first.write_text(
        header + "2026-01-05,Coffee,-450\n2026-01-05,Coffee,-450\n2026-01-09,Salary,250000\n",
        "utf-8",
    )
    second = tmp_path / "jan-feb.csv"  # re-downloaded later: the same days plus new ones
    second.write_text(
        header + "2026-01-05,Coffee,-450\n2026-01-05,Coffee,-450\n2026-01-09,Salary,250000\n"
        "2026-02-01,Rent,-80000\n",
        "utf-8",
    )
    assert import_json(pw, str(first), "--account", "bank")["added"] == 3  # two real coffees
    result = import_json(pw, str(second), "--account", "bank", "--format", "my-bank")
    assert (result["added"], result["duplicates"]) == (1, 3)
    assert [e["amount"] for e in pw.json("entries", "bank")] == [-450, -450, 250000, -80000]
    assert result["statement"] is None  # a bank download is not a whole statement


def test_moneyforward_points_history_settles_a_grant(pw, tmp_path: Path):
    campaign = tmp_path / "c.toml"
    campaign.write_text(
        '[[campaign]]\nid = "ichiba"\nname = "Ichiba points"\nissuer = "Rakuten"\n'
        '[[campaign.grant]]\nid = "bonus"\namount = 120\naccount = "points"\n'
        'window = "2026-01 end"\n',
        "utf-8",
    )
    pw.ok("campaign", "add", str(campaign))
    pw.ok("account", "add", "rpoints", "--kind", "points")
    pw.ok("join", "ichiba", "--on", "2026-01-20")
    result = import_json(pw, str(DATA / "moneyforward.csv"), "--account", "rpoints",
                         "--as-of", "2026-02-01")  # fmt: skip
    assert result["format"] == "moneyforward" and result["added"] == 4
    assert result["changed"] == [{"id": "ichiba/bonus", "before": "due", "after": "received"}]


def test_skip_bad_rows_imports_the_good_ones_and_reports_each_bad_one(card):
    result = card(
        "import", str(DATA / "rakuten_enavi_bad_rows.csv"), "--account", "rakuten",
        "--skip-bad-rows", "--as-of", "2023-03-20",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert 'row 3: 利用日 "2023/02/30" is not a date' in result.stderr
    assert 'row 4: 利用金額 "12.5"' in result.stderr
    assert "2 added, 0 duplicates, 3 rejected" in result.stdout
    assert len(card.json("entries", "rakuten")) == 2
    # a statement read with rejected rows is not read whole: it proves nothing, and says so
    assert (
        "statement 2023-03 of rakuten: no coverage recorded (3 row(s) rejected; fix or "
        "re-download the file and import it again to cover the statement)"
    ) in result.stdout
    again = card.json("import", str(DATA / "rakuten_enavi_bad_rows.csv"), "--account", "rakuten",
                      "--skip-bad-rows", "--as-of", "2023-03-20")  # fmt: skip
    assert again["coverage_added"] is False and again["no_coverage"].startswith("3 row(s)")


@pytest.mark.parametrize(
    ("file", "extra", "message"),
    [
        ("rakuten_enavi_bad_rows.csv", (), 'row 3: 利用日 "2023/02/30" is not a date'),
        ("rakuten_enavi_bad_rows.csv", (), "3 bad row(s), nothing imported"),
        ("undecodable.csv", (), "undecodable.csv: cannot decode"),
        ("empty.csv", (), "empty.csv: the file is empty"),
        ("rakuten_enavi_header_only.csv", (), "rakuten_enavi_header_only.csv"),
        ("unknown_header.csv", (), "looked for formats: rakuten-enavi, moneyforward"),
        ("moneyforward.csv", ("--format", "rakuten-enavi"), "does not look like"),
        ("generic_bank.csv", ("--format", "nope"), 'unknown format "nope"'),
        ("missing.csv", (), "missing.csv: cannot read the file"),
    ],
)
def test_bad_files_exit_2_and_change_nothing(card, unchanged, file, extra, message):
    stderr = unchanged("import", str(DATA / file), "--account", "rakuten", *extra)
    assert message in stderr


def test_a_file_of_another_card_or_kind_is_refused(pw, unchanged, tmp_path: Path):
    pw.ok("account", "add", "jcb", "--profile", "jcb-card")
    pw.ok("account", "add", "amazon-mc", "--profile", "amazon-mastercard")
    pw.ok("account", "add", "points", "--kind", "points")
    pw.ok("account", "add", "mycard", "--closing-day", "15", "--payment-day", "10")
    enavi = str(DATA / "rakuten_enavi_2026-02.csv")
    assert "a card statement, but 'points' is a points account" in unchanged(
        "import", enavi, "--account", "points"
    )
    assert "is a Sumitomo Mitsui Card card" in unchanged("import", enavi, "--account", "amazon-mc")
    assert "JCB card" in unchanged("import", enavi, "--account", "jcb")
    # A card without a profile: its cycle says statement 2026-02 closes 15 Jan.
    assert "that statement closes 2026-01-15" in unchanged("import", enavi, "--account", "mycard")
    assert "account 'nope' not found" in unchanged("import", enavi, "--account", "nope")


def test_a_bad_format_map_in_the_config_is_named(pw, unchanged):
    pw.write_config('[formats.my-bank]\ndate = { column = "Date" }\n')
    pw.ok("account", "add", "bank", "--kind", "bank")
    stderr = unchanged("import", str(DATA / "generic_bank.csv"), "--account", "bank")
    assert 'formats.my-bank: missing key "amount"' in stderr


def test_the_same_file_under_another_name_is_still_recognised(card, tmp_path: Path):
    copy = tmp_path / "download (1).csv"
    shutil.copy(DATA / "rakuten_enavi_2026-02.csv", copy)
    card.ok("import", str(DATA / "rakuten_enavi_2026-02.csv"), "--account", "rakuten")
    assert import_json(card, str(copy), "--account", "rakuten")["duplicates"] == 5
