"""A plan the staff can carry out: rebalancing, a working day for every contact, and written deferrals.

``plan_month`` is the one path from an export and a roster to a month's plan (the CLI and 任务分配 call it):
assign -> build_plan -> rebalance -> coalesce -> schedule -> workload.

Definitions (exact, tested):
- Effort: a contact costs ``policy.workload.channel_effort[channel]`` (one phone call = 1).
- A person's daily share is capacity_per_week / ``policy.schedule.working_days_per_week``; their month's
  capacity is the daily share times the month's working days (``core.plan.working_days``).
- Fixed-date contacts (731 and birthday reminders) keep their dates and are never deferred. A day they
  alone push above the daily share is the only way a person is ``overloaded`` after scheduling.
- Coalescing: a 731 reminder call stands for the routine call of the same customer due in its ISO week
  (中端, 高端), calendar month (基础) or quarter (潜力) (the routine row is dropped; the reminder's ``note`` says
  it is that routine call too).
- Value: every contact is worth the money at stake (``core.value``, the policy's ``[value]``).
- Who keeps whom (``policy.schedule.rebalance``): a linear programme (``core.optimise``, HiGHS) over each
  person's weeks and month decides which customers of people over their share move to an eligible colleague
  (a role the tier allows; the 支局长 too for the top N): the value of the contacts made less the cost of the
  moves is maximised, so the smallest customers with nothing maturing move first and only when it pays. Its
  optimum is the plan's ``bound``; ``value_kept`` is what the scheduled plan keeps less the moves' cost.
- Scheduling, per person: the flexible contacts are taken worth most per unit of effort first (ties: the
  policy's ``defer_order`` group, then larger assets), weekly duties within the working days of their week
  inside the month, the others within the month. A contact is kept when it fits in what is left of its window;
  visits (more than a call) go first, each to the roomiest day whose week keeps room for its calls; calls and
  SMS then spread over their window's days in due-date order. No day goes above its share.
- The month's greeting SMS (``core.plan.batch_sms``) is one batch per person from the SMS platform: on the
  month's first working day, no share of a day, never deferred (confirmed once, ``core.services.sms``).
- Deferral: what does not fit is deferred, one ``DEFERRED_COLUMNS`` row per contact with its value and its
  reason. Deferred contacts are not stored with the published plan, so compliance never counts them as missed;
  they are written down on 延后联络. A deferred quarterly duty comes back in the quarter's next month (nothing
  logged: still owed, ``core.plan``); a weekly or monthly one is not carried, the next month owes its own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from core.assign import REMINDER_CHANNEL, Assignment, assign
from core.calendar import parse_month, with_statutory_calendar, working_days
from core.i18n import t
from core.optimise import solve
from core.plan import PLAN_COLUMNS, batch_sms, build_plan, carried_rows, winback_rows
from core.policy import Policy
from core.roster import Roster, as_roster
from core.schema import DEFERRED_ROW
from core.value import contact_value, move_cost
from core.workload import workload

FIXED_KINDS = ("reminder_731", "birthday")
DEFERRED_COLUMNS = list(DEFERRED_ROW)  # core.schema: the deferred contact, defined once
MOVE_COLUMNS = ["customer_id", "name", "tier", "from_staff", "to_staff", "effort", "value", "cost", "reason"]
EPS = 1e-9


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
    bound: float = 0.0  # the most any plan can keep under the daily shares (the solver's optimum)
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
    assignment, moves, bound = _optimise(seg, assignment, plan, roster, policy, days)
    if len(moves):
        moved = dict(zip(moves["customer_id"], moves["to_staff"], strict=True))
        new_staff = plan["customer_id"].map(moved)
        plan = plan.assign(staff=new_staff.where(new_staff.notna(), plan["staff"]))
    value_due = owed_value
    plan, deferred, day_load = schedule(plan, seg, roster, policy, days)
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


def _text(column: pd.Series) -> np.ndarray:
    """A text column as a NumPy object array (no detour through an Arrow-backed copy)."""
    return column.to_numpy(dtype=object, na_value=None)


def _weekly(policy: Policy, tier: np.ndarray, channel: np.ndarray) -> np.ndarray:
    """Rows whose (tier, channel) duty is owed weekly."""
    out = np.zeros(tier.size, dtype=bool)
    for code in policy.tiers:
        for c in code.cadence:
            if c.period == "week" and c.count > 0:
                out |= (tier == code.code) & (channel == c.channel)
    return out


def daily_capacity(roster: Roster, policy: Policy) -> np.ndarray:
    """Each person's share of a working day (effort units), roster order."""
    return (
        roster.staff["capacity_per_week"].to_numpy(dtype=np.float64) / policy.schedule.working_days_per_week
    )


