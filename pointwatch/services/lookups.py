"""Read-only look-ups that several use cases share: campaign names, issuers and their support
channels. Kept apart so that no service imports another one back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from pointwatch.domain.alerts import CampaignInfo
from pointwatch.domain.statuses import Evaluation
from pointwatch.services.definitions import find_issuer
from pointwatch.store.tables import CampaignRow


def campaign_infos(session: Session, evaluations: Sequence[Evaluation]) -> dict[str, CampaignInfo]:
    """Name, issuer and the issuer's support channels of every campaign in use."""
    wanted = {evaluation.expectation.campaign for evaluation in evaluations}
    if not wanted:
        return {}
    c = CampaignRow.__table__.c
    rows = session.execute(select(c.id, c.name, c.issuer).where(c.id.in_(sorted(wanted))))
    infos: dict[str, CampaignInfo] = {}
    issuers: dict[str, Any] = {}
    for campaign_id, name, issuer_name in rows:
        if issuer_name not in issuers:
            issuers[issuer_name] = find_issuer(session, issuer_name)
        issuer = issuers[issuer_name]
        infos[campaign_id] = CampaignInfo(
            name=name,
            issuer=issuer.name if issuer else issuer_name,
            contact=issuer.contact if issuer else "",
            account_channels=tuple(issuer.account_channels) if issuer else (),
        )
    return infos
