"""任务分配: the roster (upload or edit), who looks after whom, workload against capacity, the workbooks."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import streamlit as st

from core import services
from core.calendar import default_plan_month, next_month
from core.errors import ConsoleError
from core.handout import handout_bytes, handout_zip
from core.policy import Policy
from core.roster import read_roster, roster_from_frame
from core.services.reads import load_assignment, plan_periods
from core.workload import capacity_use
from ui import data, plan_fit
from ui.context import MANAGERS, Ctx, read_only_notice, require_outlet, require_role
from ui.downloads import download
from ui.fmt import PCT, count
from ui.guide import link_to
from ui.tables import show_table
from ui.text import plain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render(ctx: Ctx) -> None:
    require_role(ctx, MANAGERS)
    outlet = require_outlet(ctx)
    st.title(ctx.t("ui.page.assignment"))
    policy, label = data.active_policy(ctx.engine, outlet, ctx.lang)
    snap = data.latest_snapshot(ctx.engine, outlet)
    if snap is None:
        st.info(ctx.t("ui.no_snapshot"))
        link_to(ctx, "upload")
        return
    stored = data.roster_frame(ctx.engine, outlet, policy)
    roster_editor(ctx, outlet, policy, stored)
    if stored is None:
        st.info(ctx.t("ui.assign.no_roster"))
        return
    try:
        roster = roster_from_frame(stored, policy=policy)
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        st.stop()
    month = month_choice(ctx, snap.as_of, policy)
    bar = st.progress(0.0, text=ctx.t("progress.assign.segment", customers=count(snap.rows_read)))
    data.snapshot_segmented(ctx.engine, snap, policy)  # cached: the bundle below reuses it
    bar.progress(0.35, text=ctx.t("progress.assign.plan", staff=len(roster.staff), month=month))
    bundle = data.plan_bundle(ctx.engine, snap, policy, roster, month)
    bar.empty()
    st.caption(
        ctx.t(
            "ui.assign.caption", as_of=snap.as_of, policy=label, month=month, customers=count(len(bundle.seg))
        )
    )
    for warning in (*bundle.assignment.warnings, *bundle.warnings):
        st.warning(plain(warning))
    workload_tables(ctx, bundle, policy)
    plan_fit.render(ctx, bundle, policy)  # moves, deferrals and what would make the plan fit
    downloads(ctx, outlet, snap, policy, bundle, month)


def roster_editor(ctx: Ctx, outlet: str, policy: Policy, stored: pd.DataFrame | None) -> None:
    """Upload a roster file or edit the saved one in place; either is saved for the outlet."""
    st.subheader(ctx.t("ui.assign.roster"))
    with st.expander(ctx.t("ui.assign.roster_upload"), expanded=stored is None):
        upload = st.file_uploader(
            ctx.t("ui.assign.roster_file"), type=["csv", "xlsx", "xls"], key="as_roster_file"
        )
        if upload is not None:
            try:
                roster = read_roster(io.BytesIO(upload.getvalue()), policy=policy, file_name=upload.name)
            except ConsoleError as exc:
                st.error(plain(exc.text(ctx.lang)))
                st.stop()
            for warning in roster.warnings:
                st.warning(plain(warning))
            show_table(roster_view(ctx, roster.staff))
            if st.button(
                ctx.t("ui.assign.roster_use"), type="primary", key="as_roster_use", disabled=ctx.read_only
            ):
                _save(ctx, outlet, roster.staff)
    if stored is None:
        return
    edited = st.data_editor(
        stored[["name", "role", "capacity_per_week"]],
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn(ctx.t("ui.col.name"), required=True),
            "role": st.column_config.SelectboxColumn(
                ctx.t("ui.col.role"), options=list(policy.workload.roles), required=True
            ),
            "capacity_per_week": st.column_config.NumberColumn(
                ctx.t("ui.col.capacity_week"), min_value=1, step=10, format="%d"
            ),
        },
        key="as_roster_editor",
    )
    if st.button(ctx.t("ui.assign.roster_save"), key="as_roster_save", disabled=read_only_notice(ctx)):
        try:
            checked = roster_from_frame(edited.assign(outlet=outlet), policy=policy)
        except ConsoleError as exc:
            st.error(plain(exc.text(ctx.lang)))
            st.stop()
        _save(ctx, outlet, checked.staff)


def roster_view(ctx: Ctx, staff: pd.DataFrame) -> pd.DataFrame:
    """A read roster with Chinese headings (name, role, outlet, weekly capacity)."""
    headings = {
        "name": ctx.t("ui.col.name"),
        "role": ctx.t("ui.col.role"),
        "outlet": ctx.t("ingest.field.outlet"),
        "capacity_per_week": ctx.t("ui.col.capacity_week"),
    }
    present = [c for c in headings if c in staff.columns]
    return staff[present].rename(columns=headings)


def _save(ctx: Ctx, outlet: str, staff: pd.DataFrame) -> None:
    try:
        saved = services.save_roster(ctx.engine, ctx.actor, outlet, staff)
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        st.stop()
    st.session_state.pop("as_roster_editor", None)
    st.session_state["as_flash"] = ctx.t("ui.assign.roster_saved", n=saved)
    st.rerun()


def month_choice(ctx: Ctx, as_of: dt.date, policy: Policy) -> str:
    options = [f"{as_of:%Y-%m}", next_month(as_of)]
    year, month = default_plan_month(as_of, policy)
    if flash := st.session_state.pop("as_flash", None):
        st.success(flash)
    return st.radio(
        ctx.t("ui.assign.month"),
        options,
        index=options.index(f"{year:04d}-{month:02d}"),
        horizontal=True,
        key="as_month",
    )


def workload_tables(ctx: Ctx, bundle: services.PlanBundle, policy: Policy) -> None:
    st.subheader(ctx.t("ui.assign.workload"))
    use = capacity_use(bundle.workload, policy, bundle.deferred)  # the figure 分层策略 shows for this plan
    load = use.people
    by_tier = (
        pd.crosstab(bundle.assignment.table["staff"], bundle.seg["tier"].astype(str))
        .reindex(index=load["staff"], columns=list(policy.tier_codes), fill_value=0)
        .reset_index(drop=True)
    )
    shown = pd.DataFrame(
        {
            ctx.t("ui.col.name"): load["staff"],
            ctx.t("ui.col.role"): load["role"],
            ctx.t("ui.col.count"): load["customers"],
            **{ctx.t(f"tier.{code}"): by_tier[code] for code in policy.tier_codes},
            ctx.t("ui.col.contacts_month"): load["contacts"],
            ctx.t("ui.col.effort_month"): load["planned"],
            ctx.t("ui.col.capacity"): load["capacity"],
            ctx.t("ui.col.utilisation"): load["use"],
        }
    )
    over = load["overloaded"].to_numpy()
    shares = {ctx.t("ui.col.utilisation"): PCT}
    show_table(shown, shares, highlight=over.tolist())
    if over.any():
        st.warning(ctx.t("ui.assign.overloaded", names=plain("、".join(load.loc[over, "staff"]))))
    show_table(*plan_fit.role_use_table(ctx, use.roles))


def publish_status(ctx: Ctx, snap: data.SnapInfo, bundle: services.PlanBundle, month: str) -> None:
    """Whether staff already see this month's plan, and whether it still matches what this page computes."""
    if month not in plan_periods(ctx.engine, snap.id):
        st.info(ctx.t("ui.assign.not_published", month=month))
        return
    published = load_assignment(ctx.engine, snap.id)
    current = bundle.assignment.table
    same = dict(zip(published["customer_id"].astype(str), published["staff"], strict=True)) == dict(
        zip(current["customer_id"].astype(str), current["staff"], strict=True)
    )
    if same:
        st.success(ctx.t("ui.assign.published_current", month=month))
    else:
        st.warning(ctx.t("ui.assign.published_stale", month=month))


