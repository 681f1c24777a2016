"""Command line: parse options, call a service inside one transaction, hand the result to a
formatter. Heavy modules (sqlmodel, rich, apprise) are imported inside commands so that
`pointwatch --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import click

from pointwatch.errors import InvalidValue, PointwatchError

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
    """A positive whole number of yen or points; "11,000" is accepted, "12.5" and "-5" are not."""

    name = "AMOUNT"

    def convert(self, value: Any, param, ctx) -> int:
        if isinstance(value, int):
            number = value
        else:
            text = str(value).replace(",", "").replace("_", "").strip()
            if not text.isascii() or not text.isdigit():
                self.fail(f"{value!r}: expected a positive whole number (e.g. 500 or 11,000)")
            number = int(text)
        if number <= 0:
            self.fail(f"{value!r}: expected a positive whole number (e.g. 500 or 11,000)")
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
            self.fail(f"{value!r}: expected {self.name}", param, ctx)
        converted = self.value_type.convert(raw.strip(), param, ctx) if self.value_type else raw
        return key.strip(), converted


DATE = DateType()
MONTH = MonthType()
AMOUNT = AmountType()


# --- application context ---------------------------------------------------------------------


class App:
    """What every command needs, built lazily: settings, engine, today."""

    def __init__(self, db: str | None, config_path: str | None) -> None:
        self.db_option = db
        self.config_option = config_path
        self._settings = None
        self._engine = None

    @property
    def config_path(self) -> Path:
        from pointwatch.config import resolve_config_path

        return resolve_config_path(self.config_option)

    @property
    def settings(self):
        if self._settings is None:
            from pointwatch.config import load_settings

            self._settings = load_settings(self.config_path)
        return self._settings

    @property
    def database_url(self) -> str:
        from pointwatch.config import database_url

        return database_url(self.db_option, self.settings)

    @property
    def engine(self):
        if self._engine is None:
            from pointwatch.store.engine import ensure_schema, make_engine

            self._engine = make_engine(self.database_url, create_dirs=True)
            ensure_schema(self._engine)
        return self._engine

    @contextmanager
    def transaction(self, immediate: bool = False) -> Iterator[Any]:
        from pointwatch.store.engine import transaction

        with transaction(self.engine, immediate=immediate) as session:
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


def show(renderable: Any) -> None:
    """Print a rich renderable, or plain text as it is."""
    if isinstance(renderable, str):
        click.echo(renderable)
        return
    from pointwatch.formatters import console

    console().print(renderable)


class PointwatchGroup(click.Group):
    """Maps any project error, and any bad option or argument, to a one-line message on stderr
    and its exit code (2 for bad input)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PointwatchError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            click.echo(f"Error: {exc.format_message()} (see `{command} --help`)", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=PointwatchGroup)
@click.option(
    "--db", envvar="POINTWATCH_DB", metavar="PATH_OR_URL",
    help="SQLite file or SQLAlchemy URL (env POINTWATCH_DB; default: user data dir).",
)  # fmt: skip
@click.option(
    "--config", "config_path", envvar="POINTWATCH_CONFIG", metavar="PATH",
    help="Config file (env POINTWATCH_CONFIG; default: user config dir).",
)  # fmt: skip
@click.version_option(package_name="pointwatch")
@click.pass_context
def main(ctx: click.Context, db: str | None, config_path: str | None) -> None:
    """Track the points, cashback and fee waivers campaigns promise you.

    \b
    Example:
      pointwatch account add rakuten --profile rakuten-card
      pointwatch join rakuten-premium-annual-fee-free-3y --on 2025-12-10 --account card=rakuten
      pointwatch status
    """
    ctx.obj = App(db, config_path)


# --- init, demo ------------------------------------------------------------------------------


