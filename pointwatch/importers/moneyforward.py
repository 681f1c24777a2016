"""MoneyForward ME export (入出金明細): CP932, expenses negative (DESIGN.md §7).

    計算対象,日付,内容,金額（円）,保有金融機関,大項目,中項目,メモ,振替,ID

Rows excluded from MoneyForward's own totals (計算対象 = 0) and transfers (振替 = 1) are still
real lines of the account, so they are kept. One export may hold several institutions
(保有金融機関); the caller imports it into one account.
"""

from __future__ import annotations

from pointwatch.importers.base import AmountColumn, ColumnMapFormat, DateColumn, TextColumn


class MoneyForward(ColumnMapFormat):
    name = "moneyforward"
    date = DateColumn("日付", "%Y/%m/%d")
    description = TextColumn("内容")
    amount = AmountColumn("金額（円）")
    identify_by = ("計算対象", "保有金融機関", "振替", "ID")
    # Money going out is negative; on a card that is a charge, which cards print positive.
    outflow_negative = True
