"""The evidence of one expectation, turned into a claim message, a channel advice and a timeline.

Pure: the service gathers an `Evidence` value (moments already in the user's time zone); these
functions only read it. A claim is written for a busy support agent: short numbered facts,
amounts with their units, dates in ISO form, one explicit request at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pointwatch.domain.dates import DateWindow
from pointwatch.domain.definitions import Issuer
from pointwatch.domain.entries import RecordedEntry
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.statuses import Settlement
from pointwatch.domain.support import (
    BROKEN,
    KEPT,
    PENDING,
    SETTLED,
    USABILITY_WHY,
    Inquiry,
    usability,
)
from pointwatch.errors import InvalidValue

LANGUAGES = ("ja", "en")


# --- the evidence ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MetCondition:
    id: str
    text: str
    on: date | None = None  # None: not met yet


@dataclass(frozen=True)
class InquiryFact:
    inquiry: Inquiry  # `at` and `promise_by` in the user's time zone
    promise_state: str = ""  # "" | pending | kept | broken


@dataclass(frozen=True)
class PastSettlement:
    """A settlement the user reopened (did not accept)."""

    settlement: Settlement
    reopened_on: date
    reason: str = ""


@dataclass(frozen=True)
class RelatedGrant:
    """Another expectation of the same enrollment that did arrive (makes a claim credible)."""

    entitlement: str
    amount: int
    unit: str
    received_on: date


@dataclass(frozen=True)
class AlertFact:
    """An alert the daily run raised about this expectation (read through an optional hook)."""

    day: date
    kind: str
    message: str
    at: datetime | None = None
    id: int | None = None
    resolved_at: datetime | None = None  # the condition cleared (received, settled, ...)


@dataclass(frozen=True)
class Evidence:
    """Everything known about one expectation, as of one day."""

    expectation: Expectation
    campaign_name: str
    issuer: str
    joined: date
    as_of: date
    status: str
    days_late: int = 0
    grace: int = 0  # effective grace days of a grant
    terms_url: str = ""
    entitlement_text: str = ""
    account_kind: str = ""
    period: DateWindow | None = None
    conditions: tuple[MetCondition, ...] = ()  # the conditions this expectation requires
    entry: RecordedEntry | None = None
    covered: bool = False
    covered_on: date | None = None  # when the whole statement was imported or checked
    settlement: Settlement | None = None
    reopened: tuple[PastSettlement, ...] = ()
    inquiries: tuple[InquiryFact, ...] = ()
    related: tuple[RelatedGrant, ...] = ()
    alerts: tuple[AlertFact, ...] = ()

    @property
    def late_since(self) -> date | None:
        """The first day a grant counted as late (due date + grace + 1 day), if it ever did:
        nothing received, the conditions met, and no settlement before that day."""
        e = self.expectation
        if e.kind != "grant" or e.due is None or e.waiting_for or self.entry is not None:
            return None
        since = e.due + timedelta(days=self.grace + 1)
        settled = [past.settlement.on for past in self.reopened]
        if self.settlement is not None:
            settled.append(self.settlement.on)
        if since > self.as_of or (settled and min(settled) < since):
            return None
        return since


# --- wording helpers ------------------------------------------------------------------------


def amount_words(amount: int, unit: str, lang: str) -> str:
    """500 points / 500ポイント, 11,000 yen / 11,000円."""
    lowered = unit.lower()
    if lowered.startswith("point"):
        return f"{amount:,}ポイント" if lang == "ja" else f"{amount:,} point{'s' * (amount != 1)}"
    if lowered in ("jpy", "yen", "円"):
        return f"{amount:,}円" if lang == "ja" else f"{amount:,} yen"
    return f"{amount:,} {unit}"


def substitute_phrase(substitute: str, amount: int, lang: str) -> str:
    """What was received instead: "a coupon worth 500 yen" / "500円分のクーポン"."""
    if lang == "ja":
        phrases = {
            "coupon": f"{amount:,}円分のクーポン",
            "gift-card": f"{amount:,}円分のギフトカード",
            "points": f"別のポイント{amount:,}ポイント",
            "cash": f"現金{amount:,}円",
        }
    else:
        phrases = {
            "coupon": f"a coupon worth {amount:,} yen",
            "gift-card": f"a gift card worth {amount:,} yen",
            "points": f"{amount:,} other points",
            "cash": f"{amount:,} yen in cash",
        }
    return phrases.get(substitute, f"{substitute} {amount:,}")


SUBSTITUTE_WORDS = {
    "en": {"coupon": "coupon", "gift-card": "gift card", "points": "points", "cash": "cash"},
    "ja": {"coupon": "クーポン", "gift-card": "ギフトカード", "points": "ポイント", "cash": "現金"},
}
CHANNEL_WORDS = {
    "en": {"chat": "chat", "email": "email", "phone": "phone", "form": "web form"},
    "ja": {"chat": "チャット", "email": "メール", "phone": "電話", "form": "問い合わせフォーム"},
}
PLACE_WORDS = {
    "en": {
        "points": "point history",
        "card": "card statement",
        "bank": "bank account history",
        "wallet": "balance history",
    },
    "ja": {
        "points": "ポイント履歴",
        "card": "カードのご利用明細",
        "bank": "口座の入出金明細",
        "wallet": "残高履歴",
    },
}
PROMISE_WORDS = {
    "en": {
        BROKEN: "not kept",
        KEPT: "kept",
        SETTLED: "settled by then",
        PENDING: "deadline not reached yet",
    },
    "ja": {
        BROKEN: "守られていません",
        KEPT: "守られました",
        SETTLED: "期限内に精算",
        PENDING: "期限前です",
    },
}


def _moment_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _window_text(window: DateWindow, lang: str) -> str:
    if window.start == window.end:
        return window.start.isoformat()
    separator = "〜" if lang == "ja" else " to "
    return f"{window.start.isoformat()}{separator}{window.end.isoformat()}"


def _join_words(words: Sequence[str], lang: str) -> str:
    if lang == "ja":
        return "・".join(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


# --- channel advice -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelAdvice:
    issuer: str
    use: tuple[str, ...]  # channels that can see individual accounts
    avoid: tuple[str, ...]  # channels that answer general rules only
    contact: str
    text: str  # one sentence for the user (English, like the rest of the CLI)
    known: bool  # whether an issuer record exists


def recommend_channel(
    issuer: Issuer | None, issuer_name: str, earlier: Iterable[Inquiry] = ()
) -> ChannelAdvice:
    """Which channel to use for a question about one account, from the issuer record."""
    if issuer is None:
        text = (
            f"no issuer record for {issuer_name!r}: ask for an answer about your own account and "
            "prefer a channel that leaves a written record (email or web form)"
        )
        return ChannelAdvice(issuer_name, (), (), "", text, known=False)
    use = issuer.account_channels
    avoid = tuple(c for c in issuer.general_channels if c not in use)
    words = CHANNEL_WORDS["en"]
    if use:
        text = f"contact {issuer.name} by {_join_words([words[c] for c in use], 'en')}"
        if avoid:
            only = _join_words([words[c] for c in avoid], "en")
            verb = "answers" if len(avoid) == 1 else "answer"
            text += f": {only} {verb} general rules only and cannot see individual accounts"
        else:
            text += ": each can see your account"
    else:
        text = (
            f"none of {issuer.name}'s recorded channels can see individual accounts; ask how to "
            "reach account support"
        )
    missed = [i for i in earlier if i.channel in avoid]
    if missed:
        days = ", ".join(sorted({i.at.date().isoformat() for i in missed}))
        text += f" (your {words[missed[0].channel]} contact on {days} could not see the account)"
    if issuer.contact:
        text += f". Where: {issuer.contact}"
    return ChannelAdvice(issuer.name, use, avoid, issuer.contact, text, known=True)


# --- the claim ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    language: str
    subject: str
    body: str

    @property
    def text(self) -> str:
        label = "件名" if self.language == "ja" else "Subject"
        return f"{label}: {self.subject}\n\n{self.body}"


def claim_language(requested: str | None, issuer: Issuer | None) -> str:
    """--lang, else the issuer's language, else Japanese (the issuers tracked are in Japan)."""
    language = requested or (issuer.language if issuer else "") or "ja"
    if language not in LANGUAGES:
        raise InvalidValue(f"--lang {language}: expected one of {', '.join(LANGUAGES)}")
    return language


