"""The compliance report workbook: every figure of the 联络合规 page, as formatted sheets (core.xlsx)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import pandas as pd

from core.calendar import parse_period
from core.compliance.funnel import FUNNEL_STAGES
from core.compliance.rules import ComplianceResult
from core.i18n import t
from core.policy import Policy
from core.xlsx import ColumnSpec, new_workbook, write_sheet


def current_period(labels: Sequence[str], today: dt.date) -> int:
    """Where a period list (months, ISO weeks or quarters, newest first) opens: the newest period that has begun
    by ``today`` (the current one, else the last finished), never a future one; 0 when every one lies ahead."""
    return next((i for i, label in enumerate(labels) if parse_period(label).start <= today), 0)


def overdue_by_staff(result: ComplianceResult) -> pd.DataFrame:
    """Overdue requirements per person (staff, overdue), most first (then by name)."""
    overdue = result.overdue
    if not len(overdue):
        empty = pd.DataFrame({"staff": pd.Series(dtype="string"), "overdue": pd.Series(dtype="int64")})
        return empty
    counts = overdue["staff"].astype("string").fillna("—").value_counts().rename("overdue").reset_index()
    counts.columns = ["staff", "overdue"]
    return counts.sort_values(["overdue", "staff"], ascending=[False, True], ignore_index=True)


def overdue_sorted(result: ComplianceResult) -> pd.DataFrame:
    """``result.overdue`` with the person with most overdue first; inside a person the engine's order (higher tier,
    then larger assets first)."""
    overdue = result.overdue
    if not len(overdue):
        return overdue
    rank = {s: i for i, s in enumerate(overdue_by_staff(result)["staff"])}
    order = overdue["staff"].astype("string").fillna("—").map(rank)
    return (
        overdue.assign(_rank=order.to_numpy())
        .sort_values("_rank", kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def _label(frame: pd.DataFrame, column: str, prefix: str, lang: str) -> pd.Series:
    return frame[column].map(lambda v: t(f"{prefix}.{v}", lang) if isinstance(v, str) and v else v)


def _rate_columns(lang: str) -> list[ColumnSpec]:
    return [
        ColumnSpec(t("compliance.col.required", lang), "int", key="required"),
        ColumnSpec(t("compliance.col.due_count", lang), "int", key="due"),
        ColumnSpec(t("compliance.col.met", lang), "int", key="met"),
        ColumnSpec(t("compliance.col.pending", lang), "int", key="pending"),
        ColumnSpec(t("compliance.col.overdue", lang), "int", key="overdue"),
        ColumnSpec(t("compliance.col.rate", lang), "percent", key="rate"),
    ]


def requirement_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Requirements (or the overdue list) with codes turned into the words staff use."""
    out = frame.copy()
    out["tier_label"] = _label(out, "tier", "tier", lang)
    out["channel_label"] = _label(out, "channel", "channel", lang)
    out["kind_label"] = _label(out, "kind", "compliance.kind", lang)
    out["status_label"] = _label(out, "status", "compliance.status", lang)
    return out


def requirement_columns(lang: str) -> list[ColumnSpec]:
    return [
        ColumnSpec(t("compliance.col.staff", lang), key="staff"),
        ColumnSpec(t("compliance.col.customer_id", lang), key="customer_id", width=16),
        ColumnSpec(t("compliance.col.name", lang), key="name"),
        ColumnSpec(t("compliance.col.tier", lang), key="tier_label"),
        ColumnSpec(t("compliance.col.assets", lang), "money", key="assets"),
        ColumnSpec(t("compliance.col.kind", lang), key="kind_label", width=16),
        ColumnSpec(t("compliance.col.channel", lang), key="channel_label", width=8),
        ColumnSpec(t("compliance.col.due", lang), "date", key="due_date"),
        ColumnSpec(t("compliance.col.window_start", lang), "date", key="window_start"),
        ColumnSpec(t("compliance.col.window_end", lang), "date", key="window_end"),
        ColumnSpec(t("compliance.col.required", lang), "int", key="required"),
        ColumnSpec(t("compliance.col.done", lang), "int", key="done"),
        ColumnSpec(t("compliance.col.status", lang), key="status_label"),
    ]


