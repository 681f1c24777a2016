"""Apprise channel: delivers through one Apprise URL (ntfy, Slack, Telegram, Discord, …).

apprise is imported on first delivery (`pointwatch --help` stays fast). Apprise URLs usually
hold tokens: names and error messages show only the scheme and the host (`mask_url`).
"""

from __future__ import annotations

import re

from pointwatch.errors import DeliveryFailed
from pointwatch.notify.base import Notification

APPRISE_HELP = "see https://github.com/caronc/apprise/wiki for the URL of each service"


class AppriseChannel:
    """Delivers through one Apprise URL (ntfy, Slack, Telegram, Discord, …).

    apprise is imported on first use. `name` keeps only the scheme and the host of the URL:
    the rest of an Apprise URL usually holds tokens.
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self.name = "apprise:" + mask_url(url)

    def __repr__(self) -> str:  # never shows the URL's tokens
        return f"AppriseChannel({self.name!r})"

    def send(self, notification: Notification) -> None:
        try:
            self._send(notification)
        except DeliveryFailed:
            raise
        except Exception as exc:  # an apprise or plugin bug must not stop the other channels
            reason = _scrub(f"{type(exc).__name__}: {exc}", self._url)
            raise DeliveryFailed(f"{self.name}: {reason}") from None

    def _send(self, notification: Notification) -> None:
        import logging

        import apprise

        # apprise reports why a delivery failed only through its logger; capture the warnings.
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
            service = apprise.Apprise()
            if not service.add(self._url):
                raise DeliveryFailed(
                    f"{self.name}: apprise cannot use this URL (unknown service or missing "
                    "parts); " + APPRISE_HELP
                )
            delivered = service.notify(body=notification.body, title=notification.title)
            captured = log.getvalue()
        if not delivered:
            lines = list(dict.fromkeys(line.strip() for line in captured.splitlines()))
            reason = "; ".join(line for line in lines if line) or "the service did not accept it"
            raise DeliveryFailed(f"{self.name}: not delivered: {_scrub(reason, self._url)}")


_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)", re.DOTALL)
# A host worth showing: a dotted name or IPv4 address, "localhost" or a bracketed IPv6 address.
# Tokens in the host position (slack://TOKEN/…, tgram://BOT:TOKEN/…) have no dot and are hidden.
_SHOWN_HOST = re.compile(
    r"localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|\[[0-9A-Fa-f:.]+\]", re.IGNORECASE
)


def mask_url(url: str) -> str:
    """The URL reduced to scheme and host, e.g. ``ntfys://ntfy.sh/…``; tokens never show."""
    match = _URL.fullmatch(url.strip())
    if not match:
        return "…"
    scheme, netloc, rest = match.groups()
    host = netloc.rpartition("@")[2]
    if not host.startswith("["):
        host = host.partition(":")[0]
    if not _SHOWN_HOST.fullmatch(host):
        return f"{scheme.lower()}://…"
    return f"{scheme.lower()}://{host.lower()}" + ("/…" if rest.strip("/") else "")


def _scrub(text: str, url: str) -> str:
    """Remove from `text` the parts of `url` that `mask_url` hides (best effort)."""
    text = text.replace(url, mask_url(url))
    match = _URL.fullmatch(url.strip())
    if not match:
        return text
    _, netloc, rest = match.groups()
    userinfo, _, host = netloc.rpartition("@")
    secrets = re.split(r"[/:@;,#&+]", userinfo)
    if not _SHOWN_HOST.fullmatch(host.partition(":")[0]):
        secrets += re.split(r"[/:@;,#&+]", host)
    path, _, query = rest.partition("?")
    secrets += re.split(r"[/:@;,#&+]", path)
    secrets += [pair.partition("=")[2] for pair in query.split("&")]
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, "…")
    return text
