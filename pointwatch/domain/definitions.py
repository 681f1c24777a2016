"""Campaign and profile definitions as immutable values (what `campaigns.py` builds from TOML)."""

from __future__ import annotations

from dataclasses import dataclass

from pointwatch.domain.billing import BillingCycle
from pointwatch.domain.dates import DateExpression, DateWindow

ACCOUNT_KINDS = ("card", "points", "bank", "wallet")
CONTACT_CHANNELS = ("chat", "email", "phone", "form")
# declared: `met` records the day by hand; the others are computed from the entries of the
# condition's account: spend (charges less credits), count (entries), entry (one entry).
DECLARED = "declared"
CONDITION_KINDS = (DECLARED, "spend", "count", "entry")


@dataclass(frozen=True)
class MatchRule:
    """How an entry is recognised: keywords in its description, amount tolerance; for a
    computed condition also words that exclude an entry (an annual fee is no purchase)."""

    keywords: tuple[str, ...] = ()
    tolerance: int = 0
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """Something that must happen before a grant is owed: declared by hand (`met`), or
    computed from the entries of the bound `account` (a role) dated from `start` (default:
    the joined date) to the deadline `by`."""

    id: str
    text: str
    kind: str = DECLARED
    account: str = ""  # a role; computed kinds only
    at_least: int = 0  # spend: the amount; count: entries; entry: the one entry's amount
    start: DateExpression | None = None  # the `from` key; None = the joined date
    by: DateExpression | None = None  # the deadline (declared ones may have one too)
    match: MatchRule = MatchRule()

    @property
    def computed(self) -> bool:
        return self.kind != DECLARED


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
    expires: DateExpression | None = None  # relative to `received`, or a fixed day


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
        """Role name → the account kind it needs ("card" for waivers, any kind for grants and
        computed conditions)."""
        roles: dict[str, str] = {c.account: "" for c in self.conditions if c.account}
        roles.update({grant.account: "" for grant in self.grants})
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