@main.command()
@pass_app
def init(app: App) -> None:
    """Create the config file and the database (safe to run again).

    \b
    Example:
      pointwatch init
    """
    from pointwatch.config import example_config

    path = app.config_path
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(example_config(), encoding="utf-8")
        click.echo(f"config:   {path} (created)")
    else:
        click.echo(f"config:   {path}")
    app.engine  # noqa: B018 - creates the schema
    click.echo(f"database: {app.database_url}")


@main.command()
@as_of_option
@pass_app
def demo(app: App, as_of) -> None:
    """Load the two real cases (a 3-year fee waiver, a two-step points gift) and show status.

    Uses demo-* accounts and enrollments; running it again changes nothing.

    \b
    Example:
      pointwatch --db demo.db demo
    """
    from pointwatch.formatters import status_table
    from pointwatch.services.demo import load_demo
    from pointwatch.services.evaluation import evaluate_all

    today = app.today(as_of)
    with app.transaction() as session:
        created = load_demo(session, today)
        evaluations = evaluate_all(
            session, today, app.settings.grace_days, getattr(app.settings, "early_days", 31)
        )
    click.echo(f"database: {app.database_url}")
    click.echo("demo data loaded" if created else "demo data already loaded")
    click.echo(f"status as of {today}:")
    show(status_table(evaluations))
    click.echo("next: pointwatch which-statement demo-premium   |   pointwatch status --open")


# --- accounts --------------------------------------------------------------------------------


@main.group(cls=PointwatchGroup)
def account() -> None:
    """Accounts: cards (with billing cycles), points, bank, wallet."""


@account.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice(["card", "points", "bank", "wallet"]))
@click.option("--profile", "profile_id", help="A card profile, e.g. rakuten-card.")
@click.option("--closing-day", help="Card closing day: 1-28 or 'end'.")
@click.option("--payment-day", type=int, help="Card debit day (1-31).")
@click.option(
    "--payment-months", type=int, default=1, show_default=True, help="Months after closing."
)
@click.option(
    "--holiday-rule", default="next-business-day", show_default=True,
    type=click.Choice(["next-business-day", "previous-business-day", "none"]),
)  # fmt: skip
@click.option("--holidays", "calendar", help="Holiday calendar for business days, e.g. JP.")
@click.option(
    "--statement-ready-day", type=int, help="Day of the payment month the amount is fixed."
)
@pass_app
def account_add(app: App, name: str, kind, profile_id, closing_day, payment_day, payment_months,
                holiday_rule, calendar, statement_ready_day) -> None:  # fmt: skip
    """Add an account.

    \b
    Example:
      pointwatch account add rakuten --profile rakuten-card
      pointwatch account add amazon-points --kind points
      pointwatch account add jcb --closing-day 15 --payment-day 10 --payment-months 1 --holidays JP
    """
    from pointwatch.domain.billing import BillingCycle
    from pointwatch.formatters import cycle_text
    from pointwatch.services.accounts import add_account

    cycle = None
    if closing_day is not None or payment_day is not None:
        if closing_day is None or payment_day is None:
            raise InvalidValue("a card cycle needs both --closing-day and --payment-day")
        cycle = BillingCycle.from_values(
            closing_day=closing_day, payment_day=payment_day, payment_months=payment_months,
            holiday_rule=holiday_rule, calendar=calendar, statement_ready_day=statement_ready_day,
        )  # fmt: skip
    with app.transaction() as session:
        row = add_account(session, name, kind=kind, profile_id=profile_id, cycle=cycle)
        detail = f": {cycle_text(row)}" if row.kind == "card" else ""
        click.echo(f"added {row.kind} account {row.name!r}{detail}")


@account.command("list")
@json_option
@pass_app
def account_list(app: App, as_json: bool) -> None:
    """List accounts.

    \b
    Example:
      pointwatch account list --json
    """
    from pointwatch.formatters import account_json, accounts_table
    from pointwatch.services.accounts import list_accounts

    with app.transaction() as session:
        rows = list_accounts(session)
        if as_json:
            echo_json([account_json(row) for row in rows])
        else:
            show(accounts_table(rows))


