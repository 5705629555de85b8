"""分层策略: edit the policy and see at once what changes against the saved one; save as a new version or discard."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core.errors import ConsoleError, PolicyError
from core.history import compare
from core.i18n import t
from core.policy import CHANNELS, ORDERS, PERIODS, TIER_CODES, Policy, policy_diff
from core.segment import quick_counts
from core.storage import activate_policy, list_policies, load_policy_version, load_staff
from ui import data, whatif_charts
from ui.context import MANAGERS, Ctx, require_outlet, require_role
from ui.fmt import count, pct, signed, yuan
from ui.guide import link_to
from ui.whatif import (
    assigned_role_workload,
    days_to_maturity,
    maturing_count,
    move_matrix,
    outflow_count,
    policy_file_name,
    reminder_count,
    reward_cost,
    role_workload,
    staff_capacity,
)

PREFIX = "wi."  # every widget of the what-if editor; cleared together on save, discard or another base policy
BASE_KEY = "wi_base"
LOADED_KEY = "wi_loaded"  # TOML of an uploaded policy: the editor's starting point instead of the saved one
UPLOAD_KEY = "wi_upload"
UPLOAD_PROBLEMS = "wi_upload_problems"


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

    def load_of(policy: Policy, roster: pd.DataFrame) -> pd.DataFrame:
        key = data.roster_key(roster)
        return _assigned_load(db, snap.id, policy.fingerprint(), key, snap.as_of, ctx.engine, policy, roster)

    whatif(ctx, outlet, saved, assets, days, staff, drops, load_of)
    versions(ctx, outlet, saved, label)


@st.cache_data(show_spinner=False, max_entries=16)
def _maturity_days(db: str, snapshot_id: int, as_of: dt.date, _engine) -> np.ndarray:
    """Days from the as-of date to each customer's maturity (NaN without one): the maturing count's input."""
    customers = data.snapshot_customers(db, snapshot_id, _engine)
    return days_to_maturity(customers["maturity_date"].to_numpy(dtype="datetime64[D]"), as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def _assigned_load(
    db: str,
    snapshot_id: int,
    fingerprint: str,
    roster: str,
    as_of: dt.date,
    _engine,
    _policy: Policy,
    _staff: pd.DataFrame,
) -> pd.DataFrame:
    """Workload per role under a proposed policy, by the assignment's own rules; keyed on policy and roster."""
    return assigned_role_workload(data.snapshot_customers(db, snapshot_id, _engine), as_of, _policy, _staff)


@st.cache_data(show_spinner=False, max_entries=8)
def _drops(db: str, before_id: int, after_id: int, _engine) -> tuple[np.ndarray, np.ndarray]:
    """Earlier assets and % change of the customers on both dates (no policy involved): outflow alerts' input."""
    before = data.snapshot_customers(db, before_id, _engine)
    after = data.snapshot_customers(db, after_id, _engine)
    moves = compare(before, after, Policy.default()).moves
    return moves["assets_before"].to_numpy(dtype=np.float64), moves["change_pct"].to_numpy(dtype=np.float64)


def _reset(base: str | None = None) -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(PREFIX)]:
        del st.session_state[key]
    st.session_state[BASE_KEY] = base
    st.session_state.pop(LOADED_KEY, None)
    st.session_state.pop(UPLOAD_PROBLEMS, None)


@st.fragment
def whatif(
    ctx: Ctx,
    outlet: str,
    saved: Policy,
    assets: np.ndarray,
    days: np.ndarray,
    staff: pd.DataFrame,
    drops: tuple[dt.date, np.ndarray, np.ndarray] | None,
    load_of: Callable[[Policy, pd.DataFrame], pd.DataFrame],
) -> None:
    """The editor and its figures: a widget change re-runs only this fragment, on the cached arrays."""
    if st.session_state.get(BASE_KEY) != saved.fingerprint():
        _reset(saved.fingerprint())
    start = Policy.from_toml(st.session_state[LOADED_KEY]) if LOADED_KEY in st.session_state else saved
    left, right = st.columns([2, 3], gap="large")
    with left:
        changes, problems = editor(ctx, start)
    proposed: Policy | None = None
    try:
        proposed = start.with_changes(changes)
    except PolicyError as exc:
        problems = problems + exc.problems
    with right:
        if problems:
            st.error(ctx.t("ui.strategy.invalid"))
            for problem in problems:
                st.markdown(f"- {problem}")
            proposed = None
        else:
            share = st.session_state.get(f"{PREFIX}share", start.campaign.expected_share * 100) / 100
            figures(ctx, saved, proposed, assets, days, staff, drops, share, load_of)
        actions(ctx, outlet, saved, proposed)
        policy_file(ctx, outlet, proposed)


