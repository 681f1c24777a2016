"""Private files: whatever the umask, what pointwatch creates is readable by its owner only.

The database (and the WAL and SHM files SQLite creates beside it with the database's mode), its
backups and exports, the config written by `init`, the crash log and the lock files are created
0600; the folders pointwatch creates for them 0700. Files and folders that already exist keep
the mode their owner gave them.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents 0700 (existing ones are left as they are)."""
    missing = []
    for path in (folder, *folder.parents):
        if path.is_dir():
            break
        missing.append(path)
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise
            continue
        os.chmod(path, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_APPEND) -> int:
    """A descriptor on `path`, created 0600 (in a 0700 folder) if it does not exist; with
    O_EXCL in `flags`, an existing file is refused (FileExistsError)."""
    private_folder(path.parent)
    try:
        descriptor = os.open(path, flags | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        if flags & os.O_EXCL:
            raise
        return os.open(path, flags)
    os.fchmod(descriptor, FILE_MODE)  # exactly 0600, whatever the umask
    return descriptor


def touch_private(path: Path) -> None:
    """Create `path` empty and 0600 unless it exists (e.g. a new SQLite database, before SQLite
    opens it, so that its WAL and SHM files get the same mode)."""
    os.close(open_private(path, os.O_WRONLY))


def write_private(path: Path, text: str, exclusive: bool = False) -> None:
    """Write `text` to `path` (0600 when created); with `exclusive`, refuse an existing file."""
    flags = os.O_WRONLY | os.O_TRUNC | (os.O_EXCL if exclusive else 0)
    with os.fdopen(open_private(path, flags), "w", encoding="utf-8") as file:
        file.write(text)
