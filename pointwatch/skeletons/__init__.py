"""Commented campaign files to start from (`pointwatch campaign new KIND`): one TOML file per
kind, each loadable as it is. Not the catalog: nothing here is a real campaign."""

from __future__ import annotations

from importlib import resources

KINDS = ("signup-bonus", "fee-waiver", "two-step", "point-up", "cashback")


def skeleton(kind: str) -> str:
    """The commented campaign file of `kind` (one of KINDS)."""
    if kind not in KINDS:
        raise ValueError(f"{kind!r}: expected one of {', '.join(KINDS)}")
    return resources.files(__name__).joinpath(f"{kind}.toml").read_text(encoding="utf-8")
