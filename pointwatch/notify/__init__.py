"""Delivery channels: console, SMTP e-mail and Apprise URLs behind one small protocol.

A channel delivers one `Notification` or raises `DeliveryFailed`; the caller decides what a
failure means (the alert stays unsent and is retried on the next run). The channels live in
`console`, `smtp` and `apprise_url`, imported on first use, like smtplib, email and apprise
inside them, so that `pointwatch --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pointwatch.config import NOTIFY_KINDS, read_notify
from pointwatch.errors import DeliveryFailed, InputError
from pointwatch.i18n import _
from pointwatch.notify.base import Channel, Notification

if TYPE_CHECKING:
    from pointwatch.notify.apprise_url import AppriseChannel
    from pointwatch.notify.console import ConsoleChannel
    from pointwatch.notify.smtp import EmailChannel

__all__ = [
    "NOTIFY_KINDS",
    "AppriseChannel",
    "Channel",
    "ConsoleChannel",
    "DeliveryFailed",
    "EmailChannel",
    "Notification",
    "build_channels",
]

_CHANNEL_MODULES = {
    "AppriseChannel": "apprise_url",
    "ConsoleChannel": "console",
    "EmailChannel": "smtp",
}


def __getattr__(name: str) -> Any:
    """The channel classes, imported when first asked for (PEP 562)."""
    if name in _CHANNEL_MODULES:
        import importlib

        module = importlib.import_module(f"{__name__}.{_CHANNEL_MODULES[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build_channels(
    specs: Sequence[Mapping[str, Any]],
    environ: Mapping[str, str],
    write: Callable[[str], None],
) -> list[Channel]:
    """Channels from the configuration's `[[notify]]` tables; none configured → the console.

    The tables are checked against `config.NOTIFY_SPEC` (as loading the config file does).
    Every problem in every table is reported together in one InputError, one line each, named by
    key path (``notify[1].port: expected an integer, got "abc"``; the index counts from 0).
    Passwords come from the environment variable named by `password_env`, never from the file.
    """
    problems: list[str] = []
    channels: list[Channel] = []
    for index, values in enumerate(read_notify(specs, problems)):
        if values is not None:
            channel = _channel(values, f"notify[{index}]", environ, write, problems)
            if channel is not None:
                channels.append(channel)
    if problems:
        raise InputError("\n".join(problems))
    if not channels:
        from pointwatch.notify.console import ConsoleChannel

        return [ConsoleChannel(write)]
    return channels


def _channel(
    values: Mapping[str, Any],
    where: str,
    environ: Mapping[str, str],
    write: Callable[[str], None],
    problems: list[str],
) -> Channel | None:
    """The channel of one checked table; None (and a problem) if its password is not set."""
    if values["kind"] == "console":
        from pointwatch.notify.console import ConsoleChannel

        return ConsoleChannel(write)
    if values["kind"] == "apprise":
        from pointwatch.notify.apprise_url import AppriseChannel

        return AppriseChannel(values["url"])
    from pointwatch.notify.smtp import EmailChannel

    password = None
    if values["password_env"] is not None:
        password = environ.get(values["password_env"])
        if not password:
            problems.append(
                _(
                    "{where}.password_env: the environment variable {password_env} is not "
                    "set; set it to the SMTP password"
                ).format(where=where, password_env=values["password_env"])
            )
            return None
    starttls, ssl = values["starttls"], values["ssl"]
    return EmailChannel(
        host=values["host"],
        port=values["port"] or (587 if starttls else 465 if ssl else 25),
        to=values["to"],
        sender=values["sender"] or values["user"] or "pointwatch@localhost",
        user=values["user"],
        password=password,
        starttls=starttls,
        ssl=ssl,
    )
