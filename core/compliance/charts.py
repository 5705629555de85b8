"""Chart specs of the 联络合规 page (Altair, on frames already aggregated by core.compliance): no streamlit here."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.compliance.funnel import FUNNEL_STAGES
from core.i18n import t
from core.policy import Policy


def bars_height(rows: int) -> int:
    """Pixels for a chart with one band per row, so every label shows."""
    return 60 + 34 * max(rows, 2)


def rate_bars(frame: pd.DataFrame, field: str, order: list[str], lang: str = "zh") -> alt.Chart:
    return (
        alt.Chart(frame[[field, "rate", "due", "met", "pending"]])
        .mark_bar()
        .encode(
            x=alt.X(
                "rate:Q",
                title=t("compliance.col.rate", lang),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            y=alt.Y(f"{field}:N", title=None, sort=order),
            color=alt.Color("rate:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[0, 1]), legend=None),
            tooltip=[
                alt.Tooltip(f"{field}:N", title=""),
                alt.Tooltip("rate:Q", title=t("compliance.col.rate", lang), format=".1%"),
                *_count_tooltips(lang),
            ],
        )
    )


def _count_tooltips(lang: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("due:Q", title=t("compliance.col.due_count", lang)),
        alt.Tooltip("met:Q", title=t("compliance.col.met", lang)),
        alt.Tooltip("pending:Q", title=t("compliance.col.pending", lang)),
    ]


def heatmap_cells(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Every person x week with a requirement; ``label`` is the rate, or 未到期 where nothing is due yet (a future
    week is not 100 %)."""
    cells = frame[["staff", "week", "rate", "due", "met", "pending"]].copy()
    not_due = t("compliance.heat.not_due", lang)
    cells["label"] = [
        not_due if pd.isna(rate) else f"{rate:.0%}" for rate in cells["rate"].astype("float64").tolist()
    ]
    return cells.loc[(cells["due"] > 0) | (cells["pending"] > 0)].reset_index(drop=True)


def heatmap(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    cells = heatmap_cells(frame, lang)
    base = alt.Chart(cells).encode(
        x=alt.X("week:O", title=t("compliance.col.week", lang)),
        y=alt.Y("staff:N", title=None),
        tooltip=[
            alt.Tooltip("staff:N", title=t("compliance.col.staff", lang)),
            alt.Tooltip("week:O", title=t("compliance.col.week", lang)),
            alt.Tooltip("label:N", title=t("compliance.col.rate", lang)),
            *_count_tooltips(lang),
        ],
    )
    rated = (
        base.transform_filter("isValid(datum.rate)")
        .mark_rect()
        .encode(
            color=alt.Color(
                "rate:Q",
                title=t("compliance.col.rate", lang),
                scale=alt.Scale(scheme="redyellowgreen", domain=[0, 1]),
            ),
        )
    )
    waiting = base.transform_filter("!isValid(datum.rate)").mark_rect(color="#e6e6e6")
    text = base.mark_text(fontSize=11).encode(text="label:N")
    return rated + waiting + text


def funnel_chart(frame: pd.DataFrame, policy: Policy, lang: str = "zh") -> alt.Chart:
    stages = ["planned", *[k for k, _ in FUNNEL_STAGES]]
    long = frame.melt(id_vars="tier", value_vars=stages, var_name="stage", value_name="customers")
    long["stage_label"] = long["stage"].map(lambda s: t(f"compliance.funnel.{s}", lang))
    long["tier_label"] = long["tier"].map(lambda c: t(f"tier.{c}", lang))
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("stage_label:N", title=None, sort=[t(f"compliance.funnel.{s}", lang) for s in stages]),
            xOffset=alt.XOffset("tier_label:N", sort=[t(f"tier.{c}", lang) for c in policy.tier_codes]),
            y=alt.Y("customers:Q", title=t("compliance.ui.customers", lang)),
            color=alt.Color(
                "tier_label:N", title=None, sort=[t(f"tier.{c}", lang) for c in policy.tier_codes]
            ),
            tooltip=["tier_label:N", "stage_label:N", "customers:Q"],
        )
    )


def trend_chart(frame: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    shown = frame.dropna(subset=["rate"])
    return (
        alt.Chart(shown)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title=None),
            y=alt.Y(
                "rate:Q",
                title=t("compliance.col.rate", lang),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=[
                alt.Tooltip("period:O", title=t("compliance.col.period", lang)),
                alt.Tooltip("rate:Q", title=t("compliance.col.rate", lang), format=".1%"),
                *_count_tooltips(lang),
                alt.Tooltip("overdue:Q", title=t("compliance.col.overdue", lang)),
            ],
        )
    )
