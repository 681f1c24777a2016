"""The read path of `status` (store/reader.py): plain sqlite3 on a current SQLite file, the
SQLAlchemy session everywhere else — the same statements (reads.py), the same answers.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from pointwatch.config import sqlite_url
from pointwatch.domain.expectations import Rules
from pointwatch.formatters import dump_json, expectation_json
from pointwatch.services.evaluation import evaluate_all, matched_entries
from pointwatch.services.support import reopen
from pointwatch.store import reader as reader_module
from pointwatch.store.engine import create_schema, make_engine, transaction
from pointwatch.store.queries import (
    covered_statements,
    load_expectations,
    matching_entries,
    settlements,
)
from pointwatch.store.reader import SessionReader, SqliteReader, reading
from pointwatch.store.reads import GENERATED, generated_module
from pointwatch.store.tables import CoverageRow, SettlementRow
from tests.test_matching_sql import _database as matching_database
from tests.test_postgres import SERVER as PG_SERVER
from tests.test_postgres import pg_url  # noqa: F401 (a fixture)

RULES = Rules(grace_days=7, early_days=31)
DAYS = (None, date(2024, 3, 1), date(2024, 7, 1), date(2025, 6, 1))
REPO = Path(__file__).resolve().parent.parent


def test_the_sqlite_statements_are_generated_from_the_current_core_statements():
    assert GENERATED.read_text(encoding="utf-8") == generated_module(), (
        "store/sqlite_reads.py is out of date: run `python -m pointwatch.store.reads`"
    )


def _database(tmp_path: Path, seed: int) -> tuple[str, object]:
    """The matching tests' random database, plus coverage, reopened and legacy settlements."""
    engine = matching_database(tmp_path, seed)
    rng = random.Random(seed)
    with transaction(engine) as session:
        settled = list(session.exec(SettlementRow.__table__.select()))
        for row in settled[:3]:
            reopen(session, row.expectation_id, row.on + timedelta(days=rng.randrange(90)), "no")
        unsettled = [
            e.id
            for e in load_expectations(session)
            if e.id not in {r.expectation_id for r in settled}
        ]
        for expectation, kind, substitute, amount in (
            (unsettled[0], "substituted", "coupon", 300),
            (unsettled[1], "written-off", "", 0),  # the legacy spelling
        ):
            on = date(2024, 1, 1) + timedelta(days=rng.randrange(500))
            session.add(SettlementRow(expectation_id=expectation, kind=kind, on=on,
                                      substitute=substitute, amount=amount, note="n"))  # fmt: skip
        for month in range(1, 13):
            recorded = date(2024, month, 1) + timedelta(days=rng.randrange(200))
            session.add(CoverageRow(account_id=1, statement=f"2024-{month:02}", source="checked",
                                    recorded_on=recorded))  # fmt: skip
    return f"sqlite:///{tmp_path / 'm.db'}", engine


@pytest.mark.parametrize("seed", [1, 2])
def test_plain_sqlite_reads_equal_the_session_reads_as_of_any_day(tmp_path: Path, seed: int):
    url, engine = _database(tmp_path, seed)
    with transaction(engine) as session, reading(url, lambda: engine) as plain:
        assert isinstance(plain, SqliteReader)
        for source in (session, SessionReader(session)):
            assert load_expectations(plain) == load_expectations(source)
            assert load_expectations(plain, ids=["e1/plain", "e2/fee/1", "nope"]) == (
                load_expectations(source, ids=["e1/plain", "e2/fee/1", "nope"])
            )
            assert load_expectations(plain, enrollment="e3") == (
                load_expectations(source, enrollment="e3")
            )
        seen = set()
        for day in DAYS:
            expectations = load_expectations(plain, as_of=day, rules=RULES)
            assert expectations == load_expectations(session, as_of=day, rules=RULES)
            assert settlements(plain, day) == settlements(session, day)
            assert covered_statements(plain, day) == covered_statements(session, day)
            entries = matching_entries(plain, expectations, day)
            assert sorted(entries) == sorted(matching_entries(session, expectations, day))
            evaluations = evaluate_all(plain, day or date(2026, 1, 1), RULES)
            assert evaluations == evaluate_all(session, day or date(2026, 1, 1), RULES)
            assert matched_entries(plain, day, RULES) == matched_entries(session, day, RULES)
            seen |= {v.status for v in evaluations}
            seen.add(f"{len(settlements(plain, day))} settled")
            seen.add(f"{len(covered_statements(plain, day))} covered")
        # The data reaches every read: statuses of each kind, settlements and coverage that
        # come to exist between the days.
        assert {"received", "late", "substituted", "forfeited", "written_off", "confirmed"} <= seen
        assert len({s for s in seen if s.endswith("settled")}) >= 2
        assert len({s for s in seen if s.endswith("covered")}) >= 2


