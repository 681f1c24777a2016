"""The claim to send to support about one expectation, and which channel to send it by.

A claim is written for a busy support agent: short numbered facts, amounts with their units,
dates in ISO form, one explicit request at the end. Its words come from the catalog (see
`pointwatch.domain.phrases`); this module chooses and fills them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from pointwatch.domain.definitions import Issuer
from pointwatch.domain.evidence import Evidence, RelatedGrant
from pointwatch.domain.phrases import (
    LANGUAGES,
    Phrases,
    amount_words,
    join_words,
    phrases,
    substitute_phrase,
    window_text,
)
from pointwatch.domain.statuses import Settlement
from pointwatch.domain.support import BROKEN, Inquiry, usability
from pointwatch.domain.texts import japanese, localized
from pointwatch.domain.wording import date_text, moment_text, month_name
from pointwatch.errors import InvalidValue
from pointwatch.i18n import _, language, ngettext

# --- channel advice -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelAdvice:
    issuer: str
    use: tuple[str, ...]  # channels that can see individual accounts
    avoid: tuple[str, ...]  # channels that answer general rules only
    contact: str
    known: bool  # whether an issuer record exists
    missed_channel: str = ""  # an earlier contact by a channel that could not see the account
    missed_days: tuple[date, ...] = ()

    @property
    def text(self) -> str:
        """One sentence for the user, in the language in use."""
        lang = language()
        words = phrases(lang)

        def listed(channels: Iterable[str]) -> str:
            return join_words([words.word("channel", c) for c in channels], lang)

        if not self.known:
            return _(
                "no issuer record for {issuer!r}: ask for an answer about your own account and "
                "prefer a channel that leaves a written record (email or web form)"
            ).format(issuer=localized(self.issuer))
        if self.use:
            text = _("contact {issuer} by {channels}").format(
                issuer=localized(self.issuer), channels=listed(self.use)
            )
            if self.avoid:
                text += ngettext(
                    ": {channels} answers general rules only and cannot see individual accounts",
                    ": {channels} answer general rules only and cannot see individual accounts",
                    len(self.avoid),
                ).format(channels=listed(self.avoid))
            else:
                text += _(": each can see your account")
        else:
            text = _(
                "none of {issuer}'s recorded channels can see individual accounts; ask how to "
                "reach account support"
            ).format(issuer=localized(self.issuer))
        if self.missed_days:
            text += _(" (your {channel} contact on {days} could not see the account)").format(
                channel=words.word("channel", self.missed_channel),
                days=_(", ").join(date_text(day) for day in self.missed_days),
            )
        if self.contact:
            text += _(". Where: {contact}").format(contact=localized(self.contact))
        return text


def recommend_channel(
    issuer: Issuer | None, issuer_name: str, earlier: Iterable[Inquiry] = ()
) -> ChannelAdvice:
    """Which channel to use for a question about one account, from the issuer record."""
    if issuer is None:
        return ChannelAdvice(issuer_name, (), (), "", known=False)
    use = issuer.account_channels
    avoid = tuple(c for c in issuer.general_channels if c not in use)
    missed = [i for i in earlier if i.channel in avoid]
    return ChannelAdvice(
        issuer.name, use, avoid, issuer.contact, known=True,
        missed_channel=missed[0].channel if missed else "",
        missed_days=tuple(sorted({i.at.date() for i in missed})),
    )  # fmt: skip


# --- the claim ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    language: str
    subject: str
    body: str

    @property
    def text(self) -> str:
        subject_line = phrases(self.language)["subject_line"].format(subject=self.subject)
        return f"{subject_line}\n\n{self.body}"


def _check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidValue(
            _("--lang {lang}: expected one of {languages}").format(
                lang=lang, languages=", ".join(LANGUAGES)
            )
        )
    return lang


def claim_language(requested: str | None, issuer: Issuer | None) -> str:
    """--lang, else the issuer's language, else Japanese (the issuers tracked are in Japan)."""
    return _check_language(requested or (issuer.language if issuer else "") or "ja")


