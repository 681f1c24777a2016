"""Settings: one spec table (name, type, default, help) → frozen settings.

A missing config file means all defaults. The file lives in the platform's user config dir
unless `--config` / `POINTWATCH_CONFIG` says otherwise; the database likewise in the user data dir.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pointwatch.errors import InputError

APP_NAME = "pointwatch"


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    help: str
    minimum: int | None = None


# The one table every setting comes from; `config.example.toml` documents the same keys.
SPEC: tuple[Option, ...] = (
    Option("database", str, "", "SQLite file path or SQLAlchemy URL; empty = user data dir"),
    Option("timezone", str, "", "IANA time zone for 'today' and the daemon; empty = the system's"),
    Option("grace_days", int, 7, "days after a grant window before it is late", minimum=0),
    Option("renotify_days", int, 7, "days before an unacknowledged alert is sent again", minimum=1),
    Option("upcoming_days", int, 3, "lead time of `upcoming_check` reminders", minimum=0),
    Option("daily_at", str, "09:00", "local time (HH:MM) of the daemon's daily run"),
)
SPEC_BY_NAME = {option.name: option for option in SPEC}
TOP_LEVEL_TABLES = ("pointwatch", "notify", "formats")


@dataclass(frozen=True)
class Settings:
    database: str = ""
    timezone: str = ""
    grace_days: int = 7
    renotify_days: int = 7
    upcoming_days: int = 3
    daily_at: str = "09:00"
    notify: tuple[dict[str, Any], ...] = ()
    formats: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def default_database_url() -> str:
    from platformdirs import user_data_path

    return f"sqlite:///{user_data_path(APP_NAME) / 'pointwatch.db'}"


def resolve_config_path(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("POINTWATCH_CONFIG")
    return Path(env).expanduser() if env else default_config_path()


def load_settings(path: Path) -> Settings:
    """Read the config file at `path`; a missing file gives the defaults."""
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from exc
    return settings_from_mapping(data, source=path)


def settings_from_mapping(data: dict[str, Any], source: Path | None = None) -> Settings:
    where = str(source) if source else "config"
    unknown = sorted(set(data) - set(TOP_LEVEL_TABLES))
    if unknown:
        raise InputError(
            f"{where}: unknown table {unknown[0]!r} (expected: {', '.join(TOP_LEVEL_TABLES)})"
        )
    values: dict[str, Any] = {}
    for key, value in data.get("pointwatch", {}).items():
        option = SPEC_BY_NAME.get(key)
        if option is None:
            raise InputError(
                f"{where}: pointwatch.{key}: unknown key (expected one of: "
                f"{', '.join(SPEC_BY_NAME)})"
            )
        values[key] = _checked(option, value, where)
    notify = data.get("notify", [])
    if not isinstance(notify, list) or not all(isinstance(item, dict) for item in notify):
        raise InputError(f"{where}: notify: expected [[notify]] tables")
    formats = data.get("formats", {})
    if not isinstance(formats, dict):
        raise InputError(f"{where}: formats: expected [formats.NAME] tables")
    return Settings(**values, notify=tuple(notify), formats=formats, source=source)


def _checked(option: Option, value: Any, where: str) -> Any:
    # bool is an int subclass in Python; `grace_days = true` is still a mistake.
    if not isinstance(value, option.type) or isinstance(value, bool):
        raise InputError(
            f"{where}: pointwatch.{option.name}: expected {option.type.__name__}, got {value!r}"
        )
    if option.minimum is not None and value < option.minimum:
        raise InputError(
            f"{where}: pointwatch.{option.name}: expected at least {option.minimum}, got {value}"
        )
    if option.name == "daily_at" and not _is_hh_mm(value):
        raise InputError(f"{where}: pointwatch.daily_at: expected HH:MM, got {value!r}")
    if option.name == "timezone" and value:
        _check_timezone(value, where)
    return value


def _is_hh_mm(text: str) -> bool:
    parts = text.split(":")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return False
    return 0 <= int(parts[0]) <= 23 and 0 <= int(parts[1]) <= 59


def _check_timezone(name: str, where: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            f"{where}: pointwatch.timezone: unknown time zone {name!r} (e.g. Asia/Tokyo)"
        ) from exc


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
    return f"sqlite:///{Path(raw).expanduser().resolve()}"


def example_config() -> str:
    """The commented config written by `pointwatch init`, generated from SPEC."""
    lines = ["[pointwatch]"]
    for option in SPEC:
        default = f'"{option.default}"' if option.type is str else str(option.default)
        lines.append(f"# {option.help}")
        lines.append(f"# {option.name} = {default}")
    lines += ["", "# [[notify]]", '# kind = "console"', ""]
    return "\n".join(lines)
