"""The reads of evaluation (status, remind, …) as SQLAlchemy Core statements: one definition of
each query for every database.

Each statement is built once, from the tables' own Core `Table`s, with named parameters (the
day of `--as-of` among them: `queries.existing_on` applies the point-in-time rule). On any
SQLAlchemy connection (PostgreSQL, or SQLite when a command already holds a session) they run as
they are. For the SQLite default, `python -m pointwatch.store.reads` compiles them with
SQLAlchemy's SQLite dialect into `sqlite_reads.py`, which `reader.py` runs on plain `sqlite3`:
`status` then never imports SQLAlchemy, its ORM, pydantic or SQLModel (about half a second),
and the SQL still comes from these expressions — a test fails when that file is out of date.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from sqlalchemy import Date, and_, bindparam, or_, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql import ColumnElement, Select

from pointwatch.store.convert import EXPECTATION_FIELDS, SETTLEMENT_FIELDS
from pointwatch.store.point_in_time import SPANS, existing_on
from pointwatch.store.settlement_log import ReopenedSettlementRow
from pointwatch.store.tables import (
    AccountRow,
    CampaignRow,
    CoverageRow,
    EnrollmentRow,
    EntryRow,
    ExpectationRow,
    SettlementRow,
)

GENERATED = Path(__file__).with_name("sqlite_reads.py")
DAY = bindparam("day", type_=Date())  # the day of the view (queries.day_parameter)
ENTRY_FIELDS = ("id", "account_id", "amount", "date", "statement", "description")


@cache
def statements() -> dict[str, Select]:
    """Name → statement; `queries` asks for rows by these names (reader.Reader.rows)."""
    X, A, N = ExpectationRow.__table__, AccountRow.__table__, EnrollmentRow.__table__
    E, C, S = EntryRow.__table__, CoverageRow.__table__, SettlementRow.__table__
    R, K = ReopenedSettlementRow.__table__, CampaignRow.__table__
    expectations = (
        select(*(X.c[name] for name in EXPECTATION_FIELDS), A.c.name, N.c.met)
        .join_from(X, A, X.c.account_id == A.c.id)
        .join(N, X.c.enrollment_id == N.c.id)
    )

    def entries(amounts: Callable[[int], ColumnElement[bool]]) -> Select:
        # SPANS accounts, each with its amounts, per run (a few runs, not one per account: a
        # server is a round trip away). The (account, amount, date) index finds the ids; the
        # rows are then read by id, in the table's own order (in the index's order, the reads
        # of a large table outgrow SQLite's page cache and slow down faster than the entries
        # grow).
        spans = or_(
            *(
                and_(E.c.account_id == bindparam(f"account{span}"), amounts(span))
                for span in range(SPANS)
            )
        )
        found = select(E.c.id).where(spans, existing_on("entry", DAY))
        return select(*(E.c[name] for name in ENTRY_FIELDS)).where(E.c.id.in_(found))

    return {
        "expectations": expectations,
        "expectations_by_id": expectations.where(X.c.id.in_(bindparam("ids", expanding=True))),
        "expectations_of_enrollment": expectations.where(
            X.c.enrollment_id == bindparam("enrollment")
        ),
        "campaign_definitions": select(K.c.id, K.c.definition).where(
            K.c.id.in_(bindparam("campaigns", expanding=True))
        ),
        "accounts": select(A.c.id, A.c.name),
        "entries_of_amounts": entries(
            lambda span: E.c.amount.in_(bindparam(f"amounts{span}", expanding=True))
        ),
        "entries_between": entries(
            lambda span: E.c.amount.between(bindparam(f"low{span}"), bindparam(f"high{span}"))
        ),
        "coverage": select(A.c.name, C.c.statement)
        .join_from(C, A, C.c.account_id == A.c.id)
        .where(existing_on("coverage", DAY)),
        "settlements": select(*(S.c[name] for name in SETTLEMENT_FIELDS)).where(
            existing_on("settlement", DAY)
        ),
        # Settled by the day and reopened only after it: on that day still in force.
        "undone_settlements": select(*(R.c[name] for name in SETTLEMENT_FIELDS)).where(
            R.c.on <= DAY, ~existing_on("reopened_settlement", DAY)
        ),
    }


def schema_check() -> tuple[str, str]:
    """The read that tells a current database, and the mark it finds beside the newest
    revision (`migrations.HEAD`) then: `schema.py`'s own one-query test, so the plain-SQLite
    path reads only a database that `ensure_schema` would leave as it is (anything else takes
    the SQLAlchemy path, which upgrades or refuses it)."""
    from pointwatch.store import schema

    return schema._FAST_CHECK, schema.MARKER


def sqlite_text(statement: Select) -> str:
    """SQLite's SQL for `statement`, parameters as `:name` (sqlite3's named style); a list
    parameter stays `__[POSTCOMPILE_name]`, expanded by the reader for each call."""
    return " ".join(str(statement.compile(dialect=sqlite.dialect(paramstyle="named"))).split())


def generated_module() -> str:
    """The text of `sqlite_reads.py`."""
    check, marker = schema_check()
    lines = [
        '"""Generated by `python -m pointwatch.store.reads` from the statements in reads.py:',
        "do not edit (tests/test_read_path.py fails when this file is out of date).",
        '"""',
        "",
        "# fmt: off",
        "SCHEMA_CHECK = (",
        *(f"    {part!r}" for part in _parts(check)),
        ")",
        f"MARKER = {marker!r}",
    ]
    texts = {name: sqlite_text(statement) for name, statement in statements().items()}
    for name, text in texts.items():
        # A statement that extends an earlier one (a WHERE added) is written as that one + …
        base = next(
            (other for other in texts if other != name and text.startswith(texts[other])), None
        )
        start = f"{name.upper()} = " + (f"{base.upper()} + " if base else "")
        rest = text[len(texts[base]) :] if base else text
        lines += ["", start + "(", *(f"    {part!r}" for part in _parts(rest)), ")"]
    lines += ["", "SQL = {", *(f"    {name!r}: {name.upper()}," for name in texts), "}"]
    lines.append("# fmt: on")
    return "\n".join(lines) + "\n"


def _parts(text: str, width: int = 80) -> list[str]:
    """`text` cut after spaces into pieces of about `width` (joined again, they are `text`)."""
    parts = []
    while len(text) > width:
        cut = text.rfind(" ", 1, width) + 1 or text.find(" ", width) + 1 or len(text)
        parts.append(text[:cut])
        text = text[cut:]
    return [*parts, text] if text else parts


if __name__ == "__main__":
    GENERATED.write_text(generated_module(), encoding="utf-8")
    print(f"wrote {GENERATED}", file=sys.stderr)