def build_claim(evidence: Evidence, lang: str) -> Claim:
    """The message to send to support, in `lang` ("ja" or "en")."""
    if lang not in LANGUAGES:
        raise InvalidValue(f"--lang {lang}: expected one of {', '.join(LANGUAGES)}")
    words = _JA if lang == "ja" else _EN
    facts = [line for build in _FACT_BUILDERS if (line := build(evidence, words, lang))]
    numbered = "\n".join(f"{n}. {fact}" for n, fact in enumerate(facts, start=1))
    body = "\n\n".join(
        [words["greeting"], words["intro"], numbered, _request(evidence, words, lang), words["end"]]
    )
    return Claim(lang, _subject(evidence, words, lang), body)


_EN: dict[str, str] = {
    "greeting": "Hello,",
    "intro": "I am writing about a campaign benefit on my account. The facts:",
    "end": "Thank you.",
    "campaign": "Campaign: {name}",
    "terms": "\n   Terms: {url}",
    "issuer": " (by {issuer})",
    "joined": "I joined on {joined}",
    "period": " (campaign period {period})",
    "met": "Condition met: {text} on {on}",
    "not_met": "Condition not met yet: {text}",
    "grant": "Expected: {amount} ({what}) in my {place}, to be granted {window}",
    "grant_when_met": "Expected: {amount} ({what}) in my {place}, once the condition above is met",
    "waiver": (
        "Expected: {what} of {amount} must NOT be charged on statement {statement} "
        "(closing date {closing}, debit date {payment})"
    ),
    "nothing": "As of {as_of}, no entry of {amount} appears in my {place}",
    "late": " ({days} days after the window ended on {end})",
    "waiting": " (the window ended on {end})",
    "received": "Recorded: {amount} on {date} (“{description}”)",
    "fee": "Statement {statement} shows a charge of {amount} on {date} (“{description}”)",
    "covered": "I checked statement {statement} in full: no such charge",
    "unchecked": "As of {as_of}, statement {statement} is not final or not checked yet",
    "related": "The other benefit of this campaign ({what}: {amount}) was granted on {on}",
    "contacts": "Earlier contacts:",
    "contact": "{at} by {channel}{agent}: {summary}",
    "agent": " (agent: {agent})",
    "promise": "Promised: “{promise}” by {by} — {state}",
    "substituted": "{on}: I received {received} instead ({usability})",
    "not_accepted": "; I did not accept it as settlement",
    "forfeited": "{on}: I was told the benefit is forfeited ({note})",
    "written-off": "{on}: I wrote the benefit off ({note})",
    "request_grant": (
        "Request: please grant the {amount} ({what}) to my account. If it cannot be granted, "
        "please tell me why, and by which date it will be."
    ),
    "request_substitute": (
        " The {substitute} I received does not replace the {amount}: it is {why}."
    ),
    "request_promise": " An earlier promise was not kept: please reply with a firm date.",
    "request_fee": (
        "Request: please cancel (refund) the charge of {amount} on statement {statement}; "
        "this fee is waived under the campaign."
    ),
    "request_confirm": (
        "Request: please confirm that the {what} of {amount} will not be charged on statement "
        "{statement} (debit date {payment})."
    ),
    "subject_grant": "Not granted: {amount} from the campaign “{name}”",
    "subject_fee": "Waived fee charged: {amount} on statement {statement}",
    "subject_confirm": "Please confirm the fee waiver: {amount}, statement {statement}",
}

