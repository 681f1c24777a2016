"""Every figure of the quality bars (DESIGN §6, issue 14) in one run, each printed by its own
benchmark with its reference and ratio: matching's worst case at three sizes and doubled,
`status` on 10,000 expectations against `python -c "import sqlmodel"`, import at 100,000 and
1,000,000 rows against a minimal csv + sqlite3 script, and the daily run at 1,000,000 entries.

    python benchmarks/run_all.py            # the full sizes (about 10 minutes on 2 cores)
    python benchmarks/run_all.py --quick    # small sizes, to see that everything runs
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent

FULL = [
    ("matching", ["matching_bench.py", "--sizes", "5000x1000,5000x10000,5000x100000,10000x200000"]),
    ("status", ["cli_bench.py", "--expectations", "10000"]),
    ("import", ["import_bench.py", "--rows", "100000,1000000"]),
    ("remind", ["remind_bench.py", "--entries", "1000000"]),
]
QUICK = [
    ("matching", ["matching_bench.py", "--sizes", "500x1000,1000x2000", "--repeat", "1"]),
    ("status", ["cli_bench.py", "--expectations", "1000", "--runs", "1"]),
    ("import", ["import_bench.py", "--quick"]),
    ("remind", ["remind_bench.py", "--expectations", "500", "--entries", "20000", "--repeat", "1"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    quick = parser.parse_args().quick
    failed = []
    for title, command in QUICK if quick else FULL:
        print(f"\n=== {title}: {' '.join(command)}", flush=True)
        if subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]]).returncode:
            failed.append(title)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
