"""Everyday commands: init, demo, join, met, record, checked, entries, status, which-statement."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from pointwatch.cli.app import (
    AMOUNT,
    DATE,
    MONTH,
    App,
    PairType,
    as_of_option,
    check_name,
    echo_json,
    json_option,
    pass_app,
    program,
    say,
    show,
)
from pointwatch.errors import EnvironmentFailure, InvalidValue
from pointwatch.i18n import _


@click.command()
@pass_app
def init(app: App) -> None:
    """Create the config file and the database (safe to run again).

    \b
    Example:
      pointwatch init
    """
    from pointwatch.config import example_config
    from pointwatch.files import write_private

    path = app.config_path
    # The database first: a bad --db leaves no config behind either. (The settings are read
    # first: an existing config must be readable — not a folder, valid TOML.)
    app.engine  # noqa: B018 - creates the schema
    if not path.exists():
        try:
            write_private(path, example_config(), exclusive=True)  # 0600, its folder 0700
        except OSError as exc:
            raise EnvironmentFailure(f"cannot write the config {path}: {exc.strerror}") from exc
        say(_("config:   {path} (created)").format(path=path))
    else:
        say(_("config:   {path}").format(path=path))
    say(_("database: {url}").format(url=app.database_url))


@click.command()
@as_of_option
@pass_app
def demo(app: App, as_of) -> None:
    """Load the two real cases (a 3-year fee waiver, a two-step points gift) and show status.

    The demo keeps to its own database, demo.db beside the default one in the user data
    directory, unless --db is given on the command line (POINTWATCH_DB and the config's
    `database` name your own data, so the demo does not use them). Running it again changes
    nothing.

    \b
    Example:
      pointwatch demo
      pointwatch --db ~/try.db demo
    """
    from pointwatch.domain.wording import date_text
    from pointwatch.formatters import status_table
    from pointwatch.services.demo import load_demo
    from pointwatch.services.evaluation import evaluate_all

    own = click.get_current_context().find_root().get_parameter_source("db")
    if own is not click.core.ParameterSource.COMMANDLINE:
        app.db_option = str(demo_database())
    today = app.today(as_of)
    with app.transaction() as session:
        created = load_demo(session, today)
        evaluations = evaluate_all(session, today, app.rules)
    say(
        _("database: {url} (the demo's own; delete the file to forget it)").format(
            url=app.database_url
        )
    )
    say(_("demo data loaded") if created else _("demo data already loaded"))
    say(_("status as of {day}:").format(day=date_text(today)))
    show(status_table(evaluations))
    db = shlex.quote(app.db_option or "")
    say(
        _("next: {which}   |   {open}").format(
            which=f"pointwatch --db {db} which-statement demo-premium",
            open=f"pointwatch --db {db} status --open",
        )
    )


def demo_database() -> Path:
    """Where `pointwatch demo` writes by default: demo.db beside the default database."""
    from platformdirs import user_data_path

    from pointwatch.config import APP_NAME

    return user_data_path(APP_NAME) / "demo.db"


@click.command()
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
      pointwatch join amazon-primeday-2022-giftcard --on 2022-07-12 --id gift
      pointwatch join welcome-bonus --on 2026-01-10 --met spend-50000=2026-02-20 --id welcome
    """
    from pointwatch.domain.wording import date_text
    from pointwatch.formatters import expectation_line
    from pointwatch.services.enrollments import join as join_campaign
    from pointwatch.services.evaluation import evaluate_all

    if enrollment_id is not None:
        check_name("--id", enrollment_id)
    with app.transaction() as session:
        enrollment, expectations, accounts = join_campaign(
            session, campaign_id, joined, dict(bindings), dict(met), enrollment_id, app.rules
        )
        if as_json:
            from pointwatch.formatters import join_json

            ids = {e.id for e in expectations}
            evaluations = evaluate_all(session, joined, app.rules)
            mine = [v for v in evaluations if v.expectation.id in ids]
            echo_json(join_json(enrollment, accounts, mine))
            return
    say(
        _("joined {campaign} on {day} as {id!r}").format(
            campaign=enrollment.campaign, day=date_text(enrollment.joined), id=enrollment.id
        )
    )
    for role, name in accounts.items():
        say("  " + _("role {role} = account {account}").format(role=role, account=name))
    for expectation in expectations:
        say("  " + expectation_line(expectation))


@click.command()
@click.argument("enrollment_id", metavar="ENROLLMENT")
@click.argument("condition", type=PairType(DATE, "CONDITION=DATE"))
@pass_app
def met(app: App, enrollment_id: str, condition) -> None:
    """Record that a campaign condition was met later, like a gift card being registered.

    \b
    Example:
      pointwatch met gift recipient-registered=2022-09-20
    """
    from pointwatch.domain.wording import date_text
    from pointwatch.formatters import expectation_line
    from pointwatch.services.enrollments import record_condition

    name, on = condition
    with app.transaction() as session:
        expectations = record_condition(session, enrollment_id, name, on, app.rules)
    say(
        _("{enrollment}: {condition} met on {day}").format(
            enrollment=enrollment_id, condition=name, day=date_text(on)
        )
    )
    for expectation in expectations:
        say("  " + expectation_line(expectation))


