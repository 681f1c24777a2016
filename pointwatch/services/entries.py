"""Entries (statement and point-history lines) and coverage (whole statements checked)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from pointwatch.domain.billing import statement_for_month, statement_for_posting
from pointwatch.domain.dates import Month
from pointwatch.domain.wording import date_text, kind_word, statement_name
from pointwatch.errors import Conflict, InputError, InvalidValue, NotFound
from pointwatch.i18n import _
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
    again: bool = False,
) -> EntryView:
    """Record one entry; a card entry gets its statement month from the cycle unless given.

    `amount` is as typed: positive, or signed when neither flag is given. `credit` (a refund or
    credit on a card) and `debit` (points or money going out of another account) store it
    negative, as the statement prints it. An entry identical to one already on the account
    (date, amount, memo) is refused unless `again`: typing the same line twice is a slip far
    more often than two real identical lines.
    """
    account = account_by_name(session, account_name)
    if amount == 0:
        raise InputError(_("--amount: must not be 0"))
    amount = _signed(account, amount, credit, debit)
    memo = _checked_memo(memo)
    statement = _statement(account, on, statement)
    if not again:
        _refuse_duplicate(session, account, on, amount, memo, "record")
    row = EntryRow(
        account_id=account.id,
        date=on,
        amount=amount,
        description=memo,
        statement=str(statement) if statement else None,
        source="manual",
    )
    session.add(row)
    session.flush()
    return entry_view(row, account.name)


def edit_entry(
    session: Session,
    entry_id: int,
    on: date | None = None,
    amount: int | None = None,
    memo: str | None = None,
    statement: Month | None = None,
    *,
    credit: bool | None = None,
    debit: bool | None = None,
    again: bool = False,
) -> tuple[EntryView, EntryView]:
    """Correct a recorded entry; returns it (before, after).

    `amount` is typed positive, as for `record`; the entry keeps its stored sign unless the
    flags say otherwise (`credit`: --credit True / --charge False on cards; `debit`: --debit
    True / --addition False elsewhere). A card entry whose date changes moves to the statement
    of the new date unless `statement` is given. The result must not be identical to another
    entry on the account unless `again`. An imported entry keeps its source and dedup key, so
    importing the file again does not bring the original line back.
    """
    row = get_entry_row(session, entry_id)
    account = session.get(AccountRow, row.account_id)
    assert account is not None
    before = entry_view(row, account.name)
    given = (on, amount, memo, statement, credit, debit)
    if all(value is None for value in given):
        raise InputError(
            _(
                "edit entry: give what to change (--date, --amount, --memo, "
                "--statement, or a sign: --credit/--charge on cards, "
                "--debit/--addition elsewhere)"
            )
        )
    if amount is not None and amount <= 0:
        raise InputError(_("--amount: expected a positive whole number"))
    negative = _negative(account, credit, debit)
    magnitude = amount if amount is not None else abs(row.amount)
    is_negative = row.amount < 0 if negative is None else negative
    new_amount = -magnitude if is_negative else magnitude
    new_memo = _checked_memo(memo) if memo is not None else row.description
    new_date = on if on is not None else row.date
    if statement is None and on is None:
        new_statement = row.statement
    else:
        month = _statement(account, new_date, statement)
        new_statement = str(month) if month else None
    if not again:
        _refuse_duplicate(session, account, new_date, new_amount, new_memo, "edit", row.id)
    row.date, row.amount, row.description, row.statement = (
        new_date, new_amount, new_memo, new_statement
    )  # fmt: skip
    session.add(row)
    session.flush()
    return before, entry_view(row, account.name)


def get_entry_row(session: Session, entry_id: int) -> EntryRow:
    row = session.get(EntryRow, entry_id)
    if row is None:
        raise NotFound(
            _("entry {id} not found (see `{command}` for ids)").format(
                id=entry_id, command="pointwatch entries"
            )
        )
    return row


def _checked_memo(memo: str) -> str:
    if not memo.strip():
        raise InputError(_("--memo: must not be empty (it is what matching keywords look at)"))
    return memo.strip()


def _statement(account: AccountRow, on: date, statement: Month | None) -> Month | None:
    """The statement month of an entry: as given, else from a card's cycle; none off cards."""
    if account.kind == "card":
        if statement is None:
            cycle = cycle_of(account)
            assert cycle is not None  # cards always carry a cycle (add_account enforces it)
            statement = statement_for_posting(cycle, on).month
        return statement
    if statement is not None:
        raise InputError(
            _("--statement: {name!r} is a {kind} account, not a card").format(
                name=account.name, kind=kind_word(account.kind)
            )
        )
    return None


