"""Conditions computed from entries (spend, count, entry) and where each stands on a day.

Pure: the entries of the condition's account come in (as the store's point-in-time read gives
them: nothing dated after the day asked), with the statements covered by then; a `Progress`
goes out. The rules (README "Decisions"):

- the entries that count are those of the bound account dated from `from` (default: the joined
  date) to the deadline `by`, with one of `match.keywords` (when given) and none of
  `match.exclude` in their description;
- spend sums the charges (on a card: positive amounts; elsewhere: money or points going out,
  negative amounts) less the credits and refunds; count counts the charges; entry looks for
  one charge of at least `at_least`;
- the condition is met on the date of the entry that reached `at_least` (for spend: from which
  the running total stays at or above it — a refund that takes it below undoes that until
  spending reaches it again);
- missed: the deadline passed unmet and nothing still unknown could change that. On a card
  every statement that could hold an entry dated up to the deadline must be covered (imported
  in full or `checked`); until then the condition is `unconfirmed` (its grants wait, and the
  daily run asks for those statements). Other accounts have no statements: their condition is
  missed the day after the deadline, on the entries recorded (a later record revives it).
  A declared condition with a deadline is missed when the deadline passed before it was met.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from typing import Protocol

from pointwatch.domain.billing import BillingCycle, statement_for_month, statement_for_posting
from pointwatch.domain.dates import DateWindow, Month, resolve_at
from pointwatch.domain.definitions import DECLARED, Condition, MatchRule

Day = date  # `date` is a field name below


class Entry(Protocol):
    """What a ledger reads of an entry (matching.Entry is one; not imported: matching imports
    expectations, which imports this module)."""

    @property
    def id(self) -> int: ...
    @property
    def amount(self) -> int: ...
    @property
    def date(self) -> Day: ...
    @property
    def description(self) -> str: ...


SPEND = "spend"
COUNT = "count"
ENTRY = "entry"


@dataclass(frozen=True)
class Progress:
    """Where a condition stands on day `on` (None: with everything recorded). `so_far` is the
    net spend (spend), the number of charges (count) or the largest charge (entry); None for
    a declared condition, like `at_least`."""

    id: str
    kind: str
    met_on: date | None = None
    so_far: int | None = None
    at_least: int | None = None
    deadline: date | None = None
    account: str = ""  # the bound account (computed kinds)
    unit: str = ""  # of so_far and at_least: JPY or point (spend, entry)
    on: date | None = None
    missed: bool = False  # the deadline passed unmet, and the data to tell is complete
    unconfirmed: tuple[Month, ...] = ()  # statements up to the deadline not covered yet
    check_from: date | None = None  # the day the first of them is fixed (can be checked)

    @property
    def computed(self) -> bool:
        return self.kind != DECLARED

    @property
    def days_left(self) -> int | None:
        """Days from `on` to the deadline (0 on the day itself); None without either."""
        if self.deadline is None or self.on is None:
            return None
        return (self.deadline - self.on).days


def counts(rule: MatchRule, description: str) -> bool:
    """Whether an entry's description makes it count for a condition."""
    if rule.keywords and not any(word in description for word in rule.keywords):
        return False
    return not any(word in description for word in rule.exclude)


def span(condition: Condition, joined: date) -> DateWindow:
    """The days whose entries count: from `from` (default: joined) through the deadline."""
    start = resolve_at(condition.start, joined).start if condition.start else joined
    assert condition.by is not None  # computed conditions have a deadline (the loader's rule)
    end = resolve_at(condition.by, joined).end
    return DateWindow(start, max(start, end))


def spending_sign(account_kind: str) -> int:
    """+1 where charges are positive (cards), -1 where spending is printed negative."""
    return 1 if account_kind == "card" else -1


def statements_to_cover(cycle: BillingCycle, days: DateWindow) -> list[Month]:
    """The statements of a card that hold charges dated within `days`."""
    first = statement_for_posting(cycle, days.start).month
    last = statement_for_posting(cycle, days.end).month
    months = [first]
    while months[-1] < last:
        months.append(months[-1].plus(1))
    return months