def editor(ctx: Ctx, saved: Policy) -> tuple[dict[str, Any], list[str]]:
    """Widgets for every tunable rule; returns the changes as a policy dict and the entries that do not parse."""
    base = saved.to_dict()
    tabs = st.tabs(
        [
            ctx.t("ui.strategy.tab.tiers"),
            ctx.t("ui.strategy.tab.bands"),
            ctx.t("ui.strategy.tab.cadence"),
            ctx.t("ui.strategy.tab.campaign"),
            ctx.t("ui.strategy.tab.maturity"),
            ctx.t("ui.strategy.tab.staffing"),
        ]
    )
    tiers = [dict(t) for t in base["tiers"]]
    with tabs[0]:
        for i, tier in enumerate(tiers):
            if i == 0:
                st.number_input(
                    ctx.t("ui.strategy.lower", tier=ctx.t(f"tier.{tier['code']}")),
                    value=float(tier["lower"]),
                    format="%.0f",
                    disabled=True,
                    key=f"{PREFIX}lower.{tier['code']}",
                )
                continue
            tier["lower"] = st.number_input(
                ctx.t("ui.strategy.lower", tier=ctx.t(f"tier.{tier['code']}")),
                min_value=0.0,
                value=float(tier["lower"]),
                step=1000.0,
                format="%.0f",
                key=f"{PREFIX}lower.{tier['code']}",
            )
        top_n = st.number_input(
            ctx.t("ui.strategy.top_n", role=saved.branch_head.role),
            min_value=0,
            value=int(saved.branch_head.top_n),
            step=5,
            key=f"{PREFIX}top_n",
        )
    with tabs[1]:
        st.caption(ctx.t("ui.strategy.bands_help"))
        bands = st.data_editor(
            pd.DataFrame(
                base["bands"], columns=["level", "lower", "gift", "gift_value", "points_multiplier"]
            ),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "level": st.column_config.NumberColumn(
                    ctx.t("ui.col.level"), min_value=0, format="%,.0f", required=True, width="small"
                ),
                "lower": st.column_config.NumberColumn(
                    ctx.t("ui.col.band_lower"), min_value=0, format="%,.0f", required=True, width="small"
                ),
                "gift": st.column_config.TextColumn(ctx.t("ui.col.gift"), width="small"),
                "gift_value": st.column_config.NumberColumn(
                    ctx.t("ui.col.gift_value"), min_value=0, format="%,.0f", width="small"
                ),
                "points_multiplier": st.column_config.NumberColumn(
                    ctx.t("ui.col.multiplier"), min_value=1, format="%.1f", width="small"
                ),
            },
            # The gift the head fills in comes right after its level: the narrow editor column shows both.
            column_order=("level", "gift", "gift_value", "points_multiplier", "lower"),
            key=f"{PREFIX}bands",
        )
    with tabs[2]:
        st.caption(ctx.t("ui.strategy.cadence_help"))
        rows = [dict(c, tier=tier["code"]) for tier in base["tiers"] for c in tier["cadence"]]
        cadence = st.data_editor(
            pd.DataFrame(rows, columns=["tier", "channel", "count", "period"]),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "tier": st.column_config.SelectboxColumn(
                    ctx.t("ui.col.tier"),
                    options=list(saved.tier_codes),
                    required=True,
                    format_func=lambda code: ctx.t(f"tier.{code}"),
                ),
                "channel": st.column_config.SelectboxColumn(
                    ctx.t("ui.col.channel"),
                    options=list(CHANNELS),
                    required=True,
                    format_func=lambda code: ctx.t(f"channel.{code}"),
                ),
                "count": st.column_config.NumberColumn(
                    ctx.t("ui.col.times"), min_value=0, step=1, required=True
                ),
                "period": st.column_config.SelectboxColumn(
                    ctx.t("ui.col.period"),
                    options=list(PERIODS),
                    required=True,
                    format_func=lambda code: ctx.t(f"period.{code}"),
                ),
            },
            key=f"{PREFIX}cadence",
        )
    with tabs[3]:
        st.slider(
            ctx.t("ui.strategy.share"),
            min_value=0,
            max_value=100,
            value=round(saved.campaign.expected_share * 100),
            format="%d%%",
            key=f"{PREFIX}share",
        )
        points_per_yuan = st.number_input(
            ctx.t("ui.strategy.points_per_yuan"),
            min_value=0.0,
            value=float(saved.campaign.points_per_yuan),
            step=0.01,
            format="%.4f",
            key=f"{PREFIX}points_per_yuan",
        )
        point_value = st.number_input(
            ctx.t("ui.strategy.point_value"),
            min_value=0.0,
            value=float(saved.campaign.point_value_yuan),
            step=0.01,
            format="%.4f",
            key=f"{PREFIX}point_value",
        )
    with tabs[4]:
        timing, problems = maturity_rules(ctx, saved)
    with tabs[5]:
        staffing = staffing_rules(ctx, saved, tiers)
    for tier in tiers:
        tier["cadence"] = [
            {"channel": str(r["channel"]), "count": int(r["count"]), "period": str(r["period"])}
            for r in cadence.to_dict("records")
            if r.get("tier") == tier["code"] and _filled(r, ("channel", "count", "period"))
        ]
    band_rows = [
        {
            "level": float(r["level"]),
            "lower": float(r["lower"]),
            "gift": "" if _blank(r.get("gift")) else str(r["gift"]),
            "gift_value": 0.0 if _blank(r.get("gift_value")) else float(r["gift_value"]),
            "points_multiplier": 1.0 if _blank(r.get("points_multiplier")) else float(r["points_multiplier"]),
        }
        for r in bands.to_dict("records")
        if _filled(r, ("level", "lower"))
    ]
    changes = {
        "tiers": tiers,
        "bands": sorted(band_rows, key=lambda b: b["level"]),
        "branch_head": {"top_n": int(top_n)},
        "campaign": {
            "expected_share": st.session_state[f"{PREFIX}share"] / 100,
            "points_per_yuan": float(points_per_yuan),
            "point_value_yuan": float(point_value),
        },
    }
    for section in (timing, staffing):
        for key, value in section.items():
            changes[key] = {**changes.get(key, {}), **value}
    return changes, problems


