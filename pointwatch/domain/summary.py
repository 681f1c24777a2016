"""Totals per unit (`pointwatch summary`): what campaigns promised and what became of it.

Pure: evaluations come in (as on the day asked), totals go out. Each expectation counts once,
in its own unit, under exactly one status total (README "Summary" defines each):

- grants: `expected` = `received` + `pending` + `late` + `substituted` + `forfeited` +
  `written_off` (promised amounts); `substitute_value` is what substitutes were worth and `lost`
  the sum over substituted grants of (promised − substitute), never below 0 for one grant;
- waivers (fees that must not be charged): `fees_waived` (confirmed: the statement is covered
  and the fee is not on it), `fees_charged` (charged and not refunded, including waivers
  settled as written off, forfeited or substituted: the fee stayed charged), `refunded`,
  and `fees_pending` (not checked yet: upcoming or check).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

from pointwatch.domain.statuses import (
    AWAITING_CONDITION,
    CHECK,
    CONFIRMED,
    DUE,
    FEE_CHARGED,
    FORFEITED,
    LATE,
    RECEIVED,
    REFUNDED,
    SUBSTITUTED,
    UPCOMING,
    WRITTEN_OFF,
    Evaluation,
)

_GRANT_TOTAL = {
    RECEIVED: "received", AWAITING_CONDITION: "pending", UPCOMING: "pending", DUE: "pending",
    LATE: "late", SUBSTITUTED: "substituted", FORFEITED: "forfeited", WRITTEN_OFF: "written_off",
}  # fmt: skip
_WAIVER_TOTAL = {
    CONFIRMED: "fees_waived", FEE_CHARGED: "fees_charged", WRITTEN_OFF: "fees_charged",
    FORFEITED: "fees_charged", SUBSTITUTED: "fees_charged", REFUNDED: "refunded",
    UPCOMING: "fees_pending", CHECK: "fees_pending",
}  # fmt: skip


@dataclass(frozen=True)
class Totals:
    """Amounts in one unit (DESIGN §4 `summary --json` keys, then the extra ones)."""

    expected: int = 0
    received: int = 0
    pending: int = 0
    late: int = 0
    substituted: int = 0
    forfeited: int = 0
    written_off: int = 0
    fees_waived: int = 0
    fees_charged: int = 0
    refunded: int = 0
    substitute_value: int = 0
    lost: int = 0
    fees_pending: int = 0

    def plus(self, evaluation: Evaluation) -> Totals:
        """These totals with one more expectation counted."""
        e = evaluation.expectation
        changes: dict[str, int] = {}
        if e.kind == "grant":
            name = _GRANT_TOTAL[evaluation.status]
            changes = {"expected": self.expected + e.amount, name: getattr(self, name) + e.amount}
            settlement = evaluation.settlement
            if evaluation.status == SUBSTITUTED and settlement is not None:
                changes["substitute_value"] = self.substitute_value + settlement.amount
                changes["lost"] = self.lost + max(0, e.amount - settlement.amount)
        else:
            name = _WAIVER_TOTAL[evaluation.status]
            changes = {name: getattr(self, name) + e.amount}
        return replace(self, **changes)

    def items(self) -> list[tuple[str, int]]:
        return [(field.name, getattr(self, field.name)) for field in fields(self)]


@dataclass(frozen=True)
class UnitSummary:
    """The totals of one unit overall, per campaign and per account (ids in order)."""

    unit: str
    totals: Totals
    by_campaign: tuple[tuple[str, Totals], ...]
    by_account: tuple[tuple[str, Totals], ...]


def summarize(evaluations: Iterable[Evaluation]) -> list[UnitSummary]:
    """One summary per unit (sorted by unit), each with its breakdowns."""
    overall: dict[str, Totals] = {}
    campaigns: dict[str, dict[str, Totals]] = {}
    accounts: dict[str, dict[str, Totals]] = {}
    for evaluation in evaluations:
        e = evaluation.expectation
        overall[e.unit] = overall.get(e.unit, Totals()).plus(evaluation)
        for breakdown, key in ((campaigns, e.campaign), (accounts, e.account)):
            mine = breakdown.setdefault(e.unit, {})
            mine[key] = mine.get(key, Totals()).plus(evaluation)
    return [
        UnitSummary(
            unit,
            overall[unit],
            tuple(sorted(campaigns[unit].items())),
            tuple(sorted(accounts[unit].items())),
        )
        for unit in sorted(overall)
    ]
