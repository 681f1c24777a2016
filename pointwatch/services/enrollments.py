"""Joining campaigns: enrollments and the expectations derived from them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlmodel import Session, delete, select

from pointwatch.domain.definitions import Campaign
from pointwatch.domain.expectations import (
    AccountInfo,
    Enrollment,
    Expectation,
    Rules,
    derive_expectations,
    judged,
)
from pointwatch.domain.wording import date_text, kind_word
from pointwatch.errors import Conflict, InputError, NotFound
from pointwatch.i18n import _
from pointwatch.services.definitions import get_campaign
from pointwatch.store.convert import account_info, enrollment_of, expectation_row
from pointwatch.store.queries import account_by_name, load_expectations
from pointwatch.store.tables import (
    AccountRow,
    EnrollmentRow,
    ExpectationRow,
    InquiryRow,
    SettlementRow,
)


def join(
    session: Session,
    campaign_id: str,
    joined: date,
    bindings: Mapping[str, str],
    met: Mapping[str, date],
    enrollment_id: str | None = None,
    rules: Rules | None = None,
) -> tuple[Enrollment, list[Expectation], dict[str, str]]:
    """Register a joined campaign; returns the enrollment, its expectations (judged by `rules`
    when given) and role bindings."""
    campaign = get_campaign(session, campaign_id)
    roles = campaign.roles()
    unknown_roles = sorted(set(bindings) - set(roles))
    if unknown_roles:
        raise InputError(
            _("--account {role}=…: campaign {id!r} has no role {role!r} (roles: {roles})").format(
                role=unknown_roles[0], id=campaign.id, roles=", ".join(sorted(roles))
            )
        )
    _check_met(campaign, joined, met)
    accounts = {
        role: _bind(session, campaign, role, kind, bindings) for role, kind in roles.items()
    }
    enrollment_id = enrollment_id or _free_id(session, campaign.id)
    if session.get(EnrollmentRow, enrollment_id) is not None:
        raise Conflict(
            _("--id {enrollment_id}: an enrollment with this id already exists").format(
                enrollment_id=enrollment_id
            )
        )
    enrollment = Enrollment(
        id=enrollment_id,
        campaign=campaign.id,
        joined=joined,
        accounts={role: row.name for role, row in accounts.items()},
        met=dict(met),
    )
    session.add(
        EnrollmentRow(
            id=enrollment.id,
            campaign_id=campaign.id,
            joined_on=joined,
            accounts=dict(enrollment.accounts),
            met={key: value.isoformat() for key, value in met.items()},
        )
    )
    expectations = _store_expectations(session, campaign, enrollment, accounts)
    if rules is not None:
        expectations = [judged(expectation, rules) for expectation in expectations]
    return enrollment, expectations, dict(enrollment.accounts)


def record_condition(
    session: Session, enrollment_id: str, condition: str, on: date, rules: Rules | None = None
) -> list[Expectation]:
    """Record that a condition was met (e.g. the recipient registered) and re-derive."""
    row = get_enrollment_row(session, enrollment_id)
    campaign = get_campaign(session, row.campaign_id)
    _check_met(campaign, row.joined_on, {condition: on})
    row.met = {**row.met, condition: on.isoformat()}  # a new dict: JSON columns aren't tracked
    session.add(row)
    session.flush()
    _rederive(session, campaign, row)
    return load_expectations(session, enrollment=row.id, rules=rules)


def rederive_campaign(session: Session, campaign: Campaign) -> list[str]:
    """After a campaign definition changed: rebuild its enrollments' expectations."""
    rows = session.exec(select(EnrollmentRow).where(EnrollmentRow.campaign_id == campaign.id)).all()
    for row in rows:
        _rederive(session, campaign, row)
    return [row.id for row in rows]


def get_enrollment_row(session: Session, enrollment_id: str) -> EnrollmentRow:
    row = session.get(EnrollmentRow, enrollment_id)
    if row is None:
        known = session.exec(select(EnrollmentRow.id)).all()
        raise NotFound(
            _("enrollment {id!r} not found (known: {known})").format(
                id=enrollment_id, known=", ".join(sorted(known)) or _("none")
            )
        )
    return row


def _rederive(session: Session, campaign: Campaign, row: EnrollmentRow) -> list[Expectation]:
    enrollment = enrollment_of(row)
    accounts = {}
    for role in campaign.roles():
        if role not in enrollment.accounts:
            raise InputError(
                _(
                    "enrollment {id!r}: campaign {campaign!r} now needs role {role!r}, which "
                    "this enrollment does not bind; join again with --account"
                ).format(id=row.id, campaign=campaign.id, role=role)
            )
        accounts[role] = account_by_name(session, enrollment.accounts[role])
    derived = derive_expectations(campaign, enrollment, _infos(accounts))
    keep = {e.id for e in derived}
    old = session.exec(
        select(ExpectationRow.id).where(ExpectationRow.enrollment_id == row.id)
    ).all()
    gone = [expectation_id for expectation_id in old if expectation_id not in keep]
    if gone:
        _refuse_losing_evidence(session, campaign, gone)
        session.exec(delete(ExpectationRow).where(ExpectationRow.id.in_(gone)))
    _write_expectations(session, derived, accounts)
    return load_expectations(session, enrollment=row.id)


