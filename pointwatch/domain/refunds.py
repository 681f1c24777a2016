"""Refunds: a waived fee that was charged and then credited back (DESIGN §2, `refunded`).

A refund is a credit of the fee's amount (within its tolerance) on the same card, dated on or
after the fee, whose description holds one of the waiver's keywords when it has any (a credit
of 11,000 yen is not a refunded annual fee unless it says so). Each credit refunds at most one
fee; fees take credits in the order they were charged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from pointwatch.domain.expectations import Expectation
from pointwatch.domain.matching import Entry


def credit_side(waiver: Expectation) -> Expectation:
    """The waiver as its refund would be printed: the fee's amount as a credit (negative)."""
    return replace(waiver, match_amount=-waiver.match_amount)


def match_refunds(
    charged: Sequence[tuple[Expectation, Entry]], credits: Iterable[Entry], taken: set[int]
) -> dict[str, int]:
    """Waiver id → the credit that refunds its fee; `taken` holds entries already settling
    something else (they never count twice)."""
    free = sorted(
        (entry for entry in credits if entry.id not in taken and entry.amount < 0),
        key=lambda entry: (entry.date, entry.id),
    )
    refunds: dict[str, int] = {}
    used: set[int] = set()
    for waiver, fee in sorted(charged, key=lambda pair: (pair[1].date, pair[1].id, pair[0].id)):
        for credit in free:
            if credit.id in used or not _refunds(waiver, fee, credit):
                continue
            refunds[waiver.id] = credit.id
            used.add(credit.id)
            break
    return refunds


def _refunds(waiver: Expectation, fee: Entry, credit: Entry) -> bool:
    return (
        credit.account == waiver.account
        and abs(-credit.amount - waiver.match_amount) <= waiver.tolerance
        and credit.date >= fee.date
        and (not waiver.keywords or any(word in credit.description for word in waiver.keywords))
    )
