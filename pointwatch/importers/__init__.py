"""Statement and point-history CSV imports: declarative column maps behind identify()/extract().

    parsed = parse_file(Path("enavi.csv"))            # format detected from the header
    parsed.entries, parsed.problems, parsed.statement
    keys = dedup_keys("rakuten-card", parsed.entries)

Importers yield plain records (ImportedEntry); they never touch storage, print or read the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pointwatch.errors import InvalidValue
from pointwatch.importers.base import (
    AmountColumn,
    ColumnMapFormat,
    CsvFormat,
    DateColumn,
    ImportedEntry,
    MonthColumn,
    ParsedFile,
    RowProblem,
    TextColumn,
    dedup_keys,
    iter_dedup_keys,
)
from pointwatch.importers.generic import GenericFormat, generic_format
from pointwatch.importers.moneyforward import MoneyForward
from pointwatch.importers.rakuten_enavi import RakutenEnavi
from pointwatch.importers.reader import read_csv

__all__ = [
    "AmountColumn",
    "ColumnMapFormat",
    "CsvFormat",
    "DateColumn",
    "GenericFormat",
    "ImportedEntry",
    "MonthColumn",
    "ParsedFile",
    "RowProblem",
    "TextColumn",
    "builtin_formats",
    "dedup_keys",
    "formats_from_config",
    "iter_dedup_keys",
    "parse_file",
]

_BUILTIN: tuple[type[ColumnMapFormat], ...] = (RakutenEnavi, MoneyForward)


def builtin_formats() -> dict[str, CsvFormat]:
    """The shipped formats by name (a new dict each call)."""
    return {fmt.name: fmt for fmt in (cls() for cls in _BUILTIN)}


def formats_from_config(formats: Mapping[str, Mapping[str, Any]]) -> dict[str, CsvFormat]:
    """The configuration's [formats.NAME] tables as generic formats.

    Raises InvalidValue listing every problem, each naming its key path (formats.NAME.key).
    """
    if not isinstance(formats, Mapping):
        raise InvalidValue("formats: expected tables like [formats.my-bank]")
    builtin = {cls.name for cls in _BUILTIN}
    problems: list[str] = []
    result: dict[str, CsvFormat] = {}
    for name, table in formats.items():
        if name in builtin:
            problems.append(f'formats.{name}: "{name}" is a built-in format; choose another name')
            continue
        try:
            result[name] = generic_format(name, table)
        except InvalidValue as error:
            problems.append(error.message)
    if problems:
        raise InvalidValue("\n".join(problems))
    return result


def parse_file(
    path: Path,
    format_name: str | None = None,
    extra_formats: Mapping[str, CsvFormat] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ParsedFile:
    """Read a statement or point-history CSV.

    The format is `format_name`, or detected from the header among the built-in formats and
    `extra_formats` (e.g. from `formats_from_config`). Bad rows come back in
    `ParsedFile.problems`; a file that cannot be read as a whole raises InvalidValue naming it.
    `progress(rows_done)` is called about every 1000 rows.
    """
    formats = builtin_formats()
    if extra_formats:
        formats.update(extra_formats)
    return read_csv(Path(path), formats, format_name, progress)
