"""我的客户 (staff): the logged-in person's own customers and this month's contact plan, nobody else's.

Everything here is read from the plan as published (``core.handout``), never planned again, and shown through
``core.privacy.staff_view``: the policy's ``[privacy]`` applies on screen as on paper.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import services
from core.handout import Handout, handout_bytes
from core.plan import batch_sms
from core.policy import Policy
from core.privacy import staff_view
from core.services.reads import handout_periods, load_assignment, load_plan, plan_periods
from core.workload import sheet_calls
from ui import data
from ui.context import STAFF, Ctx, require_outlet, require_role
from ui.downloads import download
from ui.fmt import DATE, count, yuan
from ui.tables import show_customers, show_table
from ui.text import plain
from ui.views import with_owner

REVEALED = "my_revealed"  # session_state: customer ids whose mobile this session revealed (each one audited)


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
    period = plan_month(ctx, snap)
    handout = data.published_handout(ctx.engine, ctx.actor, outlet, period, snap.id) if period else None
    if handout is not None:
        policy, seg, plan = handout.policy, handout.seg, handout.plan
    else:  # published before whole plans were kept: the stored rows, the snapshot under the policy in force
        policy, _ = data.active_policy(ctx.engine, outlet, ctx.lang)
        seg = data.snapshot_segmented(ctx.engine, snap, policy)
        plan = load_plan(ctx.engine, outlet=outlet, period=period, snapshot_id=snap.id) if period else None
    mine_ids = assignment.loc[assignment["staff"] == ctx.staff_name, "customer_id"].astype("string")
    mine = with_owner(seg.loc[seg["customer_id"].astype("string").isin(mine_ids)], assignment)
    c = st.columns(4)
    c[0].metric(ctx.t("ui.home.customers"), count(len(mine)))
    hidden = policy.privacy.hide_assets
    c[1].metric(
        ctx.t("ui.home.assets"), ctx.t("ui.my.hidden") if hidden else yuan(float(mine["assets"].sum()))
    )
    c[2].metric(ctx.t("group.near"), count(int(mine["near_level"].notna().sum())))
    c[3].metric(ctx.t("group.maturing"), count(int(mine["maturing"].sum())))

    st.subheader(ctx.t("ui.my.plan"))
    plan = plan.loc[plan["staff"] == ctx.staff_name] if plan is not None and len(plan) else None
    if plan is None or plan.empty:
        st.info(ctx.t("ui.my.no_plan"))
    else:
        plan_table(ctx, period, plan, policy)
        if handout is not None:
            my_workbook(ctx, outlet, snap, handout)
        else:
            st.caption(ctx.t("ui.my.no_handout", month=period))
    st.subheader(ctx.t("ui.my.customers"))
    privacy_notes(ctx, policy)
    revealed = st.session_state.setdefault(REVEALED, set())
    if policy.privacy.mask_phone and len(mine):
        reveal(ctx, outlet, snap, mine)  # above the list, so a number revealed now shows in it at once
    show_customers(ctx, staff_view(mine, policy, revealed=revealed), height=420)


def plan_table(ctx: Ctx, period: str, plan: pd.DataFrame, policy: Policy) -> None:
    # the count 任务分配 shows as this person's 本月应联络 (the rows of their 联络表), the greeting SMS batch apart
    calls = int(sheet_calls(plan, policy).sum())
    sms = int(batch_sms(plan, policy).sum())
    st.caption(
        ctx.t("ui.my.plan_caption", period=period, calls=count(calls), sms=count(sms), n=count(len(plan)))
    )
    shown = pd.DataFrame(
        {
            ctx.t("ui.my.due"): plan["due_date"],
            ctx.t("ingest.field.customer_id"): plan["customer_id"],
            ctx.t("ingest.field.name"): plan["name"],
            ctx.t("ui.col.tier"): [ctx.t(f"tier.{c}") if isinstance(c, str) else "" for c in plan["tier"]],
            ctx.t("ui.col.channel"): [ctx.t(f"channel.{c}") for c in plan["channel"]],
            ctx.t("ui.my.kind"): [ctx.t(f"ui.my.kind.{k}") for k in plan["kind"]],
            ctx.t("ingest.field.maturity_date"): plan["maturity_date"],
        }
    )
    dates = {ctx.t("ui.my.due"): DATE, ctx.t("ingest.field.maturity_date"): DATE}
    show_table(shown, dates, height=320)


def privacy_notes(ctx: Ctx, policy: Policy) -> None:
    if policy.privacy.mask_phone:
        st.caption(ctx.t("ui.my.privacy_note"))
    if policy.privacy.hide_assets:
        st.caption(ctx.t("ui.my.assets_hidden"))


def reveal(ctx: Ctx, outlet: str, snap: data.SnapInfo, mine: pd.DataFrame) -> None:
    """One customer's full mobile on one click, audit-logged by the service."""
    ids = mine["customer_id"].astype(str).tolist()
    names = dict(zip(ids, mine["name"].astype("string").fillna("").tolist(), strict=True))
    c = st.columns([3, 1])
    picked = c[0].selectbox(
        ctx.t("ui.my.reveal_pick"), ids, format_func=lambda i: f"{i} · {names[i]}", key="my_reveal_pick"
    )
    if c[1].button(ctx.t("ui.my.reveal"), key="my_reveal"):
        phone = services.reveal_phone(ctx.engine, ctx.actor, outlet, snap.id, picked)
        st.session_state[REVEALED].add(picked)
        if phone:
            st.info(ctx.t("ui.my.revealed", name=names[picked], customer=picked, phone=phone))
        else:
            st.info(ctx.t("ui.my.no_phone", name=names[picked], customer=picked))


def published_snapshot(ctx: Ctx, outlet: str) -> tuple[data.SnapInfo | None, pd.DataFrame]:
    """The newest snapshot with a published assignment: staff keep working last month's plan while the head
    imports and prepares the next one."""
    for snap in data.snapshots(ctx.engine, outlet):
        assignment = load_assignment(ctx.engine, snap.id)
        if not assignment.empty:
            return snap, assignment
    return None, pd.DataFrame()


def my_workbook(ctx: Ctx, outlet: str, snap: data.SnapInfo, handout: Handout) -> None:
    """The person's own workbook of the published month: the same bytes as their book in the head's zip."""
    if ctx.staff_name not in handout.staff:
        return

    def workbook() -> bytes:
        return handout_bytes(handout, staff=[ctx.staff_name])

    table = handout.assignment.table
    download(
        st,
        ctx,
        ctx.t("ui.my.download", month=handout.month),
        workbook,
        file_name=f"{ctx.staff_name}-客户经营计划-{handout.month}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="my_dl",
        kind="workbook",
        outlet=outlet,
        rows=int((table["staff"] == ctx.staff_name).sum()),
        masked=handout.policy.privacy.mask_phone,
        detail={"snapshot": snap.id, "month": handout.month, "staff": ctx.staff_name},
    )


def plan_month(ctx: Ctx, snap: data.SnapInfo) -> str | None:
    """This month's plan when published, else the latest month published for the snapshot."""
    periods = handout_periods(ctx.engine, snap.id) or plan_periods(ctx.engine, snap.id)
    if not periods:
        return None
    this = f"{ctx.today:%Y-%m}"
    return this if this in periods else periods[0]
