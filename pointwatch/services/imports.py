"""Importing statement and point-history files: idempotent, all-or-nothing, fast.

One file is one transaction: every line is checked before anything is written, each line gets a
stable dedup key (so re-importing or overlapping downloads add each real entry once), and a file
that is one whole statement marks coverage for that statement month.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import islice, repeat
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from pointwatch.domain.billing import statement_for_posting
from pointwatch.domain.dates import MAX_YEAR, MIN_YEAR, Month
from pointwatch.domain.expectations import Rules
from pointwatch.domain.wording import date_text, kind_word, month_text, shown
from pointwatch.errors import InputError
from pointwatch.i18n import N_, Message, _
from pointwatch.importers import (
    CsvFormat,
    ImportedEntry,
    RowProblem,
    builtin_formats,
    dedup_keys,
    formats_from_config,
    institutions_from_config,
    legacy_dedup_keys,
    parse_file,
)
from pointwatch.services.definitions import get_profile
from pointwatch.services.entries import add_coverage
from pointwatch.services.evaluation import evaluate_all
from pointwatch.store.convert import cycle_of
from pointwatch.store.queries import account_by_name
from pointwatch.store.tables import AccountRow, CoverageRow, EntryRow

PROBLEMS_SHOWN = 20  # bad rows listed in an aborting error; the rest are counted


@dataclass
class ImportReport:
    file: str
    format: str
    encoding: str
    account: str
    rows: int = 0
    added: list[ImportedEntry] = field(default_factory=list)  # amounts as stored
    duplicates: list[ImportedEntry] = field(default_factory=list)  # amounts as stored
    rejected: list[RowProblem] = field(default_factory=list)
    statement: Month | None = None  # the statement the file is (or previews: `provisional`)
    provisional: bool = False  # a provisional (速報) statement: never coverage
    coverage_added: bool = False
    no_coverage: str | None = None  # why a statement file recorded no coverage
    institution: str | None = None  # the one institution taken from a multi-account export
    left_out: int = 0  # lines of other institutions in that export
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, before, after)
    dry_run: bool = False


def configured_formats(formats_config: Mapping[str, Mapping[str, Any]]) -> dict[str, CsvFormat]:
    """Built-in formats plus the config's [formats.NAME] maps."""
    return {**builtin_formats(), **formats_from_config(formats_config)}


def import_file(
    session: Session,
    path: Path,
    account_name: str,
    today: date,
    rules: Rules,
    format_name: str | None = None,
    formats_config: Mapping[str, Mapping[str, Any]] | None = None,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    institution: str | None = None,
) -> ImportReport:
    """Import one file into an account; raises InputError (nothing written) on bad input.

    A file that is one whole statement of a card records its coverage only when it is final:
    not a provisional file, no rejected rows, and `today` on or after the statement's ready
    day (its closing date where the card has none); the report says why otherwise.
    `institution` picks the lines of one institution from a multi-account export
    (MoneyForward's 保有金融機関); without it, the account's one from the configuration.
    """
    # An import holds every line of the file in memory while it creates as many short-lived
    # containers; the cyclic collector would rescan the long-lived ones again and again (about
    # a tenth of the time for 100,000 lines). Nothing here makes cycles: paused, then restored.
    with _gc_paused():
        return _import(
            session, path, account_name, today, rules, format_name, formats_config or {},
            skip_bad_rows, dry_run, progress, institution,
        )  # fmt: skip


