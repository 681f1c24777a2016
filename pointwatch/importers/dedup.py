"""Dedup keys: the stable identity of an imported line, so a file imported twice adds nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from pointwatch.importers.base import ImportedEntry


def dedup_keys(account: str, entries: Sequence[ImportedEntry]) -> list[str]:
    """A stable key per entry: the same line of the same account always gets the same key.

    The Nth identical (date, amount, description) within the list gets occurrence N, so two
    identical real purchases in one file stay two entries, while re-importing the file or an
    overlapping download of whole days yields the same keys again. A line with the export's own
    id (`ref`) is told apart by that id instead of its occurrence.
    """
    return list(iter_dedup_keys(account, entries))


def iter_dedup_keys(account: str, entries: Iterable[ImportedEntry]) -> Iterator[str]:
    """dedup_keys one at a time (an import streams them into its insert instead of holding
    100,000 keys). The key text is account, ISO date, amount, description (`key_text` where the
    importer gives one) and occurrence (or "id:" and the line's `ref`) joined by U+001F, hashed
    with BLAKE2b-160: stored keys depend on it, so it must never change."""
    blake2b = hashlib.blake2b
    seen: dict[tuple[date, int, str], int] = {}
    iso: dict[date, str] = {}  # a statement has few distinct dates: format each once
    for __, day, amount, description, __, ref, __, key_text in entries:
        if key_text is not None:
            description = key_text
        when = iso.get(day)
        if when is None:
            when = iso[day] = day.isoformat()
        if ref:
            tail: int | str = f"id:{ref}"
        else:
            same = (day, amount, description)
            tail = seen[same] = seen.get(same, 0) + 1
        text = f"{account}\x1f{when}\x1f{amount}\x1f{description}\x1f{tail}"
        yield blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def legacy_dedup_keys(account: str, entries: Sequence[ImportedEntry]) -> list[str | None] | None:
    """The key each entry had before `key_text` and `ref` existed, where it differs from its
    key now (None elsewhere; None for the whole list when no entry differs), so that a line
    an older version stored is still recognised. Lines printed alike are alike in `key_text`
    and `ref`-lessness, so occurrences are counted among the differing lines alone."""
    changed = [at for at, entry in enumerate(entries) if entry.ref or entry.key_text is not None]
    if not changed:
        return None
    plain = [entries[at]._replace(ref="", key_text=None) for at in changed]
    keys: list[str | None] = [None] * len(entries)
    for at, key in zip(changed, iter_dedup_keys(account, plain), strict=True):
        keys[at] = key
    return keys
