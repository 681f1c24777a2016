"""Entries (statement and point-history lines) and coverage (whole statements checked)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from pointwatch.domain.billing import statement_for_month, statement_for_posting
from pointwatch.domain.dates import Month
from pointwatch.errors import InputError, InvalidValue
from pointwatch.services.views import EntryView
from pointwatch.store.convert import cycle_of
from pointwatch.store.queries import account_by_name
from pointwatch.store.tables import AccountRow, CoverageRow, EntryRow


def record_entry(
    session: Session,
    account_name: str,
    on: date,
    amount: int,
    memo: str,
    statement: Month | None = None,
    *,
    credit: bool = False,
    debit: bool = False,
) -> EntryView:
    """Record one entry; a card entry gets its statement month from the cycle unless given.

    `amount` is as typed: positive, or signed when neither flag is given. `credit` (a refund or
    credit on a card) and `debit` (points or money going out of another account) store it
    negative, as the statement prints it.
    """
    account = account_by_name(session, account_name)
    if amount == 0:
        raise InputError("--amount: must not be 0")
    amount = _signed(account, amount, credit, debit)
    if not memo.strip():
        raise InputError("--memo: must not be empty (it is what matching keywords look at)")
    if account.kind == "card":
        if statement is None:
            cycle = cycle_of(account)
            assert cycle is not None  # cards always carry a cycle (add_account enforces it)
            statement = statement_for_posting(cycle, on).month
    elif statement is not None:
        raise InputError(f"--statement: {account.name!r} is a {account.kind} account, not a card")
    row = EntryRow(
        account_id=account.id,
        date=on,
        amount=amount,
        description=memo.strip(),
        statement=str(statement) if statement else None,
        source="manual",
    )
    session.add(row)
    session.flush()
    return _entry_view(row, account.name)


def _entry_view(row: EntryRow, account: str, expectation: str | None = None) -> EntryView:
    assert row.id is not None  # flushed
    return EntryView(
        id=row.id, account=account, date=row.date, amount=row.amount,
        description=row.description, statement=row.statement, source=row.source,
        expectation=expectation,
    )  # fmt: skip


def _signed(account: AccountRow, amount: int, credit: bool, debit: bool) -> int:
    if credit and debit:
        raise InvalidValue("--credit and --debit: give at most one")
    if credit and account.kind != "card":
        raise InvalidValue(f"--credit: {account.name!r} is a {account.kind} account; use --debit")
    if debit and account.kind == "card":
        raise InvalidValue(f"--debit: {account.name!r} is a card; charges are positive already")
    return -amount if (credit or debit) else amount


def mark_checked(session: Session, account_name: str, month: Month, today: date) -> bool:
    """Record that the whole statement `month` of a card was checked (coverage); False when
    it was covered already."""
    account = card_account(session, account_name, "checked")
    cycle = cycle_of(account)
    assert cycle is not None
    statement = statement_for_month(cycle, month)
    if today < statement.ready_date:
        raise InputError(
            f"statement {month} of {account.name!r} is not final until "
            f"{statement.ready_date.isoformat()}; check it then"
        )
    return add_coverage(session, account, month, "checked", today)


def add_coverage(
    session: Session, account: AccountRow, month: Month, source: str, today: date
) -> bool:
    """Mark statement `month` of `account` as covered; False when it was covered already."""
    existing = session.exec(
        select(CoverageRow.id).where(
            CoverageRow.account_id == account.id, CoverageRow.statement == str(month)
        )
    ).first()
    if existing is not None:
        return False
    row = CoverageRow(account_id=account.id, statement=str(month), source=source, recorded_on=today)
    session.add(row)
    session.flush()
    return True


def card_account(session: Session, name: str, command: str) -> AccountRow:
    account = account_by_name(session, name)
    if account.kind != "card":
        raise InputError(
            f"{command}: {name!r} is a {account.kind} account; statements belong to cards"
        )
    return account


def list_entries(
    session: Session,
    assignment_by_entry: dict[int, str],
    account_name: str | None = None,
    statement: Month | None = None,
) -> list[EntryView]:
    query = select(EntryRow, AccountRow.name).join(AccountRow)
    if account_name is not None:
        query = query.where(EntryRow.account_id == account_by_name(session, account_name).id)
    if statement is not None:
        query = query.where(EntryRow.statement == str(statement))
    query = query.order_by(EntryRow.date, EntryRow.id)
    return [
        _entry_view(row, name, assignment_by_entry.get(row.id))
        for row, name in session.exec(query).all()
    ]