def _import(
    session: Session,
    path: Path,
    account_name: str,
    today: date,
    rules: Rules,
    format_name: str | None,
    formats_config: Mapping[str, Mapping[str, Any]],
    skip_bad_rows: bool,
    dry_run: bool,
    progress: Callable[[int], None] | None,
    institution: str | None,
) -> ImportReport:
    account = account_by_name(session, account_name)
    formats = configured_formats(formats_config)
    parsed = parse_file(path, format_name, formats, progress)
    report = ImportReport(
        file=path.name,
        format=parsed.format,
        encoding=parsed.encoding,
        account=account.name,
        rows=len(parsed.entries) + len(parsed.problems),
        rejected=list(parsed.problems),
        dry_run=dry_run,
    )
    if parsed.problems and not skip_bad_rows:
        raise InputError(_bad_rows_message(path.name, parsed.problems))
    wanted = institution or institutions_from_config(formats_config).get(account.name)
    entries = _one_institution(parsed.entries, wanted, account, path, report)
    if not entries:
        raise InputError(_("{file}: no entries to import").format(file=path.name))
    fmt = formats[parsed.format]
    days = {entry.date for entry in entries}
    first, last = min(days), max(days)
    if first.year < MIN_YEAR or last.year > MAX_YEAR:  # (rare: a damaged or odd file)
        outside = _outside_years(entries)
        if not skip_bad_rows:
            raise InputError(_bad_rows_message(path.name, outside))
        report.rejected += outside
        entries = [entry for entry in entries if MIN_YEAR <= entry.date.year <= MAX_YEAR]
        if not entries:
            raise InputError(f"{path.name}: no entries to import")
        last = max(entry.date for entry in entries)
    _check_belongs(session, fmt, parsed.statement, last, account, path)

    before = _statuses(session, today, rules)
    source = f"import:{parsed.format}:{path.name}"
    # Household-book exports print spending negative; card entries are kept as a card prints them.
    sign = -1 if account.kind == "card" and getattr(fmt, "outflow_negative", False) else 1
    sqlite = session.connection().dialect.name == "sqlite"
    keys = dedup_keys(account.name, entries)
    legacy = legacy_dedup_keys(account.name, entries)
    stored = _rows_stored(session)
    with _page_cache(session, sqlite, stored + len(entries)):
        existing = _stored_keys(session, [*keys, *(key for key in legacy or () if key)], stored)
        rows = _new_rows(account, entries, keys, legacy, existing, source, sign, report, sqlite)
        _insert_entries(session, rows, sqlite)

    statement = parsed.statement or parsed.provisional
    if statement is not None and account.kind == "card":
        report.statement, report.provisional = statement, parsed.provisional is not None
        reason = _no_coverage_reason(account, statement, report, today)
        if reason is None:
            report.coverage_added = add_coverage(session, account, statement, source, today)
        elif not _covered(session, account, statement, today):
            report.no_coverage = reason  # (covered already by an earlier import or check: no news)
    session.flush()
    after = _statuses(session, today, rules)
    report.changed = [
        (expectation_id, before.get(expectation_id, "-"), status)
        for expectation_id, status in after.items()
        if before.get(expectation_id) != status
    ]
    return report


def _one_institution(
    entries: list[ImportedEntry],
    wanted: str | None,
    account: AccountRow,
    path: Path,
    report: ImportReport,
) -> list[ImportedEntry]:
    """The lines of the account's institution in an export that lists several; a mix without a
    choice is refused with the institutions it holds."""
    found = sorted({entry.group for entry in entries if entry.group})
    if not found:
        return entries
    listed = ", ".join(found)
    if wanted is None:
        if len(found) == 1:
            return entries
        raise InputError(
            _(
                "{file}: the file mixes institutions ({listed}); choose the one of "
                "{account!r} with --institution NAME, or set it once in the "
                "configuration: [formats.moneyforward] institutions = {{ {account} = "
                '"{found}" }}'
            ).format(file=path.name, listed=listed, account=account.name, found=found[0])
        )
    if wanted not in found:
        raise InputError(
            _(
                "{file}: no lines of the institution {wanted!r} for {account!r}; the "
                "file has: {listed}"
            ).format(file=path.name, wanted=wanted, account=account.name, listed=listed)
        )
    kept = [entry for entry in entries if entry.group == wanted]
    report.institution, report.left_out = wanted, len(entries) - len(kept)
    return kept


