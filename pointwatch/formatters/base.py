"""Shared output helpers: the console, JSON encoding, dates, amounts and plain tables."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any


def console():
    from rich.console import Console

    # Piped output keeps long ids and dates on one line instead of wrapping at 80 columns.
    width = None if sys.stdout.isatty() else 200
    return Console(width=width, highlight=False, soft_wrap=False)


def dump_json(value: Any) -> str:
    # Indented for a person at a terminal; compact (and several times faster: the C encoder)
    # for scripts and pipes.
    indent = 2 if sys.stdout.isatty() else None
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def minutes(value: Any) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None else None


def amount_text(amount: int, unit: str) -> str:
    if unit == "point":
        return f"{amount:,} point" + ("" if amount == 1 else "s")
    return f"{amount:,} {unit}"


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, two spaces apart."""
    widths = [
        max([len(header), *(len(row[i]) for row in rows)]) for i, header in enumerate(headers)
    ]
    lines = [headers, *rows]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
