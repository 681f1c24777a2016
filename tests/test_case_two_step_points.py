"""DESIGN §1, the two-step points case, replayed end to end through the CLI (issue 5, "Done means").

A member buys a gift card for a friend during Prime Day 2022: 500 points in mid-September, and
500 more in late January once the friend registers the card. The second grant does not come;
chat support promises "within 5 minutes", a coupon arrives instead, the member complains again
and finally gets a 500-yen gift card.

How the coupon is recorded (the careful user's way): it is settled as a substitute when it
arrives, so the expectation leaves the open list and the follow-up stops; the user does not
accept it, so `reopen` puts the expectation back (late again) while the coupon stays in the
history and in the next claim ("I did not accept it as settlement"); the gift card is then the
final settlement. Both substitutes remain on record, each marked as less usable than points.
"""

from __future__ import annotations

CONFIG = '[pointwatch]\ntimezone = "Asia/Tokyo"\n'
RECIPIENT = "gift/recipient"


def _expectation(pw, as_of: str) -> dict:
    return next(e for e in pw.json("status", "--as-of", as_of) if e["id"] == RECIPIENT)


def _alerts(pw, as_of: str) -> list[tuple[str, str]]:
    report = pw.json("remind", "--as-of", as_of)
    return [(alert["kind"], alert["expectation"]) for alert in report["raised"]]


EXPECTED_CLAIM_EN = """\
Subject: Not granted: 500 points from the campaign “Prime Day 2022: gift a gift card of 5,000 \
yen or more, up to 1,000 points”

Hello,

I am writing about a campaign benefit on my account. The facts:

1. Campaign: Prime Day 2022: gift a gift card of 5,000 yen or more, up to 1,000 points \
(by Amazon.co.jp)
2. I joined on 2022-07-12 (campaign period 2022-07-12 to 2022-07-13)
3. Condition met: the recipient registered the gift card on their account \
(recipient-registered) on 2022-09-20
4. Expected: 500 points (500 more points once the recipient registers the gift card) in my \
point history, to be granted 2023-01-21 to 2023-01-31
5. As of 2023-02-12, no entry of 500 points appears in my point history (12 days after the \
window ended on 2023-01-31)
6. The other benefit of this campaign (sender: 500 points) was granted on 2022-09-15
7. Earlier contacts:
   - 2023-02-10 10:00 by chat (agent: Sato): asked where the 500 points are
     Promised: “the points will appear within 5 minutes” by 2023-02-10 10:05 — not kept
   - 2023-02-11: I received a coupon worth 500 yen instead (less usable than points: usable \
only on some items, often one per order, and it expires); I did not accept it as settlement

Request: please grant the 500 points (500 more points once the recipient registers the gift \
card) to my account. If it cannot be granted, please tell me why, and by which date it will \
be. The coupon I received does not replace the 500 points: it is usable only on some items, \
often one per order, and it expires. An earlier promise was not kept: please reply with a \
firm date.

Thank you."""


