"""Bulk work for imports: how many entries are stored, which dedup keys are stored already,
SQLite's page cache sized to the work, and the insert itself (the driver's executemany on
SQLite, Core batches elsewhere)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from pointwatch.store.tables import EntryRow


def rows_stored(session: Session) -> int:
    """About how many entries are stored, all accounts (the highest id: one index step)."""
    return session.execute(select(func.max(EntryRow.__table__.c.id))).scalar() or 0


def stored_keys(session: Session, keys: list[str], rows_stored: int) -> set[str]:
    """The dedup keys stored already: all of them, or at least those of `keys` (a key names its
    account and is unique over the table, so a key stored on any account cannot be added).

    Whichever costs less: while the table holds at most `_SCAN_RATIO` times as many rows as
    `keys`, every stored key read in order from the keys' unique index (about 0.8 µs a row),
    else `keys` looked up in that index in sorted batches (about 2.5 µs a key; neighbouring
    keys share their index pages). Either way the cost follows the file, not the history of
    the account: reading the account's keys over the file's dates fetched each stored row of
    those dates from the table, 5 s for a 1,000-line file into a month of 1,000,000 entries.
    """
    column = EntryRow.__table__.c.dedup_key
    connection = session.connection()
    if rows_stored <= _SCAN_RATIO * len(keys):
        every = select(column).where(column.is_not(None))
        return {key for (key,) in _driver_rows(connection, every)}
    query = select(column).where(column.in_(bindparam("keys", expanding=True)))
    wanted = sorted(keys)
    found: set[str] = set()
    for start in range(0, len(wanted), _LOOKUP_BATCH):
        batch = wanted[start : start + _LOOKUP_BATCH]
        stored = {key for (key,) in _driver_rows(connection, query, {"keys": batch})}
        if stored:
            found.update(key for key in batch if key in stored)  # the file's own strings
    return found


def _driver_rows(connection: Connection, query, parameters: dict | None = None) -> Iterator[tuple]:
    """The driver's rows as they are (as store.queries.raw_rows), one at a time: SQLAlchemy's
    per-row processing would cost more than the read on a re-import of 100,000 lines."""
    result = connection.execute(query, parameters)
    try:
        yield from result.cursor
    finally:
        result.close()


@contextmanager
def gc_paused() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# SQLite page cache while reading the stored keys and inserting. The entry table's three
# indexes (dedup key, two for matching) take new keys in random order; once they outgrow the
# cache, their pages are evicted and read back again and again (with the default 2 MB cache
# the insert of 100,000 lines takes twice as long; with a fixed 32 MB one, 1,000,000 lines
# take half as long again). So the cache is sized to those indexes over the rows stored and
# the rows coming: 103 MB measured at 1,000,000 rows, and room for the pages the inserts pass
# through; at least 32 MB, at most 512 MB. SQLite only allocates the pages it uses; the size
# is restored.
_INDEX_BYTES_PER_ROW = 128
_MIN_CACHE_KIB = 32 * 1024
_MAX_CACHE_KIB = 512 * 1024
_CORE_BATCH = 10_000
_LOOKUP_BATCH = 500  # bound parameters per key lookup (SQLite before 3.32 takes 999)
_SCAN_RATIO = 3  # stored rows read per key of the file rather than looked up (see stored_keys)


@contextmanager
def page_cache(session: Session, sqlite: bool, rows: int) -> Iterator[None]:
    """SQLite's page cache sized to the indexes of an entry table of `rows` rows, meanwhile."""
    if not sqlite:
        yield
        return
    driver = session.connection().connection.driver_connection
    (previous,) = driver.execute("PRAGMA cache_size").fetchone()
    wanted = rows * _INDEX_BYTES_PER_ROW // 1024
    driver.execute(f"PRAGMA cache_size = -{min(max(wanted, _MIN_CACHE_KIB), _MAX_CACHE_KIB)}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size = {int(previous)}")


def insert_entries(session: Session, rows: Iterator[tuple], sqlite: bool) -> None:
    connection = session.connection()
    if sqlite:
        # The ORM path costs ~7 s per 100,000 rows; the driver's executemany inside the same
        # transaction well under a second (the rows carry dates as ISO text, as SQLAlchemy's
        # SQLite Date stores them). OR IGNORE: a concurrent import of the same file cannot
        # add a line twice.
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.executemany(
                "INSERT OR IGNORE INTO entry (account_id, date, amount, description, statement, "
                "source, dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        finally:
            cursor.close()
        return
    # Other databases: SQLAlchemy Core's executemany, in batches so that memory stays bounded.
    names = ("account_id", "date", "amount", "description", "statement", "source", "dedup_key")
    statement = insert(EntryRow.__table__)
    while batch := [dict(zip(names, row, strict=True)) for row in islice(rows, _CORE_BATCH)]:
        connection.execute(statement, batch)