def _refuse_duplicate(
    session: Session,
    account: AccountRow,
    on: date,
    amount: int,
    memo: str,
    command: str,
    other_than: int | None = None,
) -> None:
    query = select(EntryRow.id).where(
        EntryRow.account_id == account.id,
        EntryRow.date == on,
        EntryRow.amount == amount,
        EntryRow.description == memo,
    )
    if other_than is not None:
        query = query.where(EntryRow.id != other_than)
    same = session.exec(query.order_by(EntryRow.id)).first()
    if same is not None:
        raise Conflict(
            _(
                "{command}: entry {same} on {name!r} is the same ({on}, {amount:,}, "
                "{memo!r}); pass --again if there really are two such lines (or "
                "correct entry {same} with `{edit}`)"
            ).format(
                command=command,
                same=same,
                name=account.name,
                on=date_text(on),
                amount=amount,
                memo=memo,
                edit=f"pointwatch edit entry {same}",
            )
        )


def entry_view(row: EntryRow, account: str, expectation: str | None = None) -> EntryView:
    assert row.id is not None  # flushed
    return EntryView(
        id=row.id, account=account, date=row.date, amount=row.amount,
        description=row.description, statement=row.statement, source=row.source,
        expectation=expectation,
    )  # fmt: skip


def _signed(account: AccountRow, amount: int, credit: bool, debit: bool) -> int:
    return -amount if _negative(account, credit or None, debit or None) else amount


def _negative(account: AccountRow, credit: bool | None, debit: bool | None) -> bool | None:
    """What the sign flags say: True (stored negative), False (positive), None (nothing).

    `credit` is --credit (True) or --charge (False), for cards; `debit` is --debit (True) or
    --addition (False), for points, bank and wallet accounts.
    """
    if credit is not None and debit is not None:
        raise InvalidValue(_("--credit and --debit: give at most one"))
    if credit is not None and account.kind != "card":
        flag = "--credit" if credit else "--charge"
        other = "--debit" if credit else "--addition"
        raise InvalidValue(
            _("{flag}: {name!r} is a {kind} account; use {other}").format(
                flag=flag, name=account.name, kind=kind_word(account.kind), other=other
            )
        )
    if debit is not None and account.kind == "card":
        if debit:
            raise InvalidValue(
                _("--debit: {name!r} is a card; charges are positive already").format(
                    name=account.name
                )
            )
        raise InvalidValue(
            _("--addition: {name!r} is a card; use --charge").format(name=account.name)
        )
    return credit if credit is not None else debit


def mark_checked(session: Session, account_name: str, month: Month, today: date) -> bool:
    """Record that the whole statement `month` of a card was checked (coverage); False when
    it was covered already."""
    account = card_account(session, account_name, "checked")
    cycle = cycle_of(account)
    assert cycle is not None
    statement = statement_for_month(cycle, month)
    if today < statement.ready_date:
        raise InputError(
            _("{statement} is not final until {ready}; check it then").format(
                statement=statement_name(month, account.name), ready=date_text(statement.ready_date)
            )
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
            _("{command}: {name!r} is a {kind} account; statements belong to cards").format(
                command=command, name=name, kind=kind_word(account.kind)
            )
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
        entry_view(row, name, assignment_by_entry.get(row.id))
        for row, name in session.exec(query).all()
    ]
