"""Rakuten Card e-NAVI statement CSV (ご利用明細).

Headers seen in the wild (DESIGN.md §7), N being the payment month:
    利用日,利用店名・商品名,利用者,支払方法,利用金額,支払手数料,支払総額,{N}月支払金額,{N+1}月繰越残高,新規サイン
    利用日,利用店名・商品名,利用者,支払方法,利用金額,手数料/利息,支払総額,{N}月支払金額,当月請求額,{N+1}月繰越残高,新規サイン
The amount is 利用金額 (the usage; refunds are negative there, while 支払総額 may be 0), so an
installment line (分割N回払い(M回目)) carries the whole purchase.

Quirks handled here rather than in the column map:
- the year of the statement is not in the file: it is inferred from the latest 利用日;
- rows with an empty 利用日 are notes (the 現地利用額…変換レート… line under a foreign purchase)
  or continuations of the entry above (ETC lines spill the rest of their text onto the next
  row: an open-source peer joins them);
- a row whose 利用日 cell starts with "■" is a section heading (■ご利用キャンセルなど);
- a provisional statement (the current month, before it is fixed) has a 支払月 column reading
  "{N}月" or "{N+1}月以降"; it is not a whole statement, so it proves no coverage.
  (Described by an open-source e-NAVI reader, not in DESIGN.md; handled defensively.)
"""

from __future__ import annotations

import re
from datetime import date

from pointwatch.domain.dates import Month
from pointwatch.importers.base import (
    AmountColumn,
    AmountError,
    ColumnMapFormat,
    DateColumn,
    ImportedEntry,
    RowProblem,
    Rows,
    TextColumn,
    amount_problem,
    column_index,
    date_problem,
    parse_amount,
    parse_ymd,
    truncated_problem,
)

_PAYMENT_MONTH = re.compile(r"(\d{1,2})月支払金額")
# Notes under an entry that are not part of its description (foreign currency conversion).
_NOTE_PREFIXES = ("現地利用額",)
_SECTION_MARK = "■"


def _cell(row: list[str], at: int) -> str:
    return row[at].strip() if at < len(row) else ""


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


class RakutenEnavi(ColumnMapFormat):
    name = "rakuten-enavi"
    date = DateColumn("利用日", "%Y/%m/%d")
    description = TextColumn("利用店名・商品名")
    amount = AmountColumn("利用金額")
    identify_by = ("支払総額",)
    provisional_column = "支払月"
    account_kind = "card"
    issuer = "Rakuten Card"

    @property
    def expected_header(self) -> str:
        return f"{super().expected_header}, {{N}}月支払金額"

    def identify(self, header: list[str]) -> bool:
        return super().identify(header) and payment_month(header) is not None

    def extract(
        self, rows: Rows, header: list[str]
    ) -> tuple[list[ImportedEntry], list[RowProblem], Month | None]:
        payment = payment_month(header)
        if payment is None:  # identify() said yes, so only a direct caller gets here
            return [], [], None
        date_col, amount_col = self.date.column, self.amount.column
        date_at = column_index(header, date_col, self.name)
        amount_at = column_index(header, amount_col, self.name)
        text_at = column_index(header, self.description.columns[0], self.name)
        provisional = self.provisional_column in header
        paid_at = header.index(self.provisional_column) if provisional else -1
        this_statement = f"{payment}月"
        width = max(date_at, amount_at, text_at, paid_at) + 1

        # (line, date, amount, description, belongs to this statement): entries are built at the
        # end, once the statement's year is known.
        found: list[tuple[int, date, int, str, bool]] = []
        problems: list[RowProblem] = []
        dates: dict[str, date] = {}  # a statement has few distinct dates: parse each once
        joinable = False  # the row just above was an entry: a continuation may follow
        latest = date.min
        for line, row in rows:
            try:  # the common row; anything unusual raises and takes the slow path below
                day = dates[row[date_at]]
                amount = int(row[amount_at])
                text = row[text_at].strip()
                mine = row[paid_at].strip() == this_statement if provisional else True
            except (KeyError, ValueError, IndexError):
                raw_date = row[date_at].strip() if date_at < len(row) else ""
                if not raw_date:  # a note, or the rest of the entry above
                    text = _cell(row, text_at)
                    if (
                        joinable
                        and text
                        and not _cell(row, amount_at)
                        and not text.startswith(_NOTE_PREFIXES)
                    ):
                        at, day, amount, above, mine = found[-1]
                        found[-1] = (at, day, amount, f"{above} {text}".lstrip(), mine)
                    else:
                        joinable = False
                    continue
                joinable = False
                if raw_date.startswith(_SECTION_MARK):
                    continue
                if len(row) < width:
                    problems.append(truncated_problem(line, row, header, self.delimiter))
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
                if bad:
                    problems.extend(bad)
                    continue
                text = row[text_at].strip()
                mine = row[paid_at].strip() == this_statement if provisional else True
            found.append((line, day, amount, text, mine))
            joinable = True
            if mine and day > latest:
                latest = day

        statement = None
        if latest > date.min:
            try:
                statement = statement_for(latest, payment)
            except ValueError:  # a date at the edge of the calendar: no statement
                statement = None
        entries = [
            ImportedEntry(line, day, amount, text, statement if mine else None)
            for line, day, amount, text, mine in found
        ]
        return entries, problems, None if provisional else statement