def contact_effort(plan: pd.DataFrame, policy: Policy) -> np.ndarray:
    channel = _text(plan["channel"])
    out = np.zeros(channel.size, dtype=np.float64)
    for name, value in policy.workload.channel_effort.items():
        out[channel == name] = value
    return out


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
    assignment, moves, _ = _optimise(seg, assignment, plan, roster, policy, days)
    return assignment, moves


def _optimise(
    seg: pd.DataFrame,
    assignment: Assignment,
    plan: pd.DataFrame,
    roster: Roster,
    policy: Policy,
    days: np.ndarray,
) -> tuple[Assignment, pd.DataFrame, float]:
    """``rebalance`` and the solver's bound (value of contacts made less move costs, 元)."""
    staff = roster.staff
    names = staff["name"].tolist()
    roles = staff["role"].tolist()
    position = {name: i for i, name in enumerate(names)}
    n_people = len(names)
    cap_day = daily_capacity(roster, policy)
    mondays = (days - ((days.astype("int64") - 4) % 7)).astype("int64")
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
        return assignment, _empty(MOVE_COLUMNS), float(np.round(value.sum(), 2))
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
    bound = solution.bound + float(
        value[fixed | batch].sum()
    )  # fixed-date contacts and the batch: always made
    moved = np.flatnonzero(solution.owner != owner)
    if not moved.size:
        return assignment, _empty(MOVE_COLUMNS), bound
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
    return replace(assignment, table=table), moves, bound


