"""Keeping the data safe: db current/upgrade, backup, export all, restore."""

from __future__ import annotations

from pathlib import Path

import click

from pointwatch.cli.app import App, PointwatchGroup, echo_json, json_option, pass_app, say
from pointwatch.errors import InputError

NEW_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group(cls=PointwatchGroup)
def db() -> None:
    """The database's schema revision, and upgrading it explicitly."""


@db.command("current")
@json_option
@pass_app
def db_current(app: App, as_json: bool) -> None:
    """Show the database's schema revision and whether it needs an upgrade (changes nothing).

    \b
    Example:
      pointwatch db current
    """
    from pointwatch.store.migrations import HEAD
    from pointwatch.store.schema import CURRENT, current_state

    state = current_state(app.unchecked_engine)
    if as_json:
        echo_json({"state": state.kind, "revision": state.version, "head": HEAD})
        return
    from pointwatch.store.locks import shown

    say(f"database: {shown(app.unchecked_engine.url)}")
    say(f"schema:   {state.describe()}")
    if state.kind == CURRENT:
        say(f"up to date (this pointwatch's newest revision is {HEAD})")
    else:
        say(_advice(state.kind, HEAD))


def _advice(kind: str, head: str) -> str:
    from pointwatch.store.schema import FOREIGN, NEW, NEWER

    return {
        NEW: f"empty: any command creates the schema at revision {head}",
        NEWER: f"written by a newer pointwatch: this one (up to {head}) will not change it",
        FOREIGN: "another program's database: pointwatch will not change it",
    }.get(kind, f"older than {head}: `pointwatch db upgrade` (or any command) upgrades it")


@db.command("upgrade")
@pass_app
def db_upgrade(app: App) -> None:
    """Upgrade the database to this pointwatch's schema (a SQLite file is copied first).

    Any command upgrades an older database when it opens it; this does only that.

    \b
    Example:
      pointwatch db upgrade
    """
    from pointwatch.store.migrations import HEAD
    from pointwatch.store.schema import upgrade_schema

    upgrade = upgrade_schema(app.unchecked_engine)
    if upgrade is None:
        say(f"the database is at schema revision {HEAD}: nothing to do")
        return
    say(f"upgraded the database from {upgrade.before} to {upgrade.after}")
    if upgrade.backup is not None:
        say(f"the database as it was: {upgrade.backup}")


@click.command()
@click.argument("file", type=NEW_FILE)
@pass_app
def backup(app: App, file: Path) -> None:
    """Copy the SQLite database to FILE, consistently even while the daemon runs (0600).

    Uses SQLite's online backup API: the copy is the database as of one moment. Open it with
    `pointwatch --db FILE ...`, or put it back in place of the database while nothing runs.
    For a server database use `pointwatch export all` (or the server's own tools).

    \b
    Example:
      pointwatch backup pointwatch-2026-11-29.db
    """
    from pointwatch.store.backup import sqlite_backup
    from pointwatch.store.locks import sqlite_path

    source = sqlite_path(app.engine.url)
    if source is None:
        raise InputError(
            "backup copies a SQLite database file; for this database use "
            "`pointwatch export all FILE.json` (and `pointwatch restore`)"
        )
    target = file.expanduser().absolute()
    if target.resolve() == source.resolve():
        raise InputError(f"{file} is the database itself; give the name of a new file")
    sqlite_backup(source, target)
    say(f"copied {source} to {target}")


@click.command("all")
@click.argument("file", type=NEW_FILE)
@json_option
@pass_app
def export_all(app: App, file: Path, as_json: bool) -> None:
    """Write everything in the database to a new JSON file (0600), for `pointwatch restore`.

    Accounts, campaign definitions, enrollments, expectations, entries, coverage, alerts and
    their deliveries, inquiries, settlements (reopened ones too), runs and the journal: a
    restore of the file into an empty database gives the same data, on SQLite or on a
    server — the way to move from the embedded default to PostgreSQL.

    \b
    Example:
      pointwatch export all pointwatch-export.json
      pointwatch --db postgresql+psycopg://me@server/pointwatch restore pointwatch-export.json
    """
    from pointwatch.services.transfer import export_all as write_export

    with app.transaction(journal=False, snapshot=True) as session:
        report = write_export(session, file.expanduser())
    _tell(report, as_json, "wrote {rows} rows of {tables} tables to {file}")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@json_option
@pass_app
def restore(app: App, file: Path, as_json: bool) -> None:
    """Load an export (`pointwatch export all`) into an empty database.

    A database that holds anything is refused (nothing is overwritten or mixed); so is an
    export of another schema revision. All or nothing: one transaction.

    \b
    Example:
      pointwatch --db ~/new.db restore pointwatch-export.json
    """
    from pointwatch.services.transfer import restore as load_export

    with app.transaction(immediate=True, journal=False) as session:
        report = load_export(session, file.expanduser())
    _tell(report, as_json, "restored {rows} rows of {tables} tables from {file}")


def _tell(report, as_json: bool, sentence: str) -> None:
    """The rows per table as JSON (`file`, `rows`), or one sentence."""
    if as_json:
        echo_json({"file": str(report.path), "rows": report.rows})
    else:
        say(sentence.format(rows=report.total, tables=len(report.rows), file=report.path))
