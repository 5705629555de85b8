"""The funnel per tier, a figure of ``core.compliance.rules.compliance``.

Funnel per tier over the period's planned customers: contacted (已联络 or further, or any other of
``reached_results``: 拒绝 reached the customer, 空号 and 未接通 did not) → 已邀约 → 已到访 → 已成交 (or any of
``sold_results``: 已转存, 他行转入), each customer counted at the furthest stage reached by a contact dated in
the period, and in every stage before.
"""

from __future__ import annotations

import pandas as pd

from core.policy import Policy

FUNNEL_STAGES = (("contacted", "已联络"), ("invited", "已邀约"), ("came", "已到访"), ("sold", "已成交"))


def result_stages(policy: Policy) -> dict[str, int]:
    """The funnel step (1-4) each logged result reaches; results not listed (未接通, 空号) reach none."""
    stage_of = {result: 1 for result in policy.compliance.reached_results}  # reached: 拒绝 too, not 空号
    stage_of |= {result: i + 1 for i, (_, result) in enumerate(FUNNEL_STAGES)}
    stage_of |= {result: len(FUNNEL_STAGES) for result in policy.compliance.sold_results}
    return stage_of


def funnel(req: pd.DataFrame, contacts: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per tier: planned customers, then customers who reached each FUNNEL_STAGES stage or a later one."""
    stage_of = result_stages(policy)
    customers = req.loc[req["tier"].notna(), ["customer_id", "tier"]].drop_duplicates("customer_id")
    best = (
        contacts.assign(_stage=contacts["result"].map(stage_of).fillna(0).astype("int64"))
        .groupby("customer_id")["_stage"]
        .max()
    )
    customers = customers.assign(stage=customers["customer_id"].map(best).fillna(0).astype("int64"))
    rows = []
    for code in policy.tier_codes:
        stages = customers.loc[customers["tier"] == code, "stage"].to_numpy()
        row = {"tier": code, "planned": int(stages.size)}
        for i, (key, _) in enumerate(FUNNEL_STAGES):
            row[key] = int((stages >= i + 1).sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=["tier", "planned", *[k for k, _ in FUNNEL_STAGES]])