def _no_coverage_reason(
    account: AccountRow, statement: Month, report: ImportReport, today: date
) -> str | None:
    """Why importing this statement file records no coverage (None: it does): only a final
    statement, read whole, proves that a fee is not on it."""
    ready = _ready_date(account, statement)
    if report.provisional:
        return Message(
            N_(
                "a provisional (速報) file; import the final statement {statement} on or after "
                "{ready} to cover it"
            ),
            statement=statement, ready=ready,
        )  # fmt: skip
    if report.rejected:
        return Message(
            N_(
                "{count} row(s) rejected; fix or re-download the file and import it again to "
                "cover the statement"
            ),
            count=len(report.rejected),
        )
    if today < ready:
        return Message(
            N_(
                "statement {statement} is not final until {ready}; import the file again on or "
                "after that day to cover it"
            ),
            statement=statement, ready=ready,
        )  # fmt: skip
    return None


def _covered(session: Session, account: AccountRow, statement: Month, today: date) -> bool:
    """Whether the statement was covered on or before `today`."""
    table = CoverageRow.__table__.c
    query = select(table.id).where(
        table.account_id == account.id,
        table.statement == str(statement),
        table.recorded_on <= today,
    )
    return session.execute(query).first() is not None


def _ready_date(account: AccountRow, statement: Month) -> date:
    """statement_for_month(cycle, statement).ready_date without its payment date, which needs
    the holiday calendar (its import alone costs a quarter of a second): the statement's
    `statement_ready_day`, or its closing date where the card has none."""
    cycle = cycle_of(account)
    assert cycle is not None  # cards always carry a cycle
    if cycle.statement_ready_day is not None:
        return statement.day(cycle.statement_ready_day)
    return cycle.closing_date(statement.plus(-cycle.payment_months))


def _outside_years(entries: list[ImportedEntry]) -> list[RowProblem]:
    return [
        RowProblem(entry.row, str(entry.date), f"row {entry.row}: the date {entry.date} is "
                   f"outside the supported years ({MIN_YEAR}..{MAX_YEAR})")
        for entry in entries
        if not MIN_YEAR <= entry.date.year <= MAX_YEAR
    ]  # fmt: skip


def _bad_rows_message(label: str, problems: list[RowProblem]) -> str:
    shown_ = [f"{label}: {shown(problem.message)}" for problem in problems[:PROBLEMS_SHOWN]]
    more = len(problems) - PROBLEMS_SHOWN
    if more > 0:
        shown_.append(_("{file}: … and {count} more bad rows").format(file=label, count=more))
    shown_.append(
        _(
            "{file}: {count} bad row(s), nothing imported; fix the file or pass --skip-bad-rows "
            "to import the good rows"
        ).format(file=label, count=len(problems))
    )
    return "\n".join(shown_)


def _check_belongs(
    session: Session,
    fmt: CsvFormat,
    statement: Month | None,
    latest: date,
    account: AccountRow,
    path: Path,
) -> None:
    """Refuse a file that cannot be this account's: a card statement into a points account,
    another issuer's statement, or lines after the statement's closing date on this card."""
    kind = getattr(fmt, "account_kind", None)
    if kind is not None and kind != account.kind:
        raise InputError(
            _(
                "{file}: a {format} file is a {kind} statement, but {account!r} is a "
                "{account_kind} account"
            ).format(
                file=path.name,
                format=fmt.name,
                kind=kind_word(kind),
                account=account.name,
                account_kind=kind_word(account.kind),
            )  # fmt: skip
        )
    issuer = getattr(fmt, "issuer", None)
    if issuer and account.profile:
        profile_issuer = get_profile(session, account.profile).issuer
        if profile_issuer and profile_issuer != issuer:
            raise InputError(
                _(
                    "{file}: a {issuer} statement ({format}), but {account!r} is a "
                    "{profile_issuer} card (profile {profile}); a file of another card?"
                ).format(
                    file=path.name,
                    issuer=issuer,
                    format=fmt.name,
                    account=account.name,
                    profile_issuer=profile_issuer,
                    profile=account.profile,
                )
            )
    cycle = cycle_of(account)
    if statement is not None and cycle is not None:
        # statement_for_month(cycle, statement).closing_date, without its payment date: that
        # one needs the holiday calendar, whose import alone costs a quarter of a second.
        closing = cycle.closing_date(statement.plus(-cycle.payment_months))
        if latest > closing:
            raise InputError(
                _(
                    "{file}: lines up to {latest} for statement {statement}, but on "
                    "{account!r} that statement closes {closing}; is this a file of another "
                    "card?"
                ).format(
                    file=path.name,
                    latest=date_text(latest),
                    statement=month_text(statement),
                    account=account.name,
                    closing=date_text(closing),
                )
            )


