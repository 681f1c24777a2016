"""Commands for support: inquiry, settle, reopen, claim, history. Heavy imports stay inside the
commands so that `pointwatch --help` stays fast.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

import click

from pointwatch.cli.app import (
    AMOUNT,
    App,
    PointwatchGroup,
    as_of_option,
    echo_json,
    json_option,
    pass_app,
    say,
    show,
)
from pointwatch.errors import InputError, InvalidValue
from pointwatch.i18n import _

CHANNELS_METAVAR = "chat|email|phone|form"
SUBSTITUTES_METAVAR = "coupon|gift-card|points|cash"


def _zone(app: App) -> tzinfo:
    from pointwatch.config import zone

    return zone(app.settings)


def _parse_at(text: str, zone: tzinfo) -> datetime:
    from pointwatch.domain.support import parse_moment

    try:
        return parse_moment(text, zone)
    except InvalidValue as exc:
        raise InvalidValue(_("--at {message}").format(message=exc.message)) from None


def _parse_deadline(text: str, start: datetime, zone: tzinfo) -> datetime:
    from pointwatch.domain.support import parse_deadline

    try:
        return parse_deadline(text, start, zone)
    except InvalidValue as exc:
        raise InvalidValue(_("--promise-by {message}").format(message=exc.message)) from None


# --- inquiries ------------------------------------------------------------------------------


@click.group(cls=PointwatchGroup)
def inquiry() -> None:
    """Support contacts about an expectation, and what support promised."""


@inquiry.command("add")
@click.argument("expectation_id", metavar="EXPECTATION")
@click.option("--channel", required=True, metavar=CHANNELS_METAVAR, help="How you contacted them.")
@click.option(
    "--at", "at_text", required=True, metavar="DATETIME",
    help="When: '2023-02-10 10:00' or 2023-02-10T10:00 (local time unless an offset is given).",
)  # fmt: skip
@click.option("--agent", default="", help="The agent's name, if given.")
@click.option("--summary", default="", help="What you asked / what they answered.")
@click.option("--promise", default="", help="What was promised (needs --promise-by).")
@click.option(
    "--promise-by", "promise_by_text", metavar="DATETIME|DURATION",
    help="Deadline of the promise: a duration after --at (5m, 2h, 3d), a date and time, or a day.",
)  # fmt: skip
@pass_app
def inquiry_add(app: App, expectation_id, channel, at_text, agent, summary, promise,
                promise_by_text) -> None:  # fmt: skip
    """Log a support contact and its promise; `remind` follows up once the deadline passes.

    \b
    Example:
      pointwatch inquiry add gift/recipient --channel chat --at "2023-02-10 10:00" \\
        --agent Sato --summary "asked where the 500 points are" \\
        --promise "the points will appear within 5 minutes" --promise-by 5m
    """
    from pointwatch.services.support import add_inquiry, check_channel, check_promise

    check_channel(channel)
    check_promise(promise, promise_by_text is not None)
    zone = _zone(app)
    at = _parse_at(at_text, zone)
    promise_by = _parse_deadline(promise_by_text, at, zone) if promise_by_text else None
    with app.transaction() as session:
        logged = add_inquiry(
            session, expectation_id, channel, at, agent, summary, promise, promise_by
        )
    from pointwatch.domain.wording import channel_word, moment_text

    values = {
        "id": logged.id, "expectation": logged.expectation,
        "channel": channel_word(logged.channel), "at": moment_text(logged.at.astimezone(zone)),
        "agent": logged.agent,
    }  # fmt: skip
    if logged.agent:
        say(
            _("logged inquiry {id} on {expectation}: {channel} {at} (agent {agent})").format(
                **values
            )
        )
    else:
        say(_("logged inquiry {id} on {expectation}: {channel} {at}").format(**values))
    if logged.promise_by is not None:
        say(
            "  "
            + _(
                "promise “{promise}” by {by}: `{command}` raises a follow_up alert if nothing "
                "arrives by then"
            ).format(
                promise=logged.promise,
                by=moment_text(logged.promise_by.astimezone(zone)),
                command="pointwatch remind",
            )  # fmt: skip
        )


@inquiry.command("list")
@click.argument("expectation_id", metavar="[EXPECTATION]", required=False)
@as_of_option
@json_option
@pass_app
def inquiry_list(app: App, expectation_id, as_of, as_json: bool) -> None:
    """List support contacts (all, or one expectation's) with the state of each promise.

    \b
    Example:
      pointwatch inquiry list gift/recipient --json
    """
    from pointwatch.formatters import inquiries_table, inquiry_json
    from pointwatch.services.support import list_inquiries

    with app.transaction() as session:
        facts = list_inquiries(session, expectation_id, app.moment(as_of), _zone(app), app.rules)
    if as_json:
        echo_json([inquiry_json(fact) for fact in facts])
    elif not facts:
        say(
            _("no inquiries logged (see `{command}`)").format(
                command="pointwatch inquiry add --help"
            )
        )
    else:
        show(inquiries_table(facts))


# --- settlements ----------------------------------------------------------------------------


def _settlement_kind(
    substitute, amount, note, forfeit, write_off, refunded, reason
) -> tuple[str, str]:
    """(kind, note) from the options, or a one-line error for a wrong combination."""
    chosen = [
        name
        for name, given in (
            ("--substituted-with", substitute is not None),
            ("--forfeit", forfeit),
            ("--write-off", write_off),
            ("--refunded", refunded),
        )
        if given
    ]
    if len(chosen) != 1:
        listed = f" (got {' and '.join(chosen)})" if chosen else ""
        raise InputError(
            _(
                "give exactly one of --substituted-with KIND, --forfeit, --write-off, "
                "--refunded{listed}"
            ).format(listed=listed)
        )
    if substitute is not None:
        if amount is None:
            raise InputError(_("--substituted-with needs --amount (what the substitute is worth)"))
        if reason is not None:
            raise InputError(_("--reason goes with --forfeit or --write-off; use --note"))
        return "substituted", note or ""
    option = chosen[0]
    if amount is not None:
        raise InputError(
            _("--amount goes with --substituted-with, not {option}").format(option=option)
        )
    if refunded:  # the fee came back: a note is welcome, not required
        return "refunded", (reason or note or "").strip()
    if note is not None:
        raise InputError(
            _("--note goes with --substituted-with; give {option} a --reason").format(option=option)
        )
    if not (reason or "").strip():
        raise InputError(_("{option} needs --reason (why it ended)").format(option=option))
    return ("forfeited" if forfeit else "written_off"), reason


@click.command()
@click.argument("expectation_id", metavar="EXPECTATION")
@click.option("--substituted-with", "substitute", metavar=SUBSTITUTES_METAVAR,
              help="You received something else instead.")  # fmt: skip
@click.option("--amount", type=AMOUNT, help="What the substitute is worth (yen, or points).")
@click.option("--note", help="Free text kept with a substitution.")
@click.option("--forfeit", is_flag=True, help="Not owed after all (e.g. a condition not met).")
@click.option("--write-off", is_flag=True, help="Owed, but you gave up claiming it.")
@click.option(
    "--refunded", is_flag=True, help="A charged fee was refunded (waivers; the credit not on file)."
)
@click.option("--reason", help="Why (with --forfeit or --write-off).")
@as_of_option
@json_option
@pass_app
def settle(app: App, expectation_id, substitute, amount, note, forfeit, write_off, refunded,
           reason, as_of, as_json: bool) -> None:  # fmt: skip
    """Close an expectation that ended differently; it leaves the open list.

    The report keeps what was promised next to what was received; a coupon or gift card is
    marked as less usable than the points or money promised. Undo with `pointwatch reopen`.

    \b
    Example:
      pointwatch settle gift/recipient --substituted-with coupon --amount 500
      pointwatch settle welcome/bonus --forfeit --reason "the card was cancelled before the payout"
    """
    from pointwatch.domain.wording import status_word
    from pointwatch.formatters import expectation_json, settlement_sentence
    from pointwatch.services.support import check_substitute
    from pointwatch.services.support import settle as settle_expectation

    kind, text = _settlement_kind(substitute, amount, note, forfeit, write_off, refunded, reason)
    if substitute is not None:
        check_substitute(substitute)
    with app.transaction() as session:
        evaluation = settle_expectation(
            session, expectation_id, kind, app.today(as_of), app.rules,
            substitute=substitute or "", amount=amount or 0, note=text,
        )  # fmt: skip
    if as_json:
        echo_json(expectation_json(evaluation))
        return
    assert evaluation.settlement is not None
    say(
        _("settled {id}: status {status}").format(
            id=evaluation.expectation.id, status=status_word(evaluation.status)
        )
    )
    say("  " + settlement_sentence(evaluation.expectation, evaluation.settlement))


@click.command()
@click.argument("expectation_id", metavar="EXPECTATION")
@click.option("--reason", default="", help="Why the settlement is not accepted.")
@as_of_option
@pass_app
def reopen(app: App, expectation_id, reason, as_of) -> None:
    """Undo a settlement you do not accept, such as a coupon; it stays in the history.

    \b
    Example:
      pointwatch reopen gift/recipient --reason "a coupon is not the 500 points promised"
    """
    from pointwatch.domain.wording import status_word
    from pointwatch.formatters import settlement_sentence
    from pointwatch.services.support import reopen as reopen_expectation
    from pointwatch.services.support import status_of

    today = app.today(as_of)
    with app.transaction() as session:
        undone = reopen_expectation(session, expectation_id, today, reason)
        evaluation = status_of(session, expectation_id, today, app.rules)
    say(
        _("reopened {id}: status {status}").format(
            id=expectation_id, status=status_word(evaluation.status)
        )
    )
    say(
        "  "
        + _("kept in its history: {settlement}").format(
            settlement=settlement_sentence(evaluation.expectation, undone)
        )
    )


# --- claim and history ----------------------------------------------------------------------


@click.command()
@click.argument("expectation_id", metavar="EXPECTATION")
@click.option("--lang", metavar="ja|en", help="Language of the message (default: the issuer's).")
@as_of_option
@json_option
@pass_app
def claim(app: App, expectation_id, lang, as_of, as_json: bool) -> None:
    """Draft the message to send to support, and say which channel can see your account.

    \b
    Example:
      pointwatch claim gift/recipient
      pointwatch claim gift/recipient --lang en
    """
    from pointwatch.domain.phrases import LANGUAGES
    from pointwatch.services.support import draft_claim

    if lang is not None and lang not in LANGUAGES:
        raise InputError(
            _("--lang {lang}: expected one of {languages}").format(
                lang=lang, languages=", ".join(LANGUAGES)
            )
        )
    today = app.today(as_of)
    with app.transaction() as session:
        draft = draft_claim(
            session, expectation_id, lang, today, app.moment(as_of), _zone(app),
            app.rules,
        )  # fmt: skip
    if as_json:
        from pointwatch.formatters import claim_json

        echo_json(claim_json(expectation_id, draft))
        return
    advice = draft.advice
    say(_("Channel: {advice}").format(advice=advice.text))
    say(_("--- message ({language}) ---").format(language=draft.claim.language))
    say(draft.claim.text)


@click.command()
@click.argument("expectation_id", metavar="EXPECTATION")
@as_of_option
@json_option
@pass_app
def history(app: App, expectation_id, as_of, as_json: bool) -> None:
    """The whole story of one expectation, oldest first: joined, conditions, window, entries,
    alerts, inquiries, promises, settlements.

    \b
    Example:
      pointwatch history gift/recipient
    """
    from pointwatch.formatters import history_json, history_lines
    from pointwatch.services.support import history as expectation_history

    today = app.today(as_of)
    with app.transaction() as session:
        found = expectation_history(
            session, expectation_id, today, app.moment(as_of), _zone(app),
            app.rules,
        )  # fmt: skip
    if as_json:
        echo_json(history_json(found))
        return
    for line in history_lines(found):
        say(line)
