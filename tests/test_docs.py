"""Docs that work as written: every `pointwatch` command of README.md and docs/*.md (fenced
```sh blocks, and `$ pointwatch` lines of ```console blocks) runs, in order, in a fresh
environment; so does every line of every command's `Example:` block, in the order of the
command tree, in another. Files the commands name are written here first (small), and the
clock is frozen on one day, so statuses and numbers are the same on every run.

A command that is meant to fail, or that would wait for a server or run forever, is listed in
EXPECTED or SKIPPED with the reason.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from pointwatch.campaigns import (
    CAMPAIGN_KEYS,
    CONDITION_KEYS,
    CONDITION_MATCH_KEYS,
    GRANT_KEYS,
    ISSUER_KEYS,
    MATCH_KEYS,
    PROFILE_KEYS,
    WAIVER_KEYS,
)
from pointwatch.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NOW = "2026-03-02 10:00:00+09:00"  # a Monday: the 2026-02 statement is fixed (since the 12th)
# Where the README's install puts the command (a venv in the checkout, ~/pointwatch).
INSTALLED = re.compile(r"(%h|\$HOME|~)/pointwatch/\.venv/bin/pointwatch")

# Commands meant to exit with another code than 0: (code, why).
EXPECTED = {
    "pointwatch remind --check --quiet": (1, "alerts are open; --check says so with exit 1"),
}
SKIPPED = {
    "pointwatch daemon": "runs until stopped",
    "pointwatch --db postgresql+psycopg://me@server/pointwatch restore pointwatch.json": (
        "needs a PostgreSQL server (tests/test_transfer.py restores into one when available)"
    ),
    "pointwatch --db postgresql+psycopg://me@server/pointwatch restore pointwatch-export.json": (
        "needs a PostgreSQL server (tests/test_transfer.py restores into one when available)"
    ),
}

CONFIG = """\
[pointwatch]
timezone = "Asia/Tokyo"

[formats.my-bank]
encoding = "utf-8-sig"
date = { column = "Date", format = "%Y-%m-%d" }
amount = { column = "Amount" }
description = { column = "Description" }
"""
ENAVI = """\
"利用日","利用店名・商品名","利用者","支払方法","利用金額","支払手数料","支払総額","2月支払金額","3月繰越残高","新規サイン"
"2026/01/08","楽天市場　ギフトカード購入","本人","1回払い","5000","0","5000","5000","0","*"
"2026/01/18","首都高速道路","ETC","1回払い","1320","0","1320","1320","0","*"
"2026/01/26","ＡＭＡＺＯＮ．ＣＯ．ＪＰ","本人","1回払い","2480","0","2480","2480","0","*"
"""
MONEYFORWARD = """\
"計算対象","日付","内容","金額（円）","保有金融機関","大項目","中項目","メモ","振替","ID"
"1","2026/02/25","給与","250000","みずほ銀行","収入","給与","","0","mf-0001"
"1","2026/02/27","カード引落","-9800","みずほ銀行","カード","引落","","0","mf-0002"
"""
BANK = """\
Date,Description,Amount
2026-02-02,Transfer from savings,"30,000"
2026-02-10,Rent,"-85,000"
"""


# --- extraction ------------------------------------------------------------------------------


def fenced_blocks(text: str) -> Iterator[tuple[str, str]]:
    """(language, body) of every fenced block."""
    for match in re.finditer(r"^```(\S*)\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        yield match[1], match[2]


def command_lines(lines: list[str]) -> list[str]:
    """The `pointwatch` commands among shell lines: continuations joined, comments dropped."""
    commands: list[str] = []
    joined = ""
    for line in lines:
        joined += line.strip()
        if joined.endswith("\\"):
            joined = joined[:-1] + " "
            continue
        command = without_comment(joined).strip()
        joined = ""
        if command.startswith("pointwatch"):
            commands.append(command)
    return commands


def without_comment(line: str) -> str:
    """The line up to a `#` that starts a shell word outside quotes."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index]
    return line


def document_commands(path: Path) -> list[str]:
    commands = []
    for language, body in fenced_blocks(path.read_text(encoding="utf-8")):
        if language == "sh":
            commands += command_lines(body.splitlines())
        elif language == "console":
            prompts = [line[2:] for line in body.splitlines() if line.startswith("$ ")]
            commands += command_lines(prompts)
    return commands


