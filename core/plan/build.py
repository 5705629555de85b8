"""``build_plan``: the month's rows (cadence duties, 731 reminders and their catch-ups, birthdays) for every
customer, as the package docstring defines them; the maturing items and the month's greeting SMS batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import numpy as np
import pandas as pd

from core.assign import REMINDER_CHANNEL, REMINDER_SMS, Assignment
from core.calendar import (
    month_bounds,
    next_working_day,
    parse_month,
    plan_weeks,
    roll_back_to_working_day,
    working_days,
)
from core.i18n import t
from core.plan.order import sheet_order
from core.policy import Policy
from core.schema import PLAN_ROW
from core.segment import reminder_dates

PLAN_COLUMNS = list(PLAN_ROW)  # the plan row, defined once in core.schema
KINDS = ("cadence", "reminder_731", "birthday", "winback")
BATCH_CHANNEL = "sms"  # the month's greeting SMS goes out in one batch per person (``batch_sms``)
ITEM_COLUMNS = ["customer_id", "name", "product", "amount", "maturity_date", "matched"]


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
    met_this_quarter: Collection[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Every contact owed in ``month``: cadence duties, 731 reminders and birthday reminders (PLAN_COLUMNS,
    plus ``note``: why a row is special, e.g. a catch-up reminder; empty otherwise).

    ``met_this_quarter``: (customer id, plan channel) pairs whose quarterly duty was already met this quarter.

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
    done = _quarter_done_rows(seg, order, met_this_quarter)
    frames = [_cadence_rows(policy, year, mon, order, position, tier_sorted, done)]
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
    catch_up_from = np.datetime64(reminders_from, "D") if reminders_from else None
    reminders = _maturity_rows(
        seg, assignment, policy, remind_first, last, maturity_items, base, order, catch_up_from
    )
    if len(reminders):
        parts.append(reminders)
    if not parts:
        return _empty_plan()
    plan = pd.concat(parts, ignore_index=True)
    for column in ("product",):
        if column not in plan.columns:
            plan[column] = pd.NA
    note = plan["note"].to_numpy(dtype=object) if "note" in plan.columns else np.full(len(plan), None, object)
    plan["note"] = pd.Series(np.where(pd.isna(note), "", note), index=plan.index, dtype=object)
    names = assignment.staff or tuple(pd.unique(assignment.table["staff"].dropna()))
    staff_rank = {name: i for i, name in enumerate(names)}
    plan["_staff"] = plan["staff"].map(staff_rank).fillna(len(staff_rank)).astype(np.int64)
    plan["_kind"] = plan["kind"].map({k: i for i, k in enumerate(KINDS)})
    plan = plan.sort_values(["_staff", "due_date", "rank", "_kind"], kind="stable")
    plan["due_date"] = pd.to_datetime(plan["due_date"])
    plan["maturity_date"] = pd.to_datetime(plan["maturity_date"])
    return plan[[*PLAN_COLUMNS, "note"]].reset_index(drop=True)


def batch_sms(plan: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Rows of the month's greeting SMS (a monthly SMS duty of the tier's cadence): sent in one batch per person
    from the SMS platform, confirmed once; never a row on the call sheet, never deferred."""
    if not len(plan):
        return np.zeros(0, dtype=bool)
    tier = plan["tier"].astype(object).to_numpy()
    channel = plan["channel"].astype(object).to_numpy()
    kind = plan["kind"].astype(object).to_numpy()
    out = np.zeros(len(plan), dtype=bool)
    for code in policy.tiers:
        for c in code.cadence:
            if c.channel == BATCH_CHANNEL and c.period == "month" and c.count > 0:
                out |= (tier == code.code) & (channel == c.channel)
    return out & (kind == "cadence")


def quarter_met(
    contacts: pd.DataFrame | None, policy: Policy, month: str | tuple[int, int] | dt.date
) -> set[tuple[str, str]]:
    """(customer id, plan channel) of every quarterly duty met by ``contacts`` (a contact log: customer_id,
    channel, result, contact_date) from the first day of ``month``'s quarter to the day before the month:
    a counted result of a logged channel the plan channel maps to (``policy.compliance.channel_map``)."""
    year, mon = parse_month(month)
    if contacts is None or not len(contacts):
        return set()
    start = pd.Timestamp(year, mon - (mon - 1) % 3, 1)
    end = pd.Timestamp(year, mon, 1)
    days = pd.to_datetime(contacts["contact_date"]).dt.normalize()
    counted = contacts["result"].astype(str).isin(policy.compliance.counted_results)
    logs = contacts.loc[counted & (days >= start) & (days < end)]
    quarterly = {c.channel for tier in policy.tiers for c in tier.cadence if c.period == "quarter"}
    met: set[tuple[str, str]] = set()
    for channel in sorted(quarterly):
        logged = set(policy.compliance.channel_map.get(channel, ()))
        ids = logs.loc[logs["channel"].astype(str).isin(logged), "customer_id"].astype(str)
        met |= {(cid, channel) for cid in ids}
    return met


