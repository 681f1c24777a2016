"""What every command shares: parameter types, the App context (settings, engine, today), the
common options, output helpers, and the group class whose error wrapper maps project errors to
a one-line message and an exit code. Command modules import from here, never the group.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import click

from pointwatch.cli.help import Context as HelpContext
from pointwatch.domain.entries import LARGEST_AMOUNT
from pointwatch.errors import EXIT_INTERNAL, InvalidValue, PointwatchError
from pointwatch.i18n import _, locale_language

# --- parameter types -------------------------------------------------------------------------


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param, ctx) -> date:
        if isinstance(value, date):
            return value
        from pointwatch.domain.dates import parse_date

        try:
            return parse_date(value)
        except InvalidValue as exc:
            self.fail(exc.message, param, ctx)


class MonthType(click.ParamType):
    name = "YYYY-MM"

    def convert(self, value: Any, param, ctx):
        from pointwatch.domain.dates import Month

        try:
            return Month.parse(value)
        except InvalidValue as exc:
            self.fail(exc.message, param, ctx)


class AmountType(click.ParamType):
    """A positive whole number of yen or points; "11,000" is accepted, "12.5", "-5" and "1,2,3"
    are not, nor anything a database integer cannot hold."""

    name = "AMOUNT"
    LARGEST = LARGEST_AMOUNT
    _TEXT = re.compile(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+")

    def convert(self, value: Any, param, ctx) -> int:
        expected = _("expected a positive whole number (e.g. 500 or 11,000)")
        if isinstance(value, int):
            number = value
        else:
            text = str(value).replace("_", "").strip()
            if not self._TEXT.fullmatch(text):
                self.fail(f"{value!r}: {expected}", param, ctx)
            number = int(text.replace(",", ""))
        if number <= 0:
            self.fail(f"{value!r}: {expected}", param, ctx)
        if number > self.LARGEST:
            self.fail(
                _("{value!r}: too large (at most {largest:,})").format(
                    value=value, largest=self.LARGEST
                ),
                param,
                ctx,
            )
        return number


class PairType(click.ParamType):
    """KEY=VALUE, e.g. --account points=amazon or --met recipient-registered=2023-01-10."""

    def __init__(self, value_type: click.ParamType | None, example: str) -> None:
        self.value_type = value_type
        self.name = example

    def convert(self, value: Any, param, ctx) -> tuple[str, Any]:
        if isinstance(value, tuple):
            return value
        key, sep, raw = str(value).partition("=")
        if not sep or not key.strip() or not raw.strip():
            self.fail(
                _("{value!r}: expected {name}").format(value=value, name=self.name), param, ctx
            )
        converted = self.value_type.convert(raw.strip(), param, ctx) if self.value_type else raw
        return key.strip(), converted


DATE = DateType()
MONTH = MonthType()
AMOUNT = AmountType()


# --- application context ---------------------------------------------------------------------


class App:
    """What every command needs, built lazily: settings, engine, today."""

    def __init__(self, db: str | None, config_path: str | None, lang: str | None = None) -> None:
        self.db_option = db
        self.config_option = config_path
        self.lang_option = lang
        self._settings = None
        self._engine = None
        self._unchecked = None
        self.url = None  # the parsed database URL, once the engine is made
        # --lang, else the locale now; the config's `language` applies once it is read.
        self._use_language(lang or locale_language(os.environ))

    @property
    def config_path(self) -> Path:
        from pointwatch.config import resolve_config_path

        return resolve_config_path(self.config_option)

    @property
    def settings(self):
        if self._settings is None:
            from pointwatch.config import load_settings

            self._settings = load_settings(self.config_path)
            if self.lang_option is None and self._settings.language:
                self._use_language(self._settings.language)
        return self._settings

    def prepare_help(self) -> None:
        """Before a help page: the config's `language` applies. Read lightly (`--help` stays
        fast: no settings module) and quietly (a broken config is reported by the command
        itself, not by its help)."""
        if self.lang_option is not None or self._settings is not None:
            return
        import tomllib

        option = self.config_option or os.environ.get("POINTWATCH_CONFIG")
        if option:
            path = Path(option).expanduser()
        else:
            from platformdirs import user_config_path

            path = user_config_path("pointwatch") / "config.toml"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # no file, not TOML, not UTF-8: the command says so
            return
        table = data.get("pointwatch")
        language = table.get("language") if isinstance(table, dict) else None
        if language in ("ja", "en"):
            self._use_language(language)

    @staticmethod
    def _use_language(language: str) -> None:
        from pointwatch.i18n import set_language

        set_language(language)

    @property
    def rules(self):
        """The settings that judge expectations (grace and early days)."""
        return self.settings.rules

    @property
    def database_url(self) -> str:
        from pointwatch.config import database_url

        return database_url(self.db_option, self.settings)

    @property
    def engine(self):
        """The engine of a database that is ours and current: created, or upgraded (after a
        backup, said on stderr), or refused (store/schema.py)."""
        if self._engine is None:
            from pointwatch.store.engine import ensure_schema

            engine = self.unchecked_engine
            upgrade = ensure_schema(engine)
            if upgrade is not None:
                kept = (
                    f"; the database as it was is kept in {upgrade.backup}"
                    if upgrade.backup is not None
                    else " (a server database: no copy was made)"
                )
                say(f"pointwatch: upgraded the database from {upgrade.before} to "
                    f"{upgrade.after}{kept}", err=True)  # fmt: skip
            self._engine = engine
        return self._engine

    @property
    def unchecked_engine(self):
        """The engine, its schema not looked at yet (`db current`, `db upgrade`)."""
        if self._unchecked is None:
            from pointwatch.store.engine import database_url, make_engine

            self.url = database_url(self.database_url)
            self._unchecked = make_engine(self.url, create_dirs=True)
        return self._unchecked

    def failure(self, exc: Exception) -> PointwatchError | None:
        """A database failure explained in one line (busy, read-only, unreachable), else None."""
        from pointwatch.store.failures import database_failure

        return database_failure(exc, self.url)

    @contextmanager
    def transaction(
        self, immediate: bool = False, journal: bool = True, snapshot: bool = False
    ) -> Iterator[Any]:
        """One command's transaction; what it changes is journaled (for `log` and `undo`)
        unless `journal` is False (the daily run's bookkeeping, `undo` itself); `snapshot`:
        every read sees the same moment (an export)."""
        from pointwatch.store.engine import transaction

        note = None
        if journal:
            from pointwatch.store.journal import JournalNote

            note = JournalNote(command_line(), self.now())
        with transaction(
            self.engine, immediate, note, holder=command_line(), snapshot=snapshot
        ) as session:
            yield session

    def today(self, as_of: date | None) -> date:
        """--as-of, else today in the configured zone (only the CLI reads the clock)."""
        if as_of is not None:
            return as_of
        return self.now().date()

    def now(self) -> datetime:
        from pointwatch.config import zone

        return datetime.now(zone(self.settings))

    def moment(self, as_of: date | None) -> datetime:
        """The aware "now" of a run: --as-of D means the end of day D in the configured zone."""
        if as_of is None:
            return self.now()
        from pointwatch.config import zone

        return datetime.combine(as_of, time(23, 59, 59), tzinfo=zone(self.settings))


pass_app = click.make_pass_decorator(App)


def as_of_option(function):
    return click.option(
        "--as-of", type=DATE, default=None, help="Evaluate as on this day (default: today)."
    )(function)


def json_option(function):
    return click.option("--json", "as_json", is_flag=True, help="Stable JSON for scripts.")(
        function
    )


def echo_json(value: Any) -> None:
    from pointwatch.formatters import dump_json

    click.echo(dump_json(value))


def say(text: str = "", err: bool = False) -> None:
    """Print a line for people; control characters from the data are shown escaped, so a memo or
    a campaign text can never drive the terminal."""
    from pointwatch.domain.wording import visible

    click.echo(visible(text), err=err)


def show(renderable: Any) -> None:
    """Print a listing: plain text (escaped like `say`), or a rich table or stacked blocks laid
    out for this terminal by `formatters.table` (already fitted: rich must not wrap or crop
    again, or an id could be cut)."""
    if isinstance(renderable, str):
        say(renderable)
        return
    from pointwatch.formatters import console

    console().print(renderable, no_wrap=True, overflow="ignore", crop=False)


_ARGS = "pointwatch.args"


def command_line() -> str:
    """The command line as typed (what the journal shows for each change), without the
    password of a database URL."""
    from pointwatch.crash import scrub

    context = click.get_current_context(silent=True)
    args = context.meta.get(_ARGS, []) if context is not None else []
    return scrub(" ".join(["pointwatch", *(_quoted(arg) for arg in args)]))


def program() -> str:
    """How the user ran pointwatch: `pointwatch`, with the --db and --config given on the command
    line, so that a command suggested to them runs against the same data."""
    context = click.get_current_context(silent=True)
    words = ["pointwatch"]
    if context is not None:
        root = context.find_root()
        for name, option in (("db", "--db"), ("config_path", "--config")):
            if root.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE:
                words += [option, _quoted(str(root.params[name]))]
    return " ".join(words)


def _quoted(arg: str) -> str:
    """Quoted for a shell where needed; Japanese memos stay readable."""
    if arg and not re.search(r"[\s'\"\\$`!*?;&|<>()\[\]{}#~]", arg):
        return arg
    return shlex.quote(arg)


HELP_OPTIONS = ["-h", "--help"]


class PointwatchGroup(click.Group):
    """Maps any project error, and any bad option or argument, to a one-line message on stderr
    and its exit code (2 for bad input). `-h` is `--help` for the group and, inherited through
    the context, for every command under it. Help pages are in the language in use, for every
    command added (`cli.help`)."""

    context_class = HelpContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        settings = kwargs.setdefault("context_settings", {})
        settings.setdefault("help_option_names", HELP_OPTIONS)
        super().__init__(*args, **kwargs)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if cmd.context_class is click.Context:  # a plain @click.command()
            cmd.context_class = HelpContext
        super().add_command(cmd, name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            ctx.meta[_ARGS] = list(args)
            if any(arg in HELP_OPTIONS for arg in args):  # `pointwatch --help`: no callback yet
                _use_language_of(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PointwatchError as exc:
            click.echo(_("Error: {message}").format(message=exc.message), err=True)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            message = _("{message} (see `{command}`)").format(
                message=exc.format_message(), command=f"{command} --help"
            )
            click.echo(_("Error: {message}").format(message=message), err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.Abort, click.ClickException):
            raise
        except Exception as exc:
            failure = ctx.obj.failure(exc) if isinstance(ctx.obj, App) else None
            if failure is not None:  # the database was busy, read-only, unreachable, …
                click.echo(f"Error: {failure.message}", err=True)
                ctx.exit(failure.exit_code)
            # A bug: never a traceback on the terminal.
            from pointwatch.crash import report_crash

            command = " ".join(filter(None, (ctx.command_path, ctx.invoked_subcommand)))
            click.echo(_("Error: {message}").format(message=report_crash(exc, command)), err=True)
            ctx.exit(EXIT_INTERNAL)


def _use_language_of(args: list[str]) -> None:
    """The language of a command line before it is parsed: --lang, POINTWATCH_LANG, the
    config's `language` (when it can be read), the locale."""
    values: dict[str, str | None] = {"--lang": None, "--config": None, "--db": None}
    index = 0
    while index < len(args):
        option, sep, value = args[index].partition("=")
        if option in values:
            following = args[index + 1] if index + 1 < len(args) else None
            values[option] = value if sep else following
            index += 1 if sep else 2
        elif option.startswith("-"):
            index += 1
        else:
            break  # the command: its own options are not the group's
    lang = values["--lang"] or os.environ.get("POINTWATCH_LANG") or None
    if lang not in (None, "ja", "en"):
        return  # click reports the bad value
    App(values["--db"], values["--config"], lang).prepare_help()


def check_name(option: str, value: str) -> None:
    """Names the user chooses (enrollment ids) are plain: letters, digits, '.', '_' and '-'."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", value):
        raise InvalidValue(
            _("{option} {value!r}: use letters, digits, '.', '_' and '-'").format(
                option=option, value=value
            )
        )
