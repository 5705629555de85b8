"""联络合规: the stored plan against the contact log — rates per tier and person, person x week, overdue list,
funnel, trend, the report workbook; logging, correcting and importing contacts. Staff see their own."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import streamlit as st

from core import services
from core.calendar import quarter_of
from core.compliance import ComplianceResult, parse_period
from core.compliance.charts import bars_height, funnel_chart, heatmap, rate_bars, trend_chart
from core.compliance.report import (
    compliance_workbook,
    current_period,
    overdue_by_staff,
    overdue_sorted,
    requirement_frame,
)
from core.errors import ConsoleError
from core.policy import Policy
from core.privacy import staff_view
from core.roles import Actor
from core.services.reads import (
    contacts_version,
    stored_periods,
)
from ui import data
from ui.contact_entry import contact_log, entry_form, import_logs
from ui.context import EVERYONE, MANAGERS, STAFF, Ctx, require_outlet, require_role
from ui.deferred import deferred_caption, deferred_figure
from ui.downloads import download
from ui.fmt import count, pct
from ui.guide import link_to
from ui.sms_batch import sms_tab
from ui.text import plain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TREND_MONTHS = 12  # how many stored months the trend chart reaches back


def render(ctx: Ctx) -> None:
    require_role(ctx, EVERYONE)
    outlet = require_outlet(ctx)
    st.title(ctx.t("ui.page.compliance"))
    own = ctx.staff_name if ctx.role == STAFF else None
    if ctx.role == STAFF and not own:
        st.info(ctx.t("compliance.ui.no_staff_name"))
        st.stop()
    policy, label = data.active_policy(ctx.engine, outlet, ctx.lang)
    months = stored_periods(ctx.engine, outlet)
    if not months:
        st.info(ctx.t("compliance.ui.no_plan"))
        if ctx.role != STAFF:
            link_to(ctx, "assignment")
        st.stop()
    if flash := st.session_state.pop("cp_flash", None):  # a write of the last run, shown above every tab
        st.success(flash)
    period = period_choice(ctx, months)
    today = ctx.today
    names = [
        ctx.t("compliance.ui.tab.figures"),
        ctx.t("compliance.ui.tab.entry"),
        ctx.t("compliance.ui.tab.log"),
        ctx.t("compliance.ui.tab.sms"),
    ]
    if ctx.role in MANAGERS:
        names.append(ctx.t("compliance.ui.tab.import"))
    tabs = st.tabs(names)
    with tabs[0]:
        figures(ctx, outlet, policy, label, period, months, today)
    with tabs[1]:
        entry_form(ctx, outlet, policy, own, today)
    with tabs[2]:
        contact_log(ctx, outlet, policy, period, own, today)
    with tabs[3]:
        sms_tab(ctx, outlet, policy, months, own, today)
    if ctx.role in MANAGERS:
        with tabs[4]:
            import_logs(ctx, outlet, policy)


# ------------------------------------------------------------------------------------------ period


def period_options(months: list[str], kind: str) -> list[str]:
    """Newest first: the stored months, their quarters, or the ISO weeks whose Monday falls in them."""
    if kind == "month":
        return sorted(months, reverse=True)
    if kind == "quarter":
        return sorted({quarter_of(m) for m in months}, reverse=True)
    weeks = set()
    for m in months:
        p = parse_period(m)
        day = p.start
        while day <= p.end:
            if day.weekday() == 0:
                year, week, _ = day.isocalendar()
                weeks.add(f"{year}-W{week:02d}")
            day += dt.timedelta(days=1)
    return sorted(weeks, reverse=True)


def period_choice(ctx: Ctx, months: list[str]) -> str:
    kinds = ["month", "week", "quarter"]
    left, right = st.columns([1, 2])
    kind = left.radio(
        ctx.t("compliance.ui.period_kind"),
        kinds,
        format_func=lambda k: ctx.t(f"period.{k}"),
        horizontal=True,
        key="cp_kind",
    )
    options = period_options(months, kind)
    default = current_period(
        options, ctx.today
    )  # where the head is: this week / month / quarter, never ahead
    return right.selectbox(ctx.t("compliance.ui.period"), options, index=default, key=f"cp_period_{kind}")


# ------------------------------------------------------------------------------------------ figures


@st.cache_data(show_spinner=False, max_entries=8)
def _report(
    key: tuple, outlet: str, lang: str, _result: ComplianceResult, _trend: pd.DataFrame, _policy
) -> bytes:
    return compliance_workbook(_result, _policy, outlet=outlet, trend=_trend, lang=lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _weekly(
    key: tuple, outlet: str, user: str, _engine, _actor: Actor, _policy: Policy, _result: ComplianceResult
) -> bytes:
    buffer = io.BytesIO()
    services.weekly_report(_engine, _actor, outlet, _result, _policy, buffer)
    return buffer.getvalue()


def figures(
    ctx: Ctx,
    outlet: str,
    policy: Policy,
    label: str,
    period: str,
    months: list[str],
    today: dt.date,
) -> None:
    """The period's figures (staff see their own: the service narrows them), charts and the report."""
    last = max(parse_period(period).months()[-1], today.strftime("%Y-%m"))
    trend_months = tuple(sorted(m for m in months if m <= last)[-TREND_MONTHS:])
    try:
        with st.spinner(ctx.t("compliance.ui.computing")):
            got = data.compliance_figures(ctx.engine, ctx.actor, outlet, period, policy, today, trend_months)
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        return
    result, monthly = got.result, got.trend
    st.caption(ctx.t("compliance.ui.caption", period=result.period.label, as_of=today, policy=label))
    if not result.required:
        st.info(ctx.t("compliance.ui.nothing_required", period=result.period.label))
        return
    st.caption(ctx.t("compliance.ui.due_caption", as_of=today, n=count(result.pending)))
    deferred = services.deferred_count(ctx.engine, ctx.actor, outlet, period)
    cols = st.columns(6)
    cols[0].metric(ctx.t("compliance.col.rate"), pct(result.overall))
    cols[1].metric(ctx.t("compliance.col.due_count"), count(result.due))
    cols[2].metric(ctx.t("compliance.col.met"), count(result.met_contacts))
    cols[3].metric(ctx.t("compliance.col.pending"), count(result.pending))
    cols[4].metric(ctx.t("compliance.col.overdue"), count(len(result.overdue)))
    cols[5].metric(ctx.t("deferred.metric"), deferred_figure(deferred))
    st.caption(deferred_caption(ctx, deferred))
    if not result.due:
        st.info(
            ctx.t(
                "compliance.ui.nothing_due", period=result.period.label, as_of=today, n=count(result.pending)
            )
        )
    left, right = st.columns(2)
    with left:
        st.subheader(ctx.t("compliance.ui.by_tier"))
        tiers = result.by_tier.loc[result.by_tier["tier"].isin(policy.tier_codes)].copy()
        tiers["label"] = tiers["tier"].map(lambda c: ctx.t(f"tier.{c}"))
        order = [ctx.t(f"tier.{c}") for c in policy.tier_codes]
        rated = tiers.dropna(subset=["rate"])
        st.altair_chart(
            rate_bars(rated, "label", order, ctx.lang), width="stretch", height=bars_height(len(rated))
        )
        rate_table(ctx, tiers, "label", "compliance.col.tier")
    with right:
        st.subheader(ctx.t("compliance.ui.by_staff"))
        rated = result.by_staff.dropna(subset=["rate"])
        chart = rate_bars(rated, "staff", list(rated["staff"]), ctx.lang)
        st.altair_chart(chart, width="stretch", height=bars_height(len(rated)))
        rate_table(ctx, result.by_staff, "staff", "compliance.col.staff", overdue=True, deferred=deferred)
    st.subheader(ctx.t("compliance.ui.heatmap"))
    rows = result.by_staff_week["staff"].nunique()
    st.altair_chart(heatmap(result.by_staff_week, ctx.lang), width="stretch", height=bars_height(rows) + 60)
    st.subheader(ctx.t("compliance.ui.overdue", n=count(len(result.overdue))))
    overdue_table(ctx, result, policy)
    left, right = st.columns(2)
    with left:
        st.subheader(ctx.t("compliance.ui.funnel"))
        st.altair_chart(funnel_chart(result.funnel, policy, ctx.lang), width="stretch")
    with right:
        st.subheader(ctx.t("compliance.ui.trend"))
        st.altair_chart(trend_chart(monthly, ctx.lang), width="stretch")
    key = (data.db_key(ctx.engine), ctx.actor, outlet, period, today, policy.fingerprint(), trend_months)
    report = _report((*key, contacts_version(ctx.engine, outlet)), outlet, ctx.lang, result, monthly, policy)
    download(
        st,
        ctx,
        ctx.t("compliance.ui.download"),
        report,
        file_name=f"联络合规-{outlet}-{result.period.label}.xlsx",
        mime=XLSX,
        key="cp_download",
        kind="compliance_report",
        outlet=outlet,
        rows=len(result.overdue),  # the report lists overdue customers by name
        masked=False,
        detail={"period": result.period.label},
    )
    if result.period.kind == "week":
        weekly = _weekly(key, outlet, ctx.username, ctx.engine, ctx.actor, policy, result)
        name = f"周报-{outlet}-{result.period.label}.xlsx"
        download(
            st,
            ctx,
            ctx.t("ui.compliance.weekly"),
            weekly,
            file_name=name,
            mime=XLSX,
            key="cp_weekly",
            kind="weekly_report",
            outlet=outlet,
            rows=len(result.overdue),
            masked=False,
            detail={"period": result.period.label},
        )


