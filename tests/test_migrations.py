"""The schema under Alembic: new databases, databases of earlier releases (tests/data/databases/,
one file per schema change), newer and foreign databases, and the models matching the scripts."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pointwatch.store.migrations import HEAD
from tests.test_postgres import SERVER, pg_url  # noqa: F401  (the fixture)

DATABASES = Path(__file__).parent / "data" / "databases"
# Every database an earlier release wrote, with its schema: each is upgraded to HEAD here.
RELEASE_DATABASES = {"0.1.0-schema3.db": "schema version 3 (before Alembic)"}
# Tables whose rows an upgrade may change: the version bookkeeping.
BOOKKEEPING = {"meta", "alembic_version"}


def rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, by table (sqlite3 directly: no pointwatch code involved)."""
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: connection.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


def release_copy(tmp_path: Path, name: str = "0.1.0-schema3.db") -> Path:
    target = tmp_path / "old" / "pointwatch.db"
    target.parent.mkdir()
    shutil.copyfile(DATABASES / name, target)
    return target


def test_head_is_the_scripts_head_and_history_is_one_line():
    from pointwatch.store.migrations import known_revisions, script_head

    assert script_head() == HEAD
    assert known_revisions() == {"pw0001", "pw0002", "pw0003", "pw0004"}


def test_every_release_database_is_listed_here():
    assert {p.name for p in DATABASES.glob("*.db")} == set(RELEASE_DATABASES)


