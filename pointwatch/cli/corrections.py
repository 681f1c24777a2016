"""Correcting mistakes: delete, edit, and the journal of changes (log, undo)."""

from __future__ import annotations

import click

from pointwatch.cli.app import (
    AMOUNT,
    DATE,
    MONTH,
    App,
    PointwatchGroup,
    echo_json,
    json_option,
    pass_app,
    say,
)
from pointwatch.i18n import N_, _

UNDO_HINT = N_("(`pointwatch undo` brings it back)")


@click.group(cls=PointwatchGroup)
def delete() -> None:
    """Delete an entry, enrollment, account or inquiry recorded by mistake (what is in use is
    refused, with the reason; `pointwatch undo` reverts a deletion)."""


@delete.command("entry")
@click.argument("entry_id", metavar="ID", type=int)
@pass_app
def delete_entry(app: App, entry_id: int) -> None:
    """Delete one entry (ids: `pointwatch entries`); what it settled is open again.

    \b
    Example:
      pointwatch delete entry 3
    """
    from pointwatch.services.corrections import delete_entry as delete_one
    from pointwatch.services.evaluation import matched_entries

    with app.transaction() as session:
        settled = matched_entries(session, None, app.rules).get(entry_id)
        view = delete_one(session, entry_id)
    say(
        _("deleted entry {id} of {account}: {entry_text} {undo_hint}").format(
            id=view.id, account=view.account, entry_text=_entry_text(view), undo_hint=_(UNDO_HINT)
        )
    )
    if settled:
        say(_("  it settled {settled}, which is open again").format(settled=settled))


@delete.command("enrollment")
@click.argument("enrollment_id", metavar="ID")
@pass_app
def delete_enrollment(app: App, enrollment_id: str) -> None:
    """Delete an enrollment and its expectations (refused while it has support history).

    \b
    Example:
      pointwatch delete enrollment premium
    """
    from pointwatch.services.corrections import delete_enrollment as delete_one

    with app.transaction() as session:
        campaign, expectations = delete_one(session, enrollment_id)
    say(
        _(
            "deleted enrollment {enrollment_id} ({campaign}) and its {count} "
            "expectation(s) {undo_hint}"
        ).format(
            enrollment_id=enrollment_id,
            campaign=campaign,
            count=len(expectations),
            undo_hint=_(UNDO_HINT),
        )
    )


@delete.command("account")
@click.argument("name", metavar="NAME")
@pass_app
def delete_account(app: App, name: str) -> None:
    """Delete an account nothing uses (refused while it has entries or enrollments); its
    statement coverage goes with it.

    \b
    Example:
      pointwatch delete account jcb
    """
    from pointwatch.services.corrections import delete_account as delete_one

    with app.transaction() as session:
        view = delete_one(session, name)
    say(
        _("deleted account {name} ({kind}) {undo_hint}").format(
            name=view.name, kind=_kind_word(view.kind), undo_hint=_(UNDO_HINT)
        )
    )


@delete.command("inquiry")
@click.argument("inquiry_id", metavar="ID", type=int)
@pass_app
def delete_inquiry(app: App, inquiry_id: int) -> None:
    """Delete a support contact logged by mistake (numbers: `pointwatch inquiry list`).

    \b
    Example:
      pointwatch delete inquiry 1
    """
    from pointwatch.services.corrections import delete_inquiry as delete_one

    with app.transaction() as session:
        inquiry = delete_one(session, inquiry_id)
    say(
        _("deleted inquiry {id} on {expectation} ({channel}) {undo_hint}").format(
            id=inquiry.id,
            expectation=inquiry.expectation,
            channel=_channel_word(inquiry.channel),
            undo_hint=_(UNDO_HINT),
        )
    )


@click.group(cls=PointwatchGroup)
def edit() -> None:
    """Correct a recorded entry (`pointwatch undo` reverts the correction)."""


@edit.command("entry")
@click.argument("entry_id", metavar="ID", type=int)
@click.option("--date", "on", type=DATE, help="The correct posting / grant date.")
@click.option("--amount", type=AMOUNT, help="Positive whole number; the stored sign is kept.")
@click.option("--memo", help="The correct description.")
@click.option("--statement", type=MONTH, help="Statement month (cards; default: from the cycle).")
@click.option("--credit/--charge", "credit", default=None,
              help="Cards: a credit or refund (negative) / a charge (positive).")  # fmt: skip
@click.option("--debit/--addition", "debit", default=None,
              help="Other accounts: going out (negative) / coming in (positive).")  # fmt: skip
@click.option("--again", is_flag=True, help="Allow the result to equal another entry.")
@pass_app
def edit_entry(app: App, entry_id, on, amount, memo, statement, credit, debit, again) -> None:
    """Correct an entry's date, amount, memo or statement month.

    The amount is typed positive, as for `record`, and the entry keeps its sign unless
    --credit/--charge (cards) or --debit/--addition (other accounts) say otherwise. A card
    entry given a new --date moves to that date's statement unless --statement is given.

    \b
    Example:
      pointwatch edit entry 2 --memo "楽天市場　ギフトカード購入"
      pointwatch edit entry 1 --date 2022-09-16 --amount 500
    """
    from pointwatch.services.entries import edit_entry as edit_one

    with app.transaction() as session:
        before, after = edit_one(
            session, entry_id, on, amount, memo, statement, credit=credit, debit=debit,
            again=again,
        )  # fmt: skip
    say(
        _("entry {id} of {account}: {entry_text}").format(
            id=after.id, account=after.account, entry_text=_entry_text(before)
        )
    )
    say(
        _("  is now {entry_text} {undo_hint}").format(
            entry_text=_entry_text(after), undo_hint=_(UNDO_HINT)
        )
    )


def _kind_word(kind: str) -> str:
    from pointwatch.domain.wording import kind_word

    return kind_word(kind)


def _channel_word(channel: str) -> str:
    from pointwatch.domain.wording import channel_word

    return channel_word(channel)


def _entry_text(view) -> str:
    from pointwatch.domain.wording import date_text, month_text

    values = {
        "day": date_text(view.date), "amount": f"{view.amount:,}", "memo": view.description,
        "statement": month_text(view.statement),
    }  # fmt: skip
    if view.statement:
        return _("{day} {amount} {memo!r}, statement {statement}").format(**values)
    return _("{day} {amount} {memo!r}").format(**values)


@click.command("log")
@click.option("--limit", "-n", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many changes, newest first (0: all).")  # fmt: skip
@json_option
@pass_app
def log(app: App, limit: int, as_json: bool) -> None:
    """The journal of changes: id, when, the command line and what it changed.

    \b
    Example:
      pointwatch log -n 5
    """
    from pointwatch.config import zone
    from pointwatch.formatters.journal import journal_json, journal_lines
    from pointwatch.services.journal import list_journal

    with app.transaction(journal=False) as session:
        views = list_journal(session, limit or None)
    if as_json:
        echo_json([journal_json(view) for view in views])
    elif not views:
        say(_("no changes recorded yet"))
    else:
        say("\n".join(journal_lines(views, zone(app.settings))))


@click.command()
@pass_app
def undo(app: App) -> None:
    """Revert the most recent change not yet undone (run again: the one before).

    Refused when a later change that is not journaled (the daily `remind` run) depends on it.
    Undo itself is not a change that can be undone (there is no redo: run the command again).

    \b
    Example:
      pointwatch undo
    """
    from pointwatch.formatters.journal import undone_sentence
    from pointwatch.services.journal import undo_last

    with app.transaction(immediate=True, journal=False) as session:
        view = undo_last(session, app.now())
    say(undone_sentence(view))
