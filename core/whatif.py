"""What-if arithmetic of the 分层策略 page: plain numpy on the assets array, no Streamlit, no frames per customer.

Everything here runs on each widget change, so it works on aggregates: ``core.segment.quick_counts`` for the
tiers and bands, one ``bincount`` for the tier -> tier moves, per-tier cadence effort for the workload.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from core.assign import assign, monthly_effort, tier_monthly_effort
from core.history import OUTFLOW_FROM
from core.policy import Policy
from core.segment import Counts, assign_tiers, segment
from core.workload import month_capacity


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


def role_workload(
    tier_count: np.ndarray, policy: Policy, staff: pd.DataFrame | None, days: int | None = None
) -> pd.DataFrame:
    """Contacts a month the cadence asks of each role against the roster's capacity.

    The top N high-end customers go to the branch head; every other tier's contacts are shared by the staff
    of its owner roles in proportion to their capacity (what the assignment's balancing converges to), or go
    to the branch head when nobody holds those roles. Without a roster, each tier's contacts are shown under
    its first owner role and the capacity is unknown. 731 and birthday reminders are not included.
    """
    effort = tier_monthly_effort(policy)
    head_role = policy.branch_head.role
    demand: dict[str, float] = {}
    counts = tier_count.astype(np.float64).copy()
    top = min(policy.branch_head.top_n, counts[-1])
    has_staff = staff is not None and len(staff) > 0
    roles_present = set(staff["role"]) if has_staff else set()
    if not has_staff or head_role in roles_present:
        demand[head_role] = demand.get(head_role, 0.0) + top * effort[-1]
        counts[-1] -= top
    for k, tier in enumerate(policy.tiers):
        contacts = counts[k] * effort[k]
        if not has_staff:
            demand[tier.owner_roles[0]] = demand.get(tier.owner_roles[0], 0.0) + contacts
            continue
        eligible = staff[staff["role"].isin(tier.owner_roles)]
        if eligible.empty:
            eligible = staff[staff["role"] == head_role]
        if eligible.empty:
            eligible = staff
        weights = eligible.groupby("role")["capacity_per_week"].sum()
        for role, weight in weights.items():
            demand[str(role)] = demand.get(str(role), 0.0) + contacts * weight / weights.sum()
    return _per_role(demand, staff if has_staff else None, policy, days)


def _per_role(
    demand: dict[str, float], staff: pd.DataFrame | None, policy: Policy, days: int | None = None
) -> pd.DataFrame:
    """One row per role with demand or people: people, contacts a month, capacity a month, use, overloaded.
    With the month's ``days`` the capacity is core.workload.month_capacity, the model 任务分配 uses."""
    wl = policy.workload
    rows = []
    for role in wl.roles:
        people = int((staff["role"] == role).sum()) if staff is not None else 0
        if role not in demand and people == 0:
            continue
        week = (
            float(staff.loc[staff["role"] == role, "capacity_per_week"].sum())
            if staff is not None
            else np.nan
        )
        capacity = week * wl.weeks_per_month if days is None else float(month_capacity(week, policy, days))
        need = demand.get(role, 0.0)
        rows.append(
            {
                "role": role,
                "staff": people,
                "demand": need,
                "capacity": capacity,
                "utilisation": need / capacity if capacity else np.nan,
            }
        )
    out = pd.DataFrame(rows, columns=["role", "staff", "demand", "capacity", "utilisation"])
    out["overloaded"] = out["utilisation"] > 1
    return out


def assigned_role_workload(
    customers: pd.DataFrame, as_of: dt.date, policy: Policy, staff: pd.DataFrame, days: int | None = None
) -> pd.DataFrame:
    """Contacts a month per role as the assignment itself shares them out under ``policy`` (top N to the head,
    customers kept by their own manager, the rest balanced against capacity), with 731 calls: the same figures
    the 任务分配 page shows once the plan is built, so the what-if never approves a plan it will then flag.
    Columns as :func:`role_workload`."""
    seg = segment(customers, policy, as_of)
    assignment = assign(seg, staff, policy)
    owed = pd.Series(monthly_effort(seg, policy)).groupby(assignment.table["staff"].to_numpy()).sum()
    demand = staff["name"].map(owed).fillna(0.0).groupby(staff["role"]).sum()
    return _per_role({str(role): float(v) for role, v in demand.items()}, staff, policy, days)


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


def staff_capacity(staff: pd.DataFrame | None, policy: Policy) -> pd.DataFrame | None:
    """The roster with blank weekly capacities filled by the role's policy default (so the what-if default counts)."""
    if staff is None or staff.empty:
        return None
    return staff.assign(
        capacity_per_week=staff["capacity_per_week"].fillna(staff["role"].map(policy.workload.capacity_of))
    )


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