class Ledger:
    """The entries of one account that count for one match rule, in date order, with running
    totals, so that each condition reads its own days by bisection: conditions sharing an
    account and a rule (every enrollment of a campaign) filter the entries once, and a
    spend or count condition costs a few bisections, not a walk over its days."""

    def __init__(self, entries: Iterable[Entry], rule: MatchRule, account_kind: str) -> None:
        sign = spending_sign(account_kind)
        verdicts: dict[str, bool] = {}  # description → counts (histories repeat their wording)
        kept = []
        for entry in sorted(entries, key=lambda e: (e.date, e.id)):
            description = entry.description
            if description not in verdicts:
                verdicts[description] = counts(rule, description)
            if verdicts[description]:
                kept.append((entry.date, sign * entry.amount))
        self.dates = [day for day, _spent in kept]
        self.spent = [spent for _day, spent in kept]
        self.total = list(accumulate(self.spent, initial=0))  # spend before index i
        self.charges = list(accumulate((spent > 0 for spent in self.spent), initial=0))
        self.credits = list(accumulate((spent < 0 for spent in self.spent), initial=0))

    def reached(self, kind: str, at_least: int, days: DateWindow) -> tuple[date | None, int]:
        """(the day the threshold was reached within `days`, so far)."""
        low = bisect_left(self.dates, days.start)
        high = bisect_right(self.dates, days.end)
        if kind == COUNT:
            target = self.charges[low] + at_least
            index = bisect_left(self.charges, target, low + 1, high + 1)
            met = self.dates[index - 1] if index <= high else None
            return met, self.charges[high] - self.charges[low]
        if kind == SPEND and self.credits[high] == self.credits[low]:
            # No credit in these days: the running total only grows, so bisect it.
            index = bisect_left(self.total, self.total[low] + at_least, low + 1, high + 1)
            met = self.dates[index - 1] if index <= high else None
            return met, self.total[high] - self.total[low]
        days_spent = zip(self.dates[low:high], self.spent[low:high], strict=True)
        return _reached(kind, at_least, list(days_spent))


def computed_progress(
    condition: Condition,
    joined: date,
    account: str,
    account_kind: str,
    cycle: BillingCycle | None,
    ledger: Ledger,
    on: date | None,
    covered: Collection[tuple[str, Month]] = (),
) -> Progress:
    """A spend, count or entry condition on day `on`, from the ledger of its account and
    match rule (entries after `on` are left out here too)."""
    days = span(condition, joined)
    counted = days if on is None or on >= days.end else DateWindow(days.start, max(days.start, on))
    if on is not None and on < days.start:
        met_on, so_far = None, 0
    else:
        met_on, so_far = ledger.reached(condition.kind, condition.at_least, counted)
    unconfirmed: tuple[Month, ...] = ()
    check_from = None
    if met_on is None and on is not None and on > days.end and cycle is not None:
        unconfirmed = tuple(
            month for month in statements_to_cover(cycle, days) if (account, month) not in covered
        )
        if unconfirmed:
            check_from = statement_for_month(cycle, unconfirmed[0]).ready_date
    missed = met_on is None and on is not None and on > days.end and not unconfirmed
    return Progress(
        id=condition.id,
        kind=condition.kind,
        met_on=met_on,
        so_far=so_far,
        at_least=condition.at_least,
        deadline=days.end,
        account=account,
        unit="" if condition.kind == COUNT else ("point" if account_kind == "points" else "JPY"),
        on=on,
        missed=missed,
        unconfirmed=unconfirmed,
        check_from=check_from,
    )


def _reached(
    kind: str, at_least: int, amounts: Sequence[tuple[date, int]]
) -> tuple[date | None, int]:
    """(the day the threshold was reached, so far) over (day, spent) in date order: a walk,
    for spend with credits among the days (a refund can undo it) and for one entry."""
    if kind == SPEND:
        total, reached = 0, None
        for day, spent in amounts:
            total += spent
            if total < at_least:
                reached = None
            elif reached is None:
                reached = day
        return reached, total
    charges = [(day, spent) for day, spent in amounts if spent > 0]
    big_enough = [day for day, spent in charges if spent >= at_least]
    return (big_enough[0] if big_enough else None), max((spent for _, spent in charges), default=0)


def declared_progress(
    condition: Condition, joined: date, met_on: date | None, on: date | None
) -> Progress:
    """A declared condition (met by hand) with its deadline, if it has one: missed once the
    deadline passed before it was met."""
    deadline = resolve_at(condition.by, joined).end if condition.by else None
    missed = False
    if deadline is not None:
        late = met_on is not None and met_on > deadline
        missed = late or (met_on is None and on is not None and on > deadline)
    return Progress(condition.id, DECLARED, met_on=met_on, deadline=deadline, on=on, missed=missed)
