"""Settings: one spec table (name, type, default, range, help) → frozen settings.

`SPEC` is the only list of settings and their defaults: `Settings` takes its defaults from it,
`load_settings` checks every value against it, and `example_config` documents it.
`NOTIFY_SPEC` describes the keys of each kind of `[[notify]]` table in the same way.

A missing config file means all defaults. The file lives in the platform's user config dir
unless `--config` / `POINTWATCH_CONFIG` says otherwise; the database likewise in the user data dir.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pointwatch.domain.expectations import Rules
from pointwatch.errors import EnvironmentFailure, InputError, InvalidValue
from pointwatch.i18n import N_, _

APP_NAME = "pointwatch"


@dataclass(frozen=True)
class Option:
    """One key: its type, default and help; a range for numbers, choices or a check for text.

    `type` is str, int, bool or list (one string or a list of strings). A number needs a range.
    With `choices`, the empty string stays allowed: it means the default behaviour (see `help`).
    `check` returns what is wrong with a value of the right type, or None.
    """

    name: str
    type: type
    default: Any
    help: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    check: Callable[[Any], str | None] | None = None

    def __post_init__(self) -> None:
        if self.type is int and (self.minimum is None or self.maximum is None):
            raise TypeError(f"option {self.name}: a number needs a minimum and a maximum")

    @property
    def range(self) -> str:
        return f"{self.minimum}..{self.maximum}"

    def fits(self, number: int) -> bool:
        """Whether `number` lies in the range (numbers only)."""
        return (self.minimum is None or number >= self.minimum) and (
            self.maximum is None or number <= self.maximum
        )


def _hh_mm_problem(text: str) -> str | None:
    parts = text.split(":")
    if (
        len(parts) == 2
        and all(part.isdigit() for part in parts)
        and 0 <= int(parts[0]) <= 23
        and 0 <= int(parts[1]) <= 59
    ):
        return None
    return _("expected HH:MM, got {text!r}").format(text=text)


def _time_zone_problem(name: str) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _("unknown time zone {name!r} (e.g. Asia/Tokyo)").format(name=name)
    return None


def _days(name: str, default: int, help: str, minimum: int = 0) -> Option:
    """A number of days: a year at most is enough for every lead time and delay."""
    return Option(name, int, default, help, minimum=minimum, maximum=366)


# The one table every setting comes from; `config.example.toml` documents the same keys.
# Every number has a range: a huge value (renotify_days = 99999999999) would overflow later.
SPEC: tuple[Option, ...] = (
    Option("database", str, "", "SQLite file path or SQLAlchemy URL; empty = user data dir"),
    Option(
        "timezone",
        str,
        "",
        "IANA time zone for 'today' and the daemon; empty = the system's",
        check=_time_zone_problem,
    ),
    _days("grace_days", 7, "days after a grant window before it is late"),
    _days("renotify_days", 7, "days before an unacknowledged alert is sent again", minimum=1),
    _days("upcoming_days", 3, "lead time of `upcoming_check` reminders"),
    _days("early_days", 31, "how early before its window a grant payout still counts"),
    _days("expiry_days", 14, "lead time of `expiring` alerts"),
    Option(
        "language",
        str,
        "",
        "language of human output: ja or en; empty = from the locale",
        choices=("ja", "en"),
    ),
    Option(
        "daily_at",
        str,
        "09:00",
        "local time (HH:MM) of the daemon's daily run",
        check=_hh_mm_problem,
    ),
)
SPEC_BY_NAME = {option.name: option for option in SPEC}
TOP_LEVEL_TABLES = ("pointwatch", "notify", "formats")


def _default(name: str) -> Any:
    return SPEC_BY_NAME[name].default


@dataclass(frozen=True)
class Settings:
    """The settings in force. The fields are typed here; their defaults come only from SPEC."""

    database: str = _default("database")
    timezone: str = _default("timezone")
    grace_days: int = _default("grace_days")
    renotify_days: int = _default("renotify_days")
    upcoming_days: int = _default("upcoming_days")
    early_days: int = _default("early_days")
    expiry_days: int = _default("expiry_days")
    language: str = _default("language")
    daily_at: str = _default("daily_at")
    notify: tuple[dict[str, Any], ...] = ()
    formats: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None

    @property
    def rules(self) -> Rules:
        """The settings that judge expectations, as the domain takes them."""
        return Rules(grace_days=self.grace_days, early_days=self.early_days)


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def default_database_url() -> str:
    from platformdirs import user_data_path

    return sqlite_url(user_data_path(APP_NAME) / "pointwatch.db")


def resolve_config_path(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("POINTWATCH_CONFIG")
    return Path(env).expanduser() if env else default_config_path()


def load_settings(path: Path) -> Settings:
    """Read the config file at `path`; a missing file gives the defaults."""
    from pointwatch.toml_tables import parse_toml

    if path.is_dir():
        raise InputError(f"config {path} is a folder; give the path of a TOML file")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except NotADirectoryError as exc:
        raise InputError(f"config {path}: a part of the path is a file, not a folder") from exc
    except OSError as exc:
        raise EnvironmentFailure(f"config {path}: cannot read it ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: not UTF-8 text ({exc.reason})") from exc
    try:
        data = parse_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from exc
    return settings_from_mapping(data, source=path)


def settings_from_mapping(data: dict[str, Any], source: Path | None = None) -> Settings:
    """Settings from a parsed config file; every value is checked against SPEC / NOTIFY_SPEC."""
    where = str(source) if source else "config"
    unknown = sorted(set(data) - set(TOP_LEVEL_TABLES))
    if unknown:
        raise InputError(
            _("{where}: unknown table {unknown!r} (expected: {top_level_tables})").format(
                where=where, unknown=unknown[0], top_level_tables=", ".join(TOP_LEVEL_TABLES)
            )
        )
    values: dict[str, Any] = {}
    for key, value in data.get("pointwatch", {}).items():
        option = SPEC_BY_NAME.get(key)
        if option is None:
            raise InputError(
                _(
                    "{where}: pointwatch.{key}: unknown key (expected one of: {spec_by_name})"
                ).format(where=where, key=key, spec_by_name=", ".join(SPEC_BY_NAME))
            )
        problem = _setting_problem(option, value)
        if problem:
            raise InvalidValue(
                _("{where}: pointwatch.{key}: {problem}").format(
                    where=where, key=key, problem=problem
                )
            )
        values[key] = value
    notify = data.get("notify", [])
    problems: list[str] = []
    read_notify(notify, problems)
    if problems:
        raise InputError("\n".join(f"{where}: {problem}" for problem in problems))
    formats = data.get("formats", {})
    if not isinstance(formats, dict):
        raise InputError(_("{where}: formats: expected [formats.NAME] tables").format(where=where))
    return Settings(**values, notify=tuple(notify), formats=formats, source=source)


def _setting_problem(option: Option, value: Any) -> str | None:
    # bool is an int subclass in Python; `grace_days = true` is still a mistake.
    if not isinstance(value, option.type) or isinstance(value, bool):
        return _("expected {type}, got {value!r}").format(type=option.type.__name__, value=value)
    if isinstance(value, int) and not option.fits(value):
        below = option.minimum is not None and value < option.minimum
        if below:
            text = _("expected at least {minimum}, got {value} (allowed: {range})")
        else:
            text = _("expected at most {maximum}, got {value} (allowed: {range})")
        return text.format(
            minimum=option.minimum, maximum=option.maximum, value=value, range=option.range
        )
    if option.choices and value and value not in option.choices:
        return _("expected one of {choices} or empty, got {value!r}").format(
            choices=", ".join(option.choices), value=value
        )
    return option.check(value) if option.check else None


# --- [[notify]] tables ---------------------------------------------------------------------------

# The keys of each kind of [[notify]] table (`kind` itself aside); notify/ builds the channels.
NOTIFY_SPEC: dict[str, tuple[Option, ...]] = {
    "console": (),
    "email": (
        Option("host", str, None, N_("the SMTP server's name"), required=True),
        # No default: 587 with starttls, 465 with ssl, else 25.
        Option("port", int, None, N_("a port number"), minimum=1, maximum=65535),
        Option("starttls", bool, False, N_("STARTTLS after connecting (usually port 587)")),
        Option("ssl", bool, False, N_("TLS from the start (usually port 465)")),
        Option("user", str, None, N_("the name to log in to the server with")),
        Option("password_env", str, None, N_("the environment variable holding the SMTP password")),
        Option("sender", str, None, N_("the From address; default: user")),
        Option(
            "to",
            list,
            None,
            N_("an address or a list of addresses"),
            required=True,
            check=lambda to: None if to else _("expected at least one address, got an empty list"),
        ),
    ),
    "apprise": (
        Option(
            "url", str, None, N_('an Apprise URL, e.g. "ntfys://ntfy.sh/your-topic"'), required=True
        ),
    ),
}
NOTIFY_KINDS = tuple(NOTIFY_SPEC)
# Keys refused with a reason rather than as unknown.
NOTIFY_REFUSED = {
    ("email", "password"): N_(
        "the password never goes in the configuration file; put it in an environment variable "
        'and name that variable: password_env = "VARIABLE"'
    ),
}


def read_notify(tables: Any, problems: list[str]) -> list[dict[str, Any] | None]:
    """The `[[notify]]` tables checked against NOTIFY_SPEC: one item per table, in order.

    A good table comes back as a dict of `kind` and every key of its kind (a missing key as its
    default, text stripped, `to` as a list); a table with a problem as None. Each problem is
    appended to `problems`, named by key path (``notify[1].port: expected an integer, got
    "abc"``; the index counts from 0).
    """
    if isinstance(tables, Mapping | str | bytes) or not isinstance(tables, Sequence):
        problems.append(
            _("notify: expected a list of [[notify]] tables, got {show}").format(show=_show(tables))
        )
        return []
    checked: list[dict[str, Any] | None] = []
    for index, table in enumerate(tables):
        where = f"notify[{index}]"
        if isinstance(table, Mapping):
            checked.append(_notify_table(table, where, problems))
        else:
            problems.append(
                _("{where}: expected a table, got {show}").format(where=where, show=_show(table))
            )
            checked.append(None)
    return checked


def _notify_table(
    table: Mapping[str, Any], where: str, problems: list[str]
) -> dict[str, Any] | None:
    before = len(problems)
    kinds = ", ".join(NOTIFY_KINDS)
    if "kind" not in table:
        problems.append(
            _("{where}.kind: required (one of {kinds})").format(where=where, kinds=kinds)
        )
        return None
    kind = table["kind"]
    if kind not in NOTIFY_KINDS:
        problems.append(
            _("{where}.kind: expected one of {kinds}, got {show}").format(
                where=where, kinds=kinds, show=_show(kind)
            )
        )
        return None
    options = NOTIFY_SPEC[kind]
    known = ("kind", *(option.name for option in options))
    for key in table:
        if key not in known:
            reason = NOTIFY_REFUSED.get((kind, key))
            if reason:
                problem = _(reason)
            else:
                problem = _('unknown key for kind = "{kind}" (known keys: {known})').format(
                    kind=kind, known=", ".join(known)
                )
            problems.append(f"{where}.{key}: {problem}")
    values: dict[str, Any] = {"kind": kind}
    for option in options:
        if option.name not in table:
            if option.required:
                problems.append(
                    _("{where}.{name}: required ({help})").format(
                        where=where, name=option.name, help=_(option.help)
                    )
                )
            values[option.name] = option.default
            continue
        value = _notify_value(option, table[option.name], f"{where}.{option.name}", problems)
        if value is not None:
            values[option.name] = value
    if kind == "email":
        _email_rules(table, values, where, problems)
    return values if len(problems) == before else None


def _notify_value(option: Option, value: Any, where: str, problems: list[str]) -> Any:
    """The value if it fits `option` (text stripped, one string as a list), else None."""
    problem: str | None = None
    if option.type is list:
        if isinstance(value, str):
            items = [(where, value)]
        elif isinstance(value, list | tuple):
            items = [(f"{where}[{i}]", item) for i, item in enumerate(value)]
        else:
            problems.append(
                _("{where}: expected {help}, got {show}").format(
                    where=where, help=_(option.help), show=_show(value)
                )
            )
            return None
        texts = [_notify_value(_TEXT, item, key, problems) for key, item in items]
        if None in texts:
            return None
        value = texts
    elif option.type is str:
        if not isinstance(value, str):
            problem = _("expected a string, got {value}").format(value=_show(value))
        elif not value.strip():
            problem = _("must not be empty")
        elif "\n" in value or "\r" in value:
            problem = _("must be a single line")
        else:
            value = value.strip()
    elif option.type is bool:
        if not isinstance(value, bool):
            problem = _("expected true or false, got {value}").format(value=_show(value))
    elif isinstance(value, bool) or not isinstance(value, int):
        problem = _("expected an integer, got {value}").format(value=_show(value))
    elif not option.fits(value):
        problem = _("expected {help} from {minimum} to {maximum}, got {value}").format(
            help=_(option.help), minimum=option.minimum, maximum=option.maximum, value=value
        )
    if problem is None and option.check:
        problem = option.check(value)
    if problem:
        problems.append(f"{where}: {problem}")
        return None
    return value


_TEXT = Option("text", str, None, N_("a string"))


def _email_rules(
    table: Mapping[str, Any], values: Mapping[str, Any], where: str, problems: list[str]
) -> None:
    """Rules between the keys of an email table (each key's own value is checked already)."""
    if values.get("starttls") is True and values.get("ssl") is True:
        problems.append(
            _(
                "{where}.ssl: choose starttls = true (usually port 587) or ssl = true (usually 465)"
            ).format(where=where)
        )
    if values.get("password_env") is not None and "user" not in table:
        problems.append(
            _("{where}.password_env: needs user, the name to log in to the server with").format(
                where=where
            )
        )


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


# --- using the settings ---------------------------------------------------------------------------


def zone(settings: Settings):  # -> tzinfo
    """The configured time zone, or the system's."""
    from zoneinfo import ZoneInfo

    if settings.timezone:
        return ZoneInfo(settings.timezone)
    from tzlocal import get_localzone

    return get_localzone()


def database_url(explicit: str | None, settings: Settings) -> str:
    """--db / POINTWATCH_DB, then the config's database, then the user data dir."""
    raw = explicit or os.environ.get("POINTWATCH_DB") or settings.database
    if not raw:
        return default_database_url()
    if "://" in raw:
        return raw
    return sqlite_url(Path(raw))


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file; '?', '#' and '%' in the path stay part of the path. Encoded
    as SQLAlchemy's `URL.create("sqlite", database=…).render_as_string()` does (a test
    checks), without importing SQLAlchemy: `status` reads SQLite without it (store/reader.py)."""
    from urllib.parse import quote

    return "sqlite:///" + quote(str(path.expanduser().resolve()), safe=" +/")


def example_config() -> str:
    """The commented config written by `pointwatch init`, generated from SPEC."""
    lines = ["[pointwatch]"]
    for option in SPEC:
        default = f'"{option.default}"' if option.type is str else str(option.default)
        allowed = f" ({option.range})" if option.type is int else ""
        lines.append(f"# {option.help}{allowed}")
        lines.append(f"# {option.name} = {default}")
    lines += ["", "# [[notify]]", '# kind = "console"', ""]
    return "\n".join(lines)
