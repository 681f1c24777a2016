"""Enrollment → expectations: one per grant, one per yearly waiver occurrence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from pointwatch.domain.billing import BillingCycle, Statement, statement_for_month
from pointwatch.domain.conditions import Progress
from pointwatch.domain.dates import DateExpression, DateWindow, Month, resolve_at
from pointwatch.domain.definitions import DECLARED, Campaign, Grant, Waiver
from pointwatch.errors import InvalidValue
from pointwatch.i18n import _


@dataclass(frozen=True)
class Enrollment:
    """A campaign the user joined: when, which accounts play which role, conditions met."""

    id: str
    campaign: str
    joined: date
    accounts: Mapping[str, str]
    met: Mapping[str, date] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountInfo:
    name: str
    kind: str
    cycle: BillingCycle | None = None


@dataclass(frozen=True)
class Expectation:
    """One concrete thing owed: a grant to receive or a waiver occurrence to verify."""

    id: str
    enrollment: str
    campaign: str
    entitlement: str
    kind: str  # "grant" | "waiver"
    account: str
    amount: int
    unit: str
    match_amount: int  # signed, as the entry would be printed on the account
    tolerance: int
    keywords: tuple[str, ...]
    earliest: date  # the joined date: no entry before it settles (grants: matching.not_before)
    occurrence: int = 1
    window: DateWindow | None = None  # None while a `qualified`-relative window has no anchor
    grace: int | None = None  # the campaign's own grace days; None = the configured default
    waiting_for: tuple[str, ...] = ()  # required conditions not met yet
    qualified: date | None = None  # the day the last required condition was met (grants)
    statement: Month | None = None
    closing_date: date | None = None
    payment_date: date | None = None
    ready_date: date | None = None
    late_after: date | None = None  # grants: the last day before `late` (due + grace)
    conditions: tuple[Progress, ...] = ()  # grants: each required condition as it stands
    expires: DateExpression | None = None  # grants: when received points expire

    @property
    def missed(self) -> tuple[str, ...]:
        """Required conditions whose deadline passed unmet (the grant is forfeited)."""
        return tuple(progress.id for progress in self.conditions if progress.missed)

    @property
    def due(self) -> date | None:
        """Grants are due at the window's end; waivers on the statement's payment date."""
        if self.kind == "waiver":
            return self.payment_date
        return self.window.end if self.window else None

    @property
    def next_statement(self) -> Month | None:
        # Issuers warn that a charge can slip by one statement, so the next one counts too.
        return self.statement.plus(1) if self.statement else None


@dataclass(frozen=True)
class Rules:
    """The user's settings that judge every expectation (config `grace_days`, `early_days`)."""

    grace_days: int  # after a grant's window before it is late
    early_days: int  # how early before its window a payout still counts


def judged(expectation: Expectation, rules: Rules) -> Expectation:
    """The expectation with its `late_after`: the window's end plus its own grace, else the
    configured one (the one place the grace rule lives)."""
    if expectation.kind != "grant" or expectation.window is None:
        return replace(expectation, late_after=None)
    grace = rules.grace_days if expectation.grace is None else expectation.grace
    return replace(expectation, late_after=expectation.window.end + timedelta(days=grace))


def expiry_date(expires: DateExpression, received: date) -> date:
    """The last day received points are usable: `expires` resolved against the day they were
    received (its last day, for a month or a part of one)."""
    return resolve_at(expires, received).end


def qualified_date(requires: Sequence[str], met: Mapping[str, date]) -> date | None:
    """The date the last of a grant's required conditions was met, or None if one is not."""
    if not requires:
        return None
    if any(condition not in met for condition in requires):
        return None
    return max(met[condition] for condition in requires)


@dataclass(frozen=True)
class GrantTerms:
    """What a grant's state depends on beyond its stored row: the conditions it requires,
    its window where that counts from `qualified`, and when its points expire."""

    requires: tuple[str, ...] = ()
    window: DateExpression | None = None  # only a window relative to `qualified`
    expires: DateExpression | None = None

    @classmethod
    def of(cls, grant: Grant) -> GrantTerms | None:
        """The terms of a grant, or None when it has none (no conditions, no expiry)."""
        if not grant.requires and grant.expires is None:
            return None
        window = grant.window if grant.window.anchor == "qualified" else None
        return cls(grant.requires, window, grant.expires)