def tree(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command under `group` (the group first), in the order they were added."""
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from tree(command, (*path, name))
        else:
            yield (*path, name), command


def example_lines(command: click.Command) -> list[str]:
    """The lines of the command's `Example:` block (indented, up to the next blank line)."""
    lines = (command.help or "").splitlines()
    if "Example:" not in [line.strip() for line in lines]:
        return []
    start = [line.strip() for line in lines].index("Example:") + 1
    block = []
    for line in lines[start:]:
        if not line.strip():
            break
        block.append(line)
    return block


HELP_COMMANDS = [
    (" ".join(path) or "pointwatch", command)
    for path, command in tree(main)
    if command.help is not None
]


# --- running ---------------------------------------------------------------------------------


@pytest.fixture
def environment(tmp_path, monkeypatch):
    """A fresh home, data and config directory, and its files (the tests freeze the clock on
    NOW themselves: frozen across a fixture's yield, pytest's own timings go wrong)."""
    home = tmp_path / "home"
    work = tmp_path / "work"
    for folder in (home, work):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                      ("XDG_STATE_HOME", "state")):  # fmt: skip
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("POINTWATCH_DB", str(home / "pointwatch.db"))
    monkeypatch.setenv("POINTWATCH_CONFIG", str(home / "config.toml"))
    for name in ("NO_COLOR", "COLUMNS", "POINTWATCH_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(work)
    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    (work / "my-campaigns.toml").write_text(campaign_file(), encoding="utf-8")
    (work / "enavi202602.csv").write_text(ENAVI, encoding="utf-8-sig")
    (work / "mf.csv").write_bytes(MONEYFORWARD.encode("cp932"))
    (work / "bank.csv").write_text(BANK, encoding="utf-8")
    return work


def campaign_file() -> str:
    """docs/campaigns.md asks to save its first TOML block as my-campaigns.toml."""
    text = (ROOT / "docs" / "campaigns.md").read_text(encoding="utf-8")
    return next(body for language, body in fenced_blocks(text) if language == "toml")


def run(command: str, where: str) -> None:
    if command in SKIPPED:
        return
    words = [os.path.expanduser(word) for word in shlex.split(command)]
    target = None
    if len(words) > 2 and words[-2] == ">":
        words, target = words[:-2], Path(words[-1])
    result = CliRunner().invoke(main, words[1:], prog_name="pointwatch")
    code, why = EXPECTED.get(command, (0, ""))
    assert result.exit_code == code, (
        f"{where}: `{command}` exited {result.exit_code}{f' ({why})' if why else ''}\n"
        f"{result.output}{result.exception!r}"
    )
    if target is not None:
        target.write_bytes(result.stdout_bytes)


# --- the tests -------------------------------------------------------------------------------


def test_every_command_of_the_readme_and_docs_runs_as_written(environment) -> None:
    count = 0
    with freeze_time(NOW):
        for path in DOCUMENTS:
            for command in document_commands(path):
                run(command, path.name)
                count += 1
    assert count > 40


def test_every_help_example_runs_as_written(environment) -> None:
    with freeze_time(NOW):
        for name, command in HELP_COMMANDS:
            for line in command_lines(example_lines(command)):
                run(line, f"`{name} --help`")


def test_every_command_has_an_example() -> None:
    missing = [
        name
        for name, command in HELP_COMMANDS
        if not isinstance(command, click.Group) or name == "pointwatch"
        if not command_lines(example_lines(command))
    ]
    assert missing == []


def test_every_block_with_commands_is_run_or_marked_as_a_synopsis() -> None:
    """A command that is not in a ```sh or ```console block would escape this test: blocks
    that show commands are sh or console (run) or text (a synopsis with placeholders)."""
    for path in DOCUMENTS:
        for language, body in fenced_blocks(path.read_text(encoding="utf-8")):
            shows_commands = re.search(r"^(\$ )?pointwatch ", body, re.MULTILINE)
            if shows_commands:
                assert language in ("sh", "console", "text"), (path.name, language, body)
            if language == "sh":
                assert not re.search(r"^\$ ", body, re.MULTILINE), (path.name, body)


def test_the_daily_run_uses_the_installed_command() -> None:
    """cron and systemd need the full path: where the README's install puts the command."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in DOCUMENTS}
    texts |= {name: command.help or "" for name, command in HELP_COMMANDS}
    for name, text in texts.items():
        for path in re.findall(r"[^\s(`'\"=]*/bin/pointwatch\b", text):
            assert INSTALLED.fullmatch(path), (name, path)
        schedule = r"(?:[0-9*/,-]+ ){5}"  # a crontab line's five time fields
        for line in re.findall(rf"^(?:ExecStart=|{schedule}).*$", text, re.MULTILINE):
            assert INSTALLED.search(line), (name, line)
    assert "~/pointwatch/.venv/bin/pointwatch" in texts["README.md"]


def test_no_document_refers_to_a_design_file_outside_the_repository() -> None:
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        assert "DESIGN" not in text, path.name
        for link in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (path.parent / link).exists(), (path.name, link)


@pytest.mark.parametrize(
    ("table", "keys"),
    [("profile", PROFILE_KEYS), ("issuer", ISSUER_KEYS), ("campaign", CAMPAIGN_KEYS),
     ("condition", CONDITION_KEYS), ("grant", GRANT_KEYS), ("waiver", WAIVER_KEYS),
     ("match", MATCH_KEYS), ("condition match", CONDITION_MATCH_KEYS)],
)  # fmt: skip
def test_every_campaign_file_key_is_documented(table, keys) -> None:
    """A key the loader accepts has a row (with an example) in docs/campaigns.md."""
    text = (ROOT / "docs" / "campaigns.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE))
    assert set(keys) <= rows, (table, set(keys) - rows)


def test_every_toml_block_of_the_campaign_doc_loads(tmp_path) -> None:
    from pointwatch.campaigns import load_text

    text = (ROOT / "docs" / "campaigns.md").read_text(encoding="utf-8")
    blocks = [body for language, body in fenced_blocks(text) if language == "toml"]
    assert blocks
    for body in blocks:
        assert load_text(body, "docs/campaigns.md")