_JA: dict[str, str] = {
    "greeting": "お世話になっております。",
    "intro": "キャンペーン特典について、確認をお願いします。事実は以下のとおりです。",
    "end": "お手数ですが、よろしくお願いいたします。",
    "campaign": "キャンペーン: {name}",
    "terms": "\n   規約: {url}",
    "issuer": "（{issuer}）",
    "joined": "参加（申込）日: {joined}",
    "period": "（キャンペーン期間: {period}）",
    "met": "達成した条件: {text}（{on}）",
    "not_met": "未達成の条件: {text}",
    "grant": "受け取るはずの特典: {amount}（{what}）、{place}へ、付与予定 {window}",
    "grant_when_met": "受け取るはずの特典: {amount}（{what}）、{place}へ、上記の条件達成後に付与",
    "waiver": (
        "{statement}請求分（締め日 {closing}、引き落とし日 {payment}）で、{what} {amount}は"
        "請求されないはずです"
    ),
    "nothing": "{as_of}時点で、{place}に{amount}の付与はありません",
    "late": "（付与予定期間の終了 {end} から{days}日経過）",
    "waiting": "（付与予定期間の終了: {end}）",
    "received": "記録: {date} に {amount}（「{description}」）",
    "fee": "{statement}請求分に {date} 付で {amount}（「{description}」）が請求されています",
    "covered": "{statement}請求分を全て確認しましたが、該当する請求はありません",
    "unchecked": "{as_of}時点で、{statement}請求分は未確定または未確認です",
    "related": "同じキャンペーンの別の特典（{what}: {amount}）は {on} に付与済みです",
    "contacts": "これまでの問い合わせ:",
    "contact": "{at} {channel}{agent}: {summary}",
    "agent": "（担当: {agent}）",
    "promise": "回答: 「{promise}」（期限 {by}）→ {state}",
    "substituted": "{on}: 代わりに{received}を受け取りました（{usability}）",
    "not_accepted": "。精算としては受け入れていません",
    "forfeited": "{on}: 特典は対象外と案内されました（{note}）",
    "written-off": "{on}: 請求を断念しました（{note}）",
    "request_grant": (
        "ご依頼: 未付与の{amount}（{what}）を付与してください。"
        "付与できない場合は、その理由と付与予定日をお知らせください。"
    ),
    "request_substitute": "受け取った{substitute}は{why}、{amount}の代わりにはなりません。",
    "request_promise": "以前のご回答の期限が守られていないため、確実な日付をお知らせください。",
    "request_fee": (
        "ご依頼: {statement}請求分の{amount}の請求を取り消し（返金）してください。"
        "キャンペーンにより免除される料金です。"
    ),
    "request_confirm": (
        "ご依頼: {statement}請求分（引き落とし日 {payment}）で{what} {amount}が"
        "請求されないことをご確認ください。"
    ),
    "subject_grant": "キャンペーン特典（{amount}）が付与されていません: {name}",
    "subject_fee": "免除のはずの料金が請求されています（{amount}、{statement}請求分）",
    "subject_confirm": "料金免除の確認のお願い（{amount}、{statement}請求分）",
}

