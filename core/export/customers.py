"""The per-person customer sheet and the tier lists: the staff-list order of ``core.plan.sheet_order``; 到期业务 lists
each maturing item (product, amount, date, 731 reminder dates); 推荐 is one to three suggestions for this
customer (``core.offers``). ``_lists`` computes what every sheet shows, once for all people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.assign import Assignment
from core.export.common import _amount_short, _cadence_text, _h, _joined, _md, _remind_headers, _who
from core.export.maturity import _item_rows, _near_rows
from core.export.privacy import mask_phones
from core.i18n import t
from core.offers import gap_text, level_text, numbered, suggestions
from core.plan import sheet_order
from core.policy import Policy
from core.segment import reminder_dates
from core.xlsx import ColumnSpec


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


@dataclass(frozen=True)
class _Lists:
    """Everything the sheets show, computed once for all people."""

    customers: pd.DataFrame  # staff-list order, display columns
    items: pd.DataFrame  # maturing items in the as-of window, display columns
    near: pd.DataFrame


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
    gap_values, levels = cust["gap"].to_numpy().tolist(), cust["near_level"].to_numpy().tolist()
    for i in np.flatnonzero(near).tolist():
        gap = gap_text(gap_values[i], hide_assets=hide_assets)
        gaps[i] = gap
        purposes[i] = t("export.purpose.near", level=level_text(levels[i]), gap=gap)
    cust["gap_text"] = gaps
    cust["near_purpose"] = purposes
    near_frame = _near_rows(cust, policy, near)
    return _Lists(customers=cust, items=items, near=near_frame)


def _due_text(plan: pd.DataFrame | None, ids: pd.Series) -> np.ndarray:
    """Per customer, this month's distinct due dates as "12-01、12-08"."""
    if plan is None or not len(plan):
        return np.full(len(ids), None, dtype=object)
    days = plan["due_date"].to_numpy(dtype="datetime64[D]")
    codes, customers = pd.factorize(plan["customer_id"].to_numpy(dtype=object))
    order = np.lexsort((days, codes))  # by customer, then by day
    codes, days = codes[order], days[order]
    unique_days, day_of = np.unique(days, return_inverse=True)
    label_of, labels = pd.factorize(np.array(_md(unique_days), dtype=object))
    shown = label_of[day_of.reshape(-1)]  # each row's date label, as a code
    keep = np.r_[True, (codes[1:] != codes[:-1]) | (shown[1:] != shown[:-1])]  # a date once per customer
    codes, shown = codes[keep], labels[shown[keep]]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, np.int64)
    ends = np.r_[starts[1:], len(codes)]
    texts = shown.tolist()
    text = {
        customers[codes[a]]: "、".join(texts[a:b])
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    }
    return np.array([text.get(cid) for cid in ids.tolist()], dtype=object)


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
