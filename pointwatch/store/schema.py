"""Opening a database: it is ours or it stays untouched.

- a new (empty) database gets the schema;
- a database at the newest revision (`migrations.HEAD`) costs one query, without importing Alembic;
- an older one — an earlier revision, or the `meta` schema_version 1..3 of the releases before
  Alembic — is upgraded, after a copy of a SQLite file is made beside it (`Upgrade` says where);
- one written by a newer pointwatch (a revision this release does not know) is refused, never
  rewritten; so is a database holding tables but no pointwatch metadata (another program's).

The upgrade runs in one transaction holding the write lock (SQLite: BEGIN IMMEDIATE;
PostgreSQL: an advisory lock), so two commands opening an old database at once upgrade it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from pointwatch.errors import InputError
from pointwatch.store.locks import WriterNote, sqlite_path
from pointwatch.store.migrations import HEAD

MARKER = "alembic"  # meta.schema_version once Alembic keeps the version
LEGACY_VERSIONS = ("1", "2", "3")
_UPGRADE_LOCK = 0x706F696E74_7573  # pg_advisory_xact_lock key ("pointus")
# One query when the database is current: its revision and our mark.
_FAST_CHECK = (
    "SELECT (SELECT max(version_num) FROM alembic_version), "
    "(SELECT value FROM meta WHERE key = 'schema_version')"
)

NEW, CURRENT, OLDER, LEGACY, NEWER, FOREIGN = (
    "new", "current", "older", "legacy", "newer", "foreign",
)  # fmt: skip


@dataclass(frozen=True)
class SchemaState:
    """What an opened database holds, before anything is changed."""

    kind: str  # NEW | CURRENT | OLDER | LEGACY | NEWER | FOREIGN
    version: str = ""  # the Alembic revision, or the legacy schema_version
    tables: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == LEGACY:
            return f"schema version {self.version} (before Alembic)"
        if self.kind == NEW:
            return "empty (no schema yet)"
        if self.kind == FOREIGN:
            return "not a pointwatch database"
        return f"schema revision {self.version}"


@dataclass(frozen=True)
class Upgrade:
    """An older database brought to the newest revision; `backup` is the copy made first."""

    before: str
    after: str
    backup: Path | None


def ensure_schema(engine: Engine) -> Upgrade | None:
    """Make the database current: create, upgrade (after a backup), or refuse it."""
    with engine.connect() as connection:  # a database that cannot be opened fails here
        try:
            found = connection.exec_driver_sql(_FAST_CHECK).one()
            current = tuple(found) == (HEAD, MARKER)
        except (OperationalError, ProgrammingError):
            current = False  # no alembic_version (or meta) table: new, legacy or foreign
        if current:
            _write_ahead_log(connection)
            return None
    return upgrade_schema(engine)


def _write_ahead_log(connection: Connection) -> None:
    """SQLite: WAL mode (readers never wait for a writer), kept in the file once set; only ever
    set on a database known to be ours."""
    if connection.dialect.name != "sqlite":
        return
    connection.rollback()  # the mode cannot change inside a transaction
    driver = connection.connection.driver_connection
    if driver is not None and driver.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        driver.execute("PRAGMA journal_mode=WAL")


def read_state(connection: Connection) -> SchemaState:
    """Whose database this is and at which version."""
    inspector = inspect(connection)
    tables = tuple(sorted(inspector.get_table_names()))
    marker = None
    if "meta" in tables and {"key", "value"} <= {c["name"] for c in inspector.get_columns("meta")}:
        marker = connection.execute(
            text("SELECT value FROM meta WHERE key = 'schema_version'")
        ).scalar()
    if "alembic_version" in tables and marker == MARKER:
        revisions = [
            row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")
        ]
        version = ",".join(revisions)
        if revisions == [HEAD]:
            return SchemaState(CURRENT, version, tables)
        from pointwatch.store.migrations import known_revisions

        if revisions and set(revisions) <= known_revisions():
            return SchemaState(OLDER, version, tables)
        return SchemaState(NEWER, version, tables)
    if marker in LEGACY_VERSIONS and "account" in tables:
        return SchemaState(LEGACY, marker, tables)
    if marker is not None:
        return SchemaState(NEWER, f"schema_version {marker}", tables)
    if tables:
        return SchemaState(FOREIGN, "", tables)
    return SchemaState(NEW, "", tables)


def current_state(engine: Engine) -> SchemaState:
    with engine.connect() as connection:
        return read_state(connection)


def upgrade_schema(engine: Engine) -> Upgrade | None:
    """Create or upgrade the schema under the write lock; refuse a newer or foreign database."""
    from pointwatch.store import migrations

    path = sqlite_path(engine.url)
    note = WriterNote(path, "pointwatch (upgrading the database schema)") if path else None
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.execution_options(pointwatch_begin="IMMEDIATE", pointwatch_writer=note)
        with connection.begin() as transaction:
            try:
                if engine.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK}
                    )
                state = read_state(connection)  # again, now that this command holds the lock
                if state.kind == CURRENT:
                    return None
                refuse_unless_ours(state, engine)
                backup = None
                if state.kind in (OLDER, LEGACY) and path is not None:
                    backup = backup_before_upgrade(path)
                migrations.upgrade(connection)
            except BaseException:
                if note is not None:
                    note.release()
                transaction.rollback()
                raise
            if note is not None:
                note.release()
        _write_ahead_log(connection)
    if state.kind == NEW:
        return None
    return Upgrade(state.describe(), f"schema revision {HEAD}", backup)


def refuse_unless_ours(state: SchemaState, engine: Engine) -> None:
    """Refuse (exit 2, nothing changed) a database a newer pointwatch or another program wrote."""
    from pointwatch.store.locks import shown

    where = shown(engine.url)
    if state.kind == NEWER:
        from importlib.metadata import version

        raise InputError(
            f"the database {where} was created by a newer pointwatch ({state.describe()}; "
            f"pointwatch {version('pointwatch')} knows revisions up to {HEAD}): upgrade "
            "pointwatch to use it; nothing was changed"
        )
    if state.kind == FOREIGN:
        listed = ", ".join(state.tables[:5]) + (", …" if len(state.tables) > 5 else "")
        raise InputError(
            f"the database {where} is not a pointwatch database: it holds other tables "
            f"({listed}) and no pointwatch metadata; nothing was changed — give the path of a "
            "new file or an empty database"
        )


def backup_before_upgrade(path: Path) -> Path:
    """Copy the database beside itself before an upgrade: NAME.before-upgrade-STAMP.db."""
    from pointwatch.store.backup import sqlite_backup

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = path.suffix or ".db"
    target = path.with_name(f"{path.stem}.before-upgrade-{stamp}{suffix}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.stem}.before-upgrade-{stamp}-{number}{suffix}")
    sqlite_backup(path, target)
    return target
