"""Definition files (TOML) → domain values, collecting every problem with file, line and key path.

Loading is all-or-nothing: the caller gets either all definitions of a file or a
DefinitionError listing every problem found (beancount style: errors as values, reported
together).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pointwatch.domain.billing import BillingCycle
from pointwatch.domain.dates import DateWindow, parse_date, parse_date_expression
from pointwatch.domain.definitions import (
    ACCOUNT_KINDS,
    CONDITION_KINDS,
    CONTACT_CHANNELS,
    DECLARED,
    Campaign,
    Condition,
    Definitions,
    Grant,
    Issuer,
    MatchRule,
    Profile,
    Waiver,
)
from pointwatch.domain.phrases import LANGUAGES
from pointwatch.errors import DefinitionError
from pointwatch.i18n import _
from pointwatch.toml_tables import (
    Problems,
    attempt,
    check_keys,
    get,
    get_text,
    identifier,
    line_locator,
    parse_toml,
    positive_int,
    tables,
)

TOP_LEVEL = ("profile", "campaign", "issuer")
PROFILE_KEYS = (
    "id", "name", "kind", "issuer", "closing_day", "payment_day", "payment_months",
    "holidays", "holiday_rule", "statement_ready_day", "note",
)  # fmt: skip
CAMPAIGN_KEYS = (
    "id", "name", "issuer", "period", "terms_url", "note", "condition", "grant", "waiver",
)  # fmt: skip
CONDITION_KEYS = ("id", "text", "kind", "account", "at_least", "from", "by", "match")
# Keys only a computed condition (kind = spend | count | entry) takes.
COMPUTED_KEYS = ("account", "at_least", "from", "match")
GRANT_KEYS = (
    "id", "amount", "unit", "account", "window", "grace", "requires", "match", "text", "expires",
)  # fmt: skip
WAIVER_KEYS = ("id", "amount", "unit", "account", "statement", "repeat", "match", "text")
MATCH_KEYS = ("keywords", "tolerance")
CONDITION_MATCH_KEYS = ("keywords", "exclude")
ISSUER_KEYS = ("id", "name", "account_channels", "general_channels", "contact", "language")
MAX_REPEAT = 30  # yearly occurrences of a waiver: a fee waived for 30 years is "for life"
MAX_GRACE = 366  # days, as the config's grace_days


def load_text(text: str, source: str) -> Definitions:
    """Parse one definition file's text; raise DefinitionError listing every problem."""
    try:
        data = parse_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError([f"{source}: not valid TOML: {exc}"]) from exc
    if not data:
        raise DefinitionError(
            [f"{source}: the file is empty (no [[{']], [['.join(TOP_LEVEL)}]] tables)"]
        )
    problems = Problems(source, line_locator(text))
    definitions = _definitions(data, problems)
    if problems.items:
        raise DefinitionError(problems.items)
    return definitions


def load_file(path: Path) -> Definitions:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DefinitionError([f"{path}: no such file"]) from exc
    except UnicodeDecodeError as exc:
        raise DefinitionError([f"{path}: not UTF-8 text ({exc.reason})"]) from exc
    return load_text(text, str(path))


def catalog_files() -> list[tuple[str, str]]:
    """(name, text) of every shipped catalog file."""
    folder = resources.files("pointwatch.catalog")
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


def load_catalog() -> Definitions:
    parts = [load_text(text, f"catalog/{name}") for name, text in catalog_files()]
    return merge(parts)


def merge(parts: Iterable[Definitions]) -> Definitions:
    parts = list(parts)
    return Definitions(
        campaigns=tuple(c for part in parts for c in part.campaigns),
        profiles=tuple(p for part in parts for p in part.profiles),
        issuers=tuple(i for part in parts for i in part.issuers),
    )


def load_tables(data: dict[str, Any], source: str) -> Definitions:
    """Definitions from already-parsed tables (e.g. as stored at load time)."""
    problems = Problems(source, lambda _path: None)
    definitions = _definitions(data, problems)
    if problems.items:
        raise DefinitionError(problems.items)
    return definitions


def campaign_from_table(table: dict[str, Any], source: str = "stored campaign") -> Campaign:
    """Rebuild a campaign from the table stored at load time (already validated once)."""
    return load_tables({"campaign": [table]}, source).campaigns[0]


