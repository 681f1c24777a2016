"""The words of a claim, kept as data, and the wording helpers built on them.

A claim is a document with a language of its own (`claim --lang`), so its sentences are named
templates in a catalog shipped with the package (`pointwatch/locales/claims.toml`: one table per
language), read once. The timeline and the channel advice use the English entries.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pointwatch.domain.dates import DateWindow

LANGUAGES = ("ja", "en")
CATALOG = "claims.toml"  # in the package pointwatch.locales


@dataclass(frozen=True)
class Phrases:
    """One language of the catalog: templates by key (format strings with named placeholders)
    and word tables by name (a domain value, such as a channel, → its word)."""

    language: str
    templates: Mapping[str, str]
    tables: Mapping[str, Mapping[str, str]]

    def __getitem__(self, key: str) -> str:
        return self.templates[key]

    def word(self, table: str, key: str, default: str | None = None) -> str:
        """`key` in the word table `table`; `default` when the table has no such key (without
        a default, a missing word is an error)."""
        found = self.tables[table]
        return found[key] if default is None else found.get(key, default)


@cache
def catalog() -> Mapping[str, Phrases]:
    """The claim catalog shipped in the package, read once: language → its phrases."""
    with resources.files("pointwatch.locales").joinpath(CATALOG).open("rb") as file:
        data = tomllib.load(file)
    return {
        lang: Phrases(
            lang,
            {key: value for key, value in data[lang].items() if isinstance(value, str)},
            {key: value for key, value in data[lang].items() if isinstance(value, dict)},
        )
        for lang in LANGUAGES
    }


def phrases(lang: str) -> Phrases:
    """The phrases of one of LANGUAGES."""
    return catalog()[lang]


def amount_words(amount: int, unit: str, lang: str) -> str:
    """500 points / 500ポイント, 11,000 yen / 11,000円."""
    lowered = unit.lower()
    if lowered.startswith("point"):
        kind = "point" if amount == 1 else "points"
    elif lowered in ("jpy", "yen", "円"):
        kind = "yen"
    else:
        kind = "other"
    return phrases(lang).word("amount", kind).format(amount=amount, unit=unit)


def substitute_phrase(substitute: str, amount: int, lang: str) -> str:
    """What was received instead: "a coupon worth 500 yen" / "500円分のクーポン"."""
    words = phrases(lang)
    template = words.word("received_instead", substitute, words["received_instead_other"])
    return template.format(substitute=substitute, amount=amount)


def window_text(window: DateWindow, lang: str) -> str:
    """One day, or "start to end" / "start〜end"."""
    from pointwatch.domain.wording import date_text

    if window.start == window.end:
        return date_text(window.start, lang)
    return phrases(lang)["window"].format(
        start=date_text(window.start, lang), end=date_text(window.end, lang)
    )


def join_words(items: Sequence[str], lang: str) -> str:
    """ "chat, email or phone" / "チャット・メール・電話"."""
    if len(items) <= 1:
        return "".join(items)
    words = phrases(lang)
    return words["list_separator"].join(items[:-1]) + words["list_last"] + items[-1]