# --- coalescing ----------------------------------------------------------------------------------------
def coalesce(plan: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Drop a routine call that a 731 reminder call of the same customer makes: one call serves every purpose due
    in its period. The routine call of a week (中端, 高端), a month (基础) or a quarter (潜力) is covered by a
    reminder call in the same ISO week, calendar month or calendar quarter; the first such reminder's note says
    which routine call it is too (compliance then owes the reminder, which the call meets)."""
    plan = plan.copy()
    plan["note"] = plan["note"].fillna("").astype(object) if "note" in plan.columns else ""
    if not len(plan):
        return plan
    due = pd.to_datetime(plan["due_date"]).to_numpy(dtype="datetime64[D]")
    ids = _text(plan["customer_id"])
    kind = _text(plan["kind"])
    channel = _text(plan["channel"])
    tier = _text(plan["tier"])
    reminder = (kind == "reminder_731") & (channel == REMINDER_CHANNEL)
    routine = (
        (kind == "cadence") & (channel == REMINDER_CHANNEL) & pd.Index(ids).isin(pd.unique(ids[reminder]))
    )
    if not reminder.any() or not routine.any():
        return plan
    months = due.astype("datetime64[M]").astype("int64")
    spans = {
        "week": (due - ((due.astype("int64") - 4) % 7)).astype("int64"),
        "month": months,
        "quarter": months - months % 3,
    }
    drop = np.zeros(len(plan), dtype=bool)
    notes = plan["note"].to_numpy(dtype=object).copy()
    code = pd.factorize(ids)[0].astype(np.int64)
    for period, span in spans.items():
        owed = routine & _period_is(policy, tier, channel, period)
        if not owed.any():
            continue
        low = span.min()
        key = code * (int(span.max() - low) + 1) + (span - low)  # one integer per customer and period
        covered = owed & np.isin(key, key[reminder])
        drop |= covered
        seen = np.zeros(len(plan), dtype=bool)
        rows = np.flatnonzero(reminder)
        seen[rows[np.unique(key[rows], return_index=True)[1]]] = True  # the first reminder of each key
        first = seen & np.isin(key, key[covered])
        text = t(f"schedule.note.covers_{period}", "zh")
        for i in np.flatnonzero(first).tolist():
            notes[i] = f"{notes[i]}；{text}" if notes[i] else text
    plan["note"] = notes
    return plan.loc[~drop].reset_index(drop=True)


def _period_is(policy: Policy, tier: np.ndarray, channel: np.ndarray, period: str) -> np.ndarray:
    """Rows whose (tier, channel) duty is owed once per ``period``."""
    out = np.zeros(tier.size, dtype=bool)
    for code in policy.tiers:
        for c in code.cadence:
            if c.period == period and c.count > 0:
                out |= (tier == code.code) & (channel == c.channel)
    return out


# --- scheduling ----------------------------------------------------------------------------------------
def schedule(
    plan: pd.DataFrame, seg: pd.DataFrame, roster: Roster, policy: Policy, days: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Give every flexible contact a working day within its window and its person's daily share.

    Returns the scheduled plan, the deferred contacts and each person's effort per working day
    (roster order x ``days``).
    """
    names = roster.staff["name"].tolist()
    cap_day = daily_capacity(roster, policy)
    n_days = days.size
    remaining = np.repeat(cap_day[:, None], n_days, axis=1)
    if "note" not in plan.columns:
        plan = plan.assign(note="")
    if not len(plan) or not n_days:
        return plan, _deferred_frame(plan.iloc[:0], []), cap_day[:, None] - remaining
    effort = contact_effort(plan, policy)
    batch = batch_sms(plan, policy)
    effort[batch] = 0.0  # one batch from the SMS platform: no share of a day, never deferred
    who = pd.Index(names).get_indexer(plan["staff"])
    due = pd.to_datetime(plan["due_date"]).to_numpy(dtype="datetime64[D]")
    due[batch] = days[0]  # sent on the month's first working day
    day_of = np.searchsorted(days, due)
    on_day = (day_of < n_days) & (days[np.minimum(day_of, n_days - 1)] == due)
    kind_of = _text(plan["kind"])
    fixed = np.isin(kind_of, FIXED_KINDS)
    counted = fixed & on_day & (who >= 0)
    np.subtract.at(remaining, (who[counted], day_of[counted]), effort[counted])

    flexible = np.flatnonzero(~fixed & (who >= 0))
    ids = _text(plan["customer_id"])
    row_of = pd.Index(_text(seg["customer_id"])).get_indexer(ids)
    assets = np.where(row_of >= 0, seg["assets"].to_numpy(dtype=np.float64)[row_of], 0.0)
    near = (
        seg["near_level"].notna().to_numpy()[row_of] & (row_of >= 0)
        if "near_level" in seg.columns
        else np.zeros(len(plan), bool)
    )
    tier = _text(plan["tier"])
    order_rank = {code: i for i, code in enumerate(policy.schedule.defer_order)}
    group = np.where(near & (tier != "high"), "near", tier)
    rank = np.full(len(plan), len(order_rank), dtype=np.int64)
    for code, i in order_rank.items():
        rank[group == code] = i
    channel = _text(plan["channel"])
    is_week = _weekly(policy, tier, channel)
    monday = due - ((due.astype("int64") - 4) % 7)
    # Window: -1 the whole month; otherwise the week's Monday (as days since epoch).
    window = np.where(is_week, monday.astype("int64"), -1)
    f = flexible
    # Per person, the contact worth most per unit of effort first (what the solver's optimum does); ties: the
    # policy's defer_order group, the larger assets, then the customer's row in the export.
    value = contact_value(plan, seg, policy)
    density = np.round(value / np.maximum(effort, EPS), 6)
    first = plan["_first"].to_numpy(dtype=bool) if "_first" in plan.columns else np.zeros(len(plan), bool)
    # Carried and 挽回 contacts come first, then by value per unit of effort.
    f = f[np.lexsort((due[f], row_of[f], -assets[f], rank[f], -density[f], ~first[f], who[f]))]
    keys = who[f][:, None]
    starts = (
        np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]).any(axis=1)]) if f.size else np.empty(0, np.int64)
    )
    ends = np.r_[starts[1:], f.size]
    new_day = day_of.copy()
    deferred_rows: list[np.ndarray] = []
    day_week = (days - ((days.astype("int64") - 4) % 7)).astype("int64")
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        rows = f[s:e]
        person = int(who[rows[0]])
        placed, left = _fill_group(effort[rows], window[rows], day_of[rows], remaining[person], day_week)
        new_day[rows] = placed
        if left.size:
            deferred_rows.append(rows[left])
    dropped = np.concatenate(deferred_rows) if deferred_rows else np.empty(0, np.int64)
    moved = np.zeros(len(plan), dtype=bool)
    moved[f] = True
    moved &= new_day >= 0
    new_due = due.copy()
    new_due[moved] = days[new_day[moved]]
    plan = _gift_with_visit(plan, channel, ids, who, new_due, days, effort, remaining, dropped)
    staff_rank = np.where(who >= 0, who, len(names))
    dropped = dropped[np.lexsort((dropped, due[dropped], staff_rank[dropped]))]
    reasons = _reasons(dropped, effort, cap_day, window, who, value, names, first)
    deferred = _deferred_frame(plan.iloc[dropped], reasons, value[dropped])
    keep = np.ones(len(plan), dtype=bool)
    keep[dropped] = False
    kept = np.flatnonzero(keep)
    kind_rank = np.select(
        [kind_of == "cadence", kind_of == "reminder_731", kind_of == "birthday"], [0, 1, 2], 3
    )
    kept = kept[np.lexsort((kind_rank[kept], new_due[kept], staff_rank[kept]))]
    out = plan.iloc[kept].reset_index(drop=True)
    out["due_date"] = pd.to_datetime(new_due[kept]).astype(plan["due_date"].dtype)
    day_load = cap_day[:, None] - remaining
    return out[[*PLAN_COLUMNS, "note"]], deferred, day_load


