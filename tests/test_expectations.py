"""Pure domain: enrollment → expectations, matching entries, statuses (DESIGN §2, §3)."""

from __future__ import annotations

from datetime import date

import pytest

from pointwatch.domain.dates import Month
from pointwatch.domain.expectations import AccountInfo, Enrollment, derive_expectations
from pointwatch.domain.matching import Entry, assign
from pointwatch.domain.statuses import Settlement, evaluate, grant_status, waiver_status
from pointwatch.errors import InvalidValue
from tests.factories import FEE, fee_expectations, gift_expectations


def test_waiver_occurrences_follow_the_statement_of_the_month_after_next_each_year():
    first, second, third = fee_expectations()
    assert [str(e.statement) for e in (first, second, third)] == ["2026-02", "2027-02", "2028-02"]
    assert first.id == "premium/annual-fee/1"
    assert (first.closing_date, first.ready_date, first.payment_date) == (
        date(2026, 1, 31),
        date(2026, 2, 12),
        date(2026, 2, 27),
    )
    # 2027-02-27 is a Saturday: the debit moves to Monday 1 March.
    assert second.payment_date == date(2027, 3, 1)
    assert second.due == date(2027, 3, 1)
    assert first.match_amount == 11000 and first.keywords == ("年会費",)


def test_waiver_joined_at_month_end_clamps_to_the_shorter_month():
    # 31 Dec + 2 months = 28 Feb; the statement is still February's.
    assert str(fee_expectations(date(2025, 12, 31))[0].statement) == "2026-02"


def test_waiver_needs_a_card_cycle():
    enrollment = Enrollment("premium", FEE.id, date(2025, 12, 10), {"card": "x"})
    with pytest.raises(InvalidValue, match="needs a card with a billing cycle"):
        derive_expectations(FEE, enrollment, {"card": AccountInfo("x", "card", None)})


def test_grants_get_their_windows_and_wait_for_required_conditions():
    sender, recipient = gift_expectations()
    assert (sender.window.start, sender.window.end) == (date(2022, 9, 11), date(2022, 9, 20))
    assert sender.waiting_for == ()
    assert (recipient.window.start, recipient.window.end) == (date(2023, 1, 21), date(2023, 1, 31))
    assert recipient.waiting_for == ("recipient-registered",)
    _, recipient = gift_expectations({"recipient-registered": date(2022, 9, 20)})
    assert recipient.waiting_for == ()


def test_a_grant_into_a_card_is_a_credit():
    sender, _ = gift_expectations(kind="card")
    assert sender.match_amount == -500


@pytest.mark.parametrize(
    ("today", "status", "days_late"),
    [
        (date(2022, 9, 10), "upcoming", 0),
        (date(2022, 9, 11), "due", 0),
        (date(2022, 9, 20), "due", 0),
        (date(2022, 9, 27), "due", 0),  # last day of the 7-day grace
        (date(2022, 9, 28), "late", 8),  # days past the due date (20 Sep)
    ],
)
def test_grant_status_through_window_and_grace(today, status, days_late):
    sender, _ = gift_expectations()
    assert grant_status(sender, today, received=False) == (status, days_late)


def test_grant_status_received_and_awaiting_condition():
    sender, recipient = gift_expectations()
    assert grant_status(sender, date(2030, 1, 1), received=True)[0] == "received"
    assert grant_status(recipient, date(2023, 3, 1), False)[0] == "awaiting_condition"


@pytest.mark.parametrize(
    ("today", "fee_found", "covered", "status"),
    [
        (date(2026, 2, 11), False, False, "upcoming"),  # before statement_ready_day
        (date(2026, 2, 12), False, False, "check"),
        (date(2026, 2, 12), False, True, "confirmed"),
        (date(2026, 2, 12), True, True, "fee_charged"),  # a fee entry wins over coverage
        (date(2026, 1, 5), True, False, "fee_charged"),  # whatever the coverage or the day
    ],
)
def test_waiver_status(today, fee_found, covered, status):
    first = fee_expectations()[0]
    assert waiver_status(first, today, fee_found, covered)[0] == status


def _row(expectation, entry, day, description="", statement=None):
    """An entry that fits `expectation`'s account and amount."""
    account, amount = expectation.account, expectation.match_amount
    return Entry(entry, account, amount, day, statement, description)


def test_each_entry_settles_at_most_one_expectation():
    sender, recipient = gift_expectations({"recipient-registered": date(2022, 9, 20)})
    both = [sender, recipient]
    rows = [_row(sender, 1, date(2022, 9, 15))]
    assert assign(both, rows) == {sender.id: 1}
    rows.append(_row(sender, 2, date(2023, 1, 25)))
    assert assign(both, rows) == {sender.id: 1, recipient.id: 2}


def test_grant_keywords_rank_but_do_not_exclude():
    sender, _ = gift_expectations()
    _, recipient = gift_expectations({"recipient-registered": date(2022, 9, 20)})
    # A payout worded without any keyword still counts...
    assert assign([recipient], [_row(recipient, 7, date(2023, 1, 26), "ポイント付与")]) == {
        recipient.id: 7
    }
    # ...but an entry with the keyword wins over a nearer one without it.
    rows = [
        _row(recipient, 7, date(2023, 1, 26), "ポイント付与"),
        _row(recipient, 8, date(2023, 2, 3), "Amazonギフト券キャンペーン"),
    ]
    assert assign([recipient], rows) == {recipient.id: 8}
    # Without keywords the entry nearest to the window wins, early or late.
    rows = [_row(sender, 3, date(2022, 10, 30)), _row(sender, 4, date(2022, 9, 2))]
    assert assign([sender], rows) == {sender.id: 4}


def test_waiver_keywords_are_required_and_the_next_statement_counts():
    first = fee_expectations()[0]
    purchase = _row(first, 1, date(2026, 1, 10), "家電量販店", "2026-02")
    assert assign([first], [purchase]) == {}
    slipped = _row(first, 2, date(2026, 2, 3), "楽天プレミアムカード年会費", "2026-03")
    on_time = _row(first, 3, date(2026, 1, 3), "年会費", "2026-02")
    assert assign([first], [slipped, on_time]) == {first.id: 3}
    assert assign([first], [slipped]) == {first.id: 2}


def test_evaluate_applies_settlements_coverage_and_assignment():
    first, second, _ = fee_expectations()
    sender, recipient = gift_expectations({"recipient-registered": date(2022, 9, 20)})
    settlement = Settlement("substituted", date(2023, 2, 5), "gift-card", 500, "after complaint")
    results = evaluate(
        [first, second, sender, recipient],
        assignment={sender.id: 10},
        coverage={("rakuten", Month(2026, 2))},
        settlements={recipient.id: settlement},
        today=date(2027, 2, 20),
    )
    by_id = {result.expectation.id: result for result in results}
    assert by_id[first.id].status == "confirmed"
    assert by_id[second.id].status == "check"
    assert by_id[sender.id].status == "received" and by_id[sender.id].entry == 10
    assert by_id[recipient.id].status == "substituted"
    assert [r.expectation.id for r in results if r.is_open] == [second.id]
