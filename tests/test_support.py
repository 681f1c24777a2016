"""Support inquiries, promises, settlements, claims and history (issue 5).

Pure rules are tested on the domain functions; commands through the CLI (`pw`), with the
configured zone Asia/Tokyo and --as-of, never the real clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pointwatch.domain.claim import build_claim, claim_language, recommend_channel
from pointwatch.domain.definitions import Issuer
from pointwatch.domain.evidence import Evidence
from pointwatch.domain.support import (
    Inquiry,
    parse_deadline,
    parse_moment,
    promise_state,
    usability,
)
from pointwatch.domain.timeline import TimelineEvent, order_timeline
from pointwatch.errors import InvalidValue
from tests.factories import gift_expectations

TOKYO = ZoneInfo("Asia/Tokyo")
RAKUTEN = Issuer(
    id="rakuten-card",
    name="Rakuten Card",
    account_channels=("email", "phone"),
    general_channels=("chat",),
    contact="e-NAVI お問い合わせ",
)
AMAZON = Issuer(id="amazon-co-jp", name="Amazon.co.jp", account_channels=("chat", "email", "phone"))


# --- pure: moments, deadlines, promises, usability --------------------------------------------


@pytest.mark.parametrize("text", ["2023-02-01 10:00", "2023-02-01T10:00", "２０２３-02-01 10:00"])
def test_a_naive_moment_is_in_the_configured_zone(text):
    assert parse_moment(text, TOKYO) == datetime(2023, 2, 1, 10, 0, tzinfo=TOKYO)


def test_a_moment_with_an_offset_keeps_it():
    moment = parse_moment("2023-02-01T01:00Z", TOKYO)
    assert moment == datetime(2023, 2, 1, 10, 0, tzinfo=TOKYO)
    assert parse_moment("2023-02-01 10:00+09:00", TOKYO) == moment


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-02-01", "give the time too"),
        ("yesterday", "not a date and time"),
        ("2023-02-30 10:00", "no such date or time"),
        ("2023-02-01 25:00", "no such date or time"),
    ],
)
def test_bad_moments_are_refused(text, message):
    with pytest.raises(InvalidValue, match=message):
        parse_moment(text, TOKYO)


@pytest.mark.parametrize(
    ("text", "after"),
    [("5m", timedelta(minutes=5)), ("2h", timedelta(hours=2)), ("3d", timedelta(days=3))],
)
def test_a_duration_deadline_counts_from_the_inquiry(text, after):
    start = datetime(2023, 2, 10, 10, 0, tzinfo=TOKYO)
    assert parse_deadline(text, start, TOKYO) == start + after


def test_a_day_deadline_means_the_end_of_that_day():
    start = datetime(2023, 2, 10, 10, 0, tzinfo=TOKYO)
    assert parse_deadline("2023-02-15", start, TOKYO) == datetime(
        2023, 2, 15, 23, 59, 59, tzinfo=TOKYO
    )
    assert parse_deadline("2023-02-10 18:00", start, TOKYO) == datetime(
        2023, 2, 10, 18, 0, tzinfo=TOKYO
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-02-10 09:00", "not after the inquiry"),
        ("2023-02-10 10:00", "not after the inquiry"),
        ("2023-02-09", "not after the inquiry"),
        ("0m", "longer than zero"),
        ("soon", "expected a duration"),
    ],
)
def test_bad_deadlines_are_refused(text, message):
    start = datetime(2023, 2, 10, 10, 0, tzinfo=TOKYO)
    with pytest.raises(InvalidValue, match=message):
        parse_deadline(text, start, TOKYO)


def _inquiry(**changes) -> Inquiry:
    values = {
        "id": 1,
        "expectation": "gift/recipient",
        "channel": "chat",
        "at": datetime(2023, 2, 10, 10, 0, tzinfo=TOKYO),
        "promise": "within 5 minutes",
        "promise_by": datetime(2023, 2, 10, 10, 5, tzinfo=TOKYO),
    }
    return Inquiry(**{**values, **changes})


def test_promise_states():
    inquiry = _inquiry()
    before = datetime(2023, 2, 10, 10, 4, tzinfo=TOKYO)
    after = datetime(2023, 2, 10, 10, 6, tzinfo=TOKYO)
    assert promise_state(inquiry, None, before, TOKYO) == "pending"
    assert promise_state(inquiry, None, after, TOKYO) == "broken"
    assert promise_state(inquiry, date(2023, 2, 10), after, TOKYO) == "kept"
    assert promise_state(inquiry, date(2023, 2, 11), after, TOKYO) == "broken"
    assert promise_state(_inquiry(promise="", promise_by=None), None, after, TOKYO) == ""
    # The deadline's day is taken in the user's zone (01:05 UTC is 10:05 in Tokyo).
    utc = _inquiry(promise_by=datetime(2023, 2, 10, 1, 5, tzinfo=UTC))
    assert promise_state(utc, date(2023, 2, 10), after, TOKYO) == "kept"


def test_a_settlement_by_the_deadline_is_not_a_broken_promise():
    inquiry = _inquiry(promise="a gift card within 3 days")
    after = datetime(2023, 2, 20, 12, 0, tzinfo=TOKYO)
    assert promise_state(inquiry, None, after, TOKYO, settled_on=date(2023, 2, 10)) == "settled"
    assert promise_state(inquiry, None, after, TOKYO, settled_on=date(2023, 2, 11)) == "broken"


def test_usability_ranks_coupon_below_gift_card_below_points():
    coupon, gift_card = usability("coupon", "point"), usability("gift-card", "point")
    points, cash = usability("points", "point"), usability("cash", "point")
    assert coupon.rank < gift_card.rank < points.rank == cash.rank
    assert (coupon.relative, gift_card.relative, points.relative) == ("lower", "lower", "same")
    assert "less usable than points" in coupon.note
    assert "less usable than cash" in usability("coupon", "JPY").note


# --- pure: channel advice, language, timeline order, claim --------------------------------------


def test_the_card_chat_is_not_recommended_for_account_questions():
    advice = recommend_channel(RAKUTEN, "Rakuten Card")
    assert advice.use == ("email", "phone")
    assert advice.avoid == ("chat",)
    assert advice.text.startswith("contact Rakuten Card by email or phone: chat answers general")
    assert "cannot see individual accounts" in advice.text
    earlier = [_inquiry(channel="chat")]
    assert (
        "your chat contact on 2023-02-10 could not see the account"
        in recommend_channel(RAKUTEN, "Rakuten Card", earlier).text
    )


def test_channel_advice_for_an_issuer_whose_channels_all_see_the_account():
    advice = recommend_channel(AMAZON, "Amazon.co.jp")
    assert advice.use == ("chat", "email", "phone") and advice.avoid == ()
    assert "each can see your account" in advice.text


def test_channel_advice_without_an_issuer_record():
    advice = recommend_channel(None, "Some Bank")
    assert not advice.known
    assert "no issuer record for 'Some Bank'" in advice.text


def test_claim_language_defaults_to_the_issuers_then_japanese():
    assert claim_language(None, None) == "ja"
    assert claim_language(None, RAKUTEN) == "ja"
    english = Issuer(id="x", name="X", language="en")
    assert claim_language(None, english) == "en"
    assert claim_language("en", RAKUTEN) == "en"
    with pytest.raises(InvalidValue, match="--lang fr"):
        claim_language("fr", None)


def test_timeline_order_within_a_day():
    day = date(2023, 2, 10)
    events = [
        TimelineEvent(day, "settled", "coupon"),
        TimelineEvent(day, "reopened", "not accepted"),
        TimelineEvent(day, "promise", "deadline", at=datetime(2023, 2, 10, 10, 5, tzinfo=TOKYO)),
        TimelineEvent(day, "inquiry", "asked", at=datetime(2023, 2, 10, 10, 0, tzinfo=TOKYO)),
        TimelineEvent(day, "late", "late"),
        TimelineEvent(date(2023, 2, 9), "window_end", "earlier day"),
    ]
    assert [e.text for e in order_timeline(events)] == [
        "earlier day",
        "late",  # known by its day only, at the start: before anything timed
        "asked",
        "deadline",
        "coupon",  # settlements close a day, in the order they happened
        "not accepted",
    ]


def test_a_resolved_alert_follows_the_settlement_that_resolved_it():
    day = date(2023, 2, 11)
    run = datetime(2023, 2, 11, 9, 0, tzinfo=TOKYO)
    events = [
        TimelineEvent(day, "alert_resolved", "resolved", at=run),
        TimelineEvent(day, "alert", "raised", at=run),
        TimelineEvent(day, "settled", "coupon"),
    ]
    assert [e.text for e in order_timeline(events)] == ["raised", "coupon", "resolved"]


def _evidence(**changes) -> Evidence:
    expectation = gift_expectations({"recipient-registered": date(2022, 9, 20)})[1]
    values = {
        "expectation": expectation,
        "campaign_name": "Prime Day",
        "issuer": "Amazon.co.jp",
        "joined": date(2022, 7, 12),
        "as_of": date(2023, 2, 10),
        "status": "late",
        "days_late": 10,
        "grace": 7,
        "account_kind": "points",
    }
    return Evidence(**{**values, **changes})


def test_a_claim_omits_an_empty_terms_link_and_shows_a_given_one():
    without = build_claim(_evidence(), "en").body
    assert "Terms" not in without
    with_terms = build_claim(_evidence(terms_url="https://example.com/terms"), "en").body
    assert "1. Campaign: Prime Day (by Amazon.co.jp)\n   Terms: https://example.com/terms" in (
        with_terms
    )
    assert (
        "規約: https://example.com/terms"
        in build_claim(_evidence(terms_url="https://example.com/terms"), "ja").body
    )


def test_a_claim_says_plainly_that_nothing_was_recorded():
    claim = build_claim(_evidence(), "en")
    assert claim.subject == "Not granted: 500 points from the campaign “Prime Day”"
    assert (
        "4. As of 2023-02-10, no entry of 500 points appears in my point history "
        "(10 days after the window ended on 2023-01-31)" in claim.body
    )
    assert "Request: please grant the 500 points (recipient) to my account." in claim.body
    japanese = build_claim(_evidence(), "ja")
    assert "2023年2月10日時点で、ポイント履歴に500ポイントの付与はありません" in japanese.body
    assert japanese.text.startswith("件名: キャンペーン特典（500ポイント）が付与されていません")


# --- CLI: a small world ------------------------------------------------------------------------

CONFIG = '[pointwatch]\ntimezone = "Asia/Tokyo"\n'


@pytest.fixture
def gift(pw):
    """The two-step points case up to the late second grant (no support contact yet)."""
    pw.write_config(CONFIG)
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12", "--id", "gift")
    pw.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500", "--memo", "Amazonポイント")
    pw.ok("met", "gift", "recipient-registered=2022-09-20")
    return pw


@pytest.fixture
def premium(pw):
    """The fee-waiver case with the fee charged on the first statement."""
    pw.write_config(CONFIG)
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("join", "rakuten-premium-annual-fee-free-3y", "--on", "2025-12-10", "--id", "premium")
    pw.ok("record", "rakuten", "--date", "2026-01-05", "--amount", "11000", "--memo", "年会費")
    return pw


def _status(pw, expectation: str, as_of: str) -> dict:
    items = pw.json("status", "--as-of", as_of)
    return next(item for item in items if item["id"] == expectation)


INQUIRY = (
    "inquiry", "add", "gift/recipient", "--channel", "chat", "--at", "2023-02-10 10:00",
    "--agent", "Sato", "--summary", "asked where the 500 points are",
)  # fmt: skip


def test_inquiry_add_and_list(gift):
    out = gift.ok(*INQUIRY, "--promise", "the points will appear within 5 minutes",
                  "--promise-by", "5m")  # fmt: skip
    assert out.splitlines()[0] == (
        "logged inquiry 1 on gift/recipient: chat 2023-02-10 10:00 (agent Sato)"
    )
    assert "by 2023-02-10 10:05" in out and "follow_up" in out
    gift.ok("inquiry", "add", "gift/sender", "--channel", "email", "--at", "2022-10-01T09:00Z")
    listed = gift.json("inquiry", "list", "gift/recipient", "--as-of", "2023-02-10")
    assert listed == [
        {
            "id": 1,
            "expectation": "gift/recipient",
            "channel": "chat",
            "at": "2023-02-10T10:00+09:00",
            "agent": "Sato",
            "summary": "asked where the 500 points are",
            "promise": "the points will appear within 5 minutes",
            "promise_by": "2023-02-10T10:05+09:00",
            "promise_state": "broken",
        }
    ]
    everything = gift.json("inquiry", "list", "--as-of", "2023-02-10")
    assert [(i["id"], i["at"]) for i in everything] == [
        (2, "2022-10-01T18:00+09:00"),  # given in UTC, shown in the configured zone
        (1, "2023-02-10T10:00+09:00"),
    ]
    assert everything[0]["promise_state"] is None
    # Point in time: the day before, the chat had not happened yet.
    assert [i["id"] for i in gift.json("inquiry", "list", "--as-of", "2023-02-09")] == [2]
    table = gift.ok("inquiry", "list", "--as-of", "2023-02-10")
    assert "2023-02-10 10:05 (broken)" in table


def test_inquiry_list_without_inquiries(gift):
    assert "no inquiries logged" in gift.ok("inquiry", "list")


def test_a_promise_kept_by_a_recorded_grant(gift):
    gift.ok(*INQUIRY, "--promise", "within 2 days", "--promise-by", "2d")
    gift.ok("record", "amazon", "--date", "2023-02-11", "--amount", "500", "--memo", "ギフト券")
    listed = gift.json("inquiry", "list", "--as-of", "2023-02-20")
    assert listed[0]["promise_state"] == "kept"


def test_settle_with_a_substitute_keeps_promised_next_to_received(gift):
    out = gift.ok("settle", "gift/recipient", "--substituted-with", "coupon", "--amount", "500",
                  "--note", "usable on some items only", "--as-of", "2023-02-11")  # fmt: skip
    assert out.splitlines() == [
        "settled gift/recipient: status substituted",
        "  substituted on 2023-02-11: 500 points promised, received a coupon worth 500 yen "
        "(less usable than points: usable only on some items, often one per order, and it "
        "expires) — usable on some items only",
    ]
    item = _status(gift, "gift/recipient", "2023-02-20")
    assert item["status"] == "substituted"
    assert (item["amount"], item["unit"]) == (500, "point")
    assert item["settlement"] == {
        "kind": "substituted",
        "on": "2023-02-11",
        "substitute": "coupon",
        "amount": 500,
        "note": "usable on some items only",
        "usability": "lower",
    }
    open_ids = [i["id"] for i in gift.json("status", "--open", "--as-of", "2023-02-20")]
    assert "gift/recipient" not in open_ids
    assert "coupon 500, less usable" in gift.ok("status", "--as-of", "2023-02-20")


def test_settle_json_and_cash_is_as_usable_as_points(gift):
    item = gift.json("settle", "gift/recipient", "--substituted-with", "cash", "--amount",
                     "500", "--as-of", "2023-02-11")  # fmt: skip
    assert item["status"] == "substituted"
    assert item["settlement"]["usability"] == "same"


@pytest.mark.parametrize(
    ("flag", "status", "kind"),
    [("--forfeit", "forfeited", "forfeited"), ("--write-off", "written_off", "written_off")],
)
def test_forfeit_and_write_off_leave_the_open_list(gift, flag, status, kind):
    out = gift.ok("settle", "gift/recipient", flag, "--reason", "gave up", "--as-of", "2023-03-01")
    assert f"status {status}" in out
    assert "500 points promised, nothing received — gave up" in out
    item = _status(gift, "gift/recipient", "2023-03-02")
    assert item["status"] == status
    assert item["settlement"]["kind"] == kind
    assert item["settlement"]["note"] == "gave up"
    assert item["settlement"]["usability"] is None
    assert "gift/recipient" not in [i["id"] for i in gift.json("status", "--open")]


def test_reopen_undoes_a_settlement_and_keeps_it_in_the_history(gift):
    gift.ok("settle", "gift/recipient", "--substituted-with", "coupon", "--amount", "500",
            "--as-of", "2023-02-11")  # fmt: skip
    out = gift.ok("reopen", "gift/recipient", "--reason", "not points", "--as-of", "2023-02-12")
    assert out.splitlines()[0] == "reopened gift/recipient: status late"
    assert "kept in its history: substituted on 2023-02-11" in out
    assert _status(gift, "gift/recipient", "2023-02-12")["settlement"] is None
    history = gift.json("history", "gift/recipient", "--as-of", "2023-02-12")
    assert history["reopened"] == [
        {
            "kind": "substituted",
            "on": "2023-02-11",
            "substitute": "coupon",
            "amount": 500,
            "note": "",
            "usability": "lower",
            "reopened_on": "2023-02-12",
            "reason": "not points",
        }
    ]
    # Settling again after a reopen is allowed.
    gift.ok("settle", "gift/recipient", "--substituted-with", "gift-card", "--amount", "500",
            "--as-of", "2023-02-15")  # fmt: skip
    assert _status(gift, "gift/recipient", "2023-02-15")["settlement"]["substitute"] == "gift-card"


def test_claim_for_a_card_fee_recommends_email_or_phone_and_is_japanese(premium):
    out = premium.ok("claim", "premium/annual-fee/1", "--as-of", "2026-02-15")
    lines = out.splitlines()
    assert lines[0] == (
        "Channel: contact Rakuten Card by email or phone: chat answers general rules only and "
        "cannot see individual accounts. Where: Rakuten Card e-NAVI > お問い合わせ (email form), "
        "or the Rakuten Card contact centre"
    )
    assert lines[1] == "--- message (ja) ---"
    assert lines[2] == "件名: 免除のはずの料金が請求されています（11,000円、2026年2月請求分）"
    assert "規約" not in out  # the shipped campaign has no terms link: omitted, not blank
    assert (
        "3. 2026年2月請求分（締め日 2026年1月31日、引き落とし日 2026年2月27日）で、"
        "楽天プレミアムカードの年会費 11,000円は請求されないはずです" in out
    )
    assert "4. 2026年2月請求分に 2026年1月5日 付で 11,000円（「年会費」）が請求されています" in out
    assert "ご依頼: 2026年2月請求分の11,000円の請求を取り消し（返金）してください。" in out


def test_claim_json_and_english(premium):
    premium.ok("inquiry", "add", "premium/annual-fee/1", "--channel", "chat", "--at",
               "2026-02-14 12:00", "--summary", "chat said it cannot see my account")  # fmt: skip
    draft = premium.json("claim", "premium/annual-fee/1", "--lang", "en", "--as-of", "2026-02-15")
    assert draft["language"] == "en"
    assert draft["subject"] == "Waived fee charged: 11,000 yen on statement 2026-02"
    assert draft["channel"]["use"] == ["email", "phone"]
    assert draft["channel"]["avoid"] == ["chat"]
    assert (
        "your chat contact on 2026-02-14 could not see the account" in (draft["channel"]["advice"])
    )
    body = draft["body"]
    assert "4. Statement 2026-02 shows a charge of 11,000 yen on 2026-01-05 (“年会費”)" in body
    assert "2026-02-14 12:00 by chat: chat said it cannot see my account" in body
    assert body.endswith("Thank you.")
    assert "Request: please cancel (refund) the charge of 11,000 yen on statement 2026-02" in body


def test_claim_for_a_waiver_not_yet_checked_asks_for_confirmation(premium):
    draft = premium.json("claim", "premium/annual-fee/2", "--lang", "en", "--as-of", "2026-02-15")
    assert draft["subject"] == "Please confirm the fee waiver: 11,000 yen, statement 2027-02"
    assert "Request: please confirm that the annual fee" in draft["body"]


def test_claim_uses_the_issuer_language_and_terms_link(pw, tmp_path):
    pw.write_config(CONFIG)
    definitions = tmp_path / "mine.toml"
    definitions.write_text(
        """
