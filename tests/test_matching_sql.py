"""The SQL-ranked matching decides exactly what the domain's reference rule decides."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from pointwatch.campaigns import load_text
from pointwatch.domain.dates import Month
from pointwatch.domain.matching import assign
from pointwatch.services import evaluation
from pointwatch.services.accounts import add_account
from pointwatch.services.definitions import store_definitions
from pointwatch.services.enrollments import join
from pointwatch.services.entries import record_entry
from pointwatch.store.engine import create_schema, make_engine, transaction
from pointwatch.store.queries import candidate_rows, load_expectations

CAMPAIGNS = """
[[campaign]]
id = "mixed"
name = "Mixed"
issuer = "Test"
[[campaign.grant]]
id = "plain"
amount = 500
account = "points"
window = "joined+1M mid"
[[campaign.grant]]
id = "worded"
amount = 500
account = "points"
window = "joined+2M"
match = { keywords = ["ギフト券"], tolerance = 20 }
[[campaign.waiver]]
id = "fee"
amount = 1100
account = "card"
statement = "joined+1M"
repeat = 2
match = { keywords = ["年会費"] }
"""


@pytest.mark.parametrize("enrollments", [6, 40])  # few: answers from truncated lists; many: deeper
@pytest.mark.parametrize("first_pairs", [1, 4])
@pytest.mark.parametrize("seed", [1, 2])
def test_sql_ranking_matches_the_reference_rule(
    tmp_path: Path, monkeypatch, seed, first_pairs, enrollments
):
    # Small first fetches exercise both the truncated answer and looking deeper.
    monkeypatch.setattr(evaluation, "FIRST_PAIRS_PER_EXPECTATION", first_pairs)
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    create_schema(engine)
    with transaction(engine) as session:
        import tomllib

        store_definitions(
            session, load_text(CAMPAIGNS, "t.toml"), tomllib.loads(CAMPAIGNS), "t.toml"
        )
        add_account(session, "card", profile_id="rakuten-card")
        add_account(session, "points", kind="points")
        start = date(2024, 1, 1)
        for number in range(enrollments):
            joined = start + timedelta(days=rng.randrange(200))
            join(session, "mixed", joined, {"card": "card", "points": "points"}, {}, f"e{number}")
        words = ["ギフト券", "年会費", "ポイント", "楽天市場年会費", ""]
        for _ in range(300):
            account = rng.choice(["card", "points"])
            amount = rng.choice([500, 510, 480, 1100, 1100, 999, 520])
            day = start + timedelta(days=rng.randrange(400))
            memo = f"{rng.choice(words)} {rng.randrange(5)}"
            statement = Month.of(day).plus(rng.choice([1, 2])) if account == "card" else None
            record_entry(session, account, day, amount, memo, statement)
        expectations = {e.id: e for e in load_expectations(session)}
        reference = assign(expectations, candidate_rows(session))
        assert len(reference) > enrollments  # the data really exercises matching
        assert evaluation.match(session) == reference
