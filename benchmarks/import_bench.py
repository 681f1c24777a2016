"""Import speed (issue 3 "Speed", issue 14 item 3, DESIGN §6), printed with its targets.

    python benchmarks/import_bench.py [--rows 100000,1000000] [--runs N] [--quick] [--join]

For each size (default 100,000 and 1,000,000 entries) it generates a Rakuten e-NAVI-shaped
statement CSV (CP932, every field quoted, CRLF, one statement: January usage paid in February,
realistic shop names, some identical lines, a few ETC continuation rows, foreign-currency notes
and refunds), then times, interleaved run by run, each a median of `--runs` runs (default 5,
3 from 1,000,000 rows; one warm-up round before the first size, not counted):

(a) `pointwatch import FILE --account card` as a whole process, into a fresh database prepared
    with `pointwatch account add card --profile rakuten-card` (untimed);
(b) a minimal script (its own process): `csv` over the CP932 text, a blake2b dedup key of
    date + amount + description + occurrence, one `sqlite3` `executemany` into a table with a
    UNIQUE key column, one commit;
(c) the re-import of the same file into the database of (a) (all duplicates);
(d) up to 100,000 rows, DESIGN §6's reference: raw `executemany` + commit of the same rows
    pre-parsed in memory (parsing untimed), into the minimal table of (b) and into pointwatch's
    own entry table (its two matching indexes besides the UNIQUE key), against pointwatch's
    `services.imports.import_file` + commit timed inside a process that has already imported
    pointwatch (so neither side counts interpreter start-up).

Times are CPU seconds (user + system, from os.wait4 on each child: the machine is shared, and
CPU time does not count the waits for the other users' processes) and wall seconds; a ratio
is the median of the runs' own ratios, each of two processes timed one after the other. Peak
memory is each child's own ru_maxrss; this process writes the file line by line and stays
small, because a child's ru_maxrss starts from the peak of the process that spawned it.
Every child runs with its bytecode cached under a temporary PYTHONPYCACHEPREFIX (as an
installed package has it), even where PYTHONDONTWRITEBYTECODE is set: otherwise pointwatch's
modules, unlike the standard library the minimal script uses, would be compiled again in
every run.
Targets: (a)/(b) <= 3 at 100,000 rows, <= 2.5 at 1,000,000 (DESIGN §6); (c)/(b) <= 2; peak
< 200 MB at 100,000 rows (reported above); DESIGN §6: import within 4x (d).
`--join` also enrolls the card in the shipped 3-year fee waiver, so the import has a status
change to report (the waiver's first statement is the file's).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

HEADER = (
    "利用日", "利用店名・商品名", "利用者", "支払方法", "利用金額", "支払手数料", "支払総額",
    "2月支払金額", "3月繰越残高", "新規サイン",
)  # fmt: skip
YEAR = 2026
AS_OF = "2026-02-20"  # the February statement is final (ready on the 12th)

# Chains as e-NAVI prints them (full-width Latin letters, 全角 spaces), with branches.
CHAINS = (
    "セブン－イレブン", "ファミリーマート", "ローソン", "ミニストップ", "イオン",
    "イトーヨーカドー", "ヨドバシカメラ", "ビックカメラ", "ユニクロ", "無印良品", "ニトリ",
    "マツモトキヨシ", "ウエルシア", "スターバックスコーヒー", "ドトールコーヒーショップ",
    "マクドナルド", "すき家", "吉野家", "松屋", "ガスト", "サイゼリヤ", "ＥＮＥＯＳ", "出光",
    "紀伊國屋書店", "ＴＳＵＴＡＹＡ", "ライフ", "成城石井", "コストコホールセール", "ダイソー",
    "楽天ペイ　ローソン",
)  # fmt: skip
BRANCHES = (
    "渋谷駅前店", "新宿西口店", "池袋東口店", "横浜ポルタ店", "梅田店", "なんば店", "名古屋栄店",
    "札幌大通店", "博多駅店", "仙台一番町店", "吉祥寺店", "川崎ルフロン店", "大宮店", "千葉店",
    "京都四条店", "神戸三宮店", "広島本通店", "立川店", "町田店", "柏店",
)  # fmt: skip
ONLINE = (
    "ＡＭＡＺＯＮ．ＣＯ．ＪＰ", "楽天市場", "楽天ブックス", "楽天トラベル", "楽天モバイル通信料",
    "ＮＴＴドコモ", "東京電力エナジーパートナー", "東京ガス", "ＪＲ東日本　モバイルＳｕｉｃａ",
    "ＡＰＰＬＥ　ＣＯＭ　ＢＩＬＬ", "ＧＯＯＧＬＥ　＊ＹｏｕＴｕｂｅ", "ＮＥＴＦＬＩＸ．ＣＯＭ",
    "ヤフオク！", "メルカリ", "ＺＯＺＯＴＯＷＮ", "ＵＢＥＲ　＊ＥＡＴＳ", "ＰａｙＰａｙ",
)  # fmt: skip
FOREIGN = ("ＥＸＡＭＰＬＥ　ＳＯＦＴＷＡＲＥ利用国USA", "ＳＴＥＡＭＰＯＷＥＲＥＤ利用国DEU")
TOLL_ROUTES = ("東京料金所－横浜公園", "用賀－三軒茶屋", "浦和料金所－川口ＪＣＴ")

PROFILE_SCRIPT = r"""
import sys, time
from pathlib import Path
from pointwatch.config import load_settings
from pointwatch.services.imports import import_file
from pointwatch.store.engine import make_engine, transaction
from datetime import date
path, db, as_of = sys.argv[1], sys.argv[2], date.fromisoformat(sys.argv[3])
engine = make_engine(f"sqlite:///{db}")
settings = load_settings(Path(db).with_name("none.toml"))
start, cpu = time.perf_counter(), time.process_time()
with transaction(engine) as session:
    report = import_file(session, Path(path), "card", as_of, settings.rules)
