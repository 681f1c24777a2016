"""The journal of changes (`pointwatch log`) and reverting the latest one (`pointwatch undo`).

Every change command is journaled in its own transaction (store/journal.py). `undo` reverts the
most recent change not yet undone; run again, the one before. It is itself not journaled: there
is no redo (run the command again instead).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from pointwatch.errors import Conflict, InputError
from pointwatch.i18n import _
from pointwatch.services.views import JournalView
from pointwatch.store import journal


def list_journal(session: Session, limit: int | None = None) -> list[JournalView]:
    """Journal entries, newest first (`limit` of them, or all)."""
    return [_view(row) for row in journal.load_entries(session, limit)]


def undo_last(session: Session, now: datetime) -> JournalView:
    """Revert the most recent change not yet undone; refuse (nothing written) when a row it
    touched was changed since, or a row it added is referred to by one written since."""
    row = journal.last_open(session)
    if row is None:
        raise InputError(_("nothing to undo (see `pointwatch log`)"))
    connection = session.connection()
    problems = journal.obstacles(connection, row.changes)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise Conflict(
            _(
                "cannot undo change {id} (`{command}`): {reason}{more}, by something "
                "the journal does not record (the daily run `pointwatch remind`, for "
                "one); {instead}"
            ).format(
                id=row.id,
                command=row.command,
                reason=first.reason,
                more=more,
                instead=_instead(row.changes),
            )
        )
    journal.revert(connection, row.changes)
    row.undone_at = now
    session.add(row)
    session.flush()
    return _view(row)


def _instead(changes: list[dict[str, Any]]) -> str:
    """How to proceed when a change cannot be undone: the correction commands for what it
    added."""
    hints = []
    for change in changes:
        if "key" not in change or change["before"] is not None:
            continue  # only single rows the change added have a delete command
        table, key = change["table"], change["key"]
        if table == "account":
            hints.append(f"pointwatch delete account {change['after']['name']}")
        elif table in ("enrollment", "entry", "inquiry"):
            hints.append(f"pointwatch delete {table} {key}")
    if hints:
        return _("correct it instead with: {commands}").format(
            commands="; ".join(f"`{hint}`" for hint in hints[:3])
        )
    return _("correct it instead with `{delete}` or `{edit}`").format(
        delete="pointwatch delete", edit="pointwatch edit"
    )


def _view(row: journal.JournalRow) -> JournalView:
    assert row.id is not None
    return JournalView(
        id=row.id, at=row.at, command=row.command, summary=row.summary, undone_at=row.undone_at,
        changes=row.changes,
    )  # fmt: skip
