"""The journal of changes (`pointwatch log`) and what `undo` reverted."""

from __future__ import annotations

from typing import Any

from pointwatch.formatters.base import iso
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
            undone = f"  [undone {view.undone_at.astimezone(zone):%Y-%m-%d %H:%M}]"
        when = f"{view.at.astimezone(zone):%Y-%m-%d %H:%M}"
        lines.append(f"{view.id:>{width}}  {when}  {view.command}{undone}")
        lines.append(f"{'':>{width}}  {view.summary}")
    return lines


def undone_sentence(view: JournalView) -> str:
    return f"undid change {view.id}: `{view.command}` (it had {view.summary})"
