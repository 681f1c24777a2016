"""Shared output helpers: the console, JSON encoding, dates, amounts and plain tables."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pointwatch.domain.wording import CONTROLS, visible_cell
from pointwatch.i18n import _


@dataclass(frozen=True)
class Screen:
    """Where listings go: a terminal `width` cells wide, with or without colour, or a pipe."""

    piped: bool
    width: int = 80
    color: bool = True


def screen() -> Screen:
    """The standard output as listings see it: a pipe (or file) gets the plain format and no
    colour; a terminal is measured (COLUMNS wins, as for every tool) and gets colour unless
    NO_COLOR is set to anything (https://no-color.org)."""
    if not _stdout_is_terminal():
        return Screen(piped=True, color=False)
    width = shutil.get_terminal_size(fallback=(80, 24)).columns
    return Screen(piped=False, width=max(width, 20), color=not os.environ.get("NO_COLOR"))


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def console(where: Screen | None = None):
    from rich.console import Console

    where = where or screen()
    # Piped, only a stray renderable gets here: wide, so long ids stay on one line.
    return Console(
        width=200 if where.piped else where.width, force_terminal=not where.piped,
        color_system="auto" if where.color else None, no_color=not where.color,
        highlight=False, soft_wrap=False,
    )  # fmt: skip


def dump_json(value: Any) -> str:
    # Indented for a person at a terminal; compact (and several times faster: the C encoder)
    # for scripts and pipes.
    indent = 2 if _stdout_is_terminal() else None
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


def plain_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()
) -> str:
    """Columns padded to their widest cell (terminal cells: a Japanese character takes two), two
    spaces apart; columns in `right` aligned right."""
    lines = [headers, *rows]
    # A cell's padding is its column's width less its own, in cells; str.ljust counts code
    # points, so it is given the width plus the cell's extra cells (none for ASCII text).
    extra = [[cell_width(cell) - len(cell) for cell in line] for line in lines]
    widths = [
        max(len(line[i]) + more[i] for line, more in zip(lines, extra, strict=True))
        for i in range(len(headers))
    ]
    pads = [str.rjust if index in right else str.ljust for index in range(len(headers))]
    return "\n".join(
        "  ".join(
            pad(cell, width - more)
            for pad, cell, width, more in zip(pads, line, widths, wide, strict=True)
        ).rstrip()
        for line, wide in zip(lines, extra, strict=True)
    )


def cell_width(text: str) -> int:
    """The width of `text` on a terminal, in cells (ASCII at once: status lists 10,000 rows)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


# A text column of a table may wrap down to this many cells (12 Japanese characters); a table
# that cannot give every text column that much, and every other column its whole width, is
# stacked instead.
WRAP_MIN = 24


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    styles: Sequence[str] | None = None,
    style_column: int | None = None,
    right: Sequence[str] = (),
    wrap: Sequence[str] = (),
    where: Screen | None = None,
):
    """Every listing: plain text when piped, a table when it fits the terminal, otherwise one
    block per row (its id, then `label: value` lines). The first column is the row's id. Only
    the `wrap` columns (free text) may wrap; ids, dates, amounts and states are never cut or
    wrapped. Cells from the data are shown with controls escaped and never read as rich markup;
    `styles[i]` colours column `style_column` of row i. `where` defaults to `screen()`.
    `columns` are English (marked with `N_`), as `right` and `wrap` name them; the headings are
    shown in the language in use."""
    where = where or screen()
    cells = [[visible_cell(cell) for cell in row] for row in rows]
    aligned = [index for index, column in enumerate(columns) if column in right]
    right = [_(column) for column in right]
    wrap = [_(column) for column in wrap]
    columns = [_(column) for column in columns]
    if where.piped:
        return plain_table(columns, cells, aligned)
    lines = [columns, *cells]
    natural = [max(cell_width(line[i]) for line in lines) for i in range(len(columns))]
    least = [
        max(min(width, WRAP_MIN), cell_width(column)) if column in wrap else width
        for column, width in zip(columns, natural, strict=True)
    ]
    styled = styles if styles is not None and style_column is not None else [""] * len(cells)
    if sum(least) + 3 * len(columns) + 1 > where.width:  # cells, padding and borders
        return stacked(columns, cells, styled, style_column, where.width, wrap)
    from rich.markup import escape
    from rich.table import Table

    result = Table()
    for column, width in zip(columns, least, strict=True):
        whole = column not in wrap
        result.add_column(
            column, justify="right" if column in right else "left", min_width=width,
            no_wrap=whole, overflow="ignore" if whole else "fold",
        )  # fmt: skip
    for row, style in zip(cells, styled, strict=True):
        marked = [escape(cell) for cell in row]
        if style and style_column is not None:
            marked[style_column] = f"[{style}]{marked[style_column]}[/]"
        result.add_row(*marked)
    return result


def stacked(
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    styles: Sequence[str],
    style_column: int | None,
    width: int,
    wrap: Sequence[str] = (),
):
    """One block per row for a narrow terminal: the id alone on its first line, then one
    `label: value` line per other non-empty cell; free text (`wrap` columns) wraps under its
    value, nothing else is ever cut or wrapped."""
    from rich.cells import cell_len
    from rich.text import Text

    label_width = max(cell_len(column) for column in columns[1:]) + 1
    indent = " " * (2 + label_width + 1)
    room = max(width - len(indent), 10)
    text = Text(no_wrap=True, overflow="ignore", end="")
    for number, row in enumerate(cells):
        if number:
            text.append("\n")
        text.append(row[0] + "\n", style="bold")
        for index in range(1, len(columns)):
            value = row[index]
            if not value:
                continue
            label = columns[index] + ":"
            text.append("  " + label + " " * (label_width - cell_len(label) + 1))
            parts = wrapped(value, room) if columns[index] in wrap else [value]
            style = styles[number] if index == style_column else ""
            text.append(("\n" + indent).join(parts), style=style or None)
            text.append("\n")
    return text


def wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal cells, broken at spaces where it can (a run
    without spaces, like most Japanese text, is broken between characters)."""
    from rich.cells import cell_len, chop_cells

    lines: list[str] = []
    line = ""
    for word in re.findall(r"\S+\s*", text.strip()):
        bare = word.rstrip()
        if cell_len(line + bare) <= width:
            line += word
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = word
        if cell_len(bare) > width:
            pieces = chop_cells(bare, width)
            lines.extend(pieces[:-1])
            line = pieces[-1] + word[len(bare) :]
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def styles_for(values: Sequence[str], palette: Mapping[str, str]) -> list[str]:
    return [palette.get(value, "") for value in values]
