"""The 到期客户 and 临界客户 sheets: items maturing within ``policy.maturity.window_days`` of the as-of date and every
item a 731 reminder of the plan calls about (items of customers missing from the export under the first 支局长,
marked 否 under 客户在导出中); customers near the next tier with their gift and points."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.export.common import _h, _remind_headers, _who
from core.i18n import t
from core.plan import maturity_item_table
from core.policy import Policy
from core.segment import reminder_dates
from core.xlsx import ColumnSpec


def near_columns(*, with_staff: bool, hide_assets: bool = False) -> list[ColumnSpec]:
    cols = _who()
    if hide_assets:
        cols += [
            ColumnSpec(_h("near_level"), "int", 8, "near_level"),
            ColumnSpec(_h("gap"), "text", 12, "gap_text"),
            ColumnSpec(_h("gift"), "text", 12, "gift"),
            ColumnSpec(_h("gift_value"), "money", 9, "gift_value"),
            ColumnSpec(_h("points_multiplier"), "number", 6, "points_multiplier"),
        ]
    else:
        cols += [
            ColumnSpec(_h("assets"), "money", 12, "assets"),
            ColumnSpec(_h("near_level"), "int", 8, "near_level"),
            ColumnSpec(_h("gap"), "money", 10, "gap"),
            ColumnSpec(_h("gift"), "text", 12, "gift"),
            ColumnSpec(_h("gift_value"), "money", 9, "gift_value"),
            ColumnSpec(_h("points_multiplier"), "number", 6, "points_multiplier"),
            ColumnSpec(_h("points"), "number", 9, "points"),
        ]
    if with_staff:
        cols.append(ColumnSpec(_h("staff"), "text", 7, "staff"))
    cols.append(ColumnSpec(_h("offers"), "text", 26, "offers_text", wrap=True))
    return cols


def maturity_columns(policy: Policy, *, with_staff: bool, hide_assets: bool = False) -> list[ColumnSpec]:
    cols = [
        *_who(),
    ]
    if with_staff:
        cols.append(ColumnSpec(_h("staff"), "text", 7, "staff"))
    cols.append(ColumnSpec(_h("product"), "text", 10, "product"))
    if not hide_assets:
        cols.append(ColumnSpec(_h("amount"), "money", 12, "amount"))
    cols += [
        ColumnSpec(_h("maturity_date"), "date", 11, "maturity_date"),
        *[ColumnSpec(header, "date", 11, key) for key, header in _remind_headers(policy)],
        ColumnSpec(_h("days_left"), "int", 7, "days_left"),
        ColumnSpec(_h("matched"), "text", 7, "matched_text"),
        ColumnSpec(_h("activities"), "text", 14, "activity", wrap=True),
    ]
    return cols


def _item_rows(
    seg: pd.DataFrame,
    cust: pd.DataFrame,
    policy: Policy,
    start: np.datetime64,
    maturity_items: pd.DataFrame | None,
    head: str | None,
    plan: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Items maturing in the as-of window, and every item a 731 reminder of ``plan`` calls about (a plan for
    next month reaches past the window); those of customers missing from the export go to ``head`` (as in
    ``core.plan.build_plan``)."""
    items = maturity_item_table(seg, maturity_items)
    end = start + np.timedelta64(policy.maturity.window_days, "D")
    days = items["maturity_date"].to_numpy(dtype="datetime64[D]")
    shown = ~np.isnat(days) & (days >= start) & (days <= end)
    if plan is not None and len(plan):
        called = plan.loc[plan["kind"].astype(str) == "reminder_731", ["customer_id", "maturity_date"]]
        keys = set(
            zip(
                called["customer_id"].astype(str),
                pd.to_datetime(called["maturity_date"]).to_numpy(dtype="datetime64[D]").tolist(),
                strict=True,
            )
        )
        shown |= np.array(
            [k in keys for k in zip(items["customer_id"].astype(str), days.tolist(), strict=True)], dtype=bool
        )
    items = items.loc[shown].reset_index(drop=True)
    lookup = cust.drop_duplicates("customer_id").set_index("customer_id")
    ids = items["customer_id"]
    name = ids.map(lookup["name"]) if "name" in lookup.columns else pd.Series(None, index=items.index)
    items["name"] = name.where(name.notna(), items["name"])
    items["phone"] = ids.map(lookup["phone"]) if "phone" in lookup.columns else None
    items["tier_name"] = ids.map(lookup["tier_name"])
    if "staff" in lookup.columns:
        items["staff"] = ids.map(lookup["staff"]).astype(object)
        items.loc[items["staff"].isna(), "staff"] = head
    reminders = reminder_dates(items["maturity_date"], policy)
    for key, _ in _remind_headers(policy):
        items[key] = reminders[key].to_numpy()
    items["days_left"] = (items["maturity_date"].to_numpy(dtype="datetime64[D]") - start).astype("int64")
    items["matched_text"] = np.where(items["matched"].to_numpy(dtype=bool), t("export.yes"), t("export.no"))
    items["activity"] = policy.maturity.activity
    return items


def _near_rows(cust: pd.DataFrame, policy: Policy, near: np.ndarray) -> pd.DataFrame:
    frame = cust.loc[near].copy()
    bands = {b.level: b for b in policy.bands}
    levels = frame["near_level"].tolist()
    frame["gift"] = [bands[lv].gift for lv in levels]
    frame["gift_value"] = [bands[lv].gift_value for lv in levels]
    frame["points_multiplier"] = [bands[lv].points_multiplier for lv in levels]
    frame["points"] = frame["gap"] * policy.campaign.points_per_yuan * frame["points_multiplier"]
    return frame.sort_values(["near_level", "gap", "customer_id"], kind="stable").reset_index(drop=True)
