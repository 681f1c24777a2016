"""Delivery channels: console, SMTP e-mail and Apprise URLs behind one small protocol.

A channel delivers one `Notification` or raises `DeliveryFailed`; the caller decides what a
failure means (the alert stays unsent and is retried on the next run). Only the standard library
is imported at module level: smtplib, email and apprise are imported inside the methods that use
them, so that `pointwatch --help` stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pointwatch.errors import InputError, PointwatchError

if TYPE_CHECKING:
    from email.message import EmailMessage

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

NOTIFY_KINDS = ("console", "email", "apprise")


@dataclass(frozen=True)
class Notification:
    """One message to deliver: a stable alert key, a one-line title and a several-line body."""

    key: str
    title: str
    body: str


class DeliveryFailed(PointwatchError):
    """A channel could not deliver a notification; the message names the channel and the reason."""


class Channel(Protocol):
    """Anything that can deliver a notification; `name` is safe to show (no secrets)."""

    name: str

    def send(self, notification: Notification) -> None: ...


# --------------------------------------------------------------------------- console


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


# --------------------------------------------------------------------------- e-mail


class EmailChannel:
    """Sends one plain-text UTF-8 message per notification through an SMTP server (smtplib)."""

    def __init__(
        self,
        host: str,
        port: int,
        to: list[str],
        sender: str,
        user: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        ssl: bool = False,
        timeout: float = 10.0,
    ) -> None:
        if starttls and ssl:
            raise InputError("email: choose starttls or ssl, not both")
        if not to:
            raise InputError("email: at least one recipient is needed")
        self.host = host
        self.port = port
        self.to = list(to)
        self.sender = sender
        self.user = user
        self._password = password
        self.starttls = starttls
        self.ssl = ssl
        self.timeout = timeout
        self.name = "email:" + ",".join(self.to)

    def __repr__(self) -> str:  # never shows the password
        return f"EmailChannel({self.name!r} via {self.host}:{self.port})"

    def message(self, notification: Notification) -> EmailMessage:
        """The `email.message.EmailMessage` that `send` would deliver."""
        import email.policy
        from email.message import EmailMessage
        from email.utils import formatdate, make_msgid, parseaddr

        # cte_type="7bit": a Japanese body goes out base64/quoted-printable encoded, so servers
        # without 8BITMIME get it intact too.
        msg = EmailMessage(policy=email.policy.SMTP.clone(cte_type="7bit"))
        msg["Subject"] = "[pointwatch] " + _one_line(notification.title)
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.to)
        msg["Date"] = formatdate(localtime=True)
        # An explicit domain: make_msgid() would otherwise call socket.getfqdn(), a DNS lookup.
        domain = parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"
        msg["Message-ID"] = make_msgid("pointwatch", domain=domain)
        msg["X-Pointwatch-Key"] = _one_line(notification.key)
        msg.set_content(notification.body, charset="utf-8")
        return msg

    def send(self, notification: Notification) -> None:
        import smtplib
        import ssl

        msg = self.message(notification)
        smtp: smtplib.SMTP | None = None
        try:
            if self.ssl:
                context = ssl.create_default_context()
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user is not None and self._password is not None:
                _login(smtp, self.user, self._password)
            refused = smtp.send_message(msg)
        except (smtplib.SMTPException, OSError, UnicodeError) as exc:
            if smtp is not None:
                smtp.close()
            raise DeliveryFailed(self._failure(self._reason(exc))) from None
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):  # the message was accepted already
            smtp.close()
        if refused:
            raise DeliveryFailed(
                self._failure(
                    "the server refused some recipients: "
                    + _refusals(refused)
                    + "; the others received it"
                )
            )

    def _failure(self, reason: str) -> str:
        text = f"{self.name} via {self.host}:{self.port}: {reason}"
        if self._password:
            text = text.replace(self._password, "***")
        return text

    def _reason(self, exc: BaseException) -> str:
        import smtplib
        import socket
        import ssl

        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return f"the server refused the login for user {self.user} ({_smtp_reply(exc)})"
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            return "the server refused every recipient: " + _refusals(exc.recipients)
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return f"the server refused the sender {self.sender} ({_smtp_reply(exc)})"
        if isinstance(exc, smtplib.SMTPResponseException):
            return f"the server answered {_smtp_reply(exc)}"
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return f"the server closed the connection ({exc})"
        if isinstance(exc, smtplib.SMTPException):
            return str(exc)  # e.g. "STARTTLS extension not supported by server."
        if isinstance(exc, TimeoutError):
            return f"no answer within {self.timeout:g} s"
        if isinstance(exc, ConnectionRefusedError):
            return "connection refused (is the host and port right?)"
        if isinstance(exc, socket.gaierror):
            return f"cannot resolve host name {self.host!r} ({exc.strerror})"
        if isinstance(exc, ssl.SSLError):
            return f"TLS error ({exc.reason or exc}); check the ssl/starttls settings and the port"
        if isinstance(exc, UnicodeError):
            return f"cannot encode the message or the login ({exc})"
        return f"{type(exc).__name__}: {exc}"


def _login(smtp: Any, user: str, password: str) -> None:
    import smtplib

    if (user + password).isascii():
        smtp.login(user, password)  # picks CRAM-MD5, PLAIN or LOGIN as the server offers
        return
    # smtplib encodes credentials as ASCII (CPython issue #73936); AUTH PLAIN is UTF-8 by
    # RFC 4616, so send it by hand for a non-ASCII user name or password.
    import base64

    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", "PLAIN " + token)
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, reply)


def _smtp_reply(exc: Any) -> str:
    text = exc.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{exc.smtp_code} {text}".strip()


def _refusals(recipients: Mapping[str, Any]) -> str:
    parts = []
    for address, (code, text) in recipients.items():
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        parts.append(f"{address} ({code} {text})")
    return ", ".join(parts)


def _one_line(text: str) -> str:
    # A line break inside a header would be refused by EmailMessage (header injection guard).
    return " ".join(text.split())


# --------------------------------------------------------------------------- apprise

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


# --------------------------------------------------------------------------- configuration

_EMAIL_KEYS = ("host", "port", "starttls", "ssl", "user", "password_env", "sender", "to")
_KEYS: dict[str, tuple[str, ...]] = {
    "console": (),
    "email": _EMAIL_KEYS,
    "apprise": ("url",),
}


def build_channels(
    specs: Sequence[Mapping[str, Any]],
    environ: Mapping[str, str],
    write: Callable[[str], None],
) -> list[Channel]:
    """Channels from the configuration's `[[notify]]` tables; none configured → the console.

    Every problem in every table is reported together in one InputError, one line each, named by
    key path (``notify[1].port: expected an integer, got "abc"``; the index counts from 0).
    Passwords come from the environment variable named by `password_env`, never from the file.
    """
    if isinstance(specs, Mapping | str | bytes) or not isinstance(specs, Sequence):
        raise InputError(f"notify: expected a list of [[notify]] tables, got {_show(specs)}")
    problems: list[str] = []
    channels: list[Channel] = []
    for index, spec in enumerate(specs):
        where = f"notify[{index}]"
        if not isinstance(spec, Mapping):
            problems.append(f"{where}: expected a table, got {_show(spec)}")
            continue
        found = _Table(where, spec, problems)
        channel = found.build(environ, write)
        if channel is not None:
            channels.append(channel)
    if problems:
        raise InputError("\n".join(problems))
    return channels or [ConsoleChannel(write)]


class _Table:
    """Reads one `[[notify]]` table, appending each problem (with its key path) to `problems`."""

    def __init__(self, where: str, spec: Mapping[str, Any], problems: list[str]) -> None:
        self.where = where
        self.spec = spec
        self.problems = problems

    def problem(self, key: str, text: str) -> None:
        self.problems.append(f"{self.where}.{key}: {text}")

    def build(self, environ: Mapping[str, str], write: Callable[[str], None]) -> Channel | None:
        kinds = ", ".join(NOTIFY_KINDS)
        if "kind" not in self.spec:
            self.problem("kind", f"required (one of {kinds})")
            return None
        kind = self.spec["kind"]
        if kind not in NOTIFY_KINDS:
            self.problem("kind", f"expected one of {kinds}, got {_show(kind)}")
            return None
        allowed = _KEYS[kind]
        before = len(self.problems)
        for key in self.spec:
            if key == "kind" or key in allowed:
                continue
            if kind == "email" and key == "password":
                self.problem(
                    "password",
                    "the password never goes in the configuration file; put it in an "
                    'environment variable and name that variable: password_env = "VARIABLE"',
                )
            else:
                keys = ", ".join(("kind", *allowed))
                self.problem(str(key), f'unknown key for kind = "{kind}" (known keys: {keys})')
        if kind == "console":
            channel: Channel | None = ConsoleChannel(write)
        elif kind == "email":
            channel = self.email(environ)
        else:
            channel = self.apprise()
        return channel if len(self.problems) == before else None

    def email(self, environ: Mapping[str, str]) -> Channel | None:
        host = self.string("host", required="the SMTP server's name")
        starttls = self.boolean("starttls")
        ssl = self.boolean("ssl")
        if starttls and ssl:
            self.problem(
                "ssl", "choose starttls = true (usually port 587) or ssl = true (usually 465)"
            )
            return None
        port = self.integer("port")
        if port is None:
            port = 587 if starttls else 465 if ssl else 25
        elif not 1 <= port <= 65535:
            self.problem("port", f"expected a port number from 1 to 65535, got {port}")
        user = self.string("user")
        password_env = self.string("password_env")
        password = None
        if password_env is not None:
            if user is None:
                self.problem("password_env", "needs user, the name to log in to the server with")
            password = environ.get(password_env)
            if not password:
                self.problem(
                    "password_env",
                    f"the environment variable {password_env} is not set; "
                    "set it to the SMTP password",
                )
        sender = self.string("sender") or user or "pointwatch@localhost"
        to = self.recipients()
        if host is None or to is None:
            return None
        return EmailChannel(
            host=host,
            port=port,
            to=to,
            sender=sender,
            user=user,
            password=password,
            starttls=starttls,
            ssl=ssl,
        )

    def apprise(self) -> Channel | None:
        url = self.string("url", required='an Apprise URL, e.g. "ntfys://ntfy.sh/your-topic"')
        return None if url is None else AppriseChannel(url)

    def string(self, key: str, required: str | None = None) -> str | None:
        if key not in self.spec:
            if required:
                self.problem(key, f"required ({required})")
            return None
        value = self.spec[key]
        if not isinstance(value, str):
            self.problem(key, f"expected a string, got {_show(value)}")
        elif not value.strip():
            self.problem(key, "must not be empty")
        elif "\n" in value or "\r" in value:
            self.problem(key, "must be a single line")
        else:
            return value.strip()
        return None

    def boolean(self, key: str) -> bool:
        value = self.spec.get(key, False)
        if not isinstance(value, bool):
            self.problem(key, f"expected true or false, got {_show(value)}")
            return False
        return value

    def integer(self, key: str) -> int | None:
        if key not in self.spec:
            return None
        value = self.spec[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"expected an integer, got {_show(value)}")
            return None
        return value

    def recipients(self) -> list[str] | None:
        if "to" not in self.spec:
            self.problem("to", "required (an address or a list of addresses)")
            return None
        value = self.spec["to"]
        if isinstance(value, str):
            value = [value]
        elif not isinstance(value, list | tuple):
            self.problem("to", f"expected an address or a list of addresses, got {_show(value)}")
            return None
        if not value:
            self.problem("to", "expected at least one address, got an empty list")
            return None
        addresses = []
        for i, item in enumerate(value):
            key = "to" if isinstance(self.spec["to"], str) else f"to[{i}]"
            if not isinstance(item, str):
                self.problem(key, f"expected a string, got {_show(item)}")
            elif not item.strip():
                self.problem(key, "must not be empty")
            elif "\n" in item or "\r" in item:
                self.problem(key, "must be a single line")
            else:
                addresses.append(item.strip())
        return addresses if len(addresses) == len(value) else None


def _show(value: Any) -> str:
    """A configuration value as the user wrote it in TOML (strings quoted, booleans lowercase)."""
    if isinstance(value, str):
        import json

        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"
