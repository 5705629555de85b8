"""What the steps of the month's fit share: the fixed-date kinds, the deferred and move columns, each person's
daily share and each contact's effort.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.policy import Policy
from core.roster import Roster
from core.schema import DEFERRED_ROW

FIXED_KINDS = ("reminder_731", "birthday")
DEFERRED_COLUMNS = list(DEFERRED_ROW)  # core.schema: the deferred contact, defined once
MOVE_COLUMNS = ["customer_id", "name", "tier", "from_staff", "to_staff", "effort", "value", "cost", "reason"]
EPS = 1e-9


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
