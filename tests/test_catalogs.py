"""The gettext catalogs shipped in pointwatch/locales/ are up to date and complete: what the code
asks for now is in the template and the Japanese .po, every message has a Japanese translation
that keeps its placeholders, and the compiled .mo is the .po compiled. README "Language" has
the commands that bring them up to date."""

from __future__ import annotations

import io
import os
from pathlib import Path
from string import Formatter

import pytest

babel = pytest.importorskip("babel")  # a test dependency (pyproject [test])

from babel.messages.frontend import CommandLineInterface  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "pointwatch" / "locales"
TEMPLATE = LOCALES / "pointwatch.pot"
JA_PO = LOCALES / "ja" / "LC_MESSAGES" / "pointwatch.po"
JA_MO = LOCALES / "ja" / "LC_MESSAGES" / "pointwatch.mo"
UPDATE = 'run the catalog commands of README "Language"'


def keys(catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def read(path: Path):
    with path.open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str | None, str]]:
    """The messages of the code as it is now, extracted as README says."""
    out = tmp_path_factory.mktemp("catalog") / "now.pot"
    before = Path.cwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(
            ["pybabel", "-q", "extract", "-F", "pyproject.toml", "--no-location",
             "--sort-output", "--no-wrap", "--omit-header", "-o", str(out), "pointwatch"]
        )  # fmt: skip
    finally:
        os.chdir(before)
    return keys(read(out))


def test_the_template_has_every_message_of_the_code(extracted) -> None:
    shipped = keys(read(TEMPLATE))
    assert not extracted - shipped, f"messages missing from pointwatch.pot: {UPDATE}"
    assert not shipped - extracted, f"pointwatch.pot holds messages the code dropped: {UPDATE}"


def test_the_japanese_catalog_has_every_message_of_the_code(extracted) -> None:
    japanese = keys(read(JA_PO))
    missing = sorted(str(key) for key in extracted - japanese)
    assert not missing, f"messages missing from ja/…/pointwatch.po ({UPDATE}): {missing[:10]}"
    dropped = sorted(str(key) for key in japanese - extracted)
    assert not dropped, f"ja/…/pointwatch.po holds dropped messages ({UPDATE}): {dropped[:10]}"


def test_every_message_has_a_japanese_translation_with_its_placeholders() -> None:
    untranslated, broken = [], []
    for message in read(JA_PO):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(texts):
            untranslated.append(ids[0])
            continue
        wanted = _fields(ids[0])
        if any(_fields(text) != wanted for text in texts):
            broken.append(ids[0])
    assert not untranslated, f"no Japanese translation (or fuzzy): {untranslated[:10]}"
    assert not broken, f"translations that change the placeholders: {broken[:10]}"


def test_the_shipped_mo_is_the_po_compiled() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, read(JA_PO), use_fuzzy=False)
    assert JA_MO.read_bytes() == compiled.getvalue(), f"pointwatch.mo is stale: {UPDATE}"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
