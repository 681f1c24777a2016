"""Delivery channels against a real local SMTP server and offline Apprise plugins."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from apprise.decorators import notify as apprise_plugin

from pointwatch.errors import EXIT_ENVIRONMENT, InputError
from pointwatch.notify import (
    NOTIFY_KINDS,
    AppriseChannel,
    ConsoleChannel,
    DeliveryFailed,
    EmailChannel,
    Notification,
    build_channels,
)
from tests.smtp_server import HOST, free_port, running_smtp_server

# The test server offers AUTH over plain TCP: fine on loopback, and aiosmtpd warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

LATE = Notification(
    key="late:gift-2022/recipient:2024-03",
    title="遅延: 500 points from Amazon.co.jp (gift-2022/recipient)",
    body=(
        "Amazonギフトカード 500ポイント were due by 2024-03-31.\n"
        "Look in: Amazon.co.jp → アカウントサービス → ギフトカード残高\n"
        "Late since 2024-04-08. Next: ask support, then `pointwatch ack`."
    ),
)

# --------------------------------------------------------------------------- apprise plugins
# Custom schemes registered once for the whole module (DESIGN §7): no network involved.

APPRISE_CALLS: list[dict[str, Any]] = []


@apprise_plugin(on="pwtest")
def _pwtest(body: str, title: str, notify_type: str, *args: Any, **kwargs: Any) -> bool:
    APPRISE_CALLS.append({"title": title, "body": body, "url": kwargs["meta"]["url"]})
    return True


@apprise_plugin(on="pwfail")
def _pwfail(body: str, title: str, notify_type: str, *args: Any, **kwargs: Any) -> bool:
    return False


@apprise_plugin(on="pwraise")
def _pwraise(body: str, title: str, notify_type: str, *args: Any, **kwargs: Any) -> bool:
    raise RuntimeError("plugin exploded with " + kwargs["meta"]["url"])


@pytest.fixture
def apprise_calls() -> list[dict[str, Any]]:
    APPRISE_CALLS.clear()
    return APPRISE_CALLS


# --------------------------------------------------------------------------- console


def test_console_writes_title_and_body_through_the_callable() -> None:
    written: list[str] = []
    ConsoleChannel(written.append).send(LATE)
    assert written == [LATE.title + "\n" + LATE.body]


def test_console_write_error_is_a_delivery_failure() -> None:
    def broken(text: str) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(DeliveryFailed, match=r"^console: cannot write: "):
        ConsoleChannel(broken).send(LATE)


# --------------------------------------------------------------------------- e-mail


def test_email_is_delivered_with_japanese_text_intact() -> None:
    with running_smtp_server() as server:
        channel = EmailChannel(
            HOST, server.port, to=["me@example.com", "you@example.com"], sender="pw@example.com"
        )
        channel.send(LATE)
    [received] = server.messages
    assert received.mail_from == "pw@example.com"
    assert received.rcpt_tos == ["me@example.com", "you@example.com"]
    assert received.login is None
    message = received.message
    assert message["Subject"] == "[pointwatch] " + LATE.title
    assert message["From"] == "pw@example.com"
    assert message["To"] == "me@example.com, you@example.com"
    assert message["X-Pointwatch-Key"] == LATE.key
    assert message["Message-ID"].endswith("@example.com>")
    assert message["Date"]
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    # SMTP carries text with CRLF line ends; compare the text itself.
    assert message.get_content().replace("\r\n", "\n") == LATE.body + "\n"
    assert channel.name == "email:me@example.com,you@example.com"


def test_email_sends_one_message_per_notification() -> None:
    other = Notification("upcoming:x", "Upcoming: check 楽天ポイント", "Check on 2024-05-01.")
    with running_smtp_server() as server:
        channel = EmailChannel(HOST, server.port, to=["me@example.com"], sender="pw@example.com")
        channel.send(LATE)
        channel.send(other)
    assert [r.message["X-Pointwatch-Key"] for r in server.messages] == [LATE.key, other.key]


def test_email_logs_in_with_the_password_from_the_environment() -> None:
    with running_smtp_server(accounts={"me@example.com": "s3cret パス"}) as server:
        [channel] = build_channels(
            [
                {
                    "kind": "email",
                    "host": HOST,
                    "port": server.port,
                    "user": "me@example.com",
                    "password_env": "PW_SMTP_PASSWORD",
                    "to": "me@example.com",
                }
            ],
            environ={"PW_SMTP_PASSWORD": "s3cret パス"},
            write=print,
        )
        channel.send(LATE)
    assert server.logins == [("me@example.com", "s3cret パス", True)]
    [received] = server.messages
    assert received.login == "me@example.com"
    assert received.mail_from == "me@example.com"  # sender defaults to user
    assert received.message["Subject"] == "[pointwatch] " + LATE.title


def test_email_wrong_password_fails_without_showing_the_password() -> None:
    with running_smtp_server(accounts={"me": "s3cret"}) as server:
        channel = EmailChannel(
            HOST, server.port, ["me@example.com"], "me@example.com", "me", "wrong-pa55", timeout=5
        )
        with pytest.raises(DeliveryFailed) as failure:
            channel.send(LATE)
    assert failure.value.message == (
        f"email:me@example.com via {HOST}:{server.port}: the server refused the login for user "
        "me (535 5.7.8 Authentication credentials invalid)"
    )
    assert "wrong-pa55" not in str(failure.value)
    assert server.logins and all(entry == ("me", "wrong-pa55", False) for entry in server.logins)
    assert server.messages == []


def test_email_wrong_non_ascii_password_fails_without_showing_it() -> None:
    # smtplib cannot send non-ASCII credentials; the channel sends AUTH PLAIN as UTF-8 itself.
    with running_smtp_server(accounts={"me": "s3cret"}) as server:
        channel = EmailChannel(
            HOST, server.port, ["me@example.com"], "me", "me", "ひみつ", timeout=5
        )
        with pytest.raises(DeliveryFailed) as failure:
            channel.send(LATE)
    assert failure.value.message.endswith(
        "the server refused the login for user me (535 5.7.8 Authentication credentials invalid)"
    )
    assert "ひみつ" not in failure.value.message
    assert server.logins == [("me", "ひみつ", False)]


def test_email_without_login_is_refused_by_a_server_requiring_auth() -> None:
    with running_smtp_server(accounts={"me": "s3cret"}) as server:
        channel = EmailChannel(HOST, server.port, ["me@example.com"], "me@example.com", timeout=5)
        with pytest.raises(DeliveryFailed, match=r"the server refused the sender me@example\.com"):
            channel.send(LATE)
    assert server.messages == []


def test_email_starttls_against_a_server_without_it_fails_before_login() -> None:
    with running_smtp_server(accounts={"me": "s3cret"}) as server:
        channel = EmailChannel(
            HOST, server.port, ["me@example.com"], "me", "me", "s3cret", starttls=True, timeout=5
        )
        with pytest.raises(DeliveryFailed) as failure:
            channel.send(LATE)
    assert failure.value.message == (
        f"email:me@example.com via {HOST}:{server.port}: "
        "STARTTLS extension not supported by server."
    )
    assert server.logins == []  # the password never went over the plain connection


def test_email_ssl_against_a_plain_server_is_a_tls_error() -> None:
    with running_smtp_server() as server:
        channel = EmailChannel(HOST, server.port, ["me@example.com"], "me", ssl=True, timeout=5)
        with pytest.raises(DeliveryFailed, match=r"via 127\.0\.0\.1:\d+: TLS error \("):
            channel.send(LATE)
    assert server.messages == []


def test_email_to_an_unreachable_server_fails_naming_host_and_port() -> None:
    port = free_port()  # nothing listens there
    channel = EmailChannel(HOST, port, ["me@example.com"], "me@example.com", timeout=1)
    with pytest.raises(DeliveryFailed) as failure:
        channel.send(LATE)
    assert failure.value.message == (
        f"email:me@example.com via {HOST}:{port}: connection refused (is the host and port right?)"
    )
    assert failure.value.exit_code == EXIT_ENVIRONMENT  # worth retrying, not bad input


def test_email_every_recipient_refused() -> None:
    with running_smtp_server(refuse={"nobody@example.com"}) as server:
        channel = EmailChannel(HOST, server.port, ["nobody@example.com"], "pw@example.com")
        with pytest.raises(DeliveryFailed) as failure:
            channel.send(LATE)
    assert failure.value.message == (
        f"email:nobody@example.com via {HOST}:{server.port}: the server refused every recipient: "
        "nobody@example.com (550 5.1.1 No such user here)"
    )
    assert server.messages == []


def test_email_some_recipients_refused_is_still_a_failure() -> None:
    with running_smtp_server(refuse={"nobody@example.com"}) as server:
        channel = EmailChannel(
            HOST, server.port, ["me@example.com", "nobody@example.com"], "pw@example.com"
        )
        with pytest.raises(DeliveryFailed) as failure:
            channel.send(LATE)
    assert failure.value.message.endswith(
        "the server refused some recipients: nobody@example.com (550 5.1.1 No such user here); "
        "the others received it"
    )
    [received] = server.messages
    assert received.rcpt_tos == ["me@example.com"]


def test_email_line_breaks_in_title_cannot_inject_headers() -> None:
    sneaky = Notification("k\nBcc: evil@example.com", "Late\r\nBcc: evil@example.com", "body")
    with running_smtp_server() as server:
        EmailChannel(HOST, server.port, ["me@example.com"], "pw@example.com").send(sneaky)
    [received] = server.messages
    assert received.rcpt_tos == ["me@example.com"]
    assert received.message["Bcc"] is None
    assert received.message["Subject"] == "[pointwatch] Late Bcc: evil@example.com"


def test_email_repr_never_shows_the_password() -> None:
    channel = EmailChannel("smtp.example.com", 587, ["me@example.com"], "me", "me", "hunter2")
    assert "hunter2" not in repr(channel)
    assert "hunter2" not in channel.name


# --------------------------------------------------------------------------- apprise


def test_apprise_delivers_title_and_body(apprise_calls: list[dict[str, Any]]) -> None:
    channel = AppriseChannel("pwtest://anything")
    channel.send(LATE)
    assert apprise_calls == [{"title": LATE.title, "body": LATE.body, "url": "pwtest://anything"}]
    assert channel.name == "apprise:pwtest://…"


def test_apprise_plugin_refusing_is_a_delivery_failure() -> None:
    with pytest.raises(DeliveryFailed) as failure:
        AppriseChannel("pwfail://example.com/topic").send(LATE)
    assert failure.value.message == (
        "apprise:pwfail://example.com/…: not delivered: "
        "Failed to send Custom - pwfail notification."
    )


def test_apprise_plugin_raising_is_a_delivery_failure_without_secrets() -> None:
    url = "pwraise://user:TOPSECRET@example.com/tokenpart?pass=QUERYSECRET"
    with pytest.raises(DeliveryFailed) as failure:
        AppriseChannel(url).send(LATE)
    message = failure.value.message
    assert message.startswith("apprise:pwraise://example.com/…: not delivered: ")
    for secret in ("TOPSECRET", "tokenpart", "QUERYSECRET"):
        assert secret not in message


@pytest.mark.parametrize("url", ["notaurl", "", "nosuchservice://host/path"])
def test_apprise_unusable_url_fails_at_send_time(url: str) -> None:
    channel = AppriseChannel(url)  # constructing never fails: the run goes on
    with pytest.raises(DeliveryFailed, match=r"apprise cannot use this URL"):
        channel.send(LATE)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("ntfys://ntfy.sh/my-pointwatch", "apprise:ntfys://ntfy.sh/…"),
        ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#general", "apprise:slack://…"),
        ("tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-100987654", "apprise:tgram://…"),
        ("discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js", "apprise:discord://…"),
        ("mailtos://me:app-password@gmail.com?to=you@example.com", "apprise:mailtos://gmail.com/…"),
        ("mailto://me:app-password@gmail.com", "apprise:mailto://gmail.com"),
        ("json://localhost:8080/hook?token=abc", "apprise:json://localhost/…"),
        ("https://hooks.slack.com/services/T1/B2/SECRETTOKEN", "apprise:https://hooks.slack.com/…"),
        ("NTFY://topic-only", "apprise:ntfy://…"),
        ("not a url", "apprise:…"),
    ],
)
def test_apprise_channel_name_hides_tokens(url: str, name: str) -> None:
    channel = AppriseChannel(url)
    assert channel.name == name
    assert repr(channel) == f"AppriseChannel({name!r})"


# --------------------------------------------------------------------------- build_channels


def build(*specs: dict[str, Any], environ: dict[str, str] | None = None) -> list[Any]:
    return build_channels(list(specs), environ or {}, write=lambda text: None)


def test_no_notify_tables_means_the_console() -> None:
    written: list[str] = []
    [channel] = build_channels([], {}, written.append)
    assert isinstance(channel, ConsoleChannel)
    channel.send(LATE)
    assert written == [LATE.title + "\n" + LATE.body]


def test_the_design_example_builds_three_channels() -> None:
    console, mail, push = build(
        {"kind": "console"},
        {
            "kind": "email",
            "host": "smtp.example.com",
            "port": 587,
            "starttls": True,
            "user": "me@example.com",
            "password_env": "POINTWATCH_SMTP_PASSWORD",
            "to": ["me@example.com"],
        },
        {"kind": "apprise", "url": "ntfys://ntfy.sh/my-pointwatch"},
        environ={"POINTWATCH_SMTP_PASSWORD": "hunter2"},
    )
    assert [c.name for c in (console, mail, push)] == [
        "console",
        "email:me@example.com",
        "apprise:ntfys://ntfy.sh/…",
    ]
    assert isinstance(mail, EmailChannel)
    assert (mail.host, mail.port, mail.starttls, mail.ssl) == ("smtp.example.com", 587, True, False)
    assert (mail.user, mail.sender, mail.to) == (
        "me@example.com",
        "me@example.com",
        ["me@example.com"],
    )
    assert isinstance(push, AppriseChannel)
    assert NOTIFY_KINDS == ("console", "email", "apprise")


@pytest.mark.parametrize(
    ("extra", "port"),
    [
        ({}, 25),
        ({"starttls": True}, 587),
        ({"ssl": True}, 465),
        ({"ssl": True, "port": 2465}, 2465),
    ],
)
def test_email_port_defaults(extra: dict[str, Any], port: int) -> None:
    [mail] = build({"kind": "email", "host": "mx", "to": "me@example.com", **extra})
    assert mail.port == port
    assert mail.sender == "pointwatch@localhost"
    assert mail.user is None
    assert mail.to == ["me@example.com"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "pager"}, 'notify[0].kind: expected one of console, email, apprise, got "pager"'),
        ({}, "notify[0].kind: required (one of console, email, apprise)"),
        ({"kind": 3}, "notify[0].kind: expected one of console, email, apprise, got 3"),
        (
            {"kind": "console", "colour": True},
            'notify[0].colour: unknown key for kind = "console" (known keys: kind)',
        ),
        (
            {"kind": "apprise", "url": "x://y", "host": "z"},
            'notify[0].host: unknown key for kind = "apprise" (known keys: kind, url)',
        ),
        (
            {"kind": "apprise"},
            'notify[0].url: required (an Apprise URL, e.g. "ntfys://ntfy.sh/your-topic")',
        ),
        ({"kind": "apprise", "url": ["a"]}, "notify[0].url: expected a string, got a list"),
        ({"kind": "apprise", "url": "  "}, "notify[0].url: must not be empty"),
        (
            {"kind": "email", "host": "mx", "to": "a@x", "port": "abc"},
            'notify[0].port: expected an integer, got "abc"',
        ),
        (
            {"kind": "email", "host": "mx", "to": "a@x", "port": True},
            "notify[0].port: expected an integer, got true",
        ),
        (
            {"kind": "email", "host": "mx", "to": "a@x", "port": 70000},
            "notify[0].port: expected a port number from 1 to 65535, got 70000",
        ),
        (
            {"kind": "email", "host": "mx", "to": "a@x", "starttls": "yes"},
            'notify[0].starttls: expected true or false, got "yes"',
        ),
        (
            {"kind": "email", "host": "mx", "to": "a@x", "starttls": True, "ssl": True},
            "notify[0].ssl: choose starttls = true (usually port 587) or ssl = true (usually 465)",
        ),
        ({"kind": "email", "to": "a@x"}, "notify[0].host: required (the SMTP server's name)"),
        (
            {"kind": "email", "host": "mx"},
            "notify[0].to: required (an address or a list of addresses)",
        ),
        (
            {"kind": "email", "host": "mx", "to": 5},
            "notify[0].to: expected an address or a list of addresses, got 5",
        ),
        (
            {"kind": "email", "host": "mx", "to": []},
            "notify[0].to: expected at least one address, got an empty list",
        ),
        (
            {"kind": "email", "host": "mx", "to": ["a@x", 7]},
            "notify[0].to[1]: expected a string, got 7",
        ),
        (
            {"kind": "email", "host": "mx", "to": "a@x", "sender": "a@x\nBcc: b@x"},
            "notify[0].sender: must be a single line",
        ),
        (
            {"kind": "email", "host": "mx", "to": "a@x", "hots": "mx"},
            'notify[0].hots: unknown key for kind = "email" (known keys: kind, host, port, '
            "starttls, ssl, user, password_env, sender, to)",
        ),
        (
            {"kind": "email", "host": "mx", "to": "a@x", "user": "me", "password": "hunter2"},
            "notify[0].password: the password never goes in the configuration file; put it in an "
            'environment variable and name that variable: password_env = "VARIABLE"',
        ),
        (
            {"kind": "email", "host": "mx", "to": "a@x", "password_env": "PW", "user": "me"},
            "notify[0].password_env: the environment variable PW is not set; "
            "set it to the SMTP password",
        ),
        (
            {"kind": "email", "host": "mx", "to": "a@x", "password_env": "SET"},
            "notify[0].password_env: needs user, the name to log in to the server with",
        ),
    ],
)
def test_invalid_notify_table(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as error:
        build(spec, environ={"SET": "pw"})
    assert error.value.message == message
    assert "hunter2" not in error.value.message


def test_empty_password_variable_counts_as_unset() -> None:
    spec = {"kind": "email", "host": "mx", "to": "a@x", "user": "me", "password_env": "PW"}
    with pytest.raises(InputError, match=r"^notify\[0\]\.password_env: .* PW is not set"):
        build(spec, environ={"PW": ""})


def test_every_problem_is_reported_together_with_its_index() -> None:
    with pytest.raises(InputError) as error:
        build(
            {"kind": "console"},
            {"kind": "email", "host": "mx", "to": "a@x", "port": "abc", "user": 1},
            {"kind": "apprise", "url": 5},
        )
    assert error.value.message.splitlines() == [
        'notify[1].port: expected an integer, got "abc"',
        "notify[1].user: expected a string, got 1",
        "notify[2].url: expected a string, got 5",
    ]


def test_notify_must_be_a_list_of_tables() -> None:
    with pytest.raises(InputError) as error:
        build_channels({"kind": "console"}, {}, print)  # type: ignore[arg-type]
    assert error.value.message == "notify: expected a list of [[notify]] tables, got a table"
    with pytest.raises(InputError) as error:
        build_channels(["console"], {}, print)  # type: ignore[list-item]
    assert error.value.message == 'notify[0]: expected a table, got "console"'


EMAIL_TABLE = '[[notify]]\nkind = "email"\nhost = "mx"\n'


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ('to = "a@x"\nport = 0', "notify[0].port: expected a port number from 1 to 65535, got 0"),
        (
            'to = "a@x"\nport = 65536',
            "notify[0].port: expected a port number from 1 to 65535, got 65536",
        ),
        ('to = "a@x"\nssl = "no"', 'notify[0].ssl: expected true or false, got "no"'),
        ("to = []", "notify[0].to: expected at least one address, got an empty list"),
    ],
)
def test_bad_notify_values_are_refused_when_the_config_is_read(
    pw, unchanged, keys: str, message: str
) -> None:
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.write_config(EMAIL_TABLE + keys + "\n")
    stderr = unchanged("remind", "--as-of", "2024-01-01")
    assert f"{pw.config_path}: {message}" in stderr


def test_building_channels_does_not_touch_the_network_or_apprise() -> None:
    # A bad Apprise URL is not an error at build time: the run goes on, send() reports it.
    [channel] = build({"kind": "apprise", "url": "notaurl"})
    assert channel.name == "apprise:…"


def test_importing_notify_imports_neither_apprise_nor_smtplib() -> None:
    code = (
        "import sys, pointwatch.notify; "
        "print(sorted(m for m in ('apprise', 'smtplib', 'email.message', 'ssl') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
