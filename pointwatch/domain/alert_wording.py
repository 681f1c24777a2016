"""The shared wording of alert texts: amounts, what is owed, where to look, the commands to
run next, and the facts fingerprint."""

from __future__ import annotations

from datetime import datetime

from pointwatch.domain.alert_types import (
    CampaignInfo,
)
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.next_step import record_command
from pointwatch.domain.wording import (
    amount_text,
    channel_word,
    list_words,
    moment_text,
    where_to_look_sentence,
)
from pointwatch.i18n import _

# --- one builder per kind ----------------------------------------------------------------------
# Each returns a Draft: key, facts and since at once; the wording only when rendered.


def fingerprint(*parts: object) -> str:
    return "|".join("" if part is None else str(part) for part in parts)


def amount_of(e: Expectation) -> str:
    return amount_text(e.amount, e.unit)


def owed_line(e: Expectation, info: CampaignInfo) -> str:
    return _("Owed: {amount} into {account} — {campaign} ({entitlement}).").format(
        amount=amount_of(e), account=e.account, campaign=info.name, entitlement=e.entitlement
    )


def owed_waiver_line(e: Expectation, info: CampaignInfo, fee: str, occurrence: bool = True) -> str:
    values = {"fee": fee, "amount": amount_of(e), "campaign": info.name, "year": e.occurrence}
    if occurrence and e.occurrence > 1:
        return _("Owed: the {fee} of {amount} must NOT be charged — {campaign} (year {year}).")\
            .format(**values)  # fmt: skip
    return _("Owed: the {fee} of {amount} must NOT be charged — {campaign}.").format(**values)


def where_line(e: Expectation) -> str:
    return _("Where to look: {place}.").format(place=where_to_look_sentence(e))


def fee_name(e: Expectation, info: CampaignInfo | None = None) -> str:
    """The waiver's own name where the campaign gives one in the language in use, else its
    id in words ("annual fee")."""
    named = info.fees.get(e.entitlement) if info is not None else None
    return named or e.entitlement.replace("-", " ").replace("_", " ")


def keywords_note(e: Expectation) -> str:
    if not e.keywords:
        return ""
    return _(" ({keywords})").format(keywords=_(", ").join(e.keywords))


def memo_of(e: Expectation) -> str:
    return e.keywords[0] if e.keywords else fee_name(e)


def record_line(e: Expectation) -> str:
    return f"`{record_command(e)}`"


def contact_hint(e: Expectation, info: CampaignInfo, again: bool = False) -> str:
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


def local_text(moment: datetime, now: datetime) -> str:
    return moment_text(moment.astimezone(now.tzinfo))
