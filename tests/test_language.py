"""Human output in both languages (status, an alert, a claim, an error, --help), Japanese dates,
statement months and amounts, campaign texts given in both languages — and JSON that never
changes with the language."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from freezegun import freeze_time

from pointwatch import i18n
from pointwatch.domain.dates import Month
from pointwatch.domain.wording import amount_text, date_text, month_text, status_word

AS_OF = "2026-03-02"  # the gift's second grant is late, the first annual fee confirmed
# Two English words in a row: what a Japanese text must not contain (ids, commands and
# Amazon.co.jp are single words).
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,:;]+[A-Za-z]{2,}")


@pytest.fixture
def world(pw):
    """The two real cases of the demo, in the test's own database."""
    pw.write_config('[pointwatch]\ntimezone = "Asia/Tokyo"\n')
    pw.ok("demo", "--as-of", AS_OF)
    return pw


def rows(out: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split() for line in out.splitlines()[1:] if line.strip()}


def prose(text: str) -> str:
    """`text` without its commands (`…`), which stay the same in every language."""
    return re.sub(r"`[^`]*`", "", text)


# --- formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "day", "month", "yen", "points", "one_point"),
    [
        ("en", "2023-01-31", "2026-02", "11,000 JPY", "500 points", "1 point"),
        ("ja", "2023年1月31日", "2026年2月請求分", "11,000円", "500ポイント", "1ポイント"),
    ],
)
def test_dates_statement_months_and_amounts(lang, day, month, yen, points, one_point) -> None:
    assert date_text(date(2023, 1, 31), lang) == day
    assert month_text(Month(2026, 2), lang) == month
    assert amount_text(11000, "JPY", lang) == yen
    assert amount_text(500, "point", lang) == points
    assert amount_text(1, "point", lang) == one_point


def test_the_japanese_status_words() -> None:
    i18n.set_language("ja")
    words = {
        status: status_word(status)
        for status in ("upcoming", "due", "late", "received", "awaiting_condition", "check",
                       "confirmed", "fee_charged", "refunded", "substituted", "forfeited",
                       "written_off")
    }  # fmt: skip
    assert words == {
        "upcoming": "予定", "due": "付与期間中", "late": "遅延", "received": "受取済み",
        "awaiting_condition": "条件待ち", "check": "確認待ち", "confirmed": "確認済み",
        "fee_charged": "請求あり", "refunded": "返金済み", "substituted": "代替",
        "forfeited": "対象外", "written_off": "断念",
    }  # fmt: skip


# --- status -----------------------------------------------------------------------------------


def test_status_in_english(world) -> None:
    out = world.ok("--lang", "en", "status", "--as-of", AS_OF)
    assert out.splitlines()[0].split() == [
        "expectation", "status", "amount", "where", "/", "when", "due", "late"
    ]  # fmt: skip
    listed = rows(out)
    assert listed["demo-gift/recipient"][1:4] == ["late", "500", "points"]
    assert listed["demo-premium/annual-fee/1"][1:4] == ["confirmed", "11,000", "JPY"]
    assert (
        "Next: 500 points into demo-amazon-points was due on 2023-01-31 and has not arrived "
        "(demo-gift/recipient)." in out
    )


def test_status_in_japanese(world) -> None:
    out = world.ok("--lang", "ja", "status", "--as-of", AS_OF)
    lines = out.splitlines()
    assert lines[0].split() == ["対象", "状態", "金額", "確認先・時期", "期限", "遅延"]
    listed = rows(out)
    assert listed["demo-gift/recipient"][1:3] == ["遅延", "500ポイント"]
    assert listed["demo-gift/recipient"][-2:] == ["2023年1月31日", "1126日"]
    assert listed["demo-gift/sender"][1] == "受取済み"
    assert listed["demo-premium/annual-fee/1"][1:3] == ["確認済み", "11,000円"]
    assert listed["demo-premium/annual-fee/2"][1] == "予定"
    assert (
        "demo-rakutenの2026年2月請求分: 締め日 2026年1月31日、確定 2026年2月12日、"
        "引き落とし 2026年2月27日" in out
    )
    step = lines[-1]
    assert step.startswith(
        "次に: demo-amazon-pointsに2023年1月31日までに入るはずの500ポイントが届いていません"
        "（demo-gift/recipient）。"
    )
    assert not ENGLISH.findall(prose(out))


