"""Contacts owed from before the month: the previous month's deferred contacts (carried) and the 挽回 calls
to customers whose matured money left (``winback_targets``), both due on the month's first working day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.assign import REMINDER_CHANNEL, Assignment
from core.i18n import t
from core.policy import Policy


def carried_rows(
    carried: pd.DataFrame | None,
    seg: pd.DataFrame,
    assignment: Assignment,
    policy: Policy,
    plan: pd.DataFrame,
    first_day: np.datetime64,
) -> pd.DataFrame:
    """The previous month's deferred contacts (``core.schema.DEFERRED_ROW``) as this month's plan rows: the
    customer's current owner and tier, due on the month's first working day (they come first), the original date
    in the note. A deferred quarterly duty is not carried: the quarter rule owes it again while not logged (it is
    in ``plan`` when still owed); contacts of customers no longer in the export are dropped."""
    if carried is None or not len(carried):
        return plan.iloc[:0]
    ids = seg["customer_id"].astype(str)
    at = pd.Index(ids).get_indexer(carried["customer_id"].astype(str))
    rows = carried.loc[at >= 0].reset_index(drop=True)
    at = at[at >= 0]
    tier = seg["tier"].astype(str).to_numpy()[at]
    quarterly = np.zeros(len(rows), dtype=bool)
    for code in policy.tiers:
        for c in code.cadence:
            if c.period == "quarter":
                quarterly |= (tier == code.code) & (rows["channel"].astype(str).to_numpy() == c.channel)
    rows, at, tier = rows.loc[~quarterly].reset_index(drop=True), at[~quarterly], tier[~quarterly]
    if not len(rows):
        return plan.iloc[:0]
    staff = assignment.staff_of(seg)[at]
    original = pd.to_datetime(rows["due_date"])
    return pd.DataFrame(
        {
            "staff": staff,
            "customer_id": ids.to_numpy()[at],
            "name": seg["name"].astype(object).to_numpy()[at] if "name" in seg.columns else None,
            "tier": tier,
            "channel": rows["channel"].astype(str).to_numpy(),
            "kind": "cadence",
            "due_date": pd.Timestamp(first_day),
            "offset": pd.array([pd.NA] * len(rows), dtype="Int64"),
            "product": pd.NA,
            "amount": np.nan,
            "maturity_date": pd.NaT,
            "note": [t("plan.note.carried", "zh", date=f"{d:%m-%d}") for d in original],
        }
    )


def winback_targets(
    before: pd.DataFrame, after: pd.DataFrame, policy: Policy, as_of: dt.date
) -> pd.DataFrame:
    """Customers whose deposit matured by ``as_of`` (the later snapshot's date; maturity from the earlier
    snapshot) and whose money left: the outflow alert of 历史对比 (``core.history.compare``). Columns:
    customer_id, amount (what left), maturity_date."""
    from core.history import compare

    outflow = compare(before, after, policy).outflow
    columns = ["customer_id", "amount", "maturity_date"]
    if not len(outflow) or "maturity_date" not in before.columns:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=o)
                for c, o in zip(columns, ["object", "float64", "datetime64[us]"], strict=True)
            }
        )
    due = before.assign(customer_id=before["customer_id"].astype(str)).set_index("customer_id")[
        "maturity_date"
    ]
    due = pd.to_datetime(due[~due.index.duplicated()])
    ids = outflow["customer_id"].astype(str)
    when = due.reindex(ids).to_numpy(dtype="datetime64[us]")
    passed = ~np.isnat(when) & (when <= np.datetime64(as_of, "us"))
    out = pd.DataFrame(
        {
            "customer_id": ids.to_numpy()[passed],
            "amount": -outflow["change"].to_numpy(dtype=np.float64)[passed],
            "maturity_date": when[passed],
        }
    )
    return out.sort_values(["amount", "customer_id"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def winback_rows(
    winback: pd.DataFrame | None,
    seg: pd.DataFrame,
    assignment: Assignment,
    plan: pd.DataFrame,
    first_day: np.datetime64,
) -> pd.DataFrame:
    """One 挽回 call per ``winback_targets`` row whose customer is in the export, due on the month's first
    working day, the amount that left and the maturity date on the row."""
    if winback is None or not len(winback):
        return plan.iloc[:0]
    ids = seg["customer_id"].astype(str)
    at = pd.Index(ids).get_indexer(winback["customer_id"].astype(str))
    rows = winback.loc[at >= 0].reset_index(drop=True)
    at = at[at >= 0]
    if not len(rows):
        return plan.iloc[:0]
    maturity = pd.to_datetime(rows["maturity_date"])
    amount = rows["amount"].to_numpy(dtype=np.float64)
    return pd.DataFrame(
        {
            "staff": assignment.staff_of(seg)[at],
            "customer_id": ids.to_numpy()[at],
            "name": seg["name"].astype(object).to_numpy()[at] if "name" in seg.columns else None,
            "tier": seg["tier"].astype(str).to_numpy()[at],
            "channel": REMINDER_CHANNEL,
            "kind": "winback",
            "due_date": pd.Timestamp(first_day),
            "offset": pd.array([pd.NA] * len(rows), dtype="Int64"),
            "product": pd.NA,
            "amount": amount,
            "maturity_date": maturity.to_numpy(),
            "note": [
                t("plan.note.winback", "zh", date=f"{d:%m-%d}", amount=f"{a:,.0f}")
                for d, a in zip(maturity, amount, strict=True)
            ],
        }
    )
