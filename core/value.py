"""What a planned contact is worth: the money at stake, in 元, by the policy's ``[value]`` rules.

Definitions (exact, tested):
- A routine contact (``kind`` cadence, birthday) is worth ``assets_share`` x the customer's assets.
- A 731 reminder is worth ``maturity_share`` x the maturing amount (the customer's assets when the notice gives
  no amount); a 挽回 call (``winback``) the same share of the money that left.
- A near-threshold (临界) customer's contact adds ``near_share`` x the reward level x the part of the band
  already crossed ((assets - band lower) / (level - band lower)).
- Everything times the tier's priority (``tier_priority``; 1 for a tier not listed).
- A customer's month value is the sum over their contacts; moving a customer costs ``move_cost`` plus
  ``move_cost_share`` x that month value, plus ``move_cost_managed`` when the export names the owner as the
  customer's 管户人员.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.policy import Policy


def customer_frame(seg: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per customer id: assets, tier priority and the near-threshold worth of one contact."""
    assets = seg["assets"].to_numpy(dtype=np.float64)
    tiers = seg["tier"].astype(str).to_numpy()
    weight = np.ones(len(seg))
    for code, w in policy.value.tier_priority.items():
        weight[tiers == code] = w
    near = np.zeros(len(seg))
    if "near_level" in seg.columns:
        level = pd.to_numeric(seg["near_level"], errors="coerce").to_numpy(dtype=np.float64)
        for band in policy.bands:
            at = level == band.level
            crossed = np.clip((assets[at] - band.lower) / (band.level - band.lower), 0.0, 1.0)
            near[at] = policy.value.near_share * band.level * crossed
    return pd.DataFrame(
        {"assets": assets, "weight": weight, "near": near},
        index=pd.Index(seg["customer_id"].astype(str).to_numpy(), name="customer_id"),
    )


def contact_value(plan: pd.DataFrame, seg: pd.DataFrame, policy: Policy) -> np.ndarray:
    """The worth of each plan row (元 at stake), aligned with ``plan``'s rows (its ``_value`` column when the
    planner has already computed it)."""
    if not len(plan):
        return np.zeros(0)
    if "_value" in plan.columns:
        return plan["_value"].to_numpy(dtype=np.float64)
    frame = customer_frame(seg, policy)
    frame = frame.loc[~frame.index.duplicated()]
    ids = plan["customer_id"].astype(str).to_numpy()
    at = frame.index.get_indexer(ids)
    known = at >= 0
    pick = np.where(known, at, 0)
    assets = np.where(known, frame["assets"].to_numpy()[pick], 0.0)
    weight = np.where(known, frame["weight"].to_numpy()[pick], 1.0)
    near = np.where(known, frame["near"].to_numpy()[pick], 0.0)
    kind = plan["kind"].to_numpy(dtype=object)
    amount = pd.to_numeric(plan["amount"], errors="coerce").to_numpy(dtype=np.float64)
    reminder = (kind == "reminder_731") | (kind == "winback")
    stake = np.where(
        reminder,
        policy.value.maturity_share * np.where(np.isnan(amount), assets, amount),
        policy.value.assets_share * assets,
    )
    return np.round(weight * (stake + near), 2)


def move_cost(month_value: np.ndarray, policy: Policy, managed: np.ndarray | None = None) -> np.ndarray:
    """What moving each customer to a colleague costs, in the same 元 as the value (``managed``: the owner is the
    customer's 管户人员 in the export)."""
    cost = policy.value.move_cost + policy.value.move_cost_share * np.asarray(month_value, dtype=np.float64)
    if managed is not None:
        cost = cost + policy.value.move_cost_managed * np.asarray(managed, dtype=bool)
    return cost
