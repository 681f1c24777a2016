"""A consistent copy of a SQLite database with SQLite's online backup API: safe while the
daemon or an import writes (the copy is one committed state), written 0600 under a temporary
name and renamed into place only once it checks out."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from pointwatch.errors import EnvironmentFailure, InputError


def sqlite_backup(source: Path, target: Path) -> None:
    """Copy the database `source` to the new file `target` (refused if it exists)."""
    from pointwatch.files import touch_private
    from pointwatch.store import locks

    if target.exists() or target.is_symlink():
        raise InputError(f"{target} exists already; give the name of a new file")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        touch_private(partial)  # 0600 before SQLite writes a page into it
        reader = sqlite3.connect(source, timeout=locks.BUSY_TIMEOUT_SECONDS)
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer)
            # One self-contained file, whatever journal mode the database uses.
            writer.execute("PRAGMA journal_mode=DELETE")
            verdict = writer.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            writer.close()
            reader.close()
        if verdict != "ok":
            raise EnvironmentFailure(f"the copy of {source} failed its check ({verdict})")
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise EnvironmentFailure(f"could not copy {source} to {target}: {exc}") from exc
    except OSError as exc:
        raise EnvironmentFailure(
            f"could not write the copy {target}: {exc.strerror or exc}"
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
