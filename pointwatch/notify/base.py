"""What every channel shares: the message to deliver and the protocol a channel follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Notification:
    """One message to deliver: a stable alert key, a one-line title and a several-line body."""

    key: str
    title: str
    body: str


class Channel(Protocol):
    """Anything that can deliver a notification; `name` is safe to show (no secrets)."""

    name: str

    def send(self, notification: Notification) -> None: ...
