"""Correcting mistakes: deleting an entry, an enrollment, an account or an inquiry (editing an
entry lives with the entries, services/entries.py).

What is in use is refused with the reason and how to proceed: an account with entries or
enrollments, an enrollment with support history (inquiries, settlements, reopened
settlements) — that history is the evidence the user keeps until the matter is settled.
Every deletion is journaled like any change, so `pointwatch undo` brings it back.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from pointwatch.domain.support import Inquiry
from pointwatch.errors import Conflict, NotFound
from pointwatch.i18n import _
from pointwatch.services.accounts import account_view
from pointwatch.services.enrollments import get_enrollment_row
from pointwatch.services.entries import entry_view, get_entry_row
from pointwatch.services.views import AccountView, EntryView
from pointwatch.store.convert import inquiry_of
from pointwatch.store.queries import account_by_name
from pointwatch.store.settlement_log import ReopenedSettlementRow
from pointwatch.store.tables import (
    AccountRow,
    CoverageRow,
    EnrollmentRow,
    EntryRow,
    ExpectationRow,
    InquiryRow,
    SettlementRow,
)

SHOWN = 5  # ids listed in a refusal; the rest are counted


def delete_entry(session: Session, entry_id: int) -> EntryView:
    """Delete one entry (matching is recomputed, so what it settled is open again)."""
    row = get_entry_row(session, entry_id)
    account = session.get(AccountRow, row.account_id)
    assert account is not None
    view = entry_view(row, account.name)
    session.delete(row)
    session.flush()
    return view


def delete_enrollment(session: Session, enrollment_id: str) -> tuple[str, list[str]]:
    """Delete an enrollment and its expectations; returns (campaign id, expectation ids).

    Refused while any of its expectations has support history. Alerts about its expectations
    stay (their delivery log is history too); the next daily run resolves them.
    """
    row = get_enrollment_row(session, enrollment_id)
    expectations = list(
        session.exec(select(ExpectationRow).where(ExpectationRow.enrollment_id == row.id)).all()
    )
    ids = [expectation.id for expectation in expectations]
    history = _support_history(session, ids)
    if history:
        raise Conflict(
            _(
                "enrollment {id!r} has support history ({history}), kept as evidence: "
                "it cannot be deleted. If the campaign ended for you, close what is "
                "still open with `pointwatch settle EXPECTATION --write-off` (or "
                "--forfeit); a mistaken inquiry can be deleted first with `pointwatch "
                "delete inquiry ID`"
            ).format(id=row.id, history="; ".join(history))
        )
    for expectation in expectations:
        session.delete(expectation)
    session.flush()
    session.delete(row)
    session.flush()
    return row.campaign_id, ids


def _support_history(session: Session, expectation_ids: list[str]) -> list[str]:
    """What support history the expectations have, in words ("inquiries 3, 4 on gift/sender")."""
    if not expectation_ids:
        return []
    found = []
    inquiries = session.exec(
        select(InquiryRow.id, InquiryRow.expectation_id)
        .where(InquiryRow.expectation_id.in_(expectation_ids))
        .order_by(InquiryRow.id)
    ).all()
    if inquiries:
        found.append(_("inquiries {ids}").format(ids=_listed([f"{i} ({e})" for i, e in inquiries])))
    settled = session.exec(
        select(SettlementRow.expectation_id).where(
            SettlementRow.expectation_id.in_(expectation_ids)
        )
    ).all()
    if settled:
        found.append(_("settled {ids}").format(ids=_listed(sorted(settled))))
    reopened = session.exec(
        select(ReopenedSettlementRow.expectation_id)
        .where(ReopenedSettlementRow.expectation_id.in_(expectation_ids))
        .distinct()
    ).all()
    if reopened:
        found.append(_("reopened settlements of {ids}").format(ids=_listed(sorted(reopened))))
    return found


def delete_account(session: Session, name: str) -> AccountView:
    """Delete an account nothing uses; its coverage (statements checked or imported) goes
    with it. Refused while it has entries or an enrollment binds it."""
    account = account_by_name(session, name)
    reasons = []
    entries = session.exec(
        select(func.count()).select_from(EntryRow).where(EntryRow.account_id == account.id)
    ).one()
    if entries:
        first = session.exec(
            select(EntryRow.id).where(EntryRow.account_id == account.id).order_by(EntryRow.id)
        ).first()
        reasons.append(
            _(
                "{count} entries (remove them with `{command}` and so on, or `pointwatch undo` "
                "the import that added them)"
            ).format(count=entries, command=f"pointwatch delete entry {first}")
        )
    binding = [
        enrollment.id
        for enrollment in session.exec(select(EnrollmentRow).order_by(EnrollmentRow.id)).all()
        if account.name in enrollment.accounts.values()
    ]
    bound_by_expectation = session.exec(
        select(ExpectationRow.enrollment_id)
        .where(ExpectationRow.account_id == account.id)
        .distinct()
    ).all()
    binding = sorted(set(binding) | set(bound_by_expectation))
    if binding:
        commands = ", ".join(f"`pointwatch delete enrollment {e}`" for e in binding[:SHOWN])
        reasons.append(
            _("enrollment {ids} binds it ({commands})").format(
                ids=_listed(binding), commands=commands
            )
        )
    if reasons:
        raise Conflict(
            _("account {name!r} is in use: {reasons}").format(
                name=account.name, reasons="; ".join(reasons)
            )
        )
    view = account_view(account)
    for coverage in session.exec(
        select(CoverageRow).where(CoverageRow.account_id == account.id)
    ).all():
        session.delete(coverage)
    session.flush()
    session.delete(account)
    session.flush()
    return view


def delete_inquiry(session: Session, inquiry_id: int) -> Inquiry:
    """Delete a support contact logged by mistake."""
    row = session.get(InquiryRow, inquiry_id)
    if row is None:
        raise NotFound(
            _("inquiry {inquiry_id} not found (see `pointwatch inquiry list` for numbers)").format(
                inquiry_id=inquiry_id
            )
        )
    inquiry = inquiry_of(row)
    session.delete(row)
    session.flush()
    return inquiry


def _listed(items: list[str]) -> str:
    shown = ", ".join(str(item) for item in items[:SHOWN])
    more = len(items) - SHOWN
    return shown + (_(" and {count} more").format(count=more) if more > 0 else "")