_USABILITY_JA = {
    "coupon": "対象商品が限られ、1注文1枚まで、有効期限もあります",
    "gift-card": "使える場所が限られます",
}
_USABILITY_WHY_JA = {
    "coupon": "対象商品が限られ、1注文1枚まで、有効期限もあるため",
    "gift-card": "使える場所が限られるため",
}


def _usability_text(substitute: str, unit: str, lang: str) -> str:
    verdict = usability(substitute, unit)
    if lang != "ja":
        return verdict.note
    if verdict.relative != "lower":
        return "同等"
    promised = "ポイント" if unit.lower().startswith("point") else "現金"
    return f"{promised}より使いにくい: {_USABILITY_JA.get(substitute, '')}"


def _usability_why(substitute: str, lang: str) -> str:
    if lang == "ja":
        return _USABILITY_WHY_JA.get(substitute, "")
    return USABILITY_WHY.get(substitute, "")


def _what(evidence: Evidence) -> str:
    e = evidence.expectation
    return evidence.entitlement_text or e.entitlement


def _amount(evidence: Evidence, lang: str) -> str:
    return amount_words(evidence.expectation.amount, evidence.expectation.unit, lang)


def _place(evidence: Evidence, lang: str) -> str:
    return PLACE_WORDS[lang].get(evidence.account_kind, evidence.expectation.account)


