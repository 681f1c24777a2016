"""Start-up and status figures (DESIGN §6), printed with their targets.

    python benchmarks/cli_bench.py [--expectations 10000] [--runs 7]

1. `pointwatch --help` against `python -c "import click"` (target: ratio <= 2).
2. `pointwatch status --json` as a whole command on N expectations (target: < 1 s at 10,000),
   with as many entries, half of them paying an expectation. The expectations are spread over
   `--accounts` point accounts with typical campaign amounts (100..2,000 in steps of 100);
   `--accounts 1` is the adversarial case where every expectation competes for every entry
   of its amount (hundreds of thousands of fitting pairs).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root: tests/factories.py builds the data


def timed(command: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of `runs` runs (one warm-up run first)."""
    subprocess.run(command, check=True, capture_output=True, env=env)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def pointwatch(*args: str) -> list[str]:
    return [sys.executable, "-m", "pointwatch", *args]


def build_database(folder: Path, expectations: int, accounts: int = 200) -> Path:
    """A database with `expectations` grants and as many entries, via the real CLI + bulk SQL."""
    from tests.factories import bench_campaign

    db = folder / "bench.db"
    campaign = folder / "bench.toml"
    campaign.write_text(bench_campaign(100), encoding="utf-8")
    env = {**os.environ, "POINTWATCH_DB": str(db), "POINTWATCH_CONFIG": str(folder / "none.toml")}
    for args in (
        ("account", "add", "points", "--kind", "points"),
        ("campaign", "add", str(campaign)),
        ("join", "bench", "--on", "2024-01-01", "--id", "bench-0"),
    ):
        subprocess.run(pointwatch(*args), check=True, capture_output=True, env=env)
    with sqlite3.connect(db) as connection:
        template = connection.execute("SELECT * FROM expectation").fetchone()
        columns = [c[1] for c in connection.execute("PRAGMA table_info(expectation)")]
        enrollment = connection.execute("SELECT * FROM enrollment").fetchone()
        account = connection.execute("SELECT * FROM account").fetchone()
        connection.executemany(
            "INSERT INTO account VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(n + 1, f"points-{n}", *account[2:]) for n in range(1, accounts)],
        )
        enrollments, rows, entries = [], [], []
        start = date(2024, 1, 1)
        for number in range(1, expectations):
            joined = start + timedelta(days=number % 700)
            enrollment_id = f"bench-{number}"
            enrollments.append((enrollment_id, enrollment[1], joined.isoformat(), *enrollment[3:]))
            row = dict(zip(columns, template, strict=True))
            window = joined + timedelta(days=31)
            row.update(
                id=f"{enrollment_id}/points",
                enrollment_id=enrollment_id,
                account_id=1 + number % accounts,
                match_amount=100 * (1 + number // 7 % 20),
                amount=100 * (1 + number // 7 % 20),
                earliest=joined.isoformat(),
                window_start=window.isoformat(),
                window_end=window.isoformat(),
            )
            rows.append(tuple(row[c] for c in columns))
        for number in range(expectations):
            # Odd entries pay expectation `number` around its window; even ones are noise.
            joined = start + timedelta(days=number % 700)
            day = joined + timedelta(days=28 + number % 7)
            amount = 100 * (1 + number // 7 % 20) if number % 2 else 7 + number % 900
            account_id = 1 + number % accounts
            row = (account_id, day.isoformat(), amount, f"entry {number}", None, "b", None)
            entries.append(row)
        connection.executemany("INSERT INTO enrollment VALUES (?,?,?,?,?)", enrollments)
        marks = ",".join("?" * len(columns))
        connection.executemany(f"INSERT INTO expectation VALUES ({marks})", rows)
        connection.executemany(
            "INSERT INTO entry (account_id, date, amount, description, statement, source, "
            "dedup_key) VALUES (?,?,?,?,?,?,?)",
            entries,
        )
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expectations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--accounts", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        # As an installed package runs: with its bytecode cached (this environment may set
        # PYTHONDONTWRITEBYTECODE, which would recompile pointwatch in every run).
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # inherited by every child
        os.environ["PYTHONPYCACHEPREFIX"] = cache
        measure(options)


def measure(options: argparse.Namespace) -> None:
    click_time = timed([sys.executable, "-c", "import click"], options.runs)
    help_time = timed(pointwatch("--help"), options.runs)
    print(f"python -c 'import click'   {click_time * 1000:7.1f} ms")
    print(f"pointwatch --help          {help_time * 1000:7.1f} ms")
    print(f"  ratio                    {help_time / click_time:7.2f}  (target <= 2)")

    with tempfile.TemporaryDirectory() as folder:
        db = build_database(Path(folder), options.expectations, options.accounts)
        env = {**os.environ, "POINTWATCH_DB": str(db), "POINTWATCH_CONFIG": f"{folder}/none.toml"}
        as_of = ("--as-of", "2025-06-01")
        status_json = timed(pointwatch("status", *as_of, "--json"), options.runs, env)
        status_open = timed(pointwatch("status", *as_of, "--open"), options.runs, env)
        count = len(
            subprocess.run(
                pointwatch("status", *as_of, "--json"), check=True, capture_output=True, env=env
            ).stdout.splitlines()
        )
    print(
        f"status --json, {options.expectations:,} expectations, {options.expectations:,} entries, "
        f"{options.accounts} accounts"
    )
    print(f"  whole command            {status_json * 1000:7.1f} ms  (target < 1000 ms)")
    print(f"status --open (table)      {status_open * 1000:7.1f} ms")
    print(f"  (json output lines: {count:,})")


if __name__ == "__main__":
    main()
