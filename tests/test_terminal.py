"""Any terminal: East Asian widths, the stacked layout of narrow terminals, ids never cut, one
plain format for every listing when piped, NO_COLOR, and `-h` on every command."""

from __future__ import annotations

import re

import click
import pytest
from rich.cells import cell_len

import pointwatch.formatters.base as base
from pointwatch.cli import main
from pointwatch.formatters.base import Screen, plain_table, table, wrapped

MEMO = "楽天市場　ギフトカード購入"
LONG = "prime-day-2022-gift-card-for-a-friend-who-registers-much-later"  # an enrollment id
LONG_ID = f"{LONG}/recipient"  # 72 cells: wider than a 60-column terminal
ANSI = re.compile(r"\x1b\[")
BOX = re.compile("[┏┃━│└┡╇─]")


@pytest.fixture
def world(pw):
    """A card with a Japanese memo, a points account and the gift case under a long id."""
    pw.ok("account", "add", "rakuten", "--profile", "rakuten-card")
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("join", "amazon-primeday-2022-giftcard", "--on", "2022-07-12", "--id", LONG,
          "--met", "recipient-registered=2022-09-20")  # fmt: skip
    pw.ok("record", "rakuten", "--date", "2026-01-05", "--amount", "5000", "--memo", MEMO)
    pw.ok("record", "rakuten", "--date", "2026-01-06", "--amount", "120", "--memo", "ETC")
    pw.ok("inquiry", "add", LONG_ID, "--channel", "chat", "--at", "2023-02-10 10:00",
          "--summary", "ポイントが付与されていないと問い合わせ", "--promise", "5分以内に付与",
          "--promise-by", "5m")  # fmt: skip
    pw.ok("remind", "--as-of", "2023-02-10")
    return pw


@pytest.fixture
def terminal(monkeypatch):
    """Standard output is a terminal `columns` wide (COLUMNS, as a shell exports it); without
    colour unless asked, so that layout tests read plain text."""

    def make(columns: int, color: bool = False) -> None:
        monkeypatch.setattr(base, "_stdout_is_terminal", lambda: True)
        monkeypatch.setenv("COLUMNS", str(columns))
        if color:
            monkeypatch.delenv("NO_COLOR", raising=False)
        else:
            monkeypatch.setenv("NO_COLOR", "1")

    return make


LISTINGS = {
    "status": ("status", "--as-of", "2023-02-10"),
    "entries": ("entries",),
    "account list": ("account", "list"),
    "account show": ("account", "show", "rakuten"),
    "alerts": ("alerts", "--as-of", "2023-02-10"),
    "inquiry list": ("inquiry", "list", "--as-of", "2023-02-10"),
}


def listing(text: str) -> str:
    """The listing without the lines `status` adds after it (a blank line, then the next step)."""
    return text.split("\n\n")[0]


# --- widths and wrapping ---------------------------------------------------------------------


def test_plain_table_pads_by_terminal_cells() -> None:
    text = plain_table(("id", "description", "amount"), [("1", MEMO, "5,000"), ("2", "ETC", "120")],
                       right=(2,))  # fmt: skip
    lines = text.splitlines()
    # "amount" ends in the same terminal column on every line: Japanese is two cells a character.
    assert len({cell_len(line) for line in lines}) == 1, lines
    assert lines[1].endswith("5,000") and lines[2].endswith("  120")


def test_wrapping_measures_cells_and_breaks_japanese_between_characters() -> None:
    assert wrapped(MEMO, 10) == ["楽天市場", "ギフトカー", "ド購入"]
    assert wrapped("window 2023-01-21 – 2023-01-31", 20) == ["window 2023-01-21 –", "2023-01-31"]
    assert all(cell_len(line) <= 9 for line in wrapped(MEMO + " abc " * 5, 9))


@pytest.mark.parametrize("columns", [80, 60])
def test_a_table_wider_than_the_terminal_is_stacked(columns) -> None:
    rows = [(LONG_ID, "late", "500 points", f"amazon: {MEMO} window 2023-01-21 – 2023-01-31",
             "2023-01-31", "10d"), ("gift/sender", "received", "500 points", "", "", "")]  # fmt: skip
    layout = table(("expectation", "status", "amount", "where / when", "due", "late"), rows,
                   wrap=("where / when",), where=Screen(piped=False, width=columns))  # fmt: skip
    text = layout.plain
    blocks = text.rstrip("\n").split("\n\n")
    assert [block.splitlines()[0] for block in blocks] == [LONG_ID, "gift/sender"]
    first = blocks[0].splitlines()
    assert first[1:3] == ["  status:       late", "  amount:       500 points"]
    assert "  due:          2023-01-31" in first and "  late:         10d" in first
    assert all(cell_len(line) <= columns for line in first[1:])  # only the id may be wider
    # The empty cells of the second row are left out, not shown as empty labels.
    assert blocks[1].splitlines()[1:] == ["  status:       received", "  amount:       500 points"]


def test_a_table_that_fits_stays_a_table() -> None:
    from rich.table import Table

    rows = [("gift/sender", "received", "500 points")]
    layout = table(("expectation", "status", "amount"), rows, where=Screen(False, 60))
    assert isinstance(layout, Table)


# --- through the command line ----------------------------------------------------------------


