"""经营成效: KPI trends over every snapshot, the outcomes of a chosen pair, contacted vs not, 达标有礼 fulfilment."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from core import services
from core.errors import ConsoleError
from core.outcomes import Campaign, Outcomes
from core.outcomes.workbook import gifts_workbook, outcomes_workbook, summary_rows
from core.policy import Policy
from core.roles import Actor
from core.services.reads import contacts_version
from ui import data
from ui.charts import tier_migration_heatmap
from ui.context import HEAD, MANAGERS, Ctx, require_outlet, require_role
from ui.deferred import deferred_caption
from ui.downloads import download
from ui.fmt import AMOUNT, COUNT, PCT, count, yuan
from ui.tables import show_table
from ui.text import plain

GROUP_KINDS = {
    "customers": COUNT,
    "promoted": COUNT,
    "demoted": COUNT,
    "promoted_rate": PCT,
    "near": COUNT,
    "reached": COUNT,
    "reached_rate": PCT,
    "change": AMOUNT,
}


@st.cache_data(show_spinner=False, max_entries=8)
def _trend(
    db: str,
    user: str,
    outlet: str,
    snapshots: tuple[int, ...],
    fingerprint: str,
    _engine: Engine,
    _actor: Actor,
    _policy: Policy,
):
    return services.outcomes_trend(_engine, _actor, outlet, _policy)


@st.cache_data(show_spinner=False, max_entries=8)
def _outcomes(
    db: str,
    user: str,
    outlet: str,
    date_from: dt.date,
    date_to: dt.date,
    fingerprint: str,
    version: int,
    _engine,
    _actor,
    _policy,
) -> Outcomes:
    return services.outcomes_between(_engine, _actor, outlet, date_from, date_to, _policy)


@st.cache_data(show_spinner=False, max_entries=8)
def _campaign(
    db: str,
    user: str,
    outlet: str,
    fingerprint: str,
    version: int,
    snaps: tuple[int, ...],
    _engine,
    _actor,
    _policy,
):
    return services.gift_campaign(_engine, _actor, outlet, _policy)


def render(ctx: Ctx) -> None:
    require_role(ctx, MANAGERS)
    outlet = require_outlet(ctx)
    st.title(ctx.t("ui.page.outcomes"))
    if ctx.read_only:
        st.caption(ctx.t("ui.outcomes.read_only"))
    snaps = data.snapshots(ctx.engine, outlet)
    if len(snaps) < 2:
        st.info(ctx.t("ui.outcomes.need_two", n=len(snaps)))
        return
    policy, label = data.active_policy(ctx.engine, outlet, ctx.lang)
    db, fp = data.db_key(ctx.engine), policy.fingerprint()
    ids = tuple(sorted(s.id for s in snaps))
    version = contacts_version(ctx.engine, outlet)
    _trend_charts(ctx, _trend(db, ctx.username, outlet, ids, fp, ctx.engine, ctx.actor, policy), policy)

    st.subheader(ctx.t("ui.outcomes.pair"))
    labels = {s.id: s.label() for s in snaps}
    c = st.columns(2)
    from_id = c[0].selectbox(
        ctx.t("ui.outcomes.from"), list(labels), index=1, format_func=labels.get, key="oc_from"
    )
    to_id = c[1].selectbox(
        ctx.t("ui.outcomes.to"), list(labels), index=0, format_func=labels.get, key="oc_to"
    )
    first = next(s for s in snaps if s.id == from_id)
    last = next(s for s in snaps if s.id == to_id)
    if first.as_of >= last.as_of:
        st.warning(ctx.t("ui.outcomes.order"))
        return
    try:
        result = _outcomes(
            db, ctx.username, outlet, first.as_of, last.as_of, fp, version, ctx.engine, ctx.actor, policy
        )
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        return
    _headline(ctx, result)
    deferred = services.deferred_between(ctx.engine, ctx.actor, outlet, first.as_of, last.as_of)
    st.caption(deferred_caption(ctx, deferred, per_person=True))
    st.subheader(ctx.t("ui.outcomes.migration"))
    st.altair_chart(tier_migration_heatmap(ctx, result.matrix, policy), width="stretch")
    st.subheader(ctx.t("ui.outcomes.groups"))
    st.caption(ctx.t("outcomes.rule.contacted", results="、".join(policy.outcomes.reached_results)))
    groups = result.groups.reset_index(names="group")
    groups["group"] = [ctx.t(f"outcomes.group.{g}") for g in groups["group"]]
    show_table(_headed(ctx, groups), _kinds(ctx))
    st.subheader(ctx.t("ui.outcomes.staff"))
    by_staff = result.by_staff
    if deferred.published:  # 延后 N beside each person's reached share
        by_staff = by_staff.assign(deferred=by_staff["staff"].astype(str).map(deferred.of).astype("int64"))
    show_table(_headed(ctx, by_staff), {**_kinds(ctx), ctx.t("outcomes.col.deferred"): COUNT})
    tabs = st.tabs([ctx.t("ui.outcomes.reached_list"), ctx.t("ui.outcomes.maturities")])
    with tabs[0]:
        reached = result.customers.loc[result.customers["reached"]].rename(columns={"near_level": "level"})
        cols = ["customer_id", "name", "level", "assets_before", "assets_after", "contacted"]
        show_table(_headed(ctx, reached[cols]), {ctx.t(f"outcomes.col.{k}"): AMOUNT for k in cols[2:5]})
    with tabs[1]:
        let = f"{(1 - policy.outcomes.maturity_kept_share) * 100:g}"
        st.caption(ctx.t("outcomes.rule.maturity", let=let))
        cols = ["customer_id", "product", "amount", "maturity_date", "assets_before", "assets_after", "kept"]
        show_table(
            _headed(ctx, result.maturities[cols]),
            {ctx.t(f"outcomes.col.{k}"): AMOUNT for k in ("amount", "assets_before", "assets_after")},
        )
    gifts = _gifts(ctx, outlet, policy, db, fp, version, ids)
    download(
        st,
        ctx,
        ctx.t("ui.outcomes.download"),
        outcomes_workbook(result, policy, outlet=outlet, lang=ctx.lang, gifts=gifts),
        file_name=f"{outlet}-经营成效-{first.as_of}-{last.as_of}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="oc_download",
        kind="outcomes",
        outlet=outlet,
        rows=len(result.maturities) + (len(gifts.table) if gifts is not None else 0),
        masked=False,
        detail={"from": first.id, "to": last.id},
    )
    st.caption(ctx.t("ui.outcomes.policy_used", policy=label))  # a bare "第 1 版" said nothing


def _trend_charts(ctx: Ctx, frame: pd.DataFrame, policy: Policy) -> None:
    st.subheader(ctx.t("ui.outcomes.trend"))
    c = st.columns(2)
    # Snapshot dates as written in the console (2026-11-30), one tick each: a temporal axis labels them the
    # browser's English way ("Sep 06", "November") at ticks that are not snapshot dates.
    frame = frame.assign(as_of=pd.to_datetime(frame["as_of"]).dt.strftime("%Y-%m-%d"))
    avg = frame[["as_of", "avg_assets"]]
    c[0].altair_chart(
        alt.Chart(avg)
        .mark_line(point=True)
        .encode(
            x=alt.X("as_of:O", title=ctx.t("outcomes.col.as_of"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("avg_assets:Q", title=ctx.t("outcomes.col.avg_assets")),
            tooltip=["as_of:O", alt.Tooltip("avg_assets:Q", format=",.0f")],
        )
        .properties(height=240),
        width="stretch",
    )
    share_cols = [col for col in frame.columns if col.startswith("share_")]
    shares = frame.melt(id_vars="as_of", value_vars=share_cols, var_name="level", value_name="share")
    shares["level"] = [ctx.t("outcomes.col.share", level=f"{float(v[6:]):,.0f}") for v in shares["level"]]
    c[1].altair_chart(
        alt.Chart(shares)
        .mark_line(point=True)
        .encode(
            x=alt.X("as_of:O", title=ctx.t("outcomes.col.as_of"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("share:Q", axis=alt.Axis(format="%"), title=None),
            color=alt.Color("level:N", title=None),
            tooltip=["as_of:O", "level:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(height=240),
        width="stretch",
    )


def _headline(ctx: Ctx, result: Outcomes) -> None:
    s = result.summary()
    m = st.columns(5)
    m[0].metric(
        ctx.t("outcomes.fig.customers"),
        count(s["customers"]["to"]),
        f"{s['customers']['to'] - s['customers']['from']:+,}",
    )
    af, at = s["avg_assets"]["from"] or 0.0, s["avg_assets"]["to"] or 0.0
    m[1].metric(ctx.t("outcomes.col.avg_assets"), yuan(at), f"{at - af:+,.0f}")
    m[2].metric(ctx.t("outcomes.fig.promoted"), count(s["promoted"]))
    m[3].metric(ctx.t("outcomes.fig.demoted"), count(s["demoted"]))
    mat = s["maturities"]
    m[4].metric(ctx.t("outcomes.fig.kept"), f"{mat['kept']:,} / {mat['items']:,}")
    show_table(summary_rows(result, ctx.lang).rename(columns=_names(ctx, ("figure", "from", "to"))), {})


def _names(ctx: Ctx, keys) -> dict[str, str]:
    return {k: ctx.t(f"outcomes.col.{k}") for k in keys}


def _headed(ctx: Ctx, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("contacted", "kept", "handed"):
        if column in out.columns:
            out[column] = [ctx.t("outcomes.yes" if v else "outcomes.no") for v in out[column]]
    return out.rename(columns=_names(ctx, out.columns))


def _kinds(ctx: Ctx) -> dict[str, str]:
    return {ctx.t(f"outcomes.col.{k}"): kind for k, kind in GROUP_KINDS.items()}


def _gifts(ctx: Ctx, outlet: str, policy: Policy, db: str, fp: str, version: int, ids) -> Campaign | None:
    st.subheader(ctx.t("ui.outcomes.gifts"))
    if done := st.session_state.pop("oc_recorded", None):
        st.success(done)
    editable = ctx.role == HEAD and not ctx.read_only
    try:
        gifts = _campaign(db, ctx.username, outlet, fp, version, ids, ctx.engine, ctx.actor, policy)
    except ConsoleError as exc:
        if editable and None in policy.campaign.window():  # the form right below sets it: say so, not TOML
            st.info(ctx.t("ui.outcomes.no_window_here"))
        else:
            st.info(plain(exc.text(ctx.lang)))
        if editable:
            _campaign_form(ctx, outlet, policy, expanded=True)
        return None
    st.caption(
        ctx.t(
            "ui.outcomes.gifts_caption",
            start=gifts.start,
            end=gifts.end,
            baseline=gifts.baseline["as_of"],
            latest=gifts.latest["as_of"],
        )
    )
    s = gifts.summary
    m = st.columns(4)
    m[0].metric(ctx.t("outcomes.col.campaign_earned"), count(s["earned"]))
    m[1].metric(ctx.t("outcomes.col.handed"), count(s["handed"]))
    m[2].metric(ctx.t("outcomes.gifts.handed_value"), yuan(s["handed_value"]))
    m[3].metric(
        ctx.t("outcomes.gifts.remaining"),
        yuan(s["remaining"]),
        help=ctx.t("outcomes.gifts.budget") + f" {yuan(s['budget'])}",
    )
    if s["over_budget"]:
        st.warning(ctx.t("ui.outcomes.over_budget", value=yuan(s["earned_value"]), budget=yuan(s["budget"])))
    show_table(
        _headed(ctx, gifts.table),
        {
            ctx.t(f"outcomes.col.{k}"): AMOUNT
            for k in ("level", "gift_value", "assets_before", "assets_after")
        },
    )
    download(
        st,
        ctx,
        ctx.t("ui.outcomes.gifts_download"),
        gifts_workbook(gifts, ctx.lang),
        file_name=f"{outlet}-达标有礼-{gifts.start}-{gifts.end}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="oc_gifts_download",
        kind="gifts",
        outlet=outlet,
        rows=len(gifts.table),
        masked=False,
        detail={"campaign": gifts.key},
    )
    if editable and len(gifts.table):
        _record_form(ctx, outlet, policy, gifts)
    if editable:
        _campaign_form(ctx, outlet, policy, expanded=False)
    return gifts


def _campaign_form(ctx: Ctx, outlet: str, policy: Policy, *, expanded: bool) -> None:
    """The campaign window and budget, saved as a new policy version of the outlet (gift values: 分层策略)."""
    start, end = policy.campaign.window()
    with st.expander(ctx.t("ui.outcomes.campaign_settings"), expanded=expanded), st.form("oc_campaign"):
        c = st.columns(3)
        first = c[0].date_input(ctx.t("ui.outcomes.campaign_start"), value=start, format="YYYY-MM-DD")
        last = c[1].date_input(ctx.t("ui.outcomes.campaign_end"), value=end, format="YYYY-MM-DD")
        budget = c[2].number_input(
            ctx.t("outcomes.gifts.budget"), min_value=0.0, value=float(policy.campaign.budget), step=100.0
        )
        st.caption(ctx.t("ui.outcomes.campaign_hint"))
        if st.form_submit_button(ctx.t("ui.outcomes.campaign_save")):
            changes = {
                "campaign": {
                    "start": first.isoformat() if first else "",
                    "end": last.isoformat() if last else "",
                    "budget": float(budget),
                }
            }
            try:
                version = services.save_policy(
                    ctx.engine,
                    ctx.actor,
                    outlet,
                    policy.with_changes(changes),
                    ctx.t("ui.outcomes.campaign_note"),
                )
                label = ctx.t("ui.policy.version", version=version)
            except ConsoleError as exc:
                st.error(plain(exc.text(ctx.lang)))
            else:
                st.session_state["oc_recorded"] = ctx.t("ui.outcomes.campaign_saved", version=label)
                st.rerun()


def _record_form(ctx: Ctx, outlet: str, policy: Policy, gifts: Campaign) -> None:
    table = gifts.table
    choices = table["customer_id"].astype(str).tolist()
    names = dict(zip(choices, table["name"].astype(str), strict=True))
    with st.form("oc_record"):
        st.markdown(f"**{ctx.t('ui.outcomes.record')}**")
        c = st.columns(4)
        customer = c[0].selectbox(
            ctx.t("ui.outcomes.record_customer"), choices, format_func=lambda k: f"{k} {names.get(k, '')}"
        )
        day = c[1].date_input(
            ctx.t("ui.outcomes.record_date"), value=min(ctx.today, gifts.end), format="YYYY-MM-DD"
        )
        staff = c[2].text_input(ctx.t("ui.outcomes.record_staff"))
        note = c[3].text_input(ctx.t("ui.outcomes.record_note"))
        if st.form_submit_button(ctx.t("ui.outcomes.record_submit")):
            try:
                services.record_gift(
                    ctx.engine,
                    ctx.actor,
                    outlet,
                    policy,
                    customer_id=customer,
                    handed_on=day,
                    staff_name=staff,
                    note=note,
                )
            except ConsoleError as exc:
                st.error(plain(exc.text(ctx.lang)))
            else:
                st.session_state["oc_recorded"] = ctx.t(
                    "ui.outcomes.recorded", customer=plain(customer), date=day
                )
                st.rerun()
