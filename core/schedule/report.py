"""What the head reads before publishing: the fit's warnings, the deferrals by person and reason, and the
capacity that would fit everything.
"""

from __future__ import annotations

import math

import pandas as pd

from core.i18n import t
from core.policy import Policy
from core.roster import Roster, as_roster
from core.schedule.common import EPS, contact_effort
from core.schedule.month import MonthPlan


def fit_warnings(month: MonthPlan) -> list[str]:
    """What the head must read before publishing: default capacities, fixed-date overloads, deferrals."""
    load = month.workload
    out: list[str] = list(month.calendar_warnings)
    defaults = load.loc[load["capacity_source"] == "default", "staff"].tolist()
    if defaults:
        out.append(t("schedule.capacity_default", "zh", names="、".join(defaults)))
    for row in load.loc[load["over_days"] > 0].itertuples(index=False):
        out.append(t("schedule.fixed_over", "zh", name=row.staff, role=row.role, days=int(row.over_days)))
    if len(month.deferred):
        out.append(t("schedule.deferred_warning", "zh", count=len(month.deferred)))
    return out


# --- what would make the plan fit ----------------------------------------------------------------------
def deferral_summary(deferred: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """Per tier and channel: contacts deferred and the share of that kind's required contacts."""
    columns = ["tier", "channel", "deferred", "required", "share"]
    if not len(deferred):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    waiting = deferred.groupby(["tier", "channel"], sort=False).size().rename("deferred")
    planned = plan.groupby(["tier", "channel"], sort=False).size()
    out = waiting.to_frame()
    out["required"] = out["deferred"] + planned.reindex(out.index, fill_value=0).to_numpy()
    out["share"] = out["deferred"] / out["required"]
    return out.reset_index()[columns]


def capacity_to_fit(month: MonthPlan, roster: Roster | pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per role with deferrals: effort deferred, weekly capacity to add so it fits, and in people of the role."""
    columns = ["role", "deferred", "effort", "add_per_week", "people"]
    if not len(month.deferred):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    staff = as_roster(roster, policy).staff
    role_of = dict(zip(staff["name"], staff["role"], strict=True))
    frame = month.deferred.assign(
        role=month.deferred["staff"].map(role_of), effort=contact_effort(month.deferred, policy)
    )
    weeks = max(month.days.size, 1) / policy.schedule.working_days_per_week
    grouped = frame.groupby("role", sort=False).agg(
        deferred=("customer_id", "size"), effort=("effort", "sum")
    )
    roles = [r for r in policy.workload.roles if r in grouped.index]
    out = grouped.reindex(roles).reset_index()
    out["add_per_week"] = [math.ceil(e / weeks - EPS) for e in out["effort"]]
    out["people"] = [
        math.ceil(a / policy.workload.capacity_of(r) - EPS)
        for a, r in zip(out["add_per_week"], out["role"], strict=True)
    ]
    return out[columns]
