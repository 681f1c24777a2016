"""How an import finds the lines stored already (issue 14 item 3): reading every stored key and
looking the file's keys up give the same answers; the page cache is put back afterwards."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from pointwatch.domain.expectations import Rules
from pointwatch.services import imports
from tests.test_postgres import SERVER, pg_url, run  # noqa: F401 (pg_url: a fixture)

DATA = Path(__file__).parent / "data"
ENAVI = str(DATA / "rakuten_enavi_2026-02.csv")  # statement 2026-02, five entries
MY_BANK = """
[formats.my-bank]
date = { column = "Date", format = "%Y-%m-%d" }
amount = { column = "Amount" }
description = { column = "Description" }
"""
MF_HEADER = (
    '"計算対象","日付","内容","金額（円）","保有金融機関","大項目","中項目","メモ","振替","ID"'
)


@pytest.fixture(params=["read every key", "look the file's keys up"])
def lookup(request, monkeypatch) -> str:
    """Both ways of finding the stored keys (the table's size picks one; here the test does)."""
    ratio = 10**9 if request.param == "read every key" else 0
    monkeypatch.setattr(imports, "_SCAN_RATIO", ratio)
    return request.param


def bank_file(path: Path, days: range, extra: str = "") -> str:
    lines = [f"2026-01-{day:02d},Coffee,-450\n2026-01-{day:02d},Coffee,-450\n" for day in days]
    path.write_text("Date,Description,Amount\n" + "".join(lines) + extra, "utf-8")
    return str(path)


def test_a_reimport_adds_nothing(pw, lookup):
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    args = ("import", ENAVI, "--account", "rakuten", "--as-of", "2026-02-15")
    first, again = pw.json(*args), pw.json(*args)
    assert (first["added"], first["duplicates"]) == (5, 0)
    assert (again["added"], again["duplicates"]) == (0, 5)
    assert len(pw.json("entries", "rakuten")) == 5


def test_a_short_download_into_a_long_history_adds_only_its_new_lines(pw, tmp_path, lookup):
    pw.write_config(MY_BANK)
    pw.ok("account", "add", "bank", "--kind", "bank")
    pw.ok("account", "add", "other", "--kind", "bank")
    history = bank_file(tmp_path / "history.csv", range(1, 29))
    assert pw.json("import", history, "--account", "bank")["added"] == 56
    assert pw.json("import", history, "--account", "other")["added"] == 56  # other keys
    recent = bank_file(tmp_path / "recent.csv", range(27, 29), "2026-01-30,Rent,-80000\n")
    result = pw.json("import", recent, "--account", "bank")
    assert (result["added"], result["duplicates"]) == (1, 4)
    assert len(pw.json("entries", "bank")) == 57


def test_lines_stored_under_their_old_keys_stay_single(pw, tmp_path, lookup):
    """A MoneyForward line stored before its ID was part of the key is still recognised."""
    from pointwatch.importers import ImportedEntry, dedup_keys

    pw.ok("account", "add", "rpoints", "--kind", "points")
    line = ImportedEntry(2, date(2026, 1, 31), 120, "ポイント獲得　楽天市場", None)
    (old_key,) = dedup_keys("rpoints", [line])
    with sqlite3.connect(pw.db_path) as db:
        db.execute(
            "INSERT INTO entry (account_id, date, amount, description, source, dedup_key) "
            "SELECT id, '2026-01-31', 120, 'ポイント獲得　楽天市場', 'import:old', ? FROM account",
            (old_key,),
        )
    path = tmp_path / "mf.csv"
    rows = [
        MF_HEADER,
        '"1","2026/01/31","ポイント獲得　楽天市場","120","楽天ポイント","収入","その他入金","","0","Qk3"',
        '"1","2026/01/30","ポイント獲得　楽天市場","80","楽天ポイント","収入","その他入金","","0","Qk4"',
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp932"))
    result = pw.json("import", str(path), "--account", "rpoints")
    assert (result["added"], result["duplicates"]) == (1, 1)


def test_the_page_cache_is_put_back(pw):
    from pointwatch.store.engine import make_engine, transaction

    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    engine = make_engine(f"sqlite:///{pw.db_path}")
    with transaction(engine) as session:
        driver = session.connection().connection.driver_connection
        before = driver.execute("PRAGMA cache_size").fetchone()
        report = imports.import_file(
            session, Path(ENAVI), "rakuten", date(2026, 2, 15), Rules(grace_days=7, early_days=31)
        )
        assert len(report.added) == 5
        assert driver.execute("PRAGMA cache_size").fetchone() == before
    engine.dispose()


@pytest.mark.skipif(not SERVER, reason="POINTWATCH_TEST_PG_URL not set")
def test_both_ways_on_postgresql(pg_url: str, tmp_path: Path, monkeypatch):  # noqa: F811
    run(pg_url, tmp_path, "account", "add", "rakuten", "--profile", "rakuten-card")
    args = ("import", ENAVI, "--account", "rakuten", "--as-of", "2026-02-15", "--json")
    for ratio, added in ((10**9, 5), (0, 0)):
        monkeypatch.setattr(imports, "_SCAN_RATIO", ratio)
        report = json.loads(run(pg_url, tmp_path, *args).stdout)
        assert (report["added"], report["duplicates"]) == (added, 5 - added)
