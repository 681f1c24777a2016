"""The daily run at scale (DESIGN §6, issue 4 "Speed"), printed with its targets.

    python benchmarks/remind_bench.py [--expectations 10000] [--entries 100000,1000000,2000000]

For each entry count a fresh SQLite database gets accounts, a campaign and one enrollment through
the real services, then `--expectations` open expectations (plus 10 % that an entry settles, so
matching has real work) and the entries by bulk `sqlite3.executemany` in the real schema. Then:

- in-process: `evaluate_all` (the `remind --dry-run` pipeline up to statuses), a dry run of
  `run_daily` (evaluate + raise every alert + decide deliveries, rolled back), a first full run
  (stores and delivers every alert to a null channel) and a steady-state run (the next day:
  nothing new to deliver), with tracemalloc's peak of Python allocations;
- whole command: `pointwatch remind --dry-run` and the steady-state `pointwatch remind`, with the
  process's peak resident memory (ru_maxrss from wait4).

Targets: under 2 s per run and under 300 MB at 1,000,000 entries; time growing about linearly
with the entry count (the ratios are printed; fixed costs make small sizes look cheap).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests/factories.py
ZONE = ZoneInfo("Asia/Tokyo")
AS_OF = date(2026, 6, 15)
NOW = datetime.combine(AS_OF, clock(9, 0), tzinfo=ZONE)
POINTS_ACCOUNTS = 10
CARD_ACCOUNTS = 10
ANNUAL_FEE = {
    "id": "annual-fee",
    "amount": 11000,
    "unit": "JPY",
    "account": "card",
    "statement": "joined+2M",
    "match": {"keywords": ["年会費"]},
}
DESCRIPTIONS = [
    "楽天市場", "Amazon.co.jp", "セブンイレブン", "ローソン", "JR東日本", "ポイント利用",
    "キャンペーンポイント", "年会費", "ENEOS", "ユニクロ", "スターバックス", "Netflix",
    "電気料金", "ガス料金", "携帯電話", "ふるさと納税", "ポイント付与", "書籍", "家電", "医療費",
]  # fmt: skip


class NullChannel:
    name = "null"

    def __init__(self) -> None:
        self.sent = 0

    def send(self, notification) -> None:
        self.sent += 1


def build_database(folder: Path, expectations: int, entries: int, seed: int = 7) -> Path:
    """Accounts, campaign and one enrollment via the services; the bulk via executemany."""
    from sqlmodel import select

    from pointwatch.domain.billing import statement_for_month
    from pointwatch.domain.dates import Month
    from pointwatch.services.accounts import add_account
    from pointwatch.services.campaign_files import add_definitions
    from pointwatch.services.enrollments import join
    from pointwatch.store.convert import cycle_of
    from pointwatch.store.engine import create_schema, make_engine, transaction
    from pointwatch.store.tables import AccountRow
    from tests.factories import bench_campaign

    db = folder / "bench.db"
    campaign_file = folder / "bench.toml"
    campaign_file.write_text(bench_campaign(500, ["キャンペーン"], [ANNUAL_FEE]), encoding="utf-8")
    engine = make_engine(f"sqlite:///{db}")
    create_schema(engine)
    with transaction(engine) as session:
        points = [
            add_account(session, f"points-{i}", kind="points") for i in range(POINTS_ACCOUNTS)
        ]
        cards = [
            add_account(session, f"card-{i}", profile_id="rakuten-card")
            for i in range(CARD_ACCOUNTS)
        ]
        add_definitions(session, campaign_file)
        join(session, "bench", date(2024, 1, 1), {"points": "points-0", "card": "card-0"}, {},
             "bench")  # fmt: skip
        ids = {row.name: row.id for row in session.exec(select(AccountRow)).all()}
        point_ids = [ids[view.name] for view in points]
        card_ids = [ids[view.name] for view in cards]
        cycle = cycle_of(session.exec(select(AccountRow).where(AccountRow.id == card_ids[0])).one())
    engine.dispose()

    rng = random.Random(seed)
    connection = sqlite3.connect(db)
    columns = [c[1] for c in connection.execute("PRAGMA table_info(expectation)")]
    template = dict(zip(columns, connection.execute("SELECT * FROM expectation").fetchone(),
                        strict=True))  # fmt: skip
    rows, settling = [], []
    total = expectations + expectations // 10
    for number in range(total):
        joined = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 900))
        row = dict(template)
        row.update(id=f"bench/{number}", earliest=joined.isoformat(), occurrence=1)
        settled = number >= expectations
        if number % 5 < 3:  # grants into points accounts
            account = rng.choice(point_ids)
            amount = rng.randrange(1, 200) * 100
            start = joined + timedelta(days=rng.randrange(20, 400))
            end = start + timedelta(days=rng.choice((0, 9, 10, 30)))
            row.update(
                kind="grant", entitlement="points", account_id=account, amount=amount,
                unit="point", match_amount=amount, keywords='["キャンペーン"]',
                window_start=start.isoformat(), window_end=end.isoformat(), grace=None,
                waiting_for="[]", statement=None, next_statement=None, closing_date=None,
                payment_date=None, ready_date=None,
            )  # fmt: skip
            if settled:
                day = end - timedelta(days=rng.randrange(0, 5))
                settling.append((account, day.isoformat(), amount, "キャンペーンポイント", None))
        else:  # waivers on cards
            account = rng.choice(card_ids)
            month = Month.of(joined).plus(rng.randrange(1, 36))
            statement = statement_for_month(cycle, month)
            amount = rng.choice((1100, 2200, 5500, 11000, 22000, 33000))
            row.update(
                kind="waiver", entitlement="annual-fee", account_id=account, amount=amount,
                unit="JPY", match_amount=amount, keywords='["年会費"]',
                window_start=statement.period_start.isoformat(),
                window_end=statement.closing_date.isoformat(), grace=None, waiting_for="[]",
                statement=str(month), next_statement=str(month.plus(1)),
                closing_date=statement.closing_date.isoformat(),
                payment_date=statement.payment_date.isoformat(),
                ready_date=statement.ready_date.isoformat(),
            )  # fmt: skip
            if settled:
                day = statement.closing_date - timedelta(days=3)
                settling.append((account, day.isoformat(), amount, "年会費", str(month)))
        rows.append(tuple(row[c] for c in columns))
    marks = ",".join("?" * len(columns))
    connection.executemany(f"INSERT INTO expectation VALUES ({marks})", rows)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if "expectation_keyword" in tables:  # keywords also stored one per row, for SQL matching
        keyword_of = {"grant": "キャンペーン", "waiver": "年会費"}
        connection.executemany(
            "INSERT INTO expectation_keyword (expectation_id, keyword) VALUES (?, ?)",
            [(row[columns.index("id")], keyword_of[row[columns.index("kind")]]) for row in rows],
        )

    def generated():
        first = date(2023, 1, 1).toordinal()
        span = AS_OF.toordinal() - first
        accounts = point_ids + card_ids
        for number in range(entries - len(settling)):
            account = accounts[number % len(accounts)]
            day = date.fromordinal(first + rng.randrange(span))
            if rng.random() < 0.03:
                amount = rng.choice((100, 300, 500, 1000, 1100, 3000, 5000, 10000))
            else:
                amount = rng.randrange(1, 100_000)
            statement = str(Month.of(day).plus(1)) if account in card_ids else None
            yield (account, day.isoformat(), amount, rng.choice(DESCRIPTIONS), statement)
        yield from settling

    connection.executemany(
        "INSERT INTO entry (account_id, date, amount, description, statement, source) "
        "VALUES (?, ?, ?, ?, ?, 'bench')",
        generated(),
    )
    connection.commit()
    connection.close()
    return db


def settings():
    from pointwatch.config import Settings

    return Settings(timezone="Asia/Tokyo")


def in_process(db: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """name → (best of `repeat` seconds, tracemalloc peak MB) of each in-process step."""
    import shutil

    from pointwatch.domain.expectations import Rules
    from pointwatch.services.evaluation import evaluate_all
    from pointwatch.services.reminders import run_daily
    from pointwatch.store.engine import make_engine, transaction

    pristine = db.with_suffix(".pristine")
    shutil.copy(db, pristine)
    engine = make_engine(f"sqlite:///{db}")
    results: dict[str, tuple[float, float]] = {}

    def evaluation():
        with transaction(engine) as session:
            return evaluate_all(session, AS_OF, Rules(grace_days=7, early_days=31))

    def run(now: datetime, dry_run: bool):
        channel = NullChannel()
        with transaction(engine, immediate=True) as session:
            report = run_daily(session, now, settings(), [channel], dry_run=dry_run)
            if dry_run:
                session.rollback()
        return report, channel

    def first_run():
        engine.dispose()
        shutil.copy(pristine, db)  # no alerts stored yet
        return run(NOW, False)

    steps = {
        "evaluate_all": evaluation,
        "run_daily --dry-run": lambda: run(NOW, True),
        "run_daily first run": first_run,
        "run_daily next day": lambda: run(NOW + timedelta(days=1), False),
    }
    values = {}
    for name, step in steps.items():
        tracemalloc.start()
        values[name] = step()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        best = float("inf")
        for _ in range(repeat):  # timed without tracemalloc, which slows allocation down
            if name == "run_daily next day":
                first_run()
            start = time.perf_counter()
            step()
            best = min(best, time.perf_counter() - start)
        results[name] = (best, peak)
    evaluations = values["evaluate_all"]
    dry, _ = values["run_daily --dry-run"]
    first, channel = values["run_daily first run"]
    steady, _ = values["run_daily next day"]
    open_count = sum(1 for e in evaluations if e.is_open)
    print(
        f"  {len(evaluations):,} expectations ({open_count:,} open); {len(dry.raised):,} "
        f"alerts raised, {len(first.delivered):,} delivered in the first run ({channel.sent} "
        f"message), {len(steady.delivered):,} the next day"
    )
    engine.dispose()
    pristine.unlink()
    return results


# Runs the CLI and reports its own peak RSS (VmHWM: the high-water mark of this address space;
# ru_maxrss would also count the benchmark process that forked it, kept across exec on Linux).
WRAPPER = (
    "import atexit, sys\n"
    "def report():\n"
    "    with open('/proc/self/status') as status:\n"
    "        peak = next(line for line in status if line.startswith('VmHWM:'))\n"
    "    sys.stderr.write('\\nmaxrss=' + peak.split()[1] + '\\n')\n"
    "atexit.register(report)\n"
    "from pointwatch.cli import main\n"
    "main()\n"
)


def whole_command(db: Path, folder: Path, *args: str, repeat: int = 1) -> tuple[float, float]:
    """Best wall time of `repeat` runs and peak RSS (MB) of one `pointwatch` process."""
    config = folder / "config.toml"
    config.write_text('[pointwatch]\ntimezone = "Asia/Tokyo"\n', encoding="utf-8")
    command = [sys.executable, "-c", WRAPPER, "--db", str(db), "--config", str(config), *args]
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        best = min(best, time.perf_counter() - start)
        if process.returncode not in (0, 1):
            raise SystemExit(f"{args}: exit {process.returncode}: {process.stderr.decode()}")
        marker = process.stderr.decode().rpartition("maxrss=")[2]
        peak = max(peak, int(marker.split()[0]) / 1024)  # KB on Linux
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expectations", type=int, default=10_000)
    parser.add_argument("--entries", default="100000,1000000,2000000")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timed runs")
    options = parser.parse_args()
    sizes = [int(size) for size in options.entries.split(",")]
    table: dict[int, dict[str, tuple[float, float]]] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            start = time.perf_counter()
            db = build_database(folder, options.expectations, size)
            print(f"{size:,} entries: database built in {time.perf_counter() - start:.1f} s "
                  f"({db.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
            figures = in_process(db, options.repeat)
            day = (NOW.date() + timedelta(days=2)).isoformat()
            for label, args in (
                ("command: remind --dry-run", ("--dry-run",)),
                ("command: remind (steady)", ()),
                ("command: remind --check -q", ("--check", "--quiet")),
            ):
                figures[label] = whole_command(
                    db, folder, "remind", "--as-of", day, *args, repeat=options.repeat
                )
            for name_, (seconds, memory) in figures.items():
                kind = "RSS" if name_.startswith("command") else "traced"
                print(f"  {name_:<28} {seconds:7.3f} s   peak {kind} {memory:7.1f} MB")
            overhead = figures["run_daily next day"][0] - figures["evaluate_all"][0]
            label = "alerts + delivery (steady)"
            print(f"  {label:<28} {overhead:7.3f} s   (run_daily - evaluate_all)")
            table[size] = figures
    print("\ntargets: < 2 s per run and < 300 MB at 1,000,000 entries")
    base = sizes[0]
    for size in sizes[1:]:
        print(f"ratios {size:,} / {base:,} entries (x{size / base:g} entries):")
        for name_ in table[size]:
            ratio = table[size][name_][0] / table[base][name_][0]
            print(f"  {name_:<28} time x{ratio:5.2f}")


if __name__ == "__main__":
    main()
