"""Accounts: cards with billing cycles, point balances, banks and wallets."""

from __future__ import annotations

from sqlmodel import Session, select

from pointwatch.domain.billing import BillingCycle
from pointwatch.domain.definitions import ACCOUNT_KINDS, Profile
from pointwatch.domain.wording import kind_word
from pointwatch.errors import Conflict, InputError
from pointwatch.i18n import _
from pointwatch.services.definitions import get_profile
from pointwatch.services.views import AccountView
from pointwatch.store.convert import account_row
from pointwatch.store.queries import account_by_name
from pointwatch.store.tables import AccountRow


def add_account(
    session: Session,
    name: str,
    kind: str | None = None,
    profile_id: str | None = None,
    cycle: BillingCycle | None = None,
) -> AccountView:
    """Create an account; a card needs a cycle, from a profile or given explicitly."""
    if not name.strip():
        raise InputError(_("account name: must not be empty"))
    existing = session.exec(select(AccountRow).where(AccountRow.name == name)).first()
    if existing is not None:
        raise Conflict(
            _("account {name!r} already exists (see `{command}`)").format(
                name=name, command=f"pointwatch account show {name}"
            )
        )
    if profile_id is not None:
        if cycle is not None:
            raise InputError(_("--profile and --closing-day/--payment-day: give one or the other"))
        profile = get_profile(session, profile_id)
        if kind is not None and kind != profile.kind:
            raise InputError(
                _("--kind {kind}: profile {profile!r} is a {profile_kind} account").format(
                    kind=kind, profile=profile_id, profile_kind=kind_word(profile.kind)
                )
            )
        kind, cycle = profile.kind, profile.cycle
    kind = kind or ("card" if cycle else None)
    if kind is None:
        raise InputError(
            _(
                "account {name!r}: give --kind ({account_kinds}), --profile, or a card "
                "cycle (--closing-day and --payment-day)"
            ).format(name=name, account_kinds=", ".join(ACCOUNT_KINDS))
        )
    if kind not in ACCOUNT_KINDS:
        raise InputError(
            _("--kind {kind!r}: expected one of {account_kinds}").format(
                kind=kind, account_kinds=", ".join(ACCOUNT_KINDS)
            )
        )
    if kind == "card" and cycle is None:
        raise InputError(
            _(
                "card {name!r} needs a billing cycle: --profile ID (see `pointwatch "
                "campaign catalog`) or --closing-day and --payment-day"
            ).format(name=name)
        )
    if kind != "card" and cycle is not None:
        raise InputError(
            _("a {kind} account has no billing cycle; only cards do").format(kind=kind_word(kind))
        )
    row = account_row(name, kind, cycle, profile_id)
    session.add(row)
    session.flush()
    return account_view(row)


def list_accounts(session: Session) -> list[AccountView]:
    rows = session.exec(select(AccountRow).order_by(AccountRow.name)).all()
    return [account_view(row) for row in rows]


def get_account(session: Session, name: str) -> AccountView:
    return account_view(account_by_name(session, name))


def profile_view(profile: Profile) -> AccountView:
    """A shipped or loaded card profile, shown like an account (its cycle)."""
    return account_view(account_row(profile.id, profile.kind, profile.cycle, None))


def account_view(row: AccountRow) -> AccountView:
    return AccountView(
        name=row.name, kind=row.kind, profile=row.profile, closing_day=row.closing_day,
        payment_day=row.payment_day, payment_months=row.payment_months,
        holiday_rule=row.holiday_rule, calendar=row.calendar,
        statement_ready_day=row.statement_ready_day,
    )  # fmt: skip
