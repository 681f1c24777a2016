"""Expectation statuses (DESIGN §2), evaluated for a given day."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from pointwatch.domain.dates import Month
from pointwatch.domain.expectations import Expectation

# Grants
UPCOMING = "upcoming"
DUE = "due"
LATE = "late"
RECEIVED = "received"
AWAITING_CONDITION = "awaiting_condition"
# Waivers
CHECK = "check"
CONFIRMED = "confirmed"
FEE_CHARGED = "fee_charged"
REFUNDED = "refunded"  # charged, then credited back (or settled so with `settle --refunded`)
# Settlements (either kind)
SUBSTITUTED = "substituted"
FORFEITED = "forfeited"
WRITTEN_OFF = "written_off"

SETTLED_STATUSES = frozenset({RECEIVED, CONFIRMED, REFUNDED, SUBSTITUTED, FORFEITED, WRITTEN_OFF})
# A settlement kind is the status it gives (one spelling); databases written before 0.2 hold
# "written-off", read as "written_off".
SETTLEMENT_STATUS = {
    SUBSTITUTED: SUBSTITUTED, FORFEITED: FORFEITED, WRITTEN_OFF: WRITTEN_OFF, REFUNDED: REFUNDED
}  # fmt: skip
LEGACY_SETTLEMENT_KINDS = {"written-off": WRITTEN_OFF}


@dataclass(frozen=True)
class Settlement:
    """How an expectation ended when not as promised."""

    kind: str  # "substituted" | "forfeited" | "written_off" | "refunded" (waivers)
    on: date
    substitute: str = ""  # coupon | gift-card | points | cash
    amount: int = 0
    note: str = ""


@dataclass(frozen=True)
class Evaluation:
    expectation: Expectation
    status: str
    days_late: int = 0
    entry: int | None = None
    settlement: Settlement | None = None
    refund: int | None = None  # waivers: the credit that refunded the fee
    expires_on: date | None = None  # received grants with an `expires` rule

    @property
    def is_open(self) -> bool:
        return self.status not in SETTLED_STATUSES


def grant_status(expectation: Expectation, today: date, received: bool) -> tuple[str, int]:
    """Status and days past the due date of one grant. A required condition whose deadline
    passed unmet forfeits it (derived: an entry recorded later can change that back); a
    payout that arrived anyway is received all the same."""
    if received:
        return RECEIVED, 0
    if expectation.missed:
        return FORFEITED, 0
    window = expectation.window
    if expectation.waiting_for or window is None:
        return AWAITING_CONDITION, 0
    if today < window.start:
        return UPCOMING, 0
    if expectation.late_after is None or today <= expectation.late_after:
        return DUE, 0
    return LATE, (today - window.end).days


def waiver_status(
    expectation: Expectation, today: date, fee_found: bool, covered: bool, refunded: bool = False
) -> tuple[str, int]:
    """Status of one waiver occurrence; days_late counts days past the payment date."""
    if fee_found:
        return (REFUNDED if refunded else FEE_CHARGED), 0
    if covered:
        return CONFIRMED, 0
    assert expectation.ready_date is not None and expectation.payment_date is not None
    if today < expectation.ready_date:
        return UPCOMING, 0
    return CHECK, max(0, (today - expectation.payment_date).days)


def evaluate(
    expectations: Iterable[Expectation],
    assignment: Mapping[str, int],
    coverage: Collection[tuple[str, Month]],
    settlements: Mapping[str, Settlement],
    today: date,
    refunds: Mapping[str, int] | None = None,
) -> list[Evaluation]:
    """Evaluate every expectation; `coverage` holds (account, statement month) pairs and
    `refunds` the credits that refunded charged fees (waiver id → entry id)."""
    refunds = refunds or {}
    evaluations = []
    for expectation in expectations:
        entry = assignment.get(expectation.id)
        refund = refunds.get(expectation.id)
        settlement = settlements.get(expectation.id)
        if settlement is not None:
            status, days_late = SETTLEMENT_STATUS[settlement.kind], 0
        elif expectation.kind == "grant":
            status, days_late = grant_status(expectation, today, entry is not None)
        else:
            covered = (expectation.account, expectation.statement) in coverage
            status, days_late = waiver_status(
                expectation, today, entry is not None, covered, refund is not None
            )
        evaluations.append(Evaluation(expectation, status, days_late, entry, settlement, refund))
    return evaluations
