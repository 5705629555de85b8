"""The monthly contact plan: one row per contact a staff member owes in a calendar month.

Definitions (exact, tested):
- Working days are Monday to Friday (public holidays are not known to the console).
- A weekly duty is owed in every ISO week with a working day in the month. Each customer's call gets one
  working day of the whole week (spread by list position); a week that straddles two months is planned day
  by day: the call belongs to the month its day falls in, so each week's call is planned exactly once and
  the week's calls do not pile up on the days of one month.
- A monthly duty is due on one of the month's working days; a quarterly duty only in the first month of
  its quarter (January, April, July, October).
- Due dates are spread by the customer's position in their staff member's list (``sheet_order``), so each
  person's contacts fill the working days evenly; a customer's channels fall on different days.
- 731 reminders: every maturing item with a reminder date (maturity minus 7/3/1 days, a weekend moved to
  the Friday before) inside the month. Reminders are thereby split between months exactly, none is lost
  at a month boundary (an item maturing on the 3rd has its 7-day call in the month before).
- Birthday reminders for ``policy.reminders.birthday_tiers``: ``birthday_days_before`` days before the
  birthday, moved off weekends like 731 reminders (29 February counts as 28 February in other years).
- Reminders are calls (``core.assign.REMINDER_CHANNEL``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.assign import REMINDER_CHANNEL, Assignment
from core.calendar import (
    month_bounds,
    parse_month,
    plan_weeks,
    roll_back_to_working_day,
    working_days,
)
from core.policy import Policy
from core.schema import PLAN_ROW
from core.segment import reminder_dates

PLAN_COLUMNS = list(PLAN_ROW)  # the plan row, defined once in core.schema
KINDS = ("cadence", "reminder_731", "birthday")
QUARTER_FIRST_MONTHS = (1, 4, 7, 10)
ITEM_COLUMNS = ["customer_id", "name", "product", "amount", "maturity_date", "matched"]


def sheet_order(seg: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Row positions in staff-list order: highest tier first, then the tier's ``order_by``, then customer id.

    Familiarity orders put unknown familiarity last; ties go to the larger assets.
    """
    assets = seg["assets"].to_numpy(dtype=np.float64)
    tier_index = seg["tier_index"].to_numpy(dtype=np.int64)
    if "familiarity" in seg.columns:
        fam = pd.to_numeric(seg["familiarity"], errors="coerce").astype("float64").to_numpy()
    else:
        fam = np.full(len(seg), np.nan)
    key = np.zeros(len(seg), dtype=np.float64)
    for k, tier in enumerate(policy.tiers):
        where = tier_index == k
        if tier.order_by == "assets_desc":
            key[where] = -assets[where]
        elif tier.order_by == "assets_asc":
            key[where] = assets[where]
        elif tier.order_by == "familiarity_asc":
            key[where] = np.where(np.isnan(fam[where]), np.inf, fam[where])
        else:
            key[where] = np.where(np.isnan(fam[where]), np.inf, -fam[where])
    ids = seg["customer_id"].astype(str).to_numpy()
    return np.lexsort((ids, -assets, key, -tier_index))


def maturity_item_table(seg: pd.DataFrame, maturity_items: pd.DataFrame | None) -> pd.DataFrame:
    """Every known maturing item: the notice's items (``matched`` = customer in the export), plus one item
    from the export's own maturity date for customers the notice does not mention."""
    parts = []
    covered: set = set()
    if maturity_items is not None and len(maturity_items):
        items = maturity_items.copy()
        ids = set(seg["customer_id"].astype(str))
        items["customer_id"] = items["customer_id"].astype(str)
        if "matched" not in items.columns:
            items["matched"] = items["customer_id"].isin(ids)
        for column in ITEM_COLUMNS:
            if column not in items.columns:
                items[column] = pd.NA
        covered = set(items["customer_id"])
        parts.append(items[ITEM_COLUMNS])
    if "maturity_date" in seg.columns:
        own = seg.loc[seg["maturity_date"].notna(), ["customer_id", "name", "maturity_date"]].copy()
        own["customer_id"] = own["customer_id"].astype(str)
        own = own.loc[~own["customer_id"].isin(covered)]
        own["product"] = pd.NA
        own["amount"] = np.nan
        own["matched"] = True
        parts.append(own[ITEM_COLUMNS])
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ITEM_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out["maturity_date"] = pd.to_datetime(out["maturity_date"])
    out["amount"] = pd.to_numeric(out["amount"], errors="coerce").astype("float64")
    out["matched"] = out["matched"].astype(bool)
    return out.sort_values(["maturity_date", "customer_id"], kind="stable").reset_index(drop=True)


