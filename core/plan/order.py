"""Who comes first in a person's list (``sheet_order``, by the tier's ``order_by``) and the 熟识程度 it reads: the
one recorded on a 联络表 wins over the export's; a warning when a tier ordered by it has none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.i18n import t
from core.policy import Policy


def sheet_order(seg: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Row positions in staff-list order: highest tier first, then the tier's ``order_by``, then customer id.

    Familiarity orders put unknown familiarity last; ties go to the larger assets.
    """
    assets = seg["assets"].to_numpy(dtype=np.float64)
    tier_index = seg["tier_index"].to_numpy(dtype=np.int64)
    if "familiarity" in seg.columns:
        fam = pd.to_numeric(seg["familiarity"], errors="coerce").astype("float64").to_numpy()
    else:
        fam = np.full(len(seg), np.nan)
    key = np.zeros(len(seg), dtype=np.float64)
    for k, tier in enumerate(policy.tiers):
        where = tier_index == k
        if tier.order_by == "assets_desc":
            key[where] = -assets[where]
        elif tier.order_by == "assets_asc":
            key[where] = assets[where]
        elif tier.order_by == "familiarity_asc":
            key[where] = np.where(np.isnan(fam[where]), np.inf, fam[where])
        else:
            key[where] = np.where(np.isnan(fam[where]), np.inf, -fam[where])
    ids = seg["customer_id"].astype(str).to_numpy()
    return np.lexsort((ids, -assets, key, -tier_index))


def familiarity_warnings(seg: pd.DataFrame, policy: Policy) -> list[str]:
    """A warning when a tier ordered by familiarity has customers and none of them has a familiarity: its list
    silently falls back to assets (``sheet_order``)."""
    fam = seg["familiarity"] if "familiarity" in seg.columns else pd.Series(pd.NA, index=seg.index)
    known = fam.notna().to_numpy()
    tier_index = seg["tier_index"].to_numpy(dtype=np.int64)
    blind = [
        tier.name
        for k, tier in enumerate(policy.tiers)
        if tier.order_by.startswith("familiarity")
        and (tier_index == k).any()
        and not known[tier_index == k].any()
    ]
    return [t("plan.warn.no_familiarity", "zh", tiers="、".join(blind))] if blind else []


def with_recorded_familiarity(seg: pd.DataFrame, recorded: pd.DataFrame | None) -> pd.DataFrame:
    """``seg`` with each customer's latest 熟识程度 recorded on a 联络表 (customer_id, familiarity) in place of
    the export's: staff who called the customer know better than the core system."""
    if recorded is None or not len(recorded):
        return seg
    latest = recorded.dropna(subset=["familiarity"]).drop_duplicates("customer_id", keep="last")
    value = seg["customer_id"].astype(str).map(latest.set_index("customer_id")["familiarity"])
    out = seg.copy()
    own = out["familiarity"] if "familiarity" in out.columns else pd.Series(pd.NA, index=out.index)
    out["familiarity"] = pd.array(value.where(value.notna(), own).tolist(), dtype="Int64")
    return out
