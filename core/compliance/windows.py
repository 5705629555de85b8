"""The windows of 731 reminders: the reminder of offset k is met by a counted contact after the previous, larger
offset's reminder (as planned) and on or before its own date; the first from ``maturity.window_days`` before
maturity (``core.compliance.rules``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.calendar import roll_back_to_working_day
from core.policy import Policy


def _days(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]")


def _reminder_windows(req: pd.DataFrame, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """Windows of 731 reminders: (previous reminder's date, own date]; the first from window_days before maturity."""
    due = _days(req["due_date"])
    offset = pd.to_numeric(req["offset"], errors="coerce").to_numpy(dtype="float64")
    maturity = _days(req["maturity_date"])
    guess = np.isnat(maturity) & ~np.isnan(offset)
    maturity = maturity.copy()
    maturity[guess] = due[guess] + np.where(np.isnan(offset[guess]), 0, offset[guess]).astype(
        "timedelta64[D]"
    )
    offsets = list(policy.maturity.reminder_offsets)
    start = maturity - np.timedelta64(policy.maturity.window_days, "D")
    for k, off in enumerate(offsets[1:], start=1):
        prev = offsets[k - 1]
        prev_due = roll_back_to_working_day(maturity - np.timedelta64(prev, "D"), policy)
        mine = offset == off
        start[mine] = prev_due[mine] + np.timedelta64(1, "D")
    # The previous reminder of the same item as planned (a 7-day call moved a day to flatten a peak): the window
    # starts the day after it, so one logged call never counts for two reminders.
    frame = pd.DataFrame(
        {"cid": req["customer_id"].astype(str).to_numpy(), "m": maturity, "o": offset, "due": due}
    )
    for k, off in enumerate(offsets[1:], start=1):
        prev = frame.loc[frame["o"] == offsets[k - 1]].drop_duplicates(["cid", "m"]).set_index(["cid", "m"])
        if not len(prev):
            continue
        mine = np.flatnonzero(offset == off)
        found = prev["due"].reindex(
            pd.MultiIndex.from_arrays([frame["cid"].to_numpy()[mine], maturity[mine]])
        )
        planned = found.to_numpy(dtype="datetime64[D]")
        has = ~np.isnat(planned)
        start[mine[has]] = planned[has] + np.timedelta64(1, "D")
    unknown = ~np.isin(offset, offsets)
    start[unknown] = due[unknown]
    return np.minimum(start, due), due
