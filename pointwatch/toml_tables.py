"""Reading parsed TOML tables into checked values, collecting every problem as a value.

Each problem names the file, the line (when found) and the key path
(``campaign[2].grant[1].window``); the helpers never raise for bad input, they record it in a
`Problems` and return a default, so that one pass reports every mistake of a file together
(beancount style). `campaigns.py` builds the domain values with them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from typing import Any

from pointwatch.domain.entries import LARGEST_AMOUNT
from pointwatch.domain.texts import Text
from pointwatch.errors import InvalidValue
from pointwatch.i18n import N_, _, word

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# Tables and arrays nested deeper than this are refused: real files need a handful of levels,
# and thousands overflow the parser's recursion (and every recursive walk after it).
MAX_DEPTH = 16


def parse_toml(text: str) -> dict[str, Any]:
    """tomllib.loads, with nesting deeper than MAX_DEPTH refused as a TOMLDecodeError."""
    too_deep = tomllib.TOMLDecodeError(f"tables or arrays nested more than {MAX_DEPTH} deep")
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise too_deep from None
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return data


class Problems:
    """Collects problems as values; each names file, line (when found) and key path."""

    def __init__(self, source: str, locate: Callable[[str], int | None]) -> None:
        self.source = source
        self.locate = locate
        self._found: list[tuple[int, int, str]] = []

    def add(self, path: str, message: str) -> None:
        line = self.locate(path)
        where = f"{self.source}:{line}" if line else self.source
        self._found.append((line or 0, len(self._found), f"{where}: {path}: {message}"))

    @property
    def items(self) -> list[str]:
        """In file order, so the list reads top to bottom like the file."""
        return [text for _line, _seq, text in sorted(self._found)]


def tables(data: dict[str, Any], key: str, path: str, problems: Problems) -> list[dict]:
    """The array of tables `[[path.key]]` in `data` (none if absent or not an array of tables)."""
    value = data.get(key, [])
    where = f"{path}.{key}" if path else key
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        problems.add(where, _("expected [[{value}]] tables").format(value=where.split("[")[0]))
        return []
    return value


def check_keys(
    table: dict[str, Any], allowed: tuple[str, ...], path: str, problems: Problems
) -> None:
    """Record every key of `table` that is not `allowed`."""
    for key in table:
        if key not in allowed:
            problems.add(
                f"{path}.{key}",
                _("unknown key (expected one of: {allowed})").format(allowed=", ".join(allowed)),
            )


def get(
    table: dict[str, Any],
    key: str,
    path: str,
    problems: Problems,
    kind: type | tuple[type, ...],
    required: bool = True,
    default: Any = None,
) -> Any:
    """`table[key]` if it is of type `kind` (a bool is no int), else `default` and a problem."""
    if key not in table:
        if required:
            problems.add(f"{path}.{key}", _("missing (required)"))
        return default
    value = table[key]
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        expected = (
            kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        )
        problems.add(
            f"{path}.{key}",
            _("expected {type_word}, got {value!r}").format(
                type_word=_type_word(expected), value=value
            ),
        )
        return default
    return value


_TYPE_WORDS = {"str": N_("a string"), "int": N_("an integer"), "list": N_("a list"),
               "dict": N_("a table")}  # fmt: skip


def get_text(
    table: dict[str, Any], key: str, path: str, problems: Problems, required: bool = False
) -> Text | None:
    """`table[key]` as a `Text`: a string, or a table `{ ja = "…", en = "…" }` (one language or
    both); None when required and missing or wrong, else an empty text."""
    if key not in table:
        if required:
            problems.add(f"{path}.{key}", _("missing (required)"))
            return None
        return Text("")
    value = table[key]
    if isinstance(value, str):
        return Text(value)
    if (
        isinstance(value, dict)
        and value
        and set(value) <= {"ja", "en"}
        and all(isinstance(item, str) and item.strip() for item in value.values())
    ):
        return Text(value.get("en") or value["ja"], value.get("ja", ""))
    problems.add(
        f"{path}.{key}",
        _('expected a text or a table {{ ja = "…", en = "…" }}, got {value!r}').format(value=value),
    )
    return None if required else Text("")


def _type_word(name: str) -> str:
    return word(_TYPE_WORDS, name)


def identifier(table: dict[str, Any], path: str, problems: Problems) -> str | None:
    """The table's `id`: required, lowercase letters, digits, '.', '_' and '-'."""
    value = get(table, "id", path, problems, str)
    if value is not None and not ID_PATTERN.match(value):
        problems.add(
            f"{path}.id",
            _("{value!r}: expected lowercase letters, digits, '.', '_', '-'").format(value=value),
        )
        return None
    return value


def positive_int(
    table: dict[str, Any],
    key: str,
    path: str,
    problems: Problems,
    required: bool = True,
    default: int | None = None,
    allow_zero: bool = False,
    maximum: int = LARGEST_AMOUNT,
) -> int | None:
    """`table[key]` if it is an integer above 0 (or 0 with `allow_zero`) and at most `maximum`
    (by default what a database integer holds), else `default`."""
    value = get(table, key, path, problems, int, required, default)
    if value is None or value is default:
        return value
    if value < 0 or (value == 0 and not allow_zero):
        floor = _("0 or more") if allow_zero else _("a positive integer")
        problems.add(
            f"{path}.{key}", _("expected {floor}, got {value}").format(floor=floor, value=value)
        )
        return default
    if value > maximum:
        problems.add(f"{path}.{key}", f"expected at most {maximum:,}, got {value:,}")
        return default
    return value


def attempt(problems: Problems, path: str, build: Callable[[], Any]) -> Any:
    """`build()`, or None and a problem if the domain refuses the value (InvalidValue)."""
    try:
        return build()
    except InvalidValue as exc:
        problems.add(path, exc.message)
        return None


# --- locating key paths in the text ----------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.]+)\s*\]\]")
_PATH_PART = re.compile(r"([A-Za-z0-9_]+)(?:\[(\d+)\])?")


def line_locator(text: str) -> Callable[[str], int | None]:
    """Best effort: map a key path like `campaign[2].grant[1].window` to its line number."""
    lines = text.splitlines()
    headers: list[tuple[int, str]] = []  # (line number, table name)
    for number, line in enumerate(lines, 1):
        match = _HEADER.match(line)
        if match:
            headers.append((number, match.group(1)))

    def locate(path: str) -> int | None:
        parts = _PATH_PART.findall(path)
        table_name, start, index_path = "", 0, []
        for name, index in parts:
            if not index:
                break
            index_path.append((name, int(index)))
        if not index_path:
            return None
        # Walk the headers: the Nth [[campaign]], then the Mth [[campaign.grant]] after it.
        cursor = 0
        for depth, (_name, index) in enumerate(index_path):
            table_name = ".".join(n for n, _ in index_path[: depth + 1])
            seen = 0
            for position in range(cursor, len(headers)):
                number, header = headers[position]
                if depth > 0 and header == index_path[0][0]:
                    break  # next top-level table: stop searching
                if header == table_name:
                    seen += 1
                    if seen == index:
                        start, cursor = number, position + 1
                        break
            else:
                return start or None
            if seen != index:
                return start or None
        key = parts[len(index_path)][0] if len(parts) > len(index_path) else None
        end = headers[cursor][0] if cursor < len(headers) else len(lines) + 1
        if key:
            pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
            for number in range(start, end):
                if pattern.match(lines[number - 1]):
                    return number
        return start

    return locate
