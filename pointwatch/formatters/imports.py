"""The report of `import`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pointwatch.services.imports import ImportReport


def import_report_json(report: ImportReport) -> dict[str, Any]:
    """`import --json`: counts, rejected rows, coverage and the statuses the import changed."""

    def entry(e: Any) -> dict[str, Any]:
        return {"row": e.row, "date": e.date.isoformat(), "amount": e.amount,
                "description": e.description}  # fmt: skip

    return {
        "file": report.file,
        "format": report.format,
        "encoding": report.encoding,
        "account": report.account,
        "dry_run": report.dry_run,
        "added": len(report.added),
        "duplicates": len(report.duplicates),
        "rejected": [
            {"row": p.row, "value": p.value, "message": p.message} for p in report.rejected
        ],
        "statement": str(report.statement) if report.statement else None,
        "provisional": report.provisional,
        "coverage_added": report.coverage_added,
        "no_coverage": report.no_coverage,
        "institution": report.institution,
        "left_out": report.left_out,
        "changed": [{"id": i, "before": b, "after": a} for i, b, a in report.changed],
        "added_entries": [entry(e) for e in report.added],
    }
