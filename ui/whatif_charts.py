"""Pictures of the what-if (分层策略): the asset distribution with the saved and edited tier bounds drawn on it,
customers per tier before and after as paired bars, and the tier migration as a heatmap.

Everything is aggregated with numpy before charting (a few dozen bins, a tier x tier matrix), so a bound change
at 100,000 customers sends the browser a few hundred values, never the customers. The aggregation functions are
plain and tested; ``show`` draws them inside the what-if fragment.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from core.policy import Policy
from ui.charts import migration_heatmap

BINS_PER_DECADE = 12
FLOOR = 100.0  # balances below 100 元 share the first bin: on a log axis they would stretch it to zero
SAVED_COLOR = "#8c8c8c"
EDITED_COLOR = "#d62728"


def asset_histogram(assets: np.ndarray, top: float | None = None) -> pd.DataFrame:
    """Customers per log-spaced asset bin: lower, upper, count (bins from FLOOR up past the largest balance)."""
    values = np.maximum(np.asarray(assets, dtype=np.float64), FLOOR)
    high = max(float(values.max()) if values.size else FLOOR * 10, top or 0.0, FLOOR * 10)
    decades = int(np.ceil(np.log10(high / FLOOR) + 1e-9))
    edges = FLOOR * 10 ** (np.arange(decades * BINS_PER_DECADE + 1) / BINS_PER_DECADE)
    counts, _ = np.histogram(values, bins=edges)
    return pd.DataFrame({"lower": edges[:-1], "upper": edges[1:], "count": counts.astype(np.int64)})


def bound_lines(
    saved: Policy, proposed: Policy, labels: Sequence[str], saved_label: str, edited_label: str
) -> pd.DataFrame:
    """One row per tier lower bound (the first tier's 0 is no line) under each policy: value, which, tier."""
    rows = []
    for which, policy in ((saved_label, saved), (edited_label, proposed)):
        for label, lower in zip(labels[1:], policy.tier_lowers[1:], strict=True):
            rows.append({"value": float(lower), "which": which, "tier": label})
    return pd.DataFrame(rows, columns=["value", "which", "tier"])


def paired_counts(
    labels: Sequence[str], before: np.ndarray, after: np.ndarray, saved_label: str, edited_label: str
) -> pd.DataFrame:
    """Long frame for paired bars: tier, which (saved/edited), count."""
    return pd.DataFrame(
        {
            "tier": [*labels, *labels],
            "which": [saved_label] * len(labels) + [edited_label] * len(labels),
            "count": np.concatenate([np.asarray(before), np.asarray(after)]).astype(np.int64),
        }
    )


def migration_cells(labels: Sequence[str], moves: np.ndarray) -> pd.DataFrame:
    """Long frame of the tier x tier move matrix: before, after, count (every cell, zeros included)."""
    n = len(labels)
    return pd.DataFrame(
        {
            "before": np.repeat(np.asarray(labels, dtype=object), n),
            "after": np.tile(np.asarray(labels, dtype=object), n),
            "count": np.asarray(moves, dtype=np.int64).reshape(-1),
        }
    )


def show(
    t,
    assets: np.ndarray,
    saved: Policy,
    proposed: Policy,
    labels: Sequence[str],
    before: np.ndarray,
    after: np.ndarray,
    moves: np.ndarray,
) -> None:
    """The three pictures in tabs; ``t`` is the page's message function (ctx.t)."""
    distribution, paired, heatmap = charts(t, assets, saved, proposed, labels, before, after, moves)
    tabs = st.tabs(
        [t("whatif.chart.tab_distribution"), t("whatif.chart.tab_tiers"), t("whatif.chart.tab_moves")]
    )
    with tabs[0]:
        st.altair_chart(distribution, width="stretch")
        st.caption(t("whatif.chart.distribution_note"))
    with tabs[1]:
        st.altair_chart(paired, width="stretch")
    with tabs[2]:
        st.altair_chart(heatmap, width="stretch")
        st.caption(t("whatif.chart.moves_note"))


def charts(
    t,
    assets: np.ndarray,
    saved: Policy,
    proposed: Policy,
    labels: Sequence[str],
    before: np.ndarray,
    after: np.ndarray,
    moves: np.ndarray,
) -> tuple[alt.LayerChart, alt.Chart, alt.LayerChart]:
    """The distribution with both sets of bounds, the paired tier bars and the migration heatmap."""
    saved_label, edited_label = t("whatif.chart.saved"), t("whatif.chart.edited")
    top = float(max(saved.tier_lowers[-1], proposed.tier_lowers[-1])) * 2
    hist = asset_histogram(assets, top)
    lines = bound_lines(saved, proposed, labels, saved_label, edited_label)
    colors = alt.Scale(domain=[saved_label, edited_label], range=[SAVED_COLOR, EDITED_COLOR])
    x = alt.X("lower:Q", scale=alt.Scale(type="log"), title=t("whatif.chart.assets_axis"))
    bars = (
        alt.Chart(hist)
        .mark_bar(color="#4c78a8", opacity=0.75)
        .encode(
            x=x,
            x2="upper:Q",
            y=alt.Y("count:Q", title=t("whatif.chart.customers_axis")),
            tooltip=[
                alt.Tooltip("lower:Q", format=",.0f", title=t("whatif.chart.from")),
                alt.Tooltip("upper:Q", format=",.0f", title=t("whatif.chart.to")),
                alt.Tooltip("count:Q", format=",", title=t("whatif.chart.customers_axis")),
            ],
        )
    )
    rules = (
        alt.Chart(lines)
        .mark_rule(strokeWidth=2)
        .encode(
            x="value:Q",
            color=alt.Color("which:N", scale=colors, title=None, legend=alt.Legend(orient="top")),
            strokeDash=alt.StrokeDash(
                "which:N",
                scale=alt.Scale(domain=[saved_label, edited_label], range=[[5, 4], [1, 0]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("which:N", title=" "),
                alt.Tooltip("tier:N"),
                alt.Tooltip("value:Q", format=",.0f"),
            ],
        )
    )
    pairs = paired_counts(labels, before, after, saved_label, edited_label)
    paired = (
        alt.Chart(pairs)
        .mark_bar()
        .encode(
            x=alt.X("tier:N", sort=list(labels), title=None),
            xOffset=alt.XOffset("which:N", sort=[saved_label, edited_label]),
            y=alt.Y("count:Q", title=t("whatif.chart.customers_axis")),
            color=alt.Color("which:N", scale=colors, title=None, legend=alt.Legend(orient="top")),
            tooltip=["tier:N", "which:N", alt.Tooltip("count:Q", format=",")],
        )
        .properties(height=260)
    )
    heat = migration_heatmap(
        migration_cells(labels, moves),
        labels,
        before_title=t("whatif.chart.before_axis"),
        after_title=t("whatif.chart.after_axis"),
        count_title=t("whatif.chart.customers_axis"),
        scheme="blues",
        height=240,
    )
    return (bars + rules).properties(height=260), paired, heat
