"""Read-only look-ups that several use cases share: campaign names, issuers and their support
channels. Kept apart so that no service imports another one back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from pointwatch.domain.alerts import CampaignInfo
from pointwatch.domain.statuses import Evaluation
from pointwatch.domain.texts import localized, text_of
from pointwatch.i18n import language
from pointwatch.services.definitions import find_issuer
from pointwatch.store.tables import CampaignRow


def campaign_infos(session: Session, evaluations: Sequence[Evaluation]) -> dict[str, CampaignInfo]:
    """Name, issuer and the issuer's support channels of every campaign in use."""
    wanted = {evaluation.expectation.campaign for evaluation in evaluations}
    if not wanted:
        return {}
    c = CampaignRow.__table__.c
    query = select(c.id, c.issuer, c.definition).where(c.id.in_(sorted(wanted)))
    infos: dict[str, CampaignInfo] = {}
    issuers: dict[str, Any] = {}
    for campaign_id, issuer_name, definition in session.execute(query):
        if issuer_name not in issuers:
            issuers[issuer_name] = find_issuer(session, issuer_name)
        issuer = issuers[issuer_name]
        # Worded for people, in the language in use (the daily run words alerts with these).
        infos[campaign_id] = CampaignInfo(
            name=localized(text_of(definition.get("name"))),
            issuer=localized(issuer.name if issuer else text_of(definition.get("issuer"))),
            contact=localized(issuer.contact) if issuer else "",
            account_channels=tuple(issuer.account_channels) if issuer else (),
            fees={
                waiver["id"]: localized(text_of(waiver["text"]))
                for waiver in definition.get("waiver", [])
                if isinstance(waiver, dict) and waiver.get("text") and language() == "ja"
            },
        )
    return infos
