"""Everything in the database as one JSON file, and back: `export all` and `restore`.

The file holds every table of the schema (accounts, definitions, enrollments, expectations,
entries, coverage, alerts and their deliveries, inquiries, settlements and reopened ones, runs,
the journal), each as its column names and its rows in key order, values as JSON (days and
moments in ISO 8601, moments in UTC). It names the schema revision it was written at; a
restore needs the same revision and an empty database, and writes every row in one
transaction, ids included, so a SQLite database moved to PostgreSQL this way exports to the
same file again. This is how to move from the embedded default to a server.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    TypeDecorator,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, StatementError
from sqlmodel import Session, SQLModel

from pointwatch.domain.entries import LARGEST_AMOUNT
from pointwatch.errors import EnvironmentFailure, InputError
from pointwatch.store.migrations import HEAD

FORMAT = "pointwatch-export"
VERSION = 1
SKIPPED_META = ("schema_version",)  # the schema is the file's own `schema`
CHUNK = 1000


@dataclass(frozen=True)
class TransferReport:
    """What an export wrote or a restore read: rows per table."""

    path: Path
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def export_tables() -> list[Table]:
    """Every table of the schema, parents before children (the order a restore inserts)."""
    import pointwatch.store.journal  # noqa: F401  (imports every table module)

    return list(SQLModel.metadata.sorted_tables)


def export_all(session: Session, path: Path) -> TransferReport:
    """Write every row to the new file `path` (0600; an existing file is refused)."""
    from pointwatch.files import open_private

    if path.exists() or path.is_symlink():
        raise InputError(f"{path} exists already; give the name of a new file")
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    counts: dict[str, int] = {}
    try:
        descriptor = open_private(partial, os.O_WRONLY | os.O_TRUNC | os.O_EXCL)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            for chunk in _document(session, counts):
                file.write(chunk)
        os.replace(partial, path)
    except OSError as exc:
        raise EnvironmentFailure(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return TransferReport(path, counts)


def _document(session: Session, counts: dict[str, int]) -> Iterator[str]:
    """The export as text, a row per line (diff-friendly, and written as it is read)."""
    from pointwatch.store.journal import encode_row

    yield f'{{"format": "{FORMAT}", "version": {VERSION}, "schema": "{HEAD}",\n "tables": {{'
    connection = session.connection()
    for number, table in enumerate(export_tables()):
        names = [column.name for column in table.columns]
        head = f'{_dump(table.name)}: {{"columns": {_dump(names)}, "rows": ['
        yield f"{',' if number else ''}\n  {head}"
        query = select(table).order_by(*table.primary_key.columns)
        if table.name == "meta":
            query = query.where(table.c.key.not_in(SKIPPED_META))
        count = 0
        for row in connection.execute(query):
            image = encode_row(table, row)
            yield f"{',' if count else ''}\n   {_dump([image[name] for name in names])}"
            count += 1
        counts[table.name] = count
        yield "\n  ]}"
    yield "\n }\n}\n"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def restore(session: Session, path: Path) -> TransferReport:
    """Write every row of an export into this empty database (one transaction)."""
    document = _read(path)
    _refuse_unless_empty(session)
    known = {table.name: table for table in export_tables()}
    tables = document["tables"]
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise InputError(f"{path}: unknown tables {', '.join(unknown)} (not this schema's)")
    counts: dict[str, int] = {}
    connection = session.connection()
    for table in known.values():
        part = tables.get(table.name, {"columns": [c.name for c in table.columns], "rows": []})
        rows = list(_decoded(path, table, part))
        for start in range(0, len(rows), CHUNK):
            try:
                connection.execute(table.insert(), rows[start : start + CHUNK])
            except (DBAPIError, StatementError) as exc:
                reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                raise InputError(
                    f"{path}: table {table.name}: the database refused the rows ({reason}); "
                    "nothing was restored"
                ) from exc
        counts[table.name] = len(rows)
    if connection.dialect.name == "postgresql":
        _advance_sequences(connection)
    return TransferReport(path, counts)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as file:
            document = json.load(file)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder; give an export file") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{path}: not a pointwatch export (not JSON: {exc})") from None
    except OSError as exc:
        raise EnvironmentFailure(f"{path}: cannot read it ({exc.strerror})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f"{path}: not a pointwatch export (made by `pointwatch export all`)")
    if document.get("version") != VERSION:
        raise InputError(
            f"{path}: export format version {document.get('version')!r}; this pointwatch "
            f"reads version {VERSION}"
        )
    if document.get("schema") != HEAD:
        raise InputError(
            f"{path}: exported at schema revision {document.get('schema')!r}, this pointwatch "
            f"is at {HEAD}: restore it with the pointwatch that wrote it, upgrade that database "
            "(any command does), and export it again"
        )
    if not isinstance(document.get("tables"), dict):
        raise InputError(f"{path}: not a pointwatch export (no tables)")
    return document


def _decoded(path: Path, table: Table, part: Any) -> Iterator[dict[str, Any]]:
    from pointwatch.store.journal import decode_row

    where = f"{path}: table {table.name}"
    if not isinstance(part, dict) or not isinstance(part.get("rows"), list):
        raise InputError(f"{where}: expected columns and rows")
    names = part.get("columns")
    expected = [column.name for column in table.columns]
    if names != expected:
        raise InputError(f"{where}: columns {names!r}, expected {expected!r}")
    for number, row in enumerate(part["rows"], 1):
        if not isinstance(row, list) or len(row) != len(names):
            raise InputError(f"{where}: row {number}: expected {len(names)} values")
        try:
            values = decode_row(table, dict(zip(names, row, strict=True)))
        except (ValueError, TypeError) as exc:
            raise InputError(f"{where}: row {number}: {exc}") from None
        for column in table.columns:
            expected = _unfit(column, values[column.name])
            if expected:
                raise InputError(
                    f"{where}: row {number}: {column.name} {_shown(values[column.name])}: "
                    f"expected {expected}"
                )
        yield values


def _unfit(column: Column, value: Any) -> str | None:
    """What `column` expects if `value` does not fit it (SQLite would store nearly anything,
    and the commands reading it back would fail later), else None."""
    if value is None:
        return None if column.nullable else "a value"
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, Boolean):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(kind, Integer):
        fits = isinstance(value, int) and not isinstance(value, bool)
        return None if fits and abs(value) <= LARGEST_AMOUNT else "a 64-bit integer"
    if isinstance(kind, DateTime):
        aware = isinstance(value, datetime) and value.utcoffset() is not None
        return None if aware else "a moment with its UTC offset"
    if isinstance(kind, Date):
        return None if isinstance(value, date) and not isinstance(value, datetime) else "a day"
    if isinstance(kind, String):
        return None if isinstance(value, str) else "text"
    return None  # JSON: any JSON value


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def _refuse_unless_empty(session: Session) -> None:
    connection = session.connection()
    for table in export_tables():
        query = select(func.count()).select_from(table)
        if table.name == "meta":
            query = query.where(table.c.key.not_in(SKIPPED_META))
        if connection.execute(query).scalar():
            raise InputError(
                f"the database is not empty (table {table.name} holds rows): restore into a "
                "new database, e.g. --db NEW.db, so that nothing is overwritten or mixed"
            )


def _advance_sequences(connection: Any) -> None:
    """PostgreSQL: ids were inserted as given; the next id must come after them."""
    for table in export_tables():
        (key,) = table.primary_key.columns
        if isinstance(key.type, Integer):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key.name}'), "
                    f'COALESCE(MAX("{key.name}"), 1), MAX("{key.name}") IS NOT NULL) '
                    f'FROM "{table.name}"'
                )
            )
