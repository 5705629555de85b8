"""分层策略: edit the policy and see at once what changes against the saved one; save as a new version or discard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from core import services
from core.calendar import default_plan_month
from core.errors import ConsoleError, PolicyError
from core.history import compare
from core.policy import Policy
from core.segment import quick_counts
from core.services.reads import load_staff
from core.whatif import (
    days_to_maturity,
    maturing_count,
    move_matrix,
    outflow_count,
    reminder_count,
    reward_cost,
    role_workload,
)
from core.workload import capacity_use
from ui import data, plan_fit, whatif_charts
from ui.context import MANAGERS, Ctx, read_only_notice, require_outlet, require_role
from ui.fmt import count, pct, signed, whole, yuan
from ui.guide import link_to
from ui.policy_editor import BASE_KEY, LOADED_KEY, PREFIX, editor, policy_file, reset
from ui.policy_versions import versions
from ui.tables import show_table
from ui.text import plain

# Up to this many customers a proposal's plan is made on every change (about 0.6 s of CPU for the 3,033 of the
# demo's 城关支局); above it the plan takes seconds and waits for the head's click, so the what-if stays live.
AUTO_PLAN_CUSTOMERS = 10_000


def render(ctx: Ctx) -> None:
    require_role(ctx, MANAGERS)
    outlet = require_outlet(ctx)
    st.title(ctx.t("ui.page.strategy"))
    saved, label = data.active_policy(ctx.engine, outlet, ctx.lang)
    snap = data.latest_snapshot(ctx.engine, outlet)
    if snap is None:
        st.info(ctx.t("ui.no_snapshot"))
        link_to(ctx, "upload")
        versions(ctx, outlet, saved, label)
        st.stop()
    db = data.db_key(ctx.engine)
    assets = data.snapshot_assets(db, snap.id, ctx.engine)
    days = _maturity_days(db, snap.id, snap.as_of, ctx.engine)
    earlier = [s for s in data.snapshots(ctx.engine, outlet) if s.as_of < snap.as_of]
    drops = (earlier[0].as_of, *_drops(db, earlier[0].id, snap.id, ctx.engine)) if earlier else None
    staff = load_staff(ctx.engine, outlet)  # blank capacities are filled under the proposed policy
    st.caption(
        ctx.t(
            "ui.strategy.caption",
            as_of=snap.as_of,
            customers=count(len(assets)),
            policy=label,
            staff=len(staff),
        )
    )

    def plan_of(policy: Policy) -> services.PlanBundle | None:
        """The plan 任务分配 would show under ``policy`` (the same cached service call)."""
        year, month = default_plan_month(snap.as_of, policy)
        with st.spinner(ctx.t("cap.whatif.planning", month=f"{year:04d}-{month:02d}")):
            return plan_fit.next_plan(ctx, snap, policy, staff)

    whatif(ctx, outlet, saved, assets, days, staff, drops, plan_of)
    plan_fit.strategy_section(ctx, plan_of(saved), saved)  # deferrals of the saved rules' next plan
    versions(ctx, outlet, saved, label)


@st.cache_data(show_spinner=False, max_entries=16)
def _maturity_days(db: str, snapshot_id: int, as_of: dt.date, _engine) -> np.ndarray:
    """Days from the as-of date to each customer's maturity (NaN without one): the maturing count's input."""
    customers = data.snapshot_customers(db, snapshot_id, _engine)
    return days_to_maturity(customers["maturity_date"].to_numpy(dtype="datetime64[D]"), as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def _drops(db: str, before_id: int, after_id: int, _engine) -> tuple[np.ndarray, np.ndarray]:
    """Earlier assets and % change of the customers on both dates (no policy involved): outflow alerts' input."""
    before = data.snapshot_customers(db, before_id, _engine)
    after = data.snapshot_customers(db, after_id, _engine)
    moves = compare(before, after, Policy.default()).moves
    return moves["assets_before"].to_numpy(dtype=np.float64), moves["change_pct"].to_numpy(dtype=np.float64)


@st.fragment
def whatif(
    ctx: Ctx,
    outlet: str,
    saved: Policy,
    assets: np.ndarray,
    days: np.ndarray,
    staff: pd.DataFrame,
    drops: tuple[dt.date, np.ndarray, np.ndarray] | None,
    plan_of: Callable[[Policy], services.PlanBundle | None],
) -> None:
    """The editor and its figures: a widget change re-runs only this fragment, on the cached arrays."""
    if st.session_state.get(BASE_KEY) != saved.fingerprint():
        reset(saved.fingerprint())
    start = Policy.from_toml(st.session_state[LOADED_KEY]) if LOADED_KEY in st.session_state else saved
    left, right = st.columns([2, 3], gap="large")
    with left:
        changes, problems = editor(ctx, start)
    proposed: Policy | None = None
    try:
        proposed = start.with_changes(changes)
    except PolicyError as exc:
        problems = problems + exc.texts(ctx.lang)
    with right:
        if problems:
            st.error(ctx.t("ui.strategy.invalid"))
            for problem in problems:
                st.markdown(f"- {plain(problem)}")
            proposed = None
        else:
            share = st.session_state.get(f"{PREFIX}share", start.campaign.expected_share * 100) / 100
            figures(ctx, saved, proposed, assets, days, staff, drops, share, plan_of)
        actions(ctx, outlet, saved, proposed)
        policy_file(ctx, outlet, proposed)


