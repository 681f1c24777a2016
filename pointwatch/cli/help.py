"""`--help` in the language in use: command docstrings and option help are English in the code
and translated when the help is shown (click reads them at import time, before the language
is known).

The help of a command is translated paragraph by paragraph (an `Example:` block keeps its
commands, only its heading is translated); option help as a whole. `extract` hands the same
texts to Babel (it is the extraction method of every module, `[tool.babel]` in pyproject.toml),
so they are in the catalog like any `_()` message. Japanese text is
wrapped by terminal cells (a character takes two).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import click

from pointwatch.i18n import N_, _, language

EXAMPLE = "Example:"
NO_REWRAP = "\b"
# click's own words on a help page, translated through our catalog
CLICK_WORDS = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Arguments"),
    N_("Show this message and exit."), N_("Show the version and exit."),
)  # fmt: skip


def help_paragraphs(text: str) -> list[str]:
    """The translatable paragraphs of a command's help (cleaned like click does): each
    paragraph without click's no-rewrap marker, and the heading of an example block."""
    from inspect import cleandoc

    found = []
    for paragraph in cleandoc(text).split("\n\n"):
        body = paragraph.removeprefix(NO_REWRAP + "\n")
        if body.startswith(EXAMPLE):
            found.append(EXAMPLE)
        elif body.strip():
            found.append(body)
    return found


def translated_text(text: str) -> str:
    """A command's help in the language in use, paragraph by paragraph."""
    from inspect import cleandoc

    paragraphs = []
    for paragraph in cleandoc(text).split("\n\n"):
        raw = paragraph.startswith(NO_REWRAP + "\n")
        body = paragraph.removeprefix(NO_REWRAP + "\n")
        if body.startswith(EXAMPLE):
            body = _(EXAMPLE) + body.removeprefix(EXAMPLE)
        elif body.strip():
            body = _(body)
        paragraphs.append(NO_REWRAP + "\n" + body if raw else body)
    return "\n\n".join(paragraphs)


def _short_help(text: str) -> str:
    """The first sentence of a translated help, without its asides in parentheses (the list of
    commands gives each one line or two; click finds English sentences by '. ')."""
    first = text.split("\n\n")[0].removeprefix(NO_REWRAP + "\n")
    short, depth = "", 0
    for char in first:
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(depth - 1, 0)
        elif depth == 0:
            short += char
            if char == "。":
                break
    return short.strip()


@contextmanager
def translated(ctx: click.Context, command: click.Command) -> Iterator[None]:
    """The help texts of `command` (and of its subcommands' short help) in the language in use
    while the block runs; English again afterwards."""
    if language() == "en":
        yield
        return
    with ExitStack() as stack:
        stack.enter_context(_swapped(command, ctx))
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    stack.enter_context(_swapped(sub, None))
        yield


@contextmanager
def _swapped(command: click.Command, ctx: click.Context | None) -> Iterator[None]:
    saved: list[tuple[Any, str, Any]] = []

    def swap(owner: Any, attribute: str, value: Any) -> None:
        saved.append((owner, attribute, getattr(owner, attribute)))
        setattr(owner, attribute, value)

    if command.help:
        text = translated_text(command.help)
        swap(command, "help", text)
        if not command.short_help:
            swap(command, "short_help", _short_help(text))
    elif command.short_help:
        swap(command, "short_help", _(command.short_help))
    if command.epilog:
        swap(command, "epilog", translated_text(command.epilog))
    params = command.get_params(ctx) if ctx is not None else []
    for param in params:
        text = getattr(param, "help", None)
        if text:
            swap(param, "help", _(text))
    try:
        yield
    finally:
        for owner, attribute, value in reversed(saved):
            setattr(owner, attribute, value)


# --- wrapping by terminal cells ------------------------------------------------------------


def cells(text: str) -> int:
    """Terminal cells `text` takes (wide and full-width characters take two)."""
    if text.isascii():
        return len(text)
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def wrap_cells(text: str, width: int) -> list[str]:
    """One paragraph in lines of at most `width` cells: broken at a space, or between two
    characters where either is wide (Japanese is written without spaces)."""
    lines: list[str] = []
    line = ""
    for char in " ".join(text.split()):
        if cells(line + char) <= width or not line.strip():
            line += char
            continue
        cut = _break_at(line, char)
        lines.append(line[:cut].rstrip())
        line = line[cut:].lstrip() + char
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _break_at(line: str, following: str) -> int:
    """Where to end `line` when `following` does not fit: after its last space or wide
    character (never before a closing mark such as 。or 、), else here."""
    for index in range(len(line), 0, -1):
        before = line[index - 1]
        after = line[index] if index < len(line) else following
        if after in "。、）」』,.)" or before in "（「『(":
            continue
        if before == " " or cells(before) == 2 or cells(after) == 2:
            return index
    return len(line)


class HelpFormatter(click.HelpFormatter):
    """click's formatter with its own words translated and non-ASCII text wrapped by cells."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else _("Usage:") + " ")

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(_(name)):
            yield

    def write_text(self, text: str) -> None:
        if text.isascii():
            super().write_text(text)
            return
        indent = " " * self.current_indent
        for number, paragraph in enumerate(text.split("\n\n")):
            if number:
                self.write("\n")
            if paragraph.startswith(NO_REWRAP + "\n"):
                lines = paragraph.removeprefix(NO_REWRAP + "\n").splitlines()
            else:
                lines = wrap_cells(paragraph, max(self.width - self.current_indent, 20))
            self.write("".join(f"{indent}{line}\n" for line in lines))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if all(second.isascii() for _first, second in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max(len(first) for first, _second in rows), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_cells(second, max(self.width - first_col - 2, 10))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class Context(click.Context):
    """Help pages in the language in use (see `translated`)."""

    formatter_class = HelpFormatter

    def get_help(self) -> str:
        prepare = getattr(self.find_root().obj, "prepare_help", None)
        if prepare is not None:  # the App: the config's language applies
            prepare()
        with translated(self, self.command):
            return super().get_help()


# --- extraction (Babel) ---------------------------------------------------------------------

_HELP_KEYWORDS = ("help", "short_help", "epilog")


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """The Babel extraction method of every module (`[tool.babel]` in pyproject.toml): its
    `_()`, `ngettext()`, `N_()` and `NP_()` messages, and in the command modules the help of
    every click command (docstring paragraphs, as `cli.help` translates them) and parameter
    (`help=`)."""
    import ast

    from babel.messages.extract import extract_python

    source = fileobj.read()
    fileobj.seek(0)
    for lineno, function, messages, comments in extract_python(
        fileobj, [*keywords, "NP_"], comment_tags, options
    ):
        # NP_(context, message) marks what pgettext(context, message) translates
        yield lineno, "pgettext" if function == "NP_" else function, messages, comments
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_command(node):
            docstring = ast.get_docstring(node, clean=True)
            for paragraph in help_paragraphs(docstring or ""):
                yield node.lineno, None, paragraph, []
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg in _HELP_KEYWORDS
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    texts = (
                        help_paragraphs(value.value) if keyword.arg == "epilog" else [value.value]
                    )
                    for text in texts:
                        yield value.lineno, None, text, []


def _is_command(node: Any) -> bool:
    """Decorated with click.command/group or a group's .command/.group."""
    import ast

    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in ("command", "group"):
            return True
    return False