def _reasons(
    rows: np.ndarray,
    effort: np.ndarray,
    cap_day: np.ndarray,
    window: np.ndarray,
    who: np.ndarray,
    value: np.ndarray,
    names: list[str],
    first: np.ndarray | None = None,
) -> list[str]:
    """Each deferred row's reason: its day cannot hold it, its week or its month is full; with its value. A
    carried or 挽回 contact (``first``) is placed before every other contact, so only the reminders that keep
    their dates can have left it no room: its reason says so, not that it came last by priority."""
    if not rows.size:
        return []
    kind = np.where(effort[rows] > cap_day[who[rows]] + EPS, 0, np.where(window[rows] >= 0, 1, 2))
    if first is not None:
        kind = np.where((kind > 0) & first[rows], 3, kind)
    keys = ("schedule.reason.day", "schedule.reason.week", "schedule.reason.month", "schedule.reason.fixed")
    marker = "\x00"
    # Per person and reason the text around the value, then the value of each row between them.
    parts = {
        (p, k): t(keys[k], "zh", name=names[p], worth=marker, day=cap_day[p])
        for p, k in set(zip(who[rows].tolist(), kind.tolist(), strict=True))
    }
    # "约 0 元" is no figure a head can stand behind: under half a 元 the row says "不足 1 元".
    about = t("schedule.value.about", "zh", value=0).replace("0", marker, 1)
    whole = np.round(value[rows]).astype(np.int64)
    below = t("schedule.value.below_one", "zh")
    shown = [about.replace(marker, str(v), 1) if v > 0 else below for v in whole.tolist()]
    return [
        parts[(p, k)].replace(marker, v, 1)
        for p, k, v in zip(who[rows].tolist(), kind.tolist(), shown, strict=True)
    ]


def _worth(value: float) -> str:
    """A contact's worth as the reasons say it: "约 N 元", or "不足 1 元" when it rounds to nothing."""
    whole = round(float(value))
    return t("schedule.value.about", "zh", value=whole) if whole > 0 else t("schedule.value.below_one", "zh")


