"""Shared output helpers: the console, JSON encoding, dates, amounts and plain tables."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pointwatch.domain.wording import CONTROLS, visible_cell


def console():
    from rich.console import Console

    # Piped output keeps long ids and dates on one line instead of wrapping at 80 columns.
    width = None if sys.stdout.isatty() else 200
    return Console(width=width, highlight=False, soft_wrap=False)


def dump_json(value: Any) -> str:
    # Indented for a person at a terminal; compact (and several times faster: the C encoder)
    # for scripts and pipes.
    indent = 2 if sys.stdout.isatty() else None
    text = json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)
    # json escapes C0 controls itself; C1 controls (a raw CSI is U+009B) and bidi overrides not.
    return CONTROLS.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def minutes(value: Any) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None else None


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


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    styles: Sequence[str] | None = None,
    style_column: int | None = None,
    right: Sequence[str] = (),
    no_wrap: Sequence[str] = (),
    plain_when_piped: bool = False,
):
    """Every listing's table: cells from the data are shown with controls escaped and never
    read as rich markup. `styles[i]` colours column `style_column` of row i."""
    cells = [[visible_cell(cell) for cell in row] for row in rows]
    if plain_when_piped and not sys.stdout.isatty():
        return plain_table(columns, cells)
    from rich.markup import escape
    from rich.table import Table

    result = Table()
    for column in columns:
        result.add_column(
            column, justify="right" if column in right else "left", no_wrap=column in no_wrap
        )
    for index, row in enumerate(cells):
        marked = [escape(cell) for cell in row]
        style = styles[index] if styles is not None and style_column is not None else ""
        if style and style_column is not None:
            marked[style_column] = f"[{style}]{marked[style_column]}[/]"
        result.add_row(*marked)
    return result


def styles_for(values: Sequence[str], palette: Mapping[str, str]) -> list[str]:
    return [palette.get(value, "") for value in values]
