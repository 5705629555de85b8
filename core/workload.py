"""Is the plan possible? Contacts owed per person against what they can make, and a per-role summary."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.assign import Assignment
from core.i18n import t
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


def month_capacity(capacity_week: np.ndarray | pd.Series | float, policy: Policy, days: int) -> np.ndarray:
    """The one capacity model of the console (the month's plan, so 任务分配 and 分层策略's what-if): a person's
    daily share (weekly capacity / ``schedule.working_days_per_week``) times the month's real working days."""
    return np.asarray(capacity_week, dtype=np.float64) / policy.schedule.working_days_per_week * days


def call_methods(policy: Policy) -> dict[str, str]:
    """The logged way (方式) each plan channel is written on the 联络表: the first of its mapped channels."""
    return {c: (policy.compliance.channel_map.get(c) or (t(f"channel.{c}"),))[0] for c in CHANNELS}


def sheet_calls(plan: pd.DataFrame, policy: Policy) -> pd.Series:
    """Per staff member, the rows of their 联络表: a customer's contacts of one day and one 方式 are one row
    (a 731 call and a birthday call the same day are one call). The one count of "contacts this month". The
    greeting SMS batch is not on the 联络表 (its own list, ``core.plan.batch_sms``)."""
    from core.plan import batch_sms

    plan = plan.loc[~batch_sms(plan, policy)]
    if not len(plan):
        return pd.Series(dtype="int64")
    staff, names = pd.factorize(plan["staff"], use_na_sentinel=False)
    customer, _ = pd.factorize(plan["customer_id"].astype(str))
    method, _ = pd.factorize(plan["channel"].map(call_methods(policy)), use_na_sentinel=False)
    day = pd.to_datetime(plan["due_date"]).to_numpy(dtype="datetime64[D]").astype(np.int64)
    day = day - day.min()
    # one integer per (staff, customer, day, method): the distinct ones are the sheet's rows
    key = ((staff.astype(np.int64) * (customer.max() + 1) + customer) * (day.max() + 1) + day) * (
        method.max() + 1
    ) + method
    unique = np.unique(key)
    per_staff = unique // ((customer.max() + 1) * (day.max() + 1) * (method.max() + 1))
    counts = np.bincount(per_staff, minlength=len(names))
    return pd.Series(counts, index=pd.Index(names, dtype=object), dtype="int64")


def workload(
    plan: pd.DataFrame,
    roster: Roster | pd.DataFrame,
    policy: Policy,
    assignment: Assignment | None = None,
    *,
    days: int | None = None,
) -> pd.DataFrame:
    """One row per roster member (roster order).

    contacts counts the rows of each person's 联络表 (:func:`sheet_calls`); the per-channel columns count the
    plan's rows (duties); effort_month weights them by
    ``policy.workload.channel_effort``, the greeting SMS batch (``core.plan.batch_sms``) at nothing, as the
    scheduler counts a day's capacity; effort_week = effort_month / weeks_per_month; capacity_month =
    capacity_week x weeks_per_month, or, for a month of ``days`` working days, the daily share
    (capacity_week / ``policy.schedule.working_days_per_week``) times ``days``; utilisation = effort_month / capacity_month; overloaded when above 1.
    customers counts the assignment (or, without it, distinct customers in the plan).
    """
    staff = as_roster(roster, policy).staff
    wl = policy.workload
    names = staff["name"].tolist()
    from core.plan import batch_sms

    effort = plan["channel"].map(lambda c: wl.channel_effort.get(c, 0.0)).astype("float64")
    # the greeting SMS batch takes no share of a day (core.schedule places it so): not against capacity either
    effort = effort.where(~batch_sms(plan, policy), 0.0)
    grouped = plan.assign(effort=effort).groupby("staff", sort=False)
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
    out["contacts"] = sheet_calls(plan, policy).reindex(names, fill_value=0).to_numpy(dtype=np.int64)
    for channel in CHANNELS:
        values = by_channel[channel] if channel in by_channel.columns else pd.Series(0, index=names)
        out[channel] = values.to_numpy(dtype=np.int64)
    out["effort_month"] = efforts.to_numpy(dtype=np.float64)
    out["effort_week"] = out["effort_month"] / wl.weeks_per_month
    out["capacity_week"] = staff["capacity_per_week"].to_numpy(dtype=np.float64)
    if days is None:
        out["capacity_month"] = out["capacity_week"] * wl.weeks_per_month
    else:
        out["capacity_month"] = month_capacity(out["capacity_week"], policy, days)
    out["utilisation"] = out["effort_month"] / out["capacity_month"]
    out["overloaded"] = out["effort_month"] > out["capacity_month"] + 1e-9
    return out[WORKLOAD_COLUMNS]