@account.command("show")
@click.argument("name")
@json_option
@pass_app
def account_show(app: App, name: str, as_json: bool) -> None:
    """Show one account and its billing cycle.

    \b
    Example:
      pointwatch account show rakuten
    """
    from pointwatch.formatters import account_json, accounts_table
    from pointwatch.services.accounts import get_account

    with app.transaction() as session:
        row = get_account(session, name)
        if as_json:
            echo_json(account_json(row))
        else:
            show(accounts_table([row]))


# --- campaigns -------------------------------------------------------------------------------


@main.group(cls=PointwatchGroup)
def campaign() -> None:
    """Campaign definitions: load your own, browse them and the shipped catalog."""


@campaign.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def campaign_add(app: App, file: Path) -> None:
    """Load campaigns, card profiles and issuers from a TOML file (all or nothing).

    \b
    Example:
      pointwatch campaign add my-campaigns.toml
    """
    from pointwatch.services.definitions import add_definitions

    with app.transaction() as session:
        report = add_definitions(session, file)
    for label, items in (("added", report.added), ("updated", report.updated),
                         ("unchanged", report.unchanged)):  # fmt: skip
        for item in items:
            click.echo(f"{label}: {item}")
    for enrollment_id in report.rederived:
        click.echo(f"re-derived expectations of enrollment {enrollment_id}")


@campaign.command("list")
@json_option
@pass_app
def campaign_list(app: App, as_json: bool) -> None:
    """List loaded campaigns.

    \b
    Example:
      pointwatch campaign list
    """
    from pointwatch.services.definitions import stored_campaigns

    with app.transaction() as session:
        items = stored_campaigns(session)
    rows = [
        {"id": c.id, "name": c.name, "issuer": c.issuer, "source": source, "enrollments": count}
        for c, source, count in items
    ]
    _campaign_rows(rows, as_json, empty="no campaigns loaded (see `pointwatch campaign catalog`)")


@campaign.command("catalog")
@json_option
def campaign_catalog(as_json: bool) -> None:
    """List the shipped campaigns and card profiles (joinable by id).

    \b
    Example:
      pointwatch campaign catalog
    """
    from pointwatch.formatters import cycle_text
    from pointwatch.services.definitions import catalog
    from pointwatch.store.convert import account_row

    shipped = catalog()
    campaigns = [{"id": c.id, "name": c.name, "issuer": c.issuer} for c in shipped.campaigns]
    profiles = [
        {"id": p.id, "name": p.name, "kind": p.kind,
         "cycle": cycle_text(account_row(p.id, p.kind, p.cycle, None))}
        for p in shipped.profiles
    ]  # fmt: skip
    if as_json:
        echo_json({"campaigns": campaigns, "profiles": profiles})
        return
    click.echo("Campaigns (pointwatch join ID --on DATE):")
    for item in campaigns:
        click.echo(f"  {item['id']}  {item['name']} [{item['issuer']}]")
    click.echo("Card profiles (pointwatch account add NAME --profile ID):")
    for item in profiles:
        click.echo(f"  {item['id']}  {item['name']}: {item['cycle']}")


def _campaign_rows(rows: list[dict], as_json: bool, empty: str) -> None:
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(empty)
    for row in rows:
        click.echo(
            f"{row['id']}  {row['name']} [{row['issuer']}]  from {row['source']}, "
            f"{row['enrollments']} enrollment(s)"
        )