def _gift_with_visit(
    plan: pd.DataFrame,
    channel: np.ndarray,
    ids: np.ndarray,
    who: np.ndarray,
    new_due: np.ndarray,
    days: np.ndarray,
    effort: np.ndarray,
    remaining: np.ndarray,
    dropped: np.ndarray,
) -> pd.DataFrame:
    """A gift goes with the visit: a customer's gift moves to the day of their visit this month (when that day
    has room for it), and its row says so. ``new_due`` and ``remaining`` are updated."""
    out = np.ones(len(plan), dtype=bool)
    out[dropped] = False
    live = out & (who >= 0)
    visits = np.flatnonzero(live & (channel == "visit"))
    gifts = np.flatnonzero(live & (channel == "gift"))
    if not visits.size or not gifts.size:
        return plan
    visit_day = dict(zip(ids[visits].tolist(), new_due[visits].tolist(), strict=True))
    note = t("schedule.note.gift_with_visit", "zh")
    texts = plan["note"].fillna("").astype(object).to_numpy().copy()
    for i in gifts.tolist():
        day = visit_day.get(ids[i])
        if day is None:
            continue
        if day != new_due[i]:
            old, new = np.searchsorted(days, new_due[i]), np.searchsorted(days, day)
            inside = old < days.size and days[old] == new_due[i] and new < days.size and days[new] == day
            if not inside or remaining[who[i], new] < effort[i] - EPS:
                continue
            remaining[who[i], old] += effort[i]
            remaining[who[i], new] -= effort[i]
            new_due[i] = day
        texts[i] = f"{texts[i]}；{note}" if texts[i] else note
    return plan.assign(note=texts)


def flatten_reminders(plan: pd.DataFrame, roster: Roster, policy: Policy, days: np.ndarray) -> pd.DataFrame:
    """The 7-day calls off days their person's fixed-date calls push over the daily share (``_flatten_reminders``),
    before who keeps whom is decided, so that the solver sees the days as they will be."""
    if not len(plan) or not days.size:
        return plan
    names = roster.staff["name"].tolist()
    cap_day = daily_capacity(roster, policy)
    remaining = np.repeat(cap_day[:, None], days.size, axis=1)
    effort = contact_effort(plan, policy)
    who = pd.Index(names).get_indexer(plan["staff"])
    due = pd.to_datetime(plan["due_date"]).to_numpy(dtype="datetime64[D]")
    day_of = np.searchsorted(days, due)
    on_day = (day_of < days.size) & (days[np.minimum(day_of, days.size - 1)] == due)
    counted = np.isin(_text(plan["kind"]), FIXED_KINDS) & on_day & (who >= 0)
    np.subtract.at(remaining, (who[counted], day_of[counted]), effort[counted])
    return _flatten_reminders(plan, policy, days, who, day_of, due, effort, remaining, counted)[0]


