"""Read one CSV file: decode it, find its format, hand the rows to the format.

Decoding tries UTF-8 (with or without BOM), then CP932 (Shift_JIS as Windows writes it), unless
the format names its own encoding. Problems with the file as a whole raise InvalidValue naming
the file; problems with single rows come back as RowProblem values.
"""

from __future__ import annotations

import csv
import gc
import io
import re
from collections.abc import Callable, Iterator, Mapping
from itertools import chain, islice
from pathlib import Path
from typing import Any

from pointwatch.domain.entries import LARGEST_AMOUNT
from pointwatch.errors import InvalidValue
from pointwatch.i18n import N_, Message, _
from pointwatch.importers.base import (
    CsvFormat,
    ImportedEntry,
    ParsedFile,
    RowProblem,
    clean_header,
)

DEFAULT_ENCODINGS = ("utf-8-sig", "cp932")
PROGRESS_EVERY = 1000
_LINES_CHUNK = 1 << 20  # characters of the text handed to the csv reader at a time
_BOM = b"\xef\xbb\xbf"
_HEADER_SPAN = 1 << 16  # characters read to find the header row when detecting the format
HEADER_SEARCH = 30  # records searched for the header (title lines may stand above it)
_HEADER_SHOWN = 200  # characters of an unrecognised header quoted in the error


