"""Who keeps whom (``solve``) and how many contacts of each class each person makes in each week (``place``),
decided by linear programmes (HiGHS), each followed by a deterministic fill.

The model (``solve``), in effort units (one call = 1) and 元 of value (``core.value``):
- Each person has a share per week of the month (working days x daily share) and for the month. Fixed-date
  contacts (731, birthday) are always made where their customer is; a day they alone push over its share
  spills over that day only (the caller adds the spill to the week).
- A contact group of a customer is one of: the weekly contacts of each week, the monthly / quarterly calls and
  SMS, the monthly contacts bigger than a call (visits, which need a day's share of at least ``big_unit``).
- Customers of people within their shares stay: their groups enter as supply (per person and group, ``STEPS``
  steps of value per unit of effort, best first) that the person may make in part.
- Customers of people over a share (``movable_people``) form classes: same owner, eligible colleagues (tier,
  top N), maturing or not, managed by the owner in the export or not, and a band of month value (``BANDS``
  quantiles; every customer its own class when there are at most ``EXACT`` of them). Per class, ``k[g]``
  customers have group g made by the owner, and ``m[p]`` customers move to colleague p, who makes all their
  contacts (visits only with a day for them), for their value less the move's cost (``core.value.move_cost``:
  the smallest customers with nothing maturing are the cheapest to move). ``k[g] + sum(m) <= customers``.
- Maximise the value made less move costs. This optimum prices classes at their mean and weeks as wholes: it is
  no bound of the plan; the plan's bound is ``place``'s, at the level of the day shares.
Fill: a class's moves per colleague are rounded down, the largest remainders rounded up (roster order on ties);
inside a class the least valuable customers move first (customer id on ties).
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

EXACT = 2_000  # at most this many customers of people over their share: each customer is its own class
BANDS = 12  # otherwise this many value bands per owner, pool, maturing and managed
STEPS = 48  # steps of the supply curve of customers that stay, per person and contact group
OVERFLOW_PRICE = 1e6  # a fixed-date contact over a share: never chosen while anything else helps


@dataclass(frozen=True)
class Solution:
    owner: np.ndarray  # new owner (roster position) per customer
    bound: (
        float  # the LP optimum: value of flexible contacts made less move costs (元); classes at their mean
    )


def solve(
    *,
    owner: np.ndarray,  # roster position per customer
    pools: dict[int, np.ndarray],  # eligible roster positions per pool key
    pool_key: np.ndarray,  # pool key per customer
    fixed_week: np.ndarray,  # customers x weeks: effort of fixed-date contacts
    flex_week: np.ndarray,  # customers x weeks: effort of weekly flexible contacts
    value_week: np.ndarray,  # customers x weeks: value of those
    flex_month: np.ndarray,  # customers: effort of monthly / quarterly calls and SMS
    value_month: np.ndarray,  # customers: value of those
    flex_big: np.ndarray,  # customers: effort of monthly / quarterly contacts bigger than a call (visits)
    value_big: np.ndarray,  # customers: value of those
    big_unit: float,  # the largest such contact: a person whose day is smaller cannot make one
    month_value: np.ndarray,  # customers: all their contacts' value (fixed too)
    kept: np.ndarray,  # bool: the export's 管户人员 is the owner
    ids: np.ndarray,  # customer ids (ties)
    cap_week: np.ndarray,  # people x weeks: shares (spill of fixed-date days included)
    spilled: np.ndarray,  # people x weeks: fixed-date calls alone push a day over (moving them frees nothing)
    day_cap: np.ndarray,  # people: the daily share
    move_cost: np.ndarray,  # customers: cost of moving each
    movable_people: np.ndarray,  # bool per person: their customers may move
) -> Solution:
    n_people, n_weeks = cap_week.shape
    n = owner.size
    maturing = fixed_week.sum(axis=1) > 0
    visits_ok = day_cap + 1e-9 >= big_unit
    # Groups: weeks 0..n_weeks-1, then month (calls, SMS), then big (visits).
    flex = np.column_stack([flex_week, flex_month, flex_big]) if n else np.zeros((0, n_weeks + 2))
    value = np.column_stack([value_week, value_month, value_big]) if n else np.zeros((0, n_weeks + 2))
    n_groups = n_weeks + 2
    week_row = np.arange(n_people * n_weeks).reshape(n_people, n_weeks)
    month_row = n_people * n_weeks + np.arange(n_people)
    n_rows = n_people * (n_weeks + 1)
    fixed_load = np.zeros((n_people, n_weeks))
    np.add.at(fixed_load, owner, fixed_week)
    rhs = np.r_[(cap_week - fixed_load).ravel(), cap_week.sum(axis=1) - fixed_load.sum(axis=1)]

    cols_cost: list[np.ndarray] = []
    cols_upper: list[np.ndarray] = []
    trip_col: list[np.ndarray] = []
    trip_row: list[np.ndarray] = []
    trip_val: list[np.ndarray] = []
    n_cols = 0

    def add(cost: np.ndarray, upper: np.ndarray, entries: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """Columns ``cost``/``upper`` with, per entry, (row, value) arrays of the columns' length."""
        nonlocal n_cols
        cols = n_cols + np.arange(cost.size)
        n_cols += cost.size
        cols_cost.append(np.asarray(cost, dtype=np.float64))
        cols_upper.append(np.asarray(upper, dtype=np.float64))
        for rows, vals in entries:
            keep = vals != 0
            trip_col.append(cols[keep])
            trip_row.append(np.asarray(rows)[keep])
            trip_val.append(np.asarray(vals, dtype=np.float64)[keep])
        return cols

    movable = movable_people[owner] if n else np.zeros(0, bool)
    # 1. Supply of customers who stay: per person and group, value-per-effort steps.
    still = np.flatnonzero(~movable)
    for g in range(n_groups):
        e, v = flex[still, g], value[still, g]
        has = e > 0
        if g == n_groups - 1:
            has &= visits_ok[owner[still]]
        if not has.any():
            continue
        who, e, v = owner[still][has], e[has], v[has]
        density = v / e
        frame = pd.DataFrame({"p": who, "d": density, "e": e, "v": v})
        rank = frame.groupby("p")["d"].rank(method="first", ascending=False, pct=True).to_numpy()
        frame["s"] = np.minimum((rank * STEPS).astype(np.int64), STEPS - 1)
        steps = frame.groupby(["p", "s"], sort=True)[["e", "v"]].sum().reset_index()
        p = steps["p"].to_numpy()
        e_s, v_s = steps["e"].to_numpy(), steps["v"].to_numpy()
        entries = [(month_row[p], np.ones(p.size))]
        if g < n_weeks:
            entries.append((week_row[p, g], np.ones(p.size)))
        add(v_s / e_s, e_s, entries)

    # 2. Classes of customers who may move.
    moving = np.flatnonzero(movable)
    classes = _classes(owner[moving], pool_key[moving], kept[moving], maturing[moving], month_value[moving])
    n_cls = int(classes.max()) + 1 if moving.size else 0
    count = np.bincount(classes, minlength=n_cls).astype(np.float64)

    def mean(x: np.ndarray) -> np.ndarray:
        x = x[moving]
        if x.ndim == 1:
            return np.bincount(classes, weights=x, minlength=n_cls) / np.maximum(count, 1)
        return (
            np.stack(
                [np.bincount(classes, weights=x[:, k], minlength=n_cls) for k in range(x.shape[1])], axis=1
            )
            / np.maximum(count, 1)[:, None]
        )

    class_cols: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (m columns, class, person)
    if n_cls:
        first = np.zeros(n_cls, dtype=np.int64)
        first[classes[::-1]] = np.arange(moving.size)[::-1]
        c_owner, c_key = owner[moving][first], pool_key[moving][first]
        c_fixed, c_flex, c_val, c_cost = mean(fixed_week), mean(flex), mean(value), mean(move_cost)
        class_row = n_rows + np.arange(n_cls * n_groups).reshape(n_cls, n_groups)
        n_rows += n_cls * n_groups
        rhs = np.r_[rhs, np.repeat(count, n_groups)]
        # k[c, g]: the owner makes group g for this many of the class's customers.
        for g in range(n_groups):
            c = np.flatnonzero((c_flex[:, g] > 0) & ((g < n_groups - 1) | visits_ok[c_owner]))
            if not c.size:
                continue
            o = c_owner[c]
            entries = [(month_row[o], c_flex[c, g]), (class_row[c, g], np.ones(c.size))]
            if g < n_weeks:
                entries.append((week_row[o, g], c_flex[c, g]))
            add(c_val[c, g], count[c], entries)
        # m[c, p]: this many of the class's customers move to p, who makes all their contacts.
        pairs_c, pairs_p = [], []
        for key in np.unique(c_key).tolist():
            cs = np.flatnonzero(c_key == key)
            for p in pools[int(key)].tolist():
                sel = cs[c_owner[cs] != p]
                pairs_c.append(sel)
                pairs_p.append(np.full(sel.size, p, dtype=np.int64))
        pc = np.concatenate(pairs_c) if pairs_c else np.zeros(0, np.int64)
        pp = np.concatenate(pairs_p) if pairs_p else np.zeros(0, np.int64)
        if pc.size:
            po = c_owner[pc]
            big_ok = visits_ok[pp]
            load = c_flex[pc].copy()
            load[~big_ok, n_groups - 1] = 0.0
            worth = c_val[pc].copy()
            worth[~big_ok, n_groups - 1] = 0.0
            # Moving a customer out frees the owner's week of their fixed-date calls, except in a week whose days
            # those calls already push over the share (the spill is not capacity anyone else could use).
            freed = c_fixed[pc] * ~spilled[po]
            entries = [
                (month_row[pp], load.sum(axis=1) + c_fixed[pc].sum(axis=1)),
                (month_row[po], -freed.sum(axis=1)),
            ]
            for w in range(n_weeks):
                entries.append((week_row[pp, w], load[:, w] + c_fixed[pc, w]))
                entries.append((week_row[po, w], -freed[:, w]))
            for g in range(n_groups):
                entries.append((class_row[pc, g], np.ones(pc.size)))
            cols = add(worth.sum(axis=1) - c_cost[pc], count[pc], entries)
            class_cols.append((cols, pc, pp))

    # 3. Fixed-date contacts over a share: an overflow per person and week, at a prohibitive price.
    p, w = np.divmod(np.arange(n_people * n_weeks), n_weeks)
    overflow = add(
        np.full(p.size, -OVERFLOW_PRICE),
        np.full(p.size, highspy.kHighsInf),
        [(week_row[p, w], -np.ones(p.size)), (month_row[p], -np.ones(p.size))],
    )

    x, _ = _run(n_cols, n_rows, cols_cost, cols_upper, trip_col, trip_row, trip_val, rhs)
    objective = float(np.concatenate(cols_cost) @ x) + OVERFLOW_PRICE * float(x[overflow].sum())

    new_owner = owner.copy()
    if class_cols:
        cols, pc, pp = class_cols[0]
        taken = x[cols]
        members_of = pd.Series(np.arange(moving.size)).groupby(classes).indices
        for c in np.unique(pc[taken > 1e-6]).tolist():
            here = np.flatnonzero(pc == c)
            people, amount = pp[here], taken[here]
            order = np.argsort(people, kind="stable")
            people, amount = people[order], amount[order]
            whole = _round(amount, int(count[c]))
            members = moving[members_of[c]]
            members = members[
                np.lexsort((ids[members], month_value[members], kept[members], maturing[members]))
            ]
            start = 0
            for person, k in zip(people.tolist(), whole.tolist(), strict=True):
                if k > 0:
                    new_owner[members[start : start + k]] = person
                    start += k
    return Solution(owner=new_owner, bound=objective)


