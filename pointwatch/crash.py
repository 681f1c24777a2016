"""What happens on a bug: the traceback goes to a private log file, the user gets one line."""

from __future__ import annotations

import os
import re
import traceback
from datetime import datetime
from pathlib import Path

from pointwatch.files import open_private
from pointwatch.i18n import _

# user:password@ in a database URL; the password never reaches a terminal or a log.
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def scrub(text: str) -> str:
    """`text` without the passwords of any URLs in it."""
    return _URL_PASSWORD.sub(r"\1***@", text)


def crash_log_path() -> Path:
    from platformdirs import user_log_path

    return user_log_path("pointwatch") / "crash.log"


def report_crash(exc: BaseException, command: str) -> str:
    """Append the traceback to the crash log and return the line to show."""
    kind = type(exc).__name__
    path = crash_log_path()
    details = "".join(traceback.format_exception(exc))
    try:
        descriptor = open_private(path)  # 0600, in folders created 0700, whatever the umask
        with os.fdopen(descriptor, "a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().astimezone().isoformat()} {command}\n")
            log.write(scrub(details) + "\n")
        where = _("the details are in {path}").format(path=path)
    except OSError:
        where = _("the details could not be written to a log file")
    return _(
        "unexpected {kind} in `{command}` — this is a bug in pointwatch, please report it; {where}"
    ).format(kind=kind, command=command, where=where)