@pytest.mark.parametrize("columns", [80, 60])
def test_status_and_entries_stack_on_a_narrow_terminal(world, terminal, columns) -> None:
    terminal(columns)
    status = world.ok("status", "--as-of", "2023-02-10")
    assert not BOX.search(status)
    lines = status.splitlines()
    assert LONG_ID in lines  # the id on its own line, whole: no ellipsis, no wrap
    assert "…" not in status
    assert f"{LONG}/sender" in lines
    assert lines[lines.index(LONG_ID) + 1] == "  status:       late"
    blocks = lines[: next(i for i, line in enumerate(lines) if line.startswith("Next:"))]
    body = [line for line in blocks if line not in (LONG_ID, f"{LONG}/sender")]
    assert all(cell_len(line) <= columns for line in body), body

    entries = world.ok("entries")
    assert not BOX.search(entries)
    blocks = entries.rstrip("\n").split("\n\n")
    assert [block.splitlines()[0] for block in blocks] == ["1", "2"]
    first = blocks[0].splitlines()
    assert f"  description: {MEMO}" in first  # 26 cells: fits beside its label at 60 columns
    assert all(cell_len(line) <= columns for line in entries.splitlines())


def test_a_wide_terminal_gets_a_table_with_whole_ids(world, terminal) -> None:
    terminal(200)
    status = world.ok("status", "--as-of", "2023-02-10")
    assert BOX.search(status)
    assert any(LONG_ID in line and "late" in line for line in status.splitlines())
    entries = world.ok("entries")
    row = next(line for line in entries.splitlines() if MEMO in line)
    header = next(line for line in entries.splitlines() if "description" in line)
    # Columns after the Japanese memo line up with their headers (measured in cells).
    assert cell_len(row[: row.index("2026-02")]) == cell_len(header[: header.index("statement")])


@pytest.mark.parametrize("name", LISTINGS)
def test_every_listing_is_plain_text_when_piped(world, name) -> None:
    text = world.ok(*LISTINGS[name])
    table_text = listing(text)
    assert not BOX.search(text) and not ANSI.search(text), text
    header, *rows = table_text.splitlines()
    assert rows, text
    columns = re.split(r"\s{2,}", header.strip())
    assert columns[0] in ("expectation", "id", "account")
    # Each column starts at the same terminal cell on every line: the cell before it is a space
    # (or the line ended), never a letter or half of a Japanese character.
    starts = [cell_len(header[: match.start()]) for match in re.finditer(r"(?<=\s\s)\S", header)]
    for row in rows:
        for start in starts:
            assert _at_cell(row, start - 1) in (" ", ""), (row, start)


def _at_cell(line: str, cell: int) -> str | None:
    """The character that begins at terminal cell `cell`, "" past the end, None mid-character."""
    position = 0
    for char in line:
        if position == cell:
            return char
        position += cell_len(char)
        if position > cell:
            return None
    return ""


def test_piped_json_and_plain_carry_no_colour(world, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert not ANSI.search(world.ok("status", "--as-of", "2023-02-10"))


def test_no_color_is_honoured_at_a_terminal(world, terminal, monkeypatch) -> None:
    terminal(200, color=True)
    assert ANSI.search(world.ok("status", "--as-of", "2023-02-10"))  # colour by default
    monkeypatch.setenv("NO_COLOR", "1")
    for args in LISTINGS.values():
        assert not ANSI.search(world.ok(*args)), args
    terminal(60)  # the stacked layout too
    assert not ANSI.search(world.ok("status", "--as-of", "2023-02-10"))


def test_an_empty_no_color_means_colour(world, terminal, monkeypatch) -> None:
    terminal(60, color=True)
    monkeypatch.setenv("NO_COLOR", "")
    assert ANSI.search(world.ok("status", "--as-of", "2023-02-10"))


# --- -h ----------------------------------------------------------------------------------------


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


@pytest.mark.parametrize("path", [(), *_commands(main)], ids=" ".join)
def test_dash_h_is_help_on_every_command(pw, path) -> None:
    long = pw.runner.invoke(main, [*path, "--help"], prog_name="pointwatch")
    short = pw.runner.invoke(main, [*path, "-h"], prog_name="pointwatch")
    assert long.exit_code == short.exit_code == 0, short.output
    assert short.output == long.output
    assert "-h, --help" in short.output


# --- wording of the listings -------------------------------------------------------------------


def test_billing_cycles_read_as_ordinals(pw) -> None:
    out = pw.ok("account", "add", "epos", "--closing-day", "1", "--payment-day", "22",
                "--statement-ready-day", "3")  # fmt: skip
    assert "closes the 1st, paid the 22nd of the next month" in out and "fixed on the 3rd" in out
    assert "closes the 11th, paid the 21st" in pw.ok(
        "account", "add", "jcb", "--closing-day", "11", "--payment-day", "21"
    )


def test_campaign_show_words_amounts_with_their_unit(pw) -> None:
    text = pw.ok("campaign", "show", "amazon-primeday-2022-giftcard")
    assert "grant sender: 500 points to role 'points'" in text
    assert "waiver annual-fee: 11,000 JPY on role 'card'" in pw.ok(
        "campaign", "show", "rakuten-premium-annual-fee-free-3y"
    )
