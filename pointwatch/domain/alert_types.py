"""The values alerts are made of: their kinds, the campaign facts they quote, the alert itself,
its draft (facts now, wording on demand) and its delivery state."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

LATE_KIND = "late"
FEE_CHARGED_KIND = "fee_charged"
CHECK_STATEMENT = "check_statement"
UPCOMING_CHECK = "upcoming_check"
FOLLOW_UP = "follow_up"
CONDITION_AT_RISK = "condition_at_risk"
EXPIRING = "expiring"
# Most urgent first: the order alerts are listed and delivered in.
ALERT_KINDS = (
    FEE_CHARGED_KIND, LATE_KIND, FOLLOW_UP, CHECK_STATEMENT, CONDITION_AT_RISK, EXPIRING,
    UPCOMING_CHECK,
)  # fmt: skip

# Why an alert is delivered now (see `delivery_reason`).
NEW = "new"
CHANGED = "changed"
RETRY = "retry"
SNOOZE_ENDED = "snooze ended"
RENOTIFY = "re-notify"


@dataclass(frozen=True)
class CampaignInfo:
    """What a message says about a campaign and whom to ask (from the issuer record)."""

    name: str
    issuer: str
    contact: str = ""
    account_channels: tuple[str, ...] = ()  # support channels that can see one's account
    fees: Mapping[str, str] = field(default_factory=dict)  # waiver id → its name, when worded


@dataclass(frozen=True)
class Alert:
    """One reminder: a stable key, what it is about, the message and its facts fingerprint."""

    key: str
    kind: str
    expectation: str
    title: str
    body: str
    facts: str
    since: date  # when the condition began (late since, statement fixed on, promise deadline)

    @property
    def message(self) -> str:
        return f"{self.title}\n{self.body}"


@dataclass(frozen=True)
class Draft:
    """An alert before its wording: everything the store compares, and how to word it."""

    key: str
    kind: str
    expectation: str
    facts: str
    since: date
    text: Callable[[], tuple[str, str]] = field(compare=False, repr=False)

    def render(self) -> Alert:
        title, body = self.text()
        return Alert(self.key, self.kind, self.expectation, title, body, self.facts, self.since)


@dataclass(frozen=True)
class DeliveryState:
    """What the store remembers about an alert's deliveries and the user's answer to it."""

    delivered_at: datetime | None = None  # the last time every channel took it
    delivered_facts: str | None = None  # the facts of that delivery
    pending_since: datetime | None = None  # a delivery round began and some channel failed
    acked_at: datetime | None = None
    snoozed_until: datetime | None = None
    ack_facts: str | None = None  # the facts the user acknowledged or snoozed


def alert_key(kind: str, expectation: str, inquiry: int | None = None) -> str:
    """The stable key: one alert per kind and expectation (and per inquiry for follow-ups)."""
    key = f"{kind}:{expectation}"
    return key if inquiry is None else f"{key}#{inquiry}"