def figures(
    ctx: Ctx,
    saved: Policy,
    proposed: Policy,
    assets: np.ndarray,
    days: np.ndarray,
    staff: pd.DataFrame | None,
    drops: tuple[dt.date, np.ndarray, np.ndarray] | None,
    share: float,
    plan_of: Callable[[Policy], services.PlanBundle | None],
) -> None:
    """Saved beside proposed: tiers, moves, near-threshold and reward cost, maturities, workload per role."""
    before, after = quick_counts(assets, saved), quick_counts(assets, proposed)
    names = [ctx.t(f"tier.{code}") for code in saved.tier_codes]
    st.subheader(ctx.t("ui.strategy.tiers"))
    for column, name, old, new in zip(
        st.columns(len(names)), names, before.tier_count, after.tier_count, strict=True
    ):
        column.metric(name, count(new), delta=signed(new - old) if new != old else None, delta_color="off")
    table = pd.DataFrame(
        {
            ctx.t("ui.col.tier"): names,
            ctx.t("ui.col.count_saved"): before.tier_count,
            ctx.t("ui.col.count_proposed"): after.tier_count,
            ctx.t("ui.col.count_delta"): after.tier_count - before.tier_count,
            ctx.t("ui.col.assets_saved"): before.tier_assets,
            ctx.t("ui.col.assets_proposed"): after.tier_assets,
            ctx.t("ui.col.assets_delta"): after.tier_assets - before.tier_assets,
        }
    )
    moves = move_matrix(assets, saved, proposed)
    whatif_charts.show(ctx.t, assets, saved, proposed, names, before.tier_count, after.tier_count, moves)
    # st.table: static HTML, lighter in the browser than a data grid on every what-if change
    st.table(table.style.format({c: whole for c in table.columns[1:]}).hide(axis="index"))
    moved = int(moves.sum() - np.trace(moves))
    st.subheader(ctx.t("ui.strategy.moves", moved=count(moved)))
    st.table(
        pd.DataFrame(
            moves, index=[ctx.t("ui.strategy.from", tier=n) for n in names], columns=names
        ).style.format("{:,}")
    )

    st.subheader(ctx.t("ui.strategy.near"))
    cost = reward_cost(after, proposed, share)
    old_near = [before.near_count.get(float(level), 0) for level in cost["level"]]
    near = pd.DataFrame(
        {
            ctx.t("ui.col.level"): cost["level"],
            ctx.t("ui.col.band"): [
                f"{lo:,.0f} – {hi:,.0f}" for lo, hi in zip(cost["lower"], cost["level"], strict=True)
            ],
            ctx.t("ui.col.count_saved"): old_near,
            ctx.t("ui.col.count_proposed"): cost["count"],
            ctx.t("ui.col.gap"): cost["gap"],
            ctx.t("ui.col.reached"): cost["reached"],
            ctx.t("ui.col.gift_cost"): cost["gift_cost"],
            ctx.t("ui.col.points_cost"): cost["points_cost"],
            ctx.t("ui.col.cost"): cost["cost"],
        }
    )
    st.table(
        near.style.format({c: whole for c in near.columns if c != ctx.t("ui.col.band")}).hide(axis="index")
    )
    c1, c2 = st.columns(2)
    c1.metric(ctx.t("ui.strategy.near_total"), count(sum(after.near_count.values())))
    c2.metric(ctx.t("ui.strategy.cost_total", share=pct(share)), yuan(float(cost["cost"].sum())))

    st.subheader(ctx.t("ui.strategy.maturities"))
    old_due, new_due = maturing_count(days, saved), maturing_count(days, proposed)
    old_calls, new_calls = reminder_count(days, saved), reminder_count(days, proposed)
    c1, c2, c3 = st.columns(3)
    c1.metric(
        ctx.t("ui.strategy.maturing", days=proposed.maturity.window_days),
        count(new_due),
        delta=signed(new_due - old_due) if new_due != old_due else None,
        delta_color="off",
    )
    c2.metric(
        ctx.t("ui.strategy.reminders"),
        count(new_calls),
        delta=signed(new_calls - old_calls) if new_calls != old_calls else None,
        delta_color="off",
    )
    if drops is not None:
        since, before_assets, change_pct = drops
        old_out = outflow_count(before_assets, change_pct, saved)
        new_out = outflow_count(before_assets, change_pct, proposed)
        c3.metric(
            ctx.t("ui.strategy.outflow_alerts", pct=f"{proposed.history.outflow_pct:g}"),
            count(new_out),
            help=ctx.t("ui.strategy.outflow_help", since=since),
            delta=signed(new_out - old_out) if new_out != old_out else None,
            delta_color="off",
        )

    workload(ctx, saved, proposed, after.tier_count, staff, plan_of)