USE_COLUMNS = ["owed", "planned", "deferred", "capacity", "use"]


@dataclass(frozen=True)
class CapacityUse:
    """Capacity use of a fitted month's plan, per person (roster order) and per role (policy order, roles with
    staff): customers, effort owed (planned + deferred), effort planned, contacts deferred, capacity a month,
    use = planned / capacity, overloaded (per person a flag, per role the number of people flagged)."""

    people: pd.DataFrame  # staff, role, customers, contacts, *USE_COLUMNS, overloaded
    roles: pd.DataFrame  # role, staff (people), customers, contacts, *USE_COLUMNS, overloaded


def capacity_use(load: pd.DataFrame, policy: Policy, deferred: pd.DataFrame | None = None) -> CapacityUse:
    """The one "使用率" of the console: a fitted plan's workload (:func:`workload`, as ``core.schedule`` fits
    it) with its ``deferred`` contacts (``core.schema.DEFERRED_ROW``), per person and per role. 任务分配,
    分层策略's what-if, the workbook's overview and the CLI all read it from here."""
    wl = policy.workload
    names = load["staff"].tolist()
    if deferred is not None and len(deferred):
        effort = deferred["channel"].map(lambda c: wl.channel_effort.get(c, 0.0)).astype("float64")
        late = deferred.assign(effort=effort).groupby("staff", sort=False)
        late_effort = late["effort"].sum().reindex(names, fill_value=0.0).to_numpy(dtype=np.float64)
        late_count = late.size().reindex(names, fill_value=0).to_numpy(dtype=np.int64)
    else:
        late_effort, late_count = np.zeros(len(names)), np.zeros(len(names), dtype=np.int64)
    people = pd.DataFrame(
        {
            "staff": names,
            "role": load["role"].tolist(),
            "customers": load["customers"].to_numpy(dtype=np.int64),
            "contacts": load["contacts"].to_numpy(dtype=np.int64),
            "owed": load["effort_month"].to_numpy(dtype=np.float64) + late_effort,
            "planned": load["effort_month"].to_numpy(dtype=np.float64),
            "deferred": late_count,
            "capacity": load["capacity_month"].to_numpy(dtype=np.float64),
            "overloaded": load["overloaded"].to_numpy(dtype=bool),
        }
    )
    people["use"] = people["planned"] / people["capacity"]
    grouped = people.groupby("role", sort=False).agg(
        staff=("staff", "size"),
        customers=("customers", "sum"),
        contacts=("contacts", "sum"),
        owed=("owed", "sum"),
        planned=("planned", "sum"),
        deferred=("deferred", "sum"),
        capacity=("capacity", "sum"),
        overloaded=("overloaded", "sum"),
    )
    roles = grouped.reindex([r for r in wl.roles if r in grouped.index]).reset_index()
    roles["use"] = roles["planned"] / roles["capacity"]
    roles["overloaded"] = roles["overloaded"].astype(np.int64)
    tail = [*USE_COLUMNS, "overloaded"]
    return CapacityUse(
        people=people[["staff", "role", "customers", "contacts", *tail]],
        roles=roles[["role", "staff", "customers", "contacts", *tail]],
    )
