"""The workbooks the branch head hands out: the staff workbook, one workbook per person (zip), the tier lists.

Staff workbook sheets: 总览; per person (roster order) a sheet named exactly by the person's name and a
``联络表-<name>`` sheet; then 临界客户, 到期客户 and 推介产品目录. A name Excel cannot use as a sheet name (over
31 characters, []:*?/\\, or equal to another sheet's name) is made safe by ``core.xlsx.safe_sheet_name``.
到期客户 lists every item maturing within ``policy.maturity.window_days`` of the as-of date and every item a
731 reminder of the plan calls about (items of customers missing from the export included, marked 否 under
客户在导出中, under the first 支局长).

Everything here is printed and carried to the counter, so each sheet fits the width of an A4 landscape page at
a legible size (column widths summing to at most about 160 characters):
- Per-person customer sheet: the staff-list order of ``core.plan.sheet_order``; 到期业务 lists each maturing
  item (product, amount, date, 731 reminder dates); 推荐 is one to three suggestions for this customer
  (``core.offers``), not the catalogue, which is on 推介产品目录 once with the cadence and activities per tier.
- 联络表-<name>, the daily call sheet (每日计划联络表): per working day its calls on their own printed page(s),
  731 reminders first, numbered from 1, each with the customer's mobile, tier, purpose (routine cadence, 731
  item, birthday, 达标 level and gap) and suggestions, ruled and wrapped, with empty boxes for 结果
  (drop-down), 熟识程度 and 备注, and ruled spare rows after each day. It keeps 日期, 员工, 客户号, 姓名, 方式,
  结果 and 备注, so ``core.compliance.logs`` reads it back as before.
- 短信-<name>: the customers of the month's greeting SMS, sent in one batch from the SMS platform and confirmed
  once (联络合规 / ``core.services.sms``); they are not rows of the 联络表.
- ``policy.privacy`` applies to every book staff get (``head_copy`` keeps everything for the head): mobiles
  print as 138****0001; with ``hide_assets`` no balance or amount is shown and gaps are rounded up to 1,000 元.
The tier lists (``write_segment_lists``) are the head's on-screen lists and keep every column.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

import numpy as np
import pandas as pd

from core.assign import Assignment
from core.calendar import parse_month, with_statutory_calendar
from core.export_deferred import write_deferred_sheet
from core.i18n import t
from core.offers import gap_text, level_text, numbered, suggestions
from core.plan import batch_sms, maturity_item_table, sheet_order
from core.policy import CHANNELS, Policy
from core.segment import reminder_dates
from core.workload import call_methods, role_summary
from core.xlsx import (
    LINE_POINTS,
    ColumnSpec,
    Validation,
    gc_paused,
    new_workbook,
    wrapped_lines,
    write_form,
    write_sheet,
)

Target = str | os.PathLike | IO[bytes]
LOG_KEYS = ["date", "staff", "customer_id", "name", "method", "result", "note"]
OVERVIEW = t("export.sheet.overview")
NEAR = t("export.sheet.near")
MATURING = t("export.sheet.maturing")
LOG_PREFIX = t("export.sheet.log_prefix")
SMS_PREFIX = t(
    "export.sheet.sms_prefix"
)  # the month's greeting SMS, one list per person (core.plan.batch_sms)
CATALOG = t("export.sheet.catalog")
FAMILIARITY_LEVELS = ("1", "2", "3", "4", "5")
SPARE_ROWS_PER_DAY = 2  # ruled empty rows after each day, for a walk-in or a call back written by hand


def _h(key: str) -> str:
    """A workbook column header (Chinese: the contact log is read back by its headers)."""
    return t(f"export.col.{key}")


LOG_COLUMNS = [
    _h(k) for k in LOG_KEYS
]  # 日期, 员工, 客户号, 姓名, 方式, 结果, 备注: read back by core.compliance.logs


def _remind_headers(policy: Policy) -> list[tuple[str, str]]:
    return [(f"remind_{o}", t("export.col.remind", offset=o)) for o in policy.maturity.reminder_offsets]


def _who() -> list[ColumnSpec]:
    """Who the customer is: the first columns of every customer and maturity list."""
    return [
        ColumnSpec(_h("customer_id"), "text", 13, "customer_id"),
        ColumnSpec(_h("name"), "text", 8, "name"),
        ColumnSpec(_h("phone"), "text", 12, "phone"),
        ColumnSpec(_h("tier"), "text", 8, "tier_name"),
    ]


def _customer_head() -> list[ColumnSpec]:
    """Who the customer is and where they stand: the first columns of the person and near-threshold lists."""
    return [
        *_who(),
        ColumnSpec(_h("assets"), "money", 15, "assets"),
        ColumnSpec(_h("near_level"), "int", 10, "near_level"),
        ColumnSpec(_h("gap"), "money", 12, "gap"),
    ]


def customer_columns(policy: Policy, *, with_plan: bool) -> list[ColumnSpec]:
    """The per-person customer list (and, without the plan column, the per-tier lists)."""
    cols = [
        *_customer_head(),
        ColumnSpec(_h("maturity_date"), "date", 11, "maturity_shown"),
        *[ColumnSpec(header, "date", 11, key) for key, header in _remind_headers(policy)],
        ColumnSpec(_h("items"), "text", 30, "items_text"),
        ColumnSpec(_h("cadence"), "text", 34, "cadence_text"),
    ]
    if with_plan:
        cols.append(ColumnSpec(_h("due_dates"), "text", 30, "due_text"))
    cols += [
        ColumnSpec(_h("products"), "text", 40, "products_text"),
        ColumnSpec(_h("activities"), "text", 40, "activities_text"),
        ColumnSpec(_h("familiarity"), "int", 9, "familiarity"),
    ]
    return cols


def person_columns(*, hide_assets: bool) -> list[ColumnSpec]:
    """Each person's customer sheet: what fits an A4 landscape page at a legible size (the catalogue, cadence
    and activities are on the 推介产品目录 sheet; the 731 dates are inside 到期业务)."""
    cols = [
        ColumnSpec(_h("customer_id"), "text", 13, "customer_id"),
        ColumnSpec(_h("name"), "text", 8, "name"),
        ColumnSpec(_h("phone"), "text", 12, "phone"),
        ColumnSpec(_h("tier"), "text", 8, "tier_name"),
    ]
    if not hide_assets:
        cols.append(ColumnSpec(_h("assets"), "money", 12, "assets"))
    cols += [
        ColumnSpec(_h("near_level"), "int", 8, "near_level"),
        ColumnSpec(_h("gap"), "text", 12, "gap_text")
        if hide_assets
        else ColumnSpec(_h("gap"), "money", 10, "gap"),
        ColumnSpec(_h("items"), "text", 24, "items_text", wrap=True),
        ColumnSpec(_h("due_dates"), "text", 16, "due_text", wrap=True),
        ColumnSpec(_h("offers"), "text", 26, "offers_text", wrap=True),
        ColumnSpec(_h("familiarity"), "int", 6, "familiarity"),
    ]
    return cols


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


@dataclass(frozen=True)
class _Lists:
    """Everything the sheets show, computed once for all people."""

    customers: pd.DataFrame  # staff-list order, display columns
    items: pd.DataFrame  # maturing items in the as-of window, display columns
    near: pd.DataFrame


def _joined(values: Sequence[str]) -> str:
    return "、".join(dict.fromkeys(v for v in values if v))


def _cadence_text(policy: Policy) -> list[str]:
    out = []
    for tier in policy.tiers:
        parts = [
            t(
                "export.cadence",
                channel=t(f"channel.{c.channel}"),
                count=c.count,
                period=t(f"period.{c.period}"),
            )
            for c in tier.cadence
            if c.count > 0
        ]
        out.append("、".join(parts))
    return out


def _md(days: np.ndarray) -> list[str]:
    return [f"{str(d)[5:7]}-{str(d)[8:10]}" for d in days]


def _lists(
    seg: pd.DataFrame,
    assignment: Assignment | None,
    plan: pd.DataFrame | None,
    policy: Policy,
    as_of: dt.date,
    maturity_items: pd.DataFrame | None,
    *,
    mask: bool = False,
    hide_assets: bool = False,
) -> _Lists:
    """``mask`` prints mobiles as 138****0001; ``hide_assets`` keeps balances and amounts out of every text
    (the columns are left out by the column lists)."""
    order = sheet_order(seg, policy)
    base = seg.iloc[order].reset_index(drop=True)
    n = len(base)
    cust = pd.DataFrame(
        {
            "customer_id": base["customer_id"].astype(str).to_numpy(),
            "name": base["name"].astype(object).to_numpy() if "name" in base.columns else None,
            "phone": (mask_phones if mask else np.asarray)(base["phone"].astype(object).to_numpy())
            if "phone" in base.columns
            else None,
            "tier_name": base["tier_name"].to_numpy(),
            "assets": base["assets"].to_numpy(dtype=np.float64),
            "near_level": base["near_level"].to_numpy(dtype=np.float64),
            "gap": base["gap"].to_numpy(dtype=np.float64),
        }
    )
    cust["familiarity"] = base["familiarity"].to_numpy() if "familiarity" in base.columns else pd.NA
    head = None
    if assignment is not None:
        cust["staff"] = assignment.staff_of(seg)[order]
        head = assignment.heads[0] if assignment.heads else None
    tier_index = base["tier_index"].to_numpy(dtype=np.int64)
    near = ~np.isnan(cust["near_level"].to_numpy())
    maturing = base["maturing"].to_numpy(dtype=bool) if "maturing" in base.columns else np.zeros(n, bool)

    start = np.datetime64(as_of, "D")
    if "maturity_date" in base.columns:
        maturity = pd.to_datetime(base["maturity_date"]).to_numpy(dtype="datetime64[D]")
    else:
        maturity = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    shown = np.where(~np.isnat(maturity) & (maturity >= start), maturity, np.datetime64("NaT"))
    cust["maturity_shown"] = pd.to_datetime(shown)
    reminders = reminder_dates(
        pd.Series(pd.to_datetime(np.where(maturing, maturity, np.datetime64("NaT")))), policy
    )
    for key, _ in _remind_headers(policy):
        cust[key] = reminders[key].to_numpy()

    cadence = np.array(_cadence_text(policy), dtype=object)
    cust["cadence_text"] = cadence[tier_index]
    own = [_joined(tier.products) for tier in policy.tiers]
    above = [_joined((policy.tier_above(tier.code) or tier).products) for tier in policy.tiers]
    products = np.array(own + above, dtype=object)
    cust["products_text"] = products[tier_index + len(own) * near]
    combos = []
    for tier in policy.tiers:
        for is_near in (False, True):
            for is_maturing in (False, True):
                acts = list(tier.activities)
                acts += list(policy.campaign.near_activities) if is_near else []
                acts += [policy.maturity.activity] if is_maturing else []
                combos.append(_joined(acts))
    cust["activities_text"] = np.array(combos, dtype=object)[tier_index * 4 + near * 2 + maturing]

    items = _item_rows(seg, cust, policy, start, maturity_items, head, plan)
    cust["items_text"] = _items_text(items, cust["customer_id"], hide_assets=hide_assets)
    cust["due_text"] = _due_text(plan, cust["customer_id"])
    next_item = _next_item(items, cust["customer_id"], hide_assets=hide_assets)
    offers = suggestions(tier_index, cust["near_level"].to_numpy(), next_item, policy)
    cust["offers_text"] = np.array([numbered(o) for o in offers], dtype=object)
    gaps = np.full(n, None, dtype=object)
    purposes = np.full(n, None, dtype=object)
    for i in np.flatnonzero(near):
        gap = gap_text(float(cust["gap"].iat[i]), hide_assets=hide_assets)
        gaps[i] = gap
        purposes[i] = t("export.purpose.near", level=level_text(float(cust["near_level"].iat[i])), gap=gap)
    cust["gap_text"] = gaps
    cust["near_purpose"] = purposes
    near_frame = _near_rows(cust, policy, near)
    return _Lists(customers=cust, items=items, near=near_frame)


def _due_text(plan: pd.DataFrame | None, ids: pd.Series) -> np.ndarray:
    """Per customer, this month's distinct due dates as "12-01、12-08"."""
    if plan is None or not len(plan):
        return np.full(len(ids), None, dtype=object)
    days = plan["due_date"].to_numpy(dtype="datetime64[D]")
    order = np.lexsort((days, plan["customer_id"].to_numpy(dtype=object).astype(str)))
    labels = dict(zip(np.unique(days).tolist(), _md(np.unique(days)), strict=True))
    by_customer: dict[str, list[str]] = {}
    for cid, day in zip(
        plan["customer_id"].to_numpy(dtype=object)[order].tolist(), days[order].tolist(), strict=True
    ):
        dates = by_customer.setdefault(cid, [])
        label = labels[day]
        if not dates or dates[-1] != label:
            dates.append(label)
    text = {cid: "、".join(dates) for cid, dates in by_customer.items()}
    return np.array([text.get(cid) for cid in ids.tolist()], dtype=object)


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


