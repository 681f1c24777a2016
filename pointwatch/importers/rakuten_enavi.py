"""Rakuten Card e-NAVI statement CSV (ご利用明細).

Headers seen in the wild (DESIGN.md §7), N being the payment month:
    利用日,利用店名・商品名,利用者,支払方法,利用金額,支払手数料,支払総額,{N}月支払金額,{N+1}月繰越残高,新規サイン
    利用日,利用店名・商品名,利用者,支払方法,利用金額,手数料/利息,支払総額,{N}月支払金額,当月請求額,{N+1}月繰越残高,新規サイン
and, in one public reader's test of a real layout, 利用店舗・商品名 for the shop column.
The amount is 利用金額 (the usage; refunds are negative there, while 支払総額 may be 0), so an
installment line (分割N回払い(M回目)) carries the whole purchase.

Quirks handled here rather than in the column map (DESIGN.md §7, from public readers checked
against real files, e.g. a reader whose comments describe nine real downloads):
- the year of the statement is not in the file: it is inferred from the latest 利用日 of the
  statement's own lines; a file of nothing but old installments (M of 2 or more) dates each
  from its M-th month, the month it is paid in;
- rows with an empty 利用日 are notes (the 現地利用額…変換レート… line under a foreign purchase)
  or continuations of the entry above (ETC lines spill the rest of their text onto the next
  row: an open-source peer joins them);
- a row whose 利用日 cell starts with "■" is a section heading; the lines after
  ■ご利用キャンセルなど are cancellations and refunds printed positive: they are credits;
- a provisional statement (速報, the current month before it is fixed) has a 支払月 column
  reading "{N}月" or "{N+1}月以降" (a line for a later statement); it is not a whole statement,
  so it proves no coverage. Its shop names carry the card route in front (マスター国内利用　MZZ ,
  ＶＩＳＡ国内利用　VS , 海外利用　１　) where the fixed statement prints the bare name (with
  利用国XXX behind a foreign one): the dedup key reads the bare name, so the fixed statement
  of the same month adds no second copy of a line.
"""

from __future__ import annotations

import re
from datetime import date
from types import MappingProxyType

from pointwatch.domain.dates import Month
from pointwatch.i18n import N_, Message
from pointwatch.importers.base import (
    AmountColumn,
    AmountError,
    ColumnMapFormat,
    DateColumn,
    Extracted,
    ImportedEntry,
    RowProblem,
    Rows,
    TextColumn,
    amount_problem,
    column_index,
    date_problem,
    is_blank,
    parse_amount,
    parse_ymd,
    width_problem,
)

_PAYMENT_MONTH = re.compile(r"(\d{1,2})月支払金額")
_PAID_IN = re.compile(r"(\d{1,2})月(?:以降)?")
_INSTALMENT = re.compile(r"分割\d+回払い[(（](\d+)回目[)）]")
# The card route in front of a provisional line's shop name, and the country behind a foreign
# one on the fixed statement (the route's code varies: MZZ, MYY, VS, QP, １).
_ROUTE = re.compile(r"^(?:\S+国内利用|海外利用)\s+[A-Z0-9０-９]{1,3}\s+")
_COUNTRY = re.compile(r"利用国[A-Z]{2,3}$")
# Notes under an entry that are not part of its description (foreign currency conversion).
_NOTE_PREFIXES = ("現地利用額",)
_SECTION_MARK = "■"
_CANCELLED = "キャンセル"  # in the heading ■ご利用キャンセルなど


def payment_month(header: list[str]) -> int | None:
    """N from the {N}月支払金額 column, or None when there is no such column."""
    for cell in header:
        match = _PAYMENT_MONTH.fullmatch(cell)
        if match and 1 <= (number := int(match[1])) <= 12:
            return number
    return None


def statement_for(latest: date, payment: int) -> Month:
    """The first month numbered `payment` on or after the month of the latest usage date
    (a line used in December and paid in January belongs to next year's statement)."""
    year = latest.year + 1 if latest.month > payment else latest.year
    return Month(year, payment)


def dedup_text(description: str) -> str | None:
    """The shop name as the fixed statement prints it, when `description` differs from it:
    without the provisional file's card route in front nor the country behind."""
    if "利用" not in description:
        return None
    bare = _COUNTRY.sub("", _ROUTE.sub("", description)).strip()
    return bare if bare and bare != description else None


def _later(cell: str, payment: int) -> int | None:
    """Months after the payment month that a 支払月 cell ("10月", "11月以降") names; an empty
    cell is the statement's own month; None when the cell is not a month."""
    cell = cell.strip()
    if not cell:
        return 0
    match = _PAID_IN.fullmatch(cell)
    if match is None or not 1 <= (month := int(match[1])) <= 12:
        return None
    return (month - payment) % 12


def _nth_instalment(method: str) -> int:
    """M of 分割N回払い(M回目); 0 for any other way of paying."""
    match = _INSTALMENT.fullmatch(method.strip())
    return int(match[1]) if match else 0


