"""`pointwatch import`: statement and point-history files."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from pointwatch.cli.app import App, as_of_option, echo_json, json_option, pass_app, say
from pointwatch.i18n import _


@contextmanager
def progress_bar(path: Path):
    """A rich progress bar on a terminal (stderr); nothing when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    try:
        with path.open("rb") as file:
            total = sum(1 for _ in file) - 1
    except OSError:  # the import itself reports a file it cannot read
        yield None
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=Console(stderr=True), transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task(_("reading {file}").format(file=path.name), total=max(total, 1))
        yield lambda rows: bar.update(task, completed=rows)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--account", "account_name", required=True, help="The account the file belongs to.")
@click.option(
    "--format", "format_name",
    help="rakuten-enavi, moneyforward, smbc-vpass, jcb-myjcb, epos-net, view-card or a "
    "[formats.NAME] map.",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Show what would be added, skipped and rejected.")
@click.option("--skip-bad-rows", is_flag=True,
              help="Import the good rows, report each bad one (records no coverage).")  # fmt: skip
@click.option("--institution", help="The 保有金融機関 to take from a MoneyForward export.")
@as_of_option
@json_option
@pass_app
def import_command(app: App, file: Path, account_name, format_name, dry_run, skip_bad_rows,
                   institution, as_of, as_json) -> None:  # fmt: skip
    """Import a statement or point-history CSV (idempotent, all or nothing).

    The format is detected from the header unless --format is given. A file that is one
    whole, final statement (e.g. a Rakuten e-NAVI download after the statement's ready day)
    marks that statement as covered; a provisional (速報) file, a file with rejected rows or
    an import before the ready day does not, and the output says why.

    \b
    Example:
      pointwatch import enavi202602.csv --account rakuten
      pointwatch import bank.csv --account bank --format my-bank --dry-run
    """
    from pointwatch.services.imports import import_file

    # immediate: the import reads the stored keys, then writes; a deferred transaction could not
    # take the write lock once another import has committed in between ("database is locked").
    with progress_bar(file) as progress, app.transaction(immediate=True) as session:
        report = import_file(
            session, file, account_name, app.today(as_of), app.rules,
            format_name=format_name, formats_config=app.settings.formats,
            skip_bad_rows=skip_bad_rows, dry_run=dry_run, progress=progress,
            institution=institution,
        )  # fmt: skip
        if dry_run:
            session.rollback()
    if as_json:
        from pointwatch.formatters import import_report_json

        echo_json(import_report_json(report))
    else:
        _print_report(report)


def _print_report(report) -> None:
    from pointwatch.domain.wording import date_text, shown, statement_name, status_word

    counts = {
        "file": report.file, "format": report.format, "encoding": report.encoding,
        "account": report.account, "added": len(report.added),
        "duplicates": len(report.duplicates), "rejected": len(report.rejected),
    }  # fmt: skip
    if report.dry_run:
        heading = _(
            "would import {file} ({format}, {encoding}) into {account}: {added} added, "
            "{duplicates} duplicates, {rejected} rejected"
        )
    else:
        heading = _(
            "imported {file} ({format}, {encoding}) into {account}: {added} added, "
            "{duplicates} duplicates, {rejected} rejected"
        )
    say(heading.format(**counts))
    if report.dry_run:
        for entry in report.added[:20]:
            say(
                _("  add   row {row}: {day} {amount:,} {description}").format(
                    row=entry.row,
                    day=date_text(entry.date),
                    amount=entry.amount,
                    description=entry.description,
                )  # fmt: skip
            )
        for entry in report.duplicates[:20]:
            say(
                _("  skip  row {row}: {day} {amount:,} (already imported)").format(
                    row=entry.row, day=date_text(entry.date), amount=entry.amount
                )
            )
    for problem in report.rejected:
        say(_("  rejected {problem}").format(problem=shown(problem.message)), err=True)
    if report.left_out:
        say(
            _("  {count} line(s) of other institutions than {institution} left out").format(
                count=report.left_out, institution=report.institution
            )
        )
    statement = statement_name(report.statement, report.account)
    if report.no_coverage is not None:
        say(
            _("{statement}: no coverage recorded ({reason})").format(
                statement=statement, reason=shown(report.no_coverage)
            )
        )
    elif report.statement is not None:
        if report.coverage_added:
            say(_("{statement}: marked as covered (whole statement)").format(statement=statement))
        else:
            say(_("{statement}: already covered (whole statement)").format(statement=statement))
    for expectation_id, before, after in report.changed:
        say(
            _("  {id}: {before} -> {after}").format(
                id=expectation_id, before=status_word(before), after=status_word(after)
            )
        )
