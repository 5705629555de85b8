"""The 推介产品目录 sheet: per tier its range, strategy, cadence, whole catalogue, activities and picks, once for the
book instead of in every customer's row."""

from __future__ import annotations

import pandas as pd

from core.export.common import CATALOG, _cadence_text, _h, _joined
from core.i18n import t
from core.offers import level_text
from core.policy import Policy
from core.xlsx import ColumnSpec, write_sheet


def catalog_rows(policy: Policy) -> pd.DataFrame:
    """The reference sheet: per tier its range, strategy, cadence, whole catalogue, activities and the picks
    offered per customer; then the near-threshold and maturing groups."""
    cadence = _cadence_text(policy)
    rows = []
    for i, tier in enumerate(policy.tiers):
        upper = policy.tiers[i + 1].lower if i + 1 < len(policy.tiers) else None
        rows.append(
            {
                "group": tier.name,
                "range": t("export.range_to", lower=tier.lower, upper=upper)
                if upper is not None
                else t("export.range", lower=tier.lower),
                "strategy": tier.strategy,
                "cadence_text": cadence[i],
                "products_text": _joined(tier.products),
                "activities_text": _joined(tier.activities),
                "picks": _joined(policy.offers.by_tier.get(tier.code, ())),
            }
        )
    bands = "、".join(level_text(b.level) for b in policy.bands)
    rows.append(
        {
            "group": t("export.catalog.near"),
            "range": bands,
            "activities_text": _joined(policy.campaign.near_activities),
            "picks": t("export.catalog.near_picks", campaign=policy.campaign.name_gift),
        }
    )
    rows.append(
        {
            "group": t("export.catalog.maturing"),
            "range": "",
            "activities_text": policy.maturity.activity,
            "picks": t("export.catalog.maturing_picks", activity=policy.maturity.activity),
        }
    )
    return pd.DataFrame(rows)


CATALOG_SPECS = [
    ColumnSpec(t("export.col.group"), "text", 12, "group", wrap=True),
    ColumnSpec(t("export.col.range"), "text", 14, "range", wrap=True),
    ColumnSpec(t("export.col.strategy"), "text", 12, "strategy", wrap=True),
    ColumnSpec(_h("cadence"), "text", 16, "cadence_text", wrap=True),
    ColumnSpec(_h("products"), "text", 44, "products_text", wrap=True),
    ColumnSpec(_h("activities"), "text", 34, "activities_text", wrap=True),
    ColumnSpec(t("export.col.picks"), "text", 22, "picks", wrap=True),
]


def write_catalog(book, policy: Policy) -> None:
    """The 推介产品目录 sheet: the whole catalogue, once, instead of in every customer's row."""
    write_sheet(book, CATALOG, catalog_rows(policy), columns=CATALOG_SPECS, autofilter=False)
