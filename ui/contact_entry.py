"""The 联络合规 page's contact tabs: log one contact, correct or delete logged ones, import filled-in 联络表.

Every write goes through core.services with the account as actor (one transaction each), so a staff member
can touch only their own contacts with their own customers (core.compliance.entry)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core import services
from core.compliance import parse_period
from core.errors import ConsoleError
from core.policy import Policy
from core.services.reads import (
    CONTACT_COLUMNS,
    customer_directory,
    load_contacts,
    outlet_staff,
)
from ui.context import Ctx, read_only_notice
from ui.fmt import count
from ui.text import plain


def entry_form(ctx: Ctx, outlet: str, policy: Policy, own: str | None, today: dt.date) -> None:
    directory = customer_directory(ctx.engine, outlet, staff=own)
    if not len(directory):
        st.info(ctx.t("compliance.ui.no_customers"))
        return
    labels = dict(zip(directory["customer_id"], directory["name"].fillna(""), strict=True))
    people = [own] if own else sorted(outlet_staff(ctx.engine, outlet))
    read_only = read_only_notice(ctx)
    with st.form("cp_entry", clear_on_submit=True):
        customer = st.selectbox(
            ctx.t("compliance.ui.customer"),
            list(labels),
            index=None,
            format_func=lambda c: f"{c}  {labels.get(c, '')}",
            placeholder=ctx.t("compliance.ui.customer_hint"),
        )
        left, right = st.columns(2)
        staff = left.selectbox(
            ctx.t("compliance.col.staff"),
            people,
            index=people.index(ctx.staff_name) if ctx.staff_name in people else 0,
            disabled=own is not None,
        )
        day = right.date_input(
            ctx.t("compliance.col.date"), value=today, max_value=today, format="YYYY-MM-DD"
        )
        channel = left.selectbox(ctx.t("compliance.col.channel"), list(policy.compliance.log_channels))
        outcome = right.selectbox(ctx.t("compliance.col.result"), list(policy.compliance.log_results))
        note = st.text_input(ctx.t("compliance.col.note"))
        submitted = st.form_submit_button(
            ctx.t("compliance.ui.save_entry"), type="primary", disabled=read_only
        )
    if not submitted:
        return
    if customer is None:
        st.error(ctx.t("compliance.ui.pick_customer"))
        return
    try:
        logged = services.log_contact(
            ctx.engine,
            ctx.actor,
            outlet,
            contact_date=day,
            staff_name=staff,
            customer_id=customer,
            channel=channel,
            result=outcome,
            note=note or None,
            policy=policy,
            today=today,
        )
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        return
    day_log = load_contacts(ctx.engine, outlet, start=day, end=day, staff=staff)
    attempts = day_log.loc[day_log["id"] == logged, "attempts"]
    if (
        len(attempts) and int(attempts.iloc[0]) > 1
    ):  # another try of the day: the one contact, its latest result
        st.session_state["cp_flash"] = ctx.t(
            "compliance.ui.entry_attempt",
            customer=plain(customer),
            channel=plain(channel),
            n=int(attempts.iloc[0]),
            result=plain(outcome),
        )
    else:
        st.session_state["cp_flash"] = ctx.t(
            "compliance.ui.entry_saved", customer=plain(customer), channel=plain(channel)
        )
    st.rerun()


def contact_log(ctx: Ctx, outlet: str, policy: Policy, period: str, own: str | None, today: dt.date) -> None:
    p = parse_period(period)
    log = load_contacts(ctx.engine, outlet, start=p.start, end=p.end, staff=own)
    st.caption(ctx.t("compliance.ui.log_caption", period=p.label, n=count(len(log))))
    if not len(log):
        return
    query = st.text_input(ctx.t("compliance.ui.log_filter"), key="cp_log_filter").strip()
    if query:
        hit = log["customer_id"].str.contains(query, regex=False) | log["staff_name"].str.contains(
            query, regex=False
        )
        log = log.loc[hit]
        if not len(log):
            st.caption(ctx.t("ui.widget.empty"))
            return
    columns = [c for c in CONTACT_COLUMNS if c not in ("created_at", "updated_by", "updated_at")]
    st.dataframe(
        log[columns].rename(columns={c: ctx.t(f"compliance.col.{c}") for c in columns}),
        hide_index=True,
        width="stretch",
        column_config={
            ctx.t("compliance.col.contact_date"): st.column_config.DateColumn(format="YYYY-MM-DD")
        },
    )
    by_id = log.set_index("id")
    chosen = st.selectbox(
        ctx.t("compliance.ui.pick_entry"),
        list(by_id.index),
        index=None,
        placeholder=ctx.t("compliance.ui.pick_entry_hint"),
        format_func=lambda i: " · ".join(
            str(v)
            for v in (
                i,
                by_id.at[i, "contact_date"].date(),
                by_id.at[i, "staff_name"],
                by_id.at[i, "customer_id"],
                by_id.at[i, "channel"],
                by_id.at[i, "result"],
            )
        ),
        key="cp_pick",
    )
    if chosen is None:
        return
    row = by_id.loc[chosen]
    channels, results = list(policy.compliance.log_channels), list(policy.compliance.log_results)
    with st.form("cp_edit"):
        left, right = st.columns(2)
        day = left.date_input(
            ctx.t("compliance.col.date"),
            value=row["contact_date"].date(),
            max_value=max(today, row["contact_date"].date()),
            key=f"cp_edit_date_{chosen}",
            format="YYYY-MM-DD",
        )
        channel = right.selectbox(
            ctx.t("compliance.col.channel"),
            channels,
            index=channels.index(row["channel"]) if row["channel"] in channels else 0,
            key=f"cp_edit_channel_{chosen}",
        )
        outcome = left.selectbox(
            ctx.t("compliance.col.result"),
            results,
            index=results.index(row["result"]) if row["result"] in results else 0,
            key=f"cp_edit_result_{chosen}",
        )
        note = right.text_input(
            ctx.t("compliance.col.note"), value=row["note"] or "", key=f"cp_edit_note_{chosen}"
        )
        confirm = st.checkbox(ctx.t("compliance.ui.confirm_delete"), key=f"cp_edit_confirm_{chosen}")
        save = st.form_submit_button(
            ctx.t("compliance.ui.save_change"), type="primary", disabled=ctx.read_only
        )
        remove = st.form_submit_button(ctx.t("compliance.ui.delete"), disabled=ctx.read_only)
    try:
        if save:
            edited = {"contact_date": day, "channel": channel, "result": outcome, "note": note or None}
            before = {
                "contact_date": row["contact_date"].date(),
                "channel": row["channel"],
                "result": row["result"],
            }
            before["note"] = row["note"] or None
            changes = {k: v for k, v in edited.items() if v != before[k]}
            if not changes:
                st.info(ctx.t("compliance.ui.unchanged"))
                return
            services.correct_contact(
                ctx.engine, ctx.actor, int(chosen), policy=policy, today=today, **changes
            )
            st.session_state["cp_flash"] = ctx.t("compliance.ui.changed", id=plain(chosen))
        elif remove:
            if not confirm:
                st.warning(ctx.t("compliance.ui.confirm_first"))
                return
            services.remove_contact(ctx.engine, ctx.actor, int(chosen))
            st.session_state["cp_flash"] = ctx.t("compliance.ui.deleted", id=plain(chosen))
        else:
            return
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        return
    st.session_state.pop("cp_pick", None)
    st.rerun()


def import_logs(ctx: Ctx, outlet: str, policy: Policy) -> None:
    st.caption(ctx.t("compliance.ui.import_hint"))
    uploads = st.file_uploader(
        ctx.t("compliance.ui.import_files"),
        type=["xlsx", "xls", "csv"],
        accept_multiple_files=True,
        key="cp_files",
    )
    if not uploads:
        return
    sources = [(u.name, u.getvalue()) for u in uploads]
    try:
        got = services.read_logs(ctx.engine, ctx.actor, outlet, sources, policy=policy, lang=ctx.lang)
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        return
    c = got.counts()
    st.write(
        ctx.t(
            "compliance.ui.import_counts",
            period=got.period.label if got.period else "—",
            rows=count(c["rows_read"]),
            contacts=count(c["contacts"]),
            rejected=count(c["rejected"]),
            unfilled=count(c["planned_unfilled"]),
            warned=count(c["warned"]),
            attempts=count(c["earlier_attempts"]),
        )
    )
    if got.rejections:
        st.warning(ctx.t("compliance.ui.rejected", n=count(len(got.rejections))))
        rejected = pd.DataFrame(got.rejections)[["file", "sheet", "row", "reason"]]
        st.dataframe(
            rejected.rename(columns={c: ctx.t(f"compliance.col.{c}") for c in rejected.columns}),
            hide_index=True,
            width="stretch",
        )
    if got.warnings:
        st.warning(ctx.t("compliance.ui.warned", n=count(len(got.warnings))))
        warned = pd.DataFrame(got.warnings)[["file", "sheet", "row", "reason"]]
        st.dataframe(
            warned.rename(columns={c: ctx.t(f"compliance.col.{c}") for c in warned.columns}),
            hide_index=True,
            width="stretch",
        )
    if st.button(
        ctx.t("compliance.ui.import_go", n=count(len(got.rows))),
        type="primary",
        disabled=not len(got.rows) or read_only_notice(ctx),
    ):
        try:
            stored = services.import_logs(
                ctx.engine, ctx.actor, outlet, got, "、".join(n for n, _ in sources)
            )
        except ConsoleError as exc:
            st.error(plain(exc.text(ctx.lang)))
            return
        done = ctx.t(
            "compliance.ui.imported",
            n=count(stored.new),
            updated=count(stored.updated),
            old=count(stored.kept),
        )
        # the figures tab was drawn before this write: run again so every figure on the page is the new one
        st.session_state["cp_flash"] = done
        st.rerun()
