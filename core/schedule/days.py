"""A working day for every flexible contact within its window and its person's daily share, decided with the
solver (``core.optimise.place``); what does not fit is deferred with its reason, and the plan's bound.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.calendar import week_monday
from core.i18n import t
from core.optimise import place
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
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, float]:
    """Give every flexible contact a working day within its window and its person's daily share.

    Returns the scheduled plan, the deferred contacts, each person's effort per working day (roster order x
    ``days``) and the bound: the most any plan with these owners keeps within the day shares (元).
    """
    names = roster.staff["name"].tolist()
    cap_day = daily_capacity(roster, policy)
    n_days = days.size
    remaining = np.repeat(cap_day[:, None], n_days, axis=1)
    if "note" not in plan.columns:
        plan = plan.assign(note="")
    if not len(plan) or not n_days:
        value = contact_value(plan, seg, policy) if len(plan) else np.zeros(0)
        return plan, _deferred_frame(plan.iloc[:0], []), cap_day[:, None] - remaining, float(value.sum())
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
    monday = week_monday(due)
    # Window: -1 the whole month; otherwise the week's Monday (as days since epoch).
    window = np.where(is_week, monday.astype("int64"), -1)
    value = contact_value(plan, seg, policy)
    density = np.round(value / np.maximum(effort, EPS), 6)
    first = plan["_first"].to_numpy(dtype=bool) if "_first" in plan.columns else np.zeros(len(plan), bool)
    # Each person's priority order: carried and 挽回 contacts first, then worth most per unit of effort; ties: the
    # policy's defer_order group, the larger assets, then the customer's row in the export.
    f = flexible[effort[flexible] > EPS]  # what costs nothing is always made, on its planned day
    f = f[np.lexsort((due[f], row_of[f], -assets[f], rank[f], -density[f], ~first[f], who[f]))]
    priority = np.zeros(len(plan), dtype=np.int64)
    priority[f] = np.arange(f.size)
    mondays = week_monday(days).astype("int64")
    weeks, day_week = np.unique(mondays, return_inverse=True)
    n_weeks = weeks.size
    at_week = np.minimum(np.searchsorted(weeks, window), n_weeks - 1)
    slot = np.where(window < 0, n_weeks, np.where(weeks[at_week] == window, at_week, -1))
    new_day = np.full(len(plan), -1, dtype=np.int64)
    # 1. Carried and 挽回 contacts: each on the first day of its window with room for it.
    lead = f[first[f]]
    unplaced = [lead[~_place_first(lead, who, slot, effort, day_week, remaining, new_day)]]
    # 2. The solver: how many contacts of each class each person makes in each week (core.optimise.place).
    rest = f[~first[f]]
    room_day = np.clip(remaining, 0.0, None)
    # What whole contacts can use of a day: contacts of whole efforts (calls, visits) its whole units; contacts
    # bigger than a call (all of one effort, as by default) whole multiples of it, else days with room for one.
    big = np.unique(effort[rest][effort[rest] > 1.0 + EPS])
    if big.size == 1:
        big_day = big[0] * np.floor(room_day / big[0] + EPS)
    else:
        big_day = np.where(room_day >= float(big.min(initial=np.inf)) - EPS, room_day, 0.0)

    def by_week(x: np.ndarray) -> np.ndarray:
        return np.stack([x[:, day_week == k].sum(axis=1) for k in range(n_weeks)], axis=1)

    room = by_week(room_day)
    big_room = by_week(big_day)
    whole_room = by_week(np.floor(room_day + EPS))
    placement = place(
        person=who[rest],
        window=slot[rest],
        effort=effort[rest],
        value=value[rest],
        rank=priority[rest],
        due=day_of[rest],
        room=room,
        big_room=big_room,
        whole_room=whole_room,
    )
    # 3. The days, for whole contacts, per person: those bigger than a call first, each on the roomiest day whose
    # week keeps room for the week's duties; those smaller than a call (gifts) share the units of a few days
    # rather than break many; the weekly duties spread over their week's days, then the month's calls over the
    # month's, in due order and in proportion to what each day has left.
    made = rest[placement.week >= 0]
    unplaced.append(rest[placement.week < 0])
    made = made[np.lexsort((due[made], who[made]))]
    all_days = np.arange(n_days)
    for s, e in _runs(who[made]):
        rows = made[s:e]
        person = int(who[rows[0]])
        mark = len(unplaced)
        weekly = slot[rows] < n_weeks
        need = np.bincount(slot[rows][weekly], weights=effort[rows][weekly], minlength=n_weeks)
        large = rows[~weekly & (effort[rows] > 1.0 + EPS)]
        unplaced.append(_place_large(large, effort, day_of, new_day, remaining[person], day_week, need))
        small = rows[~weekly & (effort[rows] < 1.0 - EPS)]
        unplaced.append(_best_fit(small, effort, new_day, remaining[person], day_week, need))
        for w in np.unique(slot[rows][weekly]).tolist():
            unplaced.append(
                _spread(
                    rows[slot[rows] == w], effort, new_day, remaining[person], np.flatnonzero(day_week == w)
                )
            )
        other = rows[~weekly & (np.abs(effort[rows] - 1.0) <= EPS)]
        unplaced.append(_spread(other, effort, new_day, remaining[person], all_days))
        # Whole contacts do not always pack the days: what the solver made and no day took displaces contacts
        # after it in priority order where that keeps more value.
        left = np.concatenate(unplaced[mark:])
        del unplaced[mark:]
        unplaced.append(
            _repair(left, rows, priority, value, effort, new_day, remaining[person], slot, day_week)
        )
    # 4. What whole contacts left over: by priority, each on the roomiest day of its window that holds it.
    left = np.concatenate(unplaced)
    left = left[np.argsort(priority[left], kind="stable")]
    dropped = _complete(left, who, slot, effort, day_week, remaining, new_day)
    given = np.zeros(len(plan), dtype=bool)
    given[rest] = True
    bound = float(value[~given].sum()) - float(value[dropped[~given[dropped]]].sum()) + placement.bound
    moved = new_day >= 0
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
    return out[[*PLAN_COLUMNS, "note"]], deferred, day_load, bound


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


def _runs(keys: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of equal ``keys``."""
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])[: keys.size]
    return list(zip(starts.tolist(), np.r_[starts[1:], keys.size].astype(np.int64).tolist(), strict=False))


