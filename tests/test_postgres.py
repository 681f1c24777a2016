"""The same commands against PostgreSQL (any SQLAlchemy URL must work).

Runs when POINTWATCH_TEST_PG_URL names a server, e.g.
postgresql+psycopg://pw:pw@127.0.0.1/postgres (.ci/run starts one); skipped otherwise.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from pointwatch.cli import main

SERVER = os.environ.get("POINTWATCH_TEST_PG_URL")
DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.skipif(not SERVER, reason="POINTWATCH_TEST_PG_URL not set")


@pytest.fixture
def pg_url():
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(SERVER)
    name = f"pointwatch_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def run(url: str, tmp_path: Path, *args: str, code: int = 0):
    result = CliRunner().invoke(
        main, ["--db", url, "--config", str(tmp_path / "none.toml"), *args], catch_exceptions=False
    )
    assert result.exit_code == code, result.output
    return result


def test_core_import_and_status_on_postgresql(pg_url: str, tmp_path: Path):
    run(pg_url, tmp_path, "account", "add", "rakuten", "--profile", "rakuten-card")
    run(pg_url, tmp_path, "account", "add", "amazon", "--kind", "points")
    run(pg_url, tmp_path, "join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10",
        "--id", "premium")  # fmt: skip
    run(pg_url, tmp_path, "join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12",
        "--id", "gift")  # fmt: skip
    enavi = str(DATA / "rakuten_enavi_2026-02.csv")
    first = json.loads(run(pg_url, tmp_path, "import", enavi, "--account", "rakuten",
                           "--as-of", "2026-02-15", "--json").stdout)  # fmt: skip
    again = json.loads(run(pg_url, tmp_path, "import", enavi, "--account", "rakuten",
                           "--as-of", "2026-02-15", "--json").stdout)  # fmt: skip
    assert (first["added"], again["added"], again["duplicates"]) == (5, 0, 5)
    run(pg_url, tmp_path, "record", "amazon", "--date", "2022-09-15", "--amount", "500",
        "--memo", "ポイント")  # fmt: skip
    run(pg_url, tmp_path, "met", "gift", "recipient-registered=2022-09-20")
    rows = json.loads(run(pg_url, tmp_path, "status", "--as-of", "2026-02-15", "--json").stdout)
    statuses = {row["id"]: row["status"] for row in rows}
    assert statuses["premium/annual-fee/1"] == "confirmed"
    assert statuses["gift/sender"] == "received"
    assert statuses["gift/recipient"] == "late"
    # A failing command leaves PostgreSQL as it was, too.
    stderr = run(pg_url, tmp_path, "join", "nope", "--on", "2025-12-10", code=2).stderr
    assert "campaign 'nope' not found" in stderr
    assert len(json.loads(run(pg_url, tmp_path, "entries", "--json").stdout)) == 6


def test_daily_run_and_support_on_postgresql(pg_url: str, tmp_path: Path):
    run(pg_url, tmp_path, "demo", "--as-of", "2026-11-26")
    raised = json.loads(run(pg_url, tmp_path, "remind", "--as-of", "2026-11-26", "--json").stdout)
    assert "demo-gift/recipient" in {alert["expectation"] for alert in raised["raised"]}
    again = json.loads(run(pg_url, tmp_path, "remind", "--as-of", "2026-11-26", "--json").stdout)
    assert again["delivered"] == []
    run(pg_url, tmp_path, "inquiry", "add", "demo-gift/recipient", "--channel", "chat",
        "--at", "2026-11-26 10:00", "--promise", "points within 5 minutes",
        "--promise-by", "5m")  # fmt: skip
    run(pg_url, tmp_path, "settle", "demo-gift/recipient", "--substituted-with", "gift-card",
        "--amount", "500", "--as-of", "2026-11-27")  # fmt: skip
    history = json.loads(run(pg_url, tmp_path, "history", "demo-gift/recipient", "--json").stdout)
    assert history["status"] == "substituted"


def test_conditions_expiry_and_summary_on_postgresql(pg_url: str, tmp_path: Path):
    signup = tmp_path / "signup.toml"
    signup.write_text(
        run(pg_url, tmp_path, "campaign", "new", "signup-bonus").stdout, encoding="utf-8"
    )
    run(pg_url, tmp_path, "account", "add", "rakuten", "--profile", "rakuten-card")
    run(pg_url, tmp_path, "account", "add", "rpoints", "--kind", "points")
    run(pg_url, tmp_path, "campaign", "add", str(signup))
    run(pg_url, tmp_path, "join", "my-signup-bonus", "--on", "2026-01-10", "--account",
        "card=rakuten", "--account", "points=rpoints", "--id", "bonus")  # fmt: skip
    for day, amount in (("2026-01-20", "30000"), ("2026-02-14", "25000")):
        run(pg_url, tmp_path, "record", "rakuten", "--date", day, "--amount", amount,
            "--memo", "楽天市場")  # fmt: skip

    def bonus(as_of: str) -> dict:
        (row,) = json.loads(run(pg_url, tmp_path, "status", "--as-of", as_of, "--json").stdout)
        return row

    assert bonus("2026-02-13")["conditions"][0]["so_far"] == 30000
    assert bonus("2026-02-14")["conditions"][0]["met_on"] == "2026-02-14"
    run(pg_url, tmp_path, "record", "rpoints", "--date", "2026-03-25", "--amount", "5000",
        "--memo", "入会特典")  # fmt: skip
    assert bonus("2026-03-25")["expires_on"] == "2026-09-30"
    (point,) = json.loads(run(pg_url, tmp_path, "summary", "--as-of", "2026-03-25",
                              "--json").stdout)  # fmt: skip
    assert (point["unit"], point["expected"], point["received"]) == ("point", 5000, 5000)
