"""The `pointwatch` command: the group and its global options, assembled from the command
modules with `add_command` (no command module imports the group, so any can be read alone).
Heavy modules (sqlmodel, rich, apprise) are imported inside commands so that
`pointwatch --help` stays fast.
"""

from __future__ import annotations

import click

from pointwatch.cli import (
    accounts,
    campaigns,
    core,
    corrections,
    database,
    imports,
    remind,
    summary,
    support,
)
from pointwatch.cli.app import App, PointwatchGroup
from pointwatch.i18n import LANGUAGES


@click.group(cls=PointwatchGroup)
@click.option(
    "--db", envvar="POINTWATCH_DB", metavar="PATH_OR_URL",
    help="SQLite file or SQLAlchemy URL (env POINTWATCH_DB; default: user data dir).",
)  # fmt: skip
@click.option(
    "--config", "config_path", envvar="POINTWATCH_CONFIG", metavar="PATH",
    help="Config file (env POINTWATCH_CONFIG; default: user config dir).",
)  # fmt: skip
@click.option(
    "--lang", type=click.Choice(LANGUAGES), envvar="POINTWATCH_LANG",
    help="Language of human output (default: config `language`, else the locale).",
)  # fmt: skip
@click.version_option(package_name="pointwatch")
@click.pass_context
def main(ctx: click.Context, db: str | None, config_path: str | None, lang: str | None) -> None:
    """Track the points, cashback and fee waivers campaigns promise you.

    \b
    Example:
      pointwatch account add rakuten --profile rakuten-card
      pointwatch join rakuten-premium-annual-fee-free-3y --on 2025-12-10 --id premium
      pointwatch status
    """
    ctx.obj = App(db, config_path, lang)


for command in (
    core.init, core.demo, accounts.account, campaigns.campaign, core.join, core.met,
    core.record, core.checked, core.entries, core.status, summary.summary,
    core.which_statement,
    imports.import_command, remind.remind, remind.alerts_command, remind.ack, remind.daemon,
    remind.export, support.inquiry, support.settle, support.reopen, support.claim,
    support.history, corrections.delete, corrections.edit, corrections.log, corrections.undo,
    database.db, database.backup, database.restore,
):  # fmt: skip
    main.add_command(command)
remind.export.add_command(database.export_all)