@campaign.command("show")
@click.argument("campaign_id")
@json_option
@pass_app
def campaign_show(app: App, campaign_id: str, as_json: bool) -> None:
    """Show one campaign (loaded or shipped): conditions, grants and waivers.

    \b
    Example:
      pointwatch campaign show amazon-primeday-2022-giftcard
    """
    from pointwatch.services.definitions import catalog, get_campaign

    with app.transaction() as session:
        shipped = {c.id: c for c in catalog().campaigns}
        if campaign_id in shipped:
            item = shipped[campaign_id]
            # A loaded copy (possibly edited by the user) wins over the shipped one.
            with suppress(PointwatchError):
                item = get_campaign(session, campaign_id, from_catalog=False)
        else:
            item = get_campaign(session, campaign_id, from_catalog=False)
    if as_json:
        echo_json(_campaign_json(item))
        return
    click.echo(f"{item.id}: {item.name}\nissuer: {item.issuer}")
    if item.period:
        click.echo(f"period: {item.period.start} – {item.period.end}")
    if item.terms_url:
        click.echo(f"terms: {item.terms_url}")
    for condition in item.conditions:
        click.echo(f"condition {condition.id}: {condition.text}")
    for grant in item.grants:
        needs = f", requires {', '.join(grant.requires)}" if grant.requires else ""
        click.echo(
            f"grant {grant.id}: {grant.amount:,} {grant.unit} to role {grant.account!r}, "
            f"window {grant.window.text}{needs}"
        )
    for waiver in item.waivers:
        click.echo(
            f"waiver {waiver.id}: {waiver.amount:,} {waiver.unit} on role {waiver.account!r}, "
            f"statement {waiver.statement.text}, {waiver.repeat} time(s), "
            f"keywords {', '.join(waiver.match.keywords) or '-'}"
        )
    if item.note:
        click.echo(f"note: {item.note}")


def _campaign_json(item) -> dict:
    return {
        "id": item.id,
        "name": item.name,
        "issuer": item.issuer,
        "period": None
        if item.period is None
        else {"start": item.period.start.isoformat(), "end": item.period.end.isoformat()},
        "conditions": [{"id": c.id, "text": c.text} for c in item.conditions],
        "grants": [
            {
                "id": g.id,
                "amount": g.amount,
                "unit": g.unit,
                "account": g.account,
                "window": g.window.text,
                "requires": list(g.requires),
            }
            for g in item.grants
        ],  # fmt: skip
        "waivers": [
            {
                "id": w.id,
                "amount": w.amount,
                "unit": w.unit,
                "account": w.account,
                "statement": w.statement.text,
                "repeat": w.repeat,
                "keywords": list(w.match.keywords),
            }
            for w in item.waivers
        ],  # fmt: skip
    }


# --- enrollments -----------------------------------------------------------------------------


@main.command()
@click.argument("campaign_id", metavar="CAMPAIGN")
@click.option("--on", "joined", type=DATE, required=True, help="The day you joined / applied.")
@click.option("--account", "bindings", multiple=True, type=PairType(None, "ROLE=ACCOUNT"),
              help="Bind a campaign role to one of your accounts (repeatable).")  # fmt: skip
@click.option("--met", multiple=True, type=PairType(DATE, "CONDITION=DATE"),
              help="A condition already met, with its date (repeatable).")  # fmt: skip
@click.option("--id", "enrollment_id", help="Name for this enrollment (default: campaign id).")
@json_option
@pass_app
def join(app: App, campaign_id, joined, bindings, met, enrollment_id, as_json) -> None:
    """Register a campaign you joined; prints what is owed and where/when to look.

    \b
    Example:
      pointwatch join amazon-primeday-2022-giftcard --on 2022-07-12 --account points=amazon
      pointwatch join rakuten-premium-annual-fee-free-3y --on 2025-12-10 --account card=rakuten
    """
    from pointwatch.formatters import expectation_line
    from pointwatch.services.enrollments import join as join_campaign
    from pointwatch.services.evaluation import evaluate_all

    if enrollment_id is not None:
        _check_name("--id", enrollment_id)
    with app.transaction() as session:
        enrollment, expectations, accounts = join_campaign(
            session, campaign_id, joined, dict(bindings), dict(met), enrollment_id
        )
        if as_json:
            from pointwatch.formatters import expectation_json

            ids = {e.id for e in expectations}
            evaluations = evaluate_all(
                session, joined, app.settings.grace_days, getattr(app.settings, "early_days", 31)
            )
            echo_json({
                "enrollment": enrollment.id,
                "campaign": enrollment.campaign,
                "joined": enrollment.joined.isoformat(),
                "accounts": accounts,
                "expectations": [
                    expectation_json(v) for v in evaluations if v.expectation.id in ids
                ],
            })  # fmt: skip
            return
    click.echo(f"joined {enrollment.campaign} on {enrollment.joined} as {enrollment.id!r}")
    for role, name in accounts.items():
        click.echo(f"  role {role} = account {name}")
    for expectation in expectations:
        click.echo("  " + expectation_line(expectation, app.settings.grace_days))


