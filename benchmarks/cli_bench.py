"""Start-up, status and remind as whole commands (DESIGN §6), printed with their targets.

    python benchmarks/cli_bench.py [--expectations 10000] [--runs 7] [--compare OLD_CHECKOUT]

One run times, side by side (the commands take turns, round after round; medians of wall time
and of CPU time, the children's user + system from getrusage):

- `python -c "import click"` and `pointwatch --help` (target: --help within 2x of click);
- `python -c "import sqlmodel"`, the yardstick of the data commands;
- on N expectations (10,000: target under 1 s as a whole command, within 2x of import
  sqlmodel): `status` (the table, piped), `status --json`, `status --json` through SQLAlchemy
  (the same database as a URL with an option, which takes the engine path; store/reader.py),
  and `remind --dry-run`.

The database holds as many entries as expectations, half of them paying one. The expectations
are spread over `--accounts` point accounts with typical campaign amounts (100..2,000 in steps
of 100); `--accounts 1` is the adversarial case where every expectation competes for every
entry of its amount (hundreds of thousands of fitting pairs). The outputs of `status` and
`status --json` must be byte-identical on both paths (and to the `--compare` checkout's, whose
commands then run in the same rounds with PYTHONPATH pointing at it: a before/after table).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root: tests/factories.py builds the data


@dataclass
class Command:
    label: str
    argv: list[str]
    env: dict[str, str] | None = None
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    output: bytes = b""

    def run(self) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            self.argv, check=True, capture_output=True, env=self.env, cwd=tempfile.gettempdir()
        )
        self.wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        self.output = done.stdout

    @property
    def times(self) -> tuple[float, float]:
        """Median wall and CPU seconds."""
        return statistics.median(self.wall), statistics.median(self.cpu)


def rounds(commands: list[Command], runs: int) -> None:
    """One warm-up run each, then `runs` rounds in which every command runs once."""
    for command in commands:
        command.run()
        command.wall.clear()
        command.cpu.clear()
    for _ in range(runs):
        for command in commands:
            command.run()


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
    parser.add_argument(
        "--compare", type=Path, help="another checkout of pointwatch, timed in the same rounds"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        # As an installed package runs: with its bytecode cached (this environment may set
        # PYTHONDONTWRITEBYTECODE, which would recompile pointwatch in every run).
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # inherited by every child
        os.environ["PYTHONPYCACHEPREFIX"] = cache
        measure(options)


def measure(options: argparse.Namespace) -> None:
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        db = build_database(Path(folder), options.expectations, options.accounts)
        env = {**os.environ, "POINTWATCH_DB": str(db), "POINTWATCH_CONFIG": f"{folder}/none.toml"}
        through_engine = {**env, "POINTWATCH_DB": f"sqlite:///{db}?timeout=30"}
        as_of = ("--as-of", "2025-06-01")
        # Which pointwatch runs: this checkout's, or the --compare one (from a neutral folder,
        # so that the current directory never comes first on the path).
        trees = {"": {"PYTHONPATH": str(HERE.parent)}}
        if options.compare is not None:
            trees["before: "] = {"PYTHONPATH": str(options.compare.resolve())}

        def tree(extra: dict[str, str], base: dict[str, str] | None) -> dict[str, str]:
            return {**(base or os.environ), **extra}

        commands = [
            Command("python -c 'import click'", [python, "-c", "import click"]),
            Command("python -c 'import sqlmodel'", [python, "-c", "import sqlmodel"]),
        ]
        for prefix, extra in trees.items():
            commands += [
                Command(f"{prefix}pointwatch --help", pointwatch("--help"), tree(extra, None)),
                Command(f"{prefix}status", pointwatch("status", *as_of), tree(extra, env)),
                Command(
                    f"{prefix}status --json",
                    pointwatch("status", *as_of, "--json"),
                    tree(extra, env),
                ),
                Command(
                    f"{prefix}remind --dry-run",
                    pointwatch("remind", *as_of, "--dry-run"),
                    tree(extra, env),
                ),
            ]
        commands.append(
            Command(
                "status --json through SQLAlchemy",
                pointwatch("status", *as_of, "--json"),
                tree(trees[""], through_engine),
            )
        )
        rounds(commands, options.runs)
    report(commands, options)


def report(commands: list[Command], options: argparse.Namespace) -> None:
    by_label = {command.label: command for command in commands}
    click_wall, click_cpu = by_label["python -c 'import click'"].times
    sqlmodel_wall, sqlmodel_cpu = by_label["python -c 'import sqlmodel'"].times
    print(
        f"{options.expectations:,} expectations, as many entries, {options.accounts} accounts; "
        f"medians of {options.runs} rounds"
    )
    print(f"{'command':38} {'wall ms':>8} {'cpu ms':>8}   ratio (wall, cpu)")
    for command in commands:
        wall, cpu = command.times
        if command.label.endswith("--help"):
            base, ratio = "import click", (wall / click_wall, cpu / click_cpu)
        elif "import" in command.label:
            base, ratio = "", None
        else:
            base, ratio = "import sqlmodel", (wall / sqlmodel_wall, cpu / sqlmodel_cpu)
        shown = f"{ratio[0]:5.2f} {ratio[1]:5.2f}  x {base}" if ratio else ""
        print(f"{command.label:38} {wall * 1000:8.1f} {cpu * 1000:8.1f}   {shown}")
    print("targets: --help <= 2x import click; status < 1000 ms and <= 2x import sqlmodel")
    json_outputs = {c.label: c.output for c in commands if c.label.endswith("status --json")}
    json_outputs["through SQLAlchemy"] = by_label["status --json through SQLAlchemy"].output
    tables = {c.label: c.output for c in commands if c.label.endswith("status")}
    for name, outputs in (("status --json", json_outputs), ("status", tables)):
        same = len(set(outputs.values())) == 1
        print(f"{name} output byte-identical across {', '.join(outputs)}: {same}")
        if not same:
            raise SystemExit(f"{name}: the outputs differ")


if __name__ == "__main__":
    main()
