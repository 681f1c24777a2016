"""Importing statement and point-history files: idempotent, all-or-nothing, fast.

One file is one transaction: every line is checked before anything is written, each line gets a
stable dedup key (so re-importing or overlapping downloads add each real entry once), and a file
that is one whole statement marks coverage for that statement month.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from pointwatch.domain.billing import ready_date, statement_for_posting
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
from pointwatch.store.bulk import (
    gc_paused,
    insert_entries,
    page_cache,
    rows_stored,
    stored_keys,
)
from pointwatch.store.convert import cycle_of
from pointwatch.store.queries import account_by_name
from pointwatch.store.tables import AccountRow, CoverageRow

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
    with gc_paused():
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
    stored = rows_stored(session)
    with page_cache(session, sqlite, stored + len(entries)):
        existing = stored_keys(session, [*keys, *(key for key in legacy or () if key)], stored)
        rows = _new_rows(account, entries, keys, legacy, existing, source, sign, report, sqlite)
        insert_entries(session, rows, sqlite)

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
    """The day `statement` is final (billing.ready_date: no holiday calendar to import, which
    alone costs a quarter of a second)."""
    cycle = cycle_of(account)
    assert cycle is not None  # cards always carry a cycle
    return ready_date(cycle, statement)


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


def _statuses(session: Session, today: date, rules: Rules) -> dict[str, str]:
    return {
        evaluation.expectation.id: evaluation.status
        for evaluation in evaluate_all(session, today, rules)
    }