def build_plan(
    seg: pd.DataFrame,
    assignment: Assignment,
    policy: Policy,
    month: str | tuple[int, int] | dt.date,
    maturity_items: pd.DataFrame | None = None,
    *,
    reminders_from: dt.date | None = None,
) -> pd.DataFrame:
    """Every contact owed in ``month``: cadence duties, 731 reminders and birthday reminders (PLAN_COLUMNS).

    A plan made ahead of its month (``reminders_from`` = the day after the data date, before the month starts)
    also carries the reminders due between then and the month's start, which no other plan would hold.

    Rows are sorted by staff (roster order), due date, then the staff list order (``sheet_order``).
    Maturing items of customers not in the export go to the first 支局长 on the assignment (or no one).
    """
    year, mon = parse_month(month)
    first, last = month_bounds(year, mon)
    remind_first = min(first, np.datetime64(reminders_from, "D")) if reminders_from else first
    order = sheet_order(seg, policy)
    staff_all = assignment.staff_of(seg)
    staff_sorted = staff_all[order]
    position = pd.Series(staff_sorted).groupby(staff_sorted, sort=False).cumcount().to_numpy()
    tier_sorted = seg["tier_index"].to_numpy(dtype=np.int64)[order]
    frames = [_cadence_rows(policy, year, mon, order, position, tier_sorted)]
    frames.append(_birthday_rows(seg, policy, remind_first, last, order, position, tier_sorted))
    rows = (
        pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else None
    )
    base = _base_frame(seg, staff_all)
    parts = []
    if rows is not None:
        merged = base.iloc[rows["row"].to_numpy()].reset_index(drop=True)
        merged["channel"] = rows["channel"].to_numpy()
        merged["kind"] = rows["kind"].to_numpy()
        merged["due_date"] = rows["due_date"].to_numpy()
        merged["offset"] = pd.array([pd.NA] * len(rows), dtype="Int64")
        merged["rank"] = rows["rank"].to_numpy()
        parts.append(merged)
    reminders = _maturity_rows(seg, assignment, policy, remind_first, last, maturity_items, base, order)
    if len(reminders):
        parts.append(reminders)
    if not parts:
        return _empty_plan()
    plan = pd.concat(parts, ignore_index=True)
    for column in ("product",):
        if column not in plan.columns:
            plan[column] = pd.NA
    names = assignment.staff or tuple(pd.unique(assignment.table["staff"].dropna()))
    staff_rank = {name: i for i, name in enumerate(names)}
    plan["_staff"] = plan["staff"].map(staff_rank).fillna(len(staff_rank)).astype(np.int64)
    plan["_kind"] = plan["kind"].map({k: i for i, k in enumerate(KINDS)})
    plan = plan.sort_values(["_staff", "due_date", "rank", "_kind"], kind="stable")
    plan["due_date"] = pd.to_datetime(plan["due_date"])
    plan["maturity_date"] = pd.to_datetime(plan["maturity_date"])
    return plan[PLAN_COLUMNS].reset_index(drop=True)


def _empty_plan() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in PLAN_COLUMNS})
    frame["due_date"] = pd.Series(dtype="datetime64[s]")
    frame["maturity_date"] = pd.Series(dtype="datetime64[s]")
    frame["amount"] = pd.Series(dtype="float64")
    frame["offset"] = pd.Series(dtype="Int64")
    return frame


def _base_frame(seg: pd.DataFrame, staff: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "staff": staff,
            "customer_id": seg["customer_id"].astype(str).to_numpy(),
            "name": seg["name"].astype(object).to_numpy() if "name" in seg.columns else None,
            "tier": seg["tier"].astype(str).to_numpy(),
            "product": pd.NA,
            "amount": np.nan,
            "maturity_date": pd.NaT,
        }
    )


