"""One builder per alert kind: the facts that make an alert new or changed, and its wording
(late, fee charged, statement to check, upcoming check, conditions at risk, expiring points,
follow-ups)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from pointwatch.domain.alert_types import (
    CHECK_STATEMENT,
    CONDITION_AT_RISK,
    EXPIRING,
    FEE_CHARGED_KIND,
    FOLLOW_UP,
    LATE_KIND,
    UPCOMING_CHECK,
    CampaignInfo,
    Draft,
    alert_key,
)

# --- one builder per kind ----------------------------------------------------------------------
# Each returns a Draft: key, facts and since at once; the wording only when rendered.
from pointwatch.domain.alert_wording import (
    amount_of,
    contact_hint,
    fee_name,
    fingerprint,
    keywords_note,
    local_text,
    memo_of,
    owed_line,
    owed_waiver_line,
    record_line,
    where_line,
)
from pointwatch.domain.conditions import Progress
from pointwatch.domain.entries import RecordedEntry
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.statuses import (
    CHECK,
    DUE,
    UPCOMING,
    Evaluation,
)
from pointwatch.domain.support import Inquiry
from pointwatch.domain.wording import (
    amount_text,
    channel_word,
    condition_label,
    date_text,
    days_text,
    month_text,
    progress_text,
    reached_text,
    statement_name,
    status_word,
)
from pointwatch.i18n import _


def _late(evaluation: Evaluation, info: CampaignInfo) -> Draft:
    e = evaluation.expectation
    assert e.window is not None and e.late_after is not None  # a late grant has both
    late_since = e.late_after + timedelta(days=1)
    grace = (e.late_after - e.window.end).days

    def text() -> tuple[str, str]:
        assert e.window is not None
        body = [
            owed_line(e, info),
            where_line(e),
            _("Late since {since} (due {due}, then {grace} of grace).").format(
                since=date_text(late_since), due=date_text(e.window.end), grace=days_text(grace)
            ),
            _("Next:"),
            "  - "
            + _("it came after all (early or late payouts count): {command}").format(
                command=record_line(e)
            ),
            "  - " + _("it did not: {hint}").format(hint=contact_hint(e, info)),
        ]
        title = _("Late: {amount} from {issuer} ({id})").format(
            amount=amount_of(e), issuer=info.issuer, id=e.id
        )
        return title, "\n".join(body)

    facts = fingerprint(LATE_KIND, e.amount, e.unit, e.account, e.window.end, grace)
    return Draft(alert_key(LATE_KIND, e.id), LATE_KIND, e.id, facts, late_since, text)


def _fee_charged(evaluation: Evaluation, info: CampaignInfo, entry: RecordedEntry | None) -> Draft:
    e = evaluation.expectation
    assert e.payment_date is not None
    since = entry.date if entry is not None else e.payment_date

    def text() -> tuple[str, str]:
        fee = fee_name(e, info)
        if entry is not None:
            values = {
                "day": date_text(entry.date), "amount": amount_text(entry.amount, e.unit),
                "memo": entry.description, "account": e.account, "entry": entry.id,
                "statement": statement_name(entry.statement, e.account),
            }  # fmt: skip
            if entry.statement:
                found = _("Found: {day} {amount} {memo!r} on {statement} (entry {entry}).")
            else:
                found = _("Found: {day} {amount} {memo!r} on {account} (entry {entry}).")
            found = found.format(**values)
        else:
            found = _("Found: a matching charge on {statement}.").format(
                statement=statement_name(e.statement, e.account)
            )
        body = [
            owed_waiver_line(e, info, fee),
            found,
            where_line(e),
            _("Next:"),
            "  - " + _("ask for a refund: {hint}").format(hint=contact_hint(e, info)),
            "  - "
            + _("it was refunded: import the statement with the credit, or `{command}`").format(
                command=f"pointwatch settle {e.id} --refunded"
            ),
            "  - "
            + _("you give up on it: `{command}`").format(
                command=f"pointwatch settle {e.id} --write-off --reason TEXT"
            ),
        ]
        title = _("Fee charged: {fee} {amount} on {account} statement {month} ({id})").format(
            fee=fee, amount=amount_of(e), account=e.account, month=month_text(e.statement), id=e.id
        )
        return title, "\n".join(body)

    facts = fingerprint(
        FEE_CHARGED_KIND, e.amount, e.unit, e.account, e.statement, evaluation.entry
    )
    return Draft(alert_key(FEE_CHARGED_KIND, e.id), FEE_CHARGED_KIND, e.id, facts, since, text)


def _check_statement(evaluation: Evaluation, info: CampaignInfo) -> Draft:
    e = evaluation.expectation
    assert e.ready_date is not None and e.payment_date is not None

    def text() -> tuple[str, str]:
        fee = fee_name(e, info)
        next_statement = e.statement.plus(1) if e.statement else None
        body = [
            owed_waiver_line(e, info, fee),
            _(
                "Open the {month} statement of {account}, fixed on {ready} and debited "
                "{payment}, look for the {fee}{keywords}, then run `{command}`."
            ).format(
                month=month_text(e.statement),
                account=e.account,
                ready=date_text(e.ready_date),
                payment=date_text(e.payment_date),
                fee=fee,
                keywords=keywords_note(e),
                command=f"pointwatch checked {e.account} {e.statement}",
            ),  # fmt: skip
            _(
                "A charge can slip to the next statement ({statement}) — pointwatch watches "
                "that one too."
            ).format(statement=month_text(next_statement)),
            _("To check since {day}.").format(day=date_text(e.ready_date)),
            _("If the fee is there: `{record}`; or import the statement: `{import_}`.").format(
                record=f"pointwatch record {e.account} --date DATE --amount {e.amount} "
                f'--memo "{memo_of(e)}" --statement {e.statement}',
                import_=f"pointwatch import FILE --account {e.account}",
            ),
        ]
        title = _("Check {statement}: {fee} {amount} must not be charged ({id})").format(
            statement=statement_name(e.statement, e.account), fee=fee, amount=amount_of(e), id=e.id
        )
        return title, "\n".join(body)

    facts = fingerprint(CHECK_STATEMENT, e.amount, e.unit, e.account, e.statement, e.payment_date)
    return Draft(alert_key(CHECK_STATEMENT, e.id), CHECK_STATEMENT, e.id, facts, e.ready_date, text)


def _upcoming_check(
    evaluation: Evaluation, info: CampaignInfo, today: date, lead_days: int
) -> Draft | None:
    e = evaluation.expectation
    if e.kind == "grant":
        if evaluation.status not in (UPCOMING, DUE) or e.window is None or e.waiting_for:
            return None
        deadline = e.window.end
        if not deadline - timedelta(days=lead_days) <= today <= deadline:
            return None
        late_after = e.late_after

        def text() -> tuple[str, str]:
            body = [
                owed_line(e, info),
                where_line(e),
                _("Due {due}; pointwatch calls it late after {late_after}.").format(
                    due=date_text(deadline), late_after=date_text(late_after)
                ),
                _("When it arrives: {command}").format(command=record_line(e)),
            ]
            title = _("Due soon: {amount} from {issuer} by {due} ({id})").format(
                amount=amount_of(e), issuer=info.issuer, due=date_text(deadline), id=e.id
            )
            return title, "\n".join(body)

    else:
        if evaluation.status not in (UPCOMING, CHECK) or e.payment_date is None:
            return None
        deadline = e.payment_date
        if not deadline - timedelta(days=lead_days) <= today < deadline:
            return None

        def text() -> tuple[str, str]:
            fee = fee_name(e, info)
            body = [
                owed_waiver_line(e, info, fee),
                _(
                    "{statement} is debited on {payment} and nobody has checked it yet: open it "
                    "(fixed on {ready}), look for the {fee}{keywords}, then run `{command}`."
                ).format(
                    statement=statement_name(e.statement, e.account),
                    payment=date_text(deadline),
                    ready=date_text(e.ready_date),
                    fee=fee,
                    keywords=keywords_note(e),
                    command=f"pointwatch checked {e.account} {e.statement}",
                ),  # fmt: skip
            ]
            title = _(
                "Check before the debit: {account} statement {month} is debited on {payment} ({id})"
            ).format(
                account=e.account, month=month_text(e.statement), payment=date_text(deadline),
                id=e.id,
            )  # fmt: skip
            return title, "\n".join(body)

    facts = fingerprint(UPCOMING_CHECK, e.amount, e.unit, e.account, deadline)
    since = deadline - timedelta(days=lead_days)
    return Draft(alert_key(UPCOMING_CHECK, e.id), UPCOMING_CHECK, e.id, facts, since, text)


def _condition_drafts(
    evaluation: Evaluation, info: CampaignInfo, today: date, lead_days: int
) -> list[Draft]:
    """A grant waiting for conditions: the statements to check once a deadline passed, or
    the conditions whose deadline is near."""
    e = evaluation.expectation
    waiting = [p for p in e.conditions if p.id in e.waiting_for and p.deadline is not None]
    drafts = []
    unconfirmed = [p for p in waiting if p.unconfirmed and p.check_from and p.check_from <= today]
    if unconfirmed:
        drafts.append(_statements_for_condition(e, info, unconfirmed))
    at_risk = [
        p
        for p in waiting
        if not p.unconfirmed and not p.missed and p.deadline is not None
        if p.deadline - timedelta(days=lead_days) <= today <= p.deadline
    ]
    if at_risk:
        drafts.append(_condition_at_risk(e, info, at_risk, lead_days))
    return drafts


def _statements_for_condition(
    e: Expectation, info: CampaignInfo, conditions: list[Progress]
) -> Draft:
    first = conditions[0]
    assert first.check_from is not None

    def text() -> tuple[str, str]:
        body = [owed_line(e, info)]
        for p in conditions:
            statements = ", ".join(str(month) for month in p.unconfirmed)
            body.append(
                _(
                    "{condition} reached {reached} by its deadline {deadline}, but statements "
                    "{statements} of {account} are not covered yet, so pointwatch does not call "
                    "it missed. Open them and look for entries that count, then run `pointwatch "
                    "checked {account} MONTH` for each once it is fixed, or import them: "
                    "`pointwatch import FILE --account {account}`."
                ).format(
                    condition=condition_label(p),
                    reached=reached_text(p),
                    deadline=p.deadline,
                    statements=statements,
                    account=p.account,
                )
            )
        title = _(
            "Check statements of {account}: did {condition} reach its threshold? ({id})"
        ).format(account=first.account, condition=first.id, id=e.id)
        return title, "\n".join(body)

    facts = fingerprint(CHECK_STATEMENT, *((p.id, p.account, p.deadline) for p in conditions))
    key = alert_key(CHECK_STATEMENT, e.id)
    return Draft(key, CHECK_STATEMENT, e.id, facts, first.check_from, text)


def _condition_at_risk(
    e: Expectation, info: CampaignInfo, conditions: list[Progress], lead_days: int
) -> Draft:
    deadline = min(p.deadline for p in conditions if p.deadline is not None)

    def text() -> tuple[str, str]:
        body = [owed_line(e, info)]
        for p in conditions:
            if p.computed:
                how = _(
                    "entries on {account} dated by {deadline} count: record or import them "
                    "(`pointwatch import FILE --account {account}`)"
                ).format(account=p.account, deadline=p.deadline)
            else:
                how = _("once it is met: `pointwatch met {enrollment} {condition}=DATE`").format(
                    enrollment=e.enrollment, condition=p.id
                )
            body.append(
                _("{condition}: {progress}; {how}.").format(
                    condition=condition_label(p), progress=progress_text(p), how=how
                )
            )
        body.append(
            _("If it is not met by {deadline}, {amount} will be forfeited.").format(
                deadline=deadline, amount=amount_of(e)
            )
        )
        title = _("Condition at risk: {conditions} by {deadline} for {amount} ({id})").format(
            conditions=", ".join(p.id for p in conditions),
            deadline=deadline,
            amount=amount_of(e),
            id=e.id,
        )
        return title, "\n".join(body)

    facts = fingerprint(CONDITION_AT_RISK, *((p.id, p.at_least, p.deadline) for p in conditions))
    since = deadline - timedelta(days=lead_days)
    key = alert_key(CONDITION_AT_RISK, e.id)
    return Draft(key, CONDITION_AT_RISK, e.id, facts, since, text)


def _expiring(
    evaluation: Evaluation, info: CampaignInfo, today: date, lead_days: int
) -> list[Draft]:
    e = evaluation.expectation
    expires_on = evaluation.expires_on
    if expires_on is None or not expires_on - timedelta(days=lead_days) <= today <= expires_on:
        return []

    def text() -> tuple[str, str]:
        body = [
            _("Received: {amount} into {account} — {campaign} ({entitlement}).").format(
                amount=amount_of(e),
                account=e.account,
                campaign=info.name,
                entitlement=e.entitlement,
            ),
            _(
                "They can be used until {day} and expire after it; use them before then "
                "(pointwatch cannot see the balance)."
            ).format(day=expires_on),
        ]
        title = _("Expiring on {day}: {amount} in {account} ({id})").format(
            day=expires_on, amount=amount_of(e), account=e.account, id=e.id
        )
        return title, "\n".join(body)

    facts = fingerprint(EXPIRING, e.amount, e.unit, e.account, expires_on)
    since = expires_on - timedelta(days=lead_days)
    return [Draft(alert_key(EXPIRING, e.id), EXPIRING, e.id, facts, since, text)]


def _follow_ups(
    inquiries: list[Inquiry],
    open_by_id: Mapping[str, Evaluation],
    campaigns: Mapping[str, CampaignInfo],
    now: datetime,
) -> list[Draft]:
    by_expectation: dict[str, list[Inquiry]] = {}
    for inquiry in inquiries:
        by_expectation.setdefault(inquiry.expectation, []).append(inquiry)
    drafts = []
    for expectation_id, contacts in by_expectation.items():
        evaluation = open_by_id.get(expectation_id)
        if evaluation is None:  # received, confirmed or settled: the promise no longer matters
            continue
        for inquiry in contacts:
            if not inquiry.promise_broken(now):
                continue
            assert inquiry.promise_by is not None
            # A contact logged after the deadline is the follow-up already.
            if any(other.at >= inquiry.promise_by for other in contacts if other is not inquiry):
                continue
            e = evaluation.expectation
            info = campaigns.get(e.campaign) or CampaignInfo(e.campaign, e.campaign)
            drafts.append(_follow_up(inquiry, evaluation, info, now))
    return drafts


def _follow_up(inquiry: Inquiry, evaluation: Evaluation, info: CampaignInfo, now) -> Draft:
    e = evaluation.expectation
    assert inquiry.promise_by is not None
    promise_by = inquiry.promise_by

    def text() -> tuple[str, str]:
        deadline = local_text(promise_by, now)
        promise = inquiry.promise or _("to sort it out")
        channel = channel_word(inquiry.channel)
        if inquiry.agent:
            contact = _("{channel}, agent {agent}").format(channel=channel, agent=inquiry.agent)
        else:
            contact = channel
        substitute = f"pointwatch settle {e.id} --substituted-with coupon|gift-card|points|cash"
        body = [
            _(
                "On {at} ({contact}) support promised {promise!r} by {deadline}; nothing "
                "arrived: {id} is still {status}."
            ).format(
                at=local_text(inquiry.at, now), contact=contact, promise=promise, deadline=deadline,
                id=e.id, status=status_word(evaluation.status),
            ),
            owed_line(e, info) if e.kind == "grant"
            else owed_waiver_line(e, info, fee_name(e, info), False),
            where_line(e),
            _("Next:"),
            "  - " + _("it arrived: {command}").format(command=record_line(e))
            if e.kind == "grant"
            else "  - " + _("it was refunded: `{command}`").format(
                command=f"pointwatch settle {e.id} --refunded"
            ),
            "  - " + _("you got something else instead: `{command}`").format(
                command=f"{substitute} --amount N"
            ),
            "  - " + _("nothing: {hint}").format(hint=contact_hint(e, info, again=True)),
        ]  # fmt: skip
        title = _(
            "Follow up: support promised {promise!r} by {deadline} on {channel}; nothing "
            "arrived ({id})"
        ).format(promise=promise, deadline=deadline, channel=channel, id=e.id)
        return title, "\n".join(body)

    facts = fingerprint(FOLLOW_UP, inquiry.id, inquiry.promise, promise_by.isoformat())
    since = promise_by.astimezone(now.tzinfo).date()
    return Draft(alert_key(FOLLOW_UP, e.id, inquiry.id), FOLLOW_UP, e.id, facts, since, text)
