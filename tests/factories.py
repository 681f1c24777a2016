"""Expectations derived from the shipped catalog, as the product derives them (for pure tests)."""

from __future__ import annotations

from datetime import date

from pointwatch.campaigns import load_catalog
from pointwatch.domain.billing import BillingCycle
from pointwatch.domain.expectations import AccountInfo, Enrollment, Expectation, derive_expectations

RAKUTEN = BillingCycle.from_values("end", 27, 1, "next-business-day", "JP", 12)
CATALOG = {campaign.id: campaign for campaign in load_catalog().campaigns}
FEE = CATALOG["rakuten-premium-annual-fee-free-3y"]
GIFT = CATALOG["amazon-primeday-2022-giftcard"]


def fee_expectations(
    joined: date = date(2025, 12, 10), enrollment: str = "premium", account: str = "rakuten"
) -> list[Expectation]:
    """The three yearly annual-fee occurrences of a Rakuten Premium card joined on `joined`."""
    joined_as = Enrollment(enrollment, FEE.id, joined, {"card": account})
    return derive_expectations(FEE, joined_as, {"card": AccountInfo(account, "card", RAKUTEN)})


def gift_expectations(
    met: dict[str, date] | None = None, kind: str = "points", enrollment: str = "gift"
) -> list[Expectation]:
    """The sender and recipient grants of the Prime Day 2022 gift, joined on 2022-07-12."""
    joined_as = Enrollment(enrollment, GIFT.id, date(2022, 7, 12), {"points": "amazon"}, met or {})
    return derive_expectations(GIFT, joined_as, {"points": AccountInfo("amazon", kind)})
