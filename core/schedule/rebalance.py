"""Who keeps whom: a linear programme (``core.optimise``) moves customers of people over their share to eligible
colleagues where the contacts saved are worth more than the move (the plan's bound is the day model's,
``core.schedule.days``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from core.assign import Assignment
from core.calendar import week_monday
from core.i18n import t
from core.optimise import solve
from core.plan import batch_sms
from core.policy import Policy
from core.roster import Roster
from core.schedule.common import (
    EPS,
    FIXED_KINDS,
    MOVE_COLUMNS,
    _empty,
    _text,
    _weekly,
    contact_effort,
    daily_capacity,
)
from core.schedule.days import _worth
from core.value import contact_value, move_cost


# --- rebalancing ---------------------------------------------------------------------------------------
def rebalance(
    seg: pd.DataFrame,
    assignment: Assignment,
    plan: pd.DataFrame,
    roster: Roster,
    policy: Policy,
    days: np.ndarray,
) -> tuple[Assignment, pd.DataFrame]:
    """Move customers from people over their share (of a week or the month) to eligible colleagues where the
    contacts saved are worth more than the move (``core.optimise``); each move with its reason."""
    return _optimise(seg, assignment, plan, roster, policy, days)


def _optimise(
    seg: pd.DataFrame,
    assignment: Assignment,
    plan: pd.DataFrame,
    roster: Roster,
    policy: Policy,
    days: np.ndarray,
) -> tuple[Assignment, pd.DataFrame]:
    """``rebalance``: the new assignment and the moves, each with its reason."""
    staff = roster.staff
    names = staff["name"].tolist()
    roles = staff["role"].tolist()
    position = {name: i for i, name in enumerate(names)}
    n_people = len(names)
    cap_day = daily_capacity(roster, policy)
    mondays = week_monday(days).astype("int64")
    weeks, day_week = np.unique(mondays, return_inverse=True)
    cap_week = cap_day[:, None] * np.bincount(day_week, minlength=weeks.size)[None, :].astype(np.float64)
    effort = contact_effort(plan, policy)
    batch = batch_sms(plan, policy)
    effort[batch] = 0.0  # the SMS platform sends the month's greeting in one batch: always made
    value = contact_value(plan, seg, policy)
    who = pd.Index(names).get_indexer(plan["staff"])
    due = pd.to_datetime(plan["due_date"]).to_numpy(dtype="datetime64[D]")
    day_of = np.searchsorted(days, due)
    on_day = (day_of < days.size) & (days[np.minimum(day_of, max(days.size - 1, 0))] == due)
    week_of = np.where(on_day, day_week[np.minimum(day_of, max(days.size - 1, 0))], -1)
    fixed = np.isin(_text(plan["kind"]), FIXED_KINDS)
    weekly = _weekly(policy, _text(plan["tier"]), _text(plan["channel"]))
    ids = _text(seg["customer_id"])
    n = len(seg)
    row = pd.Index(ids).get_indexer(_text(plan["customer_id"]))
    # Rows of customers not in the export (a notice's item) load their person's weeks and cannot move.
    alone = (row < 0) & (who >= 0) & (week_of >= 0)
    np.subtract.at(cap_week, (who[alone], week_of[alone]), effort[alone])
    cap_week = np.maximum(cap_week, 0.0)
    inside = row >= 0
    counted = inside & ~batch & ((week_of >= 0) | (~fixed & ~weekly))
    fixed_week = np.zeros((n, weeks.size))
    flex_week = np.zeros((n, weeks.size))
    value_week = np.zeros((n, weeks.size))
    sel = counted & fixed & (week_of >= 0)
    np.add.at(fixed_week, (row[sel], week_of[sel]), effort[sel])
    sel = counted & ~fixed & weekly & (week_of >= 0)
    np.add.at(flex_week, (row[sel], week_of[sel]), effort[sel])
    np.add.at(value_week, (row[sel], week_of[sel]), value[sel])
    big = effort > 1.0 + EPS  # visits: placed whole on one day (``_place_large``)
    sel = counted & ~fixed & ~weekly & ~big
    flex_month = np.bincount(row[sel], weights=effort[sel], minlength=n)
    value_month = np.bincount(row[sel], weights=value[sel], minlength=n)
    sel = counted & ~fixed & ~weekly & big
    flex_big = np.bincount(row[sel], weights=effort[sel], minlength=n)
    value_big = np.bincount(row[sel], weights=value[sel], minlength=n)
    month_value = np.bincount(row[inside], weights=value[inside], minlength=n)
    owner = pd.Index(names).get_indexer(assignment.staff_of(seg))
    tier_index = seg["tier_index"].to_numpy(dtype=np.int64)
    top = seg["branch_head"].to_numpy(dtype=bool) if "branch_head" in seg.columns else np.zeros(n, bool)
    heads = [i for i, r in enumerate(roles) if r == policy.branch_head.role]
    pools: dict[int, np.ndarray] = {}
    for k, tier in enumerate(policy.tiers):
        pool = [i for i, r in enumerate(roles) if r in tier.owner_roles] or heads or list(range(n_people))
        pools[2 * k] = np.array(pool, dtype=np.int64)
        pools[2 * k + 1] = np.array(sorted(set(pool) | set(heads)), dtype=np.int64)
    pool_key = 2 * tier_index + top.astype(np.int64)
    managers = seg["manager"].astype(object).tolist() if "manager" in seg.columns else [None] * n
    manager_idx = np.array(
        [position.get(m.strip(), -1) if isinstance(m, str) else -1 for m in managers], dtype=np.int64
    )
    load_week = np.zeros((n_people, weeks.size))
    known = owner >= 0
    np.add.at(load_week, owner[known], (fixed_week + flex_week)[known])
    load_month = load_week.sum(axis=1) + np.bincount(
        owner[known], weights=(flex_month + flex_big)[known], minlength=n_people
    )
    big_unit = float(effort[big].max()) if big.any() else 0.0
    no_visit = (cap_day + EPS < big_unit) & (
        np.bincount(owner[known], weights=flex_big[known], minlength=n_people) > 0
    )
    over = (load_week > cap_week + EPS).any(axis=1) | (load_month > cap_week.sum(axis=1) + EPS) | no_visit
    if not policy.schedule.rebalance:
        over[:] = False
    if not known.all():  # nobody on the roster
        return assignment, _empty(MOVE_COLUMNS)
    costs = move_cost(month_value, policy, manager_idx == owner)
    # A day that fixed-date contacts alone push over its share is over only that day: the rest of the week keeps
    # its room. The week's share in the model grows by that overflow (as the current owners carry it).
    fixed_day = np.zeros((n_people, days.size))
    sel = fixed & (who >= 0) & on_day
    np.add.at(fixed_day, (who[sel], day_of[sel]), effort[sel])
    spill = np.clip(fixed_day - cap_day[:, None], 0.0, None)
    spill_week = np.stack([spill[:, day_week == k].sum(axis=1) for k in range(weeks.size)], axis=1)
    model_week = cap_week + spill_week
    solution = solve(
        owner=owner,
        pools=pools,
        pool_key=pool_key,
        fixed_week=fixed_week,
        flex_week=flex_week,
        value_week=value_week,
        flex_month=flex_month,
        value_month=value_month,
        flex_big=flex_big,
        value_big=value_big,
        big_unit=big_unit,
        month_value=month_value,
        kept=manager_idx == owner,
        ids=ids,
        cap_week=model_week,
        spilled=spill_week > EPS,
        day_cap=cap_day,
        move_cost=costs,
        movable_people=over,
    )
    moved = np.flatnonzero(solution.owner != owner)
    if not moved.size:
        return assignment, _empty(MOVE_COLUMNS)
    new = solution.owner
    table = assignment.table.copy()
    table["staff"] = table["staff"].astype(object)
    table["role"] = table["role"].astype(object)
    table.iloc[moved, table.columns.get_loc("staff")] = np.array(names, dtype=object)[new[moved]]
    table.iloc[moved, table.columns.get_loc("role")] = np.array(roles, dtype=object)[new[moved]]
    table.iloc[moved, table.columns.get_loc("reason")] = "rebalanced"
    demand = fixed_week.sum(axis=1) + flex_week.sum(axis=1) + flex_month + flex_big
    order = moved[np.lexsort((ids[moved], month_value[moved], owner[moved]))]
    weeks_over = (load_week > cap_week + EPS).sum(axis=1)
    reasons = []
    for c in order.tolist():
        o = int(owner[c])
        why = [t("schedule.move.load", "zh", name=names[o], load=load_month[o], capacity=cap_week[o].sum())]
        if weeks_over[o]:
            why.append(t("schedule.move.weeks", "zh", weeks=int(weeks_over[o])))
        if no_visit[o]:
            why.append(t("schedule.move.no_visit", "zh", day=cap_day[o], visit=big_unit))
        key = "schedule.move.maturing" if fixed_week[c].sum() > 0 else "schedule.move.small"
        why.append(t(key, "zh", worth=_worth(month_value[c]), cost=costs[c], to=names[int(new[c])]))
        reasons.append("".join(why))
    moves = pd.DataFrame(
        {
            "customer_id": ids[order],
            "name": seg["name"].astype(object).to_numpy()[order] if "name" in seg.columns else None,
            "tier": seg["tier"].astype(str).to_numpy()[order],
            "from_staff": np.array(names, dtype=object)[owner[order]],
            "to_staff": np.array(names, dtype=object)[new[order]],
            "effort": np.round(demand[order], 4),
            "value": np.round(month_value[order], 2),
            "cost": np.round(costs[order], 2),
            "reason": reasons,
        }
    )
    return replace(assignment, table=table), moves
