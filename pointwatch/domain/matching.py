"""Entries → expectations (DESIGN §3 "Matching"): which entry settles which expectation.

An entry fits an expectation when it is on the bound account, of the amount within tolerance,
and — grants — dated no earlier than `not_before` (late payouts always count), or — waivers — on
the expected statement or the next, with one of the keywords when any are given. Fitting pairs
rank by (keyword miss, distance from the window or statement slip, date, entry id, expectation
id) and the best pairs are taken first, each entry and each expectation at most once.

The pairs are never built. Entries are grouped by (account, amount) and sorted by date; each
expectation finds its best free entry by bisecting into its admissible dates, skipping taken
entries through "next free" links, and a priority queue hands the entries out in the global
ranking order. Expectations that rank entries identically (same account, amounts, keywords and
dates) search once, as one seeker. Cost: about (entries + expectations) × log, not their product.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from heapq import heappop, heappush
from operator import attrgetter, itemgetter
from typing import NamedTuple

from pointwatch.domain.expectations import Expectation

EARLY_DAYS = 31  # how early before its window a grant payout still counts (config early_days)


class Entry(NamedTuple):
    """A recorded entry as matching needs it (the store supplies these)."""

    id: int
    account: str
    amount: int
    date: date
    statement: str | None
    description: str


def not_before(expectation: Expectation, early_days: int = EARLY_DAYS) -> date | None:
    """The earliest day of an entry that can settle a grant: the latest of the joined date,
    the day it qualified (its required conditions met) and its window's start less
    `early_days`. None while it cannot be settled: a required condition is not met yet."""
    window = expectation.window
    if expectation.waiting_for or window is None:
        return None
    earliest = max(expectation.earliest, window.start - timedelta(days=early_days))
    qualified = expectation.qualified
    return earliest if qualified is None else max(earliest, qualified)


def settlable(expectations: Iterable[Expectation], settled: Iterable[str]) -> Iterator[Expectation]:
    """The expectations an entry may settle: a settled grant (substituted, forfeited, written
    off) has ended and never takes an entry. A waiver keeps the fee that was charged, settled
    or not: that entry is the evidence the fee was charged (and what a refund answers)."""
    ended = set(settled)
    return (e for e in expectations if e.kind == "waiver" or e.id not in ended)


def assign(
    expectations: Iterable[Expectation], entries: Iterable[Entry], early_days: int = EARLY_DAYS
) -> dict[str, int]:
    """Expectation id → the id of the entry that settles it.

    Grants: keywords only rank (point histories word things unpredictably, so a missing keyword
    must not make a paid grant look late); the entry nearest to the window comes first, early
    or late. Waivers: keywords are required when given (an 11,000-yen purchase is not an annual
    fee); the expected statement beats the next one. Ties: earlier date, then lower entry id,
    then lower expectation id.
    """
    groups = _groups(entries)
    seekers = _seekers(expectations, groups, early_days)
    # Heap items: (rank, rank, day, entry id, expectation id, seeker, group, position). The
    # expectation id is unique among the items, so the comparison never reaches the group.
    heap: list[tuple] = []

    def search(number: int) -> None:
        """Queue the seeker's best free entry; a shared search that ran out splits."""
        seeker = seekers[number]
        best = seeker.best()
        if best is not None:
            heappush(heap, (*best[:4], seeker.members[seeker.next_member], number, *best[4:]))
        elif seeker.lowests is not None:
            for part in seeker.split():
                seekers.append(part)
                search(len(seekers) - 1)

    for number in range(len(seekers)):
        search(number)
    assignment: dict[str, int] = {}
    while heap:
        _, _, _, entry, member, number, group, position = heappop(heap)
        seeker = seekers[number]
        if not group.taken[position]:
            group.taken[position] = 1
            assignment[member] = entry
            seeker.next_member += 1
            if seeker.next_member == len(seeker.members):
                continue
        search(number)  # taken meanwhile, or the next member's turn: search what is free
    return assignment


# --- entries: groups and runs ------------------------------------------------------------------


class _Group:
    """The entries of one (account, amount), ordered by date then id."""

    __slots__ = ("days", "ids", "statements", "descriptions", "taken", "runs", "hit_maps",
                 "by_statement")  # fmt: skip

    def __init__(self, entries: list[Entry]) -> None:
        ids, _, _, dates, self.statements, self.descriptions = zip(*entries, strict=True)
        self.ids: tuple[int, ...] = ids
        self.days = list(map(date.toordinal, dates))
        self.taken = bytearray(len(entries))
        self.runs: dict[tuple, _Run] = {}
        self.hit_maps: dict[tuple[str, ...], dict[str, bool]] = {}
        self.by_statement: dict[str | None, list[int]] | None = None

    def run(self, select: str, keywords: tuple[str, ...], month: str = "") -> _Run:
        """The run of the entries that hit `keywords` ("hit"), miss them ("miss"), or are on
        statement `month` and hit them when any are given ("statement"); built once."""
        key = (select, keywords, month)
        run = self.runs.get(key)
        if run is None:
            run = self.runs[key] = _Run(self, self._positions(select, keywords, month))
        return run

    def _positions(self, select: str, keywords: tuple[str, ...], month: str) -> list[int]:
        everything: Iterable[int] = range(len(self.ids))
        if select == "statement":
            everything = self._on_statement(month)
            select = "hit" if keywords else "all"
        if select == "all":
            return list(everything)
        hits, descriptions = self._hit_map(keywords), self.descriptions
        wanted = select == "hit"
        return [p for p in everything if hits[descriptions[p]] is wanted]

    def _hit_map(self, keywords: tuple[str, ...]) -> dict[str, bool]:
        """Description → whether it has one of `keywords` (histories repeat their wording)."""
        hits = self.hit_maps.get(keywords)
        if hits is None:
            hits = self.hit_maps[keywords] = {
                text: any(keyword in text for keyword in keywords)
                for text in set(self.descriptions)
            }
        return hits

    def _on_statement(self, month: str) -> list[int]:
        if self.by_statement is None:
            self.by_statement = {}
            for position, statement in enumerate(self.statements):
                self.by_statement.setdefault(statement, []).append(position)
        return self.by_statement.get(month, [])


