"""The one-page weekly summary for the team meeting: per person what was due and done, and what came of it.

Definitions (exact, tested), for a period (usually an ISO week) judged as of a day:
- 应联络 / 已完成 / 未到期 / 逾期未联 / 完成率: the compliance engine's figures per requirement owner
  (``ComplianceResult.by_staff``: due contacts, met contacts of due requirements, contacts not yet due, overdue
  requirements, met / due).
- 登记联络: contact rows logged by the person, dated in the period (and not after the as-of day).
- 联系上 / 邀约 / 到访 / 成交: distinct customers the person logged in the period, each at the furthest step of its
  results (``reached_results`` are step 1, 已邀约 2, 已到访 3, 已成交 and every ``sold_results`` 4) and counted
  in every step before, as the compliance funnel does.
- 本周到期 / 到期留存: customers of the person's 731 reminders whose maturity date is in the period; of those, the
  ones with a ``kept_results`` contact (by anyone) from ``maturity.window_days`` before maturity to the period's
  end.
- 达标: customers who reached a reward level between two exports (``core.history.compare``'s fulfilment, given
  by the caller), under the person who owns them in the period's requirements; None when no comparison exists.
- The last row (合计) adds the columns up; its rate is met / due over everyone.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Mapping, Sequence
from typing import IO

import numpy as np
import pandas as pd

from core.compliance.funnel import FUNNEL_STAGES, result_stages
from core.compliance.rules import ComplianceResult, normalize_contacts
from core.i18n import t
from core.policy import Policy
from core.xlsx import ColumnSpec, new_workbook, write_sheet

COUNTS = ["due", "met", "pending", "overdue", "logged", "reached", "invited", "came", "sold", "levels"]
COUNTS += ["maturing", "kept"]
COLUMNS = [
    "staff",
    "due",
    "met",
    "rate",
    "pending",
    "overdue",
    "logged",
    "reached",
    "invited",
    "came",
    "sold",
]
COLUMNS += ["levels", "maturing", "kept"]
COLUMNS += ["deferred"]  # 延后 N: contacts the period's published plans deferred (core.services.deferred)


def weekly_summary(
    result: ComplianceResult,
    contacts: pd.DataFrame,
    policy: Policy,
    *,
    levels: pd.DataFrame | None = None,
    staff: Sequence[str] = (),
    deferred: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """One row per person (those in ``staff`` first, in that order, then the others by name), then 合计.
    ``deferred``: each person's 延后 N (``core.services.deferred_count``); without it the column is empty."""
    p = result.period
    req = result.requirements
    found = set(req["staff"].dropna().astype(str)) if len(req) else set()
    owners = [s for s in staff if s in found] + sorted(found - set(staff))
    log = normalize_contacts(contacts) if len(contacts) else _empty_log()
    end = min(p.end, result.as_of) if result.as_of is not None else p.end
    week = log.loc[
        (log["contact_date"] >= pd.Timestamp(p.start)) & (log["contact_date"] <= pd.Timestamp(end))
    ]
    people = owners + [s for s in dict.fromkeys(week["staff"].astype(str)) if s not in owners]
    # someone whose every contact of the week was deferred still has a row (the total is the sum of the rows)
    people += sorted(s for s in (deferred or {}) if s not in people)
    frame = pd.DataFrame({"staff": people})

    by_staff = result.by_staff.set_index("staff") if len(result.by_staff) else None
    for column in ("due", "met", "pending", "overdue"):
        frame[column] = (
            frame["staff"].map(by_staff[column]).fillna(0).astype("int64").to_numpy()
            if by_staff is not None
            else 0
        )
    frame["logged"] = frame["staff"].map(week.groupby("staff").size()).fillna(0).astype("int64").to_numpy()

    stage = result_stages(policy)
    steps = (
        week.assign(_step=week["result"].map(stage).fillna(0).astype("int64"))
        .groupby(["staff", "customer_id"])["_step"]
        .max()
        .reset_index()
    )
    for i, key in enumerate(["reached", *[k for k, _ in FUNNEL_STAGES[1:]]], start=1):
        counts = steps.loc[steps["_step"] >= i].groupby("staff").size()
        frame[key] = frame["staff"].map(counts).fillna(0).astype("int64").to_numpy()

    maturing, kept = _maturities(req, log, policy, p.start, end)
    frame["maturing"] = frame["staff"].map(maturing).fillna(0).astype("int64").to_numpy()
    frame["kept"] = frame["staff"].map(kept).fillna(0).astype("int64").to_numpy()

    if levels is None:
        frame["levels"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    else:
        owner = (
            req.drop_duplicates("customer_id").set_index("customer_id")["staff"] if len(req) else pd.Series()
        )
        who = levels["customer_id"].astype(str).map(owner)
        counts = who.dropna().value_counts()
        frame["levels"] = pd.array(frame["staff"].map(counts).fillna(0).astype("int64"), dtype="Int64")
    total = {"staff": t("weekly.total")}
    for column in COUNTS:
        values = frame[column]
        total[column] = pd.NA if values.isna().all() and len(values) else int(values.fillna(0).sum())
    if levels is not None and len(levels):
        total["levels"] = len(
            levels
        )  # a customer reached with no owner in the plan still counts for the outlet
    if deferred is None:
        frame["deferred"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        total["deferred"] = pd.NA
    else:
        frame["deferred"] = frame["staff"].map(dict(deferred)).fillna(0).astype("int64").to_numpy()
        total["deferred"] = int(sum(deferred.values()))
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    frame["levels"] = pd.array(frame["levels"], dtype="Int64")
    frame["deferred"] = pd.array(frame["deferred"], dtype="Int64")
    due = frame["due"].to_numpy(dtype=np.float64)
    frame["rate"] = np.where(
        due > 0, frame["met"].to_numpy(dtype=np.float64) / np.where(due > 0, due, 1), np.nan
    )
    return frame[COLUMNS]


def _empty_log() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in ("staff", "customer_id", "channel", "result")})
    frame["contact_date"] = pd.Series(dtype="datetime64[us]")
    return frame