def _flatten_reminders(
    plan: pd.DataFrame,
    policy: Policy,
    days: np.ndarray,
    who: np.ndarray,
    day_of: np.ndarray,
    due: np.ndarray,
    effort: np.ndarray,
    remaining: np.ndarray,
    counted: np.ndarray,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The ``policy.value.flex_offset``-day reminder calls (7 by default) move up to ``flex_days`` working days
    either way, inside their ISO week, when their own day is over its share: to the day with the most room left
    (their own day on ties, then the earlier): Friday no longer carries every weekend maturity. Catch-up calls and the other offsets keep their
    days. ``remaining`` is updated; the moved rows' note gives the original date."""
    reach = policy.value.flex_days
    if reach <= 0 or not days.size:
        return plan, day_of, due
    offset = pd.to_numeric(plan["offset"], errors="coerce").to_numpy(dtype=np.float64)
    notes = plan["note"].fillna("").astype(str).to_numpy()
    movable = (
        counted
        & (_text(plan["kind"]) == "reminder_731")
        & (_text(plan["channel"]) == REMINDER_CHANNEL)
        & (offset == policy.value.flex_offset)
        & ~pd.Series(notes).str.startswith(t("plan.note.catch_up", "zh", date="", offset="")[:3]).to_numpy()
    )
    rows = np.flatnonzero(movable)
    if not rows.size:
        return plan, day_of, due
    week = (days - ((days.astype("int64") - 4) % 7)).astype("int64")
    rows = rows[np.lexsort((_text(plan["customer_id"])[rows], due[rows]))]
    new_day = day_of.copy()
    for i in rows.tolist():
        p, d, e = int(who[i]), int(day_of[i]), float(effort[i])
        remaining[p, d] += e
        if remaining[p, d] >= e - EPS:  # fits its own day: stays
            remaining[p, d] -= e
            continue
        options = [k for k in range(d - reach, d + reach + 1) if 0 <= k < days.size and week[k] == week[d]]
        best = max(options, key=lambda k: (round(remaining[p, k], 9), k == d, -k))
        remaining[p, best] -= e
        new_day[i] = best
    moved = np.flatnonzero(new_day != day_of)
    if not moved.size:
        return plan, day_of, due
    plan = plan.copy()
    new_due = due.copy()
    new_due[moved] = days[new_day[moved]]
    texts = plan["note"].fillna("").astype(object).to_numpy().copy()
    for i in moved.tolist():
        note = t(
            "plan.note.moved_7",
            "zh",
            date=f"{pd.Timestamp(due[i]):%m-%d}",
            days=abs(int(new_day[i]) - int(day_of[i])),
        )
        texts[i] = f"{texts[i]}；{note}" if texts[i] else note
    plan["note"] = texts
    plan["due_date"] = pd.to_datetime(new_due).astype(plan["due_date"].dtype)
    return plan, new_day, new_due


def _fill_group(
    effort: np.ndarray, window: np.ndarray, due: np.ndarray, remaining: np.ndarray, day_week: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One person's contacts of one priority group (in priority order): which fit, and on which day.

    ``due`` is each contact's planned day (index into the month's working days).

    A weekly contact (``window`` = its Monday) needs room in its week, any contact room in the month.
    Returns each contact's day index (-1: keeps its planned day) and the positions that do not fit.
    ``remaining`` (the person's capacity left per day) is updated.
    """
    n = effort.size
    placed = np.full(n, -1, dtype=np.int64)
    room = np.clip(remaining, 0.0, None)
    weeks = np.unique(window[window >= 0])
    week_room = {int(w): float(room[day_week == w].sum()) for w in weeks.tolist()}
    month_room = float(room.sum())
    free = effort <= EPS  # costs nothing: always kept, on its planned day
    weekly = window >= 0
    too_big = ~free & (effort > float(room.max(initial=0.0)) + EPS)  # no day could hold it
    fits = (
        not too_big.any()
        and float(effort.sum()) <= month_room + EPS
        and all(float(effort[window == w].sum()) <= week_room[int(w)] + EPS for w in weeks.tolist())
    )
    if fits:
        keep = np.ones(n, dtype=bool)
    else:
        keep = free.copy()
        for i in np.flatnonzero(~free & ~too_big).tolist():
            need = float(effort[i])
            if need > month_room + EPS:
                continue
            w = int(window[i])
            if w >= 0:
                if need > week_room[w] + EPS:
                    continue
                week_room[w] -= need
            month_room -= need
            keep[i] = True
    rest: list[np.ndarray] = []
    big = np.flatnonzero(keep & ~free & ~weekly & (effort > 1.0 + EPS))
    if big.size:
        weekly_need = {int(w): float(effort[keep & (window == w)].sum()) for w in weeks.tolist()}
        rest.append(_place_large(big, effort, due, placed, remaining, day_week, weekly_need))
    for w in weeks.tolist():
        rows = np.flatnonzero(keep & ~free & (window == w))
        rows = rows[np.argsort(due[rows], kind="stable")]
        span = np.flatnonzero(day_week == w)
        rest.append(_spread(rows, effort, placed, remaining, span))
    rows = np.flatnonzero(keep & ~free & ~weekly & (effort <= 1.0 + EPS))
    rows = rows[np.argsort(due[rows], kind="stable")]
    rest.append(_spread(rows, effort, placed, remaining, np.arange(remaining.size)))
    left = np.sort(np.concatenate([np.flatnonzero(~keep), *rest]))
    return placed, left


def _place_large(
    rows: np.ndarray,
    effort: np.ndarray,
    due: np.ndarray,
    placed: np.ndarray,
    remaining: np.ndarray,
    day_week: np.ndarray,
    weekly_need: dict[int, float],
) -> np.ndarray:
    """Month contacts bigger than a call (visits) first, each on the day with the most room left (nearest its
    planned day ``due`` on ties) whose week keeps room for the week's calls; returns those no day takes."""
    left = []
    weeks, week_index = np.unique(day_week, return_inverse=True)
    week_room = np.array([float(np.clip(remaining[day_week == w], 0, None).sum()) for w in weeks.tolist()])
    need_week = np.array([weekly_need.get(int(w), 0.0) for w in weeks.tolist()])
    position = np.arange(remaining.size)
    for i in rows[np.argsort(-effort[rows], kind="stable")].tolist():
        need = float(effort[i])
        ok = (remaining >= need - EPS) & ((week_room - need >= need_week - EPS)[week_index])
        if not ok.any():
            left.append(i)
            continue
        score = np.where(ok, remaining - 1e-6 * np.abs(position - due[i]), -np.inf)
        d = int(np.argmax(score))
        placed[i] = d
        remaining[d] -= need
        week_room[week_index[d]] -= need
    return np.array(left, dtype=np.int64)


def _spread(
    rows: np.ndarray, effort: np.ndarray, placed: np.ndarray, remaining: np.ndarray, span: np.ndarray
) -> np.ndarray:
    """Spread ``rows`` over the days of ``span`` in proportion to what each day has left; what does not fit
    whole on any day is returned."""
    if not rows.size:
        return rows
    total = float(np.clip(remaining[span], 0.0, None).sum())
    scale = min(1.0, float(effort[rows].sum()) / total) if total > 0 else 1.0
    rest = _sequential(rows, effort, placed, remaining, span, scale)
    return _sequential(rest, effort, placed, remaining, span, 1.0)


def _sequential(
    rows: np.ndarray,
    effort: np.ndarray,
    placed: np.ndarray,
    remaining: np.ndarray,
    span: np.ndarray,
    scale: float,
) -> np.ndarray:
    """Fill the days of ``span`` in order, each up to ``scale`` of what it has left; returns what is left over."""
    if not rows.size:
        return rows
    cum = np.cumsum(effort[rows])
    base, i = 0.0, 0
    for d in span.tolist():
        if i >= rows.size:
            break
        target = max(remaining[d], 0.0) * scale
        k = int(np.searchsorted(cum, base + target + EPS, side="right"))
        if k > i:
            placed[rows[i:k]] = d
            used = float(cum[k - 1] - base)
            remaining[d] -= used
            base = float(cum[k - 1])
            i = k
    return rows[i:]


def _deferred_frame(rows: pd.DataFrame, reasons: list[str], value: np.ndarray | None = None) -> pd.DataFrame:
    if not len(rows):
        frame = _empty(DEFERRED_COLUMNS)
        frame["due_date"] = pd.Series(dtype="datetime64[s]")
        frame["value"] = pd.Series(dtype="float64")
        frame["amount"] = pd.Series(dtype="float64")
        return frame
    out = pd.DataFrame(
        {
            "customer_id": _text(rows["customer_id"]),
            "name": rows["name"].to_numpy(),
            "tier": _text(rows["tier"]),
            "channel": rows["channel"].to_numpy(),
            "kind": rows["kind"].to_numpy(),
            "due_date": pd.to_datetime(rows["due_date"]).to_numpy(),
            "staff": rows["staff"].to_numpy(),
            "amount": pd.to_numeric(rows["amount"], errors="coerce").to_numpy(dtype=np.float64),
            "value": np.asarray(value, dtype=np.float64),
            "reason": reasons,
        }
    )
    return out[DEFERRED_COLUMNS]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


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