def _new_rows(
    account: AccountRow,
    entries: list[ImportedEntry],
    keys: list[str],
    legacy: list[str | None] | None,
    existing: set[str],
    source: str,
    sign: int,
    report: ImportReport,
    iso_dates: bool,
) -> Iterator[tuple]:
    """The entry rows to insert, one at a time (streamed into the insert, never all held),
    sorting each line into the report's added or duplicates (with its amount as stored) as it
    goes. With `iso_dates` the date is ISO text, as SQLAlchemy's SQLite Date stores it (for the
    driver's own insert). A line stored under the key an older version gave it (`legacy`:
    before provisional shop names and export ids counted) is a duplicate too."""
    statements = _statements(account, entries)
    olds = legacy or repeat(None)
    added, duplicates = report.added, report.duplicates
    account_id = account.id
    iso: dict[date, str] = {}
    for entry, key, old, statement in zip(entries, keys, olds, statements):  # noqa: B905
        if sign != 1:
            entry = entry._replace(amount=sign * entry.amount)
        if key in existing or (old is not None and old in existing):
            duplicates.append(entry)
            continue
        existing.add(key)  # the same key twice in one file cannot happen, but stay safe
        added.append(entry)
        day: date | str = entry.date
        if iso_dates:
            day = iso.get(entry.date) or iso.setdefault(entry.date, entry.date.isoformat())
        yield account_id, day, entry.amount, entry.description, statement, source, key


def _statements(account: AccountRow, entries: list[ImportedEntry]) -> Iterator[str | None]:
    """The statement month of each line: as the file says, else from the card's cycle."""
    cycle = cycle_of(account)
    last: Month | None = None  # a whole-statement file gives every line the same Month
    last_text: str | None = None
    by_day: dict[date, str] = {}
    for entry in entries:
        month = entry.statement
        if month is not None:
            if month is not last:
                last, last_text = month, str(month)
            yield last_text
        elif cycle is not None:
            text = by_day.get(entry.date)
            if text is None:
                text = by_day[entry.date] = str(statement_for_posting(cycle, entry.date).month)
            yield text
        else:
            yield None


def _rows_stored(session: Session) -> int:
    """About how many entries are stored, all accounts (the highest id: one index step)."""
    return session.execute(select(func.max(EntryRow.__table__.c.id))).scalar() or 0


def _stored_keys(session: Session, keys: list[str], rows_stored: int) -> set[str]:
    """The dedup keys stored already: all of them, or at least those of `keys` (a key names its
    account and is unique over the table, so a key stored on any account cannot be added).

    Whichever costs less: while the table holds at most `_SCAN_RATIO` times as many rows as
    `keys`, every stored key read in order from the keys' unique index (about 0.8 µs a row),
    else `keys` looked up in that index in sorted batches (about 2.5 µs a key; neighbouring
    keys share their index pages). Either way the cost follows the file, not the history of
    the account: reading the account's keys over the file's dates fetched each stored row of
    those dates from the table, 5 s for a 1,000-line file into a month of 1,000,000 entries.
    """
    column = EntryRow.__table__.c.dedup_key
    connection = session.connection()
    if rows_stored <= _SCAN_RATIO * len(keys):
        every = select(column).where(column.is_not(None))
        return {key for (key,) in _driver_rows(connection, every)}
    query = select(column).where(column.in_(bindparam("keys", expanding=True)))
    wanted = sorted(keys)
    found: set[str] = set()
    for start in range(0, len(wanted), _LOOKUP_BATCH):
        batch = wanted[start : start + _LOOKUP_BATCH]
        stored = {key for (key,) in _driver_rows(connection, query, {"keys": batch})}
        if stored:
            found.update(key for key in batch if key in stored)  # the file's own strings
    return found


