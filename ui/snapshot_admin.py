"""Undoing an import on 数据导入: delete a snapshot or give it its right date (an export saved under the wrong day),
audited; when a published plan rests on it the head must tick a confirmation first."""

from __future__ import annotations

import streamlit as st

from core import services
from core.errors import ConsoleError
from ui import data
from ui.context import Ctx, read_only_notice


def snapshot_console(ctx: Ctx, outlet: str) -> None:
    """Pick one of the outlet's snapshots, then re-date it or delete it; the page reruns with the new list."""
    snaps = data.snapshots(ctx.engine, outlet)
    if not snaps:
        return
    if flash := st.session_state.pop("up_snap_flash", None):
        st.success(flash)
    with st.expander(ctx.t("ui.snap.title")):
        labels = {s.id: s.label() for s in snaps}
        chosen = st.selectbox(ctx.t("ui.snap.pick"), list(labels), format_func=labels.get, key="up_snap_pick")
        snap = next(s for s in snaps if s.id == chosen)
        new_day = st.date_input(
            ctx.t("ui.snap.new_date"), value=snap.as_of, key=f"up_snap_date_{chosen}", format="YYYY-MM-DD"
        )
        plans = services.snapshot_plans(ctx.engine, ctx.actor, outlet, chosen)
        if plans:
            st.warning(ctx.t("ui.snap.plans", plans="、".join(plans)))
        confirm = st.checkbox(ctx.t("ui.snap.confirm"), key=f"up_snap_confirm_{chosen}")
        read_only = read_only_notice(ctx)
        c = st.columns(2)
        redate = c[0].button(ctx.t("ui.snap.redate"), key="up_snap_redate", disabled=read_only)
        delete = c[1].button(ctx.t("ui.snap.delete"), key="up_snap_delete", disabled=read_only)
        if not (redate or delete):
            return
        try:
            if redate:
                services.redate_snapshot(ctx.engine, ctx.actor, outlet, chosen, new_day, confirm=confirm)
                done = ctx.t("ui.snap.redated", before=snap.as_of, after=new_day, file=snap.file_name or "—")
            else:
                if not confirm:
                    st.warning(ctx.t("ui.snap.confirm_first"))
                    return
                services.delete_snapshot(ctx.engine, ctx.actor, outlet, chosen, confirm=True)
                done = ctx.t("ui.snap.deleted", as_of=snap.as_of, file=snap.file_name or "—")
        except ConsoleError as exc:
            st.error(exc.text(ctx.lang))
            return
    st.cache_data.clear()  # every cached figure read from the snapshots (history, outcomes, plans) is stale now
    st.session_state["up_snap_flash"] = done
    st.session_state.pop("up_snap_pick", None)
    st.rerun()
