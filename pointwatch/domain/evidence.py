"""The evidence of one expectation: what a claim cites and a timeline tells.

Values only. The service gathers an `Evidence` (moments already in the user's time zone); the
claim and the timeline only read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pointwatch.domain.dates import DateWindow
from pointwatch.domain.entries import RecordedEntry
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.statuses import Settlement
from pointwatch.domain.support import Inquiry


@dataclass(frozen=True)
class MetCondition:
    id: str
    text: str
    on: date | None = None  # None: not met yet


@dataclass(frozen=True)
class InquiryFact:
    inquiry: Inquiry  # `at` and `promise_by` in the user's time zone
    promise_state: str = ""  # "" | pending | kept | broken


@dataclass(frozen=True)
class PastSettlement:
    """A settlement the user reopened (did not accept)."""

    settlement: Settlement
    reopened_on: date
    reason: str = ""


@dataclass(frozen=True)
class RelatedGrant:
    """Another expectation of the same enrollment that did arrive (makes a claim credible)."""

    entitlement: str
    amount: int
    unit: str
    received_on: date
    text: str = ""  # the entitlement's text in the campaign (a Text: both languages)


@dataclass(frozen=True)
class AlertFact:
    """An alert the daily run raised about this expectation."""

    day: date
    kind: str
    message: str
    at: datetime | None = None
    id: int | None = None
    resolved_at: datetime | None = None  # the condition cleared (received, settled, ...)


@dataclass(frozen=True)
class Evidence:
    """Everything known about one expectation, as of one day."""

    expectation: Expectation
    campaign_name: str
    issuer: str
    joined: date
    as_of: date
    status: str
    days_late: int = 0
    grace: int = 0  # effective grace days of a grant
    terms_url: str = ""
    entitlement_text: str = ""
    account_kind: str = ""
    period: DateWindow | None = None
    conditions: tuple[MetCondition, ...] = ()  # the conditions this expectation requires
    entry: RecordedEntry | None = None
    covered: bool = False
    covered_on: date | None = None  # when the whole statement was imported or checked
    settlement: Settlement | None = None
    reopened: tuple[PastSettlement, ...] = ()
    inquiries: tuple[InquiryFact, ...] = ()
    related: tuple[RelatedGrant, ...] = ()
    alerts: tuple[AlertFact, ...] = ()

    @property
    def late_since(self) -> date | None:
        """The first day a grant counted as late (due date + grace + 1 day), if it ever did:
        nothing received, the conditions met, and no settlement before that day."""
        e = self.expectation
        if e.kind != "grant" or e.due is None or e.waiting_for or self.entry is not None:
            return None
        since = e.due + timedelta(days=self.grace + 1)
        settled = [past.settlement.on for past in self.reopened]
        if self.settlement is not None:
            settled.append(self.settlement.on)
        if since > self.as_of or (settled and min(settled) < since):
            return None
        return since
