"""Ready column maps for card statements whose exports put title lines above the header and
totals below the rows. Each names where its description of the format comes from: public
reader projects (their own test files and comments describe real downloads); none of these
issuers publishes its CSV layout. None of them is a whole-statement reader: these files record
entries, never coverage.
"""

from __future__ import annotations

from types import MappingProxyType

from pointwatch.importers.base import (
    AmountColumn,
    ColumnMapFormat,
    DateColumn,
    RowRule,
    TextColumn,
)

_CARD_NUMBER = r"^[0-9*]{4}-[0-9*]{4}-[0-9*]{4}-[0-9*]{3,4}$"


class SmbcVpass(ColumnMapFormat):
    """SMBC (Mitsui Sumitomo Card) Vpass, the fixed statement (明細確定後) — also the Amazon
    Mastercard, which Vpass serves. No header row: a title line "NAME 様,card number,card name"
    above each card's block, rows "date,shop,amount,支払区分,回数,this month's payment,note",
    totals ",,,,,total" at the end. A fee can have its amount only in the sixth column.
    Sources: github.com/kosukeohmura/vpass-csv-converter (README: "Fixed format"), the Vpass
    section of HAYASI Hideki's csv2ofx.ini (head=,cardnumber,cardname;
    body=date,description,amount,,,commission,memo; CP932), and
    github.com/sugumura/smart-trade-for-yayoi functions/vpass.rb (amount: column 3, else 6;
    rows without a date, such as ＷＥＢ明細書年会費割引, skipped — they cannot be dated).
    """

    name = "smbc-vpass"
    header_names = ("利用日", "利用店名", "利用金額", "支払区分", "回数", "当月支払額", "備考")
    date = DateColumn("利用日", "%Y/%m/%d")
    description = TextColumn("利用店名")
    amount = AmountColumn("利用金額", fallback="当月支払額")
    title = RowRule("利用日", r"様\s*$")  # the card holder's name in the first cell
    skip_rows = (RowRule("利用店名", _CARD_NUMBER), RowRule("利用日", "^$"))  # titles, totals
    account_kind = "card"
    issuer = "Sumitomo Mitsui Card"


class JcbMyjcb(ColumnMapFormat):
    """JCB MyJCB ご利用明細: summary lines ("","","今回のお支払日","2026/07/10"), a "【ご利用明細】"
    line, then the header below; dates may carry a leading space (" 2026/05/21"); CP932.
    Sources (public readers found by code search; the index does not name all repositories):
    the Java meisaicsv project (co.m11.meisaicsv ParserSevenCard: finds the header by
    "ご利用者","カテゴリ"), a TypeScript jcbParser test built on "実CSVの構成（冒頭サマリー行＋
    明細セクション）", a Go reader quoting a real row, a PowerShell generator writing CP932."""

    name = "jcb-myjcb"
    date = DateColumn("ご利用日", "%Y/%m/%d")
    description = TextColumn("ご利用先など")
    amount = AmountColumn("ご利用金額(￥)")
    identify_by = ("ご利用者", "カテゴリ", "支払区分")
    account_kind = "card"
    issuer = "JCB"


_EPOS_KIND = "種別（ショッピング、キャッシング、その他）"


class EposNet(ColumnMapFormat):
    """Epos Net (エポスカード) ご利用明細, in its two shapes: 月別ご利用明細 (a title line above the
    header, amount column ご利用金額（キャッシングでは元金になります）, rows "ショッピング合計" and
    "※…" notes below) and the billing one (ご利用金額 and お支払金額, a "お支払合計額" row last).
    Dates are written 2026年1月1日; Shift_JIS. Sources (public readers found by code search; the
    index does not name all repositories): a TypeScript eposParser test built on "実CSVの構成
    （ヘッダー＋明細＋末尾の合計行）", an eposAdapter test with the 月別ご利用明細 line, a Go YNAB
    converter checking the billing header, a PHP importer reading SJIS-win and skipping
    お支払合計額."""

    name = "epos-net"
    date = DateColumn("ご利用年月日", "%Y年%m月%d日")
    description = TextColumn("ご利用場所")
    amount = AmountColumn("ご利用金額")
    identify_by = (_EPOS_KIND, "ご利用内容", "支払区分")
    aliases = MappingProxyType({"ご利用金額（キャッシングでは元金になります）": "ご利用金額"})
    skip_rows = (RowRule(_EPOS_KIND, "合計|^※"),)
    account_kind = "card"
    issuer = "Epos Card"


class ViewCard(ColumnMapFormat):
    """JR East View card (ビューカード; the Lumine card prints the same): 会員番号 / 対象カード /
    お支払日 / 今回お支払金額 lines and a blank line above the header, a card holder line
    ("****-****-****-1234 NAME") below it; refunds in 払戻額 beside ご利用額. Shift_JIS.
    Sources: github.com/yukihiko-shinoda/zaim-csv-converter tests/testresources
    (view_card202005.csv) and public readers' notes on the Lumine card's download."""

    name = "view-card"
    date = DateColumn("ご利用年月日", "%Y/%m/%d")
    description = TextColumn("ご利用箇所")
    amount = AmountColumn("ご利用額", subtract="払戻額")
    identify_by = ("ご請求額（うち手数料・利息）", "支払区分（回数）")
    skip_rows = (RowRule("ご利用年月日", r"^[0-9*]{4}-[0-9*]{4}-"),)
    account_kind = "card"
    issuer = "View Card"
