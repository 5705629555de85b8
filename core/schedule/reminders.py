"""The 7-day reminder calls moved off days their person's fixed-date calls push over the daily share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.assign import REMINDER_CHANNEL
from core.calendar import week_monday
from core.i18n import t
from core.policy import Policy
from core.roster import Roster
from core.schedule.common import EPS, FIXED_KINDS, _text, contact_effort, daily_capacity


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
    week = week_monday(days).astype("int64")
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
