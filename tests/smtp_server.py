"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), recording what it receives.

Usage::

    with running_smtp_server(accounts={"me": "s3cret"}) as server:
        EmailChannel("127.0.0.1", server.port, ...).send(notification)
        [message] = server.messages
"""

from __future__ import annotations

import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 with nothing listening (free at the time of the call)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """One message as the server got it: envelope, login used and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    login: str | None
    message: EmailMessage


@dataclass
class SMTPRecorder:
    """An aiosmtpd handler: accepts every message (and refuses recipients named in `refuse`)."""

    refuse: set[str] = field(default_factory=set)
    messages: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str, bool]] = field(default_factory=list)  # (login, password, ok)
    accounts: dict[str, str] = field(default_factory=dict)
    port: int = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        auth = session.auth_data
        login = _text(auth.login) if isinstance(auth, LoginPassword) else None
        message = message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), login, message))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        """aiosmtpd `authenticator`: checks LOGIN/PLAIN credentials against `accounts`."""
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = _text(auth_data.login), _text(auth_data.password)
        ok = self.accounts.get(login) == password
        self.logins.append((login, password, ok))
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


@contextmanager
def running_smtp_server(
    accounts: dict[str, str] | None = None, refuse: set[str] | None = None
) -> Iterator[SMTPRecorder]:
    """Run an SMTP server on 127.0.0.1 for the duration of the block.

    With `accounts`, the server offers AUTH LOGIN/PLAIN over the plain connection
    (`auth_require_tls=False`, acceptable on loopback only) and requires a login.
    """
    recorder = SMTPRecorder(refuse=set(refuse or ()), accounts=dict(accounts or {}))
    recorder.port = free_port()
    options: dict[str, Any] = {}
    if accounts is not None:
        options = {
            "authenticator": recorder.authenticate,
            "auth_require_tls": False,
            "auth_required": True,
        }
    controller = Controller(recorder, hostname=HOST, port=recorder.port, **options)
    controller.start()
    try:
        yield recorder
    finally:
        controller.stop()
