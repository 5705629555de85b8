"""联络合规: the stored plan against the contact log — rates per tier and person, person x week, overdue list,
funnel, trend, the report workbook; logging, correcting and importing contacts. Staff see their own."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core.compliance import ComplianceResult, compliance, parse_period, requirements, trend
from core.compliance_charts import bars_height, funnel_chart, heatmap, rate_bars, trend_chart
from core.compliance_report import compliance_workbook, requirement_frame
from core.contact_store import (
    Actor,
    add_contact,
    contacts_version,
    customer_directory,
    delete_contact,
    load_contacts,
    load_period_plan,
    outlet_customers,
    outlet_staff,
    store_contacts,
    stored_periods,
    update_contact,
)
from core.contacts import read_contact_logs
from core.errors import ConsoleError
from core.policy import Policy
from ui import data
from ui.context import EVERYONE, MANAGERS, STAFF, Ctx, require_outlet, require_role
from ui.fmt import count, pct
from ui.guide import link_to

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
    period = period_choice(ctx, months)
    today = dt.date.today()
    names = [
        ctx.t("compliance.ui.tab.figures"),
        ctx.t("compliance.ui.tab.entry"),
        ctx.t("compliance.ui.tab.log"),
    ]
    if ctx.role in MANAGERS:
        names.append(ctx.t("compliance.ui.tab.import"))
    tabs = st.tabs(names)
    with tabs[0]:
        figures(ctx, outlet, policy, label, period, months, own, today)
    with tabs[1]:
        entry_form(ctx, outlet, policy, own, today)
    with tabs[2]:
        contact_log(ctx, outlet, policy, period, own, today)
    if ctx.role in MANAGERS:
        with tabs[3]:
            import_logs(ctx, outlet, policy)


# ------------------------------------------------------------------------------------------ period


def period_options(months: list[str], kind: str) -> list[str]:
    """Newest first: the stored months, their quarters, or the ISO weeks whose Monday falls in them."""
    if kind == "month":
        return sorted(months, reverse=True)
    if kind == "quarter":
        return sorted({f"{m[:4]}-Q{(int(m[5:]) - 1) // 3 + 1}" for m in months}, reverse=True)
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
    current = dt.date.today().strftime("%Y-%m")
    default = next((i for i, m in enumerate(options) if kind != "month" or m <= current), 0)
    return right.selectbox(ctx.t("compliance.ui.period"), options, index=default, key=f"cp_period_{kind}")


# ------------------------------------------------------------------------------------------ figures


@st.cache_data(show_spinner=False, max_entries=16)
def _figures(
    db: str,
    outlet: str,
    period: str,
    as_of: dt.date,
    fingerprint: str,
    version: int,
    staff: str | None,
    trend_months: tuple[str, ...],
    _engine,
    _policy: Policy,
) -> tuple[ComplianceResult, pd.DataFrame]:
    """The period's result and the monthly trend; keyed on the data version so any change recomputes."""
    months = dict.fromkeys([*parse_period(period).months(), *trend_months])
    plans = [load_period_plan(_engine, outlet, m) for m in months]
    filled = [p for p in plans if len(p)]
    plan = pd.concat(filled, ignore_index=True) if filled else plans[0]
    req = requirements(plan, _policy)
    if staff is not None:
        req = req.loc[req["staff"] == staff].reset_index(drop=True)
    if len(req):
        start, end = req["window_start"].min().date(), req["window_end"].max().date()
        contacts = load_contacts(_engine, outlet, start=start, end=end)
    else:
        contacts = load_contacts(_engine, outlet, start=as_of, end=as_of)
    result = compliance(req, contacts, _policy, period, as_of=as_of)
    monthly = trend(req, contacts, _policy, list(trend_months), as_of=as_of)
    return result, monthly


@st.cache_data(show_spinner=False, max_entries=8)
def _report(
    key: tuple, outlet: str, lang: str, _result: ComplianceResult, _trend: pd.DataFrame, _policy
) -> bytes:
    return compliance_workbook(_result, _policy, outlet=outlet, trend=_trend, lang=lang)


def figures(
    ctx: Ctx,
    outlet: str,
    policy: Policy,
    label: str,
    period: str,
    months: list[str],
    own: str | None,
    today: dt.date,
) -> None:
    last = max(parse_period(period).months()[-1], today.strftime("%Y-%m"))
    trend_months = tuple(sorted(m for m in months if m <= last)[-TREND_MONTHS:])
    version = contacts_version(ctx.engine, outlet)
    key = (data.db_key(ctx.engine), outlet, period, today, policy.fingerprint(), version, own, trend_months)
    try:
        with st.spinner(ctx.t("compliance.ui.computing")):
            result, monthly = _figures(*key, ctx.engine, policy)
    except ConsoleError as exc:
        st.error(str(exc))
        return
    st.caption(ctx.t("compliance.ui.caption", period=result.period.label, as_of=today, policy=label))
    if not result.required:
        st.info(ctx.t("compliance.ui.nothing_required", period=result.period.label))
        return
    st.caption(ctx.t("compliance.ui.due_caption", as_of=today, n=count(result.pending)))
    cols = st.columns(5)
    cols[0].metric(ctx.t("compliance.col.rate"), pct(result.overall))
    cols[1].metric(ctx.t("compliance.col.due_count"), count(result.due))
    cols[2].metric(ctx.t("compliance.col.met"), count(result.met_contacts))
    cols[3].metric(ctx.t("compliance.col.pending"), count(result.pending))
    cols[4].metric(ctx.t("compliance.col.overdue"), count(len(result.overdue)))
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
        rate_table(ctx, result.by_staff, "staff", "compliance.col.staff")
    st.subheader(ctx.t("compliance.ui.heatmap"))
    rows = result.by_staff_week["staff"].nunique()
    st.altair_chart(heatmap(result.by_staff_week, ctx.lang), width="stretch", height=bars_height(rows) + 60)
    st.subheader(ctx.t("compliance.ui.overdue", n=count(len(result.overdue))))
    overdue_table(ctx, result)
    left, right = st.columns(2)
    with left:
        st.subheader(ctx.t("compliance.ui.funnel"))
        st.altair_chart(funnel_chart(result.funnel, policy, ctx.lang), width="stretch")
    with right:
        st.subheader(ctx.t("compliance.ui.trend"))
        st.altair_chart(trend_chart(monthly, ctx.lang), width="stretch")
    report = _report(key, outlet, ctx.lang, result, monthly, policy)
    st.download_button(
        ctx.t("compliance.ui.download"),
        report,
        file_name=f"联络合规-{outlet}-{result.period.label}.xlsx",
        mime=XLSX,
        key="cp_download",
    )


