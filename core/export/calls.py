"""联络表-<name>, the daily call sheet (每日计划联络表): per working day its calls on their own printed page(s), 731
reminders first, numbered from 1, each with the customer's mobile, tier, purpose (routine cadence, 731 item,
birthday, 达标 level and gap) and suggestions, with empty boxes for 结果 (drop-down), 熟识程度 and 备注, and ruled
spare rows after each day. It keeps 日期, 员工, 客户号, 姓名, 方式, 结果 and 备注, so ``core.compliance.logs`` reads
it back."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.export.common import _amount_short, _h
from core.i18n import t
from core.policy import Policy
from core.workload import call_methods
from core.xlsx import LINE_POINTS, ColumnSpec, wrapped_lines

FAMILIARITY_LEVELS = ("1", "2", "3", "4", "5")
SPARE_ROWS_PER_DAY = 2  # ruled empty rows after each day, for a walk-in or a call back written by hand


CALL_SPECS = [
    ColumnSpec(_h("order"), "int", 4, "order"),
    ColumnSpec(_h("date"), "day", 13, "due_date"),
    ColumnSpec(_h("customer_id"), "text", 13, "customer_id"),
    ColumnSpec(_h("name"), "text", 8, "name"),
    ColumnSpec(_h("phone"), "text", 12, "phone"),
    ColumnSpec(_h("tier"), "text", 8, "tier_name"),
    ColumnSpec(_h("purpose"), "text", 22, "purpose", wrap=True),
    ColumnSpec(_h("offers"), "text", 26, "offers_text", wrap=True),
    ColumnSpec(_h("method"), "text", 6, "method"),
    ColumnSpec(_h("result"), "text", 8, "result"),
    ColumnSpec(_h("familiarity"), "int", 6, "familiarity"),
    ColumnSpec(_h("note"), "text", 16, "note"),
    ColumnSpec(_h("staff"), "text", 7, "staff"),
]
CALL_COLUMNS = [spec.header for spec in CALL_SPECS]

LOG_SPECS = [
    ColumnSpec(_h("date"), "date", 11, "due_date"),
    ColumnSpec(_h("staff"), "text", 10, "staff"),
    ColumnSpec(_h("customer_id"), "text", 14, "customer_id"),
    ColumnSpec(_h("name"), "text", 10, "name"),
    ColumnSpec(_h("method"), "text", 8, "method"),
    ColumnSpec(_h("result"), "text", 10, "result"),
    ColumnSpec(_h("note"), "text", 30, "note"),
]


def _log_rows(plan: pd.DataFrame, policy: Policy, *, hide_assets: bool = False) -> pd.DataFrame:
    """The 每日计划联络表 rows: one per (date, staff, customer, logged channel) with its purpose; 备注 is left
    for the caller.

    A cadence call and a 731 reminder due the same day are one call: they become one row whose purpose names
    both, so nobody phones a customer twice in a day and the plan is not counted twice. ``urgent`` marks rows
    carrying a 731 reminder (called first).
    """
    method = call_methods(policy)
    frame = pd.DataFrame(
        {
            "due_date": plan["due_date"].to_numpy(),
            "staff": plan["staff"].to_numpy(),
            "customer_id": plan["customer_id"].to_numpy(),
            "name": plan["name"].to_numpy(),
            "method": plan["channel"].map(method).to_numpy(),
            "purpose": _purposes(plan, policy, hide_assets=hide_assets),
            "urgent": plan["kind"].astype(str).eq("reminder_731").to_numpy(),
        }
    )
    frame["note"] = None
    keys = ["due_date", "staff", "customer_id", "method"]
    repeated = frame.duplicated(keys, keep=False).to_numpy()
    if not repeated.any():
        return frame
    groups = frame.loc[repeated].groupby(keys, sort=False)
    joined = groups["purpose"].agg(lambda notes: "；".join(dict.fromkeys(n for n in notes if n)))
    urgent = groups["urgent"].any()
    first = frame.drop_duplicates(keys).reset_index(drop=True)
    index = pd.MultiIndex.from_frame(first[keys])
    merged = joined.reindex(index).to_numpy()
    first["purpose"] = np.where(pd.isna(merged), first["purpose"].to_numpy(), merged)
    merged_urgent = urgent.reindex(index).to_numpy(dtype=object)
    first["urgent"] = np.where(pd.isna(merged_urgent), first["urgent"].to_numpy(), merged_urgent).astype(bool)
    return first


def _purposes(plan: pd.DataFrame, policy: Policy, *, hide_assets: bool = False) -> np.ndarray:
    """Why each contact is planned: the routine cadence, the 731 reminder with its item, the birthday."""
    notes = np.full(len(plan), "", dtype=object)
    kind = plan["kind"].astype(str).to_numpy()
    routine = {
        (tier.code, c.channel): t(
            "export.purpose.routine",
            channel=t(f"channel.{c.channel}"),
            period=t(f"period.{c.period}"),
            count=c.count,
        )
        for tier in policy.tiers
        for c in tier.cadence
    }
    tiers = plan["tier"].astype(object).to_numpy()
    channels = plan["channel"].astype(object).to_numpy()
    cadence = np.flatnonzero(kind == "cadence")
    plain = t("plan.kind.cadence")
    notes[cadence] = [
        routine.get(key, plain)
        for key in zip(tiers[cadence].tolist(), channels[cadence].tolist(), strict=True)
    ]
    due = np.flatnonzero(kind == "reminder_731")
    columns = [
        plan[c].to_numpy(dtype=object)[due].tolist() for c in ("product", "maturity_date", "amount", "offset")
    ]
    for i, product, when, amount, offset in zip(due.tolist(), *columns, strict=True):
        shown = not hide_assets and not pd.isna(amount)
        notes[i] = t(
            "export.purpose.731",
            product=t("export.log.item") if pd.isna(product) or not str(product).strip() else str(product),
            amount=t("export.item_short_amount", amount=_amount_short(float(amount))) if shown else "",
            date="" if pd.isna(when) else f"{pd.Timestamp(when):%m-%d}",
            offset=int(offset),
        )
    notes[kind == "birthday"] = t("export.purpose.birthday")
    if "note" in plan.columns:  # core.schedule: a 731 call that is also the week's routine call
        extra = plan["note"].fillna("").astype(str).to_numpy().copy()
        if hide_assets:  # a 挽回 row's note names the amount that left
            extra[kind == "winback"] = t("plan.kind.winback")
        notes = np.array(
            [f"{a}；{b}" if a and b else a or b for a, b in zip(notes.tolist(), extra.tolist(), strict=True)],
            dtype=object,
        )
    return notes


_LOOKUP_COLUMNS = ("phone", "tier_name", "offers_text", "familiarity", "near_purpose")


def _call_lookup(customers: pd.DataFrame) -> tuple[pd.Index, dict[str, np.ndarray]]:
    """What a call sheet reads of the customer list, by customer id: built once for every person's sheet."""
    first = customers.drop_duplicates("customer_id")
    index = pd.Index(first["customer_id"].astype(str))
    columns = {c: first[c].to_numpy(dtype=object) for c in _LOOKUP_COLUMNS if c in first.columns}
    return index, columns