def workload(
    ctx: Ctx,
    saved: Policy,
    proposed: Policy,
    tier_count: np.ndarray,
    staff: pd.DataFrame | None,
    plan_of: Callable[[Policy], services.PlanBundle | None],
) -> None:
    """Capacity use of the plan the proposed policy would make (任务分配's planner, by the same cached call), and
    the change against the saved policy's plan; without a usable roster, the contacts the cadence asks of each
    role (no capacity). Above AUTO_PLAN_CUSTOMERS a proposal is planned when the head asks for it."""
    current = plan_of(saved)
    bundle = current
    changed = proposed.fingerprint() != saved.fingerprint()
    if changed and current is not None:
        planned = st.session_state.setdefault("wi_planned", set())  # proposals already planned (cached)
        if (
            int(tier_count.sum()) <= AUTO_PLAN_CUSTOMERS
            or proposed.fingerprint() in planned
            or st.button(ctx.t("cap.whatif.plan", month=current.month), key="wi_plan_button")
        ):
            bundle = plan_of(proposed)
            planned.add(proposed.fingerprint())
    if bundle is None:
        _estimate(ctx, tier_count, proposed, staff is not None and not staff.empty)
        return
    st.subheader(ctx.t("cap.whatif.title", month=bundle.month))
    fresh = changed and bundle is not current  # the proposal's own plan, compared with the saved one
    roles = capacity_use(bundle.workload, proposed if fresh else saved, bundle.deferred).roles
    before = capacity_use(current.workload, saved, current.deferred).roles if fresh else None
    frame, kinds = plan_fit.role_use_table(ctx, roles, before)
    flagged = (roles["use"] > 1 + 1e-9) | (roles["deferred"] > 0)
    show_table(frame, kinds, highlight=flagged.tolist())
    if roles["deferred"].sum():
        late = roles.loc[roles["deferred"] > 0]
        st.warning(
            ctx.t(
                "cap.whatif.deferred" if fresh else "cap.whatif.deferred_saved",
                month=bundle.month,
                count=count(int(late["deferred"].sum())),
                roles=plain("、".join(f"{r.role} {r.deferred:,}" for r in late.itertuples(index=False))),
            )
        )
    if changed and not fresh:
        note = "cap.whatif.not_planned"
    else:
        note = "cap.whatif.changed_note" if fresh else "cap.whatif.saved_note"
    st.caption(ctx.t(note, month=bundle.month, days=int(bundle.fitted.days.size)))


def _estimate(ctx: Ctx, tier_count: np.ndarray, policy: Policy, has_roster: bool) -> None:
    """No plan without a usable roster: the contacts a month the cadence asks of each role."""
    st.subheader(ctx.t("ui.strategy.workload"))
    st.caption(ctx.t("cap.whatif.roster_invalid" if has_roster else "ui.strategy.no_roster"))
    load = role_workload(tier_count, policy)
    show_table(pd.DataFrame({ctx.t("ui.col.role"): load["role"], ctx.t("ui.col.demand"): load["demand"]}))
    st.caption(ctx.t("ui.strategy.workload_note_no_roster"))


def actions(ctx: Ctx, outlet: str, saved: Policy, proposed: Policy | None) -> None:
    """Save (only a valid proposal that differs from the saved policy) or discard every edit."""
    changed = proposed is not None and proposed.fingerprint() != saved.fingerprint()
    edited = changed or proposed is None or LOADED_KEY in st.session_state
    read_only = read_only_notice(ctx)  # what-if stays open to the admin; saving does not
    note = st.text_input(ctx.t("ui.strategy.note"), key=f"{PREFIX}note", disabled=read_only)
    c1, c2 = st.columns(2)
    if c1.button(
        ctx.t("ui.strategy.save"), type="primary", disabled=not changed or read_only, key="wi_save_button"
    ):
        try:
            version = services.save_policy(ctx.engine, ctx.actor, outlet, proposed, note)
        except ConsoleError as exc:
            st.error(plain(str(exc)))
            return
        reset()
        st.session_state["pv_pick_next"] = version  # the version list opens on the version just saved
        st.session_state["flash"] = ctx.t(
            "ui.strategy.saved", version=ctx.t("ui.policy.version", version=version)
        )
        st.rerun()
    c2.button(
        ctx.t("ui.strategy.discard"),
        disabled=not edited,
        key="wi_discard_button",
        on_click=reset,
        args=(saved.fingerprint(),),
    )
    if flash := st.session_state.pop("flash", None):
        st.success(flash)
