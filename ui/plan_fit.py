"""Does the month's plan fit? Moves before publishing, deferrals, and what would make it fit (任务分配, 分层策略)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import services
from core.calendar import default_plan_month
from core.errors import ConsoleError
from core.policy import Policy
from core.roster import roster_from_frame
from core.schedule import MonthPlan, capacity_to_fit, deferral_summary
from ui import data
from ui.context import Ctx
from ui.fmt import PCT, PCT_POINTS, count, pct
from ui.tables import show_table
from ui.text import plain


def render(ctx: Ctx, bundle: data.PlanBundle, policy: Policy, *, moves: bool = True) -> None:
    """The fit of ``bundle``'s plan: capacity defaults, moves (who, from whom, to whom, why), deferrals."""
    st.subheader(ctx.t("ui.fit.title"))
    month = bundle.fitted
    if month is None:
        return
    load = month.workload
    defaults = load.loc[load["capacity_source"] == "default", "staff"].tolist()
    if defaults:
        st.caption(ctx.t("schedule.capacity_default", names=plain("、".join(defaults))))
    for row in load.loc[load["over_days"] > 0].itertuples(index=False):
        st.warning(
            ctx.t("schedule.fixed_over", name=plain(row.staff), role=plain(row.role), days=int(row.over_days))
        )
    if moves and len(month.moves):
        st.info(ctx.t("ui.fit.moves", count=count(len(month.moves))))
        show_table(moves_view(ctx, month, policy))
    if not len(month.deferred):
        if not load["overloaded"].any():
            st.success(ctx.t("ui.fit.ok"))
        return
    lines = [ctx.t("ui.fit.deferred", count=count(len(month.deferred)))]
    st.warning("  \n".join([*lines, *(plain(line) for line in fit_lines(ctx, month, bundle.roster, policy))]))
    kinds = deferral_summary(month.deferred, month.plan)
    show_table(
        pd.DataFrame(
            {
                ctx.t("ui.col.tier"): kinds["tier"].map(lambda c: ctx.t(f"tier.{c}")),
                ctx.t("ui.col.channel"): kinds["channel"].map(lambda c: ctx.t(f"channel.{c}")),
                ctx.t("ui.fit.col.deferred"): kinds["deferred"],
                ctx.t("ui.fit.col.required"): kinds["required"],
                ctx.t("ui.fit.col.share"): kinds["share"],
            }
        ),
        {ctx.t("ui.fit.col.share"): PCT},
    )


def moves_view(ctx: Ctx, month: MonthPlan, policy: Policy) -> pd.DataFrame:
    moves = month.moves
    return pd.DataFrame(
        {
            ctx.t("ui.fit.col.customer_id"): moves["customer_id"],
            ctx.t("ui.col.name"): moves["name"],
            ctx.t("ui.col.tier"): moves["tier"].map(lambda c: ctx.t(f"tier.{c}")),
            ctx.t("ui.fit.col.from"): moves["from_staff"],
            ctx.t("ui.fit.col.to"): moves["to_staff"],
            ctx.t("ui.fit.col.effort"): moves["effort"],
            ctx.t("ui.fit.col.reason"): moves["reason"],
        }
    )


def fit_lines(ctx: Ctx, month: MonthPlan, roster, policy: Policy) -> list[str]:
    """What would make the plan fit: capacity to add per role, or the cadences to relax."""
    lines = [
        ctx.t("ui.fit.to_fit", role=row.role, add=count(row.add_per_week), people=count(row.people))
        for row in capacity_to_fit(month, roster, policy).itertuples(index=False)
    ]
    kinds = deferral_summary(month.deferred, month.plan).sort_values("deferred", ascending=False)
    items = [
        ctx.t(
            "ui.fit.relax_item",
            tier=ctx.t(f"tier.{row.tier}"),
            channel=ctx.t(f"channel.{row.channel}"),
            count=count(row.deferred),
            share=pct(row.share),
        )
        for row in kinds.itertuples(index=False)
    ]
    if items:
        lines.append(ctx.t("ui.fit.relax", items="；".join(items)))
    return lines


def next_plan(
    ctx: Ctx, snap: data.SnapInfo, policy: Policy, staff: pd.DataFrame | None
) -> services.PlanBundle | None:
    """The plan 任务分配 opens on for ``policy`` and the saved roster (its default month, the same cached service
    call), None without a roster valid under ``policy``."""
    if staff is None or staff.empty:
        return None
    try:
        roster = roster_from_frame(staff, policy=policy)
    except ConsoleError:
        return None  # 任务分配 reports a roster problem where it can be fixed
    year, month = default_plan_month(snap.as_of, policy)
    return data.plan_bundle(ctx.engine, snap, policy, roster, f"{year:04d}-{month:02d}")


def role_use_table(
    ctx: Ctx, roles: pd.DataFrame, saved: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Capacity use per role (``core.workload.capacity_use``) as 任务分配 and 分层策略 both show it, and its
    column formats; with ``saved`` (the saved policy's plan), the load and deferrals it had and the change."""
    frame = pd.DataFrame(
        {
            ctx.t("ui.col.role"): roles["role"],
            ctx.t("ui.col.staff"): roles["staff"],
            ctx.t("ui.col.count"): roles["customers"],
            ctx.t("cap.col.owed"): roles["owed"],
            ctx.t("ui.col.effort_month"): roles["planned"],
            ctx.t("cap.col.deferred"): roles["deferred"],
            ctx.t("ui.col.capacity"): roles["capacity"],
            ctx.t("ui.col.utilisation"): roles["use"],
        }
    )
    kinds = {ctx.t("ui.col.utilisation"): PCT}
    if saved is not None:
        before = saved.set_index("role").reindex(roles["role"])
        frame[ctx.t("cap.col.use_saved")] = before["use"].to_numpy()
        points = (roles["use"].to_numpy() - before["use"].to_numpy()) * 100
        frame[ctx.t("cap.col.use_delta")] = np.round(points, 1) + 0.0  # + 0.0: never "-0.0"
        frame[ctx.t("cap.col.deferred_delta")] = roles["deferred"].to_numpy() - before["deferred"].to_numpy()
        kinds |= {ctx.t("cap.col.use_saved"): PCT, ctx.t("cap.col.use_delta"): PCT_POINTS}
    return frame, kinds


def strategy_section(ctx: Ctx, bundle: services.PlanBundle | None, policy: Policy) -> None:
    """On 分层策略: the saved policy's next plan with the saved roster, deferrals and what would make it fit."""
    if bundle is not None:
        render(ctx, bundle, policy, moves=False)