print(time.perf_counter() - start, time.process_time() - cpu, len(report.added))
"""

# (b): what any careful script would do, no framework.
MINIMAL_SCRIPT = r"""
import csv, hashlib, sqlite3, sys
path, db = sys.argv[1], sys.argv[2]
connection = sqlite3.connect(db)
connection.execute(
    "CREATE TABLE IF NOT EXISTS entry (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,"
    " date TEXT NOT NULL, amount INTEGER NOT NULL, description TEXT NOT NULL, statement TEXT,"
    " source TEXT NOT NULL, dedup_key TEXT UNIQUE)"
)
seen = {}
rows = []
with open(path, encoding="cp932", newline="") as file:
    reader = csv.reader(file)
    next(reader)
    for row in reader:
        if not row or not row[0]:
            continue  # a note or continuation line
        day, amount, text = row[0].replace("/", "-"), int(row[4]), row[1].strip()
        same = (day, amount, text)
        occurrence = seen[same] = seen.get(same, 0) + 1
        key = hashlib.blake2b(
            f"card\x1f{day}\x1f{amount}\x1f{text}\x1f{occurrence}".encode(), digest_size=20
        ).hexdigest()
        rows.append((1, day, amount, text, "2026-02", "import", key))
connection.executemany(
    "INSERT OR IGNORE INTO entry (account_id, date, amount, description, statement, source,"
    " dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
    rows,
)
connection.commit()
print(len(rows))
"""

# (d): the same rows pre-parsed in memory, only executemany + commit timed; into pointwatch's
# table when the database already has it (account 1 is the card).
RAW_SCRIPT = MINIMAL_SCRIPT.replace(
    "connection.executemany(",
    "import time\nstart, cpu = time.perf_counter(), time.process_time()\nconnection.executemany(",
).replace("print(len(rows))", "print(time.perf_counter() - start, time.process_time() - cpu)")


def shop(rng: random.Random) -> str:
    if rng.random() < 0.45:
        return rng.choice(ONLINE)
    return f"{rng.choice(CHAINS)}　{rng.choice(BRANCHES)}"


def amount_for(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.55:
        return rng.randrange(100, 2_000)
    if roll < 0.9:
        return rng.randrange(2_000, 20_000)
    return rng.randrange(20_000, 150_000)


def generate(path: Path, entries: int, seed: int = 20260201) -> int:
    """An e-NAVI statement of `entries` entries; returns the number of lines written (below
    the header). Written in chunks, never held whole: see the module's note on peak memory."""
    rng = random.Random(seed)
    lines: list[tuple[str, ...]] = [HEADER]
    written = 0
    previous: tuple[str, ...] | None = None
    with path.open("wb") as file:
        for _ in range(entries):
            if len(lines) >= 10_000:
                written += write_lines(file, lines)
            if previous is not None and rng.random() < 0.03:
                lines.append(previous)  # the same purchase twice the same day (two coffees)
                continue
            previous = next_entry(rng, lines)
        written += write_lines(file, lines)
    return written - 1


