"""The language of human output: gettext catalogs (Babel extracts and compiles them; the .po
sources and compiled .mo files ship in pointwatch/locales/). JSON never changes with it.

Messages are English in the code, wrapped in `_()` (or `ngettext()` where a count decides the
form); `set_language` picks the catalog once per command (the CLI) or per run (the daemon).
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from pathlib import Path

LANGUAGES = ("ja", "en")
DOMAIN = "pointwatch"
LOCALE_DIR = Path(__file__).parent / "locales"
# The variables gettext itself consults, in its order: the first one set decides.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


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
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    )


def language() -> str:
    """The language in use (for formats that are not messages: dates, amounts)."""
    return _language


def _(message: str) -> str:
    """`message` in the language in use."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count` in the language in use."""
    return _translation.ngettext(singular, plural, count)