def read_csv(
    path: Path,
    formats: Mapping[str, CsvFormat],
    format_name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ParsedFile:
    label = path.name
    chosen: CsvFormat | None = None
    if format_name is not None:
        chosen = formats.get(format_name)
        if chosen is None:
            raise InvalidValue(
                _('unknown format "{format_name}"; known formats: {formats}').format(
                    format_name=format_name, formats=", ".join(formats)
                )
            )

    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidValue(
            _("{label}: cannot read the file ({strerror})").format(
                label=label, strerror=error.strerror
            )
        ) from None

    own = _encoding_of(chosen)
    if own:
        text, encoding = _decode(data, (own,), label, f"{own} (the encoding of {format_name})")
    else:
        candidates = DEFAULT_ENCODINGS
        if chosen is None:  # a configured format may name an encoding the defaults miss
            extra = (_encoding_of(fmt) for fmt in formats.values())
            candidates += tuple(dict.fromkeys(e for e in extra if e and e not in candidates))
        text, encoding = _decode(data, candidates, label, "UTF-8 or CP932 (Shift_JIS)")
    if not text or text.isspace():  # (text.strip() would copy the whole file)
        raise InvalidValue(_("{label}: the file is empty").format(label=label))

    if chosen is None:
        chosen = _detect(text, formats, label)
        own = _encoding_of(chosen)
        if own and own != encoding:
            text, encoding = _decode(data, (own,), label, f"{own} (the encoding of {chosen.name})")

    del data  # only the text is read from here on
    controls = _CONTROL.search(text) is not None
    if controls:  # (rare) marked, and the rows holding them refused after extraction
        text = _CONTROL.sub(_MARK, text)
    delimiter = getattr(chosen, "delimiter", ",")
    reader = csv.reader(_lines(text), delimiter=delimiter)
    count = [0, 0]  # records read, first line of the last one
    before = [0]  # records above the first row (the header, title lines): not reported as rows
    report = None if progress is None else (lambda done: progress(done - before[0]))
    records = _numbered_rows(reader, count, report)
    try:
        head = list(islice(records, HEADER_SEARCH))
    except csv.Error as error:
        raise InvalidValue(
            _("{label}: line {line_num}: not valid CSV ({error})").format(
                label=label, line_num=reader.line_num, error=error
            )
        ) from None
    # named: detection found this format already, or the user chose it
    found = _header_of(chosen, head, named=True)
    if found is None:
        skipped = getattr(chosen, "skip_lines", 0)
        first = next((row for line, row in head if line > skipped), [])
        expected = getattr(chosen, "expected_header", None)
        wanted = f"; expected the columns {expected}" if expected else ""
        raise InvalidValue(
            _('{label}: the header "{shown}" does not look like a {name} file{wanted}').format(
                label=label,
                shown=_shown(clean_header(first), delimiter),
                name=chosen.name,
                wanted=wanted,
            )
        )
    start, header = found
    before[0] = start

    # Every row allocates a few container objects that live until the end; the cyclic garbage
    # collector would rescan them again and again (about a third of the parse time for 100,000
    # rows). Nothing here makes cycles, so it is paused for the loop and restored after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        extracted = chosen.extract(chain(head[start:], records), header)
    except csv.Error as error:
        raise InvalidValue(
            _("{label}: line {line_num}: not valid CSV ({error})").format(
                label=label, line_num=reader.line_num, error=error
            )
        ) from None
    finally:
        if collecting:
            gc.enable()
    if count[0] <= start:
        raise InvalidValue(_("{label}: the file has a header but no rows").format(label=label))
    entries, problems = extracted.entries, extracted.problems
    last = count[1]
    if _ends_inside_quotes(text) and not any(problem.row == last for problem in problems):
        # A download cut off inside a quoted cell: csv hands back the part it got, as if whole.
        entries = [entry for entry in entries if entry.row < last]
        problems = [
            *problems,
            RowProblem(last, "", Message(N_(
                "row {line}: the file ends inside a quoted cell; the row looks cut off "
                "(download the file again)"), line=last)),
        ]  # fmt: skip
    if controls or _LONG_NUMBER.search(text):
        entries, problems = _refused_values(entries, problems)
    return ParsedFile(
        chosen.name, entries, problems, extracted.statement, encoding, extracted.provisional
    )


# Control characters (C0 but tab and line breaks, DEL, C1) have no place in a statement: a NUL
# is a damaged download, an escape sequence an attack on the terminal. The rows holding one are
# refused, naming the row (like any bad row: nothing imported, or --skip-bad-rows).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MARK = "\ufffe"  # a noncharacter: stands in for a control character while the csv is read
# A run of 19 digits (separators allowed) may not fit the database's signed 64-bit integer.
_LONG_NUMBER = re.compile("[0-9０-９][0-9０-９,，]{18,}")


def _refused_values(
    entries: list[ImportedEntry], problems: list[RowProblem]
) -> tuple[list[ImportedEntry], list[RowProblem]]:
    """Entries holding a control character or an amount beyond LARGEST_AMOUNT become row
    problems (checked only when the text has either, so a plain file pays one scan)."""
    kept, refused = [], []
    for entry in entries:
        if not -LARGEST_AMOUNT <= entry.amount <= LARGEST_AMOUNT:
            refused.append(
                RowProblem(entry.row, str(entry.amount), f"row {entry.row}: amount "
                           f"{entry.amount:,} is too large (at most {LARGEST_AMOUNT:,})")
            )  # fmt: skip
        elif any(_MARK in text for text in (entry.description, entry.ref, entry.group)):
            refused.append(
                RowProblem(entry.row, entry.description.replace(_MARK, "?"), f"row {entry.row}: "
                           "contains a control character (such as NUL), which no statement "
                           "prints; the file looks damaged — download it again")
            )  # fmt: skip
        else:
            kept.append(entry)
    if not refused:
        return entries, problems
    problems = sorted([*problems, *refused], key=lambda problem: problem.row)
    return kept, problems


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` exactly as io.StringIO(text, newline="") yields them, a chunk at a
    time: a StringIO of a whole 100,000-line file would hold a second copy of it at 4 bytes a
    character. Chunks end just after a "\n", where such a line always ends."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start + _LINES_CHUNK)
        end = size if end < 0 else end + 1
        yield from io.StringIO(text[start:end], newline="")
        start = end


def _encoding_of(fmt: CsvFormat | None) -> str | None:
    return getattr(fmt, "encoding", None) if fmt is not None else None


def _decode(data: bytes, encodings: tuple[str, ...], label: str, named: str) -> tuple[str, str]:
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if encoding == "utf-8-sig" and not data.startswith(_BOM):
            encoding = "utf-8"
        return text, encoding
    raise InvalidValue(
        _("{label}: cannot decode as {named}; re-download the CSV").format(label=label, named=named)
    )


def _ends_inside_quotes(text: str) -> bool:
    """Whether the text stops inside a quoted cell: no final line break and an odd number of
    quote characters (escaped quotes come in pairs)."""
    return not text.endswith("\n") and text.count('"') % 2 == 1


def _header_of(
    fmt: CsvFormat, records: list[tuple[int, list[str]]], named: bool
) -> tuple[int, list[str]] | None:
    """Where the rows start and the header, by the format's own search where it has one;
    otherwise the first record must be the header."""
    find = getattr(fmt, "find_header", None)
    if find is not None:
        found: tuple[int, list[str]] | None = find(records, named)
        return found
    for at, (__, row) in enumerate(records):
        if any(cell.strip() for cell in row):
            header = clean_header(row)
            return (at + 1, header) if fmt.identify(header) else None
    return None


def _shown(header: list[str], delimiter: str) -> str:
    shown = delimiter.join(header)
    return shown if len(shown) <= _HEADER_SHOWN else shown[:_HEADER_SHOWN] + "…"


def _detect(text: str, formats: Mapping[str, CsvFormat], label: str) -> CsvFormat:
    heads: dict[str, list[tuple[int, list[str]]]] = {}
    matches: list[CsvFormat] = []
    for fmt in formats.values():
        delimiter = getattr(fmt, "delimiter", ",")
        if delimiter not in heads:
            # the header is among the first records: no need to copy the whole text for it
            reader = csv.reader(io.StringIO(text[:_HEADER_SPAN], newline=""), delimiter=delimiter)
            try:
                heads[delimiter] = list(islice(_numbered_rows(reader, [0, 0], None), HEADER_SEARCH))
            except csv.Error:
                heads[delimiter] = []
        if _header_of(fmt, heads[delimiter], named=False) is not None:
            matches.append(fmt)
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(fmt.name for fmt in matches)
        raise InvalidValue(
            _(
                "{label}: the header fits several formats ({names}); name one with --format NAME"
            ).format(label=label, names=names)
        )
    head = heads.get(",") or next(iter(heads.values()), [])
    shown = _shown(clean_header(head[0][1]) if head else [], ",")
    raise InvalidValue(
        _(
            '{label}: unrecognised header "{shown}"; looked for formats: '
            "{formats}. Name the format with --format NAME, or describe the file's "
            "columns in a [formats.NAME] table of the configuration (see "
            "config.example.toml)"
        ).format(label=label, shown=shown, formats=", ".join(formats))
    )


def _numbered_rows(
    reader: Any,  # a csv reader: iterates rows and counts physical lines in line_num
    count: list[int],
    progress: Callable[[int], None] | None,
) -> Iterator[tuple[int, list[str]]]:
    """(first physical line of the record, cells) for every non-empty record; a quoted field
    spanning lines makes the next record start further down. At the end `count` holds the
    number of records and the first line of the last one."""
    done = start = 0
    previous_end = reader.line_num
    try:
        if progress is None:  # the loop of every row, kept lean
            for row in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                if row:
                    done += 1
                    yield start, row
            return
        for row in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not row:
                continue
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
            yield start, row
        if done % PROGRESS_EVERY:
            progress(done)
    finally:
        count[0] = done
        count[1] = start
