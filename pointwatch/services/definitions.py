"""Campaign, profile and issuer definitions: load files, browse, fall back to the catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from pointwatch import campaigns as loader
from pointwatch.domain.definitions import Campaign, Definitions, Issuer, Profile
from pointwatch.errors import NotFound
from pointwatch.i18n import _
from pointwatch.store.tables import CampaignRow, EnrollmentRow, IssuerRow, ProfileRow


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rederived: list[str] = field(default_factory=list)  # enrollments whose expectations changed
    changed: list[Campaign] = field(default_factory=list)  # updated campaigns, to re-derive


def store_definitions(
    session: Session, definitions: Definitions, raw: dict[str, list[dict]], source: str
) -> LoadReport:
    report = LoadReport()
    tables_by_id = {kind: {t["id"]: loader.to_storable(t) for t in raw[kind]} for kind in raw}
    for campaign in definitions.campaigns:
        table = tables_by_id["campaign"][campaign.id]
        row = session.get(CampaignRow, campaign.id)
        if row is None:
            session.add(
                CampaignRow(
                    id=campaign.id,
                    name=campaign.name,
                    issuer=campaign.issuer,
                    source=source,
                    definition=table,
                )
            )
            report.added.append(f"campaign {campaign.id}")
        elif row.definition == table:
            report.unchanged.append(f"campaign {campaign.id}")
        else:
            row.name, row.issuer, row.source, row.definition = (
                campaign.name,
                campaign.issuer,
                source,
                table,
            )
            session.add(row)
            session.flush()
            report.updated.append(f"campaign {campaign.id}")
            report.changed.append(campaign)
    for kind, row_type, values in (
        ("profile", ProfileRow, definitions.profiles),
        ("issuer", IssuerRow, definitions.issuers),
    ):
        for value in values:
            table = tables_by_id[kind][value.id]
            row = session.get(row_type, value.id)
            if row is None:
                extra = {"name": value.name} if kind == "issuer" else {"source": source}
                session.add(row_type(id=value.id, definition=table, **extra))
                report.added.append(f"{kind} {value.id}")
            elif row.definition == table:
                report.unchanged.append(f"{kind} {value.id}")
            else:
                row.definition = table
                session.add(row)
                report.updated.append(f"{kind} {value.id}")
    session.flush()
    return report


def catalog() -> Definitions:
    return loader.load_catalog()


def stored_campaigns(session: Session) -> list[tuple[Campaign, str, int]]:
    """(campaign, source, number of enrollments) for every loaded campaign."""
    rows = session.exec(select(CampaignRow).order_by(CampaignRow.id)).all()
    enrolled = session.exec(select(EnrollmentRow.campaign_id)).all()
    return [
        (loader.campaign_from_table(row.definition, row.source), row.source, enrolled.count(row.id))
        for row in rows
    ]


def get_campaign(session: Session, campaign_id: str, from_catalog: bool = True) -> Campaign:
    """A loaded campaign; a shipped one is loaded from the catalog on first use."""
    row = session.get(CampaignRow, campaign_id)
    if row is not None:
        return loader.campaign_from_table(row.definition, row.source)
    if from_catalog:
        shipped = {c.id: c for c in catalog().campaigns}
        if campaign_id in shipped:
            _store_from_catalog(session, "campaign", campaign_id)
            return shipped[campaign_id]
    known = session.exec(select(CampaignRow.id)).all()
    raise NotFound(
        _("campaign {id!r} not found (loaded: {loaded}; see `{command}`)").format(
            id=campaign_id,
            loaded=", ".join(known) or _("none"),
            command="pointwatch campaign catalog",
        )  # fmt: skip
    )


def find_campaign(session: Session, campaign_id: str) -> Campaign:
    """A campaign to show, without loading anything: the loaded copy (possibly edited by the
    user) wins over the shipped one."""
    row = session.get(CampaignRow, campaign_id)
    if row is not None:
        return loader.campaign_from_table(row.definition, row.source)
    shipped = {c.id: c for c in catalog().campaigns}
    if campaign_id in shipped:
        return shipped[campaign_id]
    return get_campaign(session, campaign_id, from_catalog=False)  # raises NotFound


def get_profile(session: Session, profile_id: str) -> Profile:
    """A profile from a loaded file, else from the shipped catalog."""
    row = session.get(ProfileRow, profile_id)
    if row is not None:
        wrapped = loader.load_tables({"profile": [row.definition]}, row.source)
        return wrapped.profiles[0]
    shipped = {p.id: p for p in catalog().profiles}
    if profile_id in shipped:
        return shipped[profile_id]
    stored = session.exec(select(ProfileRow.id)).all()
    raise NotFound(
        _("profile {id!r} not found (known: {known})").format(
            id=profile_id, known=", ".join(sorted(set(stored) | set(shipped)))
        )
    )


def find_issuer(session: Session, name: str) -> Issuer | None:
    """The issuer record (by id or display name) from loaded files or the catalog."""
    rows = session.exec(select(IssuerRow)).all()
    stored = [loader.load_tables({"issuer": [r.definition]}, "stored").issuers[0] for r in rows]
    for issuer in stored + list(catalog().issuers):
        if name in (issuer.id, issuer.name):
            return issuer
    return None


def _store_from_catalog(session: Session, kind: str, item_id: str) -> None:
    for name, text in loader.catalog_files():
        raw = loader.raw_tables(text)
        if any(t.get("id") == item_id for t in raw[kind]):
            definitions = loader.load_text(text, f"catalog/{name}")
            only = Definitions(campaigns=tuple(c for c in definitions.campaigns if c.id == item_id))
            store_definitions(session, only, raw, source=f"catalog/{name}")
            return