def _schema_differences(url: str) -> list:
    """What Alembic's autogenerate would change between the migrated database and the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import pointwatch.store.journal  # noqa: F401  (every table module)

    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    return [d for d in found if not (d[0] == "remove_table" and d[1].name == "alembic_version")]


def test_a_new_database_is_created_at_head_exactly_as_the_models_say(pw):
    pw.ok("account", "add", "amazon", "--kind", "points")
    assert rows(pw.db_path)["alembic_version"] == [(HEAD,)]
    assert rows(pw.db_path)["meta"] == [("schema_version", "alembic")]
    # A model changed without a revision fails here: add the revision (see migrations/__init__).
    assert _schema_differences(f"sqlite:///{pw.db_path}") == []


@pytest.mark.parametrize("name", sorted(RELEASE_DATABASES))
def test_a_release_database_upgrades_to_head_keeping_every_row(name, tmp_path, pw):
    old = release_copy(tmp_path, name)
    before = rows(old)
    result = pw.runner.invoke(
        pw_main(), ["--db", str(old), "--config", str(pw.config_path), "status", "--json"]
    )
    assert result.exit_code == 0, result.output
    # Said on stderr, with the copy made first; stdout stays the command's own (JSON here).
    json.loads(result.stdout)
    backups = list(old.parent.glob("pointwatch.before-upgrade-*.db"))
    assert len(backups) == 1
    assert f"from {RELEASE_DATABASES[name]} to schema revision {HEAD}" in result.stderr
    assert str(backups[0]) in result.stderr
    assert rows(backups[0]) == before  # the copy is the database as it was
    assert backups[0].stat().st_mode & 0o777 == 0o600
    after = rows(old)
    for table, content in before.items():
        if table not in BOOKKEEPING | {"expectation_keyword"}:
            assert after[table] == content, table
    assert after["alembic_version"] == [(HEAD,)]
    assert _schema_differences(f"sqlite:///{old}") == []
    # Opening it again changes nothing and copies nothing.
    again = pw.runner.invoke(
        pw_main(), ["--db", str(old), "--config", str(pw.config_path), "status"]
    )
    assert again.exit_code == 0 and again.stderr == ""
    assert len(list(old.parent.glob("pointwatch.before-upgrade-*.db"))) == 1


def pw_main():
    from pointwatch.cli import main

    return main


def _as_legacy(path: Path, version: str, drop: tuple[str, ...] = ()) -> None:
    """Make a current database look like one of the releases before Alembic."""
    with sqlite3.connect(path) as connection:
        for table in drop:
            connection.execute(f'DROP TABLE "{table}"')
        connection.execute("DROP TABLE alembic_version")
        connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))


@pytest.mark.parametrize(
    "version, missing",
    [
        ("1", ("journal", "inquiry", "reopened_settlement", "alert_delivery", "alert")),
        ("2", ("journal",)),
        ("3", ()),
    ],
)
def test_databases_of_schema_versions_1_to_3_are_recognised_and_upgraded(pw, version, missing):
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "x")
    _as_legacy(pw.db_path, version, missing)
    with sqlite3.connect(pw.db_path) as connection:  # a table only development builds had
        connection.execute(
            "CREATE TABLE expectation_keyword (expectation_id VARCHAR NOT NULL, "
            "keyword VARCHAR NOT NULL, PRIMARY KEY (expectation_id, keyword))"
        )
    result = pw("entries", "--json")
    assert result.exit_code == 0, result.output
    assert f"schema version {version} (before Alembic)" in result.stderr
    assert [e["amount"] for e in json.loads(result.stdout)] == [500]
    tables = rows(pw.db_path)
    assert "expectation_keyword" not in tables
    assert set(missing) <= set(tables)
    assert _schema_differences(f"sqlite:///{pw.db_path}") == []


def test_written_off_spelled_the_old_way_is_converted_everywhere(tmp_path, pw):
    old = release_copy(tmp_path)
    with sqlite3.connect(old) as connection:
        connection.execute("UPDATE settlement SET kind = 'written-off' WHERE kind = 'written_off'")
        connection.execute(
            "UPDATE journal SET changes = replace(changes, '\"written_off\"', '\"written-off\"')"
        )
        assert connection.execute(
            "SELECT count(*) FROM settlement WHERE kind = 'written-off'"
        ).fetchone() == (1,)
    db = ["--db", str(old), "--config", str(pw.config_path)]
    status = pw.runner.invoke(pw_main(), [*db, "status", "--as-of", "2026-11-26", "--json"])
    assert {r["id"]: r["status"] for r in json.loads(status.stdout)}[
        "gift2/recipient"
    ] == "written_off"
    with sqlite3.connect(old) as connection:
        kinds = [k for (k,) in connection.execute("SELECT kind FROM settlement")]
        images = "".join(c for (c,) in connection.execute("SELECT changes FROM journal"))
    # The journal's row images too, so that `undo` still recognises the rows it wrote.
    assert "written-off" not in kinds and "written-off" not in images
    assert '"kind": "written_off"' in images


def test_passwords_kept_in_journal_command_lines_are_scrubbed(tmp_path, pw):
    old = release_copy(tmp_path)
    url = "postgresql+psycopg://me:s3cret@db.example/pw"
    with sqlite3.connect(old) as connection:
        connection.execute(
            "UPDATE journal SET command = ? WHERE id = 2", (f"pointwatch --db {url} x",)
        )
    log = pw.runner.invoke(pw_main(), ["--db", str(old), "--config", str(pw.config_path), "log"])
    assert log.exit_code == 0, log.output
    assert "s3cret" not in log.stdout and "me:***@db.example" in log.stdout
    with sqlite3.connect(old) as connection:
        commands = " ".join(c for (c,) in connection.execute("SELECT command FROM journal"))
    assert "s3cret" not in commands


def test_a_database_of_a_newer_pointwatch_is_refused_untouched(pw):
    pw.ok("account", "add", "amazon", "--kind", "points")
    with sqlite3.connect(pw.db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'pw9999'")
    before = pw.db_path.read_bytes()
    stderr = pw.fails("account", "add", "other", "--kind", "points", code=2)
    assert "created by a newer pointwatch" in stderr and "pw9999" in stderr
    assert "nothing was changed" in stderr
    assert pw.db_path.read_bytes() == before
    assert not list(pw.db_path.parent.glob("*.before-upgrade-*"))
    # `db current` says so without changing anything either.
    assert "newer pointwatch" in pw.ok("db", "current")
    assert pw.db_path.read_bytes() == before


def test_a_release_before_alembic_marked_newer_is_refused(pw):
    pw.ok("account", "add", "amazon", "--kind", "points")
    _as_legacy(pw.db_path, "4")
    stderr = pw.fails("status", code=2)
    assert "created by a newer pointwatch" in stderr


@pytest.mark.parametrize(
    "tables",
    [
        ["CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes VALUES (1, 'x')"],
        ["CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
         f"INSERT INTO alembic_version VALUES ('{HEAD}')"],
        ["CREATE TABLE meta (k TEXT, v TEXT)", "CREATE TABLE account (id INTEGER)"],
    ],
    ids=["other-tables", "alembic-but-not-ours", "meta-of-another-shape"],
)  # fmt: skip
def test_another_programs_database_is_refused_with_nothing_added(pw, tables):
    with sqlite3.connect(pw.db_path) as connection:
        for statement in tables:
            connection.execute(statement)
    before = pw.db_path.read_bytes()
    for args in (("status",), ("account", "add", "x", "--kind", "points"), ("db", "upgrade")):
        stderr = pw.fails(*args, code=2)
        assert "is not a pointwatch database" in stderr and "nothing was changed" in stderr
    assert pw.db_path.read_bytes() == before


def test_db_current_and_db_upgrade(tmp_path, pw):
    old = release_copy(tmp_path)
    db = ["--db", str(old), "--config", str(pw.config_path)]
    current = pw.runner.invoke(pw_main(), [*db, "db", "current", "--json"])
    assert json.loads(current.stdout) == {"state": "legacy", "revision": "3", "head": HEAD}
    upgrade = pw.runner.invoke(pw_main(), [*db, "db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    assert f"to schema revision {HEAD}" in upgrade.stdout and "before-upgrade" in upgrade.stdout
    assert "nothing to do" in pw.runner.invoke(pw_main(), [*db, "db", "upgrade"]).stdout
    current = pw.runner.invoke(pw_main(), [*db, "db", "current", "--json"])
    assert json.loads(current.stdout) == {"state": "current", "revision": HEAD, "head": HEAD}
    # An empty database: `db current` creates nothing.
    assert "empty" in pw.ok("db", "current")
    assert rows(pw.db_path) == {}


def test_two_commands_opening_an_old_database_at_once_upgrade_it_once(tmp_path):
    old = release_copy(tmp_path)
    command = [sys.executable, "-m", "pointwatch", "--db", str(old), "--config",
               str(tmp_path / "none.toml"), "entries", "--json"]  # fmt: skip
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(4)]  # fmt: skip
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs
    assert sum("upgraded the database" in err for _out, err in outputs) == 1
    assert len({out for out, _err in outputs}) == 1
    assert len(list(old.parent.glob("pointwatch.before-upgrade-*.db"))) == 1


# --- PostgreSQL (when POINTWATCH_TEST_PG_URL names a server) ---------------------------------

needs_server = pytest.mark.skipif(not SERVER, reason="POINTWATCH_TEST_PG_URL not set")


@needs_server
def test_postgresql_is_created_at_head_as_the_models_say_and_upgraded_in_place(
    pg_url,  # noqa: F811
    tmp_path,
):
    from click.testing import CliRunner
    from sqlalchemy import create_engine, text

    def run(*args):
        return CliRunner().invoke(
            pw_main(), ["--db", pg_url, "--config", str(tmp_path / "none.toml"), *args]
        )

    assert run("account", "add", "amazon", "--kind", "points").exit_code == 0
    assert _schema_differences(pg_url) == []
    engine = create_engine(pg_url)
    with engine.begin() as connection:  # as the release before Alembic left it
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(text("DROP TABLE journal"))
        connection.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
    engine.dispose()
    result = run("account", "list", "--json")
    assert result.exit_code == 0, result.output
    assert "from schema version 2 (before Alembic)" in result.stderr
    assert "a server database: no copy was made" in result.stderr
    assert [a["name"] for a in json.loads(result.stdout)] == ["amazon"]
    assert _schema_differences(pg_url) == []
    with create_engine(pg_url).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'pw9999'"))
    refused = run("account", "list")
    assert refused.exit_code == 2 and "created by a newer pointwatch" in refused.stderr
