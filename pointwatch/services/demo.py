"""The README's first command: the two real cases of DESIGN §1 with a little history."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from pointwatch.domain.dates import Month
from pointwatch.services.accounts import add_account
from pointwatch.services.enrollments import join, record_condition
from pointwatch.services.entries import mark_checked, record_entry
from pointwatch.store.tables import EnrollmentRow

DEMO_CARD = "demo-rakuten"
DEMO_POINTS = "demo-amazon-points"


def load_demo(session: Session, today: date) -> bool:
    """Register the shipped campaigns on demo accounts; False if already there."""
    if session.get(EnrollmentRow, "demo-premium") is not None:
        return False
    add_account(session, DEMO_CARD, profile_id="rakuten-card")
    add_account(session, DEMO_POINTS, kind="points")
    join(
        session, "rakuten-premium-annual-fee-free-3y", date(2025, 12, 10),
        {"card": DEMO_CARD}, {}, "demo-premium",
    )  # fmt: skip
    join(
        session, "amazon-primeday-2022-giftcard", date(2022, 7, 12),
        {"points": DEMO_POINTS}, {}, "demo-gift",
    )  # fmt: skip
    record_entry(session, DEMO_POINTS, date(2022, 9, 15), 500, "Amazonポイント キャンペーン付与")
    record_condition(session, "demo-gift", "recipient-registered", date(2022, 9, 20))
    record_entry(session, DEMO_CARD, date(2026, 1, 8), 4980, "楽天市場")
    if today >= date(2026, 2, 12):
        mark_checked(session, DEMO_CARD, Month(2026, 2), today)
    return True