def _cadence_rows(
    policy: Policy, year: int, month: int, order: np.ndarray, position: np.ndarray, tier_sorted: np.ndarray
) -> pd.DataFrame:
    monthly = working_days(year, month, policy.holiday_days)
    weeks = plan_weeks(year, month, policy.holiday_days)
    first, last = month_bounds(year, month)
    quarter_start = month in QUARTER_FIRST_MONTHS
    rows, channels, dues, ranks = [], [], [], []
    for k, tier in enumerate(policy.tiers):
        where = np.flatnonzero(tier_sorted == k)
        if not where.size:
            continue
        pos = position[where]
        n_cad = max(len(tier.cadence), 1)
        for ci, cadence in enumerate(tier.cadence):
            if cadence.count <= 0 or (cadence.period == "quarter" and not quarter_start):
                continue
            spans = weeks if cadence.period == "week" else [monthly]
            for days in spans:
                size = days.size
                if not size:
                    continue
                shift = ci if cadence.period == "week" else ci * size // n_cad
                for j in range(cadence.count):
                    due = days[(pos + shift + j * size // cadence.count) % size]
                    inside = (due >= first) & (due <= last)
                    rows.append(order[where[inside]])
                    channels.append(np.full(int(inside.sum()), cadence.channel, dtype=object))
                    dues.append(due[inside])
                    ranks.append(where[inside])
    if not rows:
        return pd.DataFrame(columns=["row", "channel", "kind", "due_date", "rank"])
    return pd.DataFrame(
        {
            "row": np.concatenate(rows),
            "channel": np.concatenate(channels),
            "kind": "cadence",
            "due_date": np.concatenate(dues),
            "rank": np.concatenate(ranks),
        }
    )


def _birthday_rows(
    seg: pd.DataFrame,
    policy: Policy,
    first: np.datetime64,
    last: np.datetime64,
    order: np.ndarray,
    position: np.ndarray,
    tier_sorted: np.ndarray,
) -> pd.DataFrame:
    columns = ["row", "channel", "kind", "due_date", "rank"]
    if "birthday" not in seg.columns or not policy.reminders.birthday_tiers:
        return pd.DataFrame(columns=columns)
    wanted = [policy.tier_codes.index(c) for c in policy.reminders.birthday_tiers if c in policy.tier_codes]
    birthday = pd.to_datetime(seg["birthday"]).to_numpy()[order]
    keep = np.flatnonzero(np.isin(tier_sorted, wanted) & ~np.isnat(birthday))
    if not keep.size:
        return pd.DataFrame(columns=columns)
    stamps = pd.DatetimeIndex(birthday[keep])
    year0 = int(str(first)[:4])
    found_rank, found_due = [], []
    for year in (year0, year0 + 1):
        day = stamps.day.to_numpy().copy()
        leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
        if not leap:
            day[(stamps.month.to_numpy() == 2) & (day == 29)] = 28
        anniversary = pd.to_datetime(
            pd.DataFrame({"year": year, "month": stamps.month.to_numpy(), "day": day})
        ).to_numpy(dtype="datetime64[D]")
        due = roll_back_to_working_day(
            anniversary - np.timedelta64(policy.reminders.birthday_days_before, "D"), policy
        )
        inside = (due >= first) & (due <= last)
        found_rank.append(keep[inside])
        found_due.append(due[inside])
    rank = np.concatenate(found_rank)
    return pd.DataFrame(
        {
            "row": order[rank],
            "channel": REMINDER_CHANNEL,
            "kind": "birthday",
            "due_date": np.concatenate(found_due),
            "rank": rank,
        }
    )


def _maturity_rows(
    seg: pd.DataFrame,
    assignment: Assignment,
    policy: Policy,
    first: np.datetime64,
    last: np.datetime64,
    maturity_items: pd.DataFrame | None,
    base: pd.DataFrame,
    order: np.ndarray,
) -> pd.DataFrame:
    items = maturity_item_table(seg, maturity_items)
    if not len(items):
        return pd.DataFrame()
    ids = base["customer_id"].to_numpy()
    row_of = pd.Series(np.arange(len(ids)), index=ids)
    row_of = row_of[~row_of.index.duplicated()]
    rank_of = np.empty(len(ids), dtype=np.int64)
    rank_of[order] = np.arange(len(order))
    fallback = assignment.heads[0] if assignment.heads else None
    dates = reminder_dates(items["maturity_date"], policy)
    parts = []
    for offset in policy.maturity.reminder_offsets:
        due = dates[f"remind_{offset}"].to_numpy(dtype="datetime64[D]")
        inside = ~np.isnat(due) & (due >= first) & (due <= last)
        if not inside.any():
            continue
        chosen = items.loc[inside].reset_index(drop=True)
        rows = row_of.reindex(chosen["customer_id"]).to_numpy()
        known = ~np.isnan(rows)
        safe = np.where(known, rows, 0).astype(np.int64)
        frame = pd.DataFrame(
            {
                "staff": np.where(known, base["staff"].to_numpy()[safe], fallback),
                "customer_id": chosen["customer_id"].to_numpy(),
                "name": np.where(known, base["name"].to_numpy()[safe], chosen["name"].to_numpy()),
                "tier": np.where(known, base["tier"].to_numpy()[safe], None),
                "channel": REMINDER_CHANNEL,
                "kind": "reminder_731",
                "due_date": due[inside],
                "offset": pd.array([offset] * len(chosen), dtype="Int64"),
                "product": chosen["product"].to_numpy(),
                "amount": chosen["amount"].to_numpy(),
                "maturity_date": chosen["maturity_date"].to_numpy(),
                "rank": np.where(known, rank_of[safe], len(ids)),
            }
        )
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
