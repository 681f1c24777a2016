"""The store's set-based candidate query finds exactly the pairs the domain's `fits` rule allows."""

from __future__ import annotations

import random
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from pointwatch.campaigns import load_text
from pointwatch.domain.dates import Month
from pointwatch.domain.matching import fits
from pointwatch.services import evaluation
from pointwatch.services.accounts import add_account
from pointwatch.services.definitions import store_definitions
from pointwatch.services.enrollments import join
from pointwatch.services.entries import record_entry
from pointwatch.store.engine import create_schema, make_engine, transaction
from pointwatch.store.queries import candidate_rows, load_expectations
from tests.factories import campaign_toml

CAMPAIGNS = campaign_toml(
    "mixed",
    "Mixed",
    "Test",
    grants=[
        {"id": "plain", "amount": 500, "account": "points", "window": "joined+1M mid"},
        {
            "id": "worded",
            "amount": 500,
            "account": "points",
            "window": "joined+2M",
            "match": {"keywords": ["ギフト券"], "tolerance": 20},
        },
    ],
    waivers=[
        {
            "id": "fee",
            "amount": 1100,
            "account": "card",
            "statement": "joined+1M",
            "repeat": 2,
            "match": {"keywords": ["年会費"]},
        }
    ],
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_candidate_query_equals_the_fits_rule_over_every_pair(tmp_path: Path, seed: int):
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    create_schema(engine)
    with transaction(engine) as session:
        store_definitions(
            session, load_text(CAMPAIGNS, "t.toml"), tomllib.loads(CAMPAIGNS), "t.toml"
        )
        add_account(session, "card", profile_id="rakuten-card")
        add_account(session, "points", kind="points")
        start = date(2024, 1, 1)
        for number in range(12):
            joined = start + timedelta(days=rng.randrange(200))
            join(session, "mixed", joined, {"card": "card", "points": "points"}, {}, f"e{number}")
        words = ["ギフト券", "年会費", "ポイント", "楽天市場年会費", ""]
        entries = []
        for _ in range(300):
            account = rng.choice(["card", "points"])
            amount = rng.choice([500, 510, 480, 1100, 1100, 999, 520, -500])
            day = start + timedelta(days=rng.randrange(400))
            memo = f"{rng.choice(words)} {rng.randrange(5)}"
            statement = Month.of(day).plus(rng.choice([1, 2])) if account == "card" else None
            row = record_entry(session, account, day, amount, memo, statement, again=True)
            entries.append((row.id, account, amount, day, row.statement))
        expectations = load_expectations(session)
        brute_force = {
            (expectation.id, entry)
            for expectation in expectations
            for entry, account, amount, day, statement in entries
            if fits(expectation, account, amount, day, statement)
        }
        found = {(row.expectation, row.entry) for row in candidate_rows(session)}
        assert len(brute_force) > 100  # the data really exercises matching
        assert found == brute_force
        # The assignment takes each entry and each expectation at most once.
        assignment = evaluation.match(session)
        assert len(set(assignment.values())) == len(assignment) > 10