def _subject(evidence: Evidence, words: Mapping[str, str], lang: str) -> str:
    e = evidence.expectation
    values = {
        "amount": _amount(evidence, lang),
        "name": evidence.campaign_name,
        "statement": str(e.statement),
    }
    if e.kind == "waiver":
        key = "subject_fee" if evidence.entry is not None else "subject_confirm"
        return words[key].format(**values)
    return words["subject_grant"].format(**values)


def _fact_campaign(evidence: Evidence, words: Mapping[str, str], lang: str) -> str:
    text = words["campaign"].format(name=evidence.campaign_name)
    if evidence.issuer:
        text += words["issuer"].format(issuer=evidence.issuer)
    if evidence.terms_url.strip():
        text += words["terms"].format(url=evidence.terms_url.strip())
    return text


def _fact_joined(evidence: Evidence, words: Mapping[str, str], lang: str) -> str:
    text = words["joined"].format(joined=evidence.joined.isoformat())
    if evidence.period is not None:
        text += words["period"].format(period=_window_text(evidence.period, lang))
    return text


def _fact_conditions(evidence: Evidence, words: Mapping[str, str], lang: str) -> str:
    lines = []
    for condition in evidence.conditions:
        text = f"{condition.text} ({condition.id})" if lang == "en" else condition.text
        if condition.on is not None:
            lines.append(words["met"].format(text=text, on=condition.on.isoformat()))
        else:
            lines.append(words["not_met"].format(text=text))
    return "\n   ".join(lines)


def _fact_expected(evidence: Evidence, words: Mapping[str, str], lang: str) -> str:
    e = evidence.expectation
    values = {"amount": _amount(evidence, lang), "what": _what(evidence)}
    if e.kind == "waiver":
        return words["waiver"].format(
            **values,
            statement=str(e.statement),
            closing=e.closing_date.isoformat() if e.closing_date else "?",
            payment=e.payment_date.isoformat() if e.payment_date else "?",
        )
    if e.window is None:
        return words["grant_when_met"].format(**values, place=_place(evidence, lang))
    return words["grant"].format(
        **values, place=_place(evidence, lang), window=_window_text(e.window, lang)
    )


def _fact_recorded(evidence: Evidence, words: Mapping[str, str], lang: str) -> str:
    e = evidence.expectation
    entry = evidence.entry
    if e.kind == "waiver":
        if entry is not None:
            return words["fee"].format(
                statement=entry.statement or str(e.statement),
                amount=amount_words(abs(entry.amount), e.unit, lang),
                date=entry.date.isoformat(),
                description=entry.description,
            )
        key = "covered" if evidence.covered else "unchecked"
        return words[key].format(statement=str(e.statement), as_of=evidence.as_of.isoformat())
    if entry is not None:
        return words["received"].format(
            amount=amount_words(abs(entry.amount), e.unit, lang),
            date=entry.date.isoformat(),
            description=entry.description,
        )
    text = words["nothing"].format(
        as_of=evidence.as_of.isoformat(),
        amount=_amount(evidence, lang),
        place=_place(evidence, lang),
    )
    if e.window is not None and evidence.as_of > e.window.end:
        days = (evidence.as_of - e.window.end).days
        key = "late" if evidence.late_since is not None else "waiting"
        text += words[key].format(days=days, end=e.window.end.isoformat())
    return text


