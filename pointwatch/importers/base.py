"""What every importer yields, and the declarative column specs formats are written in.

A format is a small object with a `name`, `identify(header)` and `extract(rows, header)` (the
protocol of beangulp's importers). Most formats are a column map: subclass `ColumnMapFormat` and
declare which column holds the date, the amount and the description. Problems in rows are
returned as values (`RowProblem`), never raised, so one run reports every bad row at once.

Importers never touch storage, never print and never read the clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from pointwatch.domain.dates import Month
from pointwatch.errors import InvalidValue

# (1-based physical line number where the record starts, its cells)
Rows = Iterable[tuple[int, list[str]]]


@dataclass(frozen=True, slots=True)
class ImportedEntry:
    """One line of a statement or point history, as printed in the file."""

    row: int  # 1-based physical line number in the file (the header is line 1)
    date: date
    amount: int  # signed as printed: card charges positive, credits negative; points added positive
    description: str
    statement: Month | None  # the statement (payment month) the line belongs to, when the file says


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that could not be read; the caller decides to abort or to skip it."""

    row: int
    value: str  # the offending value, or the raw row for a truncated row
    message: str  # a full sentence starting with "row N: "


@dataclass(frozen=True)
class ParsedFile:
    """A whole file read by one format."""

    format: str
    entries: list[ImportedEntry]
    problems: list[RowProblem]
    statement: Month | None  # set when the file is one whole statement (it proves coverage)
    encoding: str


class CsvFormat(Protocol):
    """A file format. Optional attributes `parse_file` also reads when present:
    `encoding` (str | None: decode with this instead of UTF-8/CP932), `delimiter` (str) and
    `expected_header` (str: the columns named in "does not look like" errors)."""

    name: str

    def identify(self, header: list[str]) -> bool:
        """Whether a header row (cells stripped) belongs to this format."""
        ...

    def extract(
        self, rows: Rows, header: list[str]
    ) -> tuple[list[ImportedEntry], list[RowProblem], Month | None]:
        """Entries, bad rows, and the statement the whole file covers (None if not one)."""
        ...


def dedup_keys(account: str, entries: Sequence[ImportedEntry]) -> list[str]:
    """A stable key per entry: the same line of the same account always gets the same key.

    The Nth identical (date, amount, description) within the list gets occurrence N, so two
    identical real purchases in one file stay two entries, while re-importing the file or an
    overlapping download of whole days yields the same keys again.
    """
    return list(iter_dedup_keys(account, entries))


def iter_dedup_keys(account: str, entries: Iterable[ImportedEntry]) -> Iterator[str]:
    """dedup_keys one at a time (an import streams them into its insert instead of holding
    100,000 keys). The key text is account, ISO date, amount, description and occurrence joined
    by U+001F, hashed with BLAKE2b-160: stored keys depend on it, so it must never change."""
    blake2b = hashlib.blake2b
    seen: dict[tuple[date, int, str], int] = {}
    iso: dict[date, str] = {}  # a statement has few distinct dates: format each once
    for entry in entries:
        day, amount, description = entry.date, entry.amount, entry.description
        same = (day, amount, description)
        occurrence = seen[same] = seen.get(same, 0) + 1
        when = iso.get(day)
        if when is None:
            when = iso[day] = day.isoformat()
        text = f"{account}\x1f{when}\x1f{amount}\x1f{description}\x1f{occurrence}"
        yield blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


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
        raise AmountError("has a fraction (amounts are whole numbers)")
    try:
        return int(cleaned)
    except ValueError:
        raise AmountError("is not an amount (expected a whole number like 1,234 or -500)") from None


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
    """The column holding the signed amount; `negate` flips the file's sign."""

    column: str
    negate: bool = False


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
        raise InvalidValue(f'{format_name}: the header has no column "{column}"') from None


