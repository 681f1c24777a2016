"""The language of human output: gettext catalogs (Babel extracts and compiles them; the .pot,
the .po sources and the compiled .mo files ship in pointwatch/locales/). JSON never changes
with it.

Messages are English in the code, wrapped in `_()` (or `ngettext()` where a count decides the
form) where they are shown; a message that must be written down before the language is known
(a module constant, a column heading) is marked with `N_()` and translated with `_()` where it
is used. `set_language` picks the catalog once per command (the CLI) or per run (the daemon);
`using` borrows another language for a moment (JSON is built in English).

README "Language" has the commands that update the catalogs; tests/test_catalogs.py fails when
they are stale.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

LANGUAGES = ("ja", "en")
DOMAIN = "pointwatch"
LOCALE_DIR = Path(__file__).parent / "locales"
# The variables gettext itself consults, in its order: the first one set decides.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_catalogs: dict[str, gettext.NullTranslations] = {}


def locale_language(environ: Mapping[str, str]) -> str:
    """ja when the locale asks for Japanese (whether or not that locale is installed), else en."""
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            first = value.split(":")[0]  # LANGUAGE may list several
            return "ja" if first.lower().startswith("ja") else "en"
    return "en"


def set_language(language: str) -> None:
    """Use the catalog of `language` (one of LANGUAGES) for every message from now on."""
    global _translation, _language
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: expected one of {', '.join(LANGUAGES)}")
    _language = language
    _translation = _catalog(language)


def _catalog(language: str) -> gettext.NullTranslations:
    if language not in _catalogs:
        if language == "en":  # the messages are English already
            _catalogs[language] = gettext.NullTranslations()
        else:
            _catalogs[language] = gettext.translation(
                DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
            )
    return _catalogs[language]


def language() -> str:
    """The language in use (for formats that are not messages: dates, amounts)."""
    return _language


@contextmanager
def using(language: str) -> Iterator[None]:
    """Messages in `language` inside the block, then the language in use before."""
    before = _language
    set_language(language)
    try:
        yield
    finally:
        set_language(before)


def english(render: Callable[[], str]) -> str:
    """What `render` words, in English (texts that are stored or go into JSON)."""
    with using("en"):
        return render()


def _(message: str) -> str:
    """`message` in the language in use."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count` in the language in use."""
    return _translation.ngettext(singular, plural, count)


def word(words: Mapping[str, str], key: str, context: str | None = None) -> str:
    """`key`'s word from a table of `N_`-marked (or `NP_`-marked, in `context`) words,
    translated; `key` itself when the table has none (a value from a newer database, say)."""
    found = words.get(key)
    if not found:
        return key
    return pgettext(context, found) if context else _(found)


def pgettext(context: str, message: str) -> str:
    """`message` in the language in use, as meant in `context` (one English word, two
    meanings: the status "due" and the column "due")."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Marks `message` for the catalog without translating it (translate it with `_()` where
    it is shown)."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks `message` in `context` for the catalog (translate it with `pgettext`)."""
    return message


class Message(str):
    """A text pointwatch composes that may end up in JSON as well as before people: as a
    string it is the English text (JSON, stored values); `shown` gives it in the language in
    use. `msgid` is marked with `N_` where it is written: Message(N_("row {line}: …"), line=3).
    """

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, /, **params: object) -> Message:
        text = super().__new__(cls, msgid.format(**params))
        text.msgid, text.params = msgid, params
        return text