def write_lines(file, lines: list[tuple[str, ...]]) -> int:
    """Write and clear `lines`; returns how many there were."""
    text = "".join(",".join(f'"{cell}"' for cell in line) + "\r\n" for line in lines)
    file.write(text.encode("cp932"))
    count = len(lines)
    lines.clear()
    return count


def next_entry(rng: random.Random, lines: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """Append one entry's line (and its continuation line, if any) to `lines`; returns the
    line when a copy of it may follow (an entry without continuation)."""
    day = f"{YEAR}/01/{rng.randint(1, 31):02d}"
    kind = rng.random()
    payer = "家族" if rng.random() < 0.1 else "本人"
    method, fee, new = "1回払い", 0, "*"
    extra: tuple[str, ...] | None = None
    if kind < 0.01:  # ETC toll: the route spills onto the next row
        text, payer, amount = "首都高速道路", "ETC", rng.choice((1320, 1950, 930))
        extra = ("", rng.choice(TOLL_ROUTES), *[""] * 8)
    elif kind < 0.015:  # foreign purchase and its exchange-rate note
        text, amount = rng.choice(FOREIGN), rng.randrange(800, 20_000)
        extra = ("", "現地利用額　　　　　　　　　９．９９０変換レート　１５１．３５１円",
                 *[""] * 8)  # fmt: skip
    elif kind < 0.025:  # refund: negative usage, nothing to pay
        text, amount, new = f"{rng.choice(ONLINE)}　返品", -rng.randrange(300, 20_000), ""
    else:
        text, amount = shop(rng), amount_for(rng)
        if amount > 30_000 and rng.random() < 0.3:
            method = "分割3回払い(1回目)"
        elif rng.random() < 0.02:
            method = "リボ変更"
    total = 0 if amount < 0 else amount + fee
    paid = amount // 3 if method.startswith("分割") else amount
    carried = amount - paid if method.startswith("分割") else 0
    row = (day, text, payer, method, str(amount), str(fee), str(total), str(paid),
           str(carried), new)  # fmt: skip
    lines.append(row)
    if extra is not None:
        lines.append(extra)
        return None
    return row


class Sample(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system seconds
    peak: int  # MB
    out: str


def run(command: list[str], env: dict[str, str] | None = None) -> Sample:
    """One child's times, its own peak RSS and its stdout; stdout/stderr go through files so
    no pipe can fill, and os.wait4 returns the rusage of this child alone."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{stderr}{stdout}")
    return Sample(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, stdout)


def pointwatch(*args: str) -> list[str]:
    return [sys.executable, "-m", "pointwatch", *args]


def fresh_database(folder: Path, join: bool) -> dict[str, str]:
    folder.mkdir()
    env = {
        **os.environ,
        "POINTWATCH_DB": str(folder / "pointwatch.db"),
        "POINTWATCH_CONFIG": str(folder / "none.toml"),
    }
    run(pointwatch("account", "add", "card", "--profile", "rakuten-card"), env)
    if join:
        run(
            pointwatch("join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10",
                       "--id", "premium"),
            env,
        )  # fmt: skip
    return env


RAW_UP_TO = 100_000  # (d) is DESIGN §6's 100,000-row bar; above, (b) is the reference


class Figures(NamedTuple):
    rows: int
    a: list[Sample]  # pointwatch import
    b: list[Sample]  # minimal script
    c: list[Sample]  # pointwatch re-import
    d: dict[str, list[Sample]]  # raw / schema / in-process, timed inside the child
    counts: str


def measure(folder: Path, rows: int, runs: int, warm_ups: int, join: bool) -> Figures:
    """Time (a), (b), (c) and, up to RAW_UP_TO rows, (d) on a file of `rows` entries."""
    folder.mkdir()
    csv_path = folder / "enavi202602.csv"
    lines = generate(csv_path, rows)
    size = csv_path.stat().st_size / 1e6
    note = f", after {warm_ups} warm-up round" if warm_ups else ""
    print(f"\n{rows:,} entries: {lines:,} lines, {size:.1f} MB, CP932; {runs} runs{note}")
    # The summary as a person sees it: --json would also list every added entry.
    importing = pointwatch("import", str(csv_path), "--account", "card", "--as-of", AS_OF)
    a, b, c = [], [], []
    d: dict[str, list[Sample]] = {"raw": [], "schema": [], "in-process": []}
    counts = ""
    for number in range(warm_ups + runs):
        here = folder / f"run{number}"
        here.mkdir()
        env = fresh_database(here / "pw", join)
        first = run(importing, env)
        again = run(importing, env)
        minimal = run([sys.executable, "-c", MINIMAL_SCRIPT, str(csv_path), str(here / "m.db")])
        timed = {}
        if rows <= RAW_UP_TO:
            timed["raw"] = run(
                [sys.executable, "-c", RAW_SCRIPT, str(csv_path), str(here / "r.db")]
            )
            fresh_database(here / "s", join)
            timed["schema"] = run(
                [sys.executable, "-c", RAW_SCRIPT, str(csv_path), str(here / "s" / "pointwatch.db")]
            )
            fresh_database(here / "in", join)
            timed["in-process"] = run(
                [sys.executable, "-c", PROFILE_SCRIPT, str(csv_path),
                 str(here / "in" / "pointwatch.db"), AS_OF]
            )  # fmt: skip
        shutil.rmtree(here)  # a run of 1,000,000 rows leaves about a gigabyte of databases
        if number < warm_ups:
            continue
        a.append(first)
        b.append(minimal)
        c.append(again)
        for name, sample in timed.items():
            wall, cpu = sample.out.split()[:2]
            d[name].append(Sample(float(wall), float(cpu), sample.peak, ""))
        counts = describe(summary(first.out), summary(again.out), int(minimal.out))
    print(f"  {counts}")
    return Figures(rows, a, b, c, d, counts)


def describe(first: dict, again: dict, minimal_rows: int) -> str:
    return (
        f"pointwatch: {first['added']:,} added, {first['duplicates']:,} duplicates, statement "
        f"{first['statement']}, {len(first['changed'])} status change(s); re-import: "
        f"{again['added']:,} added, {again['duplicates']:,} duplicates; minimal script: "
        f"{minimal_rows:,} rows"
    )


def ratio(top: list[Sample], bottom: list[Sample], attribute: str) -> float:
    """The median of the runs' own ratios (each pair timed one after the other)."""
    return statistics.median(
        getattr(x, attribute) / getattr(y, attribute) for x, y in zip(top, bottom, strict=True)
    )


def import_target(rows: int) -> float:
    return 2.5 if rows >= 1_000_000 else 3


def report(figures: Figures) -> None:
    a, b, c, d = figures.a, figures.b, figures.c, figures.d

    def median(samples: list[Sample], attribute: str) -> float:
        return statistics.median(getattr(s, attribute) for s in samples)

    print(f"  {'median of the runs':40s} {'cpu s':>7s} {'wall s':>7s} {'peak MB':>7s}")
    for label, samples, what in (
        ("(a) pointwatch import, whole process", a, ""),
        ("(b) minimal csv + executemany script", b, ""),
        ("(c) pointwatch re-import (duplicates)", c, ""),
        ("(d) raw executemany of parsed rows", d["raw"], "  (minimal table)"),
        ("    raw executemany of parsed rows", d["schema"], "  (pointwatch's entry table)"),
        ("    pointwatch import_file in-process", d["in-process"], "  (parse, dedup, insert)"),
    ):
        if samples:
            peak = what or f"{max(s.peak for s in samples):7d}"
            cpu, wall = median(samples, "cpu"), median(samples, "wall")
            print(f"  {label:40s} {cpu:7.2f} {wall:7.2f} {peak}")
    print("  ratios (the median of the runs' own ratios), cpu [wall]:")
    peak = max(s.peak for s in a + c)
    checks = [
        ("(a)/(b)", ratio(a, b, "cpu"), ratio(a, b, "wall"), import_target(figures.rows)),
        ("(c)/(b)", ratio(c, b, "cpu"), ratio(c, b, "wall"), 2),
    ]
    if figures.rows <= RAW_UP_TO:
        inside = d["in-process"]
        for label, name in (("minimal table", "raw"), ("entry table", "schema")):
            reference = d[name]
            wall = ratio(inside, reference, "wall")
            checks.append((f"DESIGN §6 vs {label}", ratio(inside, reference, "cpu"), wall, 4))
    for label, cpu, wall, target in checks:
        print(f"    {label:26s} {cpu:5.2f} [{wall:5.2f}]  (target <= {target})  "
              f"{verdict(cpu <= target, figures.rows)}")  # fmt: skip
    if figures.rows <= RAW_UP_TO:
        print(f"    peak memory of (a), (c)    {peak:5d} MB  (target < 200)  "
              f"{verdict(peak < 200, figures.rows)}")  # fmt: skip
    else:
        print(f"    peak memory of (a), (c)    {peak:5d} MB  (reported)")
    print(f"  cpu samples (a) {fmt(s.cpu for s in a)}  (b) {fmt(s.cpu for s in b)}  "
          f"(c) {fmt(s.cpu for s in c)}")  # fmt: skip


def table(all_figures: list[Figures]) -> None:
    """The sizes side by side: what issue 14 item 3 asks to compare."""
    print("\nsummary (cpu seconds; ratios cpu [wall]):")
    print(f"  {'rows':>9s} {'pointwatch':>10s} {'minimal':>8s} {'ratio':>14s} {'target':>6s} "
          f"{'peak MB':>7s} {'re-import':>14s}")  # fmt: skip
    for f in all_figures:
        pw, minimal = statistics.median(s.cpu for s in f.a), statistics.median(s.cpu for s in f.b)
        first = f"{ratio(f.a, f.b, 'cpu'):.2f} [{ratio(f.a, f.b, 'wall'):.2f}]"
        again = f"{ratio(f.c, f.b, 'cpu'):.2f} [{ratio(f.c, f.b, 'wall'):.2f}]"
        peak = max(s.peak for s in f.a + f.c)
        print(f"  {f.rows:9,d} {pw:10.2f} {minimal:8.2f} {first:>14s} {import_target(f.rows):>6} "
              f"{peak:7d} {again:>14s}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", default="100000,1000000", help="entries per file, comma-separated sizes"
    )
    parser.add_argument(
        "--runs", type=int, help="runs per size, median taken (default 5; 3 from 1,000,000 rows)"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 20,000 rows, 2 runs")
    parser.add_argument("--join", action="store_true", help="enroll the card in a fee waiver")
    options = parser.parse_args()
    sizes = [20_000] if options.quick else [int(n) for n in options.rows.split(",")]
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # inherited by every child
    all_figures = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        for number, rows in enumerate(sizes):
            runs = options.runs or (2 if options.quick else 3 if rows >= 1_000_000 else 5)
            figures = measure(Path(tmp) / f"n{rows}", rows, runs, int(number == 0), options.join)
            report(figures)
            all_figures.append(figures)
    table(all_figures)


def summary(output: str) -> dict:
    """The figures of `pointwatch import`'s summary lines."""
    counts = re.search(r"(\d+) added, (\d+) duplicates", output)
    statement = re.search(r"^statement (\S+) of", output, re.MULTILINE)
    if counts is None:
        raise SystemExit(f"unexpected import output:\n{output}")
    return {
        "added": int(counts[1]),
        "duplicates": int(counts[2]),
        "statement": statement[1] if statement else None,
        "changed": re.findall(r"^  (\S+): (\S+) -> (\S+)$", output, re.MULTILINE),
    }


def verdict(ok: bool, rows: int) -> str:
    if rows < 100_000:
        return "-  (set for 100,000 rows up; start-up weighs more below)"
    return "ok" if ok else "MISSED"


def fmt(samples) -> str:
    return "/".join(f"{s:.2f}" for s in samples)


if __name__ == "__main__":
    main()
