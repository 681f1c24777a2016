"""The journal of changes (`pointwatch log`) and what `undo` reverted."""

from __future__ import annotations

from typing import Any

from pointwatch.domain.wording import moment_text
from pointwatch.formatters.base import iso
from pointwatch.i18n import _, language
from pointwatch.services.views import JournalView


def journal_json(view: JournalView) -> dict[str, Any]:
    return {
        "id": view.id,
        "at": iso(view.at),
        "command": view.command,
        "summary": view.summary,
        "undone": view.undone_at is not None,
        "undone_at": iso(view.undone_at),
    }


def journal_lines(views: list[JournalView], zone) -> list[str]:
    """Two lines per change: id, when and the command line; then what it changed."""
    width = max(len(str(view.id)) for view in views)
    lines = []
    for view in views:
        undone = ""
        if view.undone_at is not None:
            undone = "  " + _("[undone {moment}]").format(
                moment=moment_text(view.undone_at.astimezone(zone))
            )
        when = moment_text(view.at.astimezone(zone))
        lines.append(f"{view.id:>{width}}  {when}  {view.command}{undone}")
        lines.append(f"{'':>{width}}  {shown_summary(view)}")
    return lines


def shown_summary(view: JournalView) -> str:
    """What the change did, in the language in use (the stored summary is English)."""
    if language() == "en" or not view.changes:
        return view.summary
    from pointwatch.store.journal import summarise

    return summarise(view.changes)


def undone_sentence(view: JournalView) -> str:
    return _("undid change {id}: `{command}` (it had {summary})").format(
        id=view.id, command=view.command, summary=shown_summary(view)
    )
