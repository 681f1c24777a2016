"""Texts of campaign definitions in two languages: `name = { ja = "…", en = "…" }`.

A `Text` is a `str` — the plain text (the English where both are given), which lookups, the
stored columns and JSON use — that carries its Japanese alongside. People read it through
`localized`, in the language in use (or the one asked for: a claim has its own).
"""

from __future__ import annotations

from typing import Any

from pointwatch.i18n import language


class Text(str):
    """A definition's text: as a string the English (or the only text given), with `ja`."""

    ja: str

    def __new__(cls, text: str, ja: str = "") -> Text:
        value = super().__new__(cls, text)
        value.ja = ja
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (str(self), self.ja))


def localized(text: str, lang: str | None = None) -> str:
    """`text` in `lang` (default: the language in use): the Japanese of a `Text` that has one,
    else the text as given."""
    if isinstance(text, Text) and text.ja and (lang or language()) == "ja":
        return text.ja
    return str(text)


def japanese(text: str) -> str | None:
    """The Japanese given for `text`, if any (JSON's `…_ja` keys)."""
    return text.ja or None if isinstance(text, Text) else None


def text_of(value: Any) -> Text:
    """A text as stored in a definition table — a string or a {ja, en} table — without checks
    (the loader checked it when the file was loaded)."""
    if isinstance(value, dict):
        english, ja = value.get("en") or "", value.get("ja") or ""
        return Text(english or ja, ja)
    return Text("" if value is None else str(value))