def build_claim(evidence: Evidence, lang: str) -> Claim:
    """The message to send to support, in `lang` ("ja" or "en")."""
    words = phrases(_check_language(lang))
    facts = [line for build in _FACT_BUILDERS if (line := build(evidence, words))]
    numbered = "\n".join(f"{n}. {fact}" for n, fact in enumerate(facts, start=1))
    body = "\n\n".join(
        [words["greeting"], words["intro"], numbered, _request(evidence, words), words["end"]]
    )
    return Claim(lang, _subject(evidence, words), body)


def _usability_text(substitute: str, unit: str, words: Phrases) -> str:
    promised = "points" if unit.lower().startswith("point") else "cash"
    if usability(substitute, unit).relative != "lower":
        return words.word("usability_same", promised)
    return words["usability_lower"].format(
        promised=words.word("promised", promised), limits=words.word("limits", substitute, "")
    )


def _what(evidence: Evidence, words: Phrases) -> str:
    e = evidence.expectation
    return localized(evidence.entitlement_text, words.language) or e.entitlement


def _amount(evidence: Evidence, words: Phrases) -> str:
    return amount_words(evidence.expectation.amount, evidence.expectation.unit, words.language)


def _place(evidence: Evidence, words: Phrases) -> str:
    return words.word("place", evidence.account_kind, evidence.expectation.account)


def _subject(evidence: Evidence, words: Phrases) -> str:
    e = evidence.expectation
    values = {
        "amount": _amount(evidence, words),
        "name": localized(evidence.campaign_name, words.language),
        "statement": month_name(e.statement, words.language),
    }
    if e.kind == "waiver":
        fee_charged = evidence.entry is not None
        return words["subject_fee" if fee_charged else "subject_confirm"].format(**values)
    return words["subject_grant"].format(**values)


def _fact_campaign(evidence: Evidence, words: Phrases) -> str:
    text = words["campaign"].format(name=localized(evidence.campaign_name, words.language))
    if evidence.issuer:
        text += words["issuer"].format(issuer=localized(evidence.issuer, words.language))
    if evidence.terms_url.strip():
        text += words["terms"].format(url=evidence.terms_url.strip())
    return text


def _fact_joined(evidence: Evidence, words: Phrases) -> str:
    text = words["joined"].format(joined=date_text(evidence.joined, words.language))
    if evidence.period is not None:
        text += words["period"].format(period=window_text(evidence.period, words.language))
    return text


def _fact_conditions(evidence: Evidence, words: Phrases) -> str:
    lines = []
    for condition in evidence.conditions:
        text = words["condition"].format(
            text=localized(condition.text, words.language), id=condition.id
        )
        if condition.on is not None:
            lines.append(words["met"].format(text=text, on=date_text(condition.on, words.language)))
        else:
            lines.append(words["not_met"].format(text=text))
    return "\n   ".join(lines)


def _fact_expected(evidence: Evidence, words: Phrases) -> str:
    e = evidence.expectation
    values = {"amount": _amount(evidence, words), "what": _what(evidence, words)}
    if e.kind == "waiver":
        return words["waiver"].format(
            **values,
            statement=month_name(e.statement, words.language),
            closing=date_text(e.closing_date, words.language) if e.closing_date else "?",
            payment=date_text(e.payment_date, words.language) if e.payment_date else "?",
        )
    if e.window is None:
        return words["grant_when_met"].format(**values, place=_place(evidence, words))
    return words["grant"].format(
        **values, place=_place(evidence, words), window=window_text(e.window, words.language)
    )


def _fact_recorded(evidence: Evidence, words: Phrases) -> str:
    e = evidence.expectation
    entry = evidence.entry
    lang = words.language
    if e.kind == "waiver":
        if entry is not None:
            return words["fee"].format(
                statement=month_name(entry.statement or e.statement, words.language),
                amount=amount_words(abs(entry.amount), e.unit, lang),
                date=date_text(entry.date, words.language),
                description=entry.description,
            )
        return words["covered" if evidence.covered else "unchecked"].format(
            statement=month_name(e.statement, words.language),
            as_of=date_text(evidence.as_of, words.language),
        )
    if entry is not None:
        return words["received"].format(
            amount=amount_words(abs(entry.amount), e.unit, lang),
            date=date_text(entry.date, words.language),
            description=entry.description,
        )
    text = words["nothing"].format(
        as_of=date_text(evidence.as_of, words.language),
        amount=_amount(evidence, words),
        place=_place(evidence, words),
    )
    if e.window is not None and evidence.as_of > e.window.end:
        days = (evidence.as_of - e.window.end).days
        late = evidence.late_since is not None
        text += words["late" if late else "waiting"].format(
            days=days, end=date_text(e.window.end, words.language)
        )
    return text