[[issuer]]
id = "example-bank"
name = "Example Bank"
account_channels = ["form"]
general_channels = ["chat", "phone"]
language = "en"

[[campaign]]
id = "bank-bonus"
name = "Open an account, get 1,000 yen"
issuer = "Example Bank"
terms_url = "https://bank.example/terms"

[[campaign.grant]]
id = "bonus"
amount = 1000
unit = "JPY"
account = "bank"
window = "2024-03"
""",
        encoding="utf-8",
    )
    pw.ok("campaign", "add", str(definitions))
    pw.ok("account", "add", "savings", "--kind", "bank")
    pw.ok("join", "bank-bonus", "--on", "2024-01-10", "--account", "bank=savings")
    out = pw.ok("claim", "bank-bonus/bonus", "--as-of", "2024-04-20")
    assert out.splitlines()[0] == (
        "Channel: contact Example Bank by web form: chat or phone answer general rules only and "
        "cannot see individual accounts"
    )
    assert "--- message (en) ---" in out
    assert "   Terms: https://bank.example/terms" in out
    assert "1,000 yen" in out and "bank account history" in out


def test_history_shows_the_whole_timeline(gift):
    gift.ok(*INQUIRY, "--promise", "within 5 minutes", "--promise-by", "5m")
    gift.ok("settle", "gift/recipient", "--write-off", "--reason", "tired", "--as-of", "2023-02-20")
    history = gift.json("history", "gift/recipient", "--as-of", "2023-02-20")
    assert history["status"] == "written_off"
    assert [(e["date"], e["kind"]) for e in history["events"]] == [
        ("2022-07-12", "joined"),
        ("2022-09-20", "condition_met"),
        ("2023-01-21", "window_start"),
        ("2023-01-31", "window_end"),
        ("2023-02-08", "late"),
        ("2023-02-10", "inquiry"),
        ("2023-02-10", "promise"),
        ("2023-02-20", "settled"),
    ]
    promise = history["events"][6]
    assert promise["at"] == "2023-02-10T10:05+09:00"
    assert promise["promise_state"] == "broken"
    lines = gift.ok("history", "gift/recipient", "--as-of", "2023-02-20").splitlines()
    assert lines[0] == (
        "gift/recipient: 500 points — Prime Day 2022: gift a gift card of 5,000 yen or more, "
        "up to 1,000 points"
    )
    assert lines[1] == "status as of 2023-02-20: written_off"
    assert "2023-02-10 10:00  inquiry" in "\n".join(lines)


def test_history_of_a_received_grant_shows_its_entry(gift):
    events = gift.json("history", "gift/sender", "--as-of", "2022-10-01")["events"]
    entry = next(e for e in events if e["kind"] == "entry")
    assert entry["date"] == "2022-09-15"
    assert entry["text"] == "received: entry 1 on amazon, 500 points “Amazonポイント”"
    assert "late" not in [e["kind"] for e in events]


def test_history_marks_events_still_ahead(gift):
    out = gift.ok("history", "gift/recipient", "--as-of", "2023-01-25")
    assert "window closes (due date): 500 points  (ahead)" in out


# --- bad input: one-line error, exit 2, database unchanged --------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("inquiry", "add", "gift/nope", "--channel", "chat", "--at", "2023-02-10 10:00"),
         "expectation 'gift/nope' not found"),
        (("inquiry", "list", "gift/nope"), "expectation 'gift/nope' not found"),
        (("settle", "gift/nope", "--forfeit", "--reason", "x"), "not found"),
        (("reopen", "gift/nope"), "not found"),
        (("claim", "gift/nope"), "not found"),
        (("history", "gift/nope"), "not found"),
        ((*INQUIRY, "--promise", "soon", "--promise-by", "2023-02-10 09:00"),
         "--promise-by '2023-02-10 09:00': the deadline 2023-02-10 09:00 is not after the "
         "inquiry (2023-02-10 10:00)"),
        ((*INQUIRY, "--promise", "soon", "--promise-by", "2023-02-10 10:00"), "not after"),
        ((*INQUIRY, "--promise", "soon", "--promise-by", "0m"), "longer than zero"),
        ((*INQUIRY, "--promise-by", "5m"), "--promise-by needs --promise"),
        ((*INQUIRY, "--promise", "soon"), "--promise needs --promise-by"),
        (("inquiry", "add", "gift/recipient", "--channel", "fax", "--at", "2023-02-10 10:00"),
         "--channel 'fax': expected one of chat, email, phone, form"),
        (("inquiry", "add", "gift/recipient", "--channel", "chat", "--at", "2023-02-10"),
         "--at '2023-02-10': give the time too"),
        (("inquiry", "add", "gift/recipient", "--channel", "chat", "--at", "noon"),
         "--at 'noon': not a date and time"),
        (("inquiry", "add", "gift/recipient", "--channel", "chat", "--at", "2022-07-01 10:00"),
         "before the enrollment 'gift' joined on 2022-07-12"),
        (("settle", "gift/recipient", "--as-of", "2023-02-11"),
         "give exactly one of --substituted-with KIND, --forfeit, --write-off"),
        (("settle", "gift/recipient", "--forfeit", "--write-off", "--reason", "x"),
         "(got --forfeit and --write-off)"),
        (("settle", "gift/recipient", "--substituted-with", "coupon", "--forfeit", "--amount",
          "500", "--reason", "x"), "give exactly one of"),
        (("settle", "gift/recipient", "--substituted-with", "coupon"),
         "--substituted-with needs --amount"),
        (("settle", "gift/recipient", "--substituted-with", "voucher", "--amount", "500"),
         "--substituted-with 'voucher': expected one of coupon, gift-card, points, cash"),
        (("settle", "gift/recipient", "--substituted-with", "coupon", "--amount", "500",
          "--reason", "x"), "--reason goes with --forfeit or --write-off"),
        (("settle", "gift/recipient", "--forfeit"), "--forfeit needs --reason"),
        (("settle", "gift/recipient", "--write-off", "--reason", "  "), "--write-off needs --reason"),
        (("settle", "gift/recipient", "--forfeit", "--reason", "x", "--amount", "5"),
         "--amount goes with --substituted-with, not --forfeit"),
        (("settle", "gift/recipient", "--forfeit", "--reason", "x", "--note", "y"),
         "--note goes with --substituted-with"),
        (("settle", "gift/recipient", "--forfeit", "--reason", "x", "--as-of", "2022-07-01"),
         "--as-of 2022-07-01: before the enrollment 'gift' joined on 2022-07-12"),
        (("settle", "gift/sender", "--forfeit", "--reason", "x"),
         "expectation 'gift/sender' is received (entry 1): nothing to settle"),
        (("reopen", "gift/recipient"), "expectation 'gift/recipient' is not settled"),
        (("claim", "gift/sender"), "is received (entry 1 on 2022-09-15): nothing to claim"),
        (("claim", "gift/recipient", "--lang", "fr"), "--lang fr: expected one of ja, en"),
    ],
)  # fmt: skip
def test_bad_input_changes_nothing(gift, unchanged, args, message):
    stderr = unchanged(*args)
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


@pytest.mark.parametrize("amount", ["0", "-5", "12.5", "abc"])
def test_a_substitute_amount_must_be_a_positive_whole_number(gift, unchanged, amount):
    stderr = unchanged(
        "settle", "gift/recipient", "--substituted-with", "coupon", "--amount", amount
    )
    assert "expected a positive whole number" in stderr


def test_settling_twice_is_a_conflict(gift, unchanged):
    gift.ok("settle", "gift/recipient", "--substituted-with", "coupon", "--amount", "500",
            "--as-of", "2023-02-11")  # fmt: skip
    stderr = unchanged("settle", "gift/recipient", "--substituted-with", "gift-card", "--amount",
                       "500", "--as-of", "2023-02-15")  # fmt: skip
    assert stderr.strip() == (
        "Error: expectation 'gift/recipient' is already settled (substituted with coupon on "
        "2023-02-11); run `pointwatch reopen gift/recipient` first"
    )


def test_reopen_before_the_settlement_day_is_refused(gift, unchanged):
    gift.ok("settle", "gift/recipient", "--forfeit", "--reason", "x", "--as-of", "2023-02-11")
    stderr = unchanged("reopen", "gift/recipient", "--as-of", "2023-02-10")
    assert "--as-of 2023-02-10: before the settlement on 2023-02-11" in stderr


def test_support_commands_work_on_a_database_made_before_their_tables(gift):
    import sqlite3

    with sqlite3.connect(gift.db_path) as connection:
        for table in ("inquiry", "reopened_settlement", "alert_delivery", "alert"):
            connection.execute(f'DROP TABLE IF EXISTS "{table}"')
        # As an older pointwatch left it: a schema version from before these tables.
        connection.execute("DROP TABLE alembic_version")
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    gift.ok(*INQUIRY)
    gift.ok("settle", "gift/recipient", "--forfeit", "--reason", "x", "--as-of", "2023-02-11")
    gift.ok("reopen", "gift/recipient", "--as-of", "2023-02-12")
    kinds = [
        e["kind"] for e in gift.json("history", "gift/recipient", "--as-of", "2023-02-12")["events"]
    ]
    assert kinds[-3:] == ["inquiry", "settled", "reopened"]


def test_history_of_a_waiver_shows_its_statement_and_the_check(premium, unchanged):
    premium.ok("checked", "rakuten", "2027-02", "--as-of", "2027-02-20")
    history = premium.json("history", "premium/annual-fee/2", "--as-of", "2027-03-01")
    assert history["status"] == "confirmed"
    assert [(e["date"], e["kind"]) for e in history["events"]] == [
        ("2025-12-10", "joined"),
        ("2027-01-31", "statement_closing"),
        ("2027-02-12", "statement_ready"),
        ("2027-02-20", "statement_checked"),
        ("2027-03-01", "payment"),
    ]
    assert history["events"][3]["text"] == (
        "statement 2027-02 of rakuten checked in full: no such fee"
    )
    stderr = unchanged("claim", "premium/annual-fee/2", "--as-of", "2027-03-01")
    assert "is confirmed (statement 2027-02 checked): nothing to claim" in stderr


def test_a_claim_as_of_a_day_cites_only_what_happened_by_then(gift):
    gift.ok(*INQUIRY)
    body = gift.json("claim", "gift/recipient", "--lang", "en", "--as-of", "2023-02-09")["body"]
    assert "Earlier contacts" not in body
    body = gift.json("claim", "gift/recipient", "--lang", "en", "--as-of", "2023-02-10")["body"]
    assert "2023-02-10 10:00 by chat (agent: Sato): asked where the 500 points are" in body