def _check_name(option: str, value: str) -> None:
    import re

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", value):
        raise InvalidValue(f"{option} {value!r}: use letters, digits, '.', '_' and '-'")


@main.command()
@click.argument("enrollment_id", metavar="ENROLLMENT")
@click.argument("condition", type=PairType(DATE, "CONDITION=DATE"))
@pass_app
def met(app: App, enrollment_id: str, condition) -> None:
    """Record that a campaign condition was met later, like a gift card being registered.

    \b
    Example:
      pointwatch met amazon-primeday-2022-giftcard recipient-registered=2022-09-20
    """
    from pointwatch.formatters import expectation_line
    from pointwatch.services.enrollments import record_condition

    name, on = condition
    with app.transaction() as session:
        expectations = record_condition(session, enrollment_id, name, on)
    click.echo(f"{enrollment_id}: {name} met on {on}")
    for expectation in expectations:
        click.echo("  " + expectation_line(expectation, app.settings.grace_days))


# --- entries and coverage --------------------------------------------------------------------


@main.command()
@click.argument("account_name", metavar="ACCOUNT")
@click.option("--date", "on", type=DATE, required=True, help="Posting / grant date.")
@click.option("--amount", type=AMOUNT, required=True, help="Positive whole number, as printed.")
@click.option("--memo", required=True, help="Description as printed on the statement/history.")
@click.option("--statement", type=MONTH, help="Statement month (cards; default: from the cycle).")
@click.option("--credit", is_flag=True, help="A credit or refund on a card (stored negative).")
@click.option(
    "--debit", is_flag=True, help="Points/money going out of a points/bank/wallet account."
)
@pass_app
def record(app: App, account_name, on, amount, memo, statement, credit, debit) -> None:
    """Record one statement or point-history entry.

    Amounts are typed positive; --credit (card refunds/credits) and --debit (points spent)
    store them negative, as the statement prints them.

    \b
    Example:
      pointwatch record rakuten --date 2026-01-05 --amount 11000 --memo "年会費"
      pointwatch record amazon-points --date 2022-09-15 --amount 500 --memo "キャンペーン"
    """
    from pointwatch.services.entries import record_entry
    from pointwatch.services.evaluation import matched_entries

    if credit and debit:
        raise InvalidValue("--credit and --debit: give at most one")
    with app.transaction() as session:
        from pointwatch.services.accounts import get_account

        kind = get_account(session, account_name).kind
        if credit and kind != "card":
            raise InvalidValue(f"--credit: {account_name!r} is a {kind} account; use --debit")
        if debit and kind == "card":
            raise InvalidValue(f"--debit: {account_name!r} is a card; charges are positive already")
        signed = -amount if (credit or debit) else amount
        row = record_entry(session, account_name, on, signed, memo, statement)
        settles = matched_entries(session, None, getattr(app.settings, "early_days", 31)).get(
            row.id
        )
    where = f", statement {row.statement}" if row.statement else ""
    click.echo(f"recorded entry {row.id}: {row.date} {row.amount:,} {row.description!r}{where}")
    if settles:
        click.echo(f"  settles {settles}")


