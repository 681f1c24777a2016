"""Which language human output uses: --lang, else the config's `language`, else the locale."""

from __future__ import annotations

import pytest

from pointwatch import i18n
from pointwatch.i18n import locale_language


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL wins over LANG
        ({"LANGUAGE": "ja:en", "LANG": "C"}, "ja"),  # LANGUAGE first, a list
        ({"LC_MESSAGES": "ja_JP.eucJP"}, "ja"),  # installed or not, it asks for Japanese
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANGUAGE": "", "LANG": "ja_JP"}, "ja"),  # an empty variable does not decide
    ],
)
def test_the_locale_decides_when_nothing_else_does(environ, expected) -> None:
    assert locale_language(environ) == expected


def test_lang_option_beats_config_and_locale(pw, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    pw.write_config('[pointwatch]\nlanguage = "ja"\n')
    pw.ok("--lang", "en", "status")
    assert i18n.language() == "en"
    pw.ok("status")
    assert i18n.language() == "ja"


def test_config_language_beats_the_locale(pw, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    pw.write_config('[pointwatch]\nlanguage = "en"\n')
    pw.ok("status")
    assert i18n.language() == "en"


def test_an_unknown_language_is_a_usage_error(pw) -> None:
    assert "'fr' is not one of 'ja', 'en'" in pw.fails("--lang", "fr", "status")