def downloads(
    ctx: Ctx, outlet: str, snap: data.SnapInfo, policy: Policy, bundle: services.PlanBundle, month: str
) -> None:
    """Publish the plan for staff to see, then the workbooks, written from the plan as published (built only
    when a button is clicked)."""
    st.subheader(ctx.t("ui.assign.downloads"))
    if flash := st.session_state.pop("as_flash", None):  # the publish of the last run
        st.success(flash)
    publish_status(ctx, snap, bundle, month)
    if st.button(ctx.t("ui.assign.publish"), type="primary", key="as_publish", disabled=ctx.read_only):
        try:
            stored = services.publish_plan(
                ctx.engine, ctx.actor, outlet, bundle, policy=policy, as_of=snap.as_of
            )
        except ConsoleError as exc:
            st.error(plain(exc.text(ctx.lang)))
        else:
            # run again: the status above was drawn before the publish and would still say 尚未发布
            st.session_state["as_flash"] = ctx.t(
                "ui.assign.published", rows=count(stored["plan_rows"]), month=month
            )
            st.rerun()
    handout = data.published_handout(ctx.engine, ctx.actor, outlet, month, snap.id)
    if handout is None:
        st.caption(ctx.t("ui.assign.publish_first", month=month))
        return

    head_copy = st.checkbox(ctx.t("ui.assign.head_copy"), key="as_head_copy")
    staff_masked = policy.privacy.mask_phone  # what the staff sheets show; the head's copy keeps every digit
    table = bundle.assignment.table
    detail = {"snapshot": snap.id, "month": month}

    def whole() -> bytes:
        return handout_bytes(handout, head_copy=head_copy)

    c = st.columns(3)
    download(
        c[0],
        ctx,
        ctx.t("ui.assign.download_all"),
        whole,
        file_name=f"{outlet}-客户经营计划-{month}.xlsx",
        mime=XLSX,
        key="as_dl_all",
        type="primary",
        kind="workbook",
        outlet=outlet,
        rows=len(table),
        masked=staff_masked and not head_copy,
        detail={**detail, "head_copy": head_copy},
    )
    person = c[1].selectbox(
        ctx.t("ui.assign.person"),
        handout.staff,
        key="as_person",
        label_visibility="collapsed",
    )

    def one() -> bytes:
        return handout_bytes(handout, staff=[person])

    def every() -> bytes:
        return handout_zip(handout)

    download(
        c[1],
        ctx,
        ctx.t("ui.assign.download_one", name=plain(person)),
        one,
        file_name=f"{person}-客户经营计划-{month}.xlsx",
        mime=XLSX,
        key="as_dl_one",
        kind="workbook",
        outlet=outlet,
        rows=int((table["staff"] == person).sum()),
        masked=staff_masked,
        detail={**detail, "staff": person},
    )
    download(
        c[2],
        ctx,
        ctx.t("ui.assign.download_zip"),
        every,
        file_name=f"{outlet}-每人工作簿-{month}.zip",
        mime="application/zip",
        key="as_dl_zip",
        kind="zip",
        outlet=outlet,
        rows=len(table),
        masked=staff_masked,
        detail=detail,
    )
