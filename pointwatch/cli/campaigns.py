"""`pointwatch campaign`: load definitions, browse them and the shipped catalog."""

from __future__ import annotations

from pathlib import Path

import click

from pointwatch.cli.app import App, PointwatchGroup, echo_json, json_option, pass_app, say
from pointwatch.i18n import N_, _, word
from pointwatch.skeletons import KINDS

DEFINITION_WORDS = {"campaign": N_("campaign"), "profile": N_("profile"), "issuer": N_("issuer")}


@click.group(cls=PointwatchGroup)
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
    from pointwatch.services.campaign_files import add_definitions

    with app.transaction() as session:
        report = add_definitions(session, file)
    for label, items in ((_("added: {kind} {id}"), report.added),
                         (_("updated: {kind} {id}"), report.updated),
                         (_("unchanged: {kind} {id}"), report.unchanged)):  # fmt: skip
        for item in items:
            kind, _space, item_id = item.partition(" ")
            say(label.format(kind=word(DEFINITION_WORDS, kind), id=item_id))
    for enrollment_id in report.rederived:
        say(_("re-derived expectations of enrollment {id}").format(id=enrollment_id))


@campaign.command("new")
@click.argument("kind", type=click.Choice(KINDS))
def campaign_new(kind: str) -> None:
    """Print a commented campaign file to start from: signup-bonus (points after spending an
    amount by a deadline), fee-waiver (an annual fee that must not be charged), two-step (a
    gift or referral with a condition you record), point-up (one purchase during a period,
    points later) or cashback (a credit after spending). Each loads as it is.

    \b
    Example:
      pointwatch campaign new signup-bonus > my-signup-bonus.toml
      pointwatch campaign add my-signup-bonus.toml
    """
    from pointwatch.skeletons import skeleton

    click.echo(skeleton(kind), nl=False)


@campaign.command("list")
@json_option
@pass_app
def campaign_list(app: App, as_json: bool) -> None:
    """List loaded campaigns.

    \b
    Example:
      pointwatch campaign list
    """
    from pointwatch.formatters import campaign_list_json, campaign_list_lines
    from pointwatch.services.definitions import stored_campaigns

    with app.transaction() as session:
        items = stored_campaigns(session)
    if as_json:
        echo_json(campaign_list_json(items))
    elif not items:
        say(
            _("no campaigns loaded (see `{command}`)").format(command="pointwatch campaign catalog")
        )
    else:
        say("\n".join(campaign_list_lines(items)))


@campaign.command("catalog")
@json_option
def campaign_catalog(as_json: bool) -> None:
    """List the shipped campaigns and card profiles (joinable by id).

    \b
    Example:
      pointwatch campaign catalog
    """
    from pointwatch.formatters import catalog_json, catalog_lines
    from pointwatch.services.definitions import catalog

    shipped = catalog()
    if as_json:
        echo_json(catalog_json(shipped))
    else:
        say("\n".join(catalog_lines(shipped)))


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
    from pointwatch.formatters import campaign_json, campaign_lines
    from pointwatch.services.definitions import find_campaign

    with app.transaction() as session:
        item = find_campaign(session, campaign_id)
    if as_json:
        echo_json(campaign_json(item))
    else:
        say("\n".join(campaign_lines(item)))
