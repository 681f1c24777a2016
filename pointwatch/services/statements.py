"""Which statement to open: for a card and a date, or for what an enrollment expects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from pointwatch.domain.billing import (
    BillingCycle,
    Statement,
    statement_for_month,
    statement_for_posting,
)
from pointwatch.domain.wording import kind_word
from pointwatch.errors import InputError, NotFound
from pointwatch.i18n import _
from pointwatch.services.definitions import get_profile
from pointwatch.services.enrollments import get_enrollment_row
from pointwatch.store.convert import cycle_of
from pointwatch.store.queries import load_expectations
from pointwatch.store.tables import AccountRow, EntryRow, ExpectationRow


@dataclass(frozen=True)
class StatementAnswer:
    account: str  # account name, or the profile id when asked for a profile
    statement: Statement
    reason: str  # what the statement is for: a posting date, an expectation, an entry (JSON)
    posted: date | None = None  # the posting date asked about
    entry: int | None = None  # the entry asked about, and its description
    description: str = ""


def for_card_date(session: Session, card: str, posted: date) -> StatementAnswer:
    """The statement a charge posted on `posted` lands on (card = account name or profile id)."""
    name, cycle = _cycle(session, card)
    statement = statement_for_posting(cycle, posted)
    return StatementAnswer(name, statement, f"posted {posted}", posted=posted)


def for_target(session: Session, target: str) -> list[StatementAnswer]:
    """Statements to open for an enrollment, an expectation, or an entry id."""
    if target.isdigit():
        entry = session.get(EntryRow, int(target))
        if entry is None:
            raise NotFound(
                _("entry {id} not found (see `{command}`)").format(
                    id=target, command="pointwatch entries"
                )
            )
        account = session.get(AccountRow, entry.account_id)
        assert account is not None
        cycle = cycle_of(account)
        if cycle is None:
            raise InputError(
                _("entry {id} is on {account!r}, which has no statements").format(
                    id=target, account=account.name
                )
            )
        statement = statement_for_posting(cycle, entry.date)
        reason = f"entry {target}: {entry.description}"
        return [
            StatementAnswer(
                account.name, statement, reason, entry=entry.id, description=entry.description
            )
        ]
    if session.get(ExpectationRow, target) is not None:
        expectations = load_expectations(session, ids=[target])
    else:
        get_enrollment_row(session, target)
        expectations = load_expectations(session, enrollment=target)
    answers = []
    for expectation in expectations:
        if expectation.statement is None:
            continue
        account = session.exec(
            select(AccountRow).where(AccountRow.name == expectation.account)
        ).one()
        cycle = cycle_of(account)
        assert cycle is not None
        answers.append(
            StatementAnswer(
                expectation.account,
                statement_for_month(cycle, expectation.statement),
                expectation.id,
            )
        )
    if not answers:
        raise InputError(
            _(
                "{target}: nothing it expects appears on a card statement (grants to point "
                "accounts have windows, not statements; see `{command}`)"
            ).format(target=target, command="pointwatch status")
        )
    return answers


def _cycle(session: Session, card: str) -> tuple[str, BillingCycle]:
    account = session.exec(select(AccountRow).where(AccountRow.name == card)).first()
    if account is not None:
        cycle = cycle_of(account)
        if cycle is None:
            raise InputError(
                _("--card {card}: {card!r} is a {kind} account, not a card").format(
                    card=card, kind=kind_word(account.kind)
                )
            )
        return account.name, cycle
    try:
        profile = get_profile(session, card)
    except NotFound as exc:
        raise NotFound(
            _("--card {card}: no such card account or profile").format(card=card)
        ) from exc
    if profile.cycle is None:
        raise InputError(
            _("--card {card}: profile {card!r} has no billing cycle").format(card=card)
        )
    return profile.id, profile.cycle
