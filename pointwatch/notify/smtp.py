"""E-mail channel: one plain-text UTF-8 message per notification through an SMTP server.

smtplib, ssl and email are imported inside the methods that use them (`pointwatch --help`
stays fast).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pointwatch.errors import DeliveryFailed, InputError
from pointwatch.i18n import _
from pointwatch.notify.base import Notification

if TYPE_CHECKING:
    from email.message import EmailMessage


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
            raise InputError(_("email: choose starttls or ssl, not both"))
        if not to:
            raise InputError(_("email: at least one recipient is needed"))
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