def _quarter_done_rows(
    seg: pd.DataFrame, order: np.ndarray, met: Collection[tuple[str, str]] | None
) -> dict[str, np.ndarray]:
    """Per plan channel, a mask over the sorted rows of customers whose quarterly duty is already met."""
    if not met:
        return {}
    ids = seg["customer_id"].astype(str).to_numpy()[order]
    by_channel: dict[str, set[str]] = {}
    for cid, channel in met:
        by_channel.setdefault(str(channel), set()).add(str(cid))
    return {ch: np.isin(ids, sorted(found)) for ch, found in by_channel.items()}


def _empty_plan() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in [*PLAN_COLUMNS, "note"]})
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
    policy: Policy,
    year: int,
    month: int,
    order: np.ndarray,
    position: np.ndarray,
    tier_sorted: np.ndarray,
    done: dict[str, np.ndarray],
) -> pd.DataFrame:
    monthly = working_days(year, month, policy=policy)
    weeks = plan_weeks(year, month, policy=policy)
    first, last = month_bounds(year, month)
    rows, channels, dues, ranks = [], [], [], []
    for k, tier in enumerate(policy.tiers):
        where = np.flatnonzero(tier_sorted == k)
        if not where.size:
            continue
        n_cad = max(len(tier.cadence), 1)
        for ci, cadence in enumerate(tier.cadence):
            if cadence.count <= 0:
                continue
            owed = where
            if cadence.period == "quarter" and cadence.channel in done:
                owed = where[~done[cadence.channel][where]]
            pos = position[owed]
            spans = weeks if cadence.period == "week" else [monthly]
            for days in spans:
                size = days.size
                if not size:
                    continue
                shift = ci if cadence.period == "week" else ci * size // n_cad
                for j in range(cadence.count):
                    due = days[(pos + shift + j * size // cadence.count) % size]
                    inside = (due >= first) & (due <= last)
                    rows.append(order[owed[inside]])
                    channels.append(np.full(int(inside.sum()), cadence.channel, dtype=object))
                    dues.append(due[inside])
                    ranks.append(owed[inside])
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
    catch_up_from: np.datetime64 | None = None,
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
    offsets = list(policy.maturity.reminder_offsets)
    dues = {o: dates[f"remind_{o}"].to_numpy(dtype="datetime64[D]") for o in offsets}
    # A reminder is worth a call when the amount is: below the policy's minimum one SMS on the first date.
    amount = items["amount"].to_numpy(dtype=np.float64)
    small = ~np.isnan(amount) & (amount < policy.value.reminder_min_amount)
    catch_up = _catch_ups(items, dues, first, last, catch_up_from, policy, small)
    sms_note = t("plan.note.small_amount", "zh", amount=f"{policy.value.reminder_min_amount:,.0f}")
    parts = []
    for offset in offsets:
        due = dues[offset].copy()
        inside = ~np.isnat(due) & (due >= first) & (due <= last)
        late = catch_up["offset"] == offset
        due[late] = catch_up["day"]
        inside |= late
        if offset != offsets[0]:
            inside &= ~small
        if not inside.any():
            continue
        notes = np.where(late[inside], catch_up["note"][inside], "")
        notes = np.where(small[inside], np.where(notes == "", sms_note, notes + "；" + sms_note), notes)
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
                "channel": np.where(small[inside], REMINDER_SMS, REMINDER_CHANNEL),
                "kind": "reminder_731",
                "due_date": due[inside],
                "offset": pd.array([offset] * len(chosen), dtype="Int64"),
                "product": chosen["product"].to_numpy(),
                "amount": chosen["amount"].to_numpy(),
                "maturity_date": chosen["maturity_date"].to_numpy(),
                "rank": np.where(known, rank_of[safe], len(ids)),
                "note": pd.Series(notes, dtype=object),
            }
        )
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _catch_ups(
    items: pd.DataFrame,
    dues: dict[int, np.ndarray],
    first: np.datetime64,
    last: np.datetime64,
    catch_up_from: np.datetime64 | None,
    policy: Policy,
    first_only: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Per item: the offset of its catch-up call (-1 for none), its day and its note (module docstring);
    ``first_only``: the items that have only their first reminder (the SMS of a small amount)."""
    n = len(items)
    out = {
        "offset": np.full(n, -1, dtype=np.int64),
        "day": np.datetime64("NaT", "D"),
        "note": np.full(n, "", dtype=object),
    }
    if catch_up_from is None or not n:
        return out
    day = next_working_day(catch_up_from, policy)
    maturity = items["maturity_date"].to_numpy(dtype="datetime64[D]")
    if day > last:
        return out
    out["day"] = day
    ahead = ~np.isnat(maturity) & (maturity >= day)
    taken = np.zeros(n, dtype=bool)
    lead = next(iter(dues))  # the first reminder (policy order)
    single = np.zeros(n, dtype=bool) if first_only is None else np.asarray(first_only, dtype=bool)
    for offset, due in dues.items():
        taken |= ~np.isnat(due) & (due == day) & (~single if offset != lead else True)
    for offset in sorted(dues):  # the smallest offset first: the last reminder that passed
        due = dues[offset]
        passed = ~np.isnat(due) & (due < first) & ahead & ~taken & (out["offset"] < 0)
        if offset != lead:
            passed &= ~single  # an item with one SMS catches up that SMS, not a later call it never had
        out["offset"][passed] = offset
        for i in np.flatnonzero(passed):
            out["note"][i] = t(
                "plan.note.catch_up", "zh", date=f"{pd.Timestamp(due[i]):%m-%d}", offset=offset
            )
    return out
