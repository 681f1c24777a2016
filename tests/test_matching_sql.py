"""Matching through the store equals the brute-force oracle on random databases, as of a day.

The store reads only the entries on the expectations' accounts within their amounts (indexed);
the oracle sees every entry and applies DESIGN §3 itself, point in time included: entries dated
after the day and settlements made after it do not exist.
"""

from __future__ import annotations

import random
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlmodel import select

from pointwatch.campaigns import load_text
from pointwatch.domain.dates import Month
from pointwatch.domain.expectations import Rules
from pointwatch.domain.matching import Entry
from pointwatch.services import evaluation
from pointwatch.services.accounts import add_account
from pointwatch.services.definitions import store_definitions
from pointwatch.services.enrollments import join, record_condition
from pointwatch.services.entries import record_entry
from pointwatch.store.engine import create_schema, make_engine, transaction
from pointwatch.store.queries import load_expectations, matching_entries
from pointwatch.store.tables import SettlementRow
from tests.factories import campaign_toml
from tests.matching_oracle import brute_force

CAMPAIGNS = campaign_toml(
    "mixed",
    "Mixed",
    "Test",
    conditions=[{"id": "reg", "text": "registered"}],
    grants=[
        {"id": "plain", "amount": 500, "account": "points", "window": "joined+1M mid"},
        {
            "id": "worded",
            "amount": 500,
            "account": "points",
            "window": "joined+2M",
            "match": {"keywords": ["ギフト券"], "tolerance": 20},
        },
        {"id": "after-reg", "amount": 500, "account": "points", "window": "qualified+1M",
         "requires": ["reg"]},
        {"id": "fixed-reg", "amount": 510, "account": "points", "window": "2024-06",
         "requires": ["reg"]},
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
)  # fmt: skip
START = date(2024, 1, 1)


def _database(tmp_path: Path, seed: int):
    """A random database: 12 enrollments, some conditions met, some settlements, 300 entries."""
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    create_schema(engine)
    with transaction(engine) as session:
        store_definitions(
            session, load_text(CAMPAIGNS, "t.toml"), tomllib.loads(CAMPAIGNS), "t.toml"
        )
        add_account(session, "card", profile_id="rakuten-card")
        add_account(session, "points", kind="points")
        for number in range(12):
            joined = START + timedelta(days=rng.randrange(200))
            join(session, "mixed", joined, {"card": "card", "points": "points"}, {}, f"e{number}")
            if rng.random() < 0.7:
                met = joined + timedelta(days=rng.randrange(120))
                record_condition(session, f"e{number}", "reg", met)
        words = ["ギフト券", "年会費", "ポイント", "楽天市場年会費", ""]
        for _ in range(300):
            account = rng.choice(["card", "points"])
            amount = rng.choice([500, 510, 480, 1100, 1100, 999, 520, -500])
            day = START + timedelta(days=rng.randrange(400))
            memo = f"{rng.choice(words)} {rng.randrange(5)}"
            statement = Month.of(day).plus(rng.choice([1, 2])) if account == "card" else None
            record_entry(session, account, day, amount, memo, statement, again=True)
        for expectation in rng.sample(load_expectations(session), 6):
            on = START + timedelta(days=rng.randrange(100, 500))
            session.add(SettlementRow(expectation_id=expectation.id, kind="forfeited", on=on))
    return engine


def _all_entries(session) -> list[Entry]:
    query = text(
        "SELECT entry.id, account.name, amount, date, statement, description "
        "FROM entry JOIN account ON account.id = entry.account_id"
    )
    return [
        Entry(id_, account, amount, date.fromisoformat(day), statement, description)
        for id_, account, amount, day, statement, description in session.execute(query)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matching_equals_brute_force_over_every_pair_as_of_any_day(tmp_path: Path, seed: int):
    engine = _database(tmp_path, seed)
    with transaction(engine) as session:
        entries = _all_entries(session)
        settled = {row.expectation_id: row.on for row in session.exec(select(SettlementRow))}
        matched = 0
        for day in (date(2024, 3, 1), date(2024, 7, 1), date(2025, 6, 1)):
            for early_days in (0, 31):
                expectations = [
                    e
                    for e in load_expectations(session, as_of=day)
                    if e.id not in settled or settled[e.id] > day
                ]
                known = [entry for entry in entries if entry.date <= day]
                expected = brute_force(expectations, known, early_days)
                assert (
                    evaluation.match(session, day, Rules(grace_days=7, early_days=early_days))
                    == expected
                )
                matched += len(expected)
        assert matched > 100  # the data really exercises matching


def test_conditions_met_after_the_day_are_still_awaited(tmp_path: Path):
    engine = _database(tmp_path, 4)
    with transaction(engine) as session:
        now = {e.id: e for e in load_expectations(session)}
        day = date(2024, 5, 1)
        seen = set()
        for then in load_expectations(session, as_of=day):
            if then.entitlement == "after-reg" and now[then.id].qualified is not None:
                later = now[then.id].qualified > day
                seen.add(later)
                assert (then.waiting_for, then.window is None) == (
                    (("reg",), True) if later else ((), False)
                )
                assert then.qualified == (None if later else now[then.id].qualified)
        assert seen == {True, False}  # met before the day and after it


def test_the_entries_are_found_on_the_account_amount_date_index(tmp_path: Path):
    engine = _database(tmp_path, 5)
    statements = []

    def capture(connection, cursor, statement, parameters, context, executemany):
        if "FROM entry" in statement:
            statements.append((statement, parameters))

    with transaction(engine) as session:
        expectations = load_expectations(session)
        event.listen(engine, "before_cursor_execute", capture)
        try:
            assert matching_entries(session, expectations, date(2025, 1, 1))
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        assert statements
        for statement, parameters in statements:
            plan = session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters
            )
            details = " | ".join(row[-1] for row in plan)
            assert "INDEX ix_entry_account_amount_date (account_id=? AND amount" in details, details
            assert "SCAN" not in details, details  # no pass over the whole table or index
