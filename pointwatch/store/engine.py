"""Engine and sessions: SQLite by default (busy timeout, foreign keys, WAL), any SQLAlchemy URL.

A SQLite path is checked before SQLite sees it: a folder, a path under a file, or a file that is
not a SQLite database is refused (exit 2) and left as it was; a new database file is created
0600 in folders created 0700 (files.py), so the WAL and SHM files SQLite adds get 0600 too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlmodel import Session, create_engine

from pointwatch.crash import scrub
from pointwatch.errors import EnvironmentFailure, InputError
from pointwatch.store import locks
from pointwatch.store.locks import WriterNote, shown, sqlite_path

if TYPE_CHECKING:
    from pointwatch.store.journal import JournalNote
    from pointwatch.store.schema import Upgrade

# How long a command waits for another one's write lock before it gives up (exit 3, naming the
# holder). PostgreSQL waits as long for a row lock (lock_timeout).
SQLITE_HEADER = b"SQLite format 3\x00"
_WRITER = "pointwatch_writer"  # execution option: the transaction's WriterNote
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "BEGIN IMMEDIATE")


def database_url(url: str) -> URL:
    """`url` parsed, its dialect known (bad input is refused with the password hidden)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: e.g. a port that is no number
        raise InputError(f"database {scrub(url)!r}: not a database path or SQLAlchemy URL") from exc
    if parsed.drivername == "postgresql":
        parsed = _default_postgresql_driver(parsed)
    try:
        parsed.get_dialect()
    except NoSuchModuleError as exc:
        raise InputError(
            f"database {shown(parsed)}: unknown kind of database {parsed.drivername!r} (give a "
            "SQLite file path, or a URL such as postgresql+psycopg://user@host/name)"
        ) from exc
    return parsed


def _default_postgresql_driver(url: URL) -> URL:
    """postgresql:// means psycopg2 to SQLAlchemy; use psycopg (the `postgres` extra) unless
    psycopg2 is the one installed."""
    import importlib.util

    if importlib.util.find_spec("psycopg2") is None and importlib.util.find_spec("psycopg"):
        return url.set(drivername="postgresql+psycopg")
    return url


def make_engine(url: str | URL, create_dirs: bool = False) -> Engine:
    """An engine for `url`; SQLite files get a busy timeout so concurrent runs wait, not fail."""
    parsed = url if isinstance(url, URL) else database_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            check_sqlite_file(path, create=create_dirs)
        engine = create_engine(parsed, connect_args={"timeout": locks.BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; emit it ourselves so that
        # `BEGIN IMMEDIATE` (see immediate_session) really takes the write lock.
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "after_cursor_execute", _note_writer)
        return engine
    arguments: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql" and "options" not in parsed.query:
        arguments["options"] = f"-c lock_timeout={locks.BUSY_TIMEOUT_SECONDS * 1000}"
    try:
        return create_engine(parsed, connect_args=arguments)
    except ImportError as exc:
        raise EnvironmentFailure(
            f"database {shown(parsed)}: its driver is not installed ({exc.name or exc}); for "
            "PostgreSQL: pip install 'pointwatch[postgres]' and a postgresql+psycopg:// URL"
        ) from exc


def check_sqlite_file(path: Path, create: bool = False) -> None:
    """Refuse what cannot be a pointwatch database file; create a new one 0600 if `create`."""
    for folder in path.parents:
        if folder.exists():
            if not folder.is_dir():
                raise InputError(f"database {path}: {folder} is a file, not a folder")
            break
    if path.is_dir():
        raise InputError(f"database {path} is a folder; give the path of a database file")
    if path.exists():
        if not path.is_file():
            raise InputError(f"database {path} is not a regular file")
        try:
            with path.open("rb") as file:
                head = file.read(512)
        except OSError as exc:
            raise EnvironmentFailure(f"database {path}: cannot read it ({exc.strerror})") from exc
        if head and not head.startswith(SQLITE_HEADER):
            raise InputError(
                f"{path} is not a SQLite database (it holds {_what(head)}); nothing was changed"
                " — give the path of a pointwatch database, or of a file that does not exist yet"
            )
        return
    if create:
        from pointwatch.files import touch_private

        try:
            touch_private(path)
        except OSError as exc:
            raise EnvironmentFailure(
                f"cannot create the database {path}: {exc.strerror or exc}"
            ) from exc


def _what(head: bytes) -> str:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return "other data"
    return "text" if text.isprintable() or "\n" in text else "other data"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun explicitly in _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # (WAL is set once the database is known to be ours: schema.py. A pragma here would
    # rewrite the header of any file it opens, another program's too.)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    mode = connection.get_execution_options().get("pointwatch_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def _note_writer(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
    """The first statement that takes SQLite's write lock: leave the writer note (locks.py)."""
    note = connection.get_execution_options().get(_WRITER)
    if (
        note is not None
        and not note.written
        and statement.lstrip()[:15].upper().startswith(_WRITES)
    ):
        note.take()


def ensure_schema(engine: Engine) -> Upgrade | None:
    """Make the database current (store/schema.py); what was upgraded, if anything."""
    from pointwatch.store.schema import ensure_schema as ensure

    return ensure(engine)


def create_schema(engine: Engine) -> None:
    """The schema of a new database (tests and benchmarks)."""
    ensure_schema(engine)


@contextmanager
def transaction(
    engine: Engine,
    immediate: bool = False,
    journal: JournalNote | None = None,
    holder: str | None = None,
    snapshot: bool = False,
) -> Iterator[Session]:
    """One command = one transaction: commit on success, roll back on any error.

    With `journal`, the rows the transaction changes are recorded in the journal (store/journal.py)
    within the same transaction, for `pointwatch log` and `pointwatch undo`. `holder` (the
    command line) is what a command kept waiting for the write lock is told (locks.py). With
    `snapshot`, every read sees the database as of one moment (SQLite's read transactions
    always do; PostgreSQL runs it at REPEATABLE READ).
    """
    with Session(engine, expire_on_commit=False) as session:
        options: dict[str, Any] = {}
        note = None
        path = sqlite_path(engine.url)
        if path is not None:
            command = holder or (journal.command if journal is not None else "pointwatch")
            note = options[_WRITER] = WriterNote(path, command)
        if immediate:
            # SQLite: take the write lock up front so two concurrent runs serialise here
            # instead of both reading and then racing to write.
            options["pointwatch_begin"] = "IMMEDIATE"
        if (journal is not None or snapshot) and engine.dialect.name != "sqlite":
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
            if note is not None:
                note.release()
            session.commit()
        except BaseException:
            if recorder is not None:
                recorder.stop()
            if note is not None:
                note.release()
            session.rollback()
            raise
