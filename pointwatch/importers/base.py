"""What every importer yields, and the declarative column specs formats are written in.

A format is a small object with a `name`, `identify(header)` and `extract(rows, header)` (the
protocol of beangulp's importers). Most formats are a column map: subclass `ColumnMapFormat` and
declare which column holds the date, the amount and the description. Problems in rows are
returned as values (`RowProblem`), never raised, so one run reports every bad row at once.

Importers never touch storage, never print and never read the clock.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import NamedTuple, Protocol

from pointwatch.domain.dates import Month
from pointwatch.errors import InvalidValue
from pointwatch.i18n import N_, Message, _

# (1-based physical line number where the record starts, its cells)
Rows = Iterable[tuple[int, list[str]]]


class ImportedEntry(NamedTuple):
    """One line of a statement or point history, as printed in the file. (A named tuple: an
    import builds 100,000 of them, and a tuple is built in half the time of a frozen
    dataclass.)"""

    row: int  # 1-based physical line number in the file (the header is line 1)
    date: date
    amount: int  # signed as printed: card charges positive, credits negative; points added positive
    description: str
    statement: Month | None  # the statement (payment month) the line belongs to, when the file says
    ref: str = ""  # the export's own id of the line (MoneyForward's ID): part of the dedup key
    group: str = ""  # the account a multi-account export files the line under (保有金融機関)
    key_text: str | None = None  # the description as the dedup key reads it, when not as printed


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that could not be read; the caller decides to abort or to skip it."""

    row: int
    value: str  # the offending value, or the raw row for a truncated row
    message: str  # a full sentence starting with "row N: " (a Message: English in JSON)


@dataclass(frozen=True)
class Extracted:
    """What a format read from the rows of one file."""

    entries: list[ImportedEntry]
    problems: list[RowProblem]
    statement: Month | None = None  # the whole, final statement the file is (it proves coverage)
    provisional: Month | None = None  # the statement a provisional (速報) file previews


@dataclass(frozen=True)
class ParsedFile:
    """A whole file read by one format."""

    format: str
    entries: list[ImportedEntry]
    problems: list[RowProblem]
    statement: Month | None  # set when the file is one whole statement (it proves coverage)
    encoding: str
    provisional: Month | None = None  # a provisional statement: never proves coverage


class CsvFormat(Protocol):
    """A file format. Optional attributes `parse_file` also reads when present:
    `encoding` (str | None: decode with this instead of UTF-8/CP932), `delimiter` (str),
    `expected_header` (str: the columns named in "does not look like" errors) and
    `find_header(records, named)` (where the header is among the first records, for files with
    title lines above it; without it the first record must be the header)."""

    name: str

    def identify(self, header: list[str]) -> bool:
        """Whether a header row (cells stripped) belongs to this format."""
        ...

    def extract(self, rows: Rows, header: list[str]) -> Extracted:
        """Entries, bad rows, and the statement the whole file covers (None if not one)."""
        ...


def dedup_keys(account: str, entries: Sequence[ImportedEntry]) -> list[str]:
    """A stable key per entry: the same line of the same account always gets the same key.

    The Nth identical (date, amount, description) within the list gets occurrence N, so two
    identical real purchases in one file stay two entries, while re-importing the file or an
    overlapping download of whole days yields the same keys again. A line with the export's own
    id (`ref`) is told apart by that id instead of its occurrence.
    """
    return list(iter_dedup_keys(account, entries))


