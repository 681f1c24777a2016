"""Where evaluation's reads run: a command's SQLAlchemy session, or — for a read-only command
on the SQLite default — plain `sqlite3`, without importing SQLAlchemy, its ORM, pydantic,
SQLModel or the table classes (half of `status` on 10,000 expectations was those imports).

Either way the SQL is the one of reads.py: a session runs its Core statements; `SqliteReader`
runs the same statements as SQLAlchemy's SQLite dialect compiled them (sqlite_reads.py,
generated, checked by a test). `reading` takes the plain path only for a SQLite file whose
schema is current by `engine.ensure_schema`'s own test; anything else (a new, older or foreign
database, PostgreSQL, a URL with options) opens the engine as every other command does.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, cast
from urllib.parse import unquote

from pointwatch.store.locks import BUSY_TIMEOUT_SECONDS

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

# The SQLite URLs that name a file with no options (the database part is percent-encoded, as
# SQLAlchemy writes and reads it); with options (`?`) the URL is SQLAlchemy's to read.
_SQLITE_FILE = re.compile(r"sqlite(?:\+pysqlite)?:///([^?]+)")


class Reader(Protocol):
    def rows(self, name: str, **parameters: Any) -> list[tuple]:
        """The rows of the statement `name` of reads.py, as the driver returns them."""
        ...


Source: TypeAlias = "Session | Reader"


def raw_rows(session: Session, query, parameters: dict[str, Any] | None = None) -> list[tuple]:
    """Rows as the driver returns them, skipping SQLAlchemy's per-value processing (several
    times faster on the 10,000-row reads of status and remind); callers convert the values."""
    result = session.connection().execute(query, parameters)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


class SessionReader:
    """The statements of reads.py on a SQLAlchemy session (any database), in its transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def rows(self, name: str, **parameters: Any) -> list[tuple]:
        from pointwatch.store.reads import statements

        return raw_rows(self.session, statements()[name], parameters)


class SqliteReader:
    """The same statements on a plain sqlite3 connection, as compiled for SQLite."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, name: str, **parameters: Any) -> list[tuple]:
        from pointwatch.store.sqlite_reads import SQL

        sql, values = SQL[name], dict[str, Any]()
        for key, value in parameters.items():
            if isinstance(value, list):  # an expanding parameter: one mark per value
                marks = ", ".join(f":{key}_{number}" for number in range(len(value)))
                sql = sql.replace(f"__[POSTCOMPILE_{key}]", marks)
                values.update((f"{key}_{number}", item) for number, item in enumerate(value))
            else:  # SQLite stores dates as ISO text, as SQLAlchemy's Date type writes them
                values[key] = value.isoformat() if isinstance(value, date) else value
        return self.connection.execute(sql, values).fetchall()


def reader_of(source: Source) -> Reader:
    """The reader of `source`: itself, or a session's."""
    if isinstance(source, SqliteReader | SessionReader):
        return source
    return SessionReader(cast("Session", source))


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite file URL; None for anything else (in memory, options)."""
    match = _SQLITE_FILE.fullmatch(url)
    if match is None or unquote(match[1]) in ("", ":memory:"):
        return None
    return Path(unquote(match[1]))


@contextmanager
def reading(url: str, engine: Callable[[], Engine]) -> Iterator[Reader]:
    """The reads of one read-only command on the database at `url`, all in one transaction (one
    snapshot). `engine` gives the command's engine — made current by ensure_schema — and is
    called only where plain sqlite3 will not do."""
    connection = _current_sqlite(url)
    if connection is None:
        from pointwatch.store.engine import transaction

        with transaction(engine(), snapshot=True) as session:
            yield SessionReader(session)
        return
    try:
        yield SqliteReader(connection)
    finally:
        connection.close()  # it wrote nothing: closing ends the read transaction


# Campaign terms whose reads need a session (store/conditions.py: computed conditions, a
# condition's deadline `by`, a grant's `expires`): with any stored, the session path is taken.
# A cheap over-approximation on the stored JSON (a computed condition always has a `by`).
_SESSION_TERMS = (
    "SELECT 1 FROM campaign WHERE definition LIKE '%\"expires\"%' OR definition LIKE "
    "'%\"by\"%' OR definition LIKE '%\"at_least\"%' LIMIT 1"
)


def _current_sqlite(url: str) -> sqlite3.Connection | None:
    """A read transaction on the SQLite file of `url` if its schema is current and no stored
    campaign has terms that need a session, else None."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    from pointwatch.store.migrations import HEAD
    from pointwatch.store.sqlite_reads import MARKER, SCHEMA_CHECK

    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")  # deferred: the first read takes the snapshot
        current = connection.execute(SCHEMA_CHECK).fetchone() == (HEAD, MARKER)
        if current and connection.execute(_SESSION_TERMS).fetchone() is None:
            return connection
    except sqlite3.Error:
        pass  # not a database, no meta table, …: ensure_schema says what it is
    connection.close()
    return None
