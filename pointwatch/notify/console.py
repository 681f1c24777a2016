"""Console channel: writes notifications where the command's output goes."""

from __future__ import annotations

from collections.abc import Callable

from pointwatch.errors import DeliveryFailed
from pointwatch.notify.base import Notification


class ConsoleChannel:
    """Writes the title and the body through `write` (the CLI passes `click.echo`)."""

    name = "console"

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write

    def __repr__(self) -> str:
        return "ConsoleChannel()"

    def send(self, notification: Notification) -> None:
        text = notification.title
        if notification.body:
            text += "\n" + notification.body
        try:
            self._write(text)
        except OSError as exc:  # a closed pipe or a full disk behind a redirect
            raise DeliveryFailed(f"{self.name}: cannot write: {exc}") from exc
