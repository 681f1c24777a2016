"""Engine and sessions: SQLite by default (busy timeout, foreign keys), any SQLAlchemy URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError
from sqlmodel import Session, SQLModel, create_engine, select

from pointwatch.errors import InputError
from pointwatch.i18n import _
from pointwatch.store.tables import SCHEMA_VERSION, Meta

if TYPE_CHECKING:
    from pointwatch.store.journal import JournalNote

BUSY_TIMEOUT_SECONDS = 30


def make_engine(url: str, create_dirs: bool = False) -> Engine:
    """An engine for `url`; SQLite files get a busy timeout so concurrent runs wait, not fail."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InputError(
            _("--db {url!r}: not a database path or SQLAlchemy URL").format(url=url)
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            folder = Path(database).parent
            if create_dirs:
                folder.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; emit it ourselves so that
        # `BEGIN IMMEDIATE` (see immediate_session) really takes the write lock.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun explicitly in _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    mode = connection.get_execution_options().get("pointwatch_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def create_schema(engine: Engine) -> None:
    """Create missing tables (idempotent) and record the schema version."""
    # Every table module must be imported before create_all sees its tables.
    from pointwatch.store import alerts, journal, settlement_log, tables  # noqa: F401

    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        write_meta(session, "schema_version", str(SCHEMA_VERSION))
        session.commit()


def stored_schema_version(engine: Engine) -> int | None:
    """The schema version recorded in the database, or None for a new (or foreign) one."""
    try:
        with engine.connect() as connection:
            value = connection.execute(
                select(Meta.value).where(Meta.key == "schema_version")
            ).scalar()
    except (OperationalError, ProgrammingError):
        return None  # no meta table yet
    return int(value) if value else None


def ensure_schema(engine: Engine) -> None:
    """Create the schema, or add the tables a newer pointwatch introduced; one query when the
    database is current. (Tables are only ever added so far; a change to existing columns
    will need a real migration, e.g. alembic.)"""
    if stored_schema_version(engine) != SCHEMA_VERSION:
        create_schema(engine)


@contextmanager
def transaction(
    engine: Engine, immediate: bool = False, journal: JournalNote | None = None
) -> Iterator[Session]:
    """One command = one transaction: commit on success, roll back on any error.

    With `journal`, the rows the transaction changes are recorded in the journal (store/journal.py)
    within the same transaction, for `pointwatch log` and `pointwatch undo`.
    """
    with Session(engine, expire_on_commit=False) as session:
        options = {}
        if immediate:
            # SQLite: take the write lock up front so two concurrent runs serialise here
            # instead of both reading and then racing to write.
            options["pointwatch_begin"] = "IMMEDIATE"
        if journal is not None and engine.dialect.name != "sqlite":
            # Rows another connection commits meanwhile must not look like this change's own.
            options["isolation_level"] = "REPEATABLE READ"
        if options:
            session.connection(execution_options=options)
        recorder = None
        if journal is not None:
            from pointwatch.store.journal import Recorder

            recorder = Recorder(session, journal)
            recorder.start()
        try:
            yield session
            if recorder is not None:
                recorder.finish()
            session.commit()
        except BaseException:
            if recorder is not None:
                recorder.stop()
            session.rollback()
            raise


def write_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value
        session.add(row)