def with_conditions(
    expectation: Expectation,
    terms: GrantTerms,
    met: Mapping[str, date],
    rules: Rules | None,
    progress: Mapping[str, Progress] | None = None,
) -> Expectation:
    """A grant as its required conditions stand: `met` holds the declared ones met (condition
    → day; e.g. only those met by a past day), `progress` the computed ones (and declared ones
    with a deadline) as they stood on that day. Sets the conditions still waited for, the day
    it qualified, the window where it counts from `qualified` (none until that day), each
    required condition's progress and the expiry rule."""
    progress = progress or {}
    met = {**met, **{name: p.met_on for name, p in progress.items() if p.met_on is not None}}
    qualified = qualified_date(terms.requires, met)
    window = expectation.window
    if terms.window is not None:
        window = None if qualified is None else resolve_at(terms.window, qualified)
    waiting = tuple(condition for condition in terms.requires if condition not in met)
    conditions = tuple(
        progress.get(name) or Progress(name, DECLARED, met_on=met.get(name))
        for name in terms.requires
    )
    expectation = replace(
        expectation,
        waiting_for=waiting,
        qualified=qualified,
        window=window,
        conditions=conditions,
        expires=terms.expires,
    )
    return expectation if rules is None else judged(expectation, rules)


def derive_expectations(
    campaign: Campaign,
    enrollment: Enrollment,
    accounts: Mapping[str, AccountInfo],
    rules: Rules | None = None,
) -> list[Expectation]:
    """Expand an enrollment into its expectations; `accounts` maps role → bound account. With
    `rules`, each is judged by them (`late_after` set); the store keeps them unjudged."""
    expectations: list[Expectation] = []
    for grant in campaign.grants:
        grant_expectation = _grant_expectation(campaign, enrollment, grant, accounts[grant.account])
        expectations.append(
            grant_expectation if rules is None else judged(grant_expectation, rules)
        )
    for waiver in campaign.waivers:
        expectations.extend(
            _waiver_expectations(campaign, enrollment, waiver, accounts[waiver.account])
        )
    return expectations


def _grant_expectation(
    campaign: Campaign, enrollment: Enrollment, grant: Grant, account: AccountInfo
) -> Expectation:
    anchors = {"joined": enrollment.joined}
    qualified = qualified_date(grant.requires, enrollment.met)
    if qualified is not None:
        anchors["qualified"] = qualified
    elif not grant.requires:
        anchors["qualified"] = enrollment.joined
    window = None
    if grant.window.anchor is None or grant.window.anchor in anchors:
        window = grant.window.resolve(anchors)
    # A grant paid into a card shows as a credit, printed negative on the statement.
    sign = -1 if account.kind == "card" else 1
    return Expectation(
        id=f"{enrollment.id}/{grant.id}",
        enrollment=enrollment.id,
        campaign=campaign.id,
        entitlement=grant.id,
        kind="grant",
        account=account.name,
        amount=grant.amount,
        unit=grant.unit,
        match_amount=sign * grant.amount,
        tolerance=grant.match.tolerance,
        keywords=grant.match.keywords,
        earliest=enrollment.joined,
        window=window,
        grace=grant.grace,
        waiting_for=tuple(c for c in grant.requires if c not in enrollment.met),
        qualified=qualified,
    )


def _waiver_expectations(
    campaign: Campaign, enrollment: Enrollment, waiver: Waiver, account: AccountInfo
) -> list[Expectation]:
    if account.cycle is None:
        raise InvalidValue(
            _(
                "waiver {id!r} needs a card with a billing cycle, but account {name!r} "
                "has none (add it with --profile or --closing-day)"
            ).format(id=waiver.id, name=account.name)
        )
    first = Month.of(waiver.statement.resolve({"joined": enrollment.joined}).start)
    expectations = []
    for occurrence in range(1, waiver.repeat + 1):
        month = first.plus(12 * (occurrence - 1))  # one occurrence a year
        statement = statement_for_month(account.cycle, month)
        expectations.append(
            _waiver_occurrence(campaign, enrollment, waiver, account, occurrence, statement)
        )
    return expectations


def _waiver_occurrence(
    campaign: Campaign,
    enrollment: Enrollment,
    waiver: Waiver,
    account: AccountInfo,
    occurrence: int,
    statement: Statement,
) -> Expectation:
    return Expectation(
        id=f"{enrollment.id}/{waiver.id}/{occurrence}",
        enrollment=enrollment.id,
        campaign=campaign.id,
        entitlement=waiver.id,
        kind="waiver",
        account=account.name,
        amount=waiver.amount,
        unit=waiver.unit,
        match_amount=waiver.amount,  # a fee is a charge: positive on the card
        tolerance=waiver.match.tolerance,
        keywords=waiver.match.keywords,
        earliest=enrollment.joined,
        occurrence=occurrence,
        window=DateWindow(statement.period_start, statement.closing_date),
        statement=statement.month,
        closing_date=statement.closing_date,
        payment_date=statement.payment_date,
        ready_date=statement.ready_date,
    )
