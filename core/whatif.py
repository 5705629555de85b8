"""What-if arithmetic of the 分层策略 page: plain numpy on the assets array, no Streamlit, no frames per customer.

Everything here runs on each widget change, so it works on aggregates: ``core.segment.quick_counts`` for the
tiers and bands, one ``bincount`` for the tier -> tier moves, per-tier cadence effort for the workload when
no roster is saved (with one, the what-if makes the month's plan: ``views.strategy``, ``core.workload.capacity_use``).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from core.assign import tier_monthly_effort
from core.history import OUTFLOW_FROM
from core.policy import Policy
from core.segment import Counts, assign_tiers


def move_matrix(assets: np.ndarray, before: Policy, after: Policy) -> np.ndarray:
    """Customers per (tier under ``before``, tier under ``after``): rows before, columns after."""
    n = len(before.tiers)
    old = assign_tiers(assets, before).astype(np.int64)
    new = assign_tiers(assets, after).astype(np.int64)
    return np.bincount(old * n + new, minlength=n * n).reshape(n, n)


def reward_cost(counts: Counts, policy: Policy, share: float) -> pd.DataFrame:
    """Per reward level: near-threshold customers, total gap, and the cost if ``share`` of them reach the level.

    Same arithmetic as ``core.segment.near_summary``: gifts for the customers who reach the level, and 欢乐加倍
    points on the raised part (the gap) at the level's multiplier.
    """
    camp = policy.campaign
    rows = []
    for band in policy.bands:
        count = counts.near_count.get(float(band.level), 0)
        gap = counts.near_gap.get(float(band.level), 0.0)
        gift_cost = count * share * band.gift_value
        points_cost = gap * share * camp.points_per_yuan * band.points_multiplier * camp.point_value_yuan
        rows.append(
            {
                "level": band.level,
                "lower": band.lower,
                "count": count,
                "gap": gap,
                "reached": count * share,
                "gift_cost": gift_cost,
                "points_cost": points_cost,
                "cost": gift_cost + points_cost,
            }
        )
    return pd.DataFrame(
        rows, columns=["level", "lower", "count", "gap", "reached", "gift_cost", "points_cost", "cost"]
    )


def role_workload(tier_count: np.ndarray, policy: Policy) -> pd.DataFrame:
    """Without a roster (no plan can be made): the contacts a month each tier's cadence asks of its first owner
    role, the top N high-end customers' of the branch head (columns role, demand). With a roster the what-if
    shows the capacity use of the plan itself (``core.workload.capacity_use``). 731 and birthday reminders
    are not included."""
    effort = tier_monthly_effort(policy)
    counts = tier_count.astype(np.float64).copy()
    top = min(policy.branch_head.top_n, counts[-1])
    demand = {policy.branch_head.role: top * effort[-1]}
    counts[-1] -= top
    for k, tier in enumerate(policy.tiers):
        role = tier.owner_roles[0]
        demand[role] = demand.get(role, 0.0) + counts[k] * effort[k]
    roles = [r for r in policy.workload.roles if r in demand]
    return pd.DataFrame({"role": roles, "demand": [demand[r] for r in roles]})


def days_to_maturity(maturity: np.ndarray, as_of: dt.date) -> np.ndarray:
    """Whole days from ``as_of`` to each maturity date (datetime64[D]); NaN for customers without one."""
    days = (maturity - np.datetime64(as_of, "D")).astype("timedelta64[D]")
    out = days.astype(np.float64)
    out[np.isnat(days)] = np.nan
    return out


def maturing_count(days: np.ndarray, policy: Policy) -> int:
    """Customers maturing within the window: 0 ≤ days ≤ window_days, the rule of ``core.segment.maturing_mask``."""
    return int(np.count_nonzero((days >= 0) & (days <= policy.maturity.window_days)))


def policy_file_name(outlet: str, day: dt.date) -> str:
    """``策略-<outlet>-<date>.toml``, with characters a file system refuses replaced."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", outlet).strip("_") or "outlet"
    return f"策略-{safe}-{day.isoformat()}.toml"


def reminder_count(days: np.ndarray, policy: Policy) -> int:
    """731 reminders still ahead for the customers maturing in the window: one per offset not yet passed
    (days to maturity ≥ offset); the weekend/holiday roll-back may move a few a day or two earlier."""
    due = days[(days >= 0) & (days <= policy.maturity.window_days)]
    return int(sum(np.count_nonzero(due >= offset) for offset in policy.maturity.reminder_offsets))


def outflow_count(assets_before: np.ndarray, change_pct: np.ndarray, policy: Policy) -> int:
    """Outflow alerts as ``core.history.compare`` counts them: customers on both dates, mid or above before,
    whose assets fell by more than ``history.outflow_pct`` percent (inputs are its ``moves`` columns)."""
    watched = assign_tiers(assets_before, policy) >= policy.tier_codes.index(OUTFLOW_FROM)
    return int(np.count_nonzero(watched & (-change_pct > policy.history.outflow_pct)))