# --- entries and coverage --------------------------------------------------------------------


@click.command()
@click.argument("account_name", metavar="ACCOUNT")
@click.option("--date", "on", type=DATE, required=True, help="Posting / grant date.")
@click.option("--amount", type=AMOUNT, required=True, help="Positive whole number, as printed.")
@click.option("--memo", required=True, help="Description as printed on the statement/history.")
@click.option("--statement", type=MONTH, help="Statement month (cards; default: from the cycle).")
@click.option("--credit", is_flag=True, help="A credit or refund on a card (stored negative).")
@click.option(
    "--debit", is_flag=True, help="Points/money going out of a points/bank/wallet account."
)
@click.option("--again", is_flag=True, help="Record it even if the same entry is there already.")
@pass_app
def record(app: App, account_name, on, amount, memo, statement, credit, debit, again) -> None:
    """Record one statement or point-history entry.

    Amounts are typed positive; --credit (card refunds/credits) and --debit (points spent)
    store them negative, as the statement prints them. An entry identical to one already on
    the account (date, amount, memo) is refused unless --again.

    \b
    Example:
      pointwatch record amazon --date 2022-09-15 --amount 500 --memo "ポイント付与"
      pointwatch record rakuten --date 2026-01-20 --amount 3980 --memo "楽天市場"
    """
    from pointwatch.domain.wording import date_text, month_text
    from pointwatch.services.entries import record_entry
    from pointwatch.services.evaluation import matched_entries

    with app.transaction() as session:
        row = record_entry(session, account_name, on, amount, memo, statement,
                           credit=credit, debit=debit, again=again)  # fmt: skip
        settles = matched_entries(session, None, app.rules).get(row.id)
    values = {
        "id": row.id, "day": date_text(row.date), "amount": f"{row.amount:,}",
        "memo": row.description, "statement": month_text(row.statement),
    }  # fmt: skip
    if row.statement:
        say(
            _("recorded entry {id}: {day} {amount} {memo!r}, statement {statement}").format(
                **values
            )
        )
    else:
        say(_("recorded entry {id}: {day} {amount} {memo!r}").format(**values))
    if settles:
        say("  " + _("settles {expectation}").format(expectation=settles))


@click.command()
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
    from pointwatch.domain.wording import statement_name

    say(_("{statement} marked as checked").format(statement=statement_name(month, account_name)))


@click.command()
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
            session, matched_entries(session, None, app.rules), account_name, statement
        )
    if as_json:
        echo_json([entry_json(view) for view in views])
    elif not views:
        say(
            _("no entries recorded (see `{record}` and `{import_}`)").format(
                record="pointwatch record --help", import_="pointwatch import --help"
            )
        )
    else:
        show(entries_table(views))


# --- status and statements -------------------------------------------------------------------


@click.command()
@as_of_option
@click.option(
    "--open", "only_open", is_flag=True,
    help="Only what needs attention now or within `upcoming_days`: late, fee_charged, check, "
    "due, and upcoming or awaiting_condition whose window starts (a grant) or whose statement "
    "is fixed (a waiver) by then.",
)  # fmt: skip
@json_option
@pass_app
def status(app: App, as_of, only_open: bool, as_json: bool) -> None:
    """Every expectation with its status, due date, statement and days late, then the one
    thing to do next (the most urgent, with its command).

    With --open, only what needs attention now or soon: late, fee_charged, check and due,
    and an upcoming (or awaiting_condition) expectation whose window starts — for a waiver:
    whose statement is fixed — within `upcoming_days` (config, default 3) of today. A
    waiver check two years away is not listed. --json keeps its keys; the next step is
    for people only.

    \b
    Example:
      pointwatch status
      pointwatch status --open --as-of 2023-02-10
    """
    from pointwatch.domain.next_step import needs_attention, next_step
    from pointwatch.services.evaluation import evaluate_all
    from pointwatch.store.reader import reading

    today = app.today(as_of)
    with reading(app.database_url, lambda: app.engine) as reader:
        evaluations = evaluate_all(reader, today, app.rules)
    everything = evaluations
    lead = app.settings.upcoming_days
    if only_open:
        evaluations = [v for v in evaluations if needs_attention(v, today, lead)]
    if as_json:
        from pointwatch.formatters import expectation_json

        echo_json([expectation_json(evaluation) for evaluation in evaluations])
        return
    if not everything:
        say(
            _("nothing to watch (join a campaign: `{command}`)").format(
                command="pointwatch join --help"
            )
        )
        return
    from pointwatch.formatters import next_step_lines, status_table

    if evaluations:
        show(status_table(evaluations))
    else:
        say(_("Nothing needs your attention now."))
    say()
    for line in next_step_lines(next_step(everything, today, lead), program(), not only_open):
        say(line)


@click.command("which-statement")
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
      pointwatch which-statement premium
    """
    from pointwatch.formatters import statement_json, statement_sentence
    from pointwatch.services import statements

    if target is None and (card is None or posted is None):
        raise InvalidValue(
            _("give an ENROLLMENT (or expectation / entry id), or --card and --date")
        )
    if target is not None and (card is not None or posted is not None):
        raise InvalidValue(_("give either an ENROLLMENT or --card/--date, not both"))
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
        say(statement_sentence(answer))