def _status(db: Path, *args: str) -> tuple[str, bool]:
    """`pointwatch status` in a fresh interpreter: its output, and whether it imported
    SQLAlchemy."""
    code = (
        "import sys\n"
        "from pointwatch.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:], prog_name='pointwatch')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print('sqlalchemy' in sys.modules, file=sys.stderr)\n"
    )
    environment = {**os.environ, "LANG": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-c", code, "--db", str(db), "--config", str(db.parent / "none.toml"),
         "status", *args],
        capture_output=True, text=True, env=environment, cwd=REPO, check=True,
    )  # fmt: skip
    return result.stdout, result.stderr.strip().splitlines()[-1] == "True"


def test_status_reads_a_current_database_without_sqlalchemy_and_says_the_same(
    tmp_path: Path,
):
    url, engine = _database(tmp_path, 3)
    db = tmp_path / "m.db"
    for as_of in ("2024-07-01", "2025-06-01"):
        text, imported = _status(db, "--as-of", as_of, "--json")
        assert not imported
        with transaction(engine) as session:
            evaluations = evaluate_all(session, date.fromisoformat(as_of), RULES)
        assert text == dump_json([expectation_json(v) for v in evaluations]) + "\n"
        assert len(json.loads(text)) == 12 * 6


def test_a_database_that_is_not_current_takes_the_engine_path(tmp_path: Path):
    url, engine = _database(tmp_path, 4)
    db = tmp_path / "m.db"
    before, imported = _status(db, "--as-of", "2025-06-01", "--json")
    assert not imported
    older = "UPDATE alembic_version SET version_num = 'pw0003'"
    with sqlite3.connect(db) as connection:
        connection.execute(older)
    asked = []
    with reading(url, lambda: asked.append(True) or engine) as source:
        assert isinstance(source, SessionReader) and asked
    engine.dispose()
    after, imported = _status(db, "--as-of", "2025-06-01", "--json")
    assert imported and after == before  # the engine path upgraded it …
    assert _status(db, "--as-of", "2025-06-01", "--json") == (before, False)  # … for next time
    assert list(tmp_path.glob("m.before-upgrade-*.db"))  # after a copy, as every upgrade


def test_a_new_database_is_created_by_the_engine_path(tmp_path: Path):
    db = tmp_path / "folder" / "new.db"
    text, imported = _status(db, "--as-of", "2025-06-01")
    assert imported and "nothing to watch" in text
    assert _status(db, "--as-of", "2025-06-01") == (text, False)


def test_a_file_that_is_no_database_is_left_to_the_engine_path(tmp_path: Path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database", encoding="utf-8")
    asked = []
    url = f"sqlite:///{notes}"
    with pytest.raises(RuntimeError, match="the engine"), reading(url, lambda: _no_engine(asked)):
        pass
    assert asked and notes.read_text(encoding="utf-8") == "not a database"


def _no_engine(asked: list) -> None:
    asked.append(True)
    raise RuntimeError("the engine was asked")


def test_only_a_plain_sqlite_file_url_is_read_with_sqlite3(tmp_path: Path):
    from sqlalchemy.engine import URL, make_url

    for name in ("x.db", "a b+c.db", "ポイント.db", "what?#%.db", "a:b@c;d=e&f~.db"):
        url = sqlite_url(tmp_path / name)  # as --db PATH becomes a URL
        assert url == URL.create("sqlite", database=str(tmp_path / name)).render_as_string()
        assert reader_module.sqlite_file(url) == tmp_path / name == Path(make_url(url).database)
    path = tmp_path / "x.db"
    assert reader_module.sqlite_file(f"sqlite+pysqlite:///{path}") == path
    for url in (
        "sqlite://",
        "sqlite:///:memory:",
        f"sqlite:///{path}?timeout=5",
        f"sqlite+aiosqlite:///{path}",
        "postgresql+psycopg://someone@localhost/db",
    ):
        assert reader_module.sqlite_file(url) is None, url


@pytest.mark.skipif(not PG_SERVER, reason="POINTWATCH_TEST_PG_URL not set")
def test_postgresql_answers_as_plain_sqlite_does_as_of_any_day(
    tmp_path: Path,
    pg_url: str,  # noqa: F811 (the fixture)
):
    """The same rows in PostgreSQL (copied table by table): the statements give the same
    expectations, settlements, coverage, entries and statuses as plain sqlite3 on the file."""
    from sqlmodel import SQLModel

    url, engine = _database(tmp_path, 5)
    server = make_engine(pg_url)
    create_schema(server)
    with engine.connect() as source, server.begin() as target:
        for table in SQLModel.metadata.sorted_tables:
            rows = [dict(row._mapping) for row in source.execute(table.select())]
            target.execute(table.delete())
            if rows:
                target.execute(table.insert(), rows)
    try:
        with transaction(server) as session, reading(url, lambda: engine) as plain:
            for day in DAYS:
                expectations = load_expectations(plain, as_of=day, rules=RULES)
                assert expectations == load_expectations(session, as_of=day, rules=RULES)
                assert settlements(plain, day) == settlements(session, day)
                assert covered_statements(plain, day) == covered_statements(session, day)
                assert sorted(matching_entries(plain, expectations, day)) == sorted(
                    matching_entries(session, expectations, day)
                )
                today = day or date(2026, 1, 1)
                assert evaluate_all(plain, today, RULES) == evaluate_all(session, today, RULES)
    finally:
        server.dispose()
