"""The journal and `undo` against PostgreSQL (runs when POINTWATCH_TEST_PG_URL names a server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_postgres import SERVER, pg_url, run  # noqa: F401 - pg_url is a fixture

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.skipif(not SERVER, reason="POINTWATCH_TEST_PG_URL not set")


def dump(url: str) -> list[tuple]:
    """Every row of every table but the journal."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
            return [
                (name, tuple(row))
                for name in names
                if name != "journal"
                for row in connection.execute(text(f'SELECT * FROM "{name}" ORDER BY 1'))
            ]
    finally:
        engine.dispose()


def test_every_change_is_undone_exactly_on_postgresql(pg_url: str, tmp_path: Path):  # noqa: F811
    def undone(*args: str) -> None:
        """Run a change, undo it, check the database is as before, and run it again."""
        before = dump(pg_url)
        run(pg_url, tmp_path, *args)
        assert dump(pg_url) != before, args
        run(pg_url, tmp_path, "undo")
        assert dump(pg_url) == before, args
        run(pg_url, tmp_path, *args)

    run(pg_url, tmp_path, "status")  # creates the schema
    undone("account", "add", "rakuten", "--profile", "rakuten-card")
    undone("account", "add", "amazon", "--kind", "points")
    undone("join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10", "--id", "premium")
    undone("join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12", "--id", "gift")
    undone("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "付与")
    undone("import", str(DATA / "rakuten_enavi_2026-02.csv"), "--account", "rakuten",
           "--as-of", "2026-02-15")  # fmt: skip
    undone("met", "gift", "recipient-registered=2022-09-20")
    undone("inquiry", "add", "gift/recipient", "--channel", "chat", "--at", "2023-02-10 10:00")
    undone("settle", "gift/recipient", "--substituted-with", "coupon", "--amount", "500",
           "--as-of", "2023-02-12")  # fmt: skip
    undone("reopen", "gift/recipient", "--as-of", "2023-02-20")
    run(pg_url, tmp_path, "remind", "--as-of", "2026-02-13")
    alerts = json.loads(run(pg_url, tmp_path, "alerts", "--json").stdout)
    undone("ack", str(alerts[0]["id"]), "--as-of", "2026-02-14")
    entries = json.loads(run(pg_url, tmp_path, "entries", "amazon", "--json").stdout)
    undone("edit", "entry", str(entries[0]["id"]), "--amount", "600")
    undone("delete", "entry", str(entries[0]["id"]))
    before = dump(pg_url)
    result = run(pg_url, tmp_path, "delete", "account", "rakuten", code=2)
    assert "account 'rakuten' is in use: 5 entries" in result.stderr
    assert dump(pg_url) == before
    # Back through every change down to the gift join, for which the daily run raised alerts.
    for _ in range(9):
        run(pg_url, tmp_path, "undo")
    result = run(pg_url, tmp_path, "undo", code=2)
    assert "--id gift`): alert 1, written since, refers to expectation gift/" in result.stderr