def _fact_related(evidence: Evidence, words: Mapping[str, str], lang: str) -> str:
    return "\n   ".join(
        words["related"].format(
            what=related.entitlement,
            amount=amount_words(related.amount, related.unit, lang),
            on=related.received_on.isoformat(),
        )
        for related in evidence.related
    )


def _settlement_text(
    settlement: Settlement, unit: str, words: Mapping[str, str], lang: str, reopened: bool
) -> str:
    if settlement.kind == "substituted":
        text = words["substituted"].format(
            on=settlement.on.isoformat(),
            received=substitute_phrase(settlement.substitute, settlement.amount, lang),
            usability=_usability_text(settlement.substitute, unit, lang),
        )
    else:
        text = words[settlement.kind].format(on=settlement.on.isoformat(), note=settlement.note)
    return text + (words["not_accepted"] if reopened else "")


def _fact_contacts(evidence: Evidence, words: Mapping[str, str], lang: str) -> str:
    items: list[tuple[date, int, str]] = []
    unit = evidence.expectation.unit
    for fact in evidence.inquiries:
        inquiry = fact.inquiry
        agent = words["agent"].format(agent=inquiry.agent) if inquiry.agent else ""
        text = words["contact"].format(
            at=_moment_text(inquiry.at),
            channel=CHANNEL_WORDS[lang].get(inquiry.channel, inquiry.channel),
            agent=agent,
            summary=inquiry.summary or "-",
        )
        if inquiry.promise:
            by = _moment_text(inquiry.promise_by) if inquiry.promise_by else "-"
            state = PROMISE_WORDS[lang].get(fact.promise_state, fact.promise_state or "-")
            text += "\n     " + words["promise"].format(promise=inquiry.promise, by=by, state=state)
        items.append((inquiry.at.date(), 0, text))
    for past in evidence.reopened:
        items.append(
            (past.settlement.on, 1, _settlement_text(past.settlement, unit, words, lang, True))
        )
    if evidence.settlement is not None:
        current = _settlement_text(evidence.settlement, unit, words, lang, False)
        items.append((evidence.settlement.on, 1, current))
    # A claim "as of" a day cites only what had happened by then.
    items = [item for item in items if item[0] <= evidence.as_of]
    if not items:
        return ""
    items.sort(key=lambda item: (item[0], item[1]))
    return words["contacts"] + "".join(f"\n   - {text}" for _, _, text in items)


_FACT_BUILDERS: tuple[Callable[[Evidence, Mapping[str, str], str], str], ...] = (
    _fact_campaign,
    _fact_joined,
    _fact_conditions,
    _fact_expected,
    _fact_recorded,
    _fact_related,
    _fact_contacts,
)


def _request(evidence: Evidence, words: Mapping[str, str], lang: str) -> str:
    e = evidence.expectation
    amount = _amount(evidence, lang)
    if e.kind == "waiver":
        key = "request_fee" if evidence.entry is not None else "request_confirm"
        return words[key].format(
            amount=amount,
            statement=str(e.statement),
            what=_what(evidence),
            payment=e.payment_date.isoformat() if e.payment_date else "?",
        )
    text = words["request_grant"].format(amount=amount, what=_what(evidence))
    received = [p.settlement for p in evidence.reopened]
    if evidence.settlement is not None:
        received.append(evidence.settlement)
    lower = [
        s
        for s in received
        if s.kind == "substituted" and usability(s.substitute, e.unit).relative == "lower"
    ]
    if lower:
        substitute = lower[-1].substitute
        text += words["request_substitute"].format(
            substitute=SUBSTITUTE_WORDS[lang].get(substitute, substitute),
            why=_usability_why(substitute, lang),
            amount=amount,
        )
    if any(fact.promise_state == BROKEN for fact in evidence.inquiries):
        text += words["request_promise"]
    return text