def compliance_workbook(
    result: ComplianceResult,
    policy: Policy,
    *,
    outlet: str,
    trend: pd.DataFrame | None = None,
    lang: str = "zh",
) -> bytes:
    """概况, per tier, per staff, per week, staff x week, overdue list, funnel, trend and every requirement.

    Rate sheets carry required, due, met, pending, overdue and the rate (met / due; an empty cell when nothing is
    due); the summary's rate is "—" then.
    """
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    overall = result.overall
    summary = pd.DataFrame(
        {
            "item": [
                t("compliance.col.outlet", lang),
                t("compliance.col.period", lang),
                t("compliance.col.as_of", lang),
                t("compliance.col.required", lang),
                t("compliance.col.due_count", lang),
                t("compliance.col.met", lang),
                t("compliance.col.pending", lang),
                t("compliance.col.rate", lang),
                t("compliance.col.overdue", lang),
                t("compliance.col.policy", lang),
            ],
            "value": [
                outlet,
                result.period.label,
                result.as_of.isoformat() if result.as_of else "—",
                f"{result.required:,}",
                f"{result.due:,}",
                f"{result.met_contacts:,}",
                f"{result.pending:,}",
                "—" if overall is None else f"{overall:.1%}",
                f"{len(result.overdue):,}",
                policy.name,
            ],
        }
    )
    title = t("compliance.report.title", lang, outlet=outlet, period=result.period.label)
    write_sheet(
        book,
        t("compliance.sheet.summary", lang),
        summary,
        columns=[
            ColumnSpec(t("compliance.col.item", lang), key="item", width=16),
            ColumnSpec("", key="value", width=24),
        ],
        title=title,
        autofilter=False,
        landscape=False,
    )
    by_tier = result.by_tier.assign(tier_label=_label(result.by_tier, "tier", "tier", lang))
    write_sheet(
        book,
        t("compliance.sheet.tier", lang),
        by_tier,
        columns=[ColumnSpec(t("compliance.col.tier", lang), key="tier_label"), *_rate_columns(lang)],
    )
    write_sheet(
        book,
        t("compliance.sheet.staff", lang),
        result.by_staff,
        columns=[ColumnSpec(t("compliance.col.staff", lang), key="staff"), *_rate_columns(lang)],
    )
    write_sheet(
        book,
        t("compliance.sheet.week", lang),
        result.by_week,
        columns=[ColumnSpec(t("compliance.col.week", lang), key="week"), *_rate_columns(lang)],
    )
    write_sheet(
        book,
        t("compliance.sheet.staff_week", lang),
        result.by_staff_week,
        columns=[
            ColumnSpec(t("compliance.col.staff", lang), key="staff"),
            ColumnSpec(t("compliance.col.week", lang), key="week"),
            *_rate_columns(lang),
        ],
    )
    write_sheet(
        book,
        t("compliance.sheet.overdue", lang),
        requirement_frame(result.overdue, lang),
        columns=requirement_columns(lang),
    )
    funnel = result.funnel.assign(tier_label=_label(result.funnel, "tier", "tier", lang))
    write_sheet(
        book,
        t("compliance.sheet.funnel", lang),
        funnel,
        columns=[
            ColumnSpec(t("compliance.col.tier", lang), key="tier_label"),
            ColumnSpec(t("compliance.funnel.planned", lang), "int", key="planned"),
            *[ColumnSpec(t(f"compliance.funnel.{key}", lang), "int", key=key) for key, _ in FUNNEL_STAGES],
        ],
    )
    if trend is not None:
        write_sheet(
            book,
            t("compliance.sheet.trend", lang),
            trend,
            columns=[ColumnSpec(t("compliance.col.period", lang), key="period"), *_rate_columns(lang)],
        )
    write_sheet(
        book,
        t("compliance.sheet.detail", lang),
        requirement_frame(result.requirements, lang),
        columns=requirement_columns(lang),
    )
    book.close()
    return buffer.getvalue()
