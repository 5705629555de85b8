"""The 联络合规 page's 群发短信 tab: the month's greeting SMS batch per person (how many customers, how many logged,
the day sent, who confirmed and when) and a one-click confirmation once the batch went out from the SMS platform.

The confirmation goes through ``services.confirm_sms_batch`` (one transaction, audited; staff confirm their own
batch; a read-only session is refused); the page then reruns, so the compliance figures count it at once."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core import services
from core.compliance import parse_period
from core.compliance.report import current_period
from core.errors import ConsoleError
from core.localtime import local_text
from core.policy import Policy
from ui.context import Ctx, read_only_notice
from ui.fmt import count
from ui.text import plain

COLUMNS = ["staff", "customers", "confirmed", "status", "sent", "confirmed_by", "confirmed_at"]


def status(row: pd.Series) -> str:
    """已确认 when every customer on the list has the month's SMS logged, 部分已记 when some, else 未确认."""
    if row["confirmed"] >= row["customers"]:
        return "sms.ui.status.done"
    return "sms.ui.status.partial" if row["confirmed"] else "sms.ui.status.open"


def sms_tab(
    ctx: Ctx, outlet: str, policy: Policy, months: list[str], own: str | None, today: dt.date
) -> None:
    options = sorted(months, reverse=True)
    month = st.selectbox(
        ctx.t("sms.ui.month"), options, index=current_period(options, today), key="cp_sms_month"
    )
    try:
        batches = services.sms_batches(ctx.engine, ctx.actor, outlet, month, policy=policy)
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        return
    st.caption(ctx.t("sms.ui.caption", month=month))
    if not len(batches):
        st.info(ctx.t("sms.ui.none", month=month))
        return
    shown = batches.assign(
        status=batches.apply(lambda r: ctx.t(status(r)), axis=1),
        sent=batches["sent"].map(lambda d: "—" if pd.isna(d) else d.isoformat()),
        confirmed_by=batches["confirmed_by"].fillna("—"),
        confirmed_at=batches["confirmed_at"].map(lambda v: "—" if pd.isna(v) else local_text(v)),
    )[COLUMNS]
    st.dataframe(
        shown.rename(columns={c: ctx.t(f"sms.col.{c}") for c in COLUMNS}),
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(shown),
        column_config={
            ctx.t(f"sms.col.{c}"): st.column_config.NumberColumn(format="localized")
            for c in ("customers", "confirmed")
        },
    )
    p = parse_period(month)
    last = min(p.end, today)
    if last < p.start:  # a month ahead: nothing can have been sent yet
        st.info(ctx.t("sms.ui.not_begun", month=month))
        return
    read_only = read_only_notice(ctx)
    people = list(batches["staff"])
    open_ = (batches["confirmed"] < batches["customers"]).to_numpy().nonzero()[0]
    with st.form("cp_sms"):
        left, right = st.columns(2)
        staff = left.selectbox(
            ctx.t("sms.col.staff"),
            people,
            index=int(open_[0]) if len(open_) else 0,  # the first batch not confirmed yet
            disabled=own is not None,
            key="cp_sms_staff",
        )
        day = right.date_input(
            ctx.t("sms.col.sent"),
            value=last,
            min_value=p.start,
            max_value=last,
            format="YYYY-MM-DD",
            key="cp_sms_day",
        )
        submitted = st.form_submit_button(
            ctx.t("sms.ui.confirm"), type="primary", disabled=read_only, key="cp_sms_confirm"
        )
    if not submitted:
        return
    try:
        stored = services.confirm_sms_batch(
            ctx.engine, ctx.actor, outlet, month, staff, day=day, policy=policy
        )
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        return
    st.session_state["cp_flash"] = ctx.t(
        "sms.ui.confirmed", staff=plain(staff), month=month, day=day.isoformat(), n=count(stored)
    )
    st.rerun()