class RakutenEnavi(ColumnMapFormat):
    name = "rakuten-enavi"
    date = DateColumn("利用日", "%Y/%m/%d")
    description = TextColumn("利用店名・商品名")
    amount = AmountColumn("利用金額")
    identify_by = ("支払総額",)
    aliases = MappingProxyType({"利用店舗・商品名": "利用店名・商品名"})
    provisional_column = "支払月"
    method_column = "支払方法"
    account_kind = "card"
    issuer = "Rakuten Card"

    @property
    def expected_header(self) -> str:
        return f"{super().expected_header}, {{N}}月支払金額"

    def identify(self, header: list[str]) -> bool:
        return super().identify(header) and payment_month(header) is not None

    def extract(self, rows: Rows, header: list[str]) -> Extracted:
        header = self.normalised(header)
        payment = payment_month(header)
        if payment is None:  # identify() said yes, so only a direct caller gets here
            return Extracted([], [])
        date_col, amount_col = self.date.column, self.amount.column
        date_at = column_index(header, date_col, self.name)
        amount_at = column_index(header, amount_col, self.name)
        text_at = column_index(header, self.description.columns[0], self.name)
        method_at = header.index(self.method_column) if self.method_column in header else -1
        provisional = self.provisional_column in header
        paid_at = header.index(self.provisional_column) if provisional else -1
        fields = len(header)
        later_of: dict[str, int] = {f"{payment}月": 0}  # 支払月 cell -> months after N

        # (line, date, amount, description, months after N, M of an installment): entries are
        # built at the end, once the statement's year is known.
        found: list[tuple[int, date, int, str, int, int]] = []
        problems: list[RowProblem] = []
        dates: dict[str, date] = {}  # a statement has few distinct dates: parse each once
        joinable = False  # the row just above was an entry: a continuation may follow
        cancelled = False  # below the ■ご利用キャンセルなど heading
        latest = date.min  # of the statement's own lines, not old installments
        for line, row in rows:
            try:  # the common row; anything unusual raises and takes the slow path below
                if len(row) != fields:
                    raise IndexError
                day = dates[row[date_at]]
                amount = int(row[amount_at])
                later = later_of[row[paid_at].strip()] if provisional else 0
            except (KeyError, ValueError, IndexError):
                if is_blank(row):
                    joinable = False
                    continue
                raw_date = row[date_at].strip() if date_at < len(row) else ""
                if raw_date.startswith(_SECTION_MARK):
                    joinable, cancelled = False, _CANCELLED in raw_date
                    continue
                if len(row) != fields:
                    problems.append(width_problem(line, row, header, self.delimiter))
                    joinable = False
                    continue
                if not raw_date:  # a note, or the rest of the entry above
                    text = row[text_at].strip()
                    if (
                        joinable
                        and text
                        and not row[amount_at].strip()
                        and not text.startswith(_NOTE_PREFIXES)
                    ):
                        at, day, amount, above, later, nth = found[-1]
                        found[-1] = (at, day, amount, f"{above} {text}".lstrip(), later, nth)
                    else:
                        joinable = False
                    continue
                bad: list[RowProblem] = []
                try:
                    day = dates[row[date_at]] = parse_ymd(raw_date)
                except ValueError:
                    bad.append(date_problem(line, date_col, row[date_at], self.date.format))
                try:
                    amount = parse_amount(row[amount_at])
                except AmountError as error:
                    bad.append(amount_problem(line, amount_col, row[amount_at], error))
                later = 0
                if provisional:
                    cell = row[paid_at]
                    known = _later(cell, payment)
                    if known is None:
                        bad.append(
                            RowProblem(
                                line,
                                cell,
                                Message(
                                    N_(
                                        'row {line}: {column} "{value}" is not a payment month '
                                        '(expected "{month}月" or "{next}月以降")'
                                    ),
                                    line=line,
                                    column=self.provisional_column,
                                    value=cell,
                                    month=payment,
                                    next=payment % 12 + 1,
                                ),  # fmt: skip
                            )
                        )
                    else:
                        later = later_of[cell.strip()] = known
                if bad:
                    problems.extend(bad)
                    joinable = False
                    continue
            nth = 0
            if method_at >= 0 and row[method_at].startswith("分割"):
                nth = _nth_instalment(row[method_at])
            if cancelled:
                amount = -abs(amount)  # printed positive, but a credit
            elif later == 0 and nth <= 1 and day > latest:
                latest = day
            found.append((line, day, amount, row[text_at].strip(), later, nth))
            joinable = True

        statement = _statement(found, payment, latest)
        months: dict[int, Month | None] = {0: statement}
        entries: list[ImportedEntry] = []
        append = entries.append
        for line, day, amount, text, later, _ in found:
            month = statement
            if later:
                month = months.get(later)
                if later not in months:
                    month = months[later] = statement.plus(later) if statement else None
            # (the test dedup_text starts with, inline: it runs for every line)
            if "利用" in text and (key := dedup_text(text)) is not None:
                append(ImportedEntry(line, day, amount, text, month, key_text=key))
            else:
                append(ImportedEntry(line, day, amount, text, month))
        if provisional:
            return Extracted(entries, problems, provisional=statement)
        return Extracted(entries, problems, statement)


def _statement(
    found: list[tuple[int, date, int, str, int, int]], payment: int, latest: date
) -> Month | None:
    """Statement N of a file: from the latest usage date of its own lines (`latest`); failing
    those, of its lines for later statements, of its cancellations, or — in a file of nothing
    but old installments — of the month each installment is paid in (its date plus M-1)."""
    anchor, later = latest, 0
    if anchor == date.min:
        candidates = [(day, later) for _, day, _, _, later, nth in found if nth <= 1]
        if not candidates:
            candidates = [
                (Month.of(day).plus(nth - 1).day(day.day), later)
                for _, day, _, _, later, nth in found
            ]
        if not candidates:
            return None
        anchor, later = max(candidates)
    try:
        return statement_for(anchor, Month(2000, payment).plus(later).month).plus(-later)
    except ValueError:  # a date at the edge of the calendar: no statement
        return None
