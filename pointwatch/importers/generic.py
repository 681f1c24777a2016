"""A CSV described by a column map in the configuration (DESIGN.md §4):

    [formats.my-bank]
    encoding = "utf-8-sig"                                   # optional
    date = { column = "Date", format = "%Y-%m-%d" }          # format optional, default %Y-%m-%d
    amount = { column = "Amount", negate = false }           # negate optional
    description = { column = "Description" }                 # or column = ["Payee", "Memo"]
    statement = { column = "Statement", format = "%Y-%m" }   # optional, format default %Y-%m
    delimiter = ","                                          # optional

Every problem in a map is reported at once, each naming its key path (formats.my-bank.date).
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pointwatch.errors import InvalidValue
from pointwatch.importers.base import (
    AmountColumn,
    ColumnMapFormat,
    DateColumn,
    MonthColumn,
    TextColumn,
)

KEYS = ("date", "amount", "description", "statement", "encoding", "delimiter")
_SAMPLE_DAY = date(2001, 2, 3)


class GenericFormat(ColumnMapFormat):
    """A column map built at run time; identify() = every configured column is in the header."""

    def __init__(
        self,
        name: str,
        *,
        date: DateColumn,
        amount: AmountColumn,
        description: TextColumn,
        statement: MonthColumn | None = None,
        encoding: str | None = None,
        delimiter: str = ",",
    ) -> None:
        self.name = name
        self.date = date
        self.amount = amount
        self.description = description
        self.statement = statement
        self.encoding = encoding
        self.delimiter = delimiter

    def __repr__(self) -> str:
        return f"GenericFormat({self.name!r}, columns={self.columns()!r})"


def generic_format(name: str, table: Any) -> GenericFormat:
    """One [formats.NAME] table -> a format; InvalidValue listing every problem otherwise."""
    where = f"formats.{name}"
    if not isinstance(table, Mapping):
        raise InvalidValue(f"{where}: expected a table of column settings (date, amount, …)")
    problems: list[str] = []
    for key in table:
        if key not in KEYS:
            problems.append(f'{where}: unknown key "{key}" (known keys: {", ".join(KEYS)})')

    date_spec = _sub_table(table, "date", where, ("column", "format"), problems, required=True)
    amount_spec = _sub_table(table, "amount", where, ("column", "negate"), problems, required=True)
    text_spec = _sub_table(table, "description", where, ("column",), problems, required=True)
    month_spec = _sub_table(table, "statement", where, ("column", "format"), problems)

    date_column = amount_column = text_column = month_column = None
    if date_spec is not None:
        column = _column(date_spec, f"{where}.date", problems)
        fmt = _date_format(date_spec.get("format", "%Y-%m-%d"), f"{where}.date.format", problems)
        if column and fmt:
            date_column = DateColumn(column, fmt)
    if amount_spec is not None:
        column = _column(amount_spec, f"{where}.amount", problems)
        negate = amount_spec.get("negate", False)
        if not isinstance(negate, bool):
            problems.append(f"{where}.amount.negate: expected true or false, not {negate!r}")
        elif column:
            amount_column = AmountColumn(column, negate)
    if text_spec is not None:
        columns = _text_columns(text_spec, f"{where}.description", problems)
        if columns:
            text_column = TextColumn(*columns)
    if month_spec is not None:
        column = _column(month_spec, f"{where}.statement", problems)
        fmt = _month_format(
            month_spec.get("format", "%Y-%m"), f"{where}.statement.format", problems
        )
        if column and fmt:
            month_column = MonthColumn(column, fmt)

    encoding = table.get("encoding")
    if encoding is not None and (not isinstance(encoding, str) or not _known_encoding(encoding)):
        problems.append(
            f'{where}.encoding: unknown encoding {encoding!r} (for example "utf-8-sig", "cp932")'
        )
        encoding = None
    delimiter = table.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        problems.append(f'{where}.delimiter: expected one character such as "," or "\\t"')
        delimiter = ","

    if problems:
        raise InvalidValue("\n".join(problems))
    assert date_column and amount_column and text_column  # no problems: all were built
    return GenericFormat(
        name,
        date=date_column,
        amount=amount_column,
        description=text_column,
        statement=month_column,
        encoding=encoding,
        delimiter=delimiter,
    )


def _sub_table(
    table: Mapping[str, Any],
    key: str,
    where: str,
    allowed: tuple[str, ...],
    problems: list[str],
    required: bool = False,
) -> Mapping[str, Any] | None:
    if key not in table:
        if required:
            problems.append(f'{where}: missing key "{key}"')
        return None
    value = table[key]
    if not isinstance(value, Mapping):
        problems.append(f'{where}.{key}: expected a table like {{ column = "…" }}, not {value!r}')
        return None
    for name in value:
        if name not in allowed:
            problems.append(
                f'{where}.{key}: unknown key "{name}" (known keys: {", ".join(allowed)})'
            )
    if "column" not in value:
        problems.append(f'{where}.{key}: missing key "column"')
    return value


def _column(spec: Mapping[str, Any], where: str, problems: list[str]) -> str | None:
    column = spec.get("column")
    if column is None:
        return None  # reported by _sub_table
    if not isinstance(column, str) or not column.strip():
        problems.append(f"{where}.column: expected a column name, not {column!r}")
        return None
    return column.strip()


def _text_columns(spec: Mapping[str, Any], where: str, problems: list[str]) -> list[str]:
    column = spec.get("column")
    if column is None:
        return []
    names = [column] if isinstance(column, str) else column
    if (
        not isinstance(names, list)
        or not names
        or not all(isinstance(name, str) and name.strip() for name in names)
    ):
        problems.append(
            f"{where}.column: expected a column name or a list of column names, not {column!r}"
        )
        return []
    return [name.strip() for name in names]


def _date_format(fmt: Any, where: str, problems: list[str]) -> str | None:
    if isinstance(fmt, str):
        try:
            if datetime.strptime(_SAMPLE_DAY.strftime(fmt), fmt).date() == _SAMPLE_DAY:
                return fmt
        except ValueError:
            pass
    problems.append(
        f"{where}: {fmt!r} is not a date format with year, month and day "
        '(for example "%Y-%m-%d" or "%d/%m/%Y")'
    )
    return None


def _month_format(fmt: Any, where: str, problems: list[str]) -> str | None:
    if isinstance(fmt, str):
        try:
            parsed = datetime.strptime(_SAMPLE_DAY.strftime(fmt), fmt)
            if (parsed.year, parsed.month) == (_SAMPLE_DAY.year, _SAMPLE_DAY.month):
                return fmt
        except ValueError:
            pass
    problems.append(
        f'{where}: {fmt!r} is not a month format with year and month (for example "%Y-%m")'
    )
    return None


def _known_encoding(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True
