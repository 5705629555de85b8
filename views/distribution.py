"""客户分布: Altair charts of aggregates (never one mark per customer) and a searchable customer table."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from core.csvsafe import csv_bytes
from core.policy import Policy
from core.segment import summarize
from ui import data
from ui.context import ADMIN, MANAGERS, Ctx, require_outlet, require_role
from ui.downloads import download
from ui.fmt import count
from ui.guide import link_to
from ui.tables import show_customers
from ui.views import stored_owners

HIST_BINS = 40


def render(ctx: Ctx) -> None:
    require_role(ctx, MANAGERS)
    outlet = require_outlet(ctx)
    st.title(ctx.t("ui.page.distribution"))
    policy, label = data.active_policy(ctx.engine, outlet, ctx.lang)
    snap = data.latest_snapshot(ctx.engine, outlet)
    if snap is None:
        st.info(ctx.t("ui.no_snapshot"))
        link_to(ctx, "upload")
        return
    seg = data.snapshot_segmented(ctx.engine, snap, policy)
    st.caption(ctx.t("ui.dist.caption", as_of=snap.as_of, customers=count(len(seg)), policy=label))
    summary = summarize(seg, policy)
    summary["label"] = [ctx.t(f"tier.{c}") for c in summary["tier"]]
    order = summary["label"].tolist()
    left, right = st.columns(2)
    left.altair_chart(
        bar(summary, "count", ctx.t("ui.col.count"), order, ctx.t("ui.col.tier")), width="stretch"
    )
    right.altair_chart(
        bar(summary, "assets", ctx.t("ui.col.assets"), order, ctx.t("ui.col.tier")), width="stretch"
    )

    st.subheader(ctx.t("ui.dist.histogram"))
    hist, zero = asset_histogram(seg["assets"].to_numpy(dtype=np.float64))
    st.altair_chart(histogram_chart(ctx, hist, policy), width="stretch")
    if zero:
        st.caption(ctx.t("ui.dist.zero", n=count(zero)))

    left, right = st.columns(2)
    with left:
        st.subheader(ctx.t("ui.dist.gaps"))
        gaps = gap_histogram(seg, policy)
        if gaps.empty:
            st.caption(ctx.t("ui.dist.none"))
        else:
            st.altair_chart(gap_chart(ctx, gaps), width="stretch")
    with right:
        st.subheader(ctx.t("ui.dist.maturities", days=policy.maturity.window_days))
        weeks = maturity_weeks(seg, snap.as_of, policy)
        if weeks.empty:
            st.caption(ctx.t("ui.dist.none"))
        else:
            st.altair_chart(
                alt.Chart(weeks)
                .mark_bar()
                .encode(
                    x=alt.X("week:N", title=ctx.t("ui.dist.week"), sort=None),
                    y=alt.Y("customers:Q", title=ctx.t("ui.col.count")),
                    tooltip=["week", "customers", alt.Tooltip("assets:Q", format=",.0f")],
                ),
                width="stretch",
            )

    if ctx.role == ADMIN:
        outlets_side_by_side(ctx)
    table(ctx, stored_owners(ctx.engine, snap.id, seg), policy)


def bar(summary: pd.DataFrame, field: str, title: str, order: list[str], axis: str) -> alt.Chart:
    return (
        alt.Chart(summary[["label", field]])
        .mark_bar()
        .encode(
            x=alt.X("label:N", sort=order, title=axis, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{field}:Q", title=title),
            tooltip=["label", alt.Tooltip(f"{field}:Q", format=",.0f")],
        )
        .properties(title=title, height=260)
    )


def asset_histogram(assets: np.ndarray) -> tuple[pd.DataFrame, int]:
    """Counts on log-spaced bins of the positive amounts, and how many customers hold nothing."""
    positive = assets[assets > 0]
    zero = int((assets <= 0).sum())
    if positive.size == 0:
        return pd.DataFrame(columns=["start", "end", "customers"]), zero
    low, high = np.floor(np.log10(positive.min())), np.ceil(np.log10(positive.max()))
    edges = np.logspace(low, max(high, low + 1), HIST_BINS + 1)
    counts, _ = np.histogram(positive, bins=edges)
    return pd.DataFrame({"start": edges[:-1], "end": edges[1:], "customers": counts}), zero


# Yuan as a branch reads them (5,000 / 1万 / 20万 / 100万), not SI suffixes ("1k", "200k", "1M").
# Powers of ten only: every tick of a log axis labelled would crowd and Vega drops an uneven set of them.
ASSET_AXIS = alt.Axis(
    values=[10**k for k in range(0, 10)],
    labelExpr="datum.value >= 10000 ? format(datum.value / 10000, ',~r') + '万' : format(datum.value, ',~r')",
)


def histogram_chart(ctx: Ctx, hist: pd.DataFrame, policy: Policy) -> alt.LayerChart:
    x = alt.X("start:Q", scale=alt.Scale(type="log"), title=ctx.t("ui.col.assets"), axis=ASSET_AXIS)
    bars = (
        alt.Chart(hist)
        .mark_rect(opacity=0.85)
        .encode(
            x=x,
            x2="end:Q",
            y=alt.Y("customers:Q", title=ctx.t("ui.col.count")),
            y2=alt.datum(0),
            tooltip=[
                alt.Tooltip("start:Q", format=",.0f"),
                alt.Tooltip("end:Q", format=",.0f"),
                "customers:Q",
            ],
        )
    )
    bounds = pd.DataFrame(
        {
            "start": [t.lower for t in policy.tiers[1:]],
            "label": [f"{ctx.t(f'tier.{t.code}')} ≥ {t.lower:,.0f}" for t in policy.tiers[1:]],
            "ypos": [
                12 + 14 * i for i in range(len(policy.tiers) - 1)
            ],  # staggered: close bounds stay legible
        }
    )
    rules = alt.Chart(bounds).mark_rule(color="#c0392b", strokeDash=[4, 3]).encode(x="start:Q")
    labels = (
        alt.Chart(bounds)
        .mark_text(align="left", dx=4, dy=-6, color="#c0392b")
        .encode(x="start:Q", y=alt.Y("ypos:Q", scale=None, axis=None), text="label:N")
    )
    return (bars + rules + labels).properties(height=300)


def gap_histogram(seg: pd.DataFrame, policy: Policy, bins: int = 10) -> pd.DataFrame:
    """Near-threshold customers per reward level and gap bin (bins of a tenth of each band, closest first)."""
    rows = []
    for band in policy.bands:
        gaps = seg.loc[seg["near_level"] == band.level, "gap"].to_numpy(dtype=np.float64)
        if gaps.size == 0:
            continue
        edges = np.linspace(0, band.level - band.lower, bins + 1)
        counts, _ = np.histogram(gaps, bins=edges)
        for i, (lo, hi, n) in enumerate(zip(edges[:-1], edges[1:], counts, strict=True)):
            rows.append(
                {
                    "level": f"{band.level:,.0f}",
                    "bin": i,
                    "range": f"{lo:,.0f} – {hi:,.0f}",
                    "customers": int(n),
                }
            )
    return pd.DataFrame(rows, columns=["level", "bin", "range", "customers"])


def gap_chart(ctx: Ctx, gaps: pd.DataFrame) -> alt.Chart:
    """One group of bars per reward level, from the smallest gap (left) to the largest."""
    order = list(dict.fromkeys(gaps["level"]))
    return (
        alt.Chart(gaps)
        .mark_bar()
        .encode(
            x=alt.X("level:N", sort=order, title=ctx.t("ui.dist.gap_axis"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("bin:O"),
            y=alt.Y("customers:Q", title=ctx.t("ui.col.count")),
            color=alt.Color("bin:O", scale=alt.Scale(scheme="greens", reverse=True), legend=None),
            tooltip=[
                alt.Tooltip("level:N", title=ctx.t("ui.col.level")),
                alt.Tooltip("range:N", title=ctx.t("ui.dist.gap")),
                alt.Tooltip("customers:Q", title=ctx.t("ui.col.count")),
            ],
        )
        .properties(height=260)
    )


def maturity_weeks(seg: pd.DataFrame, as_of, policy: Policy) -> pd.DataFrame:
    """Maturing customers (within the policy window) per week, weeks starting on Monday."""
    due = seg.loc[seg["maturing"], ["maturity_date", "assets"]].copy()
    if due.empty:
        return pd.DataFrame(columns=["week", "customers", "assets"])
    dates = pd.to_datetime(due["maturity_date"])
    due["week"] = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
    out = (
        due.groupby("week", sort=True)
        .agg(customers=("assets", "size"), assets=("assets", "sum"))
        .reset_index()
    )
    return out


def outlets_side_by_side(ctx: Ctx) -> None:
    """Admin: every outlet's latest snapshot, tier counts side by side."""
    frames = []
    for outlet in data.known_outlets(ctx.engine):
        snap = data.latest_snapshot(ctx.engine, outlet)
        if snap is None:
            continue
        policy, _ = data.active_policy(ctx.engine, outlet, ctx.lang)
        summary = summarize(data.snapshot_segmented(ctx.engine, snap, policy), policy)
        summary["outlet"] = outlet
        summary["label"] = [ctx.t(f"tier.{c}") for c in summary["tier"]]
        frames.append(summary)
    if len(frames) < 1:
        return
    st.subheader(ctx.t("ui.dist.outlets"))
    both = pd.concat(frames, ignore_index=True)
    st.altair_chart(
        alt.Chart(both)
        .mark_bar()
        .encode(
            x=alt.X("outlet:N", title=ctx.t("ui.sidebar.outlet")),
            xOffset=alt.XOffset("label:N", sort=[ctx.t(f"tier.{c}") for c in both["tier"].unique()]),
            y=alt.Y("count:Q", title=ctx.t("ui.col.count")),
            color=alt.Color("label:N", title=ctx.t("ui.col.tier"), sort=None),
            tooltip=["outlet", "label", "count", alt.Tooltip("assets:Q", format=",.0f")],
        )
        .properties(height=300),
        width="stretch",
    )


