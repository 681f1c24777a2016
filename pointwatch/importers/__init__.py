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
from pointwatch.i18n import _
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
    legacy_dedup_keys,
)
from pointwatch.importers.cards import EposNet, JcbMyjcb, SmbcVpass, ViewCard
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
    "institutions_from_config",
    "iter_dedup_keys",
    "legacy_dedup_keys",
    "parse_file",
]

_BUILTIN: tuple[type[ColumnMapFormat], ...] = (
    RakutenEnavi, MoneyForward, SmbcVpass, JcbMyjcb, EposNet, ViewCard,
)  # fmt: skip


def builtin_formats() -> dict[str, CsvFormat]:
    """The shipped formats by name (a new dict each call)."""
    return {fmt.name: fmt for fmt in (cls() for cls in _BUILTIN)}


# Built-in formats that take settings from a [formats.NAME] table of the configuration.
BUILTIN_SETTINGS = {"moneyforward": ("institutions",)}


def formats_from_config(formats: Mapping[str, Mapping[str, Any]]) -> dict[str, CsvFormat]:
    """The configuration's [formats.NAME] tables as generic formats.

    A table named after a built-in format holds that format's settings instead
    ([formats.moneyforward] institutions = { ACCOUNT = "保有金融機関" }); see
    `institutions_from_config`. Raises InvalidValue listing every problem, each naming its key
    path (formats.NAME.key).
    """
    if not isinstance(formats, Mapping):
        raise InvalidValue(_("formats: expected tables like [formats.my-bank]"))
    builtin = {cls.name for cls in _BUILTIN}
    problems: list[str] = []
    result: dict[str, CsvFormat] = {}
    for name, table in formats.items():
        if name in BUILTIN_SETTINGS:
            problems.extend(_builtin_settings_problems(name, table))
            continue
        if name in builtin:
            problems.append(
                _('formats.{name}: "{name}" is a built-in format; choose another name').format(
                    name=name
                )
            )
            continue
        try:
            result[name] = generic_format(name, table)
        except InvalidValue as error:
            problems.append(error.message)
    if problems:
        raise InvalidValue("\n".join(problems))
    return result


def institutions_from_config(formats: Mapping[str, Any]) -> dict[str, str]:
    """Account name -> the MoneyForward institution (保有金融機関) whose lines it takes, from
    [formats.moneyforward] institutions (checked by formats_from_config)."""
    table = formats.get("moneyforward") if isinstance(formats, Mapping) else None
    institutions = table.get("institutions", {}) if isinstance(table, Mapping) else {}
    return dict(institutions) if isinstance(institutions, Mapping) else {}


def _builtin_settings_problems(name: str, table: Any) -> list[str]:
    allowed = BUILTIN_SETTINGS[name]
    where = f"formats.{name}"
    if not isinstance(table, Mapping):
        return [f"{where}: expected a table of settings ({', '.join(allowed)})"]
    problems = [
        f'{where}: unknown key "{key}" ("{name}" is a built-in format; its settings: '
        f"{', '.join(allowed)}; choose another name for a column map)"
        for key in table
        if key not in allowed
    ]
    institutions = table.get("institutions", {})
    if not isinstance(institutions, Mapping) or not all(
        isinstance(value, str) and value.strip() for value in institutions.values()
    ):
        problems.append(
            _(
                '{where}.institutions: expected a table of account = "保有金融機関", like {{ '
                'rpoints = "楽天ポイント" }}'
            ).format(where=where)
        )
    return problems


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
