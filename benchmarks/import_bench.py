"""Import speed (issue 3 "Speed", DESIGN §6), printed with its targets.

    python benchmarks/import_bench.py [--rows 100000] [--runs 5] [--join]

Generates a Rakuten e-NAVI-shaped statement CSV (CP932, every field quoted, CRLF, one statement:
January usage paid in February, realistic shop names, some identical lines, a few ETC
continuation rows, foreign-currency notes and refunds), then times, interleaved, each a median
of `--runs` runs after one warm-up:

(a) `pointwatch import FILE --account card` as a whole process, into a fresh database prepared
    with `pointwatch account add card --profile rakuten-card` (untimed);
(b) a minimal script (its own process): `csv` over the CP932 text, a blake2b dedup key of
    date + amount + description + occurrence, one `sqlite3` `executemany` into a table with a
    UNIQUE key column, one commit;
(c) the re-import of the same file into the database of (a) (all duplicates);
(d) DESIGN §6's reference: raw `executemany` + commit of the same rows pre-parsed in memory
    (parsing untimed), into the minimal table of (b) and into pointwatch's own entry table (its
    two matching indexes besides the UNIQUE key), against pointwatch's
    `services.imports.import_file` + commit timed inside a process that has already imported
    pointwatch (so neither side counts interpreter start-up).

Peak memory is the pointwatch child's own ru_maxrss, from os.wait4 on that child. Every child
runs with its bytecode cached under a temporary PYTHONPYCACHEPREFIX (as an installed package
has it), even where PYTHONDONTWRITEBYTECODE is set: otherwise pointwatch's modules, unlike the
standard library the minimal script uses, would be compiled again in every run.
Targets: (a)/(b) <= 3; (c)/(b) <= 2; peak < 200 MB; DESIGN §6: import within 4x (d).
`--join` also enrolls the card in the shipped 3-year fee waiver, so the import has a status
change to report (the waiver's first statement is the file's).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
start = time.perf_counter()
with transaction(engine) as session:
    report = import_file(session, Path(path), "card", as_of, settings.grace_days)
print(time.perf_counter() - start, len(report.added))
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
    "connection.executemany(", "import time\nstart = time.perf_counter()\nconnection.executemany("
).replace("print(len(rows))", "print(time.perf_counter() - start, len(rows))")


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
    """An e-NAVI statement of `entries` entries; returns the number of lines written."""
    rng = random.Random(seed)
    lines = [HEADER]
    previous: tuple[str, ...] | None = None
    for _ in range(entries):
        if previous is not None and rng.random() < 0.03:
            lines.append(previous)  # the same purchase twice the same day (two coffees)
            continue
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
        previous = row if extra is None else None
        if extra is not None:
            lines.append(extra)
    text = "".join(",".join(f'"{cell}"' for cell in line) + "\r\n" for line in lines)
    path.write_bytes(text.encode("cp932"))
    return len(lines) - 1


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """(wall seconds, peak RSS of that child in MB, stdout); stdout/stderr go through files so
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
    return elapsed, usage.ru_maxrss // 1024, stdout


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
                       "--account", "card=card", "--id", "premium"),
            env,
        )  # fmt: skip
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="entries in the file")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--join", action="store_true", help="enroll the card in a fee waiver")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "enavi202602.csv"
        lines = generate(csv_path, options.rows)
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # inherited by every child
        os.environ["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        size = csv_path.stat().st_size / 1e6
        print(f"file: {options.rows:,} entries, {lines:,} lines, {size:.1f} MB, CP932")
        # The summary as a person sees it: --json would also list every added entry.
        importing = pointwatch("import", str(csv_path), "--account", "card", "--as-of", AS_OF)

        a, b, c, d_raw, d_schema, d_pw = [], [], [], [], [], []
        peak_a, peak_c, peak_b = [], [], []
        report: dict = {}
        for number in range(options.runs + 1):  # run 0 is the warm-up
            env = fresh_database(folder / f"pw{number}", options.join)
            seconds, peak, out = run(importing, env)
            first = summary(out)
            a.append(seconds)
            peak_a.append(peak)
            seconds, peak, out = run(importing, env)
            again = summary(out)
            c.append(seconds)
            peak_c.append(peak)
            seconds, peak, out = run(
                [sys.executable, "-c", MINIMAL_SCRIPT, str(csv_path), str(folder / f"m{number}.db")]
            )  # fmt: skip
            b.append(seconds)
            peak_b.append(peak)
            minimal_rows = int(out)
            _, _, out = run(
                [sys.executable, "-c", RAW_SCRIPT, str(csv_path), str(folder / f"r{number}.db")]
            )
            d_raw.append(float(out.split()[0]))
            fresh_database(folder / f"s{number}", options.join)
            _, _, out = run(
                [sys.executable, "-c", RAW_SCRIPT, str(csv_path),
                 str(folder / f"s{number}" / "pointwatch.db")]
            )  # fmt: skip
            d_schema.append(float(out.split()[0]))
            fresh_database(folder / f"in{number}", options.join)
            _, _, out = run(
                [sys.executable, "-c", PROFILE_SCRIPT, str(csv_path),
                 str(folder / f"in{number}" / "pointwatch.db"), AS_OF]
            )  # fmt: skip
            d_pw.append(float(out.split()[0]))
            report = {"first": first, "again": again, "minimal_rows": minimal_rows}

    def median(samples: list[float]) -> float:
        return statistics.median(samples[1:])  # without the warm-up

    first, again = report["first"], report["again"]
    print(
        f"pointwatch: {first['added']:,} added, {first['duplicates']:,} duplicates, statement "
        f"{first['statement']}, {len(first['changed'])} status change(s); re-import: "
        f"{again['added']:,} added, {again['duplicates']:,} duplicates; minimal script: "
        f"{report['minimal_rows']:,} rows"
    )
    ta, tb, tc = median(a), median(b), median(c)
    td_raw, td_schema, td_pw = median(d_raw), median(d_schema), median(d_pw)
    peak = max(peak_a[1:] + peak_c[1:])
    print(f"median of {options.runs} runs (after a warm-up), seconds:")
    print(f"  (a) pointwatch import, whole process   {ta:6.2f}  peak {max(peak_a[1:])} MB")
    print(f"  (b) minimal csv + executemany script   {tb:6.2f}  peak {max(peak_b[1:])} MB")
    print(f"  (c) pointwatch re-import (duplicates)  {tc:6.2f}  peak {max(peak_c[1:])} MB")
    print(f"  (d) raw executemany of parsed rows     {td_raw:6.2f}  (minimal table)")
    print(f"      raw executemany of parsed rows     {td_schema:6.2f}  (pointwatch's entry table)")
    print(f"      pointwatch import_file in-process  {td_pw:6.2f}  (parse, check, dedup, insert)")
    print("ratios:")
    for label, ratio, target in (("(a)/(b)", ta / tb, 3), ("(c)/(b)", tc / tb, 2)):
        print(f"  {label:28s} {ratio:5.2f}  (target <= {target})    {verdict(ratio <= target)}")
    print(f"  peak memory of (a), (c)      {peak:5d} MB  (target < 200)  {verdict(peak < 200)}")
    for label, reference in (("minimal table", td_raw), ("entry table", td_schema)):
        ratio = td_pw / reference
        print(f"  DESIGN §6 vs {label:13s}   {ratio:5.2f}  (bar <= 4)       {verdict(ratio <= 4)}")
    print(f"  (a) whole process / (d) minimal table  {ta / td_raw:5.2f}  (start-up included)")
    print(f"  samples (a) {fmt(a)}  (b) {fmt(b)}  (c) {fmt(c)}")


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


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def fmt(samples: list[float]) -> str:
    return "/".join(f"{s:.2f}" for s in samples[1:])


if __name__ == "__main__":
    main()