def _driver_rows(connection: Connection, query, parameters: dict | None = None) -> Iterator[tuple]:
    """The driver's rows as they are (as store.queries.raw_rows), one at a time: SQLAlchemy's
    per-row processing would cost more than the read on a re-import of 100,000 lines."""
    result = connection.execute(query, parameters)
    try:
        yield from result.cursor
    finally:
        result.close()


@contextmanager
def _gc_paused() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# SQLite page cache while reading the stored keys and inserting. The entry table's three
# indexes (dedup key, two for matching) take new keys in random order; once they outgrow the
# cache, their pages are evicted and read back again and again (with the default 2 MB cache
# the insert of 100,000 lines takes twice as long; with a fixed 32 MB one, 1,000,000 lines
# take half as long again). So the cache is sized to those indexes over the rows stored and
# the rows coming: 103 MB measured at 1,000,000 rows, and room for the pages the inserts pass
# through; at least 32 MB, at most 512 MB. SQLite only allocates the pages it uses; the size
# is restored.
_INDEX_BYTES_PER_ROW = 128
_MIN_CACHE_KIB = 32 * 1024
_MAX_CACHE_KIB = 512 * 1024
_CORE_BATCH = 10_000
_LOOKUP_BATCH = 500  # bound parameters per key lookup (SQLite before 3.32 takes 999)
_SCAN_RATIO = 3  # stored rows read per key of the file rather than looked up (see _stored_keys)


@contextmanager
def _page_cache(session: Session, sqlite: bool, rows: int) -> Iterator[None]:
    """SQLite's page cache sized to the indexes of an entry table of `rows` rows, meanwhile."""
    if not sqlite:
        yield
        return
    driver = session.connection().connection.driver_connection
    (previous,) = driver.execute("PRAGMA cache_size").fetchone()
    wanted = rows * _INDEX_BYTES_PER_ROW // 1024
    driver.execute(f"PRAGMA cache_size = -{min(max(wanted, _MIN_CACHE_KIB), _MAX_CACHE_KIB)}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size = {int(previous)}")


def _insert_entries(session: Session, rows: Iterator[tuple], sqlite: bool) -> None:
    connection = session.connection()
    if sqlite:
        # The ORM path costs ~7 s per 100,000 rows; the driver's executemany inside the same
        # transaction well under a second (the rows carry dates as ISO text, as SQLAlchemy's
        # SQLite Date stores them). OR IGNORE: a concurrent import of the same file cannot
        # add a line twice.
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.executemany(
                "INSERT OR IGNORE INTO entry (account_id, date, amount, description, statement, "
                "source, dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        finally:
            cursor.close()
        return
    # Other databases: SQLAlchemy Core's executemany, in batches so that memory stays bounded.
    names = ("account_id", "date", "amount", "description", "statement", "source", "dedup_key")
    statement = insert(EntryRow.__table__)
    while batch := [dict(zip(names, row, strict=True)) for row in islice(rows, _CORE_BATCH)]:
        connection.execute(statement, batch)


def _statuses(session: Session, today: date, rules: Rules) -> dict[str, str]:
    return {
        evaluation.expectation.id: evaluation.status
        for evaluation in evaluate_all(session, today, rules)
    }
