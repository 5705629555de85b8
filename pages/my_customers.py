"""我的客户 (staff): the logged-in person's own customers and this month's contact plan, nobody else's."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from core.export import write_workbook
from core.policy import Policy
from core.roster import roster_from_frame
from core.storage.plans import load_assignment, load_plan, plan_periods
from ui import data
from ui.context import STAFF, Ctx, require_outlet, require_role
from ui.downloads import download
from ui.fmt import DATE, count, yuan
from ui.tables import show_customers, show_table
from ui.text import plain
from ui.views import with_owner


def render(ctx: Ctx) -> None:
    require_role(ctx, {STAFF})
    outlet = require_outlet(ctx)
    st.title(ctx.t("ui.my.title", name=plain(ctx.staff_name or ctx.name)))
    if not ctx.staff_name:
        st.warning(ctx.t("ui.my.no_staff_name"))
        return
    snap, assignment = published_snapshot(ctx, outlet)
    if snap is None or assignment.empty:
        st.info(ctx.t("ui.my.not_published"))
        return
    policy, _ = data.active_policy(ctx.engine, outlet, ctx.lang)
    seg = data.snapshot_segmented(ctx.engine, snap, policy)
    mine_ids = assignment.loc[assignment["staff"] == ctx.staff_name, "customer_id"]
    mine = with_owner(seg.loc[seg["customer_id"].astype("string").isin(mine_ids)], assignment)
    c = st.columns(4)
    c[0].metric(ctx.t("ui.home.customers"), count(len(mine)))
    c[1].metric(ctx.t("ui.home.assets"), yuan(float(mine["assets"].sum())))
    c[2].metric(ctx.t("group.near"), count(int(mine["near_level"].notna().sum())))
    c[3].metric(ctx.t("group.maturing"), count(int(mine["maturing"].sum())))

    st.subheader(ctx.t("ui.my.plan"))
    period, plan = latest_plan(ctx, outlet, snap)
    plan = plan.loc[plan["staff"] == ctx.staff_name] if len(plan) else plan
    if plan.empty:
        st.info(ctx.t("ui.my.no_plan"))
    else:
        st.caption(ctx.t("ui.my.plan_caption", period=period, n=count(len(plan))))
        shown = pd.DataFrame(
            {
                ctx.t("ui.my.due"): plan["due_date"],
                ctx.t("ingest.field.customer_id"): plan["customer_id"],
                ctx.t("ingest.field.name"): plan["name"],
                ctx.t("ui.col.tier"): [
                    ctx.t(f"tier.{c}") if isinstance(c, str) else "" for c in plan["tier"]
                ],
                ctx.t("ui.col.channel"): [ctx.t(f"channel.{c}") for c in plan["channel"]],
                ctx.t("ui.my.kind"): [ctx.t(f"ui.my.kind.{k}") for k in plan["kind"]],
                ctx.t("ingest.field.maturity_date"): plan["maturity_date"],
            }
        )
        dates = {ctx.t("ui.my.due"): DATE, ctx.t("ingest.field.maturity_date"): DATE}
        show_table(shown, dates, height=320)
        my_workbook(ctx, outlet, snap, policy, period, mine_ids)
    st.subheader(ctx.t("ui.my.customers"))
    show_customers(ctx, mine, height=420)


def published_snapshot(ctx: Ctx, outlet: str) -> tuple[data.SnapInfo | None, pd.DataFrame]:
    """The newest snapshot with a published assignment: staff keep working last month's plan while the head
    imports and prepares the next one."""
    for snap in data.snapshots(ctx.engine, outlet):
        assignment = load_assignment(ctx.engine, snap.id)
        if not assignment.empty:
            return snap, assignment
    return None, pd.DataFrame()


def my_workbook(
    ctx: Ctx, outlet: str, snap: data.SnapInfo, policy: Policy, period: str, mine_ids: pd.Series
) -> None:
    """The person's own workbook (customer list + 联络表) for the published month, when it can be rebuilt
    exactly: the same rules and roster must give this person the same customers the head published."""
    staff = data.roster_frame(ctx.engine, outlet, policy)
    if staff is None or ctx.staff_name not in set(staff["name"]):
        return
    bundle = data.plan_bundle(ctx.engine, snap, policy, roster_from_frame(staff, policy=policy), period)
    table = bundle.assignment.table
    rebuilt = set(table.loc[table["staff"] == ctx.staff_name, "customer_id"].astype(str))
    if rebuilt != set(mine_ids.astype(str)):
        st.caption(ctx.t("ui.my.workbook_changed"))
        return

    def workbook() -> bytes:
        buffer = io.BytesIO()
        write_workbook(
            buffer,
            seg=bundle.seg,
            assignment=bundle.assignment,
            plan=bundle.plan,
            workload=bundle.workload,
            policy=policy,
            as_of=snap.as_of,
            maturity_items=bundle.items,
            outlet=outlet,
            month=period,
            staff=[ctx.staff_name],
            deferred=bundle.deferred,  # this person's 延后联络 rows
        )
        return buffer.getvalue()

    download(
        st,
        ctx,
        ctx.t("ui.my.download", month=period),
        workbook,
        file_name=f"{ctx.staff_name}-客户经营计划-{period}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="my_dl",
        kind="workbook",
        outlet=outlet,
        rows=len(rebuilt),
        masked=policy.privacy.mask_phone,
        detail={"snapshot": snap.id, "month": period, "staff": ctx.staff_name},
    )


def latest_plan(ctx: Ctx, outlet: str, snap: data.SnapInfo) -> tuple[str, pd.DataFrame]:
    """This month's plan when published, else the latest month published for the snapshot."""
    periods = plan_periods(ctx.engine, snap.id)
    if not periods:
        return "—", pd.DataFrame()
    this = f"{ctx.today:%Y-%m}"
    period = this if this in periods else periods[0]
    return period, load_plan(ctx.engine, outlet=outlet, period=period, snapshot_id=snap.id)


if __name__ == "__main__":  # opened by the legacy pages/ runner: go through app.py (see ui/legacy.py)
    from ui.legacy import reroute

    reroute(__name__)
