"""概览: the tier summary of the outlet's current snapshot under the active policy. Staff get their own list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.policy import Policy
from core.segment import near_summary, summarize
from ui import data, guide
from ui.context import MANAGERS, STAFF, Ctx, require_outlet, require_role
from ui.fmt import AMOUNT, COUNT, PCT, count, pct, yuan
from ui.tables import show_table
from ui.text import plain


def render(ctx: Ctx) -> None:
    if ctx.role == STAFF:
        from views import my_customers

        my_customers.render(ctx)
        return
    require_role(ctx, MANAGERS)
    outlet = require_outlet(ctx)
    st.title(ctx.t("ui.home.title", outlet=plain(outlet)))
    policy, label = data.active_policy(ctx.engine, outlet, ctx.lang)
    snap = data.latest_snapshot(ctx.engine, outlet)
    guide.month_steps(ctx, outlet)
    if snap is None:
        return
    last_month_panel(ctx, outlet, policy)
    seg = data.snapshot_segmented(ctx.engine, snap, policy)
    st.caption(
        ctx.t(
            "ui.home.caption",
            as_of=snap.as_of,
            file=snap.file_name or "—",
            rows=count(snap.rows_read),
            rejected=count(snap.rows_rejected),
            policy=label,
        )
    )
    summary = summarize(seg, policy)
    total_n, total_assets = int(summary["count"].sum()), float(summary["assets"].sum())
    c = st.columns(4)
    c[0].metric(ctx.t("ui.home.customers"), count(total_n))
    c[1].metric(ctx.t("ui.home.assets"), yuan(total_assets))
    c[2].metric(ctx.t("ui.home.mean"), yuan(total_assets / total_n if total_n else 0))
    c[3].metric(
        ctx.t("ui.home.maturing", days=policy.maturity.window_days), count(int(seg["maturing"].sum()))
    )
    st.subheader(ctx.t("ui.home.tiers"))
    for column, row in zip(st.columns(len(summary)), summary.itertuples(), strict=True):
        column.metric(
            ctx.t(f"tier.{row.tier}"),
            count(row.count),
            delta=ctx.t("ui.home.tier_assets", assets=yuan(row.assets)),
            delta_color="off",
            delta_arrow="off",
        )
    show_table(*tier_table(ctx, summary))
    st.subheader(ctx.t("ui.home.near"))
    near = near_summary(seg, policy)
    show_table(
        pd.DataFrame(
            {
                ctx.t("ui.col.level"): near["level"],
                ctx.t("ui.col.band"): [
                    f"{a:,.0f} – {b:,.0f}" for a, b in zip(near["lower"], near["level"], strict=True)
                ],
                ctx.t("ui.col.near_count"): near["count"],
                ctx.t("ui.col.gap"): near["gap"],
                ctx.t("ui.col.cost"): near["cost"],
            }
        ),
        {ctx.t("ui.col.near_count"): COUNT},
    )


def last_month_panel(ctx: Ctx, outlet: str, policy: Policy) -> None:
    """The current plan month's contact compliance (the same service and cache as 联络合规's month view), so the
    head sees at once how the staff are doing; the contacts count says which days it covers."""
    found = data.current_compliance(ctx.engine, ctx.actor, outlet, policy, ctx.today)
    if found is None or found.result.overall is None:
        return
    result = found.result
    st.subheader(ctx.t("guide.last.title", month=found.month))
    c = st.columns(3)
    c[0].metric(ctx.t("guide.last.rate"), pct(result.overall))
    c[1].metric(ctx.t("guide.last.met"), f"{count(result.met_contacts)} / {count(result.due)}")
    c[2].metric(
        ctx.t("guide.last.logged", start=f"{found.start:%m-%d}", end=f"{found.end:%m-%d}"),
        count(found.logged),
    )
    guide.link_to(ctx, "compliance")


def tier_table(ctx: Ctx, summary: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The tier summary with headings in the chosen language, and its column formats."""
    frame = pd.DataFrame(
        {
            ctx.t("ui.col.tier"): [ctx.t(f"tier.{code}") for code in summary["tier"]],
            ctx.t("ui.col.count"): summary["count"],
            ctx.t("ui.col.share"): summary["share"],
            ctx.t("ui.col.assets"): summary["assets"],
            ctx.t("ui.col.assets_share"): summary["assets_share"],
            ctx.t("ui.col.mean"): summary["mean"],
        }
    )
    kinds = {
        ctx.t("ui.col.count"): COUNT,
        ctx.t("ui.col.share"): PCT,
        ctx.t("ui.col.assets"): AMOUNT,
        ctx.t("ui.col.assets_share"): PCT,
        ctx.t("ui.col.mean"): AMOUNT,
    }
    return frame, kinds
