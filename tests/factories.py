"""Test data built the way the product builds it: expectations derived from the shipped catalog
(for pure tests) and campaign definition files (for the CLI tests and the benchmarks, which import
this module by path).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pointwatch.campaigns import load_catalog
from pointwatch.domain.billing import BillingCycle
from pointwatch.domain.expectations import (
    AccountInfo,
    Enrollment,
    Expectation,
    Rules,
    derive_expectations,
)

RAKUTEN = BillingCycle.from_values("end", 27, 1, "next-business-day", "JP", 12)
CATALOG = {campaign.id: campaign for campaign in load_catalog().campaigns}
FEE = CATALOG["rakuten-premium-annual-fee-free-3y"]
GIFT = CATALOG["amazon-primeday-2022-giftcard"]

RULES = Rules(grace_days=7, early_days=31)  # the configured defaults


def fee_expectations(
    joined: date = date(2025, 12, 10), enrollment: str = "premium", account: str = "rakuten"
) -> list[Expectation]:
    """The three yearly annual-fee occurrences of a Rakuten Premium card joined on `joined`."""
    joined_as = Enrollment(enrollment, FEE.id, joined, {"card": account})
    return derive_expectations(
        FEE, joined_as, {"card": AccountInfo(account, "card", RAKUTEN)}, RULES
    )


def gift_expectations(
    met: dict[str, date] | None = None, kind: str = "points", enrollment: str = "gift"
) -> list[Expectation]:
    """The sender and recipient grants of the Prime Day 2022 gift, joined on 2022-07-12."""
    joined_as = Enrollment(enrollment, GIFT.id, date(2022, 7, 12), {"points": "amazon"}, met or {})
    return derive_expectations(GIFT, joined_as, {"points": AccountInfo("amazon", kind)}, RULES)


def campaign_toml(
    campaign_id: str,
    name: str,
    issuer: str,
    *,
    conditions: Sequence[Mapping[str, Any]] = (),
    grants: Sequence[Mapping[str, Any]] = (),
    waivers: Sequence[Mapping[str, Any]] = (),
) -> str:
    """A definition file with one [[campaign]] and its condition, grant and waiver tables, as
    TOML text."""
    lines = ["[[campaign]]", *_toml_keys({"id": campaign_id, "name": name, "issuer": issuer})]
    for kind, tables in (("condition", conditions), ("grant", grants), ("waiver", waivers)):
        for table in tables:
            lines += ["", f"[[campaign.{kind}]]", *_toml_keys(table)]
    return "\n".join(lines) + "\n"


def bench_campaign(
    amount: int, keywords: Sequence[str] = (), waivers: Sequence[Mapping[str, Any]] = ()
) -> str:
    """The benchmarks' campaign "bench": `amount` points a month after joining, and `waivers`."""
    grant: dict[str, Any] = {
        "id": "points",
        "amount": amount,
        "unit": "point",
        "account": "points",
        "window": "joined+1M",
    }
    if keywords:
        grant["match"] = {"keywords": list(keywords)}
    return campaign_toml("bench", "Benchmark campaign", "Bench", grants=[grant], waivers=waivers)


def _toml_keys(table: Mapping[str, Any]) -> list[str]:
    return [f"{key} = {_toml_value(value)}" for key, value in table.items()]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, Mapping):
        return "{ " + ", ".join(_toml_keys(value)) + " }"
    return "[" + ", ".join(_toml_value(item) for item in value) + "]"