def iter_dedup_keys(account: str, entries: Iterable[ImportedEntry]) -> Iterator[str]:
    """dedup_keys one at a time (an import streams them into its insert instead of holding
    100,000 keys). The key text is account, ISO date, amount, description (`key_text` where the
    importer gives one) and occurrence (or "id:" and the line's `ref`) joined by U+001F, hashed
    with BLAKE2b-160: stored keys depend on it, so it must never change."""
    blake2b = hashlib.blake2b
    seen: dict[tuple[date, int, str], int] = {}
    iso: dict[date, str] = {}  # a statement has few distinct dates: format each once
    for __, day, amount, description, __, ref, __, key_text in entries:
        if key_text is not None:
            description = key_text
        when = iso.get(day)
        if when is None:
            when = iso[day] = day.isoformat()
        if ref:
            tail: int | str = f"id:{ref}"
        else:
            same = (day, amount, description)
            tail = seen[same] = seen.get(same, 0) + 1
        text = f"{account}\x1f{when}\x1f{amount}\x1f{description}\x1f{tail}"
        yield blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def legacy_dedup_keys(account: str, entries: Sequence[ImportedEntry]) -> list[str | None] | None:
    """The key each entry had before `key_text` and `ref` existed, where it differs from its
    key now (None elsewhere; None for the whole list when no entry differs), so that a line
    an older version stored is still recognised. Lines printed alike are alike in `key_text`
    and `ref`-lessness, so occurrences are counted among the differing lines alone."""
    changed = [at for at, entry in enumerate(entries) if entry.ref or entry.key_text is not None]
    if not changed:
        return None
    plain = [entries[at]._replace(ref="", key_text=None) for at in changed]
    keys: list[str | None] = [None] * len(entries)
    for at, key in zip(changed, iter_dedup_keys(account, plain), strict=True):
        keys[at] = key
    return keys


# --- values in cells -------------------------------------------------------------------------

# Thousands separators, currency marks and the minus signs Japanese exports use.
_AMOUNT_CLEANUP = str.maketrans(
    {",": None, "，": None, "円": None, "¥": None, "￥": None, "−": "-", "－": "-", "‐": "-"}
)


class AmountError(ValueError):
    """A cell that is not a whole amount; its message ends the row problem's sentence."""


def parse_amount(value: str) -> int:
    """A whole signed amount: "1,234", "1234円", "-500", "−500", "１２" (full-width digits)."""
    try:
        return int(value)  # the common case, plain digits
    except ValueError:
        pass
    cleaned = value.translate(_AMOUNT_CLEANUP).strip()
    if "." in cleaned or "．" in cleaned:
        raise AmountError(N_("has a fraction (amounts are whole numbers)"))
    try:
        return int(cleaned)
    except ValueError:
        raise AmountError(
            N_("is not an amount (expected a whole number like 1,234 or -500)")
        ) from None


def parse_ymd(value: str, sep: str = "/") -> date:
    """A YYYY/MM/DD (or YYYY-MM-DD with sep="-") date, without the cost of strptime."""
    year, month, day = value.strip().split(sep)  # not three parts: ValueError
    if len(year) != 4:
        raise ValueError(value)
    return date(int(year), int(month), int(day))


def human_format(fmt: str) -> str:
    """ "%Y/%m/%d" -> "YYYY/MM/DD", for messages."""
    for directive, shown in (("%Y", "YYYY"), ("%y", "YY"), ("%m", "MM"), ("%d", "DD")):
        fmt = fmt.replace(directive, shown)
    return fmt


_FAST_DATE_FORMATS = {"%Y/%m/%d": "/", "%Y-%m-%d": "-", "%Y.%m.%d": "."}


# --- declarative column specs (beangulp's csvbase in spirit) ---------------------------------


@dataclass(frozen=True)
class DateColumn:
    """The column holding the entry's date, written in `format` (strptime directives)."""

    column: str
    format: str = "%Y/%m/%d"

    def parser(self) -> Callable[[str], date]:
        sep = _FAST_DATE_FORMATS.get(self.format)
        if sep is not None:
            return lambda value: parse_ymd(value, sep)
        fmt = self.format
        return lambda value: datetime.strptime(value.strip(), fmt).date()


@dataclass(frozen=True)
class AmountColumn:
    """The column holding the signed amount; `negate` flips the file's sign. `subtract` names a
    column whose amount is taken off (a refund column beside the charge column, as View card's
    払戻額); `fallback` a column read where `column` is empty (Vpass prints some fees there)."""

    column: str
    negate: bool = False
    subtract: str | None = None
    fallback: str | None = None

    def columns(self) -> list[str]:
        return [name for name in (self.column, self.subtract, self.fallback) if name is not None]