def _maturities(
    req: pd.DataFrame, log: pd.DataFrame, policy: Policy, start: dt.date, end: dt.date
) -> tuple[pd.Series, pd.Series]:
    """Per owner: customers maturing in [start, end], and those of them with a kept result in their window."""
    if not len(req):
        return pd.Series(dtype="int64"), pd.Series(dtype="int64")
    reminders = req.loc[req["kind"] == "reminder_731", ["staff", "customer_id", "maturity_date"]].copy()
    days = pd.to_datetime(reminders["maturity_date"])
    reminders = reminders.loc[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]
    reminders = reminders.drop_duplicates(["staff", "customer_id", "maturity_date"])
    maturing = reminders.drop_duplicates(["staff", "customer_id"]).groupby("staff").size()
    kept_log = log.loc[log["result"].isin(policy.compliance.kept_results), ["customer_id", "contact_date"]]
    joined = reminders.merge(kept_log, on="customer_id")
    opens = pd.to_datetime(joined["maturity_date"]) - pd.Timedelta(days=policy.maturity.window_days)
    inside = (joined["contact_date"] >= opens) & (joined["contact_date"] <= pd.Timestamp(end))
    kept = joined.loc[inside].drop_duplicates(["staff", "customer_id"]).groupby("staff").size()
    return maturing, kept


def weekly_columns(lang: str = "zh") -> list[ColumnSpec]:
    widths = {"staff": 9, "rate": 8}
    kinds = {"staff": "text", "rate": "percent"}
    return [ColumnSpec(t(f"weekly.col.{c}", lang), kinds.get(c, "int"), widths.get(c, 8), c) for c in COLUMNS]


def write_weekly_workbook(
    target: str | os.PathLike | IO[bytes],
    summary: pd.DataFrame,
    result: ComplianceResult,
    policy: Policy,
    *,
    outlet: str | None = None,
    levels_between: tuple[dt.date, dt.date] | None = None,
    lang: str = "zh",
) -> None:
    """The summary as one sheet printed on one A4 landscape page, with the definitions underneath."""
    p = result.period
    title = t(
        "weekly.title",
        lang,
        outlet=f"{outlet} " if outlet else "",
        period=p.label,
        start=p.start.isoformat(),
        end=p.end.isoformat(),
        as_of=(result.as_of or p.end).isoformat(),
    )
    comp = policy.compliance
    notes = [
        t(
            "weekly.note.rules",
            lang,
            counted="、".join(comp.counted_results),
            reached="、".join(comp.reached_results),
            sold="、".join(comp.sold_results),
            kept="、".join(comp.kept_results),
        ),
        t("weekly.note.funnel", lang),
        t("weekly.note.levels", lang, before=levels_between[0], after=levels_between[1])
        if levels_between
        else t("weekly.note.no_levels", lang),
    ]
    book = new_workbook(target)
    try:
        sheet = write_sheet(
            book,
            t("weekly.sheet", lang),
            summary,
            columns=weekly_columns(lang),
            title=title,
            freeze=False,
            autofilter=False,
        )
        sheet.fit_to_pages(1, 1)
        sheet.set_row(1, 32)  # the two-line headers
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        row = 2 + len(summary) + 1
        for note in notes:
            sheet.merge_range(row, 0, row, len(COLUMNS) - 1, note, wrap)
            sheet.set_row(row, 30)
            row += 1
    finally:
        book.close()


def weekly_workbook_bytes(
    summary: pd.DataFrame, result: ComplianceResult, policy: Policy, **kwargs: object
) -> bytes:
    buffer = io.BytesIO()
    write_weekly_workbook(buffer, summary, result, policy, **kwargs)  # type: ignore[arg-type]
    return buffer.getvalue()
