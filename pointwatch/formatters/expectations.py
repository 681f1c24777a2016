"""Expectations: status rows and tables, the `join` sentences, and their JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pointwatch.domain.conditions import Progress
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.next_step import NextStep, waiting_on
from pointwatch.domain.statuses import Evaluation, Settlement
from pointwatch.domain.wording import (
    amount_text,
    date_text,
    month_text,
    progress_text,
    reached_text,
    statement_name,
    status_word,
    substitute_word,
    where_to_look,
)
from pointwatch.formatters.base import iso, styles_for, table
from pointwatch.i18n import N_, _

STATUS_STYLE = {
    "late": "bold red",
    "fee_charged": "bold red",
    "check": "yellow",
    "due": "cyan",
    "upcoming": "dim",
    "awaiting_condition": "dim",
    "received": "green",
    "confirmed": "green",
    "substituted": "magenta",
    "forfeited": "dim",
    "written_off": "dim",
}


def expectation_json(evaluation: Evaluation) -> dict[str, Any]:
    e = evaluation.expectation
    settlement = evaluation.settlement
    return {
        "id": e.id,
        "enrollment": e.enrollment,
        "campaign": e.campaign,
        "entitlement": e.entitlement,
        "kind": e.kind,
        "status": evaluation.status,
        "amount": e.amount,
        "unit": e.unit,
        "account": e.account,
        "window_start": iso(e.window.start if e.window else None),
        "window_end": iso(e.window.end if e.window else None),
        "due": iso(e.due),
        "statement": str(e.statement) if e.statement else None,
        "closing_date": iso(e.closing_date),
        "payment_date": iso(e.payment_date),
        "ready_date": iso(e.ready_date),
        "days_late": evaluation.days_late,
        "occurrence": e.occurrence,
        "waiting_for": list(e.waiting_for),
        "entry": evaluation.entry,
        "refund": evaluation.refund,
        "conditions": [condition_json(progress) for progress in e.conditions],
        "expires_on": iso(evaluation.expires_on),
        "settlement": None
        if settlement is None
        else {
            "kind": settlement.kind,
            "on": settlement.on.isoformat(),
            "substitute": settlement.substitute or None,
            "amount": settlement.amount,
            "note": settlement.note,
            "usability": usability_of(settlement, e.unit),
        },
    }


def condition_json(progress: Progress) -> dict[str, Any]:
    """One required condition of a grant as it stands (DESIGN §4): declared ones carry no
    `so_far`/`at_least`; `deadline` is null without `by`."""
    return {
        "id": progress.id,
        "kind": progress.kind,
        "met_on": iso(progress.met_on),
        "so_far": progress.so_far,
        "at_least": progress.at_least,
        "deadline": iso(progress.deadline),
        "account": progress.account or None,
        "unit": progress.unit or None,
        "missed": progress.missed,
        "unconfirmed": [str(month) for month in progress.unconfirmed],
    }


def usability_of(settlement: Settlement, unit: str) -> str | None:
    """Lower or same: how a substitute compares compared with what was promised; None otherwise."""
    from pointwatch.domain.support import usability

    if not settlement.substitute:
        return None
    return usability(settlement.substitute, unit).relative


def expectation_line(e: Expectation) -> str:
    """A sentence for `join`: what is owed and where/when to look."""
    if e.kind == "waiver":
        return _(
            "{id}: {amount} must NOT be charged — open {statement} (closes {closing}, fixed "
            "{ready}, debited {payment})"
        ).format(
            id=e.id,
            amount=amount_text(e.amount, e.unit),
            statement=statement_name(e.statement, e.account),
            closing=date_text(e.closing_date),
            ready=date_text(e.ready_date),
            payment=date_text(e.payment_date),
        )
    values = {"id": e.id, "amount": amount_text(e.amount, e.unit), "where": where_to_look(e)}
    if e.window is None:
        return _("{id}: {amount} into {where}").format(**values)
    return _("{id}: {amount} into {where}, due {due}, late after {late_after}").format(
        **values, due=date_text(e.window.end), late_after=date_text(e.late_after)
    )


STATUS_COLUMNS = (
    N_("expectation"), N_("status"), N_("amount"), N_("where / when"), N_("due"), N_("late")
)  # fmt: skip


def status_text(evaluation: Evaluation) -> str:
    """The status cell: the status, and what was received instead of a substituted grant."""
    e = evaluation.expectation
    status = status_word(evaluation.status)
    s = evaluation.settlement
    if s is None or not s.substitute:
        return status
    instead = {"substitute": substitute_word(s.substitute), "amount": f"{s.amount:,}"}
    if usability_of(s, e.unit) == "lower":
        return _("{status} ({substitute} {amount}, less usable)").format(status=status, **instead)
    return _("{status} ({substitute} {amount})").format(status=status, **instead)


def status_rows(evaluations: Sequence[Evaluation]) -> list[tuple[str, ...]]:
    """One row of plain text cells per expectation, in STATUS_COLUMNS order."""
    rows = []
    for evaluation in evaluations:
        e = evaluation.expectation
        status = status_text(evaluation)
        if evaluation.expires_on is not None:
            status += " " + _("(expires {day})").format(day=date_text(evaluation.expires_on))
        rows.append((
            e.id,
            status,
            amount_text(e.amount, e.unit),
            where_to_look(e),
            date_text(e.due) or "–",
            _("{days}d").format(days=evaluation.days_late) if evaluation.days_late else "",
        ))  # fmt: skip
    return rows


def status_table(evaluations: Sequence[Evaluation]):
    """The status listing (see `table`: plain when piped, a table or blocks at a terminal)."""
    return table(
        STATUS_COLUMNS, status_rows(evaluations),
        styles=styles_for([v.status for v in evaluations], STATUS_STYLE), style_column=1,
        wrap=("status", "where / when"),
    )  # fmt: skip


def join_json(
    enrollment: Any, accounts: dict[str, str], evaluations: Sequence[Evaluation]
) -> dict[str, Any]:
    """`join --json`: the enrollment, its role bindings and the expectations it created."""
    return {
        "enrollment": enrollment.id,
        "campaign": enrollment.campaign,
        "joined": enrollment.joined.isoformat(),
        "accounts": accounts,
        "expectations": [expectation_json(evaluation) for evaluation in evaluations],
    }


# The last lines of `status`: whole sentences with named fields, translated where shown.
NEXT_STEP = {
    "fee_charged": N_(
        "Next: a fee of {amount} was charged on {statement} although it is waived ({id}). Ask "
        "for a refund: `{command}` drafts the message."
    ),
    "late": N_(
        "Next: {amount} into {account} was due on {due} and has not arrived ({id}). Ask "
        "support: `{command}` drafts the message; if it came after all, record it: `{also}`."
    ),
    "check": N_(
        "Next: open {statement} (fixed on {ready}, debited {payment}), make sure the waived fee "
        "of {amount} is not on it, then run `{command}`; or import the statement: `{also}`."
    ),
    "due": N_(
        "Next: {amount} into {account} is due by {due} ({id}). When it arrives, record it: "
        "`{command}`; or import the history: `{also}`."
    ),
    "awaiting_condition": N_(
        "Next: {id} waits for {condition}; once it is met, record the day: `{command}`."
    ),
    "upcoming_grant": N_(
        "Next: {amount} into {account} from {start} ({id}). When it arrives, record it: "
        "`{command}`."
    ),
    "upcoming_waiver": N_(
        "Next: {statement} is fixed on {ready} ({id}); then make sure the waived fee of "
        "{amount} is not on it and run `{command}`."
    ),
    "awaiting_progress": N_(
        "Next: {id} waits for {condition} on {condition_account}: {progress}. Import or record "
        "its entries as they come: `{command}`."
    ),
    "awaiting_statements": N_(
        "Next: {condition} on {condition_account} for {id} reached {reached} by its deadline "
        "{deadline}. Before pointwatch calls it missed, check statement {first_statement} (fixed "
        "on {check_from}) for the rest: `{command}`; or import it: `{also}`."
    ),
}
NOTHING_NOW = N_("Nothing needs you now; the next date is {date} ({id}).")
NOTHING_OPEN = N_("Nothing is open: everything was received, confirmed or settled.")
NEEDING_ATTENTION = N_("Needing attention now: {count} (`{command}` lists only those).")


def next_step_lines(step: NextStep | None, program: str = "pointwatch", listed_all: bool = True):
    """The end of `status`: the most urgent step with its exact command (`program` is how the
    user ran pointwatch, e.g. with --db), and how many more need attention when the listing
    showed everything."""
    if step is None:
        return [_(NOTHING_OPEN)]
    e = step.evaluation.expectation

    def run(command: str) -> str:
        return program + command.removeprefix("pointwatch")

    status = step.evaluation.status
    key = f"{status}_{e.kind}" if status == "upcoming" else status
    waiting = waiting_on(e) if status == "awaiting_condition" else None
    if waiting is not None:
        key = "awaiting_statements" if waiting.unconfirmed else "awaiting_progress"
        condition = {
            "condition": waiting.id, "condition_account": waiting.account,
            "progress": progress_text(waiting), "reached": reached_text(waiting),
            "deadline": date_text(waiting.deadline), "check_from": date_text(waiting.check_from),
            "first_statement": month_text(waiting.unconfirmed[0]) if waiting.unconfirmed else None,
        }  # fmt: skip
    fields = {
        "id": e.id, "amount": amount_text(e.amount, e.unit), "account": e.account,
        "statement": statement_name(e.statement, e.account), "ready": date_text(e.ready_date),
        "payment": date_text(e.payment_date), "due": date_text(e.due),
        "start": date_text(e.window.start) if e.window else None,
        "condition": ", ".join(e.waiting_for), "command": run(step.command),
        "also": run(step.also),
    }  # fmt: skip
    if waiting is not None:
        fields.update(condition)
    lines = [_(NEXT_STEP[key]).format(**fields)]
    if step.on is not None:
        lines.insert(0, _(NOTHING_NOW).format(date=date_text(step.on), id=e.id))
    elif listed_all and step.count > 1:
        command = run("pointwatch status --open")
        lines.append(_(NEEDING_ATTENTION).format(count=step.count, command=command))
    return lines