def test_two_step_points_case_end_to_end(pw):
    pw.write_config(CONFIG)

    # Joined during the sale, the points account bound to the campaign's `points` role.
    pw.ok("account", "add", "amazon", "--kind", "points")
    joined = pw.ok("join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12",
                   "--account", "points=amazon", "--id", "gift")  # fmt: skip
    assert "gift/recipient: 500 points into amazon: window 2023-01-21 – 2023-01-31" in joined

    # The first grant arrives in mid-September; the friend registers the card.
    recorded = pw.ok("record", "amazon", "--date", "2022-09-15", "--amount", "500",
                     "--memo", "Amazonポイント")  # fmt: skip
    assert "settles gift/sender" in recorded
    pw.ok("met", "gift", "recipient-registered=2022-09-20")

    # Nothing by 31 January: due during the grace days, late afterwards.
    assert _expectation(pw, "2023-01-31")["status"] == "due"
    late = _expectation(pw, "2023-02-10")
    assert (late["status"], late["days_late"]) == ("late", 10)
    assert _alerts(pw, "2023-02-08") == [("late", RECIPIENT)]

    # Chat support promises the points "within 5 minutes".
    pw.ok("inquiry", "add", RECIPIENT, "--channel", "chat", "--at", "2023-02-10 10:00",
          "--agent", "Sato", "--summary", "asked where the 500 points are",
          "--promise", "the points will appear within 5 minutes", "--promise-by", "5m")  # fmt: skip
    (inquiry,) = pw.json("inquiry", "list", RECIPIENT, "--as-of", "2023-02-10")
    assert (inquiry["promise_by"], inquiry["promise_state"]) == ("2023-02-10T10:05+09:00", "broken")

    # The daily run notices the broken promise.
    assert ("follow_up", RECIPIENT) in _alerts(pw, "2023-02-10")

    # A coupon comes instead of points: recorded as a substitute, the follow-up stops.
    pw.ok("settle", RECIPIENT, "--substituted-with", "coupon", "--amount", "500",
          "--note", "usable on some items only, one per order", "--as-of", "2023-02-11")  # fmt: skip
    coupon = _expectation(pw, "2023-02-11")
    assert coupon["status"] == "substituted"
    assert coupon["settlement"]["usability"] == "lower"
    assert RECIPIENT not in [e["id"] for e in pw.json("status", "--open", "--as-of", "2023-02-11")]
    assert _alerts(pw, "2023-02-11") == []

    # A coupon is not the points: reopen (it stays on record), draft the claim, complain again.
    reopened = pw.ok("reopen", RECIPIENT, "--reason", "a coupon is not the 500 points promised",
                     "--as-of", "2023-02-12")  # fmt: skip
    assert reopened.splitlines()[0] == "reopened gift/recipient: status late"
    claim_en = pw.ok("claim", RECIPIENT, "--lang", "en", "--as-of", "2023-02-12")
    assert claim_en.splitlines()[:2] == [
        "Channel: contact Amazon.co.jp by chat, email or phone: each can see your account. "
        "Where: Amazon.co.jp カスタマーサービス (chat from the help pages)",
        "--- message (en) ---",
    ]
    assert claim_en.split("--- message (en) ---\n", 1)[1] == EXPECTED_CLAIM_EN + "\n"
    claim_ja = pw.ok("claim", RECIPIENT, "--as-of", "2023-02-12")  # Japanese by default
    assert (
        "--- message (ja) ---\n件名: キャンペーン特典（500ポイント）が付与されていません"
        in claim_ja
    )
    for line in (
        "1. キャンペーン: プライムデー2022: 5,000円以上のギフト券を贈ると最大1,000ポイント"
        "（Amazon.co.jp）",
        "3. 達成した条件: 受け取った方がギフト券を自分のアカウントに登録した（2022年9月20日）",
        "5. 2023年2月12日時点で、ポイント履歴に500ポイントの付与はありません"
        "（付与予定期間の終了 2023年1月31日 から12日経過）",
        "6. 同じキャンペーンの別の特典（5,000円以上のギフト券を他の方に購入した特典の500ポイント: "
        "500ポイント）は 2022年9月15日 に付与済みです",
        "   - 2023年2月10日 10:00 チャット（担当: Sato）: asked where the 500 points are",
        "     回答: 「the points will appear within 5 minutes」（期限 2023年2月10日 10:05）"
        "→ 守られていません",
        "   - 2023年2月11日: 代わりに500円分のクーポンを受け取りました（ポイントより使いにくい: "
        "対象商品が限られ、1注文1枚まで、有効期限もあります）。精算としては受け入れていません",
    ):
        assert line in claim_ja.splitlines(), line
    assert "受け取ったクーポンは対象商品が限られ、1注文1枚まで、有効期限もあるため、" in claim_ja
    assert "500ポイントの代わりにはなりません。" in claim_ja
    pw.ok("inquiry", "add", RECIPIENT, "--channel", "email", "--at", "2023-02-12 09:30",
          "--summary", "complained: a coupon instead of the points",
          "--promise", "a 500-yen gift card within 3 days", "--promise-by", "3d")  # fmt: skip

    # A 500-yen gift card: the final settlement.
    pw.ok("settle", RECIPIENT, "--substituted-with", "gift-card", "--amount", "500",
          "--as-of", "2023-02-14")  # fmt: skip
    final = _expectation(pw, "2023-02-20")
    assert (final["status"], final["amount"], final["unit"]) == ("substituted", 500, "point")
    assert final["settlement"] == {
        "kind": "substituted",
        "on": "2023-02-14",
        "substitute": "gift-card",
        "amount": 500,
        "note": "",
        "usability": "lower",
    }
    states = [i["promise_state"] for i in pw.json("inquiry", "list", "--as-of", "2023-02-20")]
    assert states == ["broken", "settled"]

    # The whole timeline, oldest first.
    history = pw.json("history", RECIPIENT, "--as-of", "2023-02-20")
    assert [(e["date"], e["kind"]) for e in history["events"]] == [
        ("2022-07-12", "joined"),
        ("2022-09-20", "condition_met"),
        ("2023-01-21", "window_start"),
        ("2023-01-31", "window_end"),
        ("2023-02-08", "late"),
        ("2023-02-08", "alert"),  # late
        ("2023-02-10", "inquiry"),
        ("2023-02-10", "promise"),
        ("2023-02-10", "alert"),  # follow_up
        ("2023-02-11", "settled"),  # the coupon
        ("2023-02-11", "alert_resolved"),
        ("2023-02-11", "alert_resolved"),
        ("2023-02-12", "inquiry"),
        ("2023-02-12", "reopened"),
        ("2023-02-14", "settled"),  # the gift card
        ("2023-02-15", "promise"),
    ]
    events = history["events"]
    assert [e.get("alert_kind") for e in events if e["kind"] == "alert"] == ["late", "follow_up"]
    assert events[6]["at"] == "2023-02-10T10:00+09:00"
    assert events[7]["promise_state"] == "broken"
    assert (events[9]["substitute"], events[9]["usability"]) == ("coupon", "lower")
    assert events[13]["reason"] == "a coupon is not the 500 points promised"
    assert (events[14]["substitute"], events[14]["usability"]) == ("gift-card", "lower")
    assert events[15]["promise_state"] == "settled"
    assert [(r["substitute"], r["on"], r["reopened_on"]) for r in history["reopened"]] == [
        ("coupon", "2023-02-11", "2023-02-12")
    ]

    lines = pw.ok("history", RECIPIENT, "--as-of", "2023-02-20").splitlines()
    assert lines[:4] == [
        "gift/recipient: 500 points — Prime Day 2022: gift a gift card of 5,000 yen or more, "
        "up to 1,000 points",
        "status as of 2023-02-20: substituted",
        "substituted on 2023-02-14: 500 points promised, received a gift card worth 500 yen "
        "(less usable than points: spendable only where the gift card is accepted)",
        "earlier, reopened on 2023-02-12: substituted on 2023-02-11: 500 points promised, "
        "received a coupon worth 500 yen (less usable than points: usable only on some items, "
        "often one per order, and it expires) — usable on some items only, one per order",
    ]
    assert (
        "2023-02-10 10:05  promise            promise deadline: “the points will appear within "
        "5 minutes” — not kept"
    ) in lines