class _Run:
    """Some entries of one group, in the group's order, with links that skip taken entries
    (a union-find per direction: each taken entry is stepped over once per run)."""

    __slots__ = ("group", "positions", "days", "ahead", "behind")

    def __init__(self, group: _Group, positions: list[int]) -> None:
        self.group = group
        self.positions = positions
        self.days = [group.days[p] for p in positions]
        self.ahead = list(range(len(positions) + 1))  # k → a candidate for the first free ≥ k
        self.behind = list(range(len(positions) + 1))  # k + 1 → … for the last free ≤ k

    def first_free(self, k: int) -> int:
        """The first index ≥ k whose entry is free (len when none)."""
        ahead, positions, taken = self.ahead, self.positions, self.group.taken
        end = len(positions)
        root = k
        while True:
            while ahead[root] != root:
                root = ahead[root]
            if root == end or not taken[positions[root]]:
                break
            ahead[root] = root + 1
        while k != root:
            ahead[k], k = root, ahead[k]
        return root

    def last_free(self, k: int) -> int:
        """The last index ≤ k whose entry is free (-1 when none)."""
        behind, positions, taken = self.behind, self.positions, self.group.taken
        slot = root = k + 1
        while True:
            while behind[root] != root:
                root = behind[root]
            if root == 0 or not taken[positions[root - 1]]:
                break
            behind[root] = root - 1
        while slot != root:
            behind[slot], slot = root, behind[slot]
        return root - 1

    def found(self, k: int, *rank: int) -> tuple:
        """A candidate: its rank, the entry id, and where the entry is."""
        position = self.positions[k]
        return (*rank, self.group.ids[position], self.group, position)


_Groups = dict[str, tuple[list[int], list[_Group]]]
_NO_GROUPS: tuple[list[int], list[_Group]] = ([], [])


def _groups(entries: Iterable[Entry]) -> _Groups:
    """Account → the amounts of its groups, ascending, and the groups."""
    ordered = sorted(entries, key=attrgetter("id"))  # about free when they come by id
    ordered.sort(key=attrgetter("date"))  # stable: by date, then id
    buckets: dict[tuple[str, int], list[Entry]] = {}
    for entry in ordered:
        buckets.setdefault((entry.account, entry.amount), []).append(entry)
    groups: _Groups = {}
    for (account, amount), members in sorted(buckets.items(), key=itemgetter(0)):
        amounts, in_account = groups.setdefault(account, ([], []))
        amounts.append(amount)
        in_account.append(_Group(members))
    return groups


# --- expectations: seekers ---------------------------------------------------------------------


class _Seeker:
    """Expectations that rank entries alike; the lowest id takes the best free entry first.

    `sources` are (tier, run) pairs: for grants the tier is the keyword miss (0 or 1), for
    waivers the statement slip (0 on the expected statement, 1 on the next). Grants with one
    window but different lowest days rank the entries inside the window alike: they search
    together (`lowests` gives each member's lowest day) until none is free there, then split.
    """

    __slots__ = ("members", "next_member", "kind", "sources", "lowest", "start", "end", "lowests")

    def __init__(
        self,
        members: list[str],
        kind: str,
        sources: list[tuple[int, _Run]],
        dates: tuple[int, int, int] = (0, 0, 0),
        lowests: dict[str, int] | None = None,
    ) -> None:
        self.members = members
        self.next_member = 0
        self.kind = kind
        self.sources = sources
        self.lowest, self.start, self.end = dates
        self.lowests = lowests

    def best(self) -> tuple | None:
        """The best free candidate now: (rank, rank, day, entry id, group, position)."""
        best, best_tier = None, 0
        for tier, run in self.sources:
            if best is not None and best_tier < tier:
                break  # sources come by tier: a lower tier always ranks first
            if self.lowests is not None and tier > self.sources[0][0]:
                break  # shared: only the first tier's window
            found = self._best_in(run, tier)
            if found is not None and (best is None or found[:4] < best[:4]):
                best, best_tier = found, tier
        return best

    def split(self) -> list[_Seeker]:
        """The members still waiting, by lowest day: each group now ranks entries its way."""
        assert self.lowests is not None
        parts: dict[int, list[str]] = {}
        for member in self.members[self.next_member :]:
            parts.setdefault(self.lowests[member], []).append(member)
        dates = (self.start, self.end)
        return [
            _Seeker(part, self.kind, self.sources, (low, *dates)) for low, part in parts.items()
        ]

    def _best_in(self, run: _Run, tier: int) -> tuple | None:
        days = run.days
        if self.kind == "waiver":
            k = run.first_free(0)
            return run.found(k, 0, tier, days[k]) if k < len(days) else None
        lowest, start, end = self.lowest, self.start, self.end
        k = run.first_free(bisect_left(days, max(lowest, start)))
        best = None
        if k < len(days):
            day = days[k]
            if day <= end:
                return run.found(k, tier, 0, day)  # inside the window: nothing ranks better
            if self.lowests is not None:
                return None  # outside the window, members rank entries their own way
            best = run.found(k, tier, day - end, day)
        if lowest < start:
            k = run.last_free(bisect_left(days, start) - 1)
            if k >= 0 and days[k] >= lowest:
                day = days[k]
                k = run.first_free(bisect_left(days, day))  # the lowest id of that day
                if best is None or start - day <= best[1]:
                    best = run.found(k, tier, start - day, day)  # on a tie, the earlier date
        return best


