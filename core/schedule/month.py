"""``plan_month``: the one path from an export and a roster to a month's plan (assign -> build_plan -> coalesce
-> flatten reminders -> rebalance -> schedule -> workload), and the ``MonthPlan`` it returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.assign import Assignment, assign
from core.calendar import parse_month, with_statutory_calendar, working_days
from core.plan import build_plan, carried_rows, winback_rows
from core.policy import Policy
from core.roster import Roster, as_roster
from core.schedule.coalesce import coalesce
from core.schedule.common import EPS, daily_capacity
from core.schedule.days import schedule
from core.schedule.rebalance import _optimise
from core.schedule.reminders import flatten_reminders
from core.value import contact_value
from core.workload import workload


@dataclass(frozen=True)
class MonthPlan:
    """Everything a branch head publishes for a month, after rebalancing and scheduling."""

    assignment: Assignment
    plan: pd.DataFrame  # PLAN_COLUMNS + note; every due date a working day within capacity
    deferred: pd.DataFrame  # DEFERRED_COLUMNS
    moves: pd.DataFrame  # MOVE_COLUMNS
    workload: pd.DataFrame  # core.workload columns + capacity_source, over_days
    days: np.ndarray  # the month's working days
    value_due: float = 0.0  # 元 at stake in every contact owed (core.value)
    value_kept: float = 0.0  # of which in the plan, less the cost of the moves
    bound: float = (
        0.0  # the most any plan with these owners keeps within the daily shares (core.optimise.place)
    )
    calendar_warnings: tuple[str, ...] = ()  # a year the statutory calendar does not know yet
    policy: Policy | None = None  # the policy the plan was made with (the statutory calendar filled in)

    @property
    def gap(self) -> float:
        """How far the plan is from the best possible: (bound - kept) / bound."""
        return (self.bound - self.value_kept) / self.bound if self.bound > 0 else 0.0


def plan_month(
    seg: pd.DataFrame,
    roster: Roster | pd.DataFrame,
    policy: Policy,
    month: str | tuple[int, int] | dt.date,
    maturity_items: pd.DataFrame | None = None,
    *,
    reminders_from: dt.date | None = None,
    met_this_quarter: Collection[tuple[str, str]] | None = None,
    carried: pd.DataFrame | None = None,
    winback: pd.DataFrame | None = None,
) -> MonthPlan:
    """The month's plan that fits capacity: who, what and on which day, with every move and deferral listed.

    ``carried``: the previous month's deferred contacts (``core.schema.DEFERRED_ROW``); ``winback``: the 挽回
    calls owed (``core.plan.winback_targets``). Both come first in their person's list, on the month's first
    working day, the original date (or the maturity and the amount that left) in the note."""
    roster = as_roster(roster, policy)
    year, mon = parse_month(month)
    years = sorted({year, reminders_from.year if reminders_from else year})
    policy, calendar_warnings = with_statutory_calendar(policy, years)
    days = working_days(year, mon, policy=policy)
    assignment = assign(seg, roster, policy)
    plan = build_plan(
        seg,
        assignment,
        policy,
        (year, mon),
        maturity_items,
        reminders_from=reminders_from,
        met_this_quarter=met_this_quarter,
    )
    extra = [
        carried_rows(carried, seg, assignment, policy, plan, days[0]),
        winback_rows(winback, seg, assignment, plan, days[0]),
    ]
    extra = [e for e in extra if len(e)]
    plan = plan.assign(_first=False)
    if extra and days.size:
        plan = pd.concat([plan, *[e.assign(_first=True) for e in extra]], ignore_index=True)
    # Text as plain objects once (core.schema: a plan row's text is object), not converted at every step.
    text = [
        c for c in ("staff", "customer_id", "name", "tier", "channel", "kind", "note") if c in plan.columns
    ]
    plan = plan.assign(**{c: plan[c].to_numpy(dtype=object, na_value=None) for c in text})
    plan = plan.assign(_value=contact_value(plan, seg, policy))  # computed once, carried with the rows
    owed_value = float(plan["_value"].sum())
    plan = coalesce(plan, policy)
    # A routine call a 731 call stands for is made by that call (which never waits): its value is kept.
    covered = owed_value - float(contact_value(plan, seg, policy).sum())
    plan = flatten_reminders(plan, roster, policy, days)
    assignment, moves = _optimise(seg, assignment, plan, roster, policy, days)
    if len(moves):
        moved = dict(zip(moves["customer_id"], moves["to_staff"], strict=True))
        new_staff = plan["customer_id"].map(moved)
        plan = plan.assign(staff=new_staff.where(new_staff.notna(), plan["staff"]))
    value_due = owed_value
    plan, deferred, day_load, bound = schedule(plan, seg, roster, policy, days)
    load = workload(plan, roster, policy, assignment, days=days.size)
    cap_day = daily_capacity(roster, policy)
    load["capacity_source"] = (
        roster.staff["capacity_source"].to_numpy() if "capacity_source" in roster.staff else "roster"
    )
    load["over_days"] = (day_load > cap_day[:, None] + EPS).sum(axis=1).astype(np.int64)
    load["overloaded"] = load["over_days"].to_numpy() > 0
    kept = float(contact_value(plan, seg, policy).sum()) + covered
    if len(moves):
        kept -= float(moves["cost"].sum())
        bound -= float(moves["cost"].sum())
    return MonthPlan(
        assignment=assignment,
        plan=plan,
        deferred=deferred,
        moves=moves,
        workload=load,
        days=days,
        value_due=round(value_due, 2),
        value_kept=round(kept, 2),
        bound=round(bound + covered, 2),
        calendar_warnings=tuple(calendar_warnings),
        policy=policy,
    )