# --- the timeline ---------------------------------------------------------------------------

# Within one day: events known only by their day come first ("start") or last ("end"); events
# with a time of day sit between, in time order; then by rank, then in the order built.
EVENT_PLACE: dict[str, tuple[int, int]] = {
    "joined": (0, 0),
    "condition_met": (0, 1),
    "window_start": (0, 2),
    "statement_period": (0, 2),
    "entry": (0, 3),
    "statement_checked": (0, 3),
    "late": (0, 4),
    "inquiry": (1, 0),
    "promise": (1, 1),
    "alert": (2, 5),
    "alert_resolved": (2, 7),
    "settled": (2, 6),
    "reopened": (2, 6),
    "statement_closing": (2, 8),
    "window_end": (2, 9),
    "statement_ready": (2, 9),
    "payment": (2, 10),
}
# An alert is resolved by the first run after what resolved it (an entry, a settlement), so it
# sorts after that day's settlements even when the run's time of day is known.
ORDER_BY_DAY_ONLY = frozenset({"alert_resolved"})


@dataclass(frozen=True)
class TimelineEvent:
    day: date
    kind: str
    text: str
    at: datetime | None = None  # a moment in the user's time zone, when the time is known
    data: Mapping[str, Any] = field(default_factory=dict)


def order_timeline(events: Iterable[TimelineEvent]) -> list[TimelineEvent]:
    """Oldest first; ties on one day are broken as EVENT_PLACE says, then by input order."""

    def key(item: tuple[int, TimelineEvent]) -> tuple:
        index, event = item
        phase, rank = EVENT_PLACE.get(event.kind, (2, 5))
        timed = event.at is not None and event.kind not in ORDER_BY_DAY_ONLY
        if timed:
            phase = 1
        moment = event.at.time() if timed and event.at is not None else datetime.min.time()
        return (event.day, phase, moment, rank, index)

    return [event for _, event in sorted(enumerate(events), key=key)]


def timeline(evidence: Evidence) -> list[TimelineEvent]:
    """The whole story of one expectation, oldest first."""
    e = evidence.expectation
    events = [
        TimelineEvent(
            evidence.joined,
            "joined",
            f"joined {e.campaign} (enrollment {e.enrollment})",
            data={"enrollment": e.enrollment, "campaign": e.campaign},
        )
    ]
    for condition in evidence.conditions:
        if condition.on is not None:
            events.append(
                TimelineEvent(
                    condition.on,
                    "condition_met",
                    f"condition met: {condition.text} ({condition.id})",
                    data={"condition": condition.id},
                )
            )
    events.extend(_schedule_events(evidence))
    if evidence.entry is not None:
        entry = evidence.entry
        what = "fee charged" if e.kind == "waiver" else "received"
        where = f", statement {entry.statement}" if entry.statement else ""
        events.append(
            TimelineEvent(
                entry.date,
                "entry",
                f"{what}: entry {entry.id} on {e.account}, "
                f"{amount_words(abs(entry.amount), e.unit, 'en')} “{entry.description}”{where}",
                data={"entry": entry.id, "amount": entry.amount, "description": entry.description},
            )
        )
    if evidence.covered_on is not None and e.kind == "waiver":
        verdict = "the fee was charged" if evidence.entry is not None else "no such fee"
        events.append(
            TimelineEvent(
                evidence.covered_on,
                "statement_checked",
                f"statement {e.statement} of {e.account} checked in full: {verdict}",
            )
        )
    if (late_since := evidence.late_since) is not None:
        events.append(
            TimelineEvent(
                late_since,
                "late",
                f"late: nothing received by {e.due} + {evidence.grace} days of grace",
                data={"due": e.due.isoformat() if e.due else None, "grace": evidence.grace},
            )
        )
    for alert in evidence.alerts:
        data = {"alert": alert.id, "alert_kind": alert.kind}
        events.append(
            TimelineEvent(
                alert.day, "alert", f"alert raised: {alert.message}", at=alert.at, data=data
            )
        )
        if alert.resolved_at is not None:
            events.append(
                TimelineEvent(
                    alert.resolved_at.date(),
                    "alert_resolved",
                    f"alert {alert.kind} resolved (no longer raised by the daily run)",
                    at=alert.resolved_at,
                    data=data,
                )
            )
    for fact in evidence.inquiries:
        events.extend(_inquiry_events(fact))
    for past in evidence.reopened:
        events.append(_settled_event(past.settlement, e.unit, e.amount))
        reason = f": {past.reason}" if past.reason else ""
        events.append(
            TimelineEvent(
                past.reopened_on,
                "reopened",
                f"reopened: the {past.settlement.kind} settlement was not accepted{reason}",
                data={"reason": past.reason},
            )
        )
    if evidence.settlement is not None:
        events.append(_settled_event(evidence.settlement, e.unit, e.amount))
    return order_timeline(events)


