"""The journal of changes: for each change command, the rows it touched with their images
before and after, written in the command's own transaction, so that `pointwatch undo` can put
them back exactly.

Capture is generic (no command says what it changed):
- rows changed through the ORM: the session's flush events (before-images are read from the
  database before the flush; after-images once, when the change is complete);
- ORM bulk UPDATE/DELETE statements (`session.execute(delete(Row).where(...))`): the rows
  they will touch are read first (`do_orm_execute`);
- rows inserted below the ORM (the import's executemany, on the driver for SQLite): per table
  with an integer id, the highest id is noted when the transaction starts; rows above it when
  it ends are this change's. They are kept as runs of ids and a count, not one image each: an
  import adds 100,000 lines, and reading them back for images or a digest would cost a quarter
  of the import. On PostgreSQL the journaled transaction runs at REPEATABLE READ so that rows
  another connection commits meanwhile stay invisible; SQLite serialises writers anyway.

A change can be reverted while every row it touched still equals its after-image (rows added in
bulk: all still there — pointwatch changes entries only through journaled commands, which are
undone first) and no row it added is referred to by a row written since (foreign keys, and
`SOFT_REFERENCES` where a table deliberately has none). Reverting deletes what it added, puts
back what it changed or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Integer,
    Table,
    TypeDecorator,
    and_,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection
from sqlmodel import Field, Session, SQLModel

# Every table module, so that the metadata this module walks is complete.
import pointwatch.store.alerts  # noqa: F401
import pointwatch.store.settlement_log  # noqa: F401
import pointwatch.store.tables  # noqa: F401
from pointwatch.i18n import N_, _, english, word

JOURNAL_TABLE = "journal"

# References without a foreign key that still make a row "in use": alerts name their
# expectation without a foreign key so that their history can outlive it (store/alerts.py).
# (referring table, column, referred table, column)
SOFT_REFERENCES = (("alert", "expectation_id", "expectation", "id"),)


class JournalRow(SQLModel, table=True):
    """One change command: when, the command line, a one-line summary and the row changes."""

    __tablename__ = JOURNAL_TABLE
    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    command: str
    summary: str
    # [{"table", "key", "before", "after"}] for single rows (an image is a dict or None),
    # [{"table", "ids": [[first, last], ...], "count"}] for rows added in bulk.
    changes: list = Field(sa_column=Column(JSON, nullable=False))
    undone_at: datetime | None = None


@dataclass(frozen=True)
class JournalNote:
    """What the journal records about the change besides its rows: who asked, and when."""

    command: str
    at: datetime


# --- the tables the journal knows ------------------------------------------------------------


def _tables() -> dict[str, Table]:
    return {t.name: t for t in SQLModel.metadata.sorted_tables if t.name != JOURNAL_TABLE}


def _pk(table: Table) -> Column:
    (column,) = table.primary_key.columns  # every pointwatch table has a one-column key
    return column


def _id_tables() -> list[Table]:
    """Tables keyed by an integer id: the ones rows can be added to in bulk."""
    return [t for t in _tables().values() if isinstance(_pk(t).type, Integer)]


# --- row images ------------------------------------------------------------------------------


def encode_row(table: Table, row: Any) -> dict[str, Any]:
    """A row as JSON-ready values (dates and moments as ISO text)."""
    mapping = row._mapping
    return {column.name: _encode(mapping[column]) for column in table.columns}


def _encode(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def decode_row(table: Table, image: dict[str, Any]) -> dict[str, Any]:
    return {name: _decode(table.c[name], value) for name, value in image.items()}


def _decode(column: Column, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


def read_rows(connection: Connection, table: Table, keys: Iterable[Any]) -> dict[Any, dict]:
    """The current images of some rows, by key (absent rows are left out)."""
    keys = list(keys)
    found: dict[Any, dict] = {}
    pk = _pk(table)
    for start in range(0, len(keys), 500):
        query = select(table).where(pk.in_(keys[start : start + 500]))
        for row in connection.execute(query):
            found[row._mapping[pk]] = encode_row(table, row)
    return found


def _id_runs(connection: Connection, table: Table, condition) -> tuple[list[list[int]], int]:
    """The ids of the rows matching `condition` as runs of consecutive ids, and their count."""
    pk = _pk(table)
    result = connection.execute(select(pk).where(condition).order_by(pk))
    runs: list[list[int]] = []
    count = 0
    cursor = result.cursor
    try:
        while rows := cursor.fetchmany(10_000):
            for (key,) in rows:
                if runs and runs[-1][1] == key - 1:
                    runs[-1][1] = key
                else:
                    runs.append([key, key])
            count += len(rows)
    finally:
        result.close()
    return runs, count


def _in_runs(table: Table, runs: list[list[int]]):
    pk = _pk(table)
    return or_(*(pk.between(first, last) for first, last in runs))


def _max_ids(connection: Connection) -> dict[str, int]:
    tables = _id_tables()
    query = select(*(select(func.max(_pk(t))).scalar_subquery().label(t.name) for t in tables))
    row = connection.execute(query).one()
    return {t.name: row._mapping[t.name] or 0 for t in tables}


# --- capture ---------------------------------------------------------------------------------


@dataclass
class Recorder:
    """Collects the rows one transaction touches; `finish` writes the journal entry."""

    session: Session
    note: JournalNote
    before: dict[tuple[str, Any], dict | None] = field(default_factory=dict)
    marks: dict[str, int] = field(default_factory=dict)

    def start(self) -> None:
        self.marks = _max_ids(self.session.connection())
        event.listen(self.session, "before_flush", self._before_flush)
        event.listen(self.session, "after_flush", self._after_flush)
        event.listen(self.session, "do_orm_execute", self._orm_execute)
        event.listen(self.session, "after_soft_rollback", self._forget)

    def stop(self) -> None:
        for name, listener in (
            ("before_flush", self._before_flush), ("after_flush", self._after_flush),
            ("do_orm_execute", self._orm_execute), ("after_soft_rollback", self._forget),
        ):  # fmt: skip
            if event.contains(self.session, name, listener):
                event.remove(self.session, name, listener)

    def _forget(self, _session, _previous) -> None:
        self.before.clear()  # rolled back (a dry run): nothing of it stays

    def _key(self, instance: Any) -> tuple[Table, Any] | None:
        mapper = sa_inspect(instance).mapper
        table = mapper.local_table
        if table.name == JOURNAL_TABLE:
            return None
        (value,) = mapper.primary_key_from_instance(instance)
        return table, value

    def _remember(self, table: Table, keys: Iterable[Any]) -> None:
        unseen = [key for key in keys if (table.name, key) not in self.before]
        if not unseen:
            return
        images = read_rows(self.session.connection(), table, unseen)
        for key in unseen:
            self.before[(table.name, key)] = images.get(key)

    def _before_flush(self, session: Session, _context, _instances) -> None:
        by_table: dict[Table, list[Any]] = {}
        for instance in [*session.dirty, *session.deleted]:
            found = self._key(instance)
            if found is not None:
                by_table.setdefault(found[0], []).append(found[1])
        for table, keys in by_table.items():
            self._remember(table, keys)

    def _after_flush(self, session: Session, _context) -> None:
        for instance in session.new:
            found = self._key(instance)
            if found is not None:
                self.before.setdefault((found[0].name, found[1]), None)

    def _orm_execute(self, state) -> None:
        if not (state.is_update or state.is_delete):
            return
        table = state.statement.table
        if table.name == JOURNAL_TABLE:
            return
        table = _tables()[table.name]
        self.session.flush()  # the statement would autoflush; read the rows as it will see them
        query = select(_pk(table)).where(state.statement.whereclause)
        keys = [key for (key,) in self.session.connection().execute(query, state.parameters)]
        self._remember(table, keys)

    def finish(self) -> JournalRow | None:
        """Write the journal entry (None when nothing changed); call before commit."""
        self.session.flush()
        connection = self.session.connection()
        tables = _tables()
        changes: list[dict[str, Any]] = []
        by_table: dict[str, list[Any]] = {}
        for table_name, key in self.before:
            by_table.setdefault(table_name, []).append(key)
        after: dict[tuple[str, Any], dict | None] = {}
        for table_name, keys in by_table.items():
            images = read_rows(connection, tables[table_name], keys)
            after.update({(table_name, key): images.get(key) for key in keys})
        for (table_name, key), before in self.before.items():
            if before != after[(table_name, key)]:
                changes.append(
                    {"table": table_name, "key": key, "before": before,
                     "after": after[(table_name, key)]}
                )  # fmt: skip
        for table_name, mark in _grown(self.marks, _max_ids(connection)):
            table = tables[table_name]
            seen = [key for (name, key) in self.before if name == table_name and key > mark]
            condition = _pk(table) > mark
            if seen:
                condition = and_(condition, _pk(table).not_in(seen))
            runs, count = _id_runs(connection, table, condition)
            if count:
                changes.append({"table": table_name, "ids": runs, "count": count})
        self.stop()
        if not changes:
            return None
        row = JournalRow(
            at=self.note.at, command=self.note.command,
            summary=english(lambda: summarise(changes)),  # stored (and in JSON) in English
            changes=changes,
        )  # fmt: skip
        self.session.add(row)
        self.session.flush()
        return row


def _grown(before: dict[str, int], now: dict[str, int]) -> Iterator[tuple[str, int]]:
    for name, mark in before.items():
        if now.get(name, 0) > mark:
            yield name, mark


# --- summary ---------------------------------------------------------------------------------


def _label(change: dict[str, Any]) -> Any:
    """How the summary names a row: by its key, an account by its name."""
    if change["table"] == "account":
        return (change["after"] or change["before"])["name"]
    return change["key"]


# The tables as the summary names them for people (their names are the English words).
TABLE_WORDS = {
    "account": N_("account"), "alert": N_("alert"), "alert_delivery": N_("alert_delivery"),
    "campaign": N_("campaign"), "coverage": N_("coverage"), "enrollment": N_("enrollment"),
    "entry": N_("entry"), "expectation": N_("expectation"), "inquiry": N_("inquiry"),
    "issuer": N_("issuer"), "profile": N_("profile"),
    "reopened_settlement": N_("reopened_settlement"), "settlement": N_("settlement"),
}  # fmt: skip


def summarise(changes: list[dict[str, Any]]) -> str:
    """One line in the language in use: what was added, changed and removed, per table ("added
    entry 12; changed enrollment gift; removed 3 expectation rows")."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for change in changes:
        if "ids" in change:
            keys = [None] * change["count"]
            verb = "added"
        else:
            keys = [_label(change)]
            verb = (
                "added" if change["before"] is None
                else "removed" if change["after"] is None
                else "changed"
            )  # fmt: skip
        groups.setdefault((verb, change["table"]), []).extend(keys)
    parts: dict[str, list[str]] = {}
    for (verb, name), keys in groups.items():
        table = word(TABLE_WORDS, name)
        if len(keys) == 1 and keys[0] is not None:
            parts.setdefault(verb, []).append(f"{table} {keys[0]}")
        else:
            parts.setdefault(verb, []).append(
                _("{count} {table} rows").format(count=len(keys), table=table)
            )
    verbs = {
        "added": _("added {rows}"),
        "changed": _("changed {rows}"),
        "removed": _("removed {rows}"),
    }
    return _("; ").join(
        verbs[verb].format(rows=_(", ").join(parts[verb]))
        for verb in ("added", "changed", "removed")
        if verb in parts
    )


# --- revert ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Obstacle:
    """Why a change cannot be reverted: a row it touched differs now, or a row it added is
    referred to by a row written since."""

    table: str
    key: Any
    reason: str


def obstacles(connection: Connection, changes: list[dict[str, Any]]) -> list[Obstacle]:
    """Everything that stops `changes` from being reverted (empty: it can be)."""
    tables = _tables()
    found: list[Obstacle] = []
    for change in changes:
        table = tables[change["table"]]
        if "ids" in change:
            _runs, count = _id_runs(connection, table, _in_runs(table, change["ids"]))
            if count != change["count"]:
                missing = change["count"] - count
                reason = _("{missing} of the {count} {table} rows it added were removed since")
                reason = reason.format(missing=missing, count=change["count"], table=table.name)
                found.append(Obstacle(table.name, None, reason))
            continue
        now = read_rows(connection, table, [change["key"]]).get(change["key"])
        if now != change["after"]:
            if now is None:
                reason = _("{table} {key} was removed since")
            elif change["after"] is None:
                reason = _("{table} {key} was added since")
            else:
                reason = _("{table} {key} was changed since")
            reason = reason.format(table=table.name, key=change["key"])
            found.append(Obstacle(table.name, change["key"], reason))
    if not found:
        found.extend(_references(connection, changes))
    return found


def _rows(changes: list[dict[str, Any]], table: Table, added_only: bool):
    """A condition selecting the rows of `table` that `changes` added (or touched at all);
    None when there are none."""
    keys = [
        c["key"] for c in changes
        if c["table"] == table.name and "key" in c and (c["before"] is None or not added_only)
    ]  # fmt: skip
    conditions = [_pk(table).in_(keys)] if keys else []
    conditions += [
        _in_runs(table, c["ids"]) for c in changes if c["table"] == table.name and "ids" in c
    ]
    return or_(*conditions) if conditions else None


def _references(connection: Connection, changes: list[dict[str, Any]]) -> Iterator[Obstacle]:
    """Rows written since that refer to a row the change added (and so would be left dangling)."""
    tables = _tables()
    links = [
        (child, fk.parent.name, fk.column.table.name, fk.column.name)
        for child in tables.values()
        for fk in child.foreign_keys
    ]
    links += [(tables[c], column, parent, key) for c, column, parent, key in SOFT_REFERENCES]
    for child, column, parent_name, key in links:
        parent = tables[parent_name]
        added = _rows(changes, parent, added_only=True)
        if added is None:
            continue
        query = select(_pk(child), child.c[column]).where(
            child.c[column].in_(select(parent.c[key]).where(added))
        )
        own = _rows(changes, child, added_only=False)
        if own is not None:
            query = query.where(~own)
        row = connection.execute(query.limit(1)).first()
        if row is not None:
            yield Obstacle(
                child.name, row[0],
                _(
                    "{child} {key}, written since, refers to {parent} {parent_key}, which this "
                    "change added"
                ).format(child=child.name, key=row[0], parent=parent_name, parent_key=row[1]),
            )  # fmt: skip


def revert(connection: Connection, changes: list[dict[str, Any]]) -> None:
    """Put the rows back as they were before `changes`: delete what was added (children
    first), restore what was changed, re-insert what was removed (parents first)."""
    tables = _tables()
    order = {name: position for position, name in enumerate(tables)}
    by_order = sorted(changes, key=lambda c: order[c["table"]])
    for change in reversed(by_order):
        table = tables[change["table"]]
        if "ids" in change:
            connection.execute(delete(table).where(_in_runs(table, change["ids"])))
        elif change["before"] is None:
            connection.execute(delete(table).where(_pk(table) == change["key"]))
    for change in by_order:
        if "ids" in change or change["before"] is None:
            continue
        table = tables[change["table"]]
        values = decode_row(table, change["before"])
        if change["after"] is None:
            connection.execute(insert(table).values(values))
        else:
            connection.execute(update(table).where(_pk(table) == change["key"]).values(values))


def load_entries(session: Session, limit: int | None = None) -> list[JournalRow]:
    """Journal entries, newest first."""
    query = select(JournalRow).order_by(JournalRow.__table__.c.id.desc())
    if limit:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def last_open(session: Session) -> JournalRow | None:
    """The most recent change not yet undone."""
    c = JournalRow.__table__.c
    query = select(JournalRow).where(c.undone_at.is_(None)).order_by(c.id.desc()).limit(1)
    return session.execute(query).scalars().first()
