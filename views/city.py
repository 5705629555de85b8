"""全市网点 (admin): every outlet side by side on the outcome figures, a chart, and a read-only drill-in."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from core import services
from core.csvsafe import csv_bytes
from core.roles import Actor
from ui import data
from ui.context import ADMIN, Ctx, require_role
from ui.downloads import download
from ui.fmt import AMOUNT, COUNT, PCT
from ui.frame import drill_into
from ui.text import plain

KINDS = {
    "customers": COUNT,
    "avg_assets": AMOUNT,
    "promoted": COUNT,
    "demoted": COUNT,
    "compliance_rate": PCT,
    "deferred": COUNT,
    "campaign_cost": AMOUNT,
    "campaign_earned": COUNT,
}
CHARTED = ("avg_assets", "customers", "promoted", "compliance_rate", "campaign_cost")


@st.cache_data(show_spinner=False, max_entries=4, ttl=600)
def _city(db: str, user: str, version: int, today: dt.date, _engine: Engine, _actor: Actor) -> pd.DataFrame:
    return services.city_overview(_engine, _actor, today=today)


def render(ctx: Ctx) -> None:
    require_role(ctx, {ADMIN})
    st.title(ctx.t("ui.page.city"))
    frame = _city(
        data.db_key(ctx.engine),
        ctx.username,
        services.data_version(ctx.engine),
        ctx.today,
        ctx.engine,
        ctx.actor,
    )
    if frame.empty:
        st.info(ctx.t("ui.city.none"))
        return
    st.caption(ctx.t("ui.city.caption"))
    view = _headed(ctx, frame)
    # Numbers stay numbers so that clicking a heading sorts by value, not by text.
    # Amounts in whole yuan on screen (15,095, not 15,095.22 beside 13,588.6); the CSV keeps the fen.
    shown = view.round({_heading(ctx, c): 0 for c, k in KINDS.items() if k == AMOUNT and c in frame.columns})
    st.dataframe(shown, column_config=_config(ctx, frame), hide_index=True, width="stretch", key="city_table")
    download(
        st,
        ctx,
        ctx.t("ui.city.download"),
        csv_bytes(view),
        file_name=f"全市网点经营成效-{ctx.today}.csv",
        mime="text/csv",
        key="city_download",
        kind="city",
        outlet=None,
        rows=len(frame),
        masked=True,  # one row per outlet: figures, no customer
    )
    charted = [c for c in (*CHARTED, *_share_columns(frame)) if c in frame.columns]
    metric = st.selectbox(
        ctx.t("ui.city.metric"), charted, format_func=lambda c: _heading(ctx, c), key="city_metric"
    )
    chart_data = frame[["outlet", metric]].rename(columns={metric: "value"})
    axis = alt.Axis(format="%") if metric.startswith("share_") or metric == "compliance_rate" else alt.Axis()
    st.altair_chart(
        alt.Chart(chart_data)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=_heading(ctx, metric), axis=axis),
            y=alt.Y("outlet:N", sort="-x", title=None),
            tooltip=["outlet", alt.Tooltip("value:Q", format=",.3~f")],
        )
        .properties(height=max(120, 28 * len(chart_data))),
        width="stretch",
    )
    st.subheader(ctx.t("ui.city.drill"))
    c = st.columns([3, 1])
    chosen = c[0].selectbox(ctx.t("outcomes.col.outlet"), frame["outlet"].tolist(), key="city_drill")
    c[1].button(ctx.t("ui.city.drill_button"), key="city_drill_go", on_click=_drill)
    if st.session_state.get("admin_drill_outlet") == chosen:
        st.success(ctx.t("ui.city.drilled", outlet=plain(chosen)))


def _drill() -> None:
    # The choice as it is when the button is pressed (the args of a callback are those of the previous run).
    drill_into(st.session_state["city_drill"])


def _share_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("share_")]


def _heading(ctx: Ctx, column: str) -> str:
    if column.startswith("share_"):
        return ctx.t("outcomes.col.share", level=f"{float(column[6:]):,.0f}")
    return ctx.t(f"outcomes.col.{column}")


def _headed(ctx: Ctx, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("as_of", "previous"):
        out[column] = [v.date().isoformat() if pd.notna(v) else "" for v in pd.to_datetime(out[column])]
    out["compliance_period"] = out["compliance_period"].fillna("")
    out["avg_assets"] = out["avg_assets"].round(2)
    return out.rename(columns={c: _heading(ctx, c) for c in out.columns})


def _config(ctx: Ctx, frame: pd.DataFrame) -> dict[str, object]:
    kinds = {c: k for c, k in KINDS.items()}
    kinds.update({c: PCT for c in _share_columns(frame)})
    formats = {COUNT: "localized", AMOUNT: "localized", PCT: "percent"}
    return {
        _heading(ctx, c): st.column_config.NumberColumn(format=formats[k], step=1 if k == COUNT else None)
        for c, k in kinds.items()
    }