def to_storable(value: Any) -> Any:
    """TOML values → JSON-safe values (dates become ISO strings) for storing a definition."""
    if isinstance(value, dict):
        return {key: to_storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_storable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def raw_tables(text: str) -> dict[str, list[dict[str, Any]]]:
    """The raw TOML tables by top-level kind (for storing campaigns as loaded)."""
    data = parse_toml(text)
    return {kind: data.get(kind, []) for kind in TOP_LEVEL}


# --- building values -------------------------------------------------------------------------


def _definitions(data: dict[str, Any], problems: Problems) -> Definitions:
    for key in data:
        if key not in TOP_LEVEL:
            problems.add(
                key,
                _("unknown key (expected [[{top_level}]])").format(
                    top_level="]], [[".join(TOP_LEVEL)
                ),
            )
    profiles = [
        _profile(table, f"profile[{i}]", problems)
        for i, table in enumerate(tables(data, "profile", "", problems), 1)
    ]
    campaigns = [
        _campaign(table, f"campaign[{i}]", problems)
        for i, table in enumerate(tables(data, "campaign", "", problems), 1)
    ]
    issuers = [
        _issuer(table, f"issuer[{i}]", problems)
        for i, table in enumerate(tables(data, "issuer", "", problems), 1)
    ]
    for kind, values in (("profile", profiles), ("campaign", campaigns), ("issuer", issuers)):
        seen: set[str] = set()
        for value in values:
            if value is not None and value.id in seen:
                problems.add(kind, _("duplicate id {id!r}").format(id=value.id))
            if value is not None:
                seen.add(value.id)
    return Definitions(
        campaigns=tuple(c for c in campaigns if c is not None),
        profiles=tuple(p for p in profiles if p is not None),
        issuers=tuple(i for i in issuers if i is not None),
    )


def _profile(table: dict[str, Any], path: str, problems: Problems) -> Profile | None:
    check_keys(table, PROFILE_KEYS, path, problems)
    profile_id = identifier(table, path, problems)
    kind = get(table, "kind", path, problems, str, default="card")
    if kind not in ACCOUNT_KINDS:
        problems.add(
            f"{path}.kind",
            _("{kind!r}: expected one of {account_kinds}").format(
                kind=kind, account_kinds=", ".join(ACCOUNT_KINDS)
            ),
        )
    cycle = None
    if kind == "card":
        closing = get(table, "closing_day", path, problems, (str, int))
        payment_day = get(table, "payment_day", path, problems, int)
        if closing is not None and payment_day is not None:
            cycle = attempt(
                problems,
                path,
                lambda: BillingCycle.from_values(
                    closing_day=closing,
                    payment_day=payment_day,
                    payment_months=get(table, "payment_months", path, problems, int, False, 1),
                    holiday_rule=get(
                        table, "holiday_rule", path, problems, str, False, "next-business-day"
                    ),
                    calendar=get(table, "holidays", path, problems, str, False),
                    statement_ready_day=get(
                        table, "statement_ready_day", path, problems, int, False
                    ),
                ),
            )
    if profile_id is None:
        return None
    return Profile(
        id=profile_id,
        kind=kind,
        name=get_text(table, "name", path, problems),
        issuer=get_text(table, "issuer", path, problems),
        cycle=cycle,
        note=get_text(table, "note", path, problems),
    )


def _match(
    table: dict[str, Any], path: str, problems: Problems, keys: tuple[str, ...] = MATCH_KEYS
) -> MatchRule:
    value = get(table, "match", path, problems, dict, False, {})
    check_keys(value, keys, f"{path}.match", problems)
    words = {
        name: _words(value, name, f"{path}.match", problems) for name in ("keywords", "exclude")
    }
    tolerance = positive_int(value, "tolerance", f"{path}.match", problems, False, 0, True)
    return MatchRule(keywords=words["keywords"], tolerance=tolerance, exclude=words["exclude"])


def _words(table: dict[str, Any], key: str, path: str, problems: Problems) -> tuple[str, ...]:
    words = get(table, key, path, problems, list, False, [])
    if not all(isinstance(word, str) and word for word in words):
        problems.add(f"{path}.{key}", _("expected a list of non-empty strings"))
        return ()
    return tuple(words)


def _expression(table, key, path, problems, anchors=("joined", "qualified"), required=True):
    """A date expression; relative ones only to one of `anchors` (absolute ones always)."""
    text = get(table, key, path, problems, str, required)
    if text is None:
        return None
    expression = attempt(problems, f"{path}.{key}", lambda: parse_date_expression(text))
    if expression is not None and expression.anchor not in (None, *anchors):
        expected = _(" or ").join(f"'{anchor}'" for anchor in anchors)
        problems.add(
            f"{path}.{key}",
            _(
                "{text!r}: relative to '{anchor}', which {key} cannot be (expected a date, or "
                "an expression relative to {expected})"
            ).format(text=text, anchor=expression.anchor, key=key, expected=expected),
        )
        return None
    return expression


def _campaign(table: dict[str, Any], path: str, problems: Problems) -> Campaign | None:
    check_keys(table, CAMPAIGN_KEYS, path, problems)
    campaign_id = identifier(table, path, problems)
    conditions = [
        _condition(t, f"{path}.condition[{i}]", problems)
        for i, t in enumerate(tables(table, "condition", path, problems), 1)
    ]
    condition_ids = {c.id for c in conditions if c is not None}
    grants = [
        _grant(t, f"{path}.grant[{i}]", problems, condition_ids)
        for i, t in enumerate(tables(table, "grant", path, problems), 1)
    ]
    waivers = [
        _waiver(t, f"{path}.waiver[{i}]", problems)
        for i, t in enumerate(tables(table, "waiver", path, problems), 1)
    ]
    if not grants and not waivers:
        problems.add(
            path, _("a campaign needs at least one [[campaign.grant]] or [[campaign.waiver]]")
        )
    entitlement_ids = [e.id for e in grants + waivers if e is not None]
    for entitlement_id in {i for i in entitlement_ids if entitlement_ids.count(i) > 1}:
        problems.add(
            path,
            _("duplicate entitlement id {entitlement_id!r}").format(entitlement_id=entitlement_id),
        )
    period = _period(table, path, problems)
    name = get_text(table, "name", path, problems, required=True)
    issuer = get_text(table, "issuer", path, problems, required=True)
    if None in (campaign_id, name, issuer) or None in grants or None in waivers:
        return None
    return Campaign(
        id=campaign_id,
        name=name,
        issuer=issuer,
        conditions=tuple(c for c in conditions if c is not None),
        grants=tuple(grants),
        waivers=tuple(waivers),
        period=period,
        terms_url=get(table, "terms_url", path, problems, str, False, ""),
        note=get_text(table, "note", path, problems),
    )


def _period(table: dict[str, Any], path: str, problems: Problems) -> DateWindow | None:
    value = get(table, "period", path, problems, dict, False)
    if value is None:
        return None
    check_keys(value, ("start", "end"), f"{path}.period", problems)
    bounds = []
    for key in ("start", "end"):
        raw = value.get(key)
        if raw is None:
            problems.add(f"{path}.period.{key}", _("missing (required)"))
        elif isinstance(raw, date):
            bounds.append(raw)
        elif isinstance(raw, str):
            bounds.append(attempt(problems, f"{path}.period.{key}", lambda r=raw: parse_date(r)))
        else:
            problems.add(
                f"{path}.period.{key}", _("expected a date YYYY-MM-DD, got {raw!r}").format(raw=raw)
            )
    if len(bounds) != 2 or None in bounds:
        return None
    return attempt(problems, f"{path}.period", lambda: DateWindow(bounds[0], bounds[1]))


def _condition(table: dict[str, Any], path: str, problems: Problems) -> Condition | None:
    check_keys(table, CONDITION_KEYS, path, problems)
    condition_id = identifier(table, path, problems)
    text = get_text(table, "text", path, problems)
    kind = get(table, "kind", path, problems, str, False, DECLARED)
    if kind not in CONDITION_KINDS:
        problems.add(
            f"{path}.kind",
            _("{kind!r}: expected one of {kinds}").format(
                kind=kind, kinds=", ".join(CONDITION_KINDS)
            ),
        )
        return None
    by = _expression(table, "by", path, problems, ("joined",), required=kind != DECLARED)
    if kind == DECLARED:
        for key in COMPUTED_KEYS:
            if key in table:
                problems.add(
                    f"{path}.{key}",
                    _(
                        "only computed conditions take it (kind = spend, count or entry); a "
                        "declared condition is met by `pointwatch met`"
                    ),
                )
        return Condition(condition_id, text, by=by) if condition_id else None
    account = get(table, "account", path, problems, str)
    # One entry of any amount by default; a sum or a count needs its threshold.
    at_least = positive_int(table, "at_least", path, problems, kind != "entry", 1)
    start = _expression(table, "from", path, problems, ("joined",), required=False)
    if start is not None and by is not None and start.anchor is None and by.anchor is None:
        assert start.window is not None and by.window is not None
        if by.window.end < start.window.start:
            problems.add(
                f"{path}.by",
                _("{by!r} is before `from` {start!r}").format(by=by.text, start=start.text),
            )
    match = _match(table, path, problems, CONDITION_MATCH_KEYS)
    if None in (condition_id, account, at_least, by):
        return None
    return Condition(condition_id, text, kind, account, at_least, start=start, by=by, match=match)


def _grant(table, path, problems, condition_ids: set[str]) -> Grant | None:
    check_keys(table, GRANT_KEYS, path, problems)
    grant_id = identifier(table, path, problems)
    amount = positive_int(table, "amount", path, problems)
    unit = get(table, "unit", path, problems, str, False, "point")
    account = get(table, "account", path, problems, str)
    window = _expression(table, "window", path, problems)
    grace = positive_int(table, "grace", path, problems, False, None, True, MAX_GRACE)
    requires = get(table, "requires", path, problems, list, False, [])
    for condition in requires:
        if condition not in condition_ids:
            problems.add(
                f"{path}.requires",
                _("unknown condition {condition!r} (defined: {condition_ids})").format(
                    condition=condition, condition_ids=", ".join(sorted(condition_ids))
                )
                if condition_ids
                else _(
                    "unknown condition {condition!r} (add a [[campaign.condition]] table)"
                ).format(condition=condition),
            )
    if window is not None and window.anchor == "qualified" and not requires:
        problems.add(f"{path}.window", _("'qualified' needs `requires` (conditions to qualify)"))
    match = _match(table, path, problems)
    expires = _expression(table, "expires", path, problems, ("received",), required=False)
    if None in (grant_id, amount, account, window):
        return None
    return Grant(
        id=grant_id,
        amount=amount,
        unit=unit,
        account=account,
        window=window,
        grace=grace,
        requires=tuple(requires),
        match=match,
        text=get_text(table, "text", path, problems),
        expires=expires,
    )


def _waiver(table: dict[str, Any], path: str, problems: Problems) -> Waiver | None:
    check_keys(table, WAIVER_KEYS, path, problems)
    waiver_id = identifier(table, path, problems)
    amount = positive_int(table, "amount", path, problems)
    unit = get(table, "unit", path, problems, str, False, "JPY")
    account = get(table, "account", path, problems, str)
    statement = _expression(table, "statement", path, problems, ("joined", "qualified"))
    if statement is not None and statement.anchor == "qualified":
        problems.add(f"{path}.statement", _("waivers are relative to 'joined', not 'qualified'"))
        statement = None
    repeat = positive_int(table, "repeat", path, problems, False, 1, maximum=MAX_REPEAT)
    match = _match(table, path, problems)
    if None in (waiver_id, amount, account, statement, repeat):
        return None
    return Waiver(
        id=waiver_id,
        amount=amount,
        unit=unit,
        account=account,
        statement=statement,
        repeat=repeat,
        match=match,
        text=get_text(table, "text", path, problems),
    )


def _issuer(table: dict[str, Any], path: str, problems: Problems) -> Issuer | None:
    check_keys(table, ISSUER_KEYS, path, problems)
    issuer_id = identifier(table, path, problems)
    channels = {}
    for key in ("account_channels", "general_channels"):
        values = get(table, key, path, problems, list, False, [])
        for value in values:
            if value not in CONTACT_CHANNELS:
                problems.add(
                    f"{path}.{key}",
                    _("{value!r}: expected one of {contact_channels}").format(
                        value=value, contact_channels=", ".join(CONTACT_CHANNELS)
                    ),
                )
        channels[key] = tuple(v for v in values if v in CONTACT_CHANNELS)
    name = get_text(table, "name", path, problems, required=True)
    language = get(table, "language", path, problems, str, False, "ja")
    if language not in LANGUAGES:
        problems.add(f"{path}.language", f"{language!r}: expected one of {', '.join(LANGUAGES)}")
    if issuer_id is None or name is None or language not in LANGUAGES:
        return None
    return Issuer(
        id=issuer_id,
        name=name,
        contact=get_text(table, "contact", path, problems),
        language=language,
        **channels,
    )
