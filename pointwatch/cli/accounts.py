"""`pointwatch account`: cards (with billing cycles), points, bank and wallet accounts."""

from __future__ import annotations

import click

from pointwatch.cli.app import App, PointwatchGroup, echo_json, json_option, pass_app, say, show
from pointwatch.errors import InvalidValue
from pointwatch.i18n import _


@click.group(cls=PointwatchGroup)
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

    A card takes its billing cycle from a profile (`pointwatch account add rakuten --profile
    rakuten-card`; `pointwatch campaign catalog` lists them) or from the --closing-day and
    --payment-day options.

    \b
    Example:
      pointwatch account add amazon --kind points
      pointwatch account add bank --kind bank
      pointwatch account add jcb --closing-day 15 --payment-day 10 --payment-months 1 --holidays JP
    """
    from pointwatch.domain.billing import BillingCycle
    from pointwatch.formatters import cycle_text
    from pointwatch.services.accounts import add_account

    cycle = None
    if closing_day is not None or payment_day is not None:
        if closing_day is None or payment_day is None:
            raise InvalidValue(_("a card cycle needs both --closing-day and --payment-day"))
        cycle = BillingCycle.from_values(
            closing_day=closing_day, payment_day=payment_day, payment_months=payment_months,
            holiday_rule=holiday_rule, calendar=calendar, statement_ready_day=statement_ready_day,
        )  # fmt: skip
    with app.transaction() as session:
        row = add_account(session, name, kind=kind, profile_id=profile_id, cycle=cycle)
        from pointwatch.domain.wording import kind_word

        values = {"kind": kind_word(row.kind), "name": row.name, "cycle": cycle_text(row)}
        if row.kind == "card":
            say(_("added {kind} account {name!r}: {cycle}").format(**values))
        else:
            say(_("added {kind} account {name!r}").format(**values))


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
