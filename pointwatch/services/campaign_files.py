"""Loading a campaign file: store its definitions, then re-derive the expectations of the
enrollments whose campaign changed. This use case sits above both `definitions` and
`enrollments`, so neither imports the other back."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from pointwatch import campaigns as loader
from pointwatch.services.definitions import LoadReport, store_definitions
from pointwatch.services.enrollments import rederive_campaign


def add_definitions(session: Session, path: Path) -> LoadReport:
    """Load a definition file (all-or-nothing) and store its campaigns, profiles and issuers;
    enrollments of a changed campaign get their expectations re-derived."""
    definitions = loader.load_file(path)
    raw = loader.raw_tables(path.read_text(encoding="utf-8"))
    report = store_definitions(session, definitions, raw, source=str(path))
    for campaign in report.changed:
        report.rederived.extend(rederive_campaign(session, campaign))
    return report
