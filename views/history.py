"""历史对比: two snapshots of the outlet side by side: migration heatmap, up/down, outflow alerts, rewards earned."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.csvsafe import csv_bytes
from ui import data
from ui.charts import tier_migration_heatmap
from ui.context import MANAGERS, Ctx, require_outlet, require_role
from ui.downloads import download
from ui.fmt import AMOUNT, PCT_POINTS, count
from ui.guide import link_to
from ui.tables import show_table

LISTS = ("up", "down", "outflow", "fulfilment", "new", "gone")


def render(ctx: Ctx) -> None:
    require_role(ctx, MANAGERS)
    outlet = require_outlet(ctx)
    st.title(ctx.t("ui.page.history"))
    snaps = data.snapshots(ctx.engine, outlet)
    if len(snaps) < 2:
        st.info(ctx.t("ui.history.need_two", n=len(snaps)))
        link_to(ctx, "upload")
        return
    policy, label = data.active_policy(ctx.engine, outlet, ctx.lang)
    labels = {s.id: s.label() for s in snaps}
    c = st.columns(2)
    before_id = c[0].selectbox(
        ctx.t("ui.history.before"), list(labels), index=1, format_func=labels.get, key="hist_before"
    )
    after_id = c[1].selectbox(
        ctx.t("ui.history.after"), list(labels), index=0, format_func=labels.get, key="hist_after"
    )
    if before_id == after_id:
        st.warning(ctx.t("ui.history.same"))
        return
    before = next(s for s in snaps if s.id == before_id)
    after = next(s for s in snaps if s.id == after_id)
    if before.as_of > after.as_of:
        st.caption(ctx.t("ui.history.reversed"))
    result = data.comparison(ctx.engine, ctx.actor, before, after, policy)
    st.caption(
        ctx.t(
            "ui.history.caption",
            before=before.as_of,
            after=after.as_of,
            policy=label,
            pct=f"{policy.history.outflow_pct:g}",
        )
    )
    m = st.columns(len(LISTS))
    for column, key in zip(m, LISTS, strict=True):
        column.metric(ctx.t(f"ui.history.{key}"), count(len(getattr(result, key))))
    st.subheader(ctx.t("ui.history.matrix"))
    st.altair_chart(tier_migration_heatmap(ctx, result.matrix, policy), width="stretch")
    tabs = st.tabs([ctx.t(f"ui.history.{key}") for key in LISTS])
    for tab, key in zip(tabs, LISTS, strict=True):
        with tab:
            frame = readable(ctx, getattr(result, key))
            show_table(frame, {ctx.t(HEADINGS[c]): k for c, k in KINDS.items()}, height=360)
            download(
                st,
                ctx,
                ctx.t("ui.history.download", what=ctx.t(f"ui.history.{key}")),
                csv_bytes(frame),
                file_name=f"{outlet}-{ctx.t(f'ui.history.{key}')}-{before.as_of}-{after.as_of}.csv",
                mime="text/csv",
                key=f"hist_dl_{key}",
                kind=f"history_{key}",
                outlet=outlet,
                rows=len(frame),
                masked=False,
                detail={"before": before.id, "after": after.id},
            )


HEADINGS = {
    "customer_id": "ingest.field.customer_id",
    "name": "ingest.field.name",
    "tier": "ui.col.tier",
    "tier_before": "ui.history.before_tier",
    "tier_after": "ui.history.after_tier",
    "assets": "ui.col.assets",
    "assets_before": "ui.history.assets_before",
    "assets_after": "ui.history.assets_after",
    "change": "ui.history.change",
    "change_pct": "ui.history.change_pct",
    "drop_pct": "ui.history.drop_pct",
    "level": "ui.col.level",
    "gift": "ui.col.gift",
    "gift_value": "ui.col.gift_value",
    "raised": "ui.history.raised",
    "points": "ui.history.points",
    "points_cost": "ui.col.points_cost",
    "was_near": "ui.history.was_near",
}


KINDS = {
    "assets": AMOUNT,
    "assets_before": AMOUNT,
    "assets_after": AMOUNT,
    "change": AMOUNT,
    "change_pct": PCT_POINTS,
    "drop_pct": PCT_POINTS,
    "level": AMOUNT,
    "gift_value": AMOUNT,
    "raised": AMOUNT,
    "points": AMOUNT,
    "points_cost": AMOUNT,
}


def readable(ctx: Ctx, frame: pd.DataFrame) -> pd.DataFrame:
    """The list with tier names and headings in the chosen language, money and percentages to two decimals (the
    CSV too: no 30464.600000000006); other columns kept as they are."""
    out = frame.copy()
    for column in KINDS:
        if column in out.columns:
            out[column] = out[column].astype("float64").round(2)
    for column in ("tier", "tier_before", "tier_after"):
        if column in out.columns:
            out[column] = [
                ctx.t(f"tier.{c}") if isinstance(c, str) else "" for c in out[column].astype(object)
            ]
    return out.rename(columns={c: ctx.t(k) for c, k in HEADINGS.items() if c in out.columns})