def rate_table(
    ctx: Ctx,
    frame: pd.DataFrame,
    field: str,
    heading: str,
    overdue: bool = False,
    deferred: services.DeferredCount | None = None,
) -> None:
    """Each group's rate with the due, met and pending contacts (and, per person, the overdue requirements and
    延后 N) beside it; "—" where nothing is due yet."""
    columns = {
        field: heading,
        "rate": "compliance.col.rate",
        "due": "compliance.col.due_count",
        "met": "compliance.col.met",
        "pending": "compliance.col.pending",
    }
    if overdue:
        columns["overdue"] = "compliance.col.overdue"
    shown = frame[list(columns)].assign(rate=frame["rate"].map(pct))
    if deferred is not None and deferred.published:
        columns["deferred"] = "deferred.metric"
        shown = shown.assign(deferred=frame[field].astype(str).map(deferred.of).astype("int64"))
    counts = {
        ctx.t(columns[c]): st.column_config.NumberColumn(format="localized")
        for c in ("due", "met", "pending", "overdue", "deferred")
        if c in columns
    }
    st.dataframe(
        shown.rename(columns={k: ctx.t(v) for k, v in columns.items()}),
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(shown),
        column_config={  # 2,167 as everywhere else in the console; the rate right-aligned like a number
            ctx.t("compliance.col.rate"): st.column_config.TextColumn(alignment="right"),
            **counts,
        },
    )