def _fact_related(evidence: Evidence, words: Phrases) -> str:
    return "\n   ".join(
        words["related"].format(
            what=_related_name(related, words),
            amount=amount_words(related.amount, related.unit, words.language),
            on=date_text(related.received_on, words.language),
        )
        for related in evidence.related
    )


def _related_name(related: RelatedGrant, words: Phrases) -> str:
    """The other grant by its id ("sender"), or in a Japanese claim by its Japanese text."""
    if words.language == "ja" and japanese(related.text):
        return localized(related.text, "ja")
    return related.entitlement


def _settlement_text(settlement: Settlement, unit: str, words: Phrases, reopened: bool) -> str:
    template = words.word("settlement", settlement.kind)
    if settlement.kind == "substituted":
        text = template.format(
            on=date_text(settlement.on, words.language),
            received=substitute_phrase(settlement.substitute, settlement.amount, words.language),
            usability=_usability_text(settlement.substitute, unit, words),
        )
    else:
        text = template.format(on=date_text(settlement.on, words.language), note=settlement.note)
    return text + (words["not_accepted"] if reopened else "")


def _fact_contacts(evidence: Evidence, words: Phrases) -> str:
    items: list[tuple[date, int, str]] = []
    unit = evidence.expectation.unit
    for fact in evidence.inquiries:
        inquiry = fact.inquiry
        agent = words["agent"].format(agent=inquiry.agent) if inquiry.agent else ""
        text = words["contact"].format(
            at=moment_text(inquiry.at, words.language),
            channel=words.word("channel", inquiry.channel, inquiry.channel),
            agent=agent,
            summary=inquiry.summary or "-",
        )
        if inquiry.promise:
            by = moment_text(inquiry.promise_by, words.language) if inquiry.promise_by else "-"
            state = words.word("promise_state", fact.promise_state, fact.promise_state or "-")
            text += "\n     " + words["promise"].format(promise=inquiry.promise, by=by, state=state)
        items.append((inquiry.at.date(), 0, text))
    for past in evidence.reopened:
        items.append((past.settlement.on, 1, _settlement_text(past.settlement, unit, words, True)))
    if evidence.settlement is not None:
        current = _settlement_text(evidence.settlement, unit, words, False)
        items.append((evidence.settlement.on, 1, current))
    # A claim "as of" a day cites only what had happened by then.
    items = [item for item in items if item[0] <= evidence.as_of]
    if not items:
        return ""
    items.sort(key=lambda item: (item[0], item[1]))
    return words["contacts"] + "".join(f"\n   - {text}" for _, _, text in items)


_FACT_BUILDERS: tuple[Callable[[Evidence, Phrases], str], ...] = (
    _fact_campaign,
    _fact_joined,
    _fact_conditions,
    _fact_expected,
    _fact_recorded,
    _fact_related,
    _fact_contacts,
)


def _request(evidence: Evidence, words: Phrases) -> str:
    e = evidence.expectation
    amount = _amount(evidence, words)
    if e.kind == "waiver":
        fee_charged = evidence.entry is not None
        return words["request_fee" if fee_charged else "request_confirm"].format(
            amount=amount,
            statement=month_name(e.statement, words.language),
            what=_what(evidence, words),
            payment=date_text(e.payment_date, words.language) if e.payment_date else "?",
        )
    text = words["request_grant"].format(amount=amount, what=_what(evidence, words))
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
            substitute=words.word("substitute", substitute, substitute),
            why=words.word("limits_why", substitute, ""),
            amount=amount,
        )
    if any(fact.promise_state == BROKEN for fact in evidence.inquiries):
        text += words["request_promise"]
    return text
