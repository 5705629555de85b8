"""达标有礼 fulfilment: who earned a gift in the campaign window, who handed it over and when, against budget.

Rules (exact, tested):
- Earned: a customer in the 临界 band of a level in the baseline snapshot (the newest on or before the campaign's
  first day) whose assets are at or above that level in the latest snapshot of the window (the newest on or
  before its last day). One gift per customer: the one of that level (``bands[].gift``, ``gift_value``).
- Handed over: recorded in the console (date, staff member), or else the first contact in the window logged by
  one of ``campaign.handover_channels`` with a result in ``outcomes.reached_results`` and a 备注 containing
  ``campaign.handover_keyword``. A console record wins over the 联络表.
- Cost: the gift values of the gifts handed over, against ``campaign.budget``; the value of the gifts still
  owed is shown beside it, so the head sees whether the budget covers what has been earned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.policy import Policy
from core.segment import near_levels

FULFILMENT_COLUMNS = [
    "customer_id",
    "name",
    "level",
    "gift",
    "gift_value",
    "assets_before",
    "assets_after",
    "handed",
    "handed_on",
    "handed_by",
    "handed_source",
]


def earned_gifts(baseline: pd.DataFrame, latest: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Customers who earned a gift (customer_id, name, level, gift, gift_value, assets_before, assets_after)."""
    was = pd.DataFrame(
        {
            "customer_id": baseline["customer_id"].astype("string").to_numpy(),
            "assets_before": baseline["assets"].to_numpy(dtype=np.float64),
        }
    )
    was["level"] = near_levels(was["assets_before"].to_numpy(), policy)
    was = was.loc[was["level"].notna()]
    now = pd.DataFrame(
        {
            "customer_id": latest["customer_id"].astype("string").to_numpy(),
            "name": latest["name"].astype("string").to_numpy()
            if "name" in latest.columns
            else pd.array([pd.NA] * len(latest), dtype="string"),
            "assets_after": latest["assets"].to_numpy(dtype=np.float64),
        }
    )
    both = was.merge(now, on="customer_id", how="inner")
    both = both.loc[both["assets_after"] >= both["level"]].reset_index(drop=True)
    bands = {b.level: b for b in policy.bands}
    both["gift"] = pd.array([bands[lv].gift for lv in both["level"]], dtype="string")
    both["gift_value"] = np.array([bands[lv].gift_value for lv in both["level"]], dtype=np.float64)
    both["customer_id"] = both["customer_id"].astype("string")
    cols = ["customer_id", "name", "level", "gift", "gift_value", "assets_before", "assets_after"]
    return (
        both[cols]
        .sort_values(["level", "customer_id"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def logged_handovers(
    contacts: pd.DataFrame | None, policy: Policy, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """The first 联络表 handover per customer in the window (customer_id, handed_on, handed_by, handed_source)."""
    empty = pd.DataFrame(
        {
            "customer_id": pd.array([], dtype="string"),
            "handed_on": pd.Series([], dtype="datetime64[us]"),
            "handed_by": pd.array([], dtype="string"),
            "handed_source": pd.array([], dtype="string"),
        }
    )
    camp = policy.campaign
    if contacts is None or contacts.empty or not camp.handover_keyword or not camp.handover_channels:
        return empty
    days = pd.to_datetime(contacts["contact_date"]).dt.normalize()
    note = (
        contacts["note"].astype("string")
        if "note" in contacts.columns
        else pd.Series(pd.NA, index=contacts.index)
    )
    mask = (
        (days >= pd.Timestamp(start))
        & (days <= pd.Timestamp(end))
        & contacts["channel"].astype("string").isin(camp.handover_channels).fillna(False)
        & contacts["result"].astype("string").isin(policy.outcomes.reached_results).fillna(False)
        & note.str.contains(camp.handover_keyword, regex=False).fillna(False).astype(bool)
    ).to_numpy(dtype=bool)
    if not mask.any():
        return empty
    source = (
        contacts["source"].astype("string")
        if "source" in contacts.columns
        else pd.Series("", index=contacts.index)
    )
    found = pd.DataFrame(
        {
            "customer_id": contacts["customer_id"].astype("string").to_numpy()[mask],
            "handed_on": days.to_numpy()[mask],
            "handed_by": contacts["staff_name"].astype("string").to_numpy()[mask],
            "handed_source": source.to_numpy()[mask],
        }
    )
    found = found.sort_values(["customer_id", "handed_on"], kind="stable").drop_duplicates("customer_id")
    found["customer_id"] = found["customer_id"].astype("string")
    return found.reset_index(drop=True)


def fulfilment(
    earned: pd.DataFrame,
    recorded: pd.DataFrame,
    logged: pd.DataFrame,
    *,
    console_label: str = "console",
) -> pd.DataFrame:
    """``earned`` with who handed each gift over and when (FULFILMENT_COLUMNS): console records first, then the log.

    ``recorded``: console handovers (customer_id, level, handed_on, staff_name); ``logged``: ``logged_handovers``.
    """
    out = earned.copy()
    rec = pd.DataFrame(
        {
            "customer_id": recorded["customer_id"].astype("string"),
            "level": recorded["level"].astype("float64"),
            "on_console": pd.to_datetime(recorded["handed_on"]).astype("datetime64[us]"),
            "by_console": recorded["staff_name"].astype("string"),
        }
    )
    out = out.merge(rec, on=["customer_id", "level"], how="left")
    out = out.merge(
        logged.rename(columns={"handed_on": "on_log", "handed_by": "by_log", "handed_source": "src_log"}),
        on="customer_id",
        how="left",
    )
    console = out["on_console"].notna()
    out["handed_on"] = out["on_console"].where(console, out["on_log"]).astype("datetime64[us]")
    out["handed_by"] = out["by_console"].where(console, out["by_log"]).astype("string")
    label = pd.Series(console_label, index=out.index, dtype="string")
    out["handed_source"] = label.where(console, out["src_log"].astype("string")).astype("string")
    out["handed"] = out["handed_on"].notna().to_numpy(dtype=bool)
    out.loc[~out["handed"], "handed_source"] = pd.NA
    return out[FULFILMENT_COLUMNS].reset_index(drop=True)


def fulfilment_summary(table: pd.DataFrame, policy: Policy) -> dict[str, object]:
    """Counts and values of earned, handed over and owed gifts, per level and in total, against the budget."""
    handed = table["handed"].to_numpy(dtype=bool)
    values = table["gift_value"].to_numpy(dtype=np.float64)
    budget = float(policy.campaign.budget)
    spent = float(values[handed].sum())
    per_level = {}
    for band in policy.bands:
        at = table["level"].to_numpy(dtype=np.float64) == band.level
        per_level[str(int(band.level)) if float(band.level).is_integer() else f"{band.level:g}"] = {
            "earned": int(at.sum()),
            "handed": int((at & handed).sum()),
            "value": float(values[at & handed].sum()),
        }
    return {
        "earned": len(table),
        "handed": int(handed.sum()),
        "owed": int((~handed).sum()),
        "earned_value": float(values.sum()),
        "handed_value": spent,
        "owed_value": float(values[~handed].sum()),
        "budget": budget,
        "remaining": budget - spent,
        "over_budget": bool(values.sum() > budget),
        "by_level": per_level,
    }


def campaign_key(policy: Policy) -> str:
    """How handovers of one campaign are filed: its window as text."""
    return f"{policy.campaign.start}~{policy.campaign.end}"


@dataclass(frozen=True)
class Campaign:
    """The campaign of an outlet: its window, the two snapshots compared, the list and the totals."""

    key: str
    start: dt.date
    end: dt.date
    baseline: dict
    latest: dict
    table: pd.DataFrame
    summary: dict
