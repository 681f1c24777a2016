"""Statement and point-history CSV imports, through the public API of pointwatch.importers."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

import pytest

from pointwatch.domain.dates import Month
from pointwatch.errors import InvalidValue
from pointwatch.importers import (
    ImportedEntry,
    dedup_keys,
    formats_from_config,
    parse_file,
)

DATA = Path(__file__).parent / "data"

ENAVI_HEADER = (
    "利用日,利用店名・商品名,利用者,支払方法,利用金額,支払手数料,支払総額,"
    "{n}月支払金額,{m}月繰越残高,新規サイン"
)
MY_BANK = {
    "date": {"column": "Date", "format": "%Y-%m-%d"},
    "amount": {"column": "Amount"},
    "description": {"column": ["Description", "Memo"]},
    "statement": {"column": "Statement", "format": "%Y-%m"},
}


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def enavi(tmp_path: Path, payment: int, *lines: str, encoding: str = "utf-8") -> Path:
    """An e-NAVI file paid in month `payment`; lines are the 10 columns after the header."""
    header = ENAVI_HEADER.format(n=payment, m=payment % 12 + 1)
    return write(tmp_path, "enavi.csv", "\r\n".join([header, *lines]) + "\r\n", encoding)


def rows(parsed) -> list[tuple[int, date, int, str]]:
    return [(e.row, e.date, e.amount, e.description) for e in parsed.entries]


# --- Rakuten e-NAVI ---------------------------------------------------------------------------

ENAVI_2026_02 = [
    (2, date(2026, 1, 5), 3980, "ＡＭＡＺＯＮ．ＣＯ．ＪＰ"),
    (3, date(2026, 1, 12), 1512, "ＥＸＡＭＰＬＥ　ＳＯＦＴＷＡＲＥ利用国USA"),
    (5, date(2026, 1, 18), 1320, "首都高速道路 東京料金所－横浜公園"),
    (7, date(2026, 1, 20), 29700, "ヨドバシカメラ"),
    (8, date(2026, 1, 25), -2480, "楽天市場　返品"),
]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("rakuten_enavi_2026-02.csv", "cp932"), ("rakuten_enavi_2026-02_utf8bom.csv", "utf-8-sig")],
)
def test_enavi_statement_in_both_encodings(name: str, encoding: str) -> None:
    parsed = parse_file(DATA / name)

    assert parsed.format == "rakuten-enavi"
    assert parsed.encoding == encoding
    assert parsed.problems == []
    # the exchange-rate note (line 4) is skipped, the ETC continuation (line 6) is joined,
    # the installment keeps its whole 利用金額, the refund is negative
    assert rows(parsed) == ENAVI_2026_02
    assert parsed.statement == Month(2026, 2)
    assert {e.statement for e in parsed.entries} == {Month(2026, 2)}


def test_enavi_second_header_shape_with_annual_fee() -> None:
    parsed = parse_file(DATA / "rakuten_enavi_2027-02_fee.csv")

    assert parsed.format == "rakuten-enavi"
    assert parsed.statement == Month(2027, 2)
    assert parsed.entries[0] == ImportedEntry(
        2, date(2027, 1, 1), 11000, "楽天プレミアムカード年会費", Month(2027, 2)
    )
    assert [e.amount for e in parsed.entries] == [11000, 1960, 54800]  # リボ変更 kept as used


def test_enavi_december_lines_belong_to_next_years_january_statement() -> None:
    parsed = parse_file(DATA / "rakuten_enavi_2026-01_december.csv")

    assert parsed.encoding == "cp932"
    assert parsed.statement == Month(2026, 1)
    assert [str(e.statement) for e in parsed.entries] == ["2026-01"] * 3
    assert parsed.entries[1].description == "ｲｵﾝﾓｰﾙ"


@pytest.mark.parametrize(
    ("payment", "latest", "statement"),
    [
        (12, "2025/11/30", Month(2025, 12)),
        (1, "2025/12/31", Month(2026, 1)),
        (2, "2026/01/31", Month(2026, 2)),
        (2, "2026/02/05", Month(2026, 2)),  # a line dated in the payment month itself
        (1, "2025/01/10", Month(2025, 1)),
    ],
)
def test_enavi_statement_year_is_inferred_from_the_latest_usage(
    tmp_path: Path, payment: int, latest: str, statement: Month
) -> None:
    path = enavi(
        tmp_path,
        payment,
        "2024/12/01,古い分割,本人,分割6回払い(6回目),600,0,600,100,0,",
        f"{latest},最新の利用,本人,1回払い,100,0,100,100,0,*",
    )

    assert parse_file(path).statement == statement


def test_enavi_notes_headings_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = enavi(
        tmp_path,
        2,
        '"2026/01/12","ＳＴＥＡＭ利用国USA","本人","1回払い","1500","0","1500","1500","0","*"',
        '"","現地利用額　９．９９ＵＳＤ　変換レート　１５０．１５","","","","","","","",""',
        "",
        '"","","","","","","","","",""',
        '"■ご利用キャンセルなど","","","","","","","","",""',
        '"2026/01/20","ＳＴＥＡＭ利用国USA","本人","1回払い","-1500","0","0","-1500","0",""',
    )

    parsed = parse_file(path)

    assert parsed.problems == []
    assert rows(parsed) == [
        (2, date(2026, 1, 12), 1500, "ＳＴＥＡＭ利用国USA"),
        (7, date(2026, 1, 20), -1500, "ＳＴＥＡＭ利用国USA"),
    ]


def test_enavi_continuation_joins_only_onto_the_entry_right_above(tmp_path: Path) -> None:
    path = enavi(
        tmp_path,
        2,
        "2026/01/18,首都高速道路,ETC,1回払い,1320,0,1320,1320,0,*",
        ",東京料金所,,,,,,,,",
        ",－横浜公園,,,,,,,,",
        ",note with an amount,,,99,,,,,",
        ",orphan text after a note,,,,,,,,",
    )

    parsed = parse_file(path)

    assert rows(parsed) == [(2, date(2026, 1, 18), 1320, "首都高速道路 東京料金所 －横浜公園")]
    assert parsed.problems == []


def test_enavi_provisional_statement_proves_no_coverage(tmp_path: Path) -> None:
    # the current month's statement, before it is fixed, carries a 支払月 column
    header = (
        "利用日,利用店名・商品名,利用者,支払方法,利用金額,手数料/利息,支払総額,支払月,"
        "10月支払金額,当月請求額,11月繰越残高,11月以降請求額"
    )
    path = write(
        tmp_path,
        "provisional.csv",
        "\n".join(
            [
                header,
                "2026/09/20,店A,本人,1回払い,1000,0,1000,10月,1000,1000,0,0",
                "2026/10/02,店B,本人,1回払い,2000,0,2000,11月以降,0,0,2000,2000",
            ]
        ),
    )

    parsed = parse_file(path)

    assert parsed.format == "rakuten-enavi"
    assert parsed.statement is None and parsed.provisional == Month(2026, 10)
    # a line marked "11月以降" belongs to a later statement, not to October's
    assert [e.statement for e in parsed.entries] == [Month(2026, 10), Month(2026, 11)]


def test_enavi_bad_rows_are_reported_with_line_and_value() -> None:
    parsed = parse_file(DATA / "rakuten_enavi_bad_rows.csv")

    assert [(p.row, p.value) for p in parsed.problems] == [
        (3, "2023/02/30"),
        (4, "12.5"),
        (5, "2023/02/11,マツモトキヨシ,本人"),
    ]
    assert parsed.problems[0].message == (
        'row 3: 利用日 "2023/02/30" is not a date (expected YYYY/MM/DD)'
    )
    assert "row 4" in parsed.problems[1].message and "fraction" in parsed.problems[1].message
    assert "row 5" in parsed.problems[2].message and "truncated" in parsed.problems[2].message
    # the good rows are still there; "1,280" is a thousands separator, not a problem
    assert rows(parsed) == [
        (2, date(2023, 2, 3), 540, "セブン－イレブン"),
        (6, date(2023, 2, 20), 1280, "ローソン"),
    ]
    assert parsed.statement == Month(2023, 3)


def test_row_numbers_count_physical_lines_of_multiline_fields(tmp_path: Path) -> None:
    path = enavi(
        tmp_path,
        2,
        '"2026/01/05","店名が\n二行","本人","1回払い","100","0","100","100","0","*"',
        '"2026/01/06","ローソン","本人","1回払い","abc","0","100","100","0","*"',
    )

    parsed = parse_file(path)

    assert parsed.entries[0].row == 2
    assert parsed.entries[0].description == "店名が\n二行"
    assert [(p.row, p.value) for p in parsed.problems] == [(4, "abc")]


PROVISIONAL_HEADER = (
    "利用日,利用店名・商品名,利用者,支払方法,利用金額,手数料/利息,支払総額,支払月,"
    "{n}月支払金額,当月請求額,{m}月繰越残高,{m}月以降請求額"
)


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig"])
def test_enavi_cancellations_are_credits(tmp_path: Path, encoding: str) -> None:
    # e-NAVI prints the lines below ■ご利用キャンセルなど positive; they are refunds
    path = enavi(
        tmp_path,
        2,
        '"2026/01/05","ＡＭＡＺＯＮ．ＣＯ．ＪＰ","本人","1回払い","3980","0","3980","3980","0","*"',
        '"2026/01/10","楽天プレミアムカード年会費","本人","1回払い","11000","0","11000","11000","0",""',
        '"","","","","","","","","",""',
        '"■ご利用キャンセルなど","","","","","","","","",""',
        '"2026/01/07","ＡＭＡＺＯＮ．ＣＯ．ＪＰ","本人","1回払い","3980","0","0","-3980","0",""',
        '"2026/01/10","楽天プレミアムカード年会費","本人","1回払い","11000","0","0","0","0",""',
        encoding=encoding,
    )

    parsed = parse_file(path)

    assert parsed.encoding == encoding and parsed.problems == []
    assert [e.amount for e in parsed.entries] == [3980, 11000, -3980, -11000]
    assert sum(e.amount for e in parsed.entries) == 0  # the purchase and the fee are undone
    assert parsed.statement == Month(2026, 2)


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig"])
def test_enavi_provisional_file_previews_and_keys_lines_like_the_final_one(
    tmp_path: Path, encoding: str
) -> None:
    provisional = write(
        tmp_path,
        "sokuhou.csv",
        "\r\n".join(
            [
                PROVISIONAL_HEADER.format(n=2, m=3),
                '"2026/01/05","マスター国内利用　MZZ ＡＭＡＺＯＮ．ＣＯ．ＪＰ","本人","1回払い",'
                '"3980","0","3980","2月","3980","3980","0","0"',
                '"2026/01/12","海外利用　１　ＥＸＡＭＰＬＥ　ＳＯＦＴＷＡＲＥ","本人","1回払い",'
                '"1512","0","1512","2月","1512","1512","0","0"',
                '"2026/01/20","ＶＩＳＡ国内利用　VS ローソン","本人","1回払い",'
                '"500","0","500","2月","500","500","0","0"',
                '"2026/01/31","マスター国内利用　MZZ ヨドバシカメラ","本人","1回払い",'
                '"8000","0","8000","3月以降","0","0","8000","8000"',
            ]
        )
        + "\r\n",
        encoding,
    )
    final = enavi(
        tmp_path,
        2,
        '"2026/01/05","ＡＭＡＺＯＮ．ＣＯ．ＪＰ","本人","1回払い","3980","0","3980","3980","0","*"',
        '"2026/01/12","ＥＸＡＭＰＬＥ　ＳＯＦＴＷＡＲＥ利用国USA","本人","1回払い","1512","0",'
        '"1512","1512","0","*"',
        '"2026/01/20","ローソン","本人","1回払い","500","0","500","500","0","*"',
        encoding=encoding,
    )

    early, fixed = parse_file(provisional), parse_file(final)

    assert (early.statement, early.provisional) == (None, Month(2026, 2))
    assert (fixed.statement, fixed.provisional) == (Month(2026, 2), None)
    # the printed text stays the description; the key reads the bare shop name
    assert early.entries[0].description == "マスター国内利用　MZZ ＡＭＡＺＯＮ．ＣＯ．ＪＰ"
    assert [e.key_text for e in early.entries] == [
        "ＡＭＡＺＯＮ．ＣＯ．ＪＰ", "ＥＸＡＭＰＬＥ　ＳＯＦＴＷＡＲＥ", "ローソン", "ヨドバシカメラ"
    ]  # fmt: skip
    assert dedup_keys("card", early.entries)[:3] == dedup_keys("card", fixed.entries)
    # the line marked 3月以降 goes to March's statement
    assert [str(e.statement) for e in early.entries] == ["2026-02"] * 3 + ["2026-03"]


def test_enavi_year_of_a_file_of_old_installments_comes_from_their_count(tmp_path: Path) -> None:
    # A January statement with only the 12th payment of a purchase of January 2025: by its
    # date alone the statement would be January 2025; the 12th payment is a year later.
    path = enavi(
        tmp_path,
        1,
        '"2025/01/05","ノジマ","本人","分割12回払い(12回目)","120000","0","120000","10000","0",""',
    )

    parsed = parse_file(path)

    assert parsed.problems == []
    assert parsed.statement == Month(2026, 1)
    assert [(e.date, e.statement) for e in parsed.entries] == [(date(2025, 1, 5), Month(2026, 1))]


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig"])
def test_enavi_row_cut_off_in_the_middle_is_a_problem_not_an_entry(
    tmp_path: Path, encoding: str
) -> None:
    header = ENAVI_HEADER.format(n=2, m=3)
    whole = (
        '"2026/01/05","ＡＭＡＺＯＮ．ＣＯ．ＪＰ","本人","1回払い","3980","0","3980","3980","0","*"'
    )
    cut = '"2026/01/12","ＥＸＡＭＰＬＥ","本人","1回払い","151'  # 1512, cut by a broken download
    path = write(tmp_path, "cut.csv", f"{header}\r\n{whole}\r\n{cut}", encoding)

    parsed = parse_file(path)

    assert rows(parsed) == [(2, date(2026, 1, 5), 3980, "ＡＭＡＺＯＮ．ＣＯ．ＪＰ")]
    assert [p.row for p in parsed.problems] == [3]
    assert "row 3: only 5 of the header's 10 columns" in parsed.problems[0].message


def test_every_row_needs_the_headers_number_of_fields(tmp_path: Path) -> None:
    path = enavi(
        tmp_path,
        2,
        '"2026/01/05","店A","本人","1回払い","100","0","100","100","0","*"',
        '"2026/01/06","店B","本人","1回払い","100","0","100","100","0","*","extra"',
        '"2026/01/07","店C","本人","1回払い","100","0","100"',
    )

    parsed = parse_file(path)

    assert [e.row for e in parsed.entries] == [2]
    assert [p.message.split(" (")[0] for p in parsed.problems] == [
        "row 3: 11 fields, but the header has 10 columns",
        "row 4: only 7 of the header's 10 columns",
    ]


def test_enavi_file_ending_inside_a_quoted_cell(tmp_path: Path) -> None:
    header = ENAVI_HEADER.format(n=2, m=3)
    path = write(
        tmp_path,
        "cut.csv",
        f'{header}\r\n"2026/01/05","店A","本人","1回払い","100","0","100","100","0","*',
    )

    parsed = parse_file(path)

    assert parsed.entries == []
    assert [p.row for p in parsed.problems] == [2]
    assert "ends inside a quoted cell" in parsed.problems[0].message


def test_enavi_shop_column_spelled_riyou_tenpo(tmp_path: Path) -> None:
    # 利用店舗・商品名: the spelling one public reader's test of a real e-NAVI layout uses
    header = (
        "利用日,利用店舗・商品名,利用者,支払方法,利用金額,手数料/利息,支払総額,6月支払金額,"
        "当月請求額,7月繰越残高,新規サイン"
    )
    path = write(
        tmp_path,
        "enavi.csv",
        f'{header}\n2026/05/02,ＥＮＥＯＳ－ＳＳ,本人,1回払い,"2,480",0,2480,2480,2480,0,*\n',
        "utf-8-sig",
    )

    parsed = parse_file(path)

    assert parsed.format == "rakuten-enavi"
    assert rows(parsed) == [(2, date(2026, 5, 2), 2480, "ＥＮＥＯＳ－ＳＳ")]
    assert parsed.statement == Month(2026, 6)


# --- MoneyForward ME --------------------------------------------------------------------------


def test_moneyforward_export_keeps_signs_and_uncounted_rows() -> None:
    parsed = parse_file(DATA / "moneyforward.csv")

    assert parsed.format == "moneyforward"
    assert parsed.encoding == "cp932"
    assert parsed.statement is None
    assert rows(parsed) == [
        (2, date(2026, 1, 31), 120, "ポイント獲得　楽天市場"),
        (3, date(2026, 1, 28), -500, "楽天ペイ　ポイント利用"),
        (4, date(2026, 1, 15), -30, "期間限定ポイント失効"),  # 計算対象 0: still a real line
        (5, date(2026, 1, 10), 120, "ポイント獲得　楽天市場"),
    ]
    assert all(e.statement is None for e in parsed.entries)


def test_moneyforward_in_utf8_too(tmp_path: Path) -> None:
    text = (DATA / "moneyforward.csv").read_bytes().decode("cp932")
    path = write(tmp_path, "mf.csv", text, "utf-8-sig")

    parsed = parse_file(path)

    assert parsed.encoding == "utf-8-sig"
    assert rows(parsed) == rows(parse_file(DATA / "moneyforward.csv"))


# --- generic formats from the configuration ---------------------------------------------------


def test_generic_format_from_config_is_detected_and_parsed() -> None:
    extra = formats_from_config({"my-bank": MY_BANK})

    parsed = parse_file(DATA / "generic_bank.csv", extra_formats=extra)

    assert parsed.format == "my-bank"
    assert parsed.encoding == "utf-8"
    assert parsed.statement is None  # a generic file is not claimed to be one whole statement
    assert rows(parsed)[:2] == [
        (2, date(2026, 1, 5), -1250, "Coffee Roasters card 1234"),
        (3, date(2026, 1, 7), 250000, "Salary"),  # the empty Memo adds nothing
    ]
    assert {e.statement for e in parsed.entries} == {Month(2026, 2)}


def test_generic_format_negate_delimiter_encoding_and_date_format(tmp_path: Path) -> None:
    config = {
        "withdrawals": {
            "encoding": "cp932",
            "delimiter": "\t",
            "date": {"column": "取引日", "format": "%d.%m.%Y"},
            "amount": {"column": "出金", "negate": True},
            "description": {"column": "摘要"},
        }
    }
    path = write(
        tmp_path, "bank.tsv", "取引日\t摘要\t出金\n05.01.2026\tＡＴＭ\t10,000円\n", "cp932"
    )

    parsed = parse_file(path, "withdrawals", extra_formats=formats_from_config(config))

    assert parsed.encoding == "cp932"
    assert rows(parsed) == [(2, date(2026, 1, 5), -10000, "ＡＴＭ")]


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ('"1,234"', 1234),
        ("1234円", 1234),
        ("-500", -500),
        ("−500", -500),  # U+2212 minus sign
        ("－500", -500),  # full-width hyphen-minus
        ("１２", 12),  # full-width digits
        (" 7 ", 7),
    ],
)
def test_amount_notations(tmp_path: Path, cell: str, amount: int) -> None:
    path = write(
        tmp_path, "bank.csv", f"Date,Description,Memo,Amount,Statement\n2026-01-05,x,,{cell},\n"
    )

    parsed = parse_file(path, extra_formats=formats_from_config({"my-bank": MY_BANK}))

    assert parsed.problems == []
    assert [e.amount for e in parsed.entries] == [amount]
    assert parsed.entries[0].statement is None  # an empty statement cell


@pytest.mark.parametrize(
    ("line", "value", "message"),
    [
        (
            "2026-13-01,x,,1,",
            "2026-13-01",
            'row 2: Date "2026-13-01" is not a date (expected YYYY-MM-DD)',
        ),
        ("2026-01-05,x,,12.5,", "12.5", 'row 2: Amount "12.5" has a fraction'),
        ("2026-01-05,x,,abc,", "abc", 'row 2: Amount "abc" is not an amount'),
        ("2026-01-05,x,,,", "", 'row 2: Amount "" is not an amount'),
        ("2026-01-05,x,,1,Feb", "Feb", 'row 2: Statement "Feb" is not a month (expected YYYY-MM)'),
        ("2026-01-05,x", "2026-01-05,x", "row 2: only 2 of the header's 5 columns"),
    ],
)
def test_generic_bad_values_are_row_problems(
    tmp_path: Path, line: str, value: str, message: str
) -> None:
    path = write(tmp_path, "bank.csv", f"Date,Description,Memo,Amount,Statement\n{line}\n")

    parsed = parse_file(path, extra_formats=formats_from_config({"my-bank": MY_BANK}))

    assert parsed.entries == []
    assert [(p.row, p.value) for p in parsed.problems] == [(2, value)]
    assert parsed.problems[0].message.startswith(message)


def test_every_bad_value_of_a_row_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path, "bank.csv", "Date,Description,Memo,Amount,Statement\n2026-02-30,x,,1.5,\n"
    )

    parsed = parse_file(path, extra_formats=formats_from_config({"my-bank": MY_BANK}))

    assert [p.value for p in parsed.problems] == ["2026-02-30", "1.5"]


def test_blank_trailing_rows_are_not_problems(tmp_path: Path) -> None:
    path = write(
        tmp_path, "bank.csv", "Date,Description,Memo,Amount,Statement\n2026-01-05,x,,1,\n,,,,\n\n"
    )

    parsed = parse_file(path, extra_formats=formats_from_config({"my-bank": MY_BANK}))

    assert parsed.problems == []
    assert len(parsed.entries) == 1


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({**MY_BANK, "amount": {"negate": True}}, 'formats.my-bank.amount: missing key "column"'),
        ({k: v for k, v in MY_BANK.items() if k != "date"}, 'formats.my-bank: missing key "date"'),
        ({**MY_BANK, "dat": {}}, 'formats.my-bank: unknown key "dat"'),
        (
            {**MY_BANK, "amount": {"column": "Amount", "sign": "-"}},
            'formats.my-bank.amount: unknown key "sign"',
        ),
        (
            {**MY_BANK, "amount": {"column": "Amount", "negate": "yes"}},
            "formats.my-bank.amount.negate",
        ),
        ({**MY_BANK, "date": {"column": "Date", "format": "%Y-%m"}}, "formats.my-bank.date.format"),
        ({**MY_BANK, "date": "Date"}, "formats.my-bank.date: expected a table"),
        ({**MY_BANK, "description": {"column": []}}, "formats.my-bank.description.column"),
        (
            {**MY_BANK, "statement": {"column": "S", "format": "%d"}},
            "formats.my-bank.statement.format",
        ),
        ({**MY_BANK, "encoding": "klingon"}, "formats.my-bank.encoding: unknown encoding"),
        ({**MY_BANK, "delimiter": ",,"}, "formats.my-bank.delimiter"),
        ("Date,Amount", "formats.my-bank: expected a table"),
    ],
)
def test_formats_from_config_errors_name_the_key(table: object, message: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        formats_from_config({"my-bank": table})  # type: ignore[dict-item]

    assert message in str(raised.value)


def test_formats_from_config_reports_every_problem_and_rejects_builtin_names() -> None:
    with pytest.raises(InvalidValue) as raised:
        formats_from_config({"rakuten-enavi": MY_BANK, "a": {"date": {}}, "b": MY_BANK})

    lines = str(raised.value).splitlines()
    assert lines[0].startswith('formats.rakuten-enavi: "rakuten-enavi" is a built-in format')
    assert 'formats.a.date: missing key "column"' in lines
    assert 'formats.a: missing key "amount"' in lines
    assert 'formats.a: missing key "description"' in lines


# --- detection and whole-file errors ----------------------------------------------------------


def test_explicit_format_is_used() -> None:
    parsed = parse_file(DATA / "rakuten_enavi_2026-02.csv", "rakuten-enavi")

    assert parsed.format == "rakuten-enavi" and len(parsed.entries) == 5


def test_explicit_format_that_does_not_fit_the_header() -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_file(DATA / "moneyforward.csv", "rakuten-enavi")

    message = str(raised.value)
    assert message.startswith("moneyforward.csv: the header")
    assert "does not look like a rakuten-enavi file" in message
    assert "利用日, 利用店名・商品名, 利用金額, 支払総額, {N}月支払金額" in message


def test_unknown_format_name_lists_known_ones() -> None:
    with pytest.raises(InvalidValue, match='unknown format "jcb"; known formats: rakuten-enavi, '):
        parse_file(DATA / "moneyforward.csv", "jcb")


def test_unrecognised_header() -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_file(DATA / "unknown_header.csv")

    message = str(raised.value)
    assert message.startswith(
        'unknown_header.csv: unrecognised header "Posting Date,Payee,Debit,Credit,Balance"; '
        "looked for formats: rakuten-enavi, moneyforward"
    )
    # what to do about it: name a format, or describe the file in the configuration
    assert "--format NAME" in message and "[formats.NAME]" in message


def test_header_fitting_several_formats_asks_for_a_name(tmp_path: Path) -> None:
    extra = formats_from_config({"my-bank": MY_BANK, "my-card": MY_BANK})

    with pytest.raises(InvalidValue, match=r"fits several formats \(my-bank, my-card\)"):
        parse_file(DATA / "generic_bank.csv", extra_formats=extra)
    assert parse_file(DATA / "generic_bank.csv", "my-card", extra).format == "my-card"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "empty.csv: the file is empty"),
        ("rakuten_enavi_header_only.csv", "rakuten_enavi_header_only.csv: the file has a header"),
        (
            "undecodable.csv",
            "undecodable.csv: cannot decode as UTF-8 or CP932 (Shift_JIS); re-download the CSV",
        ),
    ],
)
def test_unreadable_files(name: str, message: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_file(DATA / name)

    assert str(raised.value).startswith(message)


def test_broken_quoting_is_invalid_input(tmp_path: Path) -> None:
    # an unterminated quote swallows the rest of the file into one enormous field
    path = enavi(tmp_path, 2, '"2026/01/05","店' + "x" * 200_000)

    with pytest.raises(InvalidValue, match=r"enavi.csv: line \d+: not valid CSV"):
        parse_file(path)
    assert gc.isenabled()  # paused during the parse, restored after a failure too


def test_missing_file_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="nothing.csv: cannot read the file"):
        parse_file(tmp_path / "nothing.csv")


def test_format_encoding_that_does_not_decode(tmp_path: Path) -> None:
    extra = formats_from_config({"ascii-bank": {**MY_BANK, "encoding": "ascii"}})
    path = write(tmp_path, "bank.csv", "Date,Description,Memo,Amount,Statement\n2026-01-05,é,,1,\n")

    with pytest.raises(InvalidValue, match=r"bank.csv: cannot decode as ascii \(the encoding of"):
        parse_file(path, "ascii-bank", extra)


# --- dedup keys -------------------------------------------------------------------------------


def test_dedup_keys_are_stable_and_number_identical_lines() -> None:
    extra = formats_from_config({"my-bank": MY_BANK})
    entries = parse_file(DATA / "generic_bank.csv", extra_formats=extra).entries

    keys = dedup_keys("bank", entries)

    assert keys == dedup_keys("bank", parse_file(DATA / "generic_bank.csv", None, extra).entries)
    assert len(set(keys)) == 4  # the two identical -450 lines stay two
    assert all(len(key) == 40 and int(key, 16) >= 0 for key in keys)
    assert dedup_keys("other-bank", entries)[0] != keys[0]


def test_dedup_keys_match_across_overlapping_downloads() -> None:
    day = date(2026, 1, 9)
    coffee = ImportedEntry(4, day, -450, "Coffee", None)
    first = [ImportedEntry(2, date(2026, 1, 5), 100, "Salary", None), coffee, coffee]
    overlap = [
        ImportedEntry(2, day, -450, "Coffee", None),
        ImportedEntry(3, day, -450, "Coffee", None),
        ImportedEntry(4, date(2026, 1, 12), 5, "Interest", None),
    ]

    old, new = dedup_keys("bank", first), dedup_keys("bank", overlap)

    assert new[:2] == old[1:]  # same lines, same keys, whatever their row or statement
    assert new[2] not in old


def test_dedup_key_ignores_row_and_statement_but_not_description() -> None:
    a = ImportedEntry(2, date(2026, 1, 5), 100, "Salary", None)
    b = ImportedEntry(9, date(2026, 1, 5), 100, "Salary", Month(2026, 2))
    c = ImportedEntry(2, date(2026, 1, 5), 100, "Salary!", None)

    assert dedup_keys("x", [a]) == dedup_keys("x", [b]) != dedup_keys("x", [c])


# --- size -------------------------------------------------------------------------------------


def test_hundred_thousand_rows_in_cp932_with_progress(tmp_path: Path) -> None:
    lines = [ENAVI_HEADER.format(n=2, m=3)]
    lines += [
        f'"2026/01/{1 + i % 28:02d}","楽天市場　ショップ{i}","本人","1回払い",'
        f'"{100 + i}","0","{100 + i}","{100 + i}","0","*"'
        for i in range(100_000)
    ]
    path = write(tmp_path, "big.csv", "\r\n".join(lines) + "\r\n", "cp932")
    reported: list[int] = []

    parsed = parse_file(path, progress=reported.append)

    assert parsed.encoding == "cp932" and parsed.problems == []
    assert len(parsed.entries) == 100_000
    assert parsed.entries[0] == ImportedEntry(
        2, date(2026, 1, 1), 100, "楽天市場　ショップ0", Month(2026, 2)
    )
    assert rows(parsed)[-1] == (100_001, date(2026, 1, 12), 100_099, "楽天市場　ショップ99999")
    # about every 1000 rows (the header counts towards the first thousand), and all at the end
    assert reported[0] <= 1000 and reported[1] - reported[0] == 1000
    assert reported[-1] == 100_000
    assert len(set(dedup_keys("card", parsed.entries))) == 100_000
