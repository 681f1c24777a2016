"""Matching in its worst case (DESIGN §6, issue 14): one account, one amount, thousands of each.

    python benchmarks/matching_bench.py [--sizes 5000x1000,5000x5000,...] [--repeat 3]

Each size EXPECTATIONSxENTRIES gets a fresh SQLite database: one points account, one campaign
(a grant of 500 points, window `joined+1M`, keyword キャンペーン) joined through the real
services, then the expectations (joined on days spread over two years) and the entries (all of
500 points on that account, dated over the same span, a third of them worded with the keyword)
by bulk `sqlite3.executemany` in the real schema. A child process then times
`services.evaluation.match` (the store's read plus the domain's sweep; best of --repeat) and
reports its own peak resident memory over those runs (VmHWM, imports included), then the peak
of Python allocations during one more call (tracemalloc).

Targets: 5,000 expectations x 100,000 entries under 2 s and 150 MB; doubling both at most
2.5x the time. The same script measures the code before the sweep (an all-pairs SQL join):
run it with PYTHONPATH pointing at an older checkout, on small sizes only.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2026, 6, 30)
FIRST = date(2024, 1, 1)
SPAN_DAYS = 730
DEFAULT_SIZES = "5000x1000,5000x5000,5000x10000,5000x100000,10000x200000"
CAMPAIGN = """
[[campaign]]
id = "bench"
name = "Matching benchmark"
issuer = "Bench"

[[campaign.grant]]
id = "points"
amount = 500
unit = "point"
account = "points"
window = "joined+1M"
match = { keywords = ["キャンペーン"] }
"""
WORDS = ("キャンペーンポイント", "ポイント付与", "期間限定ポイント")


def build_database(folder: Path, expectations: int, entries: int, seed: int = 14) -> Path:
    """One account, one enrollment via the services; the bulk of both tables by executemany."""
    from pointwatch.services.accounts import add_account
    from pointwatch.services.campaign_files import add_definitions
    from pointwatch.services.enrollments import join
    from pointwatch.store.engine import create_schema, make_engine, transaction

    db = folder / "matching.db"
    (folder / "bench.toml").write_text(CAMPAIGN, encoding="utf-8")
    engine = make_engine(f"sqlite:///{db}")
    create_schema(engine)
    with transaction(engine) as session:
        add_account(session, "points", kind="points")
        add_definitions(session, folder / "bench.toml")
        join(session, "bench", FIRST, {"points": "points"}, {}, "bench")
    engine.dispose()

    rng = random.Random(seed)
    connection = sqlite3.connect(db)
    columns = [c[1] for c in connection.execute("PRAGMA table_info(expectation)")]
    template = dict(zip(columns, connection.execute("SELECT * FROM expectation").fetchone(),
                        strict=True))  # fmt: skip
    account_id = template["account_id"]
    connection.execute("DELETE FROM expectation")
    rows = []
    for number in range(expectations):
        joined = FIRST + timedelta(days=rng.randrange(SPAN_DAYS))
        month = date(joined.year + joined.month // 12, joined.month % 12 + 1, 1)
        end = date(month.year + month.month // 12, month.month % 12 + 1, 1) - timedelta(days=1)
        template.update(id=f"bench/{number:05}", earliest=joined.isoformat(),
                        window_start=month.isoformat(), window_end=end.isoformat())  # fmt: skip
        rows.append(tuple(template[c] for c in columns))
    marks = ",".join("?" * len(columns))
    connection.executemany(f"INSERT INTO expectation VALUES ({marks})", rows)
    connection.executemany(
        "INSERT INTO entry (account_id, date, amount, description, statement, source) "
        "VALUES (?, ?, 500, ?, NULL, 'bench')",
        (
            (
                account_id,
                (FIRST + timedelta(days=rng.randrange(SPAN_DAYS + 60))).isoformat(),
                rng.choice(WORDS),
            )
            for _ in range(entries)
        ),
    )
    connection.commit()
    connection.close()
    return db


def measure(db: Path, repeat: int) -> dict[str, float]:
    """In this process: best time of `repeat` calls of `match`, traced peak, peak RSS."""
    from pointwatch.domain.expectations import Rules
    from pointwatch.services import evaluation
    from pointwatch.store.engine import make_engine, transaction

    engine = make_engine(f"sqlite:///{db}")
    rules = Rules(grace_days=7, early_days=31)

    def run() -> dict[str, int]:
        with transaction(engine) as session:
            return evaluation.match(session, AS_OF, rules)

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        matched = len(run())
        best = min(best, time.perf_counter() - start)
    # Peak RSS before tracing: tracemalloc's own bookkeeping would count too.
    with open("/proc/self/status") as status:
        peak = next(line for line in status if line.startswith("VmHWM:"))
    tracemalloc.start()
    run()
    traced = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return {"seconds": best, "traced_mb": traced, "rss_mb": int(peak.split()[1]) / 1024,
            "matched": matched}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="EXPECTATIONSxENTRIES,…")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timed runs")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's part
    options = parser.parse_args()
    if options.measure is not None:
        print(json.dumps(measure(options.measure, options.repeat)))
        return
    results: dict[tuple[int, int], dict[str, float]] = {}
    for size in options.sizes.split(","):
        expectations, entries = (int(part) for part in size.split("x"))
        with tempfile.TemporaryDirectory() as name:
            db = build_database(Path(name), expectations, entries)
            child = subprocess.run(
                [sys.executable, __file__, "--measure", str(db), "--repeat", str(options.repeat)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
        figures = results[expectations, entries] = json.loads(child.stdout)
        print(
            f"{expectations:>6,} expectations x {entries:>7,} entries: "
            f"{figures['seconds']:7.3f} s   peak traced {figures['traced_mb']:6.1f} MB   "
            f"peak RSS {figures['rss_mb']:6.1f} MB   {figures['matched']:,} matched",
            flush=True,
        )
    print("\ntargets: 5,000 x 100,000 under 2 s and 150 MB; doubling both at most 2.5x the time")
    for (expectations, entries), figures in results.items():
        doubled = results.get((2 * expectations, 2 * entries))
        if doubled is not None:
            ratio = doubled["seconds"] / figures["seconds"]
            print(f"ratio {2 * expectations:,} x {2 * entries:,} / {expectations:,} x "
                  f"{entries:,}: {ratio:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
