"""MoneyForward ME export (入出金明細): CP932, expenses negative (DESIGN.md §7).

    計算対象,日付,内容,金額（円）,保有金融機関,大項目,中項目,メモ,振替,ID

Rows excluded from MoneyForward's own totals (計算対象 = 0) and transfers (振替 = 1) are still
real lines of the account, so they are kept. One export lists every institution (保有金融機関)
the user linked: each line carries its institution as its `group`, and the import keeps the
lines of the account's one. The ID column is MoneyForward's own id of the line: it is part of
the dedup key (two identical purchases on one day stay two, whatever else the file holds).
A public reader's test file spells the amount column 金額(円), with ASCII parentheses.
"""

from __future__ import annotations

from types import MappingProxyType

from pointwatch.importers.base import AmountColumn, ColumnMapFormat, DateColumn, TextColumn


class MoneyForward(ColumnMapFormat):
    name = "moneyforward"
    date = DateColumn("日付", "%Y/%m/%d")
    description = TextColumn("内容")
    amount = AmountColumn("金額（円）")
    group = "保有金融機関"
    ref = "ID"
    identify_by = ("計算対象", "振替")
    aliases = MappingProxyType({"金額(円)": "金額（円）"})
    # Money going out is negative; on a card that is a charge, which cards print positive.
    outflow_negative = True
