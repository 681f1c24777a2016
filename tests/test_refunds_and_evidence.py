"""Issue 8 items 3 (the rest), 5 and 6: refunded fees; claim, history, inquiry list and remind
agree about a promise and show only what existed on the day asked."""

from __future__ import annotations

from tests import test_support

# The shared case fixtures.
gift = test_support.gift
premium = test_support.premium


def _row(pw, expectation: str, as_of: str) -> dict:
    return next(i for i in pw.json("status", "--as-of", as_of) if i["id"] == expectation)


def _settles(pw) -> dict[str, str | None]:
    return {item["description"]: item["expectation"] for item in pw.json("entries")}


# --- item 5: refunded ---------------------------------------------------------------------------


def test_a_credit_of_the_fee_after_it_makes_the_waiver_refunded(premium) -> None:
    assert _row(premium, "premium/annual-fee/1", "2026-02-15")["status"] == "fee_charged"
    premium.ok("record", "rakuten", "--date", "2026-02-03", "--amount", "11000",
               "--memo", "年会費 返金", "--credit")  # fmt: skip
    assert _row(premium, "premium/annual-fee/1", "2026-02-02")["status"] == "fee_charged"
    row = _row(premium, "premium/annual-fee/1", "2026-03-15")
    assert row["status"] == "refunded" and row["refund"] is not None
    assert _settles(premium) == {"年会費": "premium/annual-fee/1",
                                 "年会費 返金": "premium/annual-fee/1"}  # fmt: skip
    assert "refunded" not in premium.ok("status", "--open", "--as-of", "2026-03-15")


def test_a_credit_without_the_keyword_or_before_the_fee_is_no_refund(premium) -> None:
    premium.ok("record", "rakuten", "--date", "2026-02-03", "--amount", "11000",
               "--memo", "キャッシュバック", "--credit")  # fmt: skip
    premium.ok("record", "rakuten", "--date", "2026-01-02", "--amount", "11000",
               "--memo", "年会費 返金", "--credit")  # fmt: skip
    assert _row(premium, "premium/annual-fee/1", "2026-03-15")["status"] == "fee_charged"


def test_settle_refunded_and_the_fee_entry_stays_its_evidence(premium) -> None:
    out = premium.ok("settle", "premium/annual-fee/1", "--refunded", "--as-of", "2026-02-20")
    assert "status refunded" in out
    assert _row(premium, "premium/annual-fee/1", "2026-02-21")["status"] == "refunded"
    assert _settles(premium) == {"年会費": "premium/annual-fee/1"}  # the charge stays linked
    history = premium.ok("history", "premium/annual-fee/1", "--as-of", "2026-02-21")
    assert "年会費" in history and "refunded" in history


def test_a_written_off_fee_keeps_its_entry_in_history_and_entries(premium) -> None:
    premium.ok("settle", "premium/annual-fee/1", "--write-off", "--reason", "not worth it",
               "--as-of", "2026-02-20")  # fmt: skip
    assert _settles(premium) == {"年会費": "premium/annual-fee/1"}
    history = premium.json("history", "premium/annual-fee/1", "--as-of", "2026-02-21")
    assert history["entry"] is not None
    assert any(event["kind"] == "entry" for event in history["events"])


def test_refunded_is_for_waivers_only(gift, unchanged) -> None:
    message = unchanged("settle", "gift/recipient", "--refunded", "--as-of", "2023-02-10")
    assert "--refunded: 'gift/recipient' is a grant; only a waived fee is refunded" in message


def test_the_fee_charged_alert_offers_the_refunded_option(premium) -> None:
    report = premium.json("remind", "--as-of", "2026-02-15")
    [alert] = [a for a in report["delivered"] if a["kind"] == "fee_charged"]
    assert "`pointwatch settle premium/annual-fee/1 --refunded`" in alert["message"]


# --- items 3 and 6: one computation, as of the day asked --------------------------------------

CHAT = ("inquiry", "add", "gift/recipient", "--channel", "chat", "--at", "2023-02-10 10:00",
        "--promise", "the points will appear within 5 minutes", "--promise-by", "5m")  # fmt: skip


def test_claim_history_inquiry_list_and_remind_agree_on_a_broken_promise(gift) -> None:
    gift.ok(*CHAT)
    gift.ok("record", "amazon", "--date", "2023-03-01", "--amount", "500", "--memo", "ポイント")
    day = "2023-02-11"  # the deadline has passed, the points came only in March
    [listed] = gift.json("inquiry", "list", "gift/recipient", "--as-of", day)
    assert listed["promise_state"] == "broken"
    history = gift.json("history", "gift/recipient", "--as-of", day)
    assert history["status"] == "late"
    promises = [e for e in history["events"] if e.get("promise_state")]
    assert [e["promise_state"] for e in promises] == ["broken"]
    claim = gift.ok("claim", "gift/recipient", "--lang", "en", "--as-of", day)
    assert "broken" in claim.lower() or "not kept" in claim.lower()
    assert "kept" not in claim.lower().replace("not kept", "")
    report = gift.json("remind", "--as-of", day)
    assert any(a["kind"] == "follow_up" for a in report["raised"])


def test_history_and_inquiry_list_show_nothing_logged_after_the_day(gift) -> None:
    gift.ok(*CHAT)
    assert gift.json("inquiry", "list", "--as-of", "2023-02-09") == []
    history = gift.json("history", "gift/recipient", "--as-of", "2023-02-09")
    assert not [e for e in history["events"] if e["kind"] == "inquiry"]
    assert gift.json("remind", "--as-of", "2023-02-09")["raised"] == [] or all(
        a["kind"] != "follow_up" for a in gift.json("remind", "--as-of", "2023-02-09")["raised"]
    )


def test_history_as_of_a_day_before_the_condition_was_met_does_not_cite_it(gift) -> None:
    def conditions(day: str) -> list[dict]:
        events = gift.json("history", "gift/recipient", "--as-of", day)["events"]
        return [e for e in events if e["kind"] == "condition_met"]

    assert conditions("2022-09-19") == []  # the recipient registered on 09-20
    assert [e["date"] for e in conditions("2022-09-21")] == ["2022-09-20"]


def test_a_settlement_reopened_later_was_in_force_before(gift) -> None:
    gift.ok("settle", "gift/recipient", "--substituted-with", "coupon", "--amount", "500",
            "--as-of", "2023-02-15")  # fmt: skip
    gift.ok("reopen", "gift/recipient", "--reason", "not a coupon", "--as-of", "2023-02-20")
    assert _row(gift, "gift/recipient", "2023-02-16")["status"] == "substituted"
    assert _row(gift, "gift/recipient", "2023-02-21")["status"] == "late"
