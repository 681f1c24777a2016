"""A CSV described by a column map in the configuration (DESIGN.md §4):

    [formats.my-bank]
    encoding = "utf-8-sig"                                   # optional
    date = { column = "Date", format = "%Y-%m-%d" }          # format optional, default %Y-%m-%d
    amount = { column = "Amount", negate = false }           # negate optional
    description = { column = "Description" }                 # or column = ["Payee", "Memo"]
    statement = { column = "Statement", format = "%Y-%m" }   # optional, format default %Y-%m
    delimiter = ","                                          # optional

Exports with title lines above the header and totals below the rows (card statements):

    skip_lines = 3                                           # lines before the header (optional:
                                                             # the header is found by its columns)
    footer = { column = "種別", pattern = "合計" }            # this row and all below: not entries
    skip_rows = [{ column = "ご利用年月日", pattern = "^\\*{4}-" }]   # rows that are not entries
    aliases = { "ご利用金額（キャッシングでは元金になります）" = "ご利用金額" }  # other spellings
    amount = { column = "ご利用額", subtract = "払戻額" }       # a refund column taken off; or
                                                             # fallback = "…" where it is empty
    columns = ["利用日", "利用店名", "利用金額"]               # a file without a header row
    title = { column = "利用店名", pattern = "様$" }           # …recognised by its first row
    ref = { column = "ID" }                                  # the export's own line id (dedup)
    issuer = "JCB"                                           # refuse it for another issuer's card
    kind = "card"                                            # refuse it for other kinds of account

Patterns are regular expressions searched in the stripped cell ("^$": an empty cell).
Every problem in a map is reported at once, each naming its key path (formats.my-bank.date).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pointwatch.errors import InvalidValue
from pointwatch.i18n import _
from pointwatch.importers.base import (
    AmountColumn,
    ColumnMapFormat,
    DateColumn,
    MonthColumn,
    RowRule,
    TextColumn,
)

KEYS = (
    "date", "amount", "description", "statement", "encoding", "delimiter", "skip_lines",
    "footer", "skip_rows", "aliases", "columns", "title", "ref", "issuer", "kind",
)  # fmt: skip
ACCOUNT_KINDS = ("card", "points", "bank", "wallet")
_SAMPLE_DAY = date(2001, 2, 3)


class GenericFormat(ColumnMapFormat):
    """A column map built at run time; identify() = every configured column is in the header."""

    def __init__(self, name: str, **attributes: Any) -> None:
        self.name = name
        for key, value in attributes.items():
            if not hasattr(ColumnMapFormat, key) and key not in ("date", "amount", "description"):
                raise TypeError(f"GenericFormat: unknown attribute {key!r}")
            setattr(self, key, value)

    def __repr__(self) -> str:
        return f"GenericFormat({self.name!r}, columns={self.columns()!r})"


def generic_format(name: str, table: Any) -> GenericFormat:
    """One [formats.NAME] table -> a format; InvalidValue listing every problem otherwise."""
    where = f"formats.{name}"
    if not isinstance(table, Mapping):
        raise InvalidValue(
            _("{where}: expected a table of column settings (date, amount, …)").format(where=where)
        )
    problems: list[str] = []
    for key in table:
        if key not in KEYS:
            problems.append(
                _('{where}: unknown key "{key}" (known keys: {keys})').format(
                    where=where, key=key, keys=", ".join(KEYS)
                )
            )

    date_spec = _sub_table(table, "date", where, ("column", "format"), problems, required=True)
    amount_spec = _sub_table(
        table, "amount", where, ("column", "negate", "subtract", "fallback"), problems,
        required=True,
    )  # fmt: skip
    text_spec = _sub_table(table, "description", where, ("column",), problems, required=True)
    month_spec = _sub_table(table, "statement", where, ("column", "format"), problems)
    ref_spec = _sub_table(table, "ref", where, ("column",), problems)

    date_column = amount_column = text_column = month_column = None
    if date_spec is not None:
        column = _column(date_spec, f"{where}.date", problems)
        fmt = _date_format(date_spec.get("format", "%Y-%m-%d"), f"{where}.date.format", problems)
        if column and fmt:
            date_column = DateColumn(column, fmt)
    if amount_spec is not None:
        column = _column(amount_spec, f"{where}.amount", problems)
        negate = amount_spec.get("negate", False)
        extra = {
            key: _name(amount_spec[key], f"{where}.amount.{key}", problems)
            for key in ("subtract", "fallback")
            if key in amount_spec
        }
        if not isinstance(negate, bool):
            problems.append(
                _("{where}.amount.negate: expected true or false, not {negate!r}").format(
                    where=where, negate=negate
                )
            )
        elif column and all(extra.values()):
            amount_column = AmountColumn(column, negate, **extra)
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
    attributes: dict[str, Any] = {}
    if ref_spec is not None:
        attributes["ref"] = _column(ref_spec, f"{where}.ref", problems)

    encoding = table.get("encoding")
    if encoding is not None and (not isinstance(encoding, str) or not _known_encoding(encoding)):
        problems.append(
            _(
                '{where}.encoding: unknown encoding {encoding!r} (for example "utf-8-sig", "cp932")'
            ).format(where=where, encoding=encoding)
        )
        encoding = None
    delimiter = table.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        problems.append(
            _('{where}.delimiter: expected one character such as "," or "\\t"').format(where=where)
        )
        delimiter = ","
    attributes.update(_layout(table, where, problems))

    if problems:
        raise InvalidValue("\n".join(problems))
    assert date_column and amount_column and text_column  # no problems: all were built
    fmt = GenericFormat(
        name,
        date=date_column,
        amount=amount_column,
        description=text_column,
        statement=month_column,
        encoding=encoding,
        delimiter=delimiter,
        **attributes,
    )
    _check_named_columns(fmt, where)
    return fmt


def _layout(table: Mapping[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    """The keys for exports with title lines, totals, no header, other spellings, an issuer."""
    attributes: dict[str, Any] = {}
    if "skip_lines" in table:
        skip = table["skip_lines"]
        if isinstance(skip, bool) or not isinstance(skip, int) or skip < 0:
            problems.append(
                _("{where}.skip_lines: expected a whole number of lines, 0 or more").format(
                    where=where
                )
            )
        else:
            attributes["skip_lines"] = skip
    for key in ("footer", "title"):
        if key in table:
            attributes[key] = _rule(table[key], f"{where}.{key}", problems)
    if "skip_rows" in table:
        value = table["skip_rows"]
        rules = value if isinstance(value, list) else [value]
        attributes["skip_rows"] = tuple(
            _rule(rule, f"{where}.skip_rows[{number}]", problems)
            for number, rule in enumerate(rules, 1)
        )
    if "aliases" in table:
        aliases = table["aliases"]
        if not isinstance(aliases, Mapping) or not all(
            isinstance(value, str) and value.strip() for value in aliases.values()
        ):
            problems.append(
                _('{where}.aliases: expected a table of "other spelling" = "column name"').format(
                    where=where
                )
            )
        else:
            attributes["aliases"] = {key.strip(): value.strip() for key, value in aliases.items()}
    if "columns" in table:
        names = table["columns"]
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(name, str) and name.strip() for name in names)
        ):
            problems.append(
                _("{where}.columns: expected the list of the file's column names").format(
                    where=where
                )
            )
        else:
            attributes["header_names"] = tuple(name.strip() for name in names)
    if "issuer" in table:
        attributes["issuer"] = _name(table["issuer"], f"{where}.issuer", problems)
    if "kind" in table:
        kind = table["kind"]
        if kind not in ACCOUNT_KINDS:
            problems.append(
                _("{where}.kind: expected one of {account_kinds}").format(
                    where=where, account_kinds=", ".join(ACCOUNT_KINDS)
                )
            )
        else:
            attributes["account_kind"] = kind
    return attributes


def _rule(value: Any, where: str, problems: list[str]) -> RowRule | None:
    if not isinstance(value, Mapping) or set(value) != {"column", "pattern"}:
        problems.append(
            _('{where}: expected a table like {{ column = "…", pattern = "合計" }}').format(
                where=where
            )
        )
        return None
    column = _name(value["column"], f"{where}.column", problems)
    pattern = value["pattern"]
    try:
        re.compile(pattern)
    except (re.error, TypeError) as error:
        problems.append(
            _("{where}.pattern: not a regular expression ({error})").format(
                where=where, error=error
            )
        )
        return None
    return RowRule(column, pattern) if column else None


def _name(value: Any, where: str, problems: list[str]) -> str | None:
    if not isinstance(value, str) or not value.strip():
        problems.append(
            _("{where}: expected a column name, not {value!r}").format(where=where, value=value)
        )
        return None
    return value.strip()


def _check_named_columns(fmt: GenericFormat, where: str) -> None:
    """A map of a file without a header may only read the columns it names."""
    if not fmt.header_names:
        return
    named = set(fmt.header_names)
    used = fmt.columns() + ([fmt.title.column] if fmt.title else [])
    missing = [column for column in used if column not in named]
    if missing:
        raise InvalidValue(
            _("{where}: {missing} not among the columns ({header_names})").format(
                where=where, missing=", ".join(missing), header_names=", ".join(fmt.header_names)
            )
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
            problems.append(_('{where}: missing key "{key}"').format(where=where, key=key))
        return None
    value = table[key]
    if not isinstance(value, Mapping):
        problems.append(
            _('{where}.{key}: expected a table like {{ column = "…" }}, not {value!r}').format(
                where=where, key=key, value=value
            )
        )
        return None
    for name in value:
        if name not in allowed:
            problems.append(
                _('{where}.{key}: unknown key "{name}" (known keys: {allowed})').format(
                    where=where, key=key, name=name, allowed=", ".join(allowed)
                )
            )
    if "column" not in value:
        problems.append(_('{where}.{key}: missing key "column"').format(where=where, key=key))
    return value


def _column(spec: Mapping[str, Any], where: str, problems: list[str]) -> str | None:
    column = spec.get("column")
    if column is None:
        return None  # reported by _sub_table
    if not isinstance(column, str) or not column.strip():
        problems.append(
            _("{where}.column: expected a column name, not {column!r}").format(
                where=where, column=column
            )
        )
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
            _(
                "{where}.column: expected a column name or a list of column names, not {column!r}"
            ).format(where=where, column=column)
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
        _(
            "{where}: {fmt!r} is not a date format with year, month and day (for "
            'example "%Y-%m-%d" or "%d/%m/%Y")'
        ).format(where=where, fmt=fmt)
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
        _(
            '{where}: {fmt!r} is not a month format with year and month (for example "%Y-%m")'
        ).format(where=where, fmt=fmt)
    )
    return None


def _known_encoding(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True
