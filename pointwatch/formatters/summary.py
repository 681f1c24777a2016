"""`pointwatch summary`: totals per unit for people (three listings) and scripts (JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pointwatch.domain.summary import Totals, UnitSummary
from pointwatch.formatters.base import table
from pointwatch.i18n import _


def summary_json(summaries: Sequence[UnitSummary]) -> list[dict[str, Any]]:
    """DESIGN §4: one row per unit with `unit` and the totals; the breakdowns per campaign and
    per account (the same totals) under `by_campaign` and `by_account`."""
    return [
        {
            "unit": summary.unit,
            **dict(summary.totals.items()),
            "by_campaign": [
                {"campaign": campaign, **dict(totals.items())}
                for campaign, totals in summary.by_campaign
            ],
            "by_account": [
                {"account": account, **dict(totals.items())}
                for account, totals in summary.by_account
            ],
        }
        for summary in summaries
    ]


def _columns() -> list[tuple[str, str]]:
    """(total, column heading) in the order shown."""
    return [
        ("expected", _("expected")),
        ("received", _("received")),
        ("pending", _("pending")),
        ("late", _("late")),
        ("substituted", _("substituted")),
        ("lost", _("lost")),
        ("forfeited", _("forfeited")),
        ("written_off", _("written off")),
        ("fees_waived", _("fees waived")),
        ("fees_charged", _("fees charged")),
        ("refunded", _("refunded")),
        ("fees_pending", _("fees unchecked")),
    ]


def summary_tables(summaries: Sequence[UnitSummary]) -> list[tuple[str, Any]]:
    """(heading, listing): totals per unit, per campaign, per account."""
    columns = _columns()
    headings = [heading for _name, heading in columns]

    def cells(totals: Totals) -> list[str]:
        return [f"{getattr(totals, name):,}" for name, _heading in columns]

    def listing(first: str, rows: list[tuple[str, Totals]]):
        return table([first, *headings], [(label, *cells(t)) for label, t in rows],
                     right=headings)  # fmt: skip

    overall = [(s.unit, s.totals) for s in summaries]
    per_campaign = [(f"{c} ({s.unit})", t) for s in summaries for c, t in s.by_campaign]
    per_account = [(f"{a} ({s.unit})", t) for s in summaries for a, t in s.by_account]
    return [
        (_("Totals per unit:"), listing(_("unit"), overall)),
        (_("Per campaign:"), listing(_("campaign (unit)"), per_campaign)),
        (_("Per account:"), listing(_("account (unit)"), per_account)),
    ]
