"""Is the plan possible? Contacts owed per person against what they can make, and a per-role summary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.assign import Assignment
from core.policy import CHANNELS, Policy
from core.roster import Roster, as_roster

WORKLOAD_COLUMNS = [
    "staff",
    "role",
    "customers",
    "contacts",
    *CHANNELS,
    "effort_month",
    "effort_week",
    "capacity_week",
    "capacity_month",
    "utilisation",
    "overloaded",
]


def workload(
    plan: pd.DataFrame,
    roster: Roster | pd.DataFrame,
    policy: Policy,
    assignment: Assignment | None = None,
    *,
    days: int | None = None,
) -> pd.DataFrame:
    """One row per roster member (roster order).

    contacts and the per-channel columns count the plan's rows; effort_month weights them by
    ``policy.workload.channel_effort``; effort_week = effort_month / weeks_per_month; capacity_month =
    capacity_week x weeks_per_month, or, for a month of ``days`` working days, the daily share
    (capacity_week / ``policy.schedule.working_days_per_week``) times ``days``; utilisation = effort_month / capacity_month; overloaded when above 1.
    customers counts the assignment (or, without it, distinct customers in the plan).
    """
    staff = as_roster(roster, policy).staff
    wl = policy.workload
    names = staff["name"].tolist()
    effort = plan["channel"].map(lambda c: wl.channel_effort.get(c, 0.0)).astype("float64")
    grouped = plan.assign(effort=effort).groupby("staff", sort=False)
    counts = grouped.size().reindex(names, fill_value=0)
    efforts = grouped["effort"].sum().reindex(names, fill_value=0.0)
    by_channel = (
        plan.groupby(["staff", "channel"]).size().unstack(fill_value=0).reindex(index=names, fill_value=0)
        if len(plan)
        else pd.DataFrame(index=names)
    )
    if assignment is not None:
        customers = assignment.table["staff"].value_counts().reindex(names, fill_value=0)
    else:
        customers = plan.groupby("staff")["customer_id"].nunique().reindex(names, fill_value=0)
    out = pd.DataFrame({"staff": names, "role": staff["role"].tolist()})
    out["customers"] = customers.to_numpy(dtype=np.int64)
    out["contacts"] = counts.to_numpy(dtype=np.int64)
    for channel in CHANNELS:
        values = by_channel[channel] if channel in by_channel.columns else pd.Series(0, index=names)
        out[channel] = values.to_numpy(dtype=np.int64)
    out["effort_month"] = efforts.to_numpy(dtype=np.float64)
    out["effort_week"] = out["effort_month"] / wl.weeks_per_month
    out["capacity_week"] = staff["capacity_per_week"].to_numpy(dtype=np.float64)
    if days is None:
        out["capacity_month"] = out["capacity_week"] * wl.weeks_per_month
    else:
        out["capacity_month"] = out["capacity_week"] / policy.schedule.working_days_per_week * days
    out["utilisation"] = out["effort_month"] / out["capacity_month"]
    out["overloaded"] = out["effort_month"] > out["capacity_month"] + 1e-9
    return out[WORKLOAD_COLUMNS]


def role_summary(load: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per role (policy order, roles with staff only): people, customers, effort, capacity, utilisation."""
    grouped = load.groupby("role", sort=False).agg(
        staff=("staff", "size"),
        customers=("customers", "sum"),
        contacts=("contacts", "sum"),
        effort_month=("effort_month", "sum"),
        capacity_month=("capacity_month", "sum"),
        overloaded=("overloaded", "sum"),
    )
    roles = [r for r in policy.workload.roles if r in grouped.index]
    out = grouped.reindex(roles).reset_index()
    out["utilisation"] = out["effort_month"] / out["capacity_month"]
    out["overloaded"] = out["overloaded"].astype(np.int64)
    return out[
        [
            "role",
            "staff",
            "customers",
            "contacts",
            "effort_month",
            "capacity_month",
            "utilisation",
            "overloaded",
        ]
    ]
