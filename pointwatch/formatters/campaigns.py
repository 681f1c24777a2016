"""Campaign definitions and the shipped catalog: lines for people, JSON for scripts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pointwatch.domain.definitions import Campaign, Condition, Definitions
from pointwatch.domain.texts import japanese, localized
from pointwatch.domain.wording import amount_text, window_span
from pointwatch.formatters.accounts import cycle_text
from pointwatch.i18n import _, using


def campaign_list_json(items: Sequence[tuple[Campaign, str, int]]) -> list[dict[str, Any]]:
    """`campaign list`: each loaded campaign with where it came from and its enrollments."""
    return [
        {"id": c.id, "name": c.name, "name_ja": japanese(c.name), "issuer": c.issuer,
         "issuer_ja": japanese(c.issuer), "source": source, "enrollments": count}
        for c, source, count in items
    ]  # fmt: skip


def campaign_list_lines(items: Sequence[tuple[Campaign, str, int]]) -> list[str]:
    return [
        _("{id}  {name} [{issuer}]  from {source}, {count} enrollment(s)").format(
            id=c.id,
            name=localized(c.name),
            issuer=localized(c.issuer),
            source=source,
            count=count,
        )  # fmt: skip
        for c, source, count in items
    ]


def catalog_json(shipped: Definitions) -> dict[str, Any]:
    """`campaign catalog`: the shipped campaigns and card profiles."""
    from pointwatch.services.accounts import profile_view

    with using("en"):  # JSON never changes with the language
        cycles = [cycle_text(profile_view(p)) for p in shipped.profiles]
    return {
        "campaigns": [
            {
                "id": c.id,
                "name": c.name,
                "name_ja": japanese(c.name),
                "issuer": c.issuer,
                "issuer_ja": japanese(c.issuer),
            }
            for c in shipped.campaigns
        ],  # fmt: skip
        "profiles": [
            {
                "id": p.id,
                "name": p.name,
                "name_ja": japanese(p.name),
                "kind": p.kind,
                "cycle": cycle,
            }
            for p, cycle in zip(shipped.profiles, cycles, strict=True)
        ],  # fmt: skip
    }


def catalog_lines(shipped: Definitions) -> list[str]:
    from pointwatch.services.accounts import profile_view

    lines = [_("Campaigns ({command}):").format(command="pointwatch join ID --on DATE")]
    lines += [f"  {c.id}  {localized(c.name)} [{localized(c.issuer)}]" for c in shipped.campaigns]
    lines.append(
        _("Card profiles ({command}):").format(command="pointwatch account add NAME --profile ID")
    )
    lines += [
        f"  {p.id}  {localized(p.name)}: {cycle_text(profile_view(p))}" for p in shipped.profiles
    ]
    return lines


def campaign_lines(item: Campaign) -> list[str]:
    """`campaign show`: conditions, grants and waivers, one line each."""
    lines = [
        f"{item.id}: {localized(item.name)}",
        _("issuer: {issuer}").format(issuer=localized(item.issuer)),
    ]
    if item.period:
        lines.append(_("period: {span}").format(span=window_span(item.period)))
    if item.terms_url:
        lines.append(_("terms: {url}").format(url=item.terms_url))
    lines += [condition_line(condition) for condition in item.conditions]
    for grant in item.grants:
        values = {
            "id": grant.id, "amount": amount_text(grant.amount, grant.unit), "role": grant.account,
            "window": grant.window.text, "requires": ", ".join(grant.requires),
        }  # fmt: skip
        if grant.requires:
            text = _("grant {id}: {amount} to role {role!r}, window {window}, requires {requires}")
        else:
            text = _("grant {id}: {amount} to role {role!r}, window {window}")
        lines.append(text.format(**values))
        if grant.expires is not None:
            lines[-1] += _(", expires {expires}").format(expires=grant.expires.text)
    for waiver in item.waivers:
        lines.append(
            _(
                "waiver {id}: {amount} on role {role!r}, statement {statement}, {repeat} "
                "time(s), keywords {keywords}"
            ).format(
                id=waiver.id,
                amount=amount_text(waiver.amount, waiver.unit),
                role=waiver.account,
                statement=waiver.statement.text,
                repeat=waiver.repeat,
                keywords=", ".join(waiver.match.keywords) or "-",
            )  # fmt: skip
        )
    if item.note:
        lines.append(_("note: {note}").format(note=localized(item.note)))
    return lines


def condition_line(condition: Condition) -> str:
    """`campaign show`: a condition, with how a computed one is counted."""
    line = _("condition {id}: {text}").format(id=condition.id, text=localized(condition.text))
    if condition.computed:
        line += " " + _(
            "({kind} of at least {at_least:,} on role {account!r}, from {start} by {deadline})"
        ).format(
            kind=condition.kind,
            at_least=condition.at_least,
            account=condition.account,
            start=condition.start.text if condition.start else "joined",
            deadline=condition.by.text if condition.by else "-",
        )
    elif condition.by is not None:
        line += " " + _("(by {deadline})").format(deadline=condition.by.text)
    return line


def condition_json(condition: Condition) -> dict[str, Any]:
    """`campaign show --json`: one condition as defined."""
    return {
        "id": condition.id,
        "text": condition.text,
        "text_ja": japanese(condition.text),
        "kind": condition.kind,
        "account": condition.account or None,
        "at_least": condition.at_least if condition.computed else None,
        "from": condition.start.text if condition.start else None,
        "by": condition.by.text if condition.by else None,
        "keywords": list(condition.match.keywords),
        "exclude": list(condition.match.exclude),
    }


def campaign_json(item: Campaign) -> dict[str, Any]:
    """`campaign show --json`."""
    period = item.period
    return {
        "id": item.id,
        "name": item.name,
        "name_ja": japanese(item.name),
        "issuer": item.issuer,
        "issuer_ja": japanese(item.issuer),
        "note": item.note,
        "note_ja": japanese(item.note),
        "period": None
        if period is None
        else {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "conditions": [condition_json(c) for c in item.conditions],
        "grants": [
            {
                "id": g.id,
                "amount": g.amount,
                "unit": g.unit,
                "account": g.account,
                "window": g.window.text,
                "requires": list(g.requires),
                "expires": g.expires.text if g.expires else None,
                "text": g.text,
                "text_ja": japanese(g.text),
            }
            for g in item.grants
        ],  # fmt: skip
        "waivers": [
            {
                "id": w.id,
                "amount": w.amount,
                "unit": w.unit,
                "account": w.account,
                "statement": w.statement.text,
                "repeat": w.repeat,
                "keywords": list(w.match.keywords),
                "text": w.text,
                "text_ja": japanese(w.text),
            }
            for w in item.waivers
        ],  # fmt: skip
    }