def overdue_table(ctx: Ctx, result: ComplianceResult, policy: Policy) -> None:
    if not len(result.overdue):
        st.success(ctx.t("compliance.ui.no_overdue"))
        return
    per_person = overdue_by_staff(result)
    st.caption(
        ctx.t(
            "compliance.ui.overdue_by_staff",
            people="、".join(f"{r.staff} {count(r.overdue)}" for r in per_person.itertuples()),
        )
    )
    frame = requirement_frame(overdue_sorted(result), ctx.lang)
    if ctx.role == STAFF:  # what staff see of customers follows [privacy] (core.privacy)
        frame = staff_view(frame, policy)
    frame["assets"] = frame["assets"].round(0)  # whole yuan, as the console shows assets everywhere else
    columns = {
        "staff": "compliance.col.staff",
        "customer_id": "compliance.col.customer_id",
        "name": "compliance.col.name",
        "tier_label": "compliance.col.tier",
        "assets": "compliance.col.assets",
        "kind_label": "compliance.col.kind",
        "channel_label": "compliance.col.channel",
        "due_date": "compliance.col.due",
        "window_end": "compliance.col.window_end",
        "done": "compliance.col.done",
        "required": "compliance.col.required",
    }
    shown = frame[list(columns)].rename(columns={k: ctx.t(v) for k, v in columns.items()})
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * len(shown)),
        column_config={
            ctx.t("compliance.col.assets"): st.column_config.NumberColumn(format="localized"),
            ctx.t("compliance.col.due"): st.column_config.DateColumn(format="YYYY-MM-DD"),
            ctx.t("compliance.col.window_end"): st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )
