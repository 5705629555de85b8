"""A working day for every flexible contact within its window and its person's daily share; what does not fit is
deferred with its reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.i18n import t
from core.plan import PLAN_COLUMNS, batch_sms
from core.policy import Policy
from core.roster import Roster
from core.schedule.common import (
    EPS,
    FIXED_KINDS,
    _deferred_frame,
    _text,
    _weekly,
    contact_effort,
    daily_capacity,
)
from core.value import contact_value


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
