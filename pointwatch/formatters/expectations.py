"""Expectations: status rows and tables, the `join` sentences, and their JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pointwatch.domain.conditions import Progress
from pointwatch.domain.expectations import Expectation
from pointwatch.domain.next_step import NextStep, waiting_on
from pointwatch.domain.statuses import Evaluation, Settlement
from pointwatch.domain.wording import amount_text, progress_text, reached_text, where_to_look
from pointwatch.formatters.base import iso, styles_for, table
from pointwatch.i18n import _

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
        return (
            f"{e.id}: {amount_text(e.amount, e.unit)} must NOT be charged — open statement "
            f"{e.statement} of {e.account} (closes {iso(e.closing_date)}, fixed "
            f"{iso(e.ready_date)}, debited {iso(e.payment_date)})"
        )
    late_after = ""
    if e.window is not None:
        late_after = f", due {e.window.end}, late after {e.late_after}"
    return f"{e.id}: {amount_text(e.amount, e.unit)} into {where_to_look(e)}{late_after}"


STATUS_COLUMNS = ("expectation", "status", "amount", "where / when", "due", "late")


def status_rows(evaluations: Sequence[Evaluation]) -> list[tuple[str, ...]]:
    """One row of plain text cells per expectation, in STATUS_COLUMNS order."""
    rows = []
    for evaluation in evaluations:
        e = evaluation.expectation
        status = evaluation.status
        if evaluation.settlement and evaluation.settlement.substitute:
            s = evaluation.settlement
            lower = usability_of(s, e.unit) == "lower"
            status += f" ({s.substitute} {s.amount:,}{', less usable' if lower else ''})"
        if evaluation.expires_on is not None:
            status += " " + _("(expires {day})").format(day=evaluation.expires_on)
        rows.append((
            e.id,
            status,
            amount_text(e.amount, e.unit),
            where_to_look(e),
            iso(e.due) or "–",
            f"{evaluation.days_late}d" if evaluation.days_late else "",
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


# The last lines of `status`: whole sentences with named fields, ready for translation.
NEXT_STEP = {
    "fee_charged": "Next: a fee of {amount} was charged on statement {statement} of {account} "
    "although it is waived ({id}). Ask for a refund: `{command}` drafts the message.",
    "late": "Next: {amount} into {account} was due on {due} and has not arrived ({id}). Ask "
    "support: `{command}` drafts the message; if it came after all, record it: `{also}`.",
    "check": "Next: open statement {statement} of {account} (fixed on {ready}, debited "
    "{payment}), make sure the waived fee of {amount} is not on it, then run `{command}`; or "
    "import the statement: `{also}`.",
    "due": "Next: {amount} into {account} is due by {due} ({id}). When it arrives, record it: "
    "`{command}`; or import the history: `{also}`.",
    "awaiting_condition": "Next: {id} waits for {condition}; once it is met, record the day: "
    "`{command}`.",
    "awaiting_progress": "Next: {id} waits for {condition} on {condition_account}: "
    "{progress}. Import or record its entries as they come: `{command}`.",
    "awaiting_statements": "Next: {condition} on {condition_account} for {id} reached "
    "{reached} by its deadline {deadline}. Before pointwatch calls it missed, check statement "
    "{first_statement} (fixed on {check_from}) for the rest: `{command}`; or import it: "
    "`{also}`.",
    "upcoming_grant": "Next: {amount} into {account} from {start} ({id}). When it arrives, "
    "record it: `{command}`.",
    "upcoming_waiver": "Next: statement {statement} of {account} is fixed on {ready} ({id}); "
    "then make sure the waived fee of {amount} is not on it and run `{command}`.",
}
NOTHING_NOW = "Nothing needs you now; the next date is {date} ({id})."
NOTHING_OPEN = "Nothing is open: everything was received, confirmed or settled."
NEEDING_ATTENTION = "Needing attention now: {count} (`{command}` lists only those)."


def next_step_lines(step: NextStep | None, program: str = "pointwatch", listed_all: bool = True):
    """The end of `status`: the most urgent step with its exact command (`program` is how the
    user ran pointwatch, e.g. with --db), and how many more need attention when the listing
    showed everything."""
    if step is None:
        return [NOTHING_OPEN]
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
            "deadline": iso(waiting.deadline), "check_from": iso(waiting.check_from),
            "first_statement": waiting.unconfirmed[0] if waiting.unconfirmed else None,
        }  # fmt: skip
    fields = {
        "id": e.id, "amount": amount_text(e.amount, e.unit), "account": e.account,
        "statement": e.statement, "ready": iso(e.ready_date), "payment": iso(e.payment_date),
        "due": iso(e.due), "start": iso(e.window.start) if e.window else None,
        "condition": ", ".join(e.waiting_for), "command": run(step.command),
        "also": run(step.also),
    }  # fmt: skip
    if waiting is not None:
        fields.update(condition)
    lines = [NEXT_STEP[key].format(**fields)]
    if step.on is not None:
        lines.insert(0, NOTHING_NOW.format(date=step.on, id=e.id))
    elif listed_all and step.count > 1:
        command = run("pointwatch status --open")
        lines.append(NEEDING_ATTENTION.format(count=step.count, command=command))
    return lines