class TextColumn:
    """One or more columns joined (non-empty parts, stripped) into the description."""

    __slots__ = ("columns", "sep")

    def __init__(self, *columns: str, sep: str = " ") -> None:
        if not columns:
            raise ValueError("TextColumn needs at least one column")
        self.columns: tuple[str, ...] = columns
        self.sep = sep

    def __repr__(self) -> str:
        return f"TextColumn{self.columns!r}"


@dataclass(frozen=True)
class RowRule:
    """The rows whose cell in `column` (stripped) contains a match of `pattern`, a regular
    expression: "^$" is an empty cell, "合計" any total."""

    column: str
    pattern: str

    def bind(self, header: list[str], format_name: str) -> Callable[[list[str]], bool]:
        at = column_index(header, self.column, format_name)
        search = re.compile(self.pattern).search
        return lambda row: search(row[at].strip() if at < len(row) else "") is not None


@dataclass(frozen=True)
class MonthColumn:
    """A column naming each line's statement month, written in `format`."""

    column: str
    format: str = "%Y-%m"

    def parse(self, value: str) -> Month | None:
        value = value.strip()
        if not value:
            return None
        parsed = datetime.strptime(value, self.format)
        return Month(parsed.year, parsed.month)


def column_index(header: list[str], column: str, format_name: str) -> int:
    """Where `column` is in the header (identify() has already checked it is there)."""
    try:
        return header.index(column)
    except ValueError:
        raise InvalidValue(
            _('{format_name}: the header has no column "{column}"').format(
                format_name=format_name, column=column
            )
        ) from None


def clean_header(header: list[str]) -> list[str]:
    """Header cells as formats compare them: stripped, without a byte-order mark."""
    return [cell.replace("\ufeff", "").strip() for cell in header]


def date_problem(line: int, column: str, value: str, fmt: str) -> RowProblem:
    message = Message(
        N_('row {line}: {column} "{value}" is not a date (expected {format})'),
        line=line, column=column, value=value, format=human_format(fmt),
    )  # fmt: skip
    return RowProblem(line, value, message)


def amount_problem(line: int, column: str, value: str, error: AmountError) -> RowProblem:
    message = Message(
        N_('row {line}: {column} "{value}" {error}'),
        line=line, column=column, value=value, error=Message(str(error)),
    )  # fmt: skip
    return RowProblem(line, value, message)


def width_problem(line: int, row: list[str], header: list[str], delimiter: str) -> RowProblem:
    """A row without the header's number of fields: cut off (a truncated download) or shifted."""
    raw = delimiter.join(row)
    if len(row) < len(header):
        message = Message(
            N_(
                "row {line}: only {fields} of the header's {columns} columns (\"{raw}\"); the "
                "row looks truncated"
            ),
            line=line, fields=len(row), columns=len(header), raw=raw,
        )  # fmt: skip
    else:
        message = Message(
            N_('row {line}: {fields} fields, but the header has {columns} columns ("{raw}")'),
            line=line, fields=len(row), columns=len(header), raw=raw,
        )  # fmt: skip
    return RowProblem(line, raw, message)


def is_blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