def _refuse_losing_evidence(session: Session, campaign: Campaign, gone: list[str]) -> None:
    """A changed definition may drop expectations, but never their settlement or support
    history: that evidence is what the user keeps until the matter is really settled."""
    from pointwatch.store.settlement_log import ReopenedSettlementRow

    for table in (SettlementRow, InquiryRow, ReopenedSettlementRow):
        column = table.__table__.c.expectation_id
        used = session.exec(select(column).where(column.in_(gone))).first()
        if used is not None:
            raise Conflict(
                _(
                    "campaign {id!r}: the new definition drops expectation {used!r}, which "
                    "has settlements or support inquiries; keep its entitlement in the "
                    "file (or load the changed campaign under a new id)"
                ).format(id=campaign.id, used=used)
            )


def _store_expectations(session, campaign, enrollment, accounts) -> list[Expectation]:
    derived = derive_expectations(campaign, enrollment, _infos(accounts))
    _write_expectations(session, derived, accounts)
    return derived


def _write_expectations(
    session: Session, derived: list[Expectation], accounts: Mapping[str, AccountRow]
) -> None:
    """Insert or update expectation rows."""
    account_ids = {row.name: row.id for row in accounts.values()}
    for expectation in derived:
        session.merge(expectation_row(expectation, account_ids[expectation.account]))
    session.flush()


def _infos(accounts: Mapping[str, AccountRow]) -> dict[str, AccountInfo]:
    return {role: account_info(row) for role, row in accounts.items()}


def _check_met(campaign: Campaign, joined: date, met: Mapping[str, date]) -> None:
    known = campaign.condition_ids()
    computed = {c.id: c for c in campaign.conditions if c.computed}
    for condition, on in met.items():
        if condition not in known:
            listed = ", ".join(known) if known else "this campaign has no conditions"
            raise InputError(
                _("--met {condition}=…: unknown condition ({listed})").format(
                    condition=condition, listed=listed
                )
            )
        if condition in computed:
            raise InputError(
                _(
                    "--met {condition}=…: this condition ({kind}) is computed from the entries "
                    "of role {account!r}; record or import them instead (`pointwatch status` "
                    "shows its progress)"
                ).format(
                    condition=condition,
                    kind=computed[condition].kind,
                    account=computed[condition].account,
                )
            )
        if on < joined:
            raise InputError(
                _("--met {condition}={on}: before the joined date {joined}").format(
                    condition=condition, on=on.isoformat(), joined=date_text(joined)
                )
            )


def _bind(
    session: Session, campaign: Campaign, role: str, kind: str, bindings: Mapping[str, str]
) -> AccountRow:
    """The account playing `role`: as given, else the only account of a fitting kind."""
    if role in bindings:
        row = account_by_name(session, bindings[role])
    else:
        wanted = kind or (role if role in ("card", "points", "bank", "wallet") else "")
        candidates = (
            session.exec(select(AccountRow).where(AccountRow.kind == wanted)).all()
            if wanted
            else []
        )
        if len(candidates) != 1:
            if candidates:
                remedy = f"{len(candidates)} {wanted} accounts exist: pass --account {role}=ACCOUNT"
            elif wanted == "card":
                remedy = "no card account yet: add one with `pointwatch account add NAME --profile "
                remedy += "rakuten-card` (see `pointwatch campaign catalog`), then --account"
                remedy += f" {role}=NAME"
            else:
                remedy = f"pass --account {role}=ACCOUNT (see `pointwatch account list`)"
            raise InputError(
                _("campaign {id!r} needs an account for role {role!r}: {remedy}").format(
                    id=campaign.id, role=role, remedy=remedy
                )
            )
        row = candidates[0]
    if kind == "card" and row.kind != "card":
        raise InputError(
            _(
                "--account {role}={name}: role {role!r} needs a card (it carries a fee "
                "waiver), but {name!r} is a {kind} account"
            ).format(role=role, name=row.name, kind=kind_word(row.kind))
        )
    return row


def _free_id(session: Session, campaign_id: str) -> str:
    candidate, number = campaign_id, 1
    while session.get(EnrollmentRow, candidate) is not None:
        number += 1
        candidate = f"{campaign_id}-{number}"
    return candidate