def _seekers(
    expectations: Iterable[Expectation], groups: _Groups, early_days: int
) -> list[_Seeker]:
    profiles: dict[tuple, dict[str, int]] = {}  # profile → member → its lowest day
    for expectation in expectations:
        amounts, _ = groups.get(expectation.account, _NO_GROUPS)
        first = bisect_left(amounts, expectation.match_amount - expectation.tolerance)
        if (
            first == len(amounts)
            or amounts[first] > expectation.match_amount + expectation.tolerance
        ):
            continue  # no entry of its amounts on its account: the most common case by far
        found = _profile(expectation, early_days)
        if found is not None:
            profile, lowest = found
            profiles.setdefault(profile, {})[expectation.id] = lowest
    seekers = []
    known: dict[tuple, list[tuple[int, _Run]]] = {}  # the sources of a kind, amounts, keywords
    for profile, lowests in profiles.items():
        kind, account, low, high, keywords, *dates = profile
        key = (kind, account, low, high, keywords, *(dates if kind == "waiver" else ()))
        sources = known.get(key)
        if sources is None:
            amounts, in_account = groups[account]
            in_range = in_account[bisect_left(amounts, low) : bisect_right(amounts, high)]
            if kind == "waiver":
                sources = _waiver_sources(in_range, keywords, *dates)
            else:
                sources = _grant_sources(in_range, keywords)
            known[key] = sources
        if not sources:
            continue
        members = sorted(lowests)
        if kind == "waiver":
            seekers.append(_Seeker(members, kind, sources))
            continue
        start, end, _ = dates
        if len(set(lowests.values())) == 1:  # one ranking for all
            lowest = next(iter(lowests.values()))
            seekers.append(_Seeker(members, kind, sources, (lowest, start, end)))
        else:  # every lowest day is on or before the start: one window, searched together
            seekers.append(_Seeker(members, kind, sources, (start, start, end), lowests))
    return seekers


def _profile(expectation: Expectation, early_days: int) -> tuple[tuple, int] | None:
    """What an expectation's ranking of entries depends on, and (grants) its lowest day as an
    ordinal; None when it can take no entry. Grants whose lowest day is on or before their
    window's start share a profile whatever that day."""
    amounts = (
        expectation.account,
        expectation.match_amount - expectation.tolerance,
        expectation.match_amount + expectation.tolerance,
        expectation.keywords,
    )
    if expectation.kind == "waiver":
        if expectation.statement is None:
            return None
        statements = (str(expectation.statement), str(expectation.next_statement))
        return ("waiver", *amounts, *statements), 0
    lowest = not_before(expectation, early_days)
    if lowest is None or expectation.window is None:
        return None
    start, end = expectation.window.start.toordinal(), expectation.window.end.toordinal()
    day = lowest.toordinal()
    return ("grant", *amounts, start, end, day if day > start else None), day


def _grant_sources(groups: list[_Group], keywords: tuple[str, ...]) -> list[tuple[int, _Run]]:
    """Keywords only rank grants: the entries that hit them (tier 0), then the others."""
    if not keywords:
        return [(0, group.run("all", ())) for group in groups]
    hits = [(0, group.run("hit", keywords)) for group in groups]
    return hits + [(1, group.run("miss", keywords)) for group in groups]


def _waiver_sources(
    groups: list[_Group], keywords: tuple[str, ...], statement: str, next_statement: str
) -> list[tuple[int, _Run]]:
    """Keywords are required for waivers: the entries on the expected statement (tier 0) that
    hit them, then those on the next one."""
    sources = []
    for slip, month in enumerate((statement, next_statement)):
        for group in groups:
            run = group.run("statement", keywords, month)
            if run.positions:
                sources.append((slip, run))
    return sources
