"""Campaign definitions and the shipped catalog: lines for people, JSON for scripts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pointwatch.domain.definitions import Campaign, Condition, Definitions
from pointwatch.domain.wording import amount_text
from pointwatch.formatters.accounts import cycle_text
from pointwatch.i18n import _


def campaign_list_json(items: Sequence[tuple[Campaign, str, int]]) -> list[dict[str, Any]]:
    """`campaign list`: each loaded campaign with where it came from and its enrollments."""
    return [
        {"id": c.id, "name": c.name, "issuer": c.issuer, "source": source, "enrollments": count}
        for c, source, count in items
    ]


def campaign_list_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    return [
        f"{row['id']}  {row['name']} [{row['issuer']}]  from {row['source']}, "
        f"{row['enrollments']} enrollment(s)"
        for row in rows
    ]


def catalog_json(shipped: Definitions) -> dict[str, Any]:
    """`campaign catalog`: the shipped campaigns and card profiles."""
    from pointwatch.services.accounts import profile_view

    return {
        "campaigns": [{"id": c.id, "name": c.name, "issuer": c.issuer} for c in shipped.campaigns],
        "profiles": [
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "cycle": cycle_text(profile_view(p)),
            }
            for p in shipped.profiles
        ],  # fmt: skip
    }


def catalog_lines(catalog: dict[str, Any]) -> list[str]:
    lines = ["Campaigns (pointwatch join ID --on DATE):"]
    lines += [f"  {c['id']}  {c['name']} [{c['issuer']}]" for c in catalog["campaigns"]]
    lines.append("Card profiles (pointwatch account add NAME --profile ID):")
    lines += [f"  {p['id']}  {p['name']}: {p['cycle']}" for p in catalog["profiles"]]
    return lines


def campaign_lines(item: Campaign) -> list[str]:
    """`campaign show`: conditions, grants and waivers, one line each."""
    lines = [f"{item.id}: {item.name}", f"issuer: {item.issuer}"]
    if item.period:
        lines.append(f"period: {item.period.start} – {item.period.end}")
    if item.terms_url:
        lines.append(f"terms: {item.terms_url}")
    lines += [condition_line(condition) for condition in item.conditions]
    for grant in item.grants:
        needs = f", requires {', '.join(grant.requires)}" if grant.requires else ""
        lines.append(
            f"grant {grant.id}: {amount_text(grant.amount, grant.unit)} to role {grant.account!r}, "
            f"window {grant.window.text}{needs}"
        )
        if grant.expires is not None:
            lines[-1] += _(", expires {expires}").format(expires=grant.expires.text)
    for waiver in item.waivers:
        lines.append(
            f"waiver {waiver.id}: {amount_text(waiver.amount, waiver.unit)} on role "
            f"{waiver.account!r}, "
            f"statement {waiver.statement.text}, {waiver.repeat} time(s), "
            f"keywords {', '.join(waiver.match.keywords) or '-'}"
        )
    if item.note:
        lines.append(f"note: {item.note}")
    return lines


def condition_line(condition: Condition) -> str:
    """`campaign show`: a condition, with how a computed one is counted."""
    line = f"condition {condition.id}: {condition.text}"
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
        "issuer": item.issuer,
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
            }
            for w in item.waivers
        ],  # fmt: skip
    }