@st.fragment
def table(ctx: Ctx, seg: pd.DataFrame, policy: Policy) -> None:
    """Search and filters re-run only this fragment; the charts above stay as they are."""
    st.subheader(ctx.t("ui.dist.table"))
    c = st.columns([2, 2, 1, 1])
    text = c[0].text_input(ctx.t("ui.dist.search_owner"), key="dist_search")
    tiers = c[1].multiselect(
        ctx.t("ui.col.tier"),
        list(policy.tier_codes),
        format_func=lambda code: ctx.t(f"tier.{code}"),
        key="dist_tiers",
        placeholder=ctx.t("ui.widget.choose"),
    )
    near_only = c[2].checkbox(ctx.t("group.near"), key="dist_near")
    maturing_only = c[3].checkbox(ctx.t("group.maturing"), key="dist_maturing")
    mask = np.ones(len(seg), dtype=bool)
    if tiers:
        mask &= seg["tier"].isin(tiers).to_numpy()
    if near_only:
        mask &= seg["near_level"].notna().to_numpy()
    if maturing_only:
        mask &= seg["maturing"].to_numpy(dtype=bool)
    if text.strip():
        needle = text.strip()
        hit = np.zeros(len(seg), dtype=bool)
        for column in ("customer_id", "name", "phone", "owner", "manager"):
            if column in seg.columns:
                hit |= seg[column].astype("string").str.contains(needle, regex=False, na=False).to_numpy()
        mask &= hit
    st.caption(ctx.t("ui.dist.matches", n=count(int(mask.sum()))))
    shown = show_customers(ctx, seg.loc[mask], height=420)
    download(
        st,
        ctx,
        ctx.t("ui.dist.download"),
        csv_bytes(shown),
        file_name="客户列表.csv",
        mime="text/csv",
        key="dist_download",
        kind="customer_list",
        outlet=ctx.outlet,
        rows=len(shown),
        masked=False,
    )
