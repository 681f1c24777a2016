"""domain/alerts.py: which alerts a day raises, their messages, and when they are delivered."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pointwatch.domain.alerts import (
    CHANGED,
    NEW,
    RENOTIFY,
    RETRY,
    SNOOZE_ENDED,
    CampaignInfo,
    DeliveryState,
    alert_drafts,
    alert_key,
    delivery_reason,
    is_open,
)
from pointwatch.domain.entries import RecordedEntry
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.statuses import (
    CHECK,
    CONFIRMED,
    DUE,
    FEE_CHARGED,
    LATE,
    RECEIVED,
    SUBSTITUTED,
    UPCOMING,
    Evaluation,
)
from pointwatch.domain.support import Inquiry
from tests.factories import fee_expectations, gift_expectations

TOKYO = ZoneInfo("Asia/Tokyo")
# The recipient grant once the recipient registered, and the first annual-fee occurrence.
GRANT = gift_expectations({"recipient-registered": date(2022, 9, 20)})[1]
WAIVER = fee_expectations(enrollment="rk")[0]
CAMPAIGNS = {
    GRANT.campaign: CampaignInfo(
        "Prime Day 2022 gift card", "Amazon.co.jp", "Amazon カスタマーサービス", ("chat", "email")
    ),
    WAIVER.campaign: CampaignInfo(
        "Rakuten Premium: fee free 3 years", "Rakuten Card", "e-NAVI", ("email", "phone")
    ),
}


def at(day: str, clock: str = "09:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TOKYO)


def alerts(*evaluations: Evaluation, now: datetime, inquiries=(), entries=None, upcoming=3):
    drafts = alert_drafts(
        evaluations, inquiries, now, upcoming_days=upcoming,
        campaigns=CAMPAIGNS, entries=entries,
    )  # fmt: skip
    return [draft.render() for draft in drafts]


# --- which alerts a day raises ------------------------------------------------------------------


def test_late_grant_says_what_where_since_when_and_what_next() -> None:
    [alert] = alerts(Evaluation(GRANT, LATE, days_late=10), now=at("2023-02-10"))
    assert alert.key == "late:gift/recipient"
    assert (alert.kind, alert.expectation, alert.since) == ("late", GRANT.id, date(2023, 2, 8))
    assert alert.title == "Late: 500 points from Amazon.co.jp (gift/recipient)"
    body = alert.body
    assert "Owed: 500 points into amazon — Prime Day 2022 gift card (recipient)." in body
    assert "Where to look: the history of amazon, window 2023-01-21 – 2023-01-31." in body
    assert "Late since 2023-02-08 (due 2023-01-31, then 7 days of grace)." in body
    assert '`pointwatch record amazon --date DATE --amount 500 --memo "ギフト券"`' in body
    assert "`pointwatch claim gift/recipient`" in body
    assert "contact Amazon.co.jp by chat or email (Amazon カスタマーサービス)" in body
    assert "`pointwatch inquiry add gift/recipient --channel chat" in body
    assert alert.message == alert.title + "\n" + body


def test_late_facts_do_not_change_from_one_day_to_the_next() -> None:
    [monday] = alerts(Evaluation(GRANT, LATE, days_late=10), now=at("2023-02-10"))
    [tuesday] = alerts(Evaluation(GRANT, LATE, days_late=11), now=at("2023-02-11"))
    assert monday == tuesday  # no day counter in the text or the facts


def test_late_facts_change_with_the_amount() -> None:
    [before] = alerts(Evaluation(GRANT, LATE, days_late=10), now=at("2023-02-10"))
    more = Expectation(**{**GRANT.__dict__, "amount": 600, "match_amount": 600})
    [after] = alerts(Evaluation(more, LATE, days_late=10), now=at("2023-02-10"))
    assert before.key == after.key
    assert before.facts != after.facts


def test_check_statement_names_the_statement_its_dates_and_the_command() -> None:
    [alert] = alerts(Evaluation(WAIVER, CHECK), now=at("2026-02-12"))
    assert alert.key == "check_statement:rk/annual-fee/1"
    assert alert.since == date(2026, 2, 12)
    assert alert.title == (
        "Check statement 2026-02 of rakuten: annual fee 11,000 JPY must not be charged "
        "(rk/annual-fee/1)"
    )
    assert (
        "Open the 2026-02 statement of rakuten, fixed on 2026-02-12 and debited "
        "2026-02-27, look for the annual fee (年会費), then run "
        "`pointwatch checked rakuten 2026-02`."
    ) in alert.body
    assert "next statement (2026-03)" in alert.body


def test_fee_charged_shows_the_entry_found() -> None:
    entry = RecordedEntry(17, date(2026, 1, 15), 11000, "年会費", "2026-02")
    [alert] = alerts(
        Evaluation(WAIVER, FEE_CHARGED, entry=17), now=at("2026-02-13"), entries={17: entry}
    )
    assert alert.key == "fee_charged:rk/annual-fee/1"
    assert alert.since == date(2026, 1, 15)
    assert alert.title == (
        "Fee charged: annual fee 11,000 JPY on rakuten statement 2026-02 (rk/annual-fee/1)"
    )
    assert "Found: 2026-01-15 11,000 JPY '年会費' on statement 2026-02 of rakuten (entry 17)." in (
        alert.body
    )
    assert "contact Rakuten Card by email or phone (e-NAVI)" in alert.body
    assert "`pointwatch settle rk/annual-fee/1 --refunded`" in alert.body


def test_fee_charged_facts_follow_the_entry() -> None:
    [first] = alerts(Evaluation(WAIVER, FEE_CHARGED, entry=17), now=at("2026-02-13"))
    [second] = alerts(Evaluation(WAIVER, FEE_CHARGED, entry=18), now=at("2026-02-13"))
    assert first.facts != second.facts


@pytest.mark.parametrize(
    ("day", "raised"),
    [
        ("2023-01-27", False),  # 4 days before the window closes
        ("2023-01-28", True),  # 3 days before
        ("2023-01-31", True),  # the last day of the window
    ],
)
def test_upcoming_check_for_a_grant_window_closing(day: str, raised: bool) -> None:
    found = alerts(Evaluation(GRANT, DUE), now=at(day))
    assert [a.kind for a in found] == (["upcoming_check"] if raised else [])
    if raised:
        assert found[0].title == (
            "Due soon: 500 points from Amazon.co.jp by 2023-01-31 (gift/recipient)"
        )
        assert "pointwatch calls it late after 2023-02-07" in found[0].body
        assert found[0].since == date(2023, 1, 28)


def test_no_upcoming_check_after_the_window_or_once_received() -> None:
    assert alerts(Evaluation(GRANT, DUE), now=at("2023-02-01")) == []
    assert alerts(Evaluation(GRANT, RECEIVED, entry=3), now=at("2023-01-30")) == []
    waiting = Expectation(**{**GRANT.__dict__, "waiting_for": ("recipient-registered",)})
    assert alerts(Evaluation(waiting, "awaiting_condition"), now=at("2023-01-30")) == []


def test_upcoming_check_for_a_statement_about_to_be_debited() -> None:
    found = alerts(Evaluation(WAIVER, CHECK), now=at("2026-02-24"))
    assert [a.kind for a in found] == ["check_statement", "upcoming_check"]
    upcoming = found[1]
    assert upcoming.title == (
        "Check before the debit: rakuten statement 2026-02 is debited on 2026-02-27 "
        "(rk/annual-fee/1)"
    )
    assert "`pointwatch checked rakuten 2026-02`" in upcoming.body
    # On the debit day the lead time is over; the statement still needs checking.
    assert [a.kind for a in alerts(Evaluation(WAIVER, CHECK), now=at("2026-02-27"))] == [
        "check_statement"
    ]


def test_lead_time_is_configurable() -> None:
    assert alerts(Evaluation(GRANT, DUE), now=at("2023-01-24"), upcoming=3) == []
    [alert] = alerts(Evaluation(GRANT, DUE), now=at("2023-01-24"), upcoming=7)
    assert alert.kind == "upcoming_check"


@pytest.mark.parametrize("status", [RECEIVED, CONFIRMED, SUBSTITUTED, UPCOMING])
def test_settled_or_quiet_statuses_raise_nothing(status: str) -> None:
    expectation = WAIVER if status == CONFIRMED else GRANT
    assert alerts(Evaluation(expectation, status), now=at("2022-12-01")) == []


def test_alerts_come_most_urgent_first() -> None:
    found = alerts(
        Evaluation(WAIVER, CHECK),
        Evaluation(GRANT, LATE, days_late=3),
        Evaluation(Expectation(**{**WAIVER.__dict__, "id": "rk/annual-fee/2"}), FEE_CHARGED),
        now=at("2026-02-13"),
    )
    assert [a.kind for a in found] == ["fee_charged", "late", "check_statement"]


# --- follow-ups ---------------------------------------------------------------------------------


def inquiry(number: int, asked: str, by: str | None, promise: str = "points within 5 minutes"):
    return Inquiry(
        id=number, expectation=GRANT.id, channel="chat", at=at(*asked.split()), agent="Sato",
        promise=promise if by else "", promise_by=at(*by.split()) if by else None,
    )  # fmt: skip


def test_follow_up_after_a_broken_promise() -> None:
    asked = inquiry(4, "2023-02-10 10:00", "2023-02-10 10:05")
    found = alerts(Evaluation(GRANT, LATE, 10), now=at("2023-02-10", "10:06"), inquiries=[asked])
    follow_up = found[-1]
    assert follow_up.key == "follow_up:gift/recipient#4"
    assert follow_up.kind == "follow_up"
    assert follow_up.title == (
        "Follow up: support promised 'points within 5 minutes' by 2023-02-10 10:05 on chat; "
        "nothing arrived (gift/recipient)"
    )
    assert "On 2023-02-10 10:00 (chat, agent Sato)" in follow_up.body
    assert "--substituted-with coupon|gift-card|points|cash" in follow_up.body
    assert follow_up.since == date(2023, 2, 10)


def test_no_follow_up_before_the_deadline_or_once_settled() -> None:
    asked = inquiry(4, "2023-02-10 10:00", "2023-02-10 10:05")
    before = alerts(Evaluation(GRANT, LATE, 10), now=at("2023-02-10", "10:04"), inquiries=[asked])
    assert [a.kind for a in before] == ["late"]
    received = alerts(Evaluation(GRANT, RECEIVED, entry=2), now=at("2023-02-11"), inquiries=[asked])
    assert received == []
    coupon = alerts(Evaluation(GRANT, SUBSTITUTED), now=at("2023-02-11"), inquiries=[asked])
    assert coupon == []


def test_a_contact_after_the_deadline_is_the_follow_up() -> None:
    first = inquiry(4, "2023-02-10 10:00", "2023-02-10 10:05")
    again = inquiry(5, "2023-02-11 09:00", "2023-02-14 23:59", promise="a gift card")
    found = alerts(Evaluation(GRANT, LATE, 11), now=at("2023-02-12"), inquiries=[first, again])
    assert [a.key for a in found if a.kind == "follow_up"] == []
    later = alerts(Evaluation(GRANT, LATE, 14), now=at("2023-02-15"), inquiries=[first, again])
    assert [a.key for a in later if a.kind == "follow_up"] == ["follow_up:gift/recipient#5"]


def test_an_inquiry_without_a_promise_raises_nothing() -> None:
    asked = inquiry(4, "2023-02-10 10:00", None)
    found = alerts(Evaluation(GRANT, LATE, 10), now=at("2023-03-01"), inquiries=[asked])
    assert [a.kind for a in found] == ["late"]


# --- when to deliver ----------------------------------------------------------------------------

NOW = at("2023-02-10")
FACTS = "late|500|point"


@pytest.mark.parametrize(
    ("state", "now", "reason"),
    [
        (None, NOW, NEW),
        (DeliveryState(), NOW, NEW),
        (DeliveryState(delivered_at=NOW, delivered_facts=FACTS), NOW, None),
        (DeliveryState(delivered_at=NOW, delivered_facts=FACTS), NOW + timedelta(days=6), None),
        (DeliveryState(delivered_at=NOW, delivered_facts=FACTS), NOW + timedelta(days=7), RENOTIFY),
        (DeliveryState(delivered_at=NOW, delivered_facts="late|400|point"), NOW, CHANGED),
        (DeliveryState(pending_since=NOW), NOW + timedelta(days=1), RETRY),
        (
            DeliveryState(delivered_at=NOW, delivered_facts=FACTS, pending_since=NOW),
            NOW + timedelta(days=1),
            RETRY,
        ),
        # acknowledged: quiet for good, unless the facts change
        (
            DeliveryState(delivered_at=NOW, delivered_facts=FACTS, acked_at=NOW, ack_facts=FACTS),
            NOW + timedelta(days=30),
            None,
        ),
        (
            DeliveryState(delivered_at=NOW, delivered_facts="late|400|point", acked_at=NOW,
                          ack_facts="late|400|point"),
            NOW + timedelta(days=1),
            CHANGED,
        ),
        (DeliveryState(acked_at=NOW, ack_facts=FACTS), NOW, None),  # acked before any delivery
        (DeliveryState(pending_since=NOW, acked_at=NOW, ack_facts=FACTS), NOW, None),
        # snoozed: quiet until the snooze ends, then delivered although the interval is not over
        (
            DeliveryState(delivered_at=NOW, delivered_facts=FACTS,
                          snoozed_until=NOW + timedelta(days=3), ack_facts=FACTS),
            NOW + timedelta(days=2),
            None,
        ),
        (
            DeliveryState(delivered_at=NOW, delivered_facts=FACTS,
                          snoozed_until=NOW + timedelta(days=3), ack_facts=FACTS),
            NOW + timedelta(days=3),
            SNOOZE_ENDED,
        ),
        (
            DeliveryState(delivered_at=NOW + timedelta(days=3), delivered_facts=FACTS,
                          snoozed_until=NOW + timedelta(days=3), ack_facts=FACTS),
            NOW + timedelta(days=4),
            None,
        ),
        (
            DeliveryState(delivered_at=NOW, delivered_facts="late|400|point",
                          snoozed_until=NOW + timedelta(days=3), ack_facts="late|400|point"),
            NOW + timedelta(days=1),
            CHANGED,
        ),
    ],
)  # fmt: skip
def test_delivery_reason(state: DeliveryState | None, now: datetime, reason: str | None) -> None:
    assert delivery_reason(FACTS, state, now, renotify_days=7) == reason


def test_renotify_interval_is_configurable() -> None:
    state = DeliveryState(delivered_at=NOW, delivered_facts=FACTS)
    assert delivery_reason(FACTS, state, NOW + timedelta(days=1), renotify_days=1) == RENOTIFY
    assert delivery_reason(FACTS, state, NOW + timedelta(days=13), renotify_days=14) is None


def test_is_open() -> None:
    assert is_open(DeliveryState(), FACTS, NOW)
    assert not is_open(DeliveryState(acked_at=NOW, ack_facts=FACTS), FACTS, NOW)
    assert is_open(DeliveryState(acked_at=NOW, ack_facts="old"), FACTS, NOW)
    snoozed = DeliveryState(snoozed_until=NOW + timedelta(days=1), ack_facts=FACTS)
    assert not is_open(snoozed, FACTS, NOW)
    assert is_open(snoozed, FACTS, NOW + timedelta(days=1))


def test_alert_key() -> None:
    assert alert_key("late", "gift/recipient") == "late:gift/recipient"
    assert alert_key("follow_up", "gift/recipient", 3) == "follow_up:gift/recipient#3"
