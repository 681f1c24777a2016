"""Alerts: what the daily run tells the user, and when it tells them again.

Pure: evaluations, inquiries and "now" come in; `Alert` values and delivery decisions go out.

An alert is identified by a stable key (``late:gift/recipient``), so the store can tell a new
alert from one already delivered. Its `facts` fingerprint holds only what should make the user
hear about it again (amount, status, due dates, which entry charged the fee, what support
promised) — never a day counter, or every alert would be "changed" every day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pointwatch.domain.conditions import Progress
from pointwatch.domain.entries import RecordedEntry
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.next_step import record_command
from pointwatch.domain.statuses import (
    AWAITING_CONDITION,
    CHECK,
    DUE,
    FEE_CHARGED,
    LATE,
    RECEIVED,
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
    list_words,
    moment_text,
    month_text,
    progress_text,
    reached_text,
    statement_name,
    status_word,
    where_to_look_sentence,
)
from pointwatch.i18n import _

LATE_KIND = "late"
FEE_CHARGED_KIND = "fee_charged"
CHECK_STATEMENT = "check_statement"
UPCOMING_CHECK = "upcoming_check"
FOLLOW_UP = "follow_up"
CONDITION_AT_RISK = "condition_at_risk"
EXPIRING = "expiring"
# Most urgent first: the order alerts are listed and delivered in.
ALERT_KINDS = (
    FEE_CHARGED_KIND, LATE_KIND, FOLLOW_UP, CHECK_STATEMENT, CONDITION_AT_RISK, EXPIRING,
    UPCOMING_CHECK,
)  # fmt: skip

# Why an alert is delivered now (see `delivery_reason`).
NEW = "new"
CHANGED = "changed"
RETRY = "retry"
SNOOZE_ENDED = "snooze ended"
RENOTIFY = "re-notify"


@dataclass(frozen=True)
class CampaignInfo:
    """What a message says about a campaign and whom to ask (from the issuer record)."""

    name: str
    issuer: str
    contact: str = ""
    account_channels: tuple[str, ...] = ()  # support channels that can see one's account
    fees: Mapping[str, str] = field(default_factory=dict)  # waiver id → its name, when worded


@dataclass(frozen=True)
class Alert:
    """One reminder: a stable key, what it is about, the message and its facts fingerprint."""

    key: str
    kind: str
    expectation: str
    title: str
    body: str
    facts: str
    since: date  # when the condition began (late since, statement fixed on, promise deadline)

    @property
    def message(self) -> str:
        return f"{self.title}\n{self.body}"


@dataclass(frozen=True)
class Draft:
    """An alert before its wording: everything the store compares, and how to word it."""

    key: str
    kind: str
    expectation: str
    facts: str
    since: date
    text: Callable[[], tuple[str, str]] = field(compare=False, repr=False)

    def render(self) -> Alert:
        title, body = self.text()
        return Alert(self.key, self.kind, self.expectation, title, body, self.facts, self.since)


@dataclass(frozen=True)
class DeliveryState:
    """What the store remembers about an alert's deliveries and the user's answer to it."""

    delivered_at: datetime | None = None  # the last time every channel took it
    delivered_facts: str | None = None  # the facts of that delivery
    pending_since: datetime | None = None  # a delivery round began and some channel failed
    acked_at: datetime | None = None
    snoozed_until: datetime | None = None
    ack_facts: str | None = None  # the facts the user acknowledged or snoozed


def alert_key(kind: str, expectation: str, inquiry: int | None = None) -> str:
    """The stable key: one alert per kind and expectation (and per inquiry for follow-ups)."""
    key = f"{kind}:{expectation}"
    return key if inquiry is None else f"{key}#{inquiry}"


def alert_drafts(
    evaluations: Iterable[Evaluation],
    inquiries: Iterable[Inquiry],
    now: datetime,
    *,
    upcoming_days: int,
    campaigns: Mapping[str, CampaignInfo] | None = None,
    entries: Mapping[int, RecordedEntry] | None = None,
    expiry_days: int = 14,
) -> list[Draft]:
    """Every alert whose condition holds at `now`, most urgent kind first, before its wording.

    - late: a grant past its due date plus grace with nothing received;
    - fee_charged: a waived fee found on the expected statement (or the next);
    - check_statement: a waiver's statement is fixed (ready) and nobody checked it yet;
    - upcoming_check: a grant window closes, or an unchecked waiver statement is debited,
      within `upcoming_days`;
    - follow_up: support promised something by a deadline that passed, the expectation is
      still open and no contact was logged since the deadline;
    - condition_at_risk: a grant's required condition is unmet and its deadline is within
      `upcoming_days`;
    - check_statement (for a grant): a required condition's deadline passed unmet while
      statements that could hold its entries are not covered yet (from the day the first of
      them is fixed) — the grant is not forfeited on missing data;
    - expiring: received points expire within `expiry_days`.

    The daily run renders (`Draft.render`) only the alerts it sends or stores anew: thousands
    of quiet alerts keep the text stored when they were raised.
    """
    campaigns = campaigns or {}
    entries = entries or {}
    today = now.date()
    drafts: list[Draft] = []
    open_by_id: dict[str, Evaluation] = {}
    for evaluation in evaluations:
        e = evaluation.expectation
        status = evaluation.status
        if evaluation.is_open:
            open_by_id[e.id] = evaluation
        if status not in _ALERTING:
            continue
        info = campaigns.get(e.campaign) or CampaignInfo(e.campaign, e.campaign)
        if status == LATE:
            drafts.append(_late(evaluation, info))
        elif status == FEE_CHARGED:
            drafts.append(_fee_charged(evaluation, info, entries.get(evaluation.entry or -1)))
        elif status == CHECK:
            drafts.append(_check_statement(evaluation, info))
        elif status == AWAITING_CONDITION:
            drafts.extend(_condition_drafts(evaluation, info, today, upcoming_days))
        elif status == RECEIVED:
            drafts.extend(_expiring(evaluation, info, today, expiry_days))
        upcoming = _upcoming_check(evaluation, info, today, upcoming_days)
        if upcoming is not None:
            drafts.append(upcoming)
    drafts.extend(_follow_ups(list(inquiries), open_by_id, campaigns, now))
    order = {kind: index for index, kind in enumerate(ALERT_KINDS)}
    return sorted(drafts, key=lambda a: (order[a.kind], a.expectation, a.key))


# Statuses that can raise an alert of their own (follow-ups look at every open expectation).
_ALERTING = frozenset({LATE, FEE_CHARGED, CHECK, UPCOMING, DUE, AWAITING_CONDITION, RECEIVED})


def delivery_reason(
    facts: str, state: DeliveryState | None, now: datetime, renotify_days: int
) -> str | None:
    """Why this alert must be delivered at `now`, or None to stay quiet.

    An acknowledgement or a snooze holds only for the facts the user saw: when the facts change,
    the alert is delivered again. Otherwise: new → deliver; an unfinished delivery round (a
    channel failed) → retry; a snooze that ended since the last delivery → deliver; and again
    every `renotify_days` until acknowledged or resolved.
    """
    state = state or DeliveryState()
    answered_these_facts = state.ack_facts == facts
    if state.acked_at is not None and answered_these_facts:
        return None
    snoozed = state.snoozed_until is not None and answered_these_facts
    if snoozed and now < state.snoozed_until:  # type: ignore[operator]
        return None
    if state.pending_since is not None:
        return RETRY
    if state.delivered_at is None:
        return NEW
    if state.delivered_facts != facts:
        return CHANGED
    if snoozed and state.delivered_at < state.snoozed_until:  # type: ignore[operator]
        return SNOOZE_ENDED
    if now >= state.delivered_at + timedelta(days=renotify_days):
        return RENOTIFY
    return None


def is_open(state: DeliveryState, facts: str, now: datetime) -> bool:
    """An unresolved alert the user has neither acknowledged nor snoozed (for `remind --check`)."""
    if state.ack_facts != facts:
        return True
    if state.acked_at is not None:
        return False
    return not (state.snoozed_until is not None and now < state.snoozed_until)


# --- one builder per kind ----------------------------------------------------------------------
# Each returns a Draft: key, facts and since at once; the wording only when rendered.


def _late(evaluation: Evaluation, info: CampaignInfo) -> Draft:
    e = evaluation.expectation
    assert e.window is not None and e.late_after is not None  # a late grant has both
    late_since = e.late_after + timedelta(days=1)
    grace = (e.late_after - e.window.end).days

    def text() -> tuple[str, str]:
        assert e.window is not None
        body = [
            _owed(e, info),
            _where(e),
            _("Late since {since} (due {due}, then {grace} of grace).").format(
                since=date_text(late_since), due=date_text(e.window.end), grace=days_text(grace)
            ),
            _("Next:"),
            "  - "
            + _("it came after all (early or late payouts count): {command}").format(
                command=_record_command(e)
            ),
            "  - " + _("it did not: {hint}").format(hint=_contact_hint(e, info)),
        ]
        title = _("Late: {amount} from {issuer} ({id})").format(
            amount=_amount(e), issuer=info.issuer, id=e.id
        )
        return title, "\n".join(body)

    facts = _facts(LATE_KIND, e.amount, e.unit, e.account, e.window.end, grace)
    return Draft(alert_key(LATE_KIND, e.id), LATE_KIND, e.id, facts, late_since, text)


def _fee_charged(evaluation: Evaluation, info: CampaignInfo, entry: RecordedEntry | None) -> Draft:
    e = evaluation.expectation
    assert e.payment_date is not None
    since = entry.date if entry is not None else e.payment_date

    def text() -> tuple[str, str]:
        fee = _fee_name(e, info)
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
            _owed_waiver(e, info, fee),
            found,
            _where(e),
            _("Next:"),
            "  - " + _("ask for a refund: {hint}").format(hint=_contact_hint(e, info)),
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
            fee=fee, amount=_amount(e), account=e.account, month=month_text(e.statement), id=e.id
        )
        return title, "\n".join(body)

    facts = _facts(FEE_CHARGED_KIND, e.amount, e.unit, e.account, e.statement, evaluation.entry)
    return Draft(alert_key(FEE_CHARGED_KIND, e.id), FEE_CHARGED_KIND, e.id, facts, since, text)


def _check_statement(evaluation: Evaluation, info: CampaignInfo) -> Draft:
    e = evaluation.expectation
    assert e.ready_date is not None and e.payment_date is not None

    def text() -> tuple[str, str]:
        fee = _fee_name(e, info)
        next_statement = e.statement.plus(1) if e.statement else None
        body = [
            _owed_waiver(e, info, fee),
            _(
                "Open the {month} statement of {account}, fixed on {ready} and debited "
                "{payment}, look for the {fee}{keywords}, then run `{command}`."
            ).format(
                month=month_text(e.statement),
                account=e.account,
                ready=date_text(e.ready_date),
                payment=date_text(e.payment_date),
                fee=fee,
                keywords=_keywords(e),
                command=f"pointwatch checked {e.account} {e.statement}",
            ),  # fmt: skip
            _(
                "A charge can slip to the next statement ({statement}) — pointwatch watches "
                "that one too."
            ).format(statement=month_text(next_statement)),
            _("To check since {day}.").format(day=date_text(e.ready_date)),
            _("If the fee is there: `{record}`; or import the statement: `{import_}`.").format(
                record=f"pointwatch record {e.account} --date DATE --amount {e.amount} "
                f'--memo "{_memo(e)}" --statement {e.statement}',
                import_=f"pointwatch import FILE --account {e.account}",
            ),
        ]
        title = _("Check {statement}: {fee} {amount} must not be charged ({id})").format(
            statement=statement_name(e.statement, e.account), fee=fee, amount=_amount(e), id=e.id
        )
        return title, "\n".join(body)

    facts = _facts(CHECK_STATEMENT, e.amount, e.unit, e.account, e.statement, e.payment_date)
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
                _owed(e, info),
                _where(e),
                _("Due {due}; pointwatch calls it late after {late_after}.").format(
                    due=date_text(deadline), late_after=date_text(late_after)
                ),
                _("When it arrives: {command}").format(command=_record_command(e)),
            ]
            title = _("Due soon: {amount} from {issuer} by {due} ({id})").format(
                amount=_amount(e), issuer=info.issuer, due=date_text(deadline), id=e.id
            )
            return title, "\n".join(body)

    else:
        if evaluation.status not in (UPCOMING, CHECK) or e.payment_date is None:
            return None
        deadline = e.payment_date
        if not deadline - timedelta(days=lead_days) <= today < deadline:
            return None

        def text() -> tuple[str, str]:
            fee = _fee_name(e, info)
            body = [
                _owed_waiver(e, info, fee),
                _(
                    "{statement} is debited on {payment} and nobody has checked it yet: open it "
                    "(fixed on {ready}), look for the {fee}{keywords}, then run `{command}`."
                ).format(
                    statement=statement_name(e.statement, e.account),
                    payment=date_text(deadline),
                    ready=date_text(e.ready_date),
                    fee=fee,
                    keywords=_keywords(e),
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

    facts = _facts(UPCOMING_CHECK, e.amount, e.unit, e.account, deadline)
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
        body = [_owed(e, info)]
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

    facts = _facts(CHECK_STATEMENT, *((p.id, p.account, p.deadline) for p in conditions))
    key = alert_key(CHECK_STATEMENT, e.id)
    return Draft(key, CHECK_STATEMENT, e.id, facts, first.check_from, text)


def _condition_at_risk(
    e: Expectation, info: CampaignInfo, conditions: list[Progress], lead_days: int
) -> Draft:
    deadline = min(p.deadline for p in conditions if p.deadline is not None)

    def text() -> tuple[str, str]:
        body = [_owed(e, info)]
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
                deadline=deadline, amount=_amount(e)
            )
        )
        title = _("Condition at risk: {conditions} by {deadline} for {amount} ({id})").format(
            conditions=", ".join(p.id for p in conditions),
            deadline=deadline,
            amount=_amount(e),
            id=e.id,
        )
        return title, "\n".join(body)

    facts = _facts(CONDITION_AT_RISK, *((p.id, p.at_least, p.deadline) for p in conditions))
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
                amount=_amount(e), account=e.account, campaign=info.name, entitlement=e.entitlement
            ),
            _(
                "They can be used until {day} and expire after it; use them before then "
                "(pointwatch cannot see the balance)."
            ).format(day=expires_on),
        ]
        title = _("Expiring on {day}: {amount} in {account} ({id})").format(
            day=expires_on, amount=_amount(e), account=e.account, id=e.id
        )
        return title, "\n".join(body)

    facts = _facts(EXPIRING, e.amount, e.unit, e.account, expires_on)
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
        deadline = _local(promise_by, now)
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
                at=_local(inquiry.at, now), contact=contact, promise=promise, deadline=deadline,
                id=e.id, status=status_word(evaluation.status),
            ),
            _owed(e, info) if e.kind == "grant"
            else _owed_waiver(e, info, _fee_name(e, info), False),
            _where(e),
            _("Next:"),
            "  - " + _("it arrived: {command}").format(command=_record_command(e))
            if e.kind == "grant"
            else "  - " + _("it was refunded: `{command}`").format(
                command=f"pointwatch settle {e.id} --refunded"
            ),
            "  - " + _("you got something else instead: `{command}`").format(
                command=f"{substitute} --amount N"
            ),
            "  - " + _("nothing: {hint}").format(hint=_contact_hint(e, info, again=True)),
        ]  # fmt: skip
        title = _(
            "Follow up: support promised {promise!r} by {deadline} on {channel}; nothing "
            "arrived ({id})"
        ).format(promise=promise, deadline=deadline, channel=channel, id=e.id)
        return title, "\n".join(body)

    facts = _facts(FOLLOW_UP, inquiry.id, inquiry.promise, promise_by.isoformat())
    since = promise_by.astimezone(now.tzinfo).date()
    return Draft(alert_key(FOLLOW_UP, e.id, inquiry.id), FOLLOW_UP, e.id, facts, since, text)


# --- wording helpers -----------------------------------------------------------------------------


def _facts(*parts: object) -> str:
    return "|".join("" if part is None else str(part) for part in parts)


def _amount(e: Expectation) -> str:
    return amount_text(e.amount, e.unit)


def _owed(e: Expectation, info: CampaignInfo) -> str:
    return _("Owed: {amount} into {account} — {campaign} ({entitlement}).").format(
        amount=_amount(e), account=e.account, campaign=info.name, entitlement=e.entitlement
    )


def _owed_waiver(e: Expectation, info: CampaignInfo, fee: str, occurrence: bool = True) -> str:
    values = {"fee": fee, "amount": _amount(e), "campaign": info.name, "year": e.occurrence}
    if occurrence and e.occurrence > 1:
        return _("Owed: the {fee} of {amount} must NOT be charged — {campaign} (year {year}).")\
            .format(**values)  # fmt: skip
    return _("Owed: the {fee} of {amount} must NOT be charged — {campaign}.").format(**values)


def _where(e: Expectation) -> str:
    return _("Where to look: {place}.").format(place=where_to_look_sentence(e))


def _fee_name(e: Expectation, info: CampaignInfo | None = None) -> str:
    """The waiver's own name where the campaign gives one in the language in use, else its
    id in words ("annual fee")."""
    named = info.fees.get(e.entitlement) if info is not None else None
    return named or e.entitlement.replace("-", " ").replace("_", " ")


def _keywords(e: Expectation) -> str:
    if not e.keywords:
        return ""
    return _(" ({keywords})").format(keywords=_(", ").join(e.keywords))


def _memo(e: Expectation) -> str:
    return e.keywords[0] if e.keywords else _fee_name(e)


def _record_command(e: Expectation) -> str:
    return f"`{record_command(e)}`"


def _contact_hint(e: Expectation, info: CampaignInfo, again: bool = False) -> str:
    channels = info.account_channels
    channel = channels[0] if channels else "chat|email|phone|form"
    values = {
        "issuer": info.issuer,
        "channels": list_words([channel_word(c) for c in channels]),
        "claim": f"pointwatch claim {e.id}",
        "inquiry": f'pointwatch inquiry add {e.id} --channel {channel} --at "YYYY-MM-DD HH:MM" '
        "--promise TEXT --promise-by 3d",
    }
    if again:
        contact = (
            _("contact {issuer} again by {channels}") if channels else _("contact {issuer} again")
        )
    else:
        contact = _("contact {issuer} by {channels}") if channels else _("contact {issuer}")
    contact = contact.format(**values)
    if info.contact:
        contact = _("{contact} ({where})").format(contact=contact, where=info.contact)
    return _("`{claim}` drafts the message; {contact} and log the answer: `{inquiry}`").format(
        contact=contact, **values
    )


def _local(moment: datetime, now: datetime) -> str:
    return moment_text(moment.astimezone(now.tzinfo))
