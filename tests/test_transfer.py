"""Backups and moving stores: `backup` (SQLite online backup), `export all` and `restore`."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pointwatch.cli import main
from tests.test_migrations import DATABASES, rows
from tests.test_postgres import SERVER, pg_url  # noqa: F401  (the fixture)


def invoke(db: str | Path, tmp_path: Path, *args: str):
    return CliRunner().invoke(
        main, ["--db", str(db), "--config", str(tmp_path / "none.toml"), *args]
    )


def ok(db: str | Path, tmp_path: Path, *args: str) -> str:
    result = invoke(db, tmp_path, *args)
    assert result.exit_code == 0, f"{args}: {result.output}"
    return result.stdout


@pytest.fixture
def full(tmp_path) -> Path:
    """A database with rows in every table: the 0.1.0 release's, upgraded."""
    path = tmp_path / "full.db"
    shutil.copyfile(DATABASES / "0.1.0-schema3.db", path)
    ok(path, tmp_path, "db", "upgrade")
    return path


def test_export_restore_export_gives_the_same_file(full, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    report = json.loads(ok(full, tmp_path, "export", "all", str(first), "--json"))
    # Every kind of row is in it.
    for table in ("account", "campaign", "profile", "issuer", "enrollment", "expectation",
                  "entry", "coverage", "alert", "alert_delivery", "inquiry", "settlement",
                  "reopened_settlement", "run", "journal"):  # fmt: skip
        assert report["rows"][table] > 0, table
    assert first.stat().st_mode & 0o777 == 0o600
    copy = tmp_path / "copy.db"
    restored = json.loads(ok(copy, tmp_path, "restore", str(first), "--json"))
    assert restored["rows"] == report["rows"]
    ok(copy, tmp_path, "export", "all", str(second))
    assert first.read_bytes() == second.read_bytes()
    # Same rows, same ids; and the restored database works on: the journal undoes as before.
    assert {t: r for t, r in rows(copy).items() if t != "sqlite_sequence"} == {
        t: r for t, r in rows(full).items() if t != "sqlite_sequence"
    }
    assert ok(copy, tmp_path, "log") == ok(full, tmp_path, "log")
    ok(copy, tmp_path, "account", "add", "after-restore", "--kind", "points")


def test_restore_into_a_database_that_holds_anything_is_refused(full, tmp_path):
    export = tmp_path / "e.json"
    ok(full, tmp_path, "export", "all", str(export))
    target = tmp_path / "busy.db"
    ok(target, tmp_path, "account", "add", "mine", "--kind", "points")
    before = rows(target)
    result = invoke(target, tmp_path, "restore", str(export))
    assert result.exit_code == 2
    assert "the database is not empty (table account holds rows)" in result.stderr
    assert rows(target) == before


def _export_of(full: Path, tmp_path: Path) -> dict:
    path = tmp_path / "good.json"
    ok(full, tmp_path, "export", "all", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def _broken(document: dict, how: str) -> str:
    tables = document["tables"]
    if how == "schema":
        document["schema"] = "pw0001"
    elif how == "format":
        document["format"] = "something-else"
    elif how == "table":
        tables["mystery"] = {"columns": [], "rows": []}
    elif how == "columns":
        tables["account"]["columns"] = tables["account"]["columns"][:-1]
    elif how == "width":
        tables["entry"]["rows"][0] = tables["entry"]["rows"][0][:-1]
    elif how == "date":
        tables["entry"]["rows"][0][2] = "2026-02-30"
    elif how == "huge":
        tables["entry"]["rows"][0][3] = 2**70
    elif how == "text-for-number":
        tables["entry"]["rows"][0][3] = "lots"
    elif how == "naive-moment":
        tables["run"]["rows"][0][1] = "2026-01-01T09:00:00"
    elif how == "reference":
        tables["entry"]["rows"][0][1] = 999  # an account that does not exist
    elif how == "duplicate":
        tables["account"]["rows"].append(tables["account"]["rows"][0])
    return json.dumps(document)


@pytest.mark.parametrize(
    "how, message",
    [
        ("schema", "exported at schema revision 'pw0001'"),
        ("format", "not a pointwatch export"),
        ("table", "unknown tables mystery"),
        ("columns", "table account: columns"),
        ("width", "table entry: row 1: expected 8 values"),
        ("date", "table entry: row 1:"),
        ("huge", "table entry: row 1: amount 1180591620717411303424: expected a 64-bit integer"),
        ("text-for-number", 'table entry: row 1: amount "lots": expected a 64-bit integer'),
        ("naive-moment", "table run: row 1: started_at"),
        ("deep", "not a pointwatch export (not JSON"),
        ("reference", "table entry: the database refused the rows"),
        ("duplicate", "table account: the database refused the rows"),
        ("not-json", "not a pointwatch export (not JSON"),
    ],
)
def test_a_bad_export_is_refused_and_nothing_is_restored(full, tmp_path, how, message):
    path = tmp_path / "bad.json"
    if how == "not-json":
        text = "{nope"
    elif how == "deep":
        text = "[" * 100_000 + "]" * 100_000
    else:
        text = _broken(_export_of(full, tmp_path), how)
    path.write_text(text, encoding="utf-8")
    target = tmp_path / "target.db"
    ok(target, tmp_path, "db", "upgrade")
    before = rows(target)
    result = invoke(target, tmp_path, "restore", str(path))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert rows(target) == before


def test_export_refuses_to_overwrite_a_file(full, tmp_path):
    existing = tmp_path / "exists.json"
    existing.write_text("mine", encoding="utf-8")
    result = invoke(full, tmp_path, "export", "all", str(existing))
    assert result.exit_code == 2 and "exists already" in result.stderr
    assert existing.read_text(encoding="utf-8") == "mine"


def test_backup_is_a_consistent_private_copy_even_while_a_writer_holds_the_database(full, tmp_path):
    target = tmp_path / "backups" / "copy.db"
    target.parent.mkdir()
    # Another process is in the middle of a write (the daemon, an import): not committed yet.
    writer = sqlite3.connect(full, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO account (name, kind) VALUES ('uncommitted', 'points')")
    try:
        assert "copied" in ok(full, tmp_path, "backup", str(target))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert target.stat().st_mode & 0o777 == 0o600
    assert rows(target) == rows(full)  # the committed state, without the open write
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
    assert json.loads(ok(target, tmp_path, "db", "current", "--json"))["state"] == "current"
    # Never over an existing file, nor over the database itself.
    again = invoke(full, tmp_path, "backup", str(target))
    assert again.exit_code == 2 and "exists already" in again.stderr
    itself = invoke(full, tmp_path, "backup", str(full))
    assert itself.exit_code == 2 and "is the database itself" in itself.stderr


# --- SQLite → JSON → PostgreSQL → JSON ----------------------------------------------------------


@pytest.mark.skipif(not SERVER, reason="POINTWATCH_TEST_PG_URL not set")
def test_moving_from_sqlite_to_postgresql_keeps_everything(full, tmp_path, pg_url):  # noqa: F811
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    ok(full, tmp_path, "export", "all", str(first))
    ok(pg_url, tmp_path, "restore", str(first))
    ok(pg_url, tmp_path, "export", "all", str(second))
    assert first.read_bytes() == second.read_bytes()
    # The server's id sequences continue after the restored ids.
    ok(pg_url, tmp_path, "account", "add", "after-restore", "--kind", "points")
    ok(pg_url, tmp_path, "record", "after-restore", "--date", "2026-01-01", "--amount", "5",
       "--memo", "x")  # fmt: skip
    log = ok(pg_url, tmp_path, "log")
    assert log.splitlines()[4:] == ok(full, tmp_path, "log").splitlines()
    assert "pointwatch_ci:***@" in log and ":pointwatch_ci@" not in log  # no password kept
    refused = invoke(pg_url, tmp_path, "backup", str(tmp_path / "x.db"))
    assert refused.exit_code == 2 and "export all" in refused.stderr