def maturity_rules(ctx: Ctx, saved: Policy) -> tuple[dict[str, Any], list[str]]:
    """Maturity window, 731 offsets, weekend/holiday roll-back, holidays, birthdays, outflow alert."""
    mat, problems = saved.maturity, []
    window = st.number_input(
        ctx.t("ui.strategy.window"),
        min_value=1,
        value=int(mat.window_days),
        step=1,
        key=f"{PREFIX}mat.window",
    )
    text = st.text_input(
        ctx.t("ui.strategy.offsets"),
        value=",".join(str(o) for o in mat.reminder_offsets),
        help=ctx.t("ui.strategy.offsets_help"),
        key=f"{PREFIX}mat.offsets",
    )
    offsets = []
    for part in (p for p in re.split(r"[,，、;；\s]+", text) if p):
        try:
            offsets.append(int(part))
        except ValueError:
            problems.append(ctx.t("ui.strategy.bad_offset", value=part))
    shift = st.toggle(ctx.t("ui.strategy.shift"), value=mat.shift_weekends, key=f"{PREFIX}mat.shift")
    lines = st.text_area(
        ctx.t("ui.strategy.holidays"),
        value="\n".join(d.isoformat() for d in saved.calendar.holidays),
        help=ctx.t("ui.strategy.holidays_help"),
        key=f"{PREFIX}cal.holidays",
    )
    holidays = []
    for number, line in enumerate(lines.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            holidays.append(dt.date.fromisoformat(line.strip()).isoformat())
        except ValueError:
            problems.append(ctx.t("ui.strategy.bad_holiday", line=number, value=line.strip()))
    st.caption(ctx.t("ui.strategy.holidays_count", count=len(set(holidays))))
    birthday_tiers = st.multiselect(
        ctx.t("ui.strategy.birthday_tiers"),
        options=list(TIER_CODES),
        default=list(saved.reminders.birthday_tiers),
        format_func=lambda code: ctx.t(f"tier.{code}"),
        key=f"{PREFIX}rem.tiers",
    )
    birthday_days = st.number_input(
        ctx.t("ui.strategy.birthday_days"),
        min_value=0,
        value=int(saved.reminders.birthday_days_before),
        step=1,
        key=f"{PREFIX}rem.days",
    )
    outflow = st.number_input(
        ctx.t("ui.strategy.outflow"),
        min_value=0.0,
        max_value=100.0,
        value=float(saved.history.outflow_pct),
        step=5.0,
        format="%.0f",
        key=f"{PREFIX}hist.outflow",
    )
    changes = {
        "maturity": {
            "window_days": int(window),
            "reminder_offsets": sorted(offsets, reverse=True) if not problems else list(mat.reminder_offsets),
            "shift_weekends": bool(shift),
        },
        "calendar": {"holidays": sorted(set(holidays))},
        "reminders": {"birthday_tiers": list(birthday_tiers), "birthday_days_before": int(birthday_days)},
        "history": {"outflow_pct": float(outflow)},
    }
    return changes, problems


def staffing_rules(ctx: Ctx, saved: Policy, tiers: list[dict[str, Any]]) -> dict[str, Any]:
    """Capacity, weeks a month, effort per channel, counted results; owner roles and order of each tier
    (written into ``tiers``)."""
    wl = saved.workload
    c1, c2 = st.columns(2)
    capacity = c1.number_input(
        ctx.t("ui.strategy.capacity"),
        min_value=1.0,
        value=float(wl.default_capacity_per_week),
        step=10.0,
        format="%.0f",
        key=f"{PREFIX}wl.capacity",
    )
    weeks = c2.number_input(
        ctx.t("ui.strategy.weeks"),
        min_value=1.0,
        max_value=5.0,
        value=float(wl.weeks_per_month),
        step=0.01,
        format="%.2f",
        key=f"{PREFIX}wl.weeks",
    )
    st.markdown(f"**{ctx.t('ui.strategy.effort')}**")
    effort = {}
    for column, channel in zip(st.columns(len(CHANNELS)), CHANNELS, strict=True):
        effort[channel] = column.number_input(
            ctx.t(f"channel.{channel}"),
            min_value=0.0,
            value=float(wl.channel_effort.get(channel, 0.0)),
            step=0.1,
            format="%.1f",
            key=f"{PREFIX}wl.effort.{channel}",
        )
    counted = st.multiselect(
        ctx.t("ui.strategy.counted"),
        options=list(saved.compliance.log_results),
        default=list(saved.compliance.counted_results),
        key=f"{PREFIX}comp.counted",
    )
    st.markdown(f"**{ctx.t('ui.strategy.owners')}**")
    for tier in tiers:
        name = ctx.t(f"tier.{tier['code']}")
        tier["owner_roles"] = st.multiselect(
            ctx.t("ui.strategy.owner_roles", tier=name),
            options=list(wl.roles),
            default=list(tier["owner_roles"]),
            key=f"{PREFIX}roles.{tier['code']}",
        )
        tier["order_by"] = st.selectbox(
            ctx.t("ui.strategy.order_by", tier=name),
            options=list(ORDERS),
            index=ORDERS.index(tier["order_by"]),
            format_func=lambda code: ctx.t(f"ui.strategy.order.{code}"),
            key=f"{PREFIX}order.{tier['code']}",
        )
    return {
        "workload": {
            "default_capacity_per_week": float(capacity),
            "weeks_per_month": float(weeks),
            "channel_effort": {k: float(v) for k, v in effort.items()},
        },
        "compliance": {"counted_results": list(counted)},
    }


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _filled(row: dict, keys: tuple[str, ...]) -> bool:
    return not any(_blank(row.get(k)) for k in keys)


def figures(
    ctx: Ctx,
    saved: Policy,
    proposed: Policy,
    assets: np.ndarray,
    days: np.ndarray,
    staff: pd.DataFrame | None,
    drops: tuple[dt.date, np.ndarray, np.ndarray] | None,
    share: float,
    load_of: Callable[[Policy, pd.DataFrame], pd.DataFrame],
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
    st.table(table.style.format({c: "{:,.0f}" for c in table.columns[1:]}).hide(axis="index"))
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
        near.style.format({c: "{:,.0f}" for c in near.columns if c != ctx.t("ui.col.band")}).hide(
            axis="index"
        )
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

    st.subheader(ctx.t("ui.strategy.workload"))
    staff = staff_capacity(staff, proposed)
    load = role_workload(after.tier_count, proposed, staff) if staff is None else load_of(proposed, staff)
    if staff is None:
        st.caption(ctx.t("ui.strategy.no_roster"))
    shown = pd.DataFrame(
        {
            ctx.t("ui.col.role"): load["role"],
            ctx.t("ui.col.staff"): load["staff"],
            ctx.t("ui.col.demand"): load["demand"],
            ctx.t("ui.col.capacity"): load["capacity"],
            ctx.t("ui.col.utilisation"): load["utilisation"],
        }
    )
    over = load["overloaded"].to_numpy()
    st.table(
        shown.style.format(
            {
                ctx.t("ui.col.demand"): "{:,.0f}",
                ctx.t("ui.col.capacity"): "{:,.0f}",
                ctx.t("ui.col.utilisation"): "{:.0%}",
            },
            na_rep="—",
        )
        .apply(lambda col: ["background-color: #fde2e1" if o else "" for o in over], axis=0)
        .hide(axis="index")
    )
    if over.any():
        st.warning(ctx.t("ui.strategy.overloaded", roles="、".join(load.loc[over, "role"])))
    st.caption(
        ctx.t("ui.strategy.workload_note" if staff is not None else "ui.strategy.workload_note_no_roster")
    )


def actions(ctx: Ctx, outlet: str, saved: Policy, proposed: Policy | None) -> None:
    """Save (only a valid proposal that differs from the saved policy) or discard every edit."""
    changed = proposed is not None and proposed.fingerprint() != saved.fingerprint()
    edited = changed or proposed is None or LOADED_KEY in st.session_state
    note = st.text_input(ctx.t("ui.strategy.note"), key=f"{PREFIX}note")
    c1, c2 = st.columns(2)
    if c1.button(ctx.t("ui.strategy.save"), type="primary", disabled=not changed, key="wi_save_button"):
        try:
            label = data.save_policy(ctx.engine, outlet, proposed, ctx.username, note)
        except ConsoleError as exc:
            st.error(str(exc))
            return
        _reset()
        st.session_state["flash"] = ctx.t("ui.strategy.saved", version=label)
        st.rerun()
    c2.button(
        ctx.t("ui.strategy.discard"),
        disabled=not edited,
        key="wi_discard_button",
        on_click=_reset,
        args=(saved.fingerprint(),),
    )
    if flash := st.session_state.pop("flash", None):
        st.success(flash)


def policy_file(ctx: Ctx, outlet: str, proposed: Policy | None) -> None:
    """Download the proposal as TOML; upload a TOML to make it the proposal (checked before it is used)."""
    with st.expander(ctx.t("ui.strategy.file"), expanded=UPLOAD_PROBLEMS in st.session_state):
        st.download_button(
            ctx.t("ui.strategy.download"),
            data=proposed.to_toml().encode("utf-8") if proposed is not None else b"",
            file_name=policy_file_name(outlet, dt.date.today()),
            mime="application/toml",
            disabled=proposed is None,
            on_click="ignore",
            key="wi_download",
        )
        st.file_uploader(
            ctx.t("ui.strategy.upload"),
            type=["toml"],
            key=UPLOAD_KEY,
            on_change=_load_upload,
            args=(ctx.lang,),
        )
        if found := st.session_state.get(UPLOAD_PROBLEMS):
            name, problems = found
            st.error(ctx.t("ui.strategy.upload_bad", file=name))
            for problem in problems:
                st.markdown(f"- {problem}")


def _load_upload(lang: str) -> None:
    """Callback of the uploader: a valid policy file replaces every edit as the new starting point."""
    st.session_state.pop(UPLOAD_PROBLEMS, None)
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        return
    try:
        policy = Policy.from_toml(upload.getvalue().decode("utf-8"))
    except UnicodeDecodeError:
        st.session_state[UPLOAD_PROBLEMS] = (upload.name, [t("ui.strategy.not_utf8", lang)])
        return
    except PolicyError as exc:
        st.session_state[UPLOAD_PROBLEMS] = (upload.name, exc.problems)
        return
    _reset(st.session_state.get(BASE_KEY))
    st.session_state[LOADED_KEY] = policy.to_toml()
    st.session_state["flash"] = t("ui.strategy.loaded", lang, file=upload.name)


def versions(ctx: Ctx, outlet: str, saved: Policy, label: str) -> None:
    """The outlet's saved versions: restore one as the active policy, or see which rules differ from it."""
    st.divider()
    st.subheader(ctx.t("ui.strategy.versions"))
    rows = list_policies(ctx.engine, outlet)
    if not rows:
        st.caption(ctx.t("ui.strategy.no_versions", policy=label))
        return
    st.dataframe(
        pd.DataFrame(
            {
                ctx.t("ui.col.version"): [r["version"] for r in rows],
                ctx.t("ui.col.saved_by"): [r["created_by"] for r in rows],
                ctx.t("ui.col.saved_at"): [_when(r["created_at"]) for r in rows],
                ctx.t("ui.col.note"): [r["note"] or "" for r in rows],
                ctx.t("ui.col.active"): [bool(r["active"]) for r in rows],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    by_version = {r["version"]: r for r in rows}
    inactive = [i for i, r in enumerate(rows) if not r["active"]]
    picked = st.selectbox(
        ctx.t("ui.strategy.pick_version"),
        options=list(by_version),
        index=inactive[0] if inactive else 0,  # the newest version one could go back to
        format_func=lambda v: ctx.t(
            "ui.strategy.version_label",
            version=v,
            who=by_version[v]["created_by"],
            when=_when(by_version[v]["created_at"]),
        ),
        key="pv_pick",
    )
    c1, c2 = st.columns(2)
    if c1.button(ctx.t("ui.strategy.restore"), disabled=bool(by_version[picked]["active"]), key="pv_restore"):
        try:
            activate_policy(ctx.engine, picked, user=ctx.username, outlet=outlet)
        except ConsoleError as exc:
            st.error(str(exc))
            return
        _reset()
        st.session_state["flash"] = ctx.t("ui.strategy.restored", version=picked)
        st.rerun()
    if c2.button(ctx.t("ui.strategy.compare"), key="pv_compare"):
        diff = policy_diff(load_policy_version(ctx.engine, picked, outlet), saved)
        if not diff:
            st.info(ctx.t("ui.strategy.same", version=picked))
            return
        st.caption(ctx.t("ui.strategy.diff_caption", version=picked, policy=label, count=len(diff)))
        st.table(
            pd.DataFrame(
                {
                    ctx.t("ui.col.rule"): [key for key, _, _ in diff],
                    ctx.t("ui.col.in_version", version=picked): [_shown(a) for _, a, _ in diff],
                    ctx.t("ui.col.in_active"): [_shown(b) for _, _, b in diff],
                }
            )
        )


def _when(value: object) -> str:
    stamp = pd.Timestamp(value)
    return "—" if pd.isna(stamp) else f"{stamp:%Y-%m-%d %H:%M}"


def _shown(value: Any) -> str:
    """One cell of the diff table: lists joined, absent rules as a dash (a table column holds one type)."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value) if value else "[]"
    if isinstance(value, dict):
        return " ".join(f"{k}={_shown(v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return str(value)


if __name__ == "__main__":  # opened by the legacy pages/ runner: go through app.py (see ui/legacy.py)
    from ui.legacy import reroute

    reroute(__name__)
