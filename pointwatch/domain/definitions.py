"""Campaign and profile definitions as immutable values (what `campaigns.py` builds from TOML)."""

from __future__ import annotations

from dataclasses import dataclass

from pointwatch.domain.billing import BillingCycle
from pointwatch.domain.dates import DateExpression, DateWindow

ACCOUNT_KINDS = ("card", "points", "bank", "wallet")
CONTACT_CHANNELS = ("chat", "email", "phone", "form")


@dataclass(frozen=True)
class MatchRule:
    """How an entry is recognised: keywords in its description, amount tolerance."""

    keywords: tuple[str, ...] = ()
    tolerance: int = 0


@dataclass(frozen=True)
class Condition:
    id: str
    text: str


@dataclass(frozen=True)
class Grant:
    """Points, cashback or a credit the campaign promises to pay into an account (a role)."""

    id: str
    amount: int
    unit: str
    account: str
    window: DateExpression
    grace: int | None = None
    requires: tuple[str, ...] = ()
    match: MatchRule = MatchRule()
    text: str = ""


@dataclass(frozen=True)
class Waiver:
    """A fee that must NOT be charged, on a given statement, repeated yearly."""

    id: str
    amount: int
    unit: str
    account: str
    statement: DateExpression
    repeat: int = 1
    match: MatchRule = MatchRule()
    text: str = ""


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    issuer: str
    conditions: tuple[Condition, ...] = ()
    grants: tuple[Grant, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    period: DateWindow | None = None
    terms_url: str = ""
    note: str = ""

    def roles(self) -> dict[str, str]:
        """Role name → the account kind it needs ("card" for waivers, any kind for grants)."""
        roles: dict[str, str] = {grant.account: "" for grant in self.grants}
        roles.update({waiver.account: "card" for waiver in self.waivers})
        return roles

    def condition_ids(self) -> tuple[str, ...]:
        return tuple(condition.id for condition in self.conditions)


@dataclass(frozen=True)
class Profile:
    """A reusable account template, e.g. a card's billing cycle (`account add --profile`)."""

    id: str
    kind: str
    name: str = ""
    issuer: str = ""
    cycle: BillingCycle | None = None
    note: str = ""


@dataclass(frozen=True)
class Issuer:
    """What support can do: which contact channels see individual accounts."""

    id: str
    name: str
    account_channels: tuple[str, ...] = ()
    general_channels: tuple[str, ...] = ()
    contact: str = ""
    language: str = "ja"


@dataclass(frozen=True)
class Definitions:
    """Everything one or more definition files hold."""

    campaigns: tuple[Campaign, ...] = ()
    profiles: tuple[Profile, ...] = ()
    issuers: tuple[Issuer, ...] = ()
