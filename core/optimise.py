"""Who keeps whom, decided by a linear programme (HiGHS) over classes of like customers, then a deterministic fill.

The model (per month, per ISO week of the month):
- Customers are grouped into classes: same owner, same eligible colleagues (tier, top N), maturing or not,
  managed by the owner in the export or not, and a band of month value (``BANDS`` quantiles within the owner's
  tier; every customer its own class when the outlet is small, ``EXACT``).
- Variables: ``a[c, p]`` customers of class c kept by / moved to person p (only for owners over capacity in
  some week or in the month; others keep theirs), ``w[c, p, week]`` customers whose weekly contacts of that
  week are made, ``m[c, p]`` customers whose monthly and quarterly contacts are made (both at most ``a``).
- Each person's week: fixed-date contacts (731, birthday) + the weekly contacts made <= the week's share
  (days x daily share) + overflow (only fixed dates can overflow, at a prohibitive price); each person's month:
  everything made <= the month's share. Monthly contacts can go in any week, so these two together are exactly
  what fits when contacts may be split across days.
- Objective: the value of the contacts made (``core.value``) less the cost of every move (``move_cost`` +
  ``move_cost_share`` x the customer's month value, so a head gives away her smallest non-maturing customers
  first, and more for a customer whose 管户人员 in the export is the owner).
The optimum is the plan's bound (the most value any plan can keep under these shares); the day scheduling
(``core.schedule``) then keeps as close to it as whole contacts on whole days allow.

Fill: the class's count per person is rounded by largest remainder (ties in roster order); inside a class the
least valuable customers move first (customer id on ties).
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

EXACT = 2_000  # up to this many customers of people over capacity: every customer is its own class
BANDS = 12  # otherwise: this many value bands per owner, pool, maturing and managed
OVERFLOW_PRICE = 1e6  # a fixed-date contact over a share: never chosen while anything else helps


@dataclass(frozen=True)
class Solution:
    owner: np.ndarray  # new owner (roster position) per customer
    bound: float  # the LP optimum: value of contacts made less move costs (元)
    moved_value: float  # move costs of the fill


def solve(
    *,
    owner: np.ndarray,  # roster position per customer
    pool: list[np.ndarray],  # eligible roster positions per customer (class key decides)
    pool_key: np.ndarray,  # int per customer: customers with the same key share the same pool
    fixed_week: np.ndarray,  # customers x weeks: effort of fixed-date contacts
    flex_week: np.ndarray,  # customers x weeks: effort of weekly flexible contacts
    value_week: np.ndarray,  # customers x weeks: value of those
    flex_month: np.ndarray,  # customers: effort of monthly / quarterly flexible calls and SMS
    value_month: np.ndarray,  # customers: value of those
    flex_big: np.ndarray,  # customers: effort of monthly / quarterly contacts bigger than a call (visits)
    value_big: np.ndarray,  # customers: value of those
    big_unit: float,  # the largest single such contact: a person whose day is smaller cannot make one
    month_value: np.ndarray,  # customers: all their contacts' value (fixed too)
    kept: np.ndarray,  # bool: the export's 管户人员 is the owner
    maturing: np.ndarray,  # bool: has a fixed-date contact this month
    ids: np.ndarray,  # customer ids (ties)
    cap_week: np.ndarray,  # people x weeks
    day_cap: np.ndarray,  # people: the daily share
    move_cost: np.ndarray,  # customers: cost of moving each
    movable_people: np.ndarray,  # bool per person: their customers may move
) -> Solution:
    n_people, n_weeks = cap_week.shape
    n = owner.size
    movable = movable_people[owner] if n else np.zeros(0, bool)
    classes = _classes(owner, pool_key, kept, maturing, month_value, movable)
    n_cls = int(classes.max()) + 1 if n else 0
    count = np.bincount(classes, minlength=n_cls).astype(np.float64)

    def mean(x: np.ndarray) -> np.ndarray:
        if x.ndim == 1:
            return np.bincount(classes, weights=x, minlength=n_cls) / np.maximum(count, 1)
        return (
            np.stack(
                [np.bincount(classes, weights=x[:, k], minlength=n_cls) for k in range(x.shape[1])], axis=1
            )
            / np.maximum(count, 1)[:, None]
        )

    first = np.zeros(n_cls, dtype=np.int64)
    first[classes[::-1]] = np.arange(n)[::-1]
    c_owner, c_key, c_movable = owner[first], pool_key[first], movable[first]
    c_fixed, c_flex, c_val = mean(fixed_week), mean(flex_week), mean(value_week)
    c_flex_m, c_val_m, c_cost = mean(flex_month), mean(value_month), mean(move_cost)
    c_flex_b, c_val_b = mean(flex_big), mean(value_big)

    pools = {int(k): pool[int(np.flatnonzero(pool_key == k)[0])] for k in np.unique(pool_key)}

    # Columns: per (class, person) pair an `a`, `m` and one `w` per week with weekly contacts.
    lower, upper, cost, col_rows, col_vals = [], [], [], [], []
    row_lo: list[float] = []
    row_hi: list[float] = []
    pair_class, pair_person, pair_a = [], [], []
    inf = highspy.kHighsInf
    week_row = np.arange(n_people * n_weeks).reshape(n_people, n_weeks)
    month_row = n_people * n_weeks + np.arange(n_people)
    row_lo += [-inf] * (n_people * n_weeks + n_people)
    row_hi += [*cap_week.ravel().tolist(), *cap_week.sum(axis=1).tolist()]
    n_rows = len(row_hi)

    def add_col(lo: float, hi: float, c: float, rows: list[int], vals: list[float]) -> int:
        lower.append(lo)
        upper.append(hi)
        cost.append(c)
        col_rows.append(rows)
        col_vals.append(vals)
        return len(lower) - 1

    for c in range(n_cls):
        people = pools[int(c_key[c])] if c_movable[c] else np.array([c_owner[c]])
        if c_owner[c] not in people:
            people = np.r_[people, c_owner[c]]
        assign_row = n_rows
        n_rows += 1
        row_lo.append(count[c])
        row_hi.append(count[c])
        for p in people.tolist():
            moving = p != c_owner[c]
            price = -c_cost[c] if moving else 0.0
            fixed_rows = [int(week_row[p, k]) for k in range(n_weeks) if c_fixed[c, k] > 0]
            a = add_col(
                0.0,
                count[c],
                price,
                [assign_row, *fixed_rows, int(month_row[p])],
                [
                    1.0,
                    *[float(c_fixed[c, k]) for k in range(n_weeks) if c_fixed[c, k] > 0],
                    float(c_fixed[c].sum()),
                ],
            )
            pair_class.append(c)
            pair_person.append(p)
            pair_a.append(a)
            # served <= assigned: one row per served column (s - a <= 0)
            for k in range(n_weeks):
                if c_flex[c, k] > 0:
                    link = n_rows
                    n_rows += 1
                    row_lo.append(-inf)
                    row_hi.append(0.0)
                    col_rows[a].append(link)
                    col_vals[a].append(-1.0)
                    add_col(
                        0.0,
                        count[c],
                        float(c_val[c, k]),
                        [int(week_row[p, k]), int(month_row[p]), link],
                        [float(c_flex[c, k]), float(c_flex[c, k]), 1.0],
                    )
            if c_flex_m[c] > 0:
                link = n_rows
                n_rows += 1
                row_lo.append(-inf)
                row_hi.append(0.0)
                col_rows[a].append(link)
                col_vals[a].append(-1.0)
                add_col(
                    0.0, count[c], float(c_val_m[c]), [int(month_row[p]), link], [float(c_flex_m[c]), 1.0]
                )
            if c_flex_b[c] > 0 and day_cap[p] + 1e-9 >= big_unit:
                link = n_rows
                n_rows += 1
                row_lo.append(-inf)
                row_hi.append(0.0)
                col_rows[a].append(link)
                col_vals[a].append(-1.0)
                add_col(
                    0.0, count[c], float(c_val_b[c]), [int(month_row[p]), link], [float(c_flex_b[c]), 1.0]
                )
    for p in range(n_people):  # overflow of fixed-date contacts
        for k in range(n_weeks):
            add_col(0.0, inf, -OVERFLOW_PRICE, [int(week_row[p, k]), int(month_row[p])], [-1.0, -1.0])

    lp = highspy.HighsLp()
    lp.num_col_ = len(lower)
    lp.num_row_ = n_rows
    lp.col_cost_ = np.array(cost, dtype=np.float64)
    lp.col_lower_ = np.array(lower, dtype=np.float64)
    lp.col_upper_ = np.array(upper, dtype=np.float64)
    lp.row_lower_ = np.array(row_lo, dtype=np.float64)
    lp.row_upper_ = np.array(row_hi, dtype=np.float64)
    lengths = np.array([len(r) for r in col_rows], dtype=np.int64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.r_[0, np.cumsum(lengths)].astype(np.int32)
    lp.a_matrix_.index_ = np.array([i for r in col_rows for i in r], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([v for r in col_vals for v in r], dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    h = _highs()
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.passModel(lp)
    h.run()
    x = np.array(h.getSolution().col_value)
    overflow = x[len(lower) - n_people * n_weeks :].sum() if n_people * n_weeks else 0.0
    bound = float(h.getInfo().objective_function_value) + OVERFLOW_PRICE * float(overflow)

    new_owner = owner.copy()
    moved_value = 0.0
    pair_class_a, pair_person_a = np.array(pair_class), np.array(pair_person)
    pair_x = x[np.array(pair_a, dtype=np.int64)] if pair_a else np.zeros(0)
    for c in np.flatnonzero(c_movable).tolist():
        here = np.flatnonzero(pair_class_a == c)
        people, amount = pair_person_a[here], pair_x[here]
        counts = _round(amount, int(count[c]), people, int(c_owner[c]))
        members = np.flatnonzero(classes == c)
        members = members[np.lexsort((ids[members], month_value[members], kept[members], maturing[members]))]
        start = 0
        for p, k in zip(people.tolist(), counts.tolist(), strict=True):
            if p == c_owner[c] or k <= 0:
                continue
            chosen = members[start : start + k]
            new_owner[chosen] = p
            moved_value += float(move_cost[chosen].sum())
            start += k
    return Solution(owner=new_owner, bound=bound, moved_value=moved_value)


_BANNER = threading.Lock()
_banner_done = False


def _highs() -> highspy.Highs:
    """A silent solver. HiGHS prints its banner to the process's stdout when the first solver is made: that once
    it goes to stderr instead, so that a command's JSON on stdout stays clean."""
    global _banner_done
    with _BANNER:
        if not _banner_done:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                os.dup2(2, 1)
                h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _banner_done = True
        else:
            h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def _classes(
    owner: np.ndarray,
    pool_key: np.ndarray,
    kept: np.ndarray,
    maturing: np.ndarray,
    value: np.ndarray,
    movable: np.ndarray,
) -> np.ndarray:
    """Class number per customer (module docstring); customers of people not over capacity: one class per
    owner, pool, maturing and managed (they do not move, only their contacts are weighed)."""
    n = owner.size
    if not n:
        return np.zeros(0, dtype=np.int64)
    band = np.zeros(n, dtype=np.int64)
    moving = np.flatnonzero(movable)
    if moving.size <= EXACT:
        band[moving] = np.arange(moving.size) + 1
    else:
        frame = pd.DataFrame(
            {"o": owner[moving], "k": pool_key[moving], "m": maturing[moving], "v": value[moving]}
        )
        rank = frame.groupby(["o", "k", "m"])["v"].rank(method="first", pct=True).to_numpy()
        band[moving] = 1 + np.minimum((rank * BANDS).astype(np.int64), BANDS - 1)
    # Customers of people not over capacity still get value bands so their contacts weigh correctly.
    still = np.flatnonzero(~movable)
    if n <= EXACT:
        band[still] = -1 - np.arange(still.size)
    elif still.size:
        frame = pd.DataFrame({"o": owner[still], "k": pool_key[still], "v": value[still]})
        rank = frame.groupby(["o", "k"])["v"].rank(method="first", pct=True).to_numpy()
        band[still] = -1 - np.minimum((rank * BANDS).astype(np.int64), BANDS - 1)
    key = pd.MultiIndex.from_arrays([owner, pool_key, kept, maturing, band])
    return pd.factorize(key, sort=True)[0].astype(np.int64)


def _round(amount: np.ndarray, total: int, people: np.ndarray, owner: int) -> np.ndarray:
    """Whole customers per person summing to ``total``: floors, then the largest remainders (roster order on
    ties); the owner takes what rounding leaves."""
    floor = np.floor(amount + 1e-6).astype(np.int64)
    left = total - int(floor.sum())
    if left > 0:
        rest = amount - floor
        order = np.lexsort((people, -np.round(rest, 6)))
        for i in order[:left].tolist():
            if rest[i] > 1e-6:
                floor[i] += 1
                left -= 1
        if left > 0:
            floor[people == owner] += left
    return floor