def _call_rows(
    log: pd.DataFrame, lookup: tuple[pd.Index, dict[str, np.ndarray]]
) -> tuple[pd.DataFrame, list[float], list[int]]:
    """One person's call sheet: per working day its calls (731 reminders first, then the plan's order), numbered
    from 1, then ``SPARE_ROWS_PER_DAY`` ruled empty rows. ``lookup`` is ``_call_lookup`` of the customer list.
    Returns the rows, their heights in points and the row indices where a new printed page (a new day) starts."""
    index, columns = lookup
    position = index.get_indexer(log["customer_id"].astype(str))
    missing = position < 0

    def looked_up(column: str) -> np.ndarray | None:
        if column not in columns:
            return None
        values = columns[column][position]
        values[missing] = None
        return values

    rows = log.assign(
        phone=looked_up("phone"),
        tier_name=looked_up("tier_name"),
        offers_text=looked_up("offers_text"),
        familiarity=looked_up("familiarity"),
        _near=looked_up("near_purpose"),
        _pos=np.arange(len(log)),
    )
    rows["purpose"] = [
        (f"{p}；{n}" if p else n) if isinstance(n, str) else p
        for p, n in zip(rows["purpose"].tolist(), rows["_near"].tolist(), strict=True)
    ]
    rows = rows.sort_values(["due_date", "urgent", "_pos"], ascending=[True, False, True], kind="stable")
    days = rows["due_date"].to_numpy(dtype="datetime64[D]")
    new_day = np.r_[True, days[1:] != days[:-1]] if len(days) else np.zeros(0, dtype=bool)
    day_number = np.cumsum(new_day) - 1
    rows["order"] = rows.groupby("due_date", sort=False).cumcount() + 1
    position = np.arange(len(rows)) + day_number * SPARE_ROWS_PER_DAY
    total = len(rows) + (int(new_day.sum()) * SPARE_ROWS_PER_DAY)
    out = rows.set_axis(position).reindex(range(total))
    breaks = position[new_day][1:].tolist()
    heights = [max(30.0, LINE_POINTS * lines + 3.0) for lines in wrapped_lines(out, CALL_SPECS)]
    return out, heights, breaks