def _place_first(
    rows: np.ndarray,
    who: np.ndarray,
    slot: np.ndarray,
    effort: np.ndarray,
    day_week: np.ndarray,
    remaining: np.ndarray,
    new_day: np.ndarray,
) -> np.ndarray:
    """Carried and 挽回 contacts, in order: each on the first day of its window with room; which were placed."""
    ok = np.zeros(rows.size, dtype=bool)
    for k, i in enumerate(rows.tolist()):
        p, w = int(who[i]), int(slot[i])
        if w < 0:
            continue
        inside = np.ones(day_week.size, bool) if w >= day_week.max(initial=-1) + 1 else day_week == w
        fits = np.flatnonzero(inside & (remaining[p] >= effort[i] - EPS))
        if fits.size:
            new_day[i] = fits[0]
            remaining[p, fits[0]] -= effort[i]
            ok[k] = True
    return ok


def _complete(
    rows: np.ndarray,
    who: np.ndarray,
    slot: np.ndarray,
    effort: np.ndarray,
    day_week: np.ndarray,
    remaining: np.ndarray,
    new_day: np.ndarray,
) -> np.ndarray:
    """Contacts the solver's whole numbers left out, in priority order: each on the roomiest day of its window
    that holds it (the earliest on ties); returns those no day holds."""
    left = []
    n_weeks = int(day_week.max(initial=-1)) + 1
    person = who[rows]
    order = np.argsort(person, kind="stable")
    rows, person = rows[order], person[order]
    for s, e in _runs(person):
        mine = rows[s:e]
        day_room = remaining[int(person[s])]
        # Once no day holds the smallest contact still waiting, nothing after it fits either.
        smallest = np.minimum.accumulate(effort[mine][::-1])[::-1]
        for k, i in enumerate(mine.tolist()):
            if float(day_room.max(initial=0.0)) < smallest[k] - EPS:
                left.append(mine[k:])
                break
            w = int(slot[i])
            score = day_room if w == n_weeks else np.where(day_week == w, day_room, -np.inf)
            d = int(np.argmax(score))
            if w < 0 or score[d] < effort[i] - EPS:
                left.append(mine[k : k + 1])
                continue
            new_day[i] = d
            day_room[d] -= effort[i]
    return np.concatenate(left) if left else np.empty(0, dtype=np.int64)