def date_problem(line: int, column: str, value: str, fmt: str) -> RowProblem:
    return RowProblem(
        line, value, f'row {line}: {column} "{value}" is not a date (expected {human_format(fmt)})'
    )


def amount_problem(line: int, column: str, value: str, error: AmountError) -> RowProblem:
    return RowProblem(line, value, f'row {line}: {column} "{value}" {error}')


def truncated_problem(line: int, row: list[str], header: list[str], delimiter: str) -> RowProblem:
    raw = delimiter.join(row)
    return RowProblem(
        line,
        raw,
        f'row {line}: only {len(row)} of the header\'s {len(header)} columns ("{raw}"); '
        "the row looks truncated",
    )


def is_blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


class ColumnMapFormat:
    """A format described by its columns; subclasses only declare attributes.

    `identify_by` lists further columns that must be in the header for `identify` (columns that
    tell this export apart from others with the same date/amount/description columns).
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

    def columns(self) -> list[str]:
        """Every column this format reads or requires, in a stable order."""
        names = [self.date.column, *self.description.columns, self.amount.column]
        if self.statement is not None:
            names.append(self.statement.column)
        names.extend(self.identify_by)
        return list(dict.fromkeys(names))

    @property
    def expected_header(self) -> str:
        return ", ".join(self.columns())

    def identify(self, header: list[str]) -> bool:
        present = set(header)
        return all(column in present for column in self.columns())

    def extract(
        self, rows: Rows, header: list[str]
    ) -> tuple[list[ImportedEntry], list[RowProblem], Month | None]:
        name = self.name
        date_at = column_index(header, self.date.column, name)
        amount_at = column_index(header, self.amount.column, name)
        text_at = [column_index(header, column, name) for column in self.description.columns]
        statement = self.statement
        month_at = column_index(header, statement.column, name) if statement else -1
        width = max(date_at, amount_at, month_at, *text_at) + 1
        sign = -1 if self.amount.negate else 1
        sep = self.description.sep
        single = text_at[0] if len(text_at) == 1 else -1
        slow = _SlowPath(self, header, date_at, amount_at, month_at, width)

        entries: list[ImportedEntry] = []
        for line, row in rows:
            try:  # the common row; anything unusual raises and takes the slow path
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
            entries.append(ImportedEntry(line, day, sign * amount, text, month))
        return entries, slow.problems, None


class _SlowPath:
    """Reads the rows the fast loop could not: new dates (then cached), amounts with separators,
    blank and truncated rows, bad values (reported, every bad value of the row at once)."""

    def __init__(
        self,
        fmt: ColumnMapFormat,
        header: list[str],
        date_at: int,
        amount_at: int,
        month_at: int,
        width: int,
    ) -> None:
        self.fmt, self.header, self.width = fmt, header, width
        self.date_at, self.amount_at, self.month_at = date_at, amount_at, month_at
        self.parse_date = fmt.date.parser()
        self.dates: dict[str, date] = {}  # a statement has few distinct dates: parse each once
        self.months: dict[str, Month | None] = {}
        self.problems: list[RowProblem] = []

    def read(self, line: int, row: list[str]) -> tuple[date, int, Month | None] | None:
        if is_blank(row):
            return None
        if len(row) < self.width:
            self.problems.append(truncated_problem(line, row, self.header, self.fmt.delimiter))
            return None
        fmt, found = self.fmt, []
        raw = row[self.date_at]
        try:
            day = self.dates[raw] = self.parse_date(raw)
        except ValueError:
            found.append(date_problem(line, fmt.date.column, raw, fmt.date.format))
        raw = row[self.amount_at]
        try:
            amount = parse_amount(raw)
        except AmountError as error:
            found.append(amount_problem(line, fmt.amount.column, raw, error))
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
                        f'row {line}: {fmt.statement.column} "{raw}" is not a month '
                        f"(expected {human_format(fmt.statement.format)})",
                    )
                )
        if found:
            self.problems.extend(found)
            return None
        return day, amount, month
