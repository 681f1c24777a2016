"""Ready maps for card exports with title lines and totals (Vpass, MyJCB, Epos Net, View card),
and the generic column-map keys they are made of. The files under tests/data are built to the
layouts public readers describe (see pointwatch/importers/cards.py); names and amounts are
made up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pointwatch.errors import InvalidValue
from pointwatch.importers import builtin_formats, formats_from_config, parse_file

DATA = Path(__file__).parent / "data"


def rows(parsed) -> list[tuple[int, date, int, str]]:
    return [(e.row, e.date, e.amount, e.description) for e in parsed.entries]


def write(tmp_path: Path, text: str, encoding: str = "cp932") -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


READY = {
    "smbc_vpass_2026-02.csv": (
        "smbc-vpass",
        [
            (2, date(2026, 1, 5), 4853, "ヨドバシカメラ　通信販売"),
            (3, date(2026, 1, 15), 3400, "ＡＭＡＺＯＮ．ＣＯ．ＪＰ"),
            (5, date(2026, 1, 18), 340, "ファミリーマート／ｉＤ"),
            (6, date(2026, 1, 31), 1375, "年会費"),  # its amount only in the sixth column
        ],
    ),
    "jcb_myjcb_2026-02.csv": (
        "jcb-myjcb",
        [
            (7, date(2025, 12, 21), 5000, "ＡＭＡＺＯＮ．ＣＯ．ＪＰ"),
            (8, date(2026, 1, 3), 1145, "ローソン"),
        ],
    ),
    "epos_monthly_2026-02.csv": (
        "epos-net",
        [
            (3, date(2026, 1, 1), 306, "ニンテンドーＥショップ"),
            (4, date(2026, 1, 2), 558, "ハロ－デイ"),
        ],
    ),
    "epos_billing_2026-02.csv": (
        "epos-net",
        [(2, date(2026, 1, 5), 2627, "店舗Ａ"), (3, date(2025, 12, 30), 880, "店舗Ｂ")],
    ),
    "view_card_2026-02.csv": (
        "view-card",
        [
            (8, date(2025, 12, 21), 3000, "板橋駅　オートチャージ"),
            (9, date(2025, 12, 31), 524, "カード年会費"),
            (10, date(2026, 1, 3), -1200, "ルミネ新宿　返品"),  # 払戻額: a credit
        ],
    ),
}


@pytest.mark.parametrize("name", list(READY))
def test_ready_card_maps_skip_title_lines_and_totals(name: str) -> None:
    fmt, expected = READY[name]

    parsed = parse_file(DATA / name)

    assert (parsed.format, parsed.encoding) == (fmt, "cp932")
    assert parsed.problems == []
    assert rows(parsed) == expected
    assert parsed.statement is None  # entries only: these readers prove no coverage


def test_ready_maps_are_built_in() -> None:
    assert list(builtin_formats()) == [
        "rakuten-enavi", "moneyforward", "smbc-vpass", "jcb-myjcb", "epos-net", "view-card",
    ]  # fmt: skip


def test_vpass_in_utf8_with_bom_too(tmp_path: Path) -> None:
    text = (DATA / "smbc_vpass_2026-02.csv").read_bytes().decode("cp932")
    path = tmp_path / "vpass.csv"
    path.write_bytes(text.encode("utf-8-sig"))

    parsed = parse_file(path)

    assert (parsed.format, parsed.encoding) == ("smbc-vpass", "utf-8-sig")
    assert rows(parsed) == READY["smbc_vpass_2026-02.csv"][1]


def test_a_jcb_row_cut_off_is_a_problem(tmp_path: Path) -> None:
    text = (DATA / "jcb_myjcb_2026-02.csv").read_bytes().decode("cp932")
    cut = text[: text.index('"1,145"') + len('"1,1')]

    parsed = parse_file(write(tmp_path, cut.replace("\r\n", "\n")))

    assert [e.amount for e in parsed.entries] == [5000]
    assert [p.row for p in parsed.problems] == [8]


def test_amazon_mastercard_imports_a_vpass_file_and_jcb_refuses_it(pw, unchanged) -> None:
    pw.ok("account", "add", "amazon-mc", "--profile", "amazon-mastercard")
    pw.ok("account", "add", "jcb", "--profile", "jcb-card")
    vpass = str(DATA / "smbc_vpass_2026-02.csv")

    result = pw.json("import", vpass, "--account", "amazon-mc", "--as-of", "2026-03-01")

    assert (result["format"], result["added"], result["statement"]) == ("smbc-vpass", 4, None)
    assert {e["statement"] for e in pw.json("entries", "amazon-mc")} == {"2026-02"}
    assert "a Sumitomo Mitsui Card statement (smbc-vpass), but 'jcb' is a JCB card" in unchanged(
        "import", vpass, "--account", "jcb"
    )
    again = pw.json("import", vpass, "--account", "amazon-mc", "--format", "smbc-vpass")
    assert (again["added"], again["duplicates"]) == (0, 4)


# --- the generic keys -------------------------------------------------------------------------

STATEMENT = """カード利用明細,,
お支払日,2026/02/10,
,,
日付,内容,金額
2026/01/05,店A,"1,000"
2026/01/06,店B,200
小計,,1200
2026/01/07,店C,300
合計,,1500
ご注意,,
"""


@pytest.mark.parametrize(
    "settings",
    [
        {},  # the header found by its column names
        {"skip_lines": 3},
    ],
)
def test_generic_map_with_title_lines_and_totals(tmp_path: Path, settings: dict) -> None:
    table = {
        "date": {"column": "日付", "format": "%Y/%m/%d"},
        "amount": {"column": "金額"},
        "description": {"column": "内容"},
        "skip_rows": {"column": "日付", "pattern": "小計"},
        "footer": {"column": "日付", "pattern": "^合計"},
        **settings,
    }
    extra = formats_from_config({"my-card": table})

    parsed = parse_file(write(tmp_path, STATEMENT), extra_formats=extra)

    assert parsed.format == "my-card" and parsed.problems == []
    assert rows(parsed) == [
        (5, date(2026, 1, 5), 1000, "店A"),
        (6, date(2026, 1, 6), 200, "店B"),
        (8, date(2026, 1, 7), 300, "店C"),
    ]


def test_generic_skip_lines_must_land_on_the_header(tmp_path: Path) -> None:
    table = {
        "date": {"column": "日付", "format": "%Y/%m/%d"},
        "amount": {"column": "金額"},
        "description": {"column": "内容"},
        "skip_lines": 2,
    }
    extra = formats_from_config({"my-card": table})

    with pytest.raises(InvalidValue, match='the header ",," does not look like a my-card file'):
        parse_file(write(tmp_path, STATEMENT), "my-card", extra)


def test_generic_map_of_a_file_without_header(tmp_path: Path) -> None:
    table = {
        "columns": ["利用日", "利用先", "金額", "払戻", "メモ"],
        "title": {"column": "利用先", "pattern": "様$"},
        "date": {"column": "利用日", "format": "%Y/%m/%d"},
        "amount": {"column": "金額", "subtract": "払戻"},
        "description": {"column": "利用先"},
        "skip_rows": [
            {"column": "利用先", "pattern": "様$"},
            {"column": "利用日", "pattern": "^$"},
        ],
        "issuer": "Example Card",
        "kind": "card",
    }
    extra = formats_from_config({"headless": table})
    path = write(
        tmp_path,
        "2026,山田様,,,\n2026/01/05,店A,500,,\n2026/01/06,店A,,500,\n,,0,,\n",
    )

    parsed = parse_file(path, extra_formats=extra)

    assert parsed.format == "headless"
    assert rows(parsed) == [(2, date(2026, 1, 5), 500, "店A"), (3, date(2026, 1, 6), -500, "店A")]
    fmt = extra["headless"]
    assert (fmt.issuer, fmt.account_kind) == ("Example Card", "card")


def test_generic_aliases_and_fallback(tmp_path: Path) -> None:
    table = {
        "date": {"column": "Date"},
        "amount": {"column": "Amount", "fallback": "Fee"},
        "description": {"column": "Payee"},
        "aliases": {"Merchant": "Payee"},
        "ref": {"column": "Id"},
    }
    extra = formats_from_config({"my-bank": table})
    path = write(tmp_path, "Date,Merchant,Amount,Fee,Id\n2026-01-05,Shop,,275,a1\n")

    parsed = parse_file(path, extra_formats=extra)

    assert rows(parsed) == [(2, date(2026, 1, 5), 275, "Shop")]
    assert parsed.entries[0].ref == "a1"


BASE = {
    "date": {"column": "Date"},
    "amount": {"column": "Amount"},
    "description": {"column": "Payee"},
}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"skip_lines": -1}, "formats.m.skip_lines: expected a whole number of lines"),
        ({"footer": {"column": "Date"}}, "formats.m.footer: expected a table like"),
        ({"footer": {"column": "Date", "pattern": "("}}, "formats.m.footer.pattern: not a regular"),
        ({"skip_rows": [{"column": 3, "pattern": "x"}]}, "formats.m.skip_rows[1].column"),
        ({"aliases": {"A": 1}}, "formats.m.aliases: expected a table"),
        ({"columns": "Date,Amount"}, "formats.m.columns: expected the list"),
        ({"columns": ["Date", "Amount"]}, "formats.m: Payee not among the columns"),
        ({"kind": "shop"}, "formats.m.kind: expected one of card, points, bank, wallet"),
        ({"amount": {"column": "Amount", "subtract": ""}}, "formats.m.amount.subtract"),
        ({"ref": {"name": "Id"}}, 'formats.m.ref: unknown key "name"'),
    ],
)
def test_generic_layout_key_errors_name_the_key(extra: dict, message: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        formats_from_config({"m": {**BASE, **extra}})

    assert message in str(raised.value)