def _run(
    n_cols: int,
    n_rows: int,
    cost: list[np.ndarray],
    upper: list[np.ndarray],
    trip_col: list[np.ndarray],
    trip_row: list[np.ndarray],
    trip_val: list[np.ndarray],
    rhs: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Maximise cost @ x subject to A x <= rhs, 0 <= x <= upper (A from triplets); the optimal x and each row's
    shadow price (元 per unit of the row's bound, >= 0)."""
    col = np.concatenate(trip_col) if trip_col else np.zeros(0, np.int64)
    row = np.concatenate(trip_row) if trip_row else np.zeros(0, np.int64)
    val = np.concatenate(trip_val) if trip_val else np.zeros(0)
    order = np.lexsort((row, col))
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
    lp.col_cost_ = np.concatenate(cost)
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.concatenate(upper)
    lp.row_lower_ = np.full(n_rows, -highspy.kHighsInf)
    lp.row_upper_ = np.asarray(rhs, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.r_[0, np.cumsum(np.bincount(col, minlength=n_cols))].astype(np.int32)
    lp.a_matrix_.index_ = row[order].astype(np.int32)
    lp.a_matrix_.value_ = val[order]
    lp.sense_ = highspy.ObjSense.kMaximize
    h = _highs()
    h.passModel(lp)
    h.run()
    solution = h.getSolution()
    x = np.asarray(solution.col_value, dtype=np.float64)
    price = np.abs(np.asarray(solution.row_dual, dtype=np.float64))
    return x, price


_BANNER = threading.Lock()
_banner_done = False


def _highs() -> highspy.Highs:
    """A silent, single-threaded, seeded solver. HiGHS prints its banner to the process's stdout when the first
    solver is made: that once it goes nowhere, so that a command's JSON on stdout stays clean and `make run`'s
    output carries no library notice."""
    global _banner_done
    with _BANNER:
        if not _banner_done:
            sys.stdout.flush()
            saved = os.dup(1)
            quiet = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(quiet, 1)
                h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(quiet)
            _banner_done = True
        else:
            h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    return h


def _classes(
    owner: np.ndarray, pool_key: np.ndarray, kept: np.ndarray, maturing: np.ndarray, value: np.ndarray
) -> np.ndarray:
    """Class number per movable customer (module docstring)."""
    n = owner.size
    if not n:
        return np.zeros(0, dtype=np.int64)
    if n <= EXACT:
        band = np.arange(n)
    else:
        frame = pd.DataFrame({"o": owner, "k": pool_key, "p": kept, "m": maturing, "v": value})
        rank = frame.groupby(["o", "k", "p", "m"])["v"].rank(method="first", pct=True).to_numpy()
        band = np.minimum((rank * BANDS).astype(np.int64), BANDS - 1)
    key = pd.MultiIndex.from_arrays([owner, pool_key, kept, maturing, band])
    return pd.factorize(key, sort=True)[0].astype(np.int64)


def _round(amount: np.ndarray, total: int) -> np.ndarray:
    """Whole customers per colleague, at most ``total`` in all: floors, then the largest remainders (the given
    order on ties) while the sum stays within the LP's."""
    floor = np.floor(amount + 1e-6).astype(np.int64)
    budget = min(total, int(np.floor(amount.sum() + 1e-6))) - int(floor.sum())
    if budget > 0:
        rest = amount - floor
        for i in np.lexsort((np.arange(rest.size), -np.round(rest, 6)))[:budget].tolist():
            if rest[i] > 1e-6:
                floor[i] += 1
    return floor


DAY_STEPS = 48  # steps of each person's priority order in the day model


@dataclass(frozen=True)
class Placement:
    week: np.ndarray  # per contact: the week (index) it is made in, -1 when it waits
    bound: float  # the most any placement within the day shares makes of these contacts (元, a true bound)


def place(
    *,
    person: np.ndarray,  # roster position per contact
    window: np.ndarray,  # per contact: its week (index) for a weekly duty, n_weeks for the month, -1 no day
    effort: np.ndarray,  # per contact, > 0
    value: np.ndarray,  # per contact (元)
    rank: np.ndarray,  # per contact: its place in its person's priority order (0 = first)
    due: np.ndarray,  # per contact: planned day (index), for the week a month contact is given
    room: np.ndarray,  # people x weeks: effort left on the week's working days (each day's share less fixed)
    big_room: np.ndarray,  # people x weeks: effort the week's days hold of contacts bigger than a call (visits)
    whole_room: np.ndarray,  # people x weeks: effort the week's days hold of contacts of whole efforts (calls)
) -> Placement:
    """How many contacts of each class each person makes in each week (module docstring of ``core.schedule``).

    Classes: per person, window and effort, the person's ``DAY_STEPS`` steps of the priority order; a class the
    LP takes in part, or whose contacts lie on both sides of the LP's price, is split into its contacts and the
    LP solved again. The LP
    maximises the value made: a week holds what its days have room for (contacts bigger than a call only on days
    with room for one, contacts of whole efforts only the whole units of the days), a class no more than its
    contacts. Whole contacts: per class the LP's weeks rounded down, the largest remainders rounded up; inside a
    class the first in priority order are made, a month class's in due order over its weeks. The bound is the
    Lagrangian of those week limits at the LP's shadow prices, over every contact at its own value: no placement
    of whole (or part) contacts within the day shares makes more.
    """
    n_people, n_weeks = room.shape
    n = person.size
    week = np.full(n, -1, dtype=np.int64)
    live = np.flatnonzero(window >= 0)
    if not live.size:
        return Placement(week=week, bound=0.0)
    is_big = effort > 1.0 + 1e-9
    is_whole = (effort >= 1.0 - 1e-9) & (np.abs(effort - np.round(effort)) < 1e-9)
    # Steps of the person's whole priority order, so that the classes the LP weighs at the margin hold contacts
    # of like worth per unit of effort whatever their window.
    live = live[np.lexsort((rank[live], person[live]))]
    head = np.r_[True, person[live][1:] != person[live][:-1]]
    start = np.flatnonzero(head)
    size = np.diff(np.r_[start, live.size])
    group = np.cumsum(head) - 1
    step = np.empty(n, dtype=np.int64)
    step[live] = ((np.arange(live.size) - start[group]) * DAY_STEPS) // size[group]
    live = live[np.lexsort((rank[live], step[live], effort[live], window[live], person[live]))]
    p, w, e = person[live], window[live], effort[live]
    st = step[live]
    # Two passes: the classes the first LP takes in part are split, each of their contacts its own class, so
    # that the margin is weighed contact by contact.
    split = np.zeros(live.size, dtype=np.int64)
    for second in (False, True):
        change = (p[1:] != p[:-1]) | (w[1:] != w[:-1]) | (e[1:] != e[:-1]) | (st[1:] != st[:-1])
        cls = np.cumsum(np.r_[True, change | (split[1:] != split[:-1])]) - 1
        n_cls = int(cls[-1]) + 1
        first = np.flatnonzero(np.r_[True, cls[1:] != cls[:-1]])
        count = np.bincount(cls, minlength=n_cls).astype(np.float64)
        c_value = np.bincount(cls, weights=value[live], minlength=n_cls) / count
        c_p, c_w, c_e, c_big = p[first], w[first], e[first], is_big[live][first]
        # Columns: a class in each week of its window.
        month = c_w == n_weeks
        col_c = np.r_[np.flatnonzero(~month), np.repeat(np.flatnonzero(month), n_weeks)]
        col_w = np.r_[c_w[~month], np.tile(np.arange(n_weeks), int(month.sum()))]
        order = np.lexsort((col_w, col_c))
        col_c, col_w = col_c[order], col_w[order]
        n_cols = col_c.size
        cap_row = c_p[col_c] * n_weeks + col_w
        big_row = n_people * n_weeks + cap_row
        whole_row = 2 * n_people * n_weeks + cap_row
        cls_row = 3 * n_people * n_weeks + col_c
        cols = np.arange(n_cols)
        sel = c_big[col_c]
        one = is_whole[live][first][col_c]
        trip_col = [cols, cols[sel], cols[one], cols]
        trip_row = [cap_row, big_row[sel], whole_row[one], cls_row]
        trip_val = [c_e[col_c], c_e[col_c][sel], c_e[col_c][one], np.ones(n_cols)]
        rhs = np.r_[
            np.clip(room, 0, None).ravel(),
            np.clip(big_room, 0, None).ravel(),
            np.clip(whole_room, 0, None).ravel(),
            count,
        ]
        x, price = _run(n_cols, rhs.size, [c_value[col_c]], [count[col_c]], trip_col, trip_row, trip_val, rhs)
        if second:
            break
        taken = np.bincount(col_c, weights=x, minlength=n_cls)
        part = (taken > 1e-6) & (taken < count - 1e-6)
        # ... and those whose contacts lie on both sides of the LP's price of their effort.
        gain = value[live] - _cheapest(price, p, w, e, is_big[live], is_whole[live], n_people, n_weeks)
        above = np.bincount(cls, weights=gain > 1e-6, minlength=n_cls) > 0
        below = np.bincount(cls, weights=gain < -1e-6, minlength=n_cls) > 0
        part = (part | (above & below)) & (count > 1)
        if not part.any():
            break
        split = np.where(part[cls], np.arange(live.size) - first[cls] + 1, 0)
    # Whole contacts per class and week.
    whole = np.floor(x + 1e-6)
    total = np.floor(np.bincount(col_c, weights=x, minlength=n_cls) + 1e-6)
    extra = total - np.bincount(col_c, weights=whole, minlength=n_cls)
    rest = x - whole
    by = np.lexsort((col_w, -np.round(rest, 6), col_c))
    col_first = np.searchsorted(col_c[by], np.arange(n_cls))
    nth = np.arange(n_cols) - col_first[col_c[by]]
    whole[by[(nth < extra[col_c[by]]) & (rest[by] > 1e-6)]] += 1
    total = np.bincount(col_c, weights=whole, minlength=n_cls)
    # The first ``total`` of each class (priority order) are made; in due order over the class's weeks.
    in_cls = np.arange(live.size) - first[cls]
    made = in_cls < total[cls]
    rows = np.flatnonzero(made)
    rows = rows[np.lexsort((in_cls[rows], due[live][rows], cls[rows]))]
    cum = np.cumsum(whole)
    base = np.r_[0.0, cum][np.searchsorted(col_c, np.arange(n_cls))]
    seq = np.arange(rows.size) - np.searchsorted(cls[rows], cls[rows])
    at = np.searchsorted(cum, base[cls[rows]] + seq + 0.5)
    week[live[rows]] = col_w[at]
    # The bound: shadow prices y (week shares), z (days for big contacts) and u (whole days' shares); each
    # contact is worth making where its window is cheapest.
    y, z, u = price[: 3 * n_people * n_weeks].reshape(3, n_people, n_weeks)
    cheapest = _cheapest(price, p, w, e, is_big[live], is_whole[live], n_people, n_weeks)
    bound = float(
        (y * np.clip(room, 0, None)).sum()
        + (z * np.clip(big_room, 0, None)).sum()
        + (u * np.clip(whole_room, 0, None)).sum()
        + np.clip(value[live] - cheapest, 0, None).sum()
    )
    return Placement(week=week, bound=bound)


def _cheapest(
    price: np.ndarray,
    p: np.ndarray,
    w: np.ndarray,
    e: np.ndarray,
    big: np.ndarray,
    whole: np.ndarray,
    n_people: int,
    n_weeks: int,
) -> np.ndarray:
    """Per contact, the least the week limits' shadow prices charge for it in a week of its window."""
    y, z, u = price[: 3 * n_people * n_weeks].reshape(3, n_people, n_weeks)
    per_week = e[:, None] * (y[p] + big[:, None] * z[p] + whole[:, None] * u[p])
    return np.where(
        w == n_weeks, per_week.min(axis=1), per_week[np.arange(w.size), np.minimum(w, n_weeks - 1)]
    )
