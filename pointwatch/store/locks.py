"""Who holds the database: the writer note beside a SQLite file, and the one-daemon lock.

**Writer note.** SQLite lets one connection write at a time; another writer waits up to the
busy timeout and then fails with "database is locked", which says nothing about who holds it.
So the command holding the write lock writes a small note beside the database
(`pointwatch.db-writer`, 0600: its pid, command line and since when) as soon as it takes the
lock, and removes it before it commits or rolls back (while it still holds the lock, so it can
never remove the note of the next writer). A waiter that gives up reads the note to say who
holds the database. A note left by a killed process is harmless: the lock died with the process,
and a note whose pid is not running is ignored.

**Daemon lock.** One `pointwatch daemon` per database: for a SQLite file, an flock on
`pointwatch.db-daemon` (the kernel releases it when the process dies, however it dies, so a new
daemon takes over at once); for a server database, a session-level advisory lock on the
daemon's own connection, released by the server when that connection ends. The holder's pid is
written in the lock file, or in the connection's application_name.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pointwatch.errors import EnvironmentFailure

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

WRITER_SUFFIX = "-writer"
DAEMON_SUFFIX = "-daemon"
# pg_try_advisory_lock key: any fixed 64-bit number that other programs are unlikely to use.
DAEMON_ADVISORY_KEY = 0x706F696E74_7764  # "pointwd"


def sqlite_path(url: Any) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


# --- the writer note ------------------------------------------------------------------------------


@dataclass
class WriterNote:
    """The note of one transaction: written when it takes the write lock, removed at its end."""

    database: Path
    command: str
    written: bool = False

    @property
    def path(self) -> Path:
        return _beside(self.database, WRITER_SUFFIX)

    def take(self) -> None:
        """The transaction holds the write lock now: say so (best effort, never fails it)."""
        from pointwatch.files import write_private

        self.written = True
        note = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": self.command,
            "since": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        try:
            write_private(self.path, json.dumps(note, ensure_ascii=False))
        except OSError:
            self.written = False

    def release(self) -> None:
        """Remove the note if it is this process's (called while still holding the lock)."""
        if not self.written:
            return
        self.written = False
        note = read_writer(self.database, check_alive=False)
        if note is not None and note.get("pid") == os.getpid():
            with contextlib.suppress(OSError):
                self.path.unlink()


def read_writer(database: Path, check_alive: bool = True) -> dict[str, Any] | None:
    """The note of the command writing to `database`, if any (and, with `check_alive`, only
    if its process is still running on this machine)."""
    try:
        note = json.loads(_beside(database, WRITER_SUFFIX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(note, dict) or not isinstance(note.get("pid"), int):
        return None
    if check_alive and note.get("host") == socket.gethostname() and not _running(note["pid"]):
        return None
    return note


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def busy_message(database: Path | None, waited: float) -> str:
    """What to tell a command that waited `waited` seconds for the write lock in vain."""
    note = read_writer(database) if database is not None else None
    tail = "nothing was written; try again when it has finished"
    if note is None:
        return (
            f"the database is busy: another program or pointwatch command kept it locked for "
            f"more than {waited:g} s; {tail}"
        )
    where = "" if note.get("host") == socket.gethostname() else f" on {note.get('host')}"
    return (
        f"the database is busy: `{note.get('command', '?')}` (pid {note['pid']}{where}) has "
        f"been writing to it since {note.get('since', '?')}; waited {waited:g} s, {tail}"
    )


# --- one daemon -----------------------------------------------------------------------------------


class DaemonLock:
    """Held for as long as a daemon runs; `acquire` refuses if another daemon holds it."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self._file: Any = None
        self._connection: Any = None

    def acquire(self) -> None:
        path = sqlite_path(self.engine.url)
        if path is not None:
            self._acquire_file(_beside(path, DAEMON_SUFFIX))
        elif self.engine.dialect.name == "postgresql":
            self._acquire_advisory()
        # Other server databases: no lock (documented).

    def _acquire_file(self, path: Path) -> None:
        import fcntl

        from pointwatch.files import open_private

        descriptor = open_private(path, os.O_RDWR)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip()
            os.close(descriptor)
            raise EnvironmentFailure(
                f"a pointwatch daemon is already running on this database (pid {holder or '?'}, "
                f"lock file {path}); stop it first (kill {holder or 'PID'})"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        self._file = descriptor

    def _acquire_advisory(self) -> None:
        from sqlalchemy import text

        connection = self.engine.connect()
        name = f"pointwatch daemon pid {os.getpid()} on {socket.gethostname()}"[:63]
        connection.execute(
            text("SELECT set_config('application_name', :name, false)"), {"name": name}
        )
        taken = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": DAEMON_ADVISORY_KEY}
        ).scalar()
        connection.commit()  # session-level lock: it outlives this transaction
        if taken:
            self._connection = connection
            return
        holder = connection.execute(
            text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a "
                "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.objid = (:key & 4294967295) AND l.classid = (:key >> 32) LIMIT 1"
            ),
            {"key": DAEMON_ADVISORY_KEY},
        ).scalar()
        connection.invalidate()  # its application_name was this attempt's
        connection.close()
        raise EnvironmentFailure(
            f"a pointwatch daemon is already running on this database ({holder or 'unknown'}); "
            "stop it first"
        )

    def release(self) -> None:
        if self._file is not None:
            os.close(self._file)  # closing drops the flock
            self._file = None
        if self._connection is not None:
            # Really closed (not back to the pool): the server then drops the lock.
            self._connection.invalidate()
            self._connection.close()
            self._connection = None


BUSY_TIMEOUT_SECONDS = 30  # how long a command waits for another one's write lock


def shown(url: URL) -> str:
    """A URL as it may be shown: never with its password."""
    return url.render_as_string(hide_password=True)
