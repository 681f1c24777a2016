"""`pointwatch import` of real statements: coverage only for a final statement, provisional
e-NAVI files, cancellations, cut-off downloads, MoneyForward institutions."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
FEE = "rakuten-premium-annual-fee-free-3y"
ENAVI = str(DATA / "rakuten_enavi_2026-02.csv")  # statement 2026-02, ready on 2026-02-12
ENAVI_HEADER = (
    '"利用日","利用店名・商品名","利用者","支払方法","利用金額","支払手数料","支払総額",'
    '"{n}月支払金額","{m}月繰越残高","新規サイン"'
)
PROVISIONAL_HEADER = (
    '"利用日","利用店名・商品名","利用者","支払方法","利用金額","手数料/利息","支払総額","支払月",'
    '"{n}月支払金額","当月請求額","{m}月繰越残高","{m}月以降請求額"'
)
MF_HEADER = (
    '"計算対象","日付","内容","金額（円）","保有金融機関","大項目","中項目","メモ","振替","ID"'
)


@pytest.fixture
def card(pw):
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("join", FEE, "--on", "2025-12-10", "--id", "premium")
    return pw


def write(path: Path, lines: list[str], encoding: str = "cp932") -> str:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return str(path)


def enavi(tmp_path: Path, payment: int, *rows: str, encoding: str = "cp932") -> str:
    """A final e-NAVI statement paid in month `payment`, rows as printed."""
    header = ENAVI_HEADER.format(n=payment, m=payment % 12 + 1)
    return write(tmp_path / "e.csv", [header, *rows], encoding)


def status(pw, as_of: str, expectation: str = "premium/annual-fee/1") -> str:
    return {e["id"]: e["status"] for e in pw.json("status", "--as-of", as_of)}[expectation]


# --- coverage only for a final statement (issue 8 item 4) -------------------------------------


def test_an_import_before_the_ready_day_records_no_coverage_and_a_later_one_does(card, tmp_path):
    early = card.json("import", ENAVI, "--account", "rakuten", "--as-of", "2026-02-05")

    assert (early["added"], early["statement"], early["coverage_added"]) == (5, "2026-02", False)
    assert early["no_coverage"] == (
        "statement 2026-02 is not final until 2026-02-12; import the file again on or after "
        "that day to cover it"
    )
    assert early["changed"] == []  # the waiver is not confirmed by an unfinished statement
    assert status(card, "2026-02-05") == "upcoming"
    assert status(card, "2026-02-15") == "check"  # still to check: nothing covered it
    text = card.ok("import", ENAVI, "--account", "rakuten", "--as-of", "2026-02-05", "--dry-run")
    assert "statement 2026-02 of rakuten: no coverage recorded (statement 2026-02 is not final" in (
        text
    )

    final = card.json("import", ENAVI, "--account", "rakuten", "--as-of", "2026-02-15")

    assert (final["added"], final["duplicates"], final["coverage_added"]) == (0, 5, True)
    assert final["no_coverage"] is None
    assert final["changed"] == [
        {"id": "premium/annual-fee/1", "before": "check", "after": "confirmed"}
    ]
    # a covered statement stays covered: a later file that could not cover it is no news
    text = card.ok("import", provisional_file(tmp_path), "--account", "rakuten", "--as-of",
                   "2026-02-16", "--dry-run")  # fmt: skip
    assert "statement 2026-02 of rakuten: already covered" in text
    early_again = card.json("import", ENAVI, "--account", "rakuten", "--as-of", "2026-02-05")
    assert early_again["no_coverage"] is not None  # as on the 5th, nothing covered it yet


def test_a_card_without_a_ready_day_is_final_on_its_closing_date(pw, tmp_path: Path):
    pw.ok("account", "add", "r2", "--closing-day", "end", "--payment-day", "27", "--holidays", "JP")
    path = enavi(tmp_path, 2, '"2026/01/05","店","本人","1回払い","100","0","100","100","0","*"')

    before = pw.json("import", path, "--account", "r2", "--as-of", "2026-01-30")
    assert before["no_coverage"].startswith("statement 2026-02 is not final until 2026-01-31")
    assert pw.json("import", path, "--account", "r2", "--as-of", "2026-01-31")["coverage_added"]


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig"])
def test_a_download_cut_off_in_its_last_row_is_refused(card, unchanged, tmp_path, encoding):
    text = (DATA / "rakuten_enavi_2026-02.csv").read_bytes().decode("cp932")
    cut = text[: text.index('"1512","0"') + len('"151')]  # the foreign purchase: 1512 yen
    path = tmp_path / "cut.csv"
    path.write_bytes(cut.encode(encoding))

    stderr = unchanged("import", str(path), "--account", "rakuten", "--as-of", "2026-02-15")

    assert "cut.csv: row 3: only 5 of the header's 10 columns" in stderr
    assert "1 bad row(s), nothing imported" in stderr
    # with --skip-bad-rows the whole lines are kept, the cut one is not, and nothing is covered
    kept = card.json(
        "import", str(path), "--account", "rakuten", "--as-of", "2026-02-15", "--skip-bad-rows"
    )
    assert [e["amount"] for e in kept["added_entries"]] == [3980]
    assert kept["coverage_added"] is False
    assert status(card, "2026-02-15") == "check"


# --- provisional e-NAVI files -----------------------------------------------------------------


def provisional_file(tmp_path: Path, encoding: str = "cp932") -> str:
    return write(
        tmp_path / "sokuhou.csv",
        [
            PROVISIONAL_HEADER.format(n=2, m=3),
            '"2026/01/05","マスター国内利用　MZZ ＡＭＡＺＯＮ．ＣＯ．ＪＰ","本人","1回払い","3980",'
            '"0","3980","2月","3980","3980","0","0"',
            '"2026/01/12","海外利用　１　ＥＸＡＭＰＬＥ　ＳＯＦＴＷＡＲＥ","本人","1回払い","1512",'
            '"0","1512","2月","1512","1512","0","0"',
            '"2026/01/18","首都高速道路","ETC","1回払い","1320","0","1320","2月","1320","1320",'
            '"0","0"',
            '"","東京料金所－横浜公園","","","","","","","","","",""',
            '"2026/01/20","ＶＩＳＡ国内利用　VS ヨドバシカメラ","本人","分割3回払い(1回目)",'
            '"29700","0","29700","2月","9900","9900","19800","19800"',
            '"2026/01/25","マスター国内利用　MZZ 楽天市場　返品","本人","1回払い","-2480","0","0",'
            '"2月","-2480","-2480","0","0"',
            '"2026/01/31","マスター国内利用　MZZ ローソン","本人","1回払い","500","0","500",'
            '"3月以降","0","0","500","500"',
        ],
        encoding,
    )


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig"])
def test_provisional_then_final_statement_adds_no_duplicate_lines(card, tmp_path, encoding):
    early = card.json(
        "import", provisional_file(tmp_path, encoding), "--account", "rakuten",
        "--as-of", "2026-02-20",
    )  # fmt: skip

    assert (early["added"], early["statement"], early["provisional"]) == (6, "2026-02", True)
    assert early["coverage_added"] is False
    assert early["no_coverage"] == (
        "a provisional (速報) file; import the final statement 2026-02 on or after 2026-02-12 "
        "to cover it"
    )
    assert status(card, "2026-02-20") == "check"
    by_text = {e["description"]: e["statement"] for e in card.json("entries", "rakuten")}
    assert by_text["マスター国内利用　MZZ ローソン"] == "2026-03"  # 3月以降: a later statement
    assert by_text["マスター国内利用　MZZ ＡＭＡＺＯＮ．ＣＯ．ＪＰ"] == "2026-02"

    final = card.json("import", ENAVI, "--account", "rakuten", "--as-of", "2026-02-20")

    assert (final["added"], final["duplicates"], final["coverage_added"]) == (0, 5, True)
    assert len(card.json("entries", "rakuten")) == 6
    assert status(card, "2026-02-20") == "confirmed"


def test_a_provisional_file_says_so_in_plain_output(card, tmp_path):
    text = card.ok("import", provisional_file(tmp_path), "--account", "rakuten")

    assert "statement 2026-02 of rakuten: no coverage recorded (a provisional (速報) file" in text


def test_a_statement_of_old_installments_only_lands_in_the_right_year(card, tmp_path):
    # January 2026 pays the 12th of 12 payments of a purchase of 2025-01-05 and the 22nd of 24
    # of one of 2024-03-10: by the latest date alone it would be January 2025's statement
    path = enavi(
        tmp_path,
        1,
        '"2025/01/05","ノジマ","本人","分割12回払い(12回目)","120000","0","120000","10000","0",""',
        '"2024/03/10","ビックカメラ","本人","分割24回払い(22回目)","240000","0","240000","10000",'
        '"20000",""',
    )

    result = card.json("import", path, "--account", "rakuten", "--as-of", "2026-01-20")

    assert (result["statement"], result["coverage_added"]) == ("2026-01", True)
    assert {e["statement"] for e in card.json("entries", "rakuten")} == {"2026-01"}


# --- cancellations ----------------------------------------------------------------------------


def test_a_cancelled_annual_fee_is_stored_as_a_credit(card, tmp_path):
    path = enavi(
        tmp_path,
        2,
        '"2027/01/01","楽天プレミアムカード年会費","本人","1回払い","11000","0","11000","11000","0",""',
        '"2027/01/09","楽天ＳＰ　すき家","本人","1回払い","1960","0","1960","1960","0","*"',
        '"■ご利用キャンセルなど","","","","","","","","",""',
        '"2027/01/01","楽天プレミアムカード年会費","本人","1回払い","11000","0","0","0","0",""',
        encoding="utf-8-sig",
    )

    result = card.json("import", path, "--account", "rakuten", "--as-of", "2027-02-15")

    assert [e["amount"] for e in result["added_entries"]] == [11000, 1960, -11000]
    fees = [e["amount"] for e in card.json("entries", "rakuten") if "年会費" in e["description"]]
    assert sorted(fees) == [-11000, 11000] and sum(fees) == 0  # charged once, then undone


# --- MoneyForward ME --------------------------------------------------------------------------


def mf_file(tmp_path: Path, *rows: str) -> str:
    return write(tmp_path / "mf.csv", [MF_HEADER, *rows])


MIXED = (
    '"1","2026/01/31","ポイント獲得　楽天市場","120","楽天ポイント","収入","その他入金","","0","Qk3"',
    '"1","2026/01/28","ＡＭＡＺＯＮ．ＣＯ．ＪＰ","-3980","楽天カード","日用品","日用品","","0","Zr8"',
    '"1","2026/01/28","ＡＭＡＺＯＮ．ＣＯ．ＪＰ","-3980","楽天カード","日用品","日用品","","0","Zr9"',
    '"1","2026/01/25","給与","250000","みずほ銀行","収入","給与","","0","Hc5"',
)


def test_a_moneyforward_file_mixing_institutions_is_refused_with_their_list(
    pw, unchanged, tmp_path
):
    pw.ok("account", "add", "rpoints", "--kind", "points")

    stderr = unchanged("import", mf_file(tmp_path, *MIXED), "--account", "rpoints")

    assert "mf.csv: the file mixes institutions (みずほ銀行, 楽天カード, 楽天ポイント)" in stderr
    assert "--institution NAME" in stderr and "[formats.moneyforward]" in stderr
    assert "no lines of the institution '楽天Edy'" in unchanged(
        "import", mf_file(tmp_path, *MIXED), "--account", "rpoints", "--institution", "楽天Edy"
    )


def test_moneyforward_takes_the_accounts_institution_from_the_config(pw, tmp_path):
    pw.write_config('[formats.moneyforward]\ninstitutions = { rakuten = "楽天カード" }\n')
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")

    result = pw.json("import", mf_file(tmp_path, *MIXED), "--account", "rakuten")

    assert (result["added"], result["institution"], result["left_out"]) == (2, "楽天カード", 2)
    # the report shows the amounts as stored: spending is a charge, positive on a card
    assert [e["amount"] for e in result["added_entries"]] == [3980, 3980]
    assert [e["amount"] for e in pw.json("entries", "rakuten")] == [3980, 3980]
    text = pw.ok("import", mf_file(tmp_path, *MIXED), "--account", "rakuten", "--dry-run")
    assert "skip  row 3: 2026-01-28 3,980 (already imported)" in text
    assert "2 line(s) of other institutions than 楽天カード left out" in text


def test_moneyforward_id_is_part_of_the_dedup_key(pw, tmp_path):
    pw.ok("account", "add", "rpoints", "--kind", "points")
    one = '"1","2026/01/10","ポイント獲得","120","楽天ポイント","収入","その他入金","","0","AAA"'
    other = '"1","2026/01/10","ポイント獲得","120","楽天ポイント","収入","その他入金","","0","BBB"'
    pw.json("import", mf_file(tmp_path, one), "--account", "rpoints")

    # a later export lists a second, identical line with its own id, above the first one
    result = pw.json("import", mf_file(tmp_path, other, one), "--account", "rpoints")

    assert (result["added"], result["duplicates"]) == (1, 1)
    assert [e["description"] for e in result["added_entries"]] == ["ポイント獲得"]


def test_the_option_picks_the_institution(pw, tmp_path):
    pw.ok("account", "add", "rpoints", "--kind", "points")

    result = pw.json(
        "import", mf_file(tmp_path, *MIXED), "--account", "rpoints", "--institution", "楽天ポイント"
    )

    assert (result["added"], result["left_out"]) == (1, 3)


def test_a_bad_moneyforward_setting_is_named(pw, unchanged, tmp_path):
    pw.write_config('[formats.moneyforward]\ninstitution = "楽天カード"\n')
    pw.ok("account", "add", "rpoints", "--kind", "points")

    stderr = unchanged("import", mf_file(tmp_path, *MIXED[:1]), "--account", "rpoints")

    assert 'formats.moneyforward: unknown key "institution"' in stderr


def test_lines_stored_before_keys_read_ids_and_bare_names_stay_single(pw, tmp_path):
    """Entries stored by an older version carry keys without the MoneyForward id and with the
    foreign shop's 利用国 suffix; re-importing the same files must not add them again."""
    import sqlite3
    from datetime import date

    from pointwatch.importers import ImportedEntry, dedup_keys

    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("account", "add", "rpoints", "--kind", "points")
    foreign = ImportedEntry(
        3, date(2026, 1, 12), 1512, "ＥＸＡＭＰＬＥ　ＳＯＦＴＷＡＲＥ利用国USA", None
    )
    points = ImportedEntry(2, date(2026, 1, 31), 120, "ポイント獲得　楽天市場", None)
    with sqlite3.connect(pw.db_path) as db:
        ids = dict(db.execute("SELECT name, id FROM account"))
        for account, entry, statement in (
            ("rakuten", foreign, "2026-02"),
            ("rpoints", points, None),
        ):
            (old_key,) = dedup_keys(account, [entry])  # the key as the old version computed it
            db.execute(
                "INSERT INTO entry (account_id, date, amount, description, statement, source, "
                "dedup_key) VALUES (?, ?, ?, ?, ?, 'import:old', ?)",
                (ids[account], entry.date.isoformat(), entry.amount, entry.description, statement,
                 old_key),
            )  # fmt: skip

    enavi = pw.json("import", ENAVI, "--account", "rakuten", "--as-of", "2026-02-15")
    mf = pw.json("import", mf_file(tmp_path, MIXED[0]), "--account", "rpoints")

    assert (enavi["added"], enavi["duplicates"]) == (4, 1)
    assert (mf["added"], mf["duplicates"]) == (0, 1)