class ColumnMapFormat:
    """A format described by its columns; subclasses only declare attributes.

    `identify_by` lists further columns that must be in the header for `identify` (columns that
    tell this export apart from others with the same date/amount/description columns).
    `aliases` maps other spellings of a header cell to the name the map uses. Files with title
    lines above the header are read too: the header is found by its column names among the
    first records (after `skip_lines` physical lines, when given, it must be the next record).
    A file without a header names its columns in `header_names`; it is recognised by its
    `title` rule on the first record (otherwise only when the format is named).
    Rows matching a `skip_rows` rule are not entries (subtotals, a card holder's line); the
    first row matching the `footer` rule ends the entries (totals, notes). Every other row must
    have the header's number of fields: a row cut short is a problem, never half an entry.
    """

    name: str
    date: DateColumn
    amount: AmountColumn
    description: TextColumn
    statement: MonthColumn | None = None
    identify_by: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str = ","
    # What the file can belong to: a card statement of one issuer, or any account (None).
    account_kind: str | None = None
    issuer: str | None = None
    ref: str | None = None  # a column with the export's own line id (part of the dedup key)
    group: str | None = None  # a column naming the account of each line in a multi-account export
    aliases: Mapping[str, str] = MappingProxyType({})
    header_names: tuple[str, ...] = ()
    skip_lines: int = 0
    skip_rows: tuple[RowRule, ...] = ()
    footer: RowRule | None = None
    title: RowRule | None = None

    def columns(self) -> list[str]:
        """Every column this format reads or requires, in a stable order."""
        names = [self.date.column, *self.description.columns, *self.amount.columns()]
        if self.statement is not None:
            names.append(self.statement.column)
        names.extend(name for name in (self.ref, self.group) if name is not None)
        names.extend(self.identify_by)
        names.extend(rule.column for rule in self.skip_rows)
        if self.footer is not None:
            names.append(self.footer.column)
        return list(dict.fromkeys(names))

    @property
    def expected_header(self) -> str:
        return ", ".join(self.columns())

    def normalised(self, header: list[str]) -> list[str]:
        """The header with other spellings of its cells replaced by the names the map uses."""
        aliases = self.aliases
        return [aliases.get(cell, cell) for cell in header] if aliases else header

    def identify(self, header: list[str]) -> bool:
        if self.header_names:
            return False  # no header row to recognise: see find_header
        present = set(self.normalised(header))
        return all(column in present for column in self.columns())

    def find_header(
        self, records: Sequence[tuple[int, list[str]]], named: bool = False
    ) -> tuple[int, list[str]] | None:
        """(index in `records` where the rows start, the header) if the file fits, else None.
        `records` are the first (line, cells) records of the file; `named`: the user chose
        this format, so a file without a header and without a title rule is taken as is."""
        start = next((i for i, (line, _) in enumerate(records) if line > self.skip_lines), None)
        if start is None:
            return None
        if self.header_names:
            header = list(self.header_names)
            if self.title is None:
                return (start, header) if named else None
            fits = self.title.bind(header, self.name)(records[start][1])
            return (start, header) if fits else None
        searched = records[start : start + 1] if self.skip_lines else records[start:]
        for offset, (__, row) in enumerate(searched):
            header = clean_header(row)
            if self.identify(header):
                return start + offset + 1, header
        return None

    def extract(self, rows: Rows, header: list[str]) -> Extracted:
        header = self.normalised(header)
        name = self.name
        date_at = column_index(header, self.date.column, name)
        amount_at = column_index(header, self.amount.column, name)
        text_at = [column_index(header, column, name) for column in self.description.columns]
        statement = self.statement
        month_at = column_index(header, statement.column, name) if statement else -1
        ref_at = column_index(header, self.ref, name) if self.ref else -1
        group_at = column_index(header, self.group, name) if self.group else -1
        extras = ref_at >= 0 or group_at >= 0
        fields = len(header)
        # Amounts from more than one column, and rows checked against rules, are rare (a few
        # ready maps, short files): they take the slow path, keeping the common loop lean.
        simple = self.amount.subtract is None and self.amount.fallback is None
        skips = [rule.bind(header, name) for rule in self.skip_rows]
        footer = self.footer.bind(header, name) if self.footer is not None else None
        ended = False
        sign = -1 if self.amount.negate else 1
        sep = self.description.sep
        single = text_at[0] if len(text_at) == 1 else -1
        slow = _SlowPath(self, header, date_at, amount_at, month_at)

        entries: list[ImportedEntry] = []
        for line, row in rows:
            if footer is not None or skips:
                if ended or (footer is not None and footer(row)):
                    ended = True  # the rest are totals and notes (still read to the end)
                    continue
                if any(skip(row) for skip in skips):
                    continue
            try:  # the common row; anything unusual raises and takes the slow path
                if len(row) != fields or not simple:
                    raise IndexError
                day = slow.dates[row[date_at]]
                amount = int(row[amount_at])
                month = slow.months[row[month_at]] if statement else None
                if single >= 0:
                    text = row[single].strip()
                else:
                    text = sep.join(part for i in text_at if (part := row[i].strip()))
            except (KeyError, ValueError, IndexError):
                values = slow.read(line, row)
                if values is None:
                    continue
                day, amount, month = values
                text = sep.join(part for i in text_at if (part := row[i].strip()))
            if extras:
                ref = row[ref_at].strip() if ref_at >= 0 else ""
                group = row[group_at].strip() if group_at >= 0 else ""
                entries.append(ImportedEntry(line, day, sign * amount, text, month, ref, group))
            else:
                entries.append(ImportedEntry(line, day, sign * amount, text, month))
        return Extracted(entries, slow.problems)