def mask_phones(values: np.ndarray) -> np.ndarray:
    """Mobiles as 138****0001: the first three and last four characters kept, the middle starred (a shorter
    number keeps its last two); empty values stay empty."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values.tolist()):
        if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
            out[i] = None
            continue
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
        if len(text) >= 8:
            out[i] = f"{text[:3]}****{text[-4:]}"
        elif text:
            out[i] = "*" * max(len(text) - 2, 1) + text[-2:] if len(text) > 2 else "*" * len(text)
        else:
            out[i] = None
    return out


def _amount_short(amount: float) -> str:
    """An amount as a caller says it: 50,000 -> 5万, 12,345.6 -> 1.23万, 8,000 -> 8,000元."""
    if amount >= 10000:
        return f"{float(f'{amount / 10000:.3g}'):g}万"
    return f"{amount:,.0f}元"


def _next_item(items: pd.DataFrame, ids: pd.Series, *, hide_assets: bool) -> list[str | None]:
    """Per customer, the first item maturing in the window, short: "定期 5万 12-14到期"."""
    if not len(items):
        return [None] * len(ids)
    first = items.sort_values(["maturity_date", "product"], kind="stable", na_position="last")
    first = first.drop_duplicates("customer_id")
    text = {}
    for row in first.itertuples(index=False):
        product = row.product if isinstance(row.product, str) and row.product else t("export.log.item")
        amount = ""
        if not hide_assets and row.amount == row.amount:
            amount = t("export.item_short_amount", amount=_amount_short(float(row.amount)))
        date = pd.Timestamp(row.maturity_date).strftime("%m-%d")
        text[row.customer_id] = t("export.item_short", product=product, amount=amount, date=date)
    return [text.get(cid) for cid in ids.tolist()]


def _items_text(items: pd.DataFrame, ids: pd.Series, *, hide_assets: bool = False) -> np.ndarray:
    """Per customer, every maturing item: product, amount (unless hidden), date and the reminder dates."""
    if not len(items):
        return np.full(len(ids), None, dtype=object)
    remind_keys = [c for c in items.columns if c.startswith("remind_")]
    texts = []
    for row in items.itertuples(index=False):
        product = row.product if isinstance(row.product, str) and row.product else t("export.item_default")
        shown = row.amount == row.amount and not hide_assets
        amount = t("export.item_amount", amount=row.amount) if shown else ""
        date = pd.Timestamp(row.maturity_date).strftime("%Y-%m-%d")
        marks = [
            pd.Timestamp(getattr(row, k)).strftime("%m-%d")
            for k in remind_keys
            if not pd.isna(getattr(row, k))
        ]
        texts.append(t("export.item", product=product, amount=amount, date=date, reminders="、".join(marks)))
    by_customer: dict[str, list[str]] = {}
    for cid, text in zip(items["customer_id"].tolist(), texts, strict=True):
        by_customer.setdefault(cid, []).append(text)
    return np.array(
        [("；".join(v) if (v := by_customer.get(cid)) else None) for cid in ids.tolist()], dtype=object
    )


def _near_rows(cust: pd.DataFrame, policy: Policy, near: np.ndarray) -> pd.DataFrame:
    frame = cust.loc[near].copy()
    bands = {b.level: b for b in policy.bands}
    levels = frame["near_level"].tolist()
    frame["gift"] = [bands[lv].gift for lv in levels]
    frame["gift_value"] = [bands[lv].gift_value for lv in levels]
    frame["points_multiplier"] = [bands[lv].points_multiplier for lv in levels]
    frame["points"] = frame["gap"] * policy.campaign.points_per_yuan * frame["points_multiplier"]
    return frame.sort_values(["near_level", "gap", "customer_id"], kind="stable").reset_index(drop=True)


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
    for i in np.flatnonzero(kind == "cadence"):
        notes[i] = routine.get((tiers[i], channels[i]), t("plan.kind.cadence"))
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
            ["；".join(p for p in pair if p) for pair in zip(notes, extra, strict=True)], dtype=object
        )
    return notes


def _call_rows(log: pd.DataFrame, lookup: pd.DataFrame) -> tuple[pd.DataFrame, list[float], list[int]]:
    """One person's call sheet: per working day its calls (731 reminders first, then the plan's order), numbered
    from 1, then ``SPARE_ROWS_PER_DAY`` ruled empty rows. ``lookup`` is the customer list indexed by id.
    Returns the rows, their heights in points and the row indices where a new printed page (a new day) starts."""
    ids = log["customer_id"].astype(str)
    rows = log.assign(
        phone=ids.map(lookup["phone"]).to_numpy() if "phone" in lookup.columns else None,
        tier_name=ids.map(lookup["tier_name"]).to_numpy(),
        offers_text=ids.map(lookup["offers_text"]).to_numpy(),
        familiarity=ids.map(lookup["familiarity"]).to_numpy(),
        _near=ids.map(lookup["near_purpose"]).to_numpy(),
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


def _overview(
    load: pd.DataFrame, lists: _Lists, policy: Policy, *, hide_assets: bool = False
) -> tuple[pd.DataFrame, list[ColumnSpec]]:
    cust = lists.customers
    tiers = [t.name for t in policy.tiers]
    counts = pd.crosstab(cust["staff"], cust["tier_name"]).reindex(
        index=load["staff"], columns=tiers, fill_value=0
    )
    assets = cust.groupby("staff")["assets"].sum().reindex(load["staff"], fill_value=0.0)
    frame = load.copy()
    for name in tiers:
        frame[name] = counts[name].to_numpy()
    frame["assets"] = assets.to_numpy()
    frame["overloaded_text"] = np.where(frame["overloaded"], t("export.overloaded"), "")
    columns = [
        ColumnSpec(_h("staff"), "text", 10, "staff"),
        ColumnSpec(_h("role"), "text", 9, "role"),
        *[ColumnSpec(name, "int", 9, name) for name in tiers],
        ColumnSpec(_h("customers"), "int", 9, "customers"),
        *([] if hide_assets else [ColumnSpec(_h("assets_total"), "money", 17, "assets")]),
        ColumnSpec(_h("contacts"), "int", 12, "contacts"),
        *[ColumnSpec(t(f"channel.{c}"), "int", 8, c) for c in CHANNELS],
        ColumnSpec(_h("effort_month"), "number", 12, "effort_month"),
        ColumnSpec(_h("effort_week"), "number", 12, "effort_week"),
        ColumnSpec(_h("capacity_week"), "number", 10, "capacity_week"),
        ColumnSpec(_h("capacity_month"), "number", 10, "capacity_month"),
        ColumnSpec(_h("utilisation"), "percent", 11, "utilisation"),
        ColumnSpec(_h("overloaded"), "text", 10, "overloaded_text"),
    ]
    return frame, columns


def _footer(
    policy: Policy,
    as_of: dt.date,
    month: str,
    outlet: str | None,
    load: pd.DataFrame,
    warnings: Sequence[str],
    unmatched: int,
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if outlet:
        rows.append((t("export.f.outlet"), outlet))
    rows += [
        (t("export.f.as_of"), as_of.isoformat()),
        (t("export.f.month"), month),
        (t("export.f.policy"), policy.name),
        (t("export.f.fingerprint"), policy.fingerprint()),
        (t("export.f.head"), t("export.f.head_text", top_n=policy.branch_head.top_n)),
        (
            t("export.f.maturity"),
            t(
                "export.f.maturity_text",
                days=policy.maturity.window_days,
                offsets="、".join(str(o) for o in policy.maturity.reminder_offsets),
            )
            + (t("export.f.weekend") if policy.maturity.shift_weekends else ""),
        ),
    ]
    cadence = _cadence_text(policy)
    for tier, text in zip(policy.tiers, cadence, strict=True):
        rows.append(
            (tier.name, t("export.f.tier", lower=tier.lower, roles="、".join(tier.owner_roles), cadence=text))
        )
    for band in policy.bands:
        rows.append(
            (
                t("export.f.band", level=band.level),
                t(
                    "export.f.band_text",
                    lower=band.lower,
                    level=band.level,
                    gift=band.gift or t("export.f.gift_open"),
                    multiplier=band.points_multiplier,
                ),
            )
        )
    for role in role_summary(load, policy).itertuples(index=False):
        rows.append(
            (
                t("export.f.role", role=role.role),
                t(
                    "export.f.role_text",
                    staff=role.staff,
                    customers=role.customers,
                    effort=role.effort_month,
                    capacity=role.capacity_month,
                    share=role.utilisation,
                    overloaded=role.overloaded,
                ),
            )
        )
    if unmatched:
        rows.append((t("export.f.unmatched"), t("export.f.unmatched_text", count=unmatched, sheet=MATURING)))
    for i, text in enumerate(warnings, 1):
        rows.append((t("export.f.warning", n=i), text))
    return rows


def write_workbook(
    path_or_buffer: Target,
    *,
    seg: pd.DataFrame,
    assignment: Assignment,
    plan: pd.DataFrame,
    workload: pd.DataFrame,
    policy: Policy,
    as_of: dt.date,
    maturity_items: pd.DataFrame | None = None,
    outlet: str | None = None,
    month: str | None = None,
    staff: Sequence[str] | None = None,
    warnings: Sequence[str] | None = None,
    deferred: pd.DataFrame | None = None,
    head_copy: bool = False,
) -> int:
    """The staff workbook (see the module docstring); returns the number of cells written.
    With ``deferred`` (``core.schedule``) the book ends with the 延后联络 sheet.

    ``staff`` limits it to some people (one-person books); ``month`` labels the plan (default: the as-of
    month); ``warnings`` (shown on 总览) default to the assignment's. The ``[privacy]`` rules of the policy
    apply unless ``head_copy`` (the branch head's own copy keeps mobiles and balances)."""
    mask, hide = _privacy(policy, head_copy)
    dated = _with_calendar(policy, as_of, month)  # the 731 dates as the plan has them
    lists = _lists(seg, assignment, plan, dated, as_of, maturity_items, mask=mask, hide_assets=hide)
    with gc_paused():
        return _write_staff_book(
            path_or_buffer,
            lists=lists,
            plan=plan,
            load=workload,
            policy=policy,
            as_of=as_of,
            outlet=outlet,
            month=month or f"{as_of:%Y-%m}",
            staff=list(staff) if staff is not None else None,
            warnings=list(assignment.warnings if warnings is None else warnings),
            deferred=deferred,
            hide_assets=hide,
        )


def _with_calendar(policy: Policy, as_of: dt.date, month: str | None) -> Policy:
    """The policy with the statutory calendar of the plan's years, as ``core.schedule.plan_month`` plans with it:
    the 731 dates on 到期客户 are the plan's."""
    years = {as_of.year, parse_month(month)[0] if month else as_of.year}
    return with_statutory_calendar(policy, sorted(years))[0]


def _privacy(policy: Policy, head_copy: bool) -> tuple[bool, bool]:
    """(mask mobiles, hide balances) for a copy that staff get, or neither for the head's own copy."""
    if head_copy:
        return False, False
    return policy.privacy.mask_phone, policy.privacy.hide_assets


def _write_staff_book(
    target: Target,
    *,
    lists: _Lists,
    plan: pd.DataFrame,
    load: pd.DataFrame,
    policy: Policy,
    as_of: dt.date,
    outlet: str | None,
    month: str,
    staff: list[str] | None,
    warnings: list[str],
    deferred: pd.DataFrame | None = None,
    hide_assets: bool = False,
) -> int:
    everyone = staff is None
    staff = load["staff"].tolist() if staff is None else staff
    book = new_workbook(target)
    book.console_names.update(
        [OVERVIEW, NEAR, MATURING, CATALOG]
    )  # fixed sheets win a name clash with a person
    try:
        wanted = set(staff)
        load = load.loc[load["staff"].isin(wanted)].reset_index(drop=True)
        overview, columns = _overview(load, lists, policy, hide_assets=hide_assets)
        unmatched = int((~lists.items["matched"].astype(bool)).sum()) if len(lists.items) else 0
        book.console_names.discard(OVERVIEW)
        title = t(
            "export.title", outlet=f"{outlet} " if outlet else "", month=month, as_of=f"{as_of:%Y-%m-%d}"
        )
        write_sheet(
            book,
            OVERVIEW,
            overview,
            columns=columns,
            title=title,
            footer=_footer(policy, as_of, month, outlet, load, warnings, unmatched),
        )
        cust_cols = person_columns(hide_assets=hide_assets)
        by_staff = lists.customers.groupby("staff", sort=False).indices
        batch = batch_sms(plan, policy)
        log = _log_rows(plan.loc[~batch], policy, hide_assets=hide_assets)
        sms_by_staff = (
            plan.loc[batch].groupby("staff", sort=False)["customer_id"].agg(lambda c: set(c.astype(str)))
        )
        log_by_staff = log.groupby("staff", sort=False).indices if len(log) else {}
        log_validations = [
            Validation(_h("result"), tuple(policy.compliance.log_results)),
            Validation(_h("method"), tuple(policy.compliance.log_channels)),
            Validation(_h("familiarity"), FAMILIARITY_LEVELS),
        ]
        footer = t("export.call.footer", results=" ".join(policy.compliance.log_results))
        lookup = lists.customers.drop_duplicates("customer_id").set_index("customer_id")
        for name in staff:
            rows = by_staff.get(name, np.empty(0, dtype=np.int64))
            write_sheet(book, name, lists.customers.iloc[rows], columns=cust_cols)
            plan_rows = log_by_staff.get(name, np.empty(0, dtype=np.int64))
            calls, heights, breaks = _call_rows(log.iloc[plan_rows], lookup)
            write_form(
                book,
                f"{LOG_PREFIX}{name}",
                calls,
                columns=CALL_SPECS,
                heights=heights,
                breaks=breaks,
                header=t("export.call.header", name=_header_safe(name), month=month),
                footer=footer,
                validations=log_validations,
            )
            texted = sms_by_staff.get(name, set())
            if texted:
                mine = lists.customers.iloc[rows]
                mine = mine.loc[mine["customer_id"].astype(str).isin(texted)]
                write_sheet(
                    book,
                    f"{SMS_PREFIX}{name}",
                    mine,
                    columns=_who(),
                    title=t("export.sms.title", name=_header_safe(name), month=month, count=len(mine)),
                    footer=[
                        (t("export.sms.confirm_label"), t("export.sms.confirm")),
                        (t("export.sms.fill_label"), t("export.sms.fill")),
                        # two cells the person fills in, read by the contacts import (core.compliance.logs)
                        (t("export.sms.sent", "zh"), ""),
                        (t("export.sms.sent_on", "zh"), ""),
                    ],
                )
        book.console_names.difference_update([NEAR, MATURING, CATALOG])
        near = lists.near.loc[lists.near["staff"].isin(wanted)]
        write_sheet(book, NEAR, near, columns=near_columns(with_staff=True, hide_assets=hide_assets))
        items = lists.items if everyone else lists.items.loc[lists.items["staff"].isin(wanted)]
        write_sheet(
            book, MATURING, items, columns=maturity_columns(policy, with_staff=True, hide_assets=hide_assets)
        )
        if deferred is not None:
            write_deferred_sheet(book, deferred, policy, month=month, staff=None if everyone else wanted)
        write_catalog(book, policy)
    finally:
        book.close()
    return book.console_cells


def staff_workbooks_zip(
    *,
    seg: pd.DataFrame,
    assignment: Assignment,
    plan: pd.DataFrame,
    workload: pd.DataFrame,
    policy: Policy,
    as_of: dt.date,
    maturity_items: pd.DataFrame | None = None,
    outlet: str | None = None,
    month: str | None = None,
    deferred: pd.DataFrame | None = None,
) -> bytes:
    """A zip of one workbook per person (``<name>.xlsx``), each with that person's sheets only (with
    ``deferred``, their own 延后联络 rows too); the policy's ``[privacy]`` rules apply (these go to staff)."""
    mask, hide = _privacy(policy, head_copy=False)
    dated = _with_calendar(policy, as_of, month)  # the 731 dates as the plan has them
    lists = _lists(seg, assignment, plan, dated, as_of, maturity_items, mask=mask, hide_assets=hide)
    with gc_paused():
        return _zip_books(lists, plan, workload, policy, as_of, outlet, month, hide, deferred)


def _zip_books(
    lists: _Lists,
    plan: pd.DataFrame,
    workload: pd.DataFrame,
    policy: Policy,
    as_of: dt.date,
    outlet: str | None,
    month: str | None,
    hide_assets: bool,
    deferred: pd.DataFrame | None = None,
) -> bytes:
    out = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in workload["staff"].tolist():
            buffer = io.BytesIO()
            _write_staff_book(
                buffer,
                lists=lists,
                plan=plan.loc[plan["staff"] == name],
                load=workload,
                policy=policy,
                as_of=as_of,
                outlet=outlet,
                month=month or f"{as_of:%Y-%m}",
                staff=[name],
                warnings=[],
                hide_assets=hide_assets,
                deferred=deferred,
            )
            archive.writestr(_file_name(name, used), buffer.getvalue())
    return out.getvalue()


_WINDOWS_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")


def _file_name(name: str, used: set[str]) -> str:
    """A zip entry name Windows can extract and a reader cannot be misled by: no path or reserved characters, no
    bidi or other invisible format characters (Unicode Cf), no device name (CON, NUL, COM1, ...), at most 60."""
    visible = "".join(c for c in str(name) if unicodedata.category(c) != "Cf")
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", visible).strip(" .")[:60].strip(" .") or "staff"
    if _WINDOWS_RESERVED.match(stem):
        stem = f"_{stem}"
    candidate, n = f"{stem}.xlsx", 2
    while candidate.casefold() in used:
        candidate, n = f"{stem}({n}).xlsx", n + 1
    used.add(candidate.casefold())
    return candidate


def write_segment_lists(
    path_or_buffer: Target,
    seg: pd.DataFrame,
    policy: Policy,
    as_of: dt.date,
    maturity_items: pd.DataFrame | None = None,
) -> None:
    """The tier lists: a sheet per tier (named by the tier), 临界客户 and 到期客户, no staff columns."""
    lists = _lists(seg, None, None, policy, as_of, maturity_items)
    with gc_paused():
        _write_lists(path_or_buffer, lists, policy)


def _write_lists(path_or_buffer: Target, lists: _Lists, policy: Policy) -> None:
    book = new_workbook(path_or_buffer)
    try:
        cols = customer_columns(policy, with_plan=False)
        by_tier = lists.customers.groupby("tier_name", sort=False).indices
        for tier in policy.tiers:
            rows = by_tier.get(tier.name, np.empty(0, dtype=np.int64))
            write_sheet(book, tier.name, lists.customers.iloc[rows], columns=cols)
        write_sheet(book, NEAR, lists.near, columns=near_columns(with_staff=False))
        write_sheet(book, MATURING, lists.items, columns=maturity_columns(policy, with_staff=False))
    finally:
        book.close()


def _header_safe(text: str) -> str:
    """Text for a printed page header: "&" starts a code there, so it is doubled."""
    return str(text).replace("&", "&&")


def catalog_rows(policy: Policy) -> pd.DataFrame:
    """The reference sheet: per tier its range, strategy, cadence, whole catalogue, activities and the picks
    offered per customer; then the near-threshold and maturing groups."""
    cadence = _cadence_text(policy)
    rows = []
    for i, tier in enumerate(policy.tiers):
        upper = policy.tiers[i + 1].lower if i + 1 < len(policy.tiers) else None
        rows.append(
            {
                "group": tier.name,
                "range": t("export.range_to", lower=tier.lower, upper=upper)
                if upper is not None
                else t("export.range", lower=tier.lower),
                "strategy": tier.strategy,
                "cadence_text": cadence[i],
                "products_text": _joined(tier.products),
                "activities_text": _joined(tier.activities),
                "picks": _joined(policy.offers.by_tier.get(tier.code, ())),
            }
        )
    bands = "、".join(level_text(b.level) for b in policy.bands)
    rows.append(
        {
            "group": t("export.catalog.near"),
            "range": bands,
            "activities_text": _joined(policy.campaign.near_activities),
            "picks": t("export.catalog.near_picks", campaign=policy.campaign.name_gift),
        }
    )
    rows.append(
        {
            "group": t("export.catalog.maturing"),
            "range": "",
            "activities_text": policy.maturity.activity,
            "picks": t("export.catalog.maturing_picks", activity=policy.maturity.activity),
        }
    )
    return pd.DataFrame(rows)


CATALOG_SPECS = [
    ColumnSpec(t("export.col.group"), "text", 12, "group", wrap=True),
    ColumnSpec(t("export.col.range"), "text", 14, "range", wrap=True),
    ColumnSpec(t("export.col.strategy"), "text", 12, "strategy", wrap=True),
    ColumnSpec(_h("cadence"), "text", 16, "cadence_text", wrap=True),
    ColumnSpec(_h("products"), "text", 44, "products_text", wrap=True),
    ColumnSpec(_h("activities"), "text", 34, "activities_text", wrap=True),
    ColumnSpec(t("export.col.picks"), "text", 22, "picks", wrap=True),
]


def write_catalog(book, policy: Policy) -> None:
    """The 推介产品目录 sheet: the whole catalogue, once, instead of in every customer's row."""
    write_sheet(book, CATALOG, catalog_rows(policy), columns=CATALOG_SPECS, autofilter=False)
