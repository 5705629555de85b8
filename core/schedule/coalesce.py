"""A 731 reminder call stands for the routine call of the same customer due in its ISO week, calendar month or
quarter: the routine row is dropped and the reminder's note says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.assign import REMINDER_CHANNEL
from core.calendar import week_monday
from core.i18n import t
from core.policy import Policy
from core.schedule.common import _text


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
        "week": week_monday(due).astype("int64"),
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
