"""The claim catalog (pointwatch/locales/claims.toml): both languages say the same things with
the same placeholders, and every template or word the code asks for is there.

The code names catalog keys literally (`words["greeting"]`, `words.word("channel", ...)`), so
its lookups are read from the source; a word table looked up by a domain value (a channel, a
substitute, ...) must have a word for every such value.
"""

from __future__ import annotations

import ast
import inspect
from string import Formatter

import pytest

from pointwatch.domain import claim, phrases, timeline
from pointwatch.domain.definitions import ACCOUNT_KINDS, CONTACT_CHANNELS
from pointwatch.domain.phrases import LANGUAGES, catalog
from pointwatch.domain.statuses import SETTLEMENT_STATUS
from pointwatch.domain.support import BROKEN, KEPT, PENDING, SETTLED, SUBSTITUTES, usability

CODE = (claim, timeline, phrases)
LESS_USABLE = {s for s in SUBSTITUTES if usability(s, "points").relative == "lower"}
# The word tables the code looks up by a domain value, and the values it may look up.
DOMAIN_TABLES = {
    "amount": {"point", "points", "yen", "other"},
    "channel": set(CONTACT_CHANNELS),
    "place": set(ACCOUNT_KINDS),
    "promise_state": {PENDING, KEPT, SETTLED, BROKEN},
    "settlement": set(SETTLEMENT_STATUS),
    "substitute": set(SUBSTITUTES),
    "received_instead": set(SUBSTITUTES),
    "promised": {"points", "cash"},
    "usability_same": {"points", "cash"},
    "limits": LESS_USABLE,
    "limits_why": LESS_USABLE,
}


def _placeholders(template: str) -> set[str]:
    return {
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in Formatter().parse(template)
        if field is not None
    }


def _entries(lang: str) -> dict[str, set[str]]:
    """Every template and word of one language, by key ("table.key" for words), with its
    placeholders."""
    words = catalog()[lang]
    entries = {key: _placeholders(text) for key, text in words.templates.items()}
    for name, table in words.tables.items():
        entries.update({f"{name}.{key}": _placeholders(text) for key, text in table.items()})
    return entries


def _strings(node: ast.expr) -> list[str] | None:
    """The keys a lookup can name: a literal, or a choice between literals; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _lookups() -> tuple[set[str], dict[str, set[str]], set[str], list[str]]:
    """From the code: template keys, table → literal keys, tables looked up by a domain value,
    and the lookups whose key cannot be read (each is a test failure)."""
    templates: set[str] = set()
    tables: dict[str, set[str]] = {}
    by_value: set[str] = set()
    unreadable: list[str] = []
    for module in CODE:
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            where = f"{module.__name__}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Subscript) and (
                (isinstance(node.value, ast.Name) and node.value.id == "words")
                or (
                    isinstance(node.value, ast.Call)
                    and isinstance(node.value.func, ast.Name)
                    and node.value.func.id == "phrases"
                )
            ):
                keys = _strings(node.slice)
                if keys is None:
                    unreadable.append(f"{where}: a template key that is not a literal")
                else:
                    templates.update(keys)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "word"
            ):
                table = _strings(node.args[0]) if node.args else None
                if table is None or len(table) != 1:
                    unreadable.append(f"{where}: a word table that is not a literal")
                    continue
                keys = _strings(node.args[1]) if len(node.args) > 1 else None
                if keys is None:
                    by_value.add(table[0])
                else:
                    tables.setdefault(table[0], set()).update(keys)
    return templates, tables, by_value, unreadable


def test_the_catalog_has_exactly_the_supported_languages():
    assert set(catalog()) == set(LANGUAGES)


def test_both_languages_have_the_same_keys_and_placeholders():
    ja, en = _entries("ja"), _entries("en")
    assert sorted(ja.keys() - en.keys()) == [], "only in ja"
    assert sorted(en.keys() - ja.keys()) == [], "only in en"
    differ = {key: (ja[key], en[key]) for key in ja if ja[key] != en[key]}
    assert differ == {}, "placeholders differ (ja, en)"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_the_code_uses_exists(lang):
    templates, tables, by_value, unreadable = _lookups()
    assert unreadable == []
    assert len(templates) > 30, "the source scan found too few lookups: has the code changed?"
    words = catalog()[lang]
    assert sorted(templates - words.templates.keys()) == []
    for name, keys in tables.items():
        assert name in words.tables, f"no word table {name!r}"
        assert sorted(keys - words.tables[name].keys()) == [], name
    assert sorted(by_value - DOMAIN_TABLES.keys()) == [], "add the table's domain values above"
    for name in by_value:
        assert name in words.tables, f"no word table {name!r}"
        missing = DOMAIN_TABLES[name] - words.tables[name].keys()
        assert sorted(missing) == [], f"{lang}.{name} lacks words for these values"


def test_the_catalog_holds_nothing_the_code_does_not_use():
    templates, tables, by_value, _ = _lookups()
    words = catalog()["en"]
    assert sorted(words.templates.keys() - templates) == []
    assert sorted(words.tables.keys() - tables.keys() - by_value) == []