def rate_table(ctx: Ctx, frame: pd.DataFrame, field: str, heading: str) -> None:
    """Each group's rate with the due, met and pending contacts beside it; "—" where nothing is due yet."""
    columns = {
        field: heading,
        "rate": "compliance.col.rate",
        "due": "compliance.col.due_count",
        "met": "compliance.col.met",
        "pending": "compliance.col.pending",
    }
    shown = frame[list(columns)].assign(rate=frame["rate"].map(pct))
    st.dataframe(
        shown.rename(columns={k: ctx.t(v) for k, v in columns.items()}),
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(shown),
    )


def overdue_table(ctx: Ctx, result: ComplianceResult) -> None:
    if not len(result.overdue):
        st.success(ctx.t("compliance.ui.no_overdue"))
        return
    frame = requirement_frame(result.overdue, ctx.lang)
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


# ------------------------------------------------------------------------------------------ entry


def _actor(ctx: Ctx) -> Actor:
    return Actor(ctx.username, ctx.role, ctx.outlet, ctx.staff_name)


def entry_form(ctx: Ctx, outlet: str, policy: Policy, own: str | None, today: dt.date) -> None:
    if flash := st.session_state.pop("cp_flash", None):
        st.success(flash)
    directory = customer_directory(ctx.engine, outlet, staff=own)
    if not len(directory):
        st.info(ctx.t("compliance.ui.no_customers"))
        return
    labels = dict(zip(directory["customer_id"], directory["name"].fillna(""), strict=True))
    people = [own] if own else sorted(outlet_staff(ctx.engine, outlet))
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
        day = right.date_input(ctx.t("compliance.col.date"), value=today, max_value=today)
        channel = left.selectbox(ctx.t("compliance.col.channel"), list(policy.compliance.log_channels))
        outcome = right.selectbox(ctx.t("compliance.col.result"), list(policy.compliance.log_results))
        note = st.text_input(ctx.t("compliance.col.note"))
        submitted = st.form_submit_button(ctx.t("compliance.ui.save_entry"), type="primary")
    if not submitted:
        return
    if customer is None:
        st.error(ctx.t("compliance.ui.pick_customer"))
        return
    try:
        add_contact(
            ctx.engine,
            _actor(ctx),
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
        st.error(str(exc))
        return
    st.session_state["cp_flash"] = ctx.t("compliance.ui.entry_saved", customer=customer, channel=channel)
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
    columns = [
        "id",
        "contact_date",
        "staff_name",
        "customer_id",
        "channel",
        "result",
        "note",
        "source",
        "created_by",
    ]
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
        save = st.form_submit_button(ctx.t("compliance.ui.save_change"), type="primary")
        remove = st.form_submit_button(ctx.t("compliance.ui.delete"))
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
            update_contact(ctx.engine, _actor(ctx), int(chosen), policy=policy, today=today, **changes)
            st.session_state["cp_flash"] = ctx.t("compliance.ui.changed", id=chosen)
        elif remove:
            if not confirm:
                st.warning(ctx.t("compliance.ui.confirm_first"))
                return
            delete_contact(ctx.engine, _actor(ctx), int(chosen))
            st.session_state["cp_flash"] = ctx.t("compliance.ui.deleted", id=chosen)
        else:
            return
    except ConsoleError as exc:
        st.error(str(exc))
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
        got = read_contact_logs(
            sources,
            policy=policy,
            staff=outlet_staff(ctx.engine, outlet),
            customers=outlet_customers(ctx.engine, outlet),
            lang=ctx.lang,
        )
    except ConsoleError as exc:
        st.error(str(exc))
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
            duplicates=count(c["duplicates"]),
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
    if st.button(
        ctx.t("compliance.ui.import_go", n=count(len(got.rows))), type="primary", disabled=not len(got.rows)
    ):
        try:
            imported = store_contacts(
                ctx.engine, outlet, got.rows, ctx.username, "、".join(n for n, _ in sources)
            )
        except ConsoleError as exc:
            st.error(str(exc))
            return
        st.success(ctx.t("compliance.ui.imported", n=count(imported), old=count(len(got.rows) - imported)))


if __name__ == "__main__":  # opened by the legacy pages/ runner: go through app.py (see ui/legacy.py)
    from ui.legacy import reroute

    reroute(__name__)
