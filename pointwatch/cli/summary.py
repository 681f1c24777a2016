"""`pointwatch summary`: totals per unit of what campaigns promised and what became of it."""

from __future__ import annotations

import click

from pointwatch.cli.app import App, as_of_option, echo_json, json_option, pass_app, say, show


@click.command()
@as_of_option
@json_option
@pass_app
def summary(app: App, as_of, as_json: bool) -> None:
    """Totals per unit: expected, received, pending, late, substituted (and the value lost),
    forfeited and written off; fees waived, charged and refunded — overall, per campaign and
    per account, as on the day asked.

    Each expectation counts once, in its unit, under its status on that day: expected is the
    sum of received, pending (awaiting a condition, upcoming or due), late, substituted,
    forfeited and written off; lost is what substitutes fell short of the promise. Fees:
    waived (a covered statement without the fee), charged (not refunded, or settled as lost),
    refunded, and unchecked (a statement not yet checked).

    \b
    Example:
      pointwatch summary
      pointwatch summary --as-of 2026-01-31 --json
    """
    from pointwatch.domain.summary import summarize
    from pointwatch.services.evaluation import evaluate_all

    today = app.today(as_of)
    with app.transaction() as session:
        summaries = summarize(evaluate_all(session, today, app.rules))
    if as_json:
        from pointwatch.formatters.summary import summary_json

        echo_json(summary_json(summaries))
        return
    if not summaries:
        say("nothing to sum up (join a campaign: `pointwatch join --help`)")
        return
    from pointwatch.formatters.summary import summary_tables

    for number, (heading, listing) in enumerate(summary_tables(summaries)):
        if number:
            say()
        say(heading)
        show(listing)