@main.command()
@click.argument("account_name", metavar="ACCOUNT")
@click.argument("month", metavar="YYYY-MM", type=MONTH)
@as_of_option
@pass_app
def checked(app: App, account_name: str, month, as_of) -> None:
    """Record that you checked a whole card statement (proves a fee was NOT charged).

    \b
    Example:
      pointwatch checked rakuten 2026-02
    """
    from pointwatch.services.entries import mark_checked

    with app.transaction() as session:
        mark_checked(session, account_name, month, app.today(as_of))
    click.echo(f"statement {month} of {account_name} marked as checked")


@main.command()
@click.argument("account_name", metavar="[ACCOUNT]", required=False)
@click.option("--statement", type=MONTH, help="Only this statement month.")
@json_option
@pass_app
def entries(app: App, account_name, statement, as_json) -> None:
    """List recorded entries and the expectation each settles.

    \b
    Example:
      pointwatch entries rakuten --statement 2026-02
    """
    from pointwatch.formatters import entries_table, entry_json
    from pointwatch.services.entries import list_entries
    from pointwatch.services.evaluation import matched_entries

    with app.transaction() as session:
        views = list_entries(
            session,
            matched_entries(session, None, getattr(app.settings, "early_days", 31)),
            account_name,
            statement,
        )
    if as_json:
        echo_json([entry_json(view) for view in views])
    elif not views:
        click.echo(
            "no entries recorded (see `pointwatch record --help` and `pointwatch import --help`)"
        )
    else:
        show(entries_table(views))


# --- status and statements -------------------------------------------------------------------


@main.command()
@as_of_option
@click.option("--open", "only_open", is_flag=True, help="Only expectations not yet settled.")
@json_option
@pass_app
def status(app: App, as_of, only_open: bool, as_json: bool) -> None:
    """Every expectation with its status, due date, statement and days late.

    \b
    Example:
      pointwatch status --as-of 2023-02-10 --open
    """
    from pointwatch.services.evaluation import evaluate_all

    with app.transaction() as session:
        evaluations = evaluate_all(
            session,
            app.today(as_of),
            app.settings.grace_days,
            getattr(app.settings, "early_days", 31),
        )
    if only_open:
        evaluations = [evaluation for evaluation in evaluations if evaluation.is_open]
    if as_json:
        from pointwatch.formatters import expectation_json

        echo_json([expectation_json(evaluation) for evaluation in evaluations])
        return
    if not evaluations:
        click.echo("nothing to watch (join a campaign: `pointwatch join --help`)")
        return
    from pointwatch.formatters import status_table

    show(status_table(evaluations))


@main.command("which-statement")
@click.argument("target", metavar="[ENROLLMENT|EXPECTATION|ENTRY]", required=False)
@click.option("--card", help="A card account or card profile id.")
@click.option("--date", "posted", type=DATE, help="Posting date of a charge (with --card).")
@json_option
@pass_app
def which_statement(app: App, target, card, posted, as_json) -> None:
    """Which statement month to open, when it closes and on which day it is debited.

    \b
    Example:
      pointwatch which-statement --card rakuten-card --date 2026-01-15
      pointwatch which-statement rakuten-premium-annual-fee-free-3y
    """
    from pointwatch.formatters import statement_json, statement_sentence
    from pointwatch.services import statements

    if target is None and (card is None or posted is None):
        raise InvalidValue("give an ENROLLMENT (or expectation / entry id), or --card and --date")
    if target is not None and (card is not None or posted is not None):
        raise InvalidValue("give either an ENROLLMENT or --card/--date, not both")
    with app.transaction() as session:
        if target is None:
            answers = [statements.for_card_date(session, card, posted)]
        else:
            answers = statements.for_target(session, target)
    if as_json:
        items = [statement_json(a.account, a.statement, a.reason) for a in answers]
        echo_json(items[0] if target is None else items)
        return
    for answer in answers:
        click.echo(statement_sentence(answer.account, answer.statement, answer.reason))


# Command modules register themselves on `main`; imported last because they import from here.
from pointwatch import cli_import, cli_remind, cli_support  # noqa: E402, F401