def _schedule_events(evidence: Evidence) -> list[TimelineEvent]:
    e = evidence.expectation
    owed = amount_words(e.amount, e.unit, "en")
    if e.kind == "waiver":
        statement = str(e.statement)
        events = []
        if e.closing_date is not None:
            events.append(
                TimelineEvent(
                    e.closing_date,
                    "statement_closing",
                    f"statement {statement} of {e.account} closes ({owed} must not be on it)",
                )
            )
        if e.ready_date is not None:
            events.append(
                TimelineEvent(
                    e.ready_date, "statement_ready", f"statement {statement} amount is fixed"
                )
            )
        if e.payment_date is not None:
            events.append(
                TimelineEvent(e.payment_date, "payment", f"statement {statement} is debited")
            )
        return events
    if e.window is None:
        return []
    return [
        TimelineEvent(
            e.window.start, "window_start", f"window opens: {owed} expected into {e.account}"
        ),
        TimelineEvent(e.window.end, "window_end", f"window closes (due date): {owed}"),
    ]


def _inquiry_events(fact: InquiryFact) -> list[TimelineEvent]:
    inquiry = fact.inquiry
    agent = f" (agent {inquiry.agent})" if inquiry.agent else ""
    summary = f": {inquiry.summary}" if inquiry.summary else ""
    promise = f"; promised “{inquiry.promise}”" if inquiry.promise else ""
    by = f" by {_moment_text(inquiry.promise_by)}" if inquiry.promise_by else ""
    events = [
        TimelineEvent(
            inquiry.at.date(),
            "inquiry",
            f"inquiry by {inquiry.channel}{agent}{summary}{promise}{by}",
            at=inquiry.at,
            data={"inquiry": inquiry.id, "channel": inquiry.channel},
        )
    ]
    if inquiry.promise_by is not None:
        state = fact.promise_state or PENDING
        events.append(
            TimelineEvent(
                inquiry.promise_by.date(),
                "promise",
                f"promise deadline: “{inquiry.promise}” — {PROMISE_WORDS['en'][state]}",
                at=inquiry.promise_by,
                data={"inquiry": inquiry.id, "promise_state": state},
            )
        )
    return events


def _settled_event(settlement: Settlement, unit: str, promised: int) -> TimelineEvent:
    note = f" — {settlement.note}" if settlement.note else ""
    data: dict[str, Any] = {"settlement_kind": settlement.kind}
    if settlement.kind == "substituted":
        verdict = usability(settlement.substitute, unit)
        received = substitute_phrase(settlement.substitute, settlement.amount, "en")
        text = (
            f"settled: substituted — received {received} for "
            f"{amount_words(promised, unit, 'en')} promised ({verdict.note}){note}"
        )
        data.update(
            substitute=settlement.substitute,
            amount=settlement.amount,
            usability=verdict.relative,
        )
    else:
        text = f"settled: {settlement.kind}{note}"
    return TimelineEvent(settlement.on, "settled", text, data=data)