class _SlowPath:
    """Reads the rows the fast loop could not: new dates (then cached), amounts with separators
    or from several columns, blank rows and rows without the header's number of fields, bad
    values (reported, every bad value of the row at once)."""

    def __init__(
        self,
        fmt: ColumnMapFormat,
        header: list[str],
        date_at: int,
        amount_at: int,
        month_at: int,
    ) -> None:
        self.fmt, self.header = fmt, header
        self.date_at, self.amount_at, self.month_at = date_at, amount_at, month_at
        subtract, fallback = fmt.amount.subtract, fmt.amount.fallback
        self.subtract_at = column_index(header, subtract, fmt.name) if subtract else -1
        self.fallback_at = column_index(header, fallback, fmt.name) if fallback else -1
        self.parse_date = fmt.date.parser()
        self.dates: dict[str, date] = {}  # a statement has few distinct dates: parse each once
        self.months: dict[str, Month | None] = {}
        self.problems: list[RowProblem] = []

    def read(self, line: int, row: list[str]) -> tuple[date, int, Month | None] | None:
        if is_blank(row):
            return None
        if len(row) != len(self.header):
            self.problems.append(width_problem(line, row, self.header, self.fmt.delimiter))
            return None
        fmt, found = self.fmt, []
        raw = row[self.date_at]
        try:
            day = self.dates[raw] = self.parse_date(raw)
        except ValueError:
            found.append(date_problem(line, fmt.date.column, raw, fmt.date.format))
        amount = self.amount(line, row, found)
        month = None
        if fmt.statement is not None:
            raw = row[self.month_at]
            try:
                month = self.months[raw] = fmt.statement.parse(raw)
            except ValueError:
                found.append(
                    RowProblem(
                        line,
                        raw,
                        Message(
                            N_('row {line}: {column} "{value}" is not a month (expected {format})'),
                            line=line,
                            column=fmt.statement.column,
                            value=raw,
                            format=human_format(fmt.statement.format),
                        ),  # fmt: skip
                    )
                )
        if found:
            self.problems.extend(found)
            return None
        assert amount is not None  # no problem found: it was read
        return day, amount, month

    def amount(self, line: int, row: list[str], found: list[RowProblem]) -> int | None:
        """The amount column, or its fallback where it is empty, less the subtracted column;
        an empty cell beside a subtracted amount counts as 0."""
        column, at = self.fmt.amount.column, self.amount_at
        raw = row[at]
        if not raw.strip() and self.fallback_at >= 0 and row[self.fallback_at].strip():
            column, at = self.fmt.amount.fallback or column, self.fallback_at
            raw = row[at]
        taken = row[self.subtract_at] if self.subtract_at >= 0 else ""
        try:
            amount = parse_amount(raw) if raw.strip() or not taken.strip() else 0
        except AmountError as error:
            found.append(amount_problem(line, column, raw, error))
            return None
        if taken.strip():
            try:
                amount -= parse_amount(taken)
            except AmountError as error:
                found.append(amount_problem(line, self.fmt.amount.subtract or "", taken, error))
                return None
        return amount
