"""Database failures as one-line messages: what the environment did (a busy, read-only,
unreachable or full database: exit 3) or what the input asked for (a number too large for the
database: exit 2), never a traceback. Messages never show a password."""

from __future__ import annotations

from typing import Any

from pointwatch.errors import EnvironmentFailure, InputError, PointwatchError, RunBusy

# SQLite's words (sqlite3.OperationalError texts) → what happened.
_SQLITE_BUSY = ("database is locked", "database is busy", "database table is locked")
_SQLITE_READ_ONLY = ("readonly database", "read-only")
_SQLITE_CANNOT_OPEN = ("unable to open database file",)
_SQLITE_DAMAGED = ("database disk image is malformed", "file is not a database")
_SQLITE_FULL = ("database or disk is full", "disk i/o error")
# PostgreSQL SQLSTATE classes and codes.
_PG_LOCK_TIMEOUT = "55P03"
_PG_NUMERIC_RANGE = "22003"


def database_failure(exc: BaseException, url: Any) -> PointwatchError | None:
    """`exc` as a project error if it is a database failure pointwatch can explain, else None."""
    from sqlalchemy.exc import DBAPIError

    from pointwatch.crash import scrub

    if not isinstance(exc, DBAPIError):
        return None
    original = exc.orig if exc.orig is not None else exc
    reason = scrub(str(original).strip().splitlines()[0] if str(original).strip() else "")
    if url is not None and url.password:
        reason = reason.replace(str(url.password), "***")
    where = _where(url)
    if url is not None and url.get_backend_name() == "sqlite":
        return _sqlite_failure(reason, where, url)
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate == _PG_LOCK_TIMEOUT:
        return _busy(url)
    if sqlstate == _PG_NUMERIC_RANGE:
        return InputError(f"a number is too large for the database {where} ({reason})")
    if sqlstate is None or exc.connection_invalidated or sqlstate.startswith("08"):
        # No SQLSTATE: the driver never reached the server (refused, unknown host, bad login).
        return EnvironmentFailure(f"cannot use the database {where}: {reason}")
    if sqlstate.startswith(("25", "42501", "53")):  # read-only, permission, resources
        return EnvironmentFailure(f"the database {where} refused the change: {reason}")
    return None


def _sqlite_failure(reason: str, where: str, url: Any) -> PointwatchError | None:
    lowered = reason.lower()
    if any(words in lowered for words in _SQLITE_BUSY):
        return _busy(url)
    if any(words in lowered for words in _SQLITE_READ_ONLY):
        return EnvironmentFailure(
            f"the database {where} is read-only ({reason}); nothing was written — check the "
            "permissions of the file and of its folder"
        )
    if any(words in lowered for words in _SQLITE_CANNOT_OPEN):
        return EnvironmentFailure(
            f"cannot open the database {where} ({reason}); check that the file and its folder "
            "exist and are readable and writable"
        )
    if any(words in lowered for words in _SQLITE_DAMAGED):
        return EnvironmentFailure(
            f"the database {where} is damaged ({reason}); restore a backup "
            "(`pointwatch restore` of an export, or a copy made by `pointwatch backup`)"
        )
    if any(words in lowered for words in _SQLITE_FULL):
        return EnvironmentFailure(f"cannot write the database {where} ({reason})")
    if "too large" in lowered or "overflow" in lowered:
        return InputError(f"a number is too large for the database {where} ({reason})")
    return None


def _busy(url: Any) -> RunBusy:
    from pointwatch.store import locks
    from pointwatch.store.locks import busy_message, sqlite_path

    return RunBusy(busy_message(sqlite_path(url) if url else None, locks.BUSY_TIMEOUT_SECONDS))


def _where(url: Any) -> str:
    if url is None:
        return "(unknown)"
    from pointwatch.store.locks import sqlite_path

    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return url.render_as_string(hide_password=True)