def _repair(
    left: np.ndarray,
    rows: np.ndarray,
    priority: np.ndarray,
    value: np.ndarray,
    effort: np.ndarray,
    new_day: np.ndarray,
    remaining: np.ndarray,
    slot: np.ndarray,
    day_week: np.ndarray,
) -> np.ndarray:
    """One person's contacts of ``left`` (best first) that no day took: each takes the day of its window where it
    displaces the least value of the person's contacts (``rows``) after it in priority order, when that is less
    than its own worth and what the room it frees beyond itself makes of those waiting; returns what is left
    (the displaced included)."""
    out = []
    pending = sorted(left.tolist(), key=lambda i: priority[i])
    n_weeks = int(day_week.max(initial=-1)) + 1
    while pending:
        i = pending.pop(0)
        span = np.arange(day_week.size) if slot[i] >= n_weeks else np.flatnonzero(day_week == slot[i])
        free = remaining[span]
        k = int(np.argmax(free)) if span.size else 0
        if span.size and free[k] >= effort[i] - EPS:
            new_day[i] = span[k]
            remaining[span[k]] -= effort[i]
            continue
        best, cost = None, float(value[i])
        later = rows[(priority[rows] > priority[i]) & np.isin(new_day[rows], span)]
        later = later[np.argsort(-priority[later])]
        for k, d in enumerate(span.tolist()):
            there = later[new_day[later] == d]
            enough = np.searchsorted(np.cumsum(effort[there]), effort[i] - free[k] - EPS)
            if enough >= there.size:
                continue
            gone = there[: enough + 1]
            lost = float(value[gone].sum())
            spare, gain = free[k] + float(effort[gone].sum()) - effort[i], 0.0
            for j in pending:
                if effort[j] <= spare + EPS and (slot[j] >= n_weeks or slot[j] == day_week[d]):
                    spare -= effort[j]
                    gain += float(value[j])
            if lost - gain < cost - EPS:
                best, cost = (d, gone), lost - gain
        if best is None:
            out.append(i)
            continue
        d, gone = best
        remaining[d] += float(effort[gone].sum()) - effort[i]
        new_day[gone] = -1
        new_day[i] = d
        pending = sorted(pending + gone.tolist(), key=lambda j: priority[j])
    return np.array(out, dtype=np.int64)


def _best_fit(
    rows: np.ndarray,
    effort: np.ndarray,
    new_day: np.ndarray,
    remaining: np.ndarray,
    day_week: np.ndarray,
    need: np.ndarray,
) -> np.ndarray:
    """``rows`` smaller than a call, each in the smallest broken unit of a day (what a day has left beyond its
    whole units) that holds it, else on the roomiest day, of days whose week keeps room for ``need`` (the week's
    duties); returns those no day holds."""
    left = []
    week_room = np.bincount(day_week, weights=np.clip(remaining, 0, None), minlength=need.size)
    for i in rows.tolist():
        e = float(effort[i])
        ok = (remaining >= e - EPS) & ((week_room - e >= need - EPS)[day_week])
        if not ok.any():
            left.append(i)
            continue
        part = remaining - np.floor(remaining + EPS)
        broken = ok & (part >= e - EPS)
        if broken.any():
            d = int(np.argmin(np.where(broken, part, np.inf)))
        else:
            d = int(np.argmax(np.where(ok, remaining, -np.inf)))
        new_day[i] = d
        remaining[d] -= e
        week_room[day_week[d]] -= e
    return np.array(left, dtype=np.int64)


def _place_large(
    rows: np.ndarray,
    effort: np.ndarray,
    due: np.ndarray,
    new_day: np.ndarray,
    remaining: np.ndarray,
    day_week: np.ndarray,
    need: np.ndarray,
) -> np.ndarray:
    """Contacts bigger than a call (visits), biggest first, each on the day with the most room left (nearest its
    planned day ``due`` on ties) whose week keeps room for ``need`` (the week's duties); returns those no day
    holds."""
    left = []
    week_room = np.bincount(day_week, weights=np.clip(remaining, 0, None), minlength=need.size)
    position = np.arange(remaining.size)
    for i in rows[np.argsort(-effort[rows], kind="stable")].tolist():
        e = float(effort[i])
        ok = (remaining >= e - EPS) & ((week_room - e >= need - EPS)[day_week])
        if not ok.any():
            left.append(i)
            continue
        d = int(np.argmax(np.where(ok, remaining - 1e-6 * np.abs(position - due[i]), -np.inf)))
        new_day[i] = d
        remaining[d] -= e
        week_room[day_week[d]] -= e
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