def test_the_locale_and_the_config_choose_japanese(world, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert world.ok("status", "--as-of", AS_OF).startswith("対象")
    world.write_config('[pointwatch]\ntimezone = "Asia/Tokyo"\nlanguage = "en"\n')
    assert world.ok("status", "--as-of", AS_OF).startswith("expectation")


@pytest.mark.parametrize(
    "args",
    [
        ("status",),
        ("status", "--open"),
        ("which-statement", "demo-premium"),
        ("entries",),
        ("account", "list"),
        ("history", "demo-gift/recipient"),
        ("claim", "demo-gift/recipient"),
        ("campaign", "show", "rakuten-premium-annual-fee-free-3y"),
        ("campaign", "list"),
        ("campaign", "catalog"),
        ("inquiry", "list"),
        ("log",),
    ],
)
def test_json_never_changes_with_the_language(world, args) -> None:
    dated = (*args, "--as-of", AS_OF) if args[0] in ("status", "history", "claim") else args
    english = world.ok("--lang", "en", *dated, "--json")
    assert world.ok("--lang", "ja", *dated, "--json") == english


def test_remind_json_keeps_its_keys_and_values_the_message_is_worded_for_people(world) -> None:
    def run(lang: str) -> dict:
        return json.loads(
            world.ok("--lang", lang, "remind", "--dry-run", "--as-of", AS_OF, "--json")
        )

    english, japanese = run("en"), run("ja")
    words = ("message", "title", "body")
    for key in ("raised", "delivered"):
        assert [{k: v for k, v in a.items() if k not in words} for a in english[key]] == [
            {k: v for k, v in a.items() if k not in words} for a in japanese[key]
        ]
    assert english["raised"][0]["title"].startswith("Late: 500 points")
    assert japanese["raised"][0]["title"].startswith("遅延: Amazon.co.jpからの500ポイント")


# --- an alert -------------------------------------------------------------------------------


def test_an_alert_in_both_languages(world) -> None:
    english = world.ok("--lang", "en", "remind", "--dry-run", "--as-of", AS_OF)
    assert "[#1] Late: 500 points from Amazon.co.jp (demo-gift/recipient)" in english
    assert "Late since 2023-02-08 (due 2023-01-31, then 7 days of grace)." in english
    japanese = world.ok("--lang", "ja", "remind", "--dry-run", "--as-of", AS_OF)
    assert "[#1] 遅延: Amazon.co.jpからの500ポイント（demo-gift/recipient）" in japanese
    assert (
        "受け取るはずのもの: demo-amazon-pointsへ500ポイント — プライムデー2022: "
        "5,000円以上のギフト券を贈ると最大1,000ポイント（recipient）。" in japanese
    )
    assert "2023年2月8日から遅延（期限 2023年1月31日、猶予 7日）。" in japanese
    assert "送信予定 1件、失敗 0件；発生 1件（未対応 1件）、解決 0件" in japanese
    assert not ENGLISH.findall(prose(japanese))


def test_the_daemon_words_alerts_in_the_configured_language(world, capsys) -> None:
    from pointwatch import scheduler

    world.write_config('[pointwatch]\ntimezone = "Asia/Tokyo"\nlanguage = "ja"\n')
    url, config = f"sqlite:///{world.db_path}", str(world.config_path)
    try:
        with freeze_time("2026-03-02 09:00:00+09:00"):
            summary = scheduler.daily_job(url, config)
    finally:
        for engine in scheduler._engines.values():
            engine.dispose()
        scheduler._engines.clear()
    assert "送信 1件" in summary
    assert (
        "[#1] 遅延: Amazon.co.jpからの500ポイント（demo-gift/recipient）" in capsys.readouterr().out
    )


# --- a claim --------------------------------------------------------------------------------


def test_a_japanese_claim_contains_no_english_sentence(world) -> None:
    for expectation, day in (("demo-gift/recipient", AS_OF), ("demo-premium/annual-fee/2",
                                                             "2027-02-20")):  # fmt: skip
        out = world.ok("--lang", "ja", "claim", expectation, "--as-of", day)
        advice, message = out.split("\n--- 問い合わせ文（ja） ---\n")
        assert not ENGLISH.findall(message), message
        assert not ENGLISH.findall(advice), advice
    assert (
        "3. 達成した条件: 受け取った方がギフト券を自分のアカウントに登録した（2022年9月20日）"
        in (world.ok("claim", "demo-gift/recipient", "--as-of", AS_OF))
    )


def test_an_english_claim_uses_the_english_texts(world) -> None:
    out = world.ok("--lang", "ja", "claim", "demo-gift/recipient", "--lang", "en", "--as-of", AS_OF)
    assert out.splitlines()[0].startswith(
        "問い合わせ先: チャット・メール・電話でAmazon.co.jpに問い合わせ"
    )
    assert (
        "Subject: Not granted: 500 points from the campaign “Prime Day 2022: gift a gift card of "
        "5,000 yen or more, up to 1,000 points”" in out
    )
    assert (
        "3. Condition met: the recipient registered the gift card on their account "
        "(recipient-registered) on 2022-09-20" in out
    )


# --- an error and the help ------------------------------------------------------------------


def test_an_error_in_both_languages(world) -> None:
    assert world.fails("--lang", "en", "which-statement", "nosuch") == (
        "Error: enrollment 'nosuch' not found (known: demo-gift, demo-premium)\n"
    )
    assert world.fails("--lang", "ja", "which-statement", "nosuch") == (
        "エラー: 参加「nosuch」が見つかりません（登録済み: demo-gift, demo-premium）\n"
    )


def test_a_campaign_file_error_in_japanese_keeps_file_line_and_key(pw, tmp_path) -> None:
    file = tmp_path / "mine.toml"
    file.write_text(
        '[[campaign]]\nid = "mine"\nname = "Mine"\nissuer = "Me"\n\n[[campaign.grant]]\n'
        'id = "bonus"\namount = -5\naccount = "points"\nwindow = "2026-01"\n',
        encoding="utf-8",
    )
    assert pw.fails("--lang", "ja", "campaign", "add", str(file)) == (
        f"エラー: {file}:8: campaign[1].grant[1].amount: 正の整数を指定してください（-5ではなく）\n"
    )


def test_help_in_both_languages(pw) -> None:
    english = pw.ok("status", "--help")
    assert english.startswith("Usage: pointwatch status [OPTIONS]")
    assert "Every expectation with its status" in english
    japanese = pw.ok("--lang", "ja", "status", "--help")
    assert japanese.startswith("使い方: pointwatch status [OPTIONS]")
    assert "すべての対象を状態・期限・請求月・遅延日数とともに表示し" in japanese
    assert "例:\n    pointwatch status\n" in japanese
    assert "  --json        スクリプト向けの安定したJSON。" in japanese
    root = pw.ok("--lang", "ja", "--help")
    assert "コマンド:" in root and "オプション:" in root
    assert "  status           すべての対象を状態・期限・請求月・遅延日数とともに表示し、" in root


# --- campaign texts in both languages --------------------------------------------------------

TWO_LANGUAGES = """
[[campaign]]
id = "welcome"
name = { ja = "入会特典", en = "Welcome bonus" }
issuer = "Example Card"

[[campaign.condition]]
id = "spend"
text = { ja = "3万円以上利用した", en = "spent 30,000 yen or more" }

[[campaign.grant]]
id = "bonus"
text = "2,000 points"
amount = 2000
account = "points"
window = "joined+2M"
requires = ["spend"]
"""


def test_campaign_texts_in_both_languages(pw, tmp_path) -> None:
    file = tmp_path / "welcome.toml"
    file.write_text(TWO_LANGUAGES, encoding="utf-8")
    pw.ok("campaign", "add", str(file))
    assert "welcome: Welcome bonus" in pw.ok("--lang", "en", "campaign", "show", "welcome")
    japanese = pw.ok("--lang", "ja", "campaign", "show", "welcome")
    assert "welcome: 入会特典" in japanese and "条件 spend: 3万円以上利用した" in japanese
    shown = pw.json("campaign", "show", "welcome")
    assert (shown["name"], shown["name_ja"]) == ("Welcome bonus", "入会特典")
    condition = shown["conditions"][0]
    assert {key: condition[key] for key in ("id", "text", "text_ja")} == {
        "id": "spend", "text": "spent 30,000 yen or more", "text_ja": "3万円以上利用した"
    }  # fmt: skip
    assert (shown["grants"][0]["text"], shown["grants"][0]["text_ja"]) == ("2,000 points", None)


@pytest.mark.parametrize(
    "value",
    ['{ ja = "入会特典", fr = "Bonus" }', "{}", '{ ja = "" }', "5"],
)
def test_a_text_is_a_string_or_a_ja_en_table(pw, tmp_path, value) -> None:
    file = tmp_path / "welcome.toml"
    file.write_text(TWO_LANGUAGES.replace('{ ja = "入会特典", en = "Welcome bonus" }', value),
                    encoding="utf-8")  # fmt: skip
    assert f"{file}:4: campaign[1].name: expected a text or a table {{ ja = " in pw.fails(
        "campaign", "add", str(file)
    )


def test_import_json_keeps_its_reasons_in_english(world, tmp_path) -> None:
    file = tmp_path / "enavi.csv"
    file.write_text(
        "利用日,利用店名・商品名,利用者,支払方法,利用金額,支払手数料,支払総額,2月支払金額,"
        "3月繰越残高,新規サイン\n2026/01/05,年会費,本人,1回払い,11000,0,11000,11000,0,\n"
        "2026/01/07,楽天市場,本人,1回払い,12.5,0,0,0,0,\n",
        encoding="utf-8",
    )
    args = ("import", str(file), "--account", "demo-rakuten", "--dry-run", "--skip-bad-rows",
            "--as-of", "2026-02-05", "--json")  # fmt: skip
    english = world.ok("--lang", "en", *args)
    assert world.ok("--lang", "ja", *args) == english
    report = json.loads(english)
    assert report["no_coverage"].startswith("1 row(s) rejected")
    assert report["rejected"][0]["message"] == (
        'row 3: 利用金額 "12.5" has a fraction (amounts are whole numbers)'
    )
    japanese = world.ok("--lang", "ja", *args[:-1])
    assert "1行が不正です" in japanese
