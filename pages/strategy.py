"""分层策略: edit the policy and see at once what changes against the saved one; save as a new version or discard."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core.errors import ConsoleError, PolicyError
from core.policy import CHANNELS, PERIODS, Policy
from core.segment import quick_counts
from ui import data
from ui.context import MANAGERS, Ctx, require_outlet, require_role
from ui.fmt import count, pct, signed, yuan
from ui.whatif import move_matrix, reward_cost, role_workload

PREFIX = "wi."  # every widget of the what-if editor; cleared together on save, discard or another base policy
BASE_KEY = "wi_base"


def render(ctx: Ctx) -> None:
    require_role(ctx, MANAGERS)
    outlet = require_outlet(ctx)
    st.title(ctx.t("ui.page.strategy"))
    saved, label = data.active_policy(ctx.engine, outlet, ctx.lang)
    snap = data.latest_snapshot(ctx.engine, outlet)
    if snap is None:
        st.info(ctx.t("ui.no_snapshot"))
        st.stop()
    assets = data.snapshot_assets(data.db_key(ctx.engine), snap.id, ctx.engine)
    staff = data.roster_frame(ctx.engine, outlet, saved)
    st.caption(
        ctx.t(
            "ui.strategy.caption",
            as_of=snap.as_of,
            customers=count(len(assets)),
            policy=label,
            staff=len(staff) if staff is not None else 0,
        )
    )
    whatif(ctx, outlet, saved, assets, staff)


def _reset(base: str | None = None) -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(PREFIX)]:
        del st.session_state[key]
    st.session_state[BASE_KEY] = base


@st.fragment
def whatif(ctx: Ctx, outlet: str, saved: Policy, assets: np.ndarray, staff: pd.DataFrame | None) -> None:
    """The editor and its figures: a widget change re-runs only this fragment, on the cached assets array."""
    if st.session_state.get(BASE_KEY) != saved.fingerprint():
        _reset(saved.fingerprint())
    left, right = st.columns([2, 3], gap="large")
    with left:
        changes = editor(ctx, saved)
    try:
        proposed = saved.with_changes(changes)
    except PolicyError as exc:
        with right:
            st.error(ctx.t("ui.strategy.invalid"))
            for problem in exc.problems:
                st.markdown(f"- {problem}")
        return
    share = st.session_state.get(f"{PREFIX}share", saved.campaign.expected_share * 100) / 100
    with right:
        figures(ctx, saved, proposed, assets, staff, share)
        actions(ctx, outlet, saved, proposed)


def editor(ctx: Ctx, saved: Policy) -> dict[str, Any]:
    """Widgets for every tunable rule the head changes monthly; returns the changes as a policy dict."""
    base = saved.to_dict()
    tabs = st.tabs(
        [
            ctx.t("ui.strategy.tab.tiers"),
            ctx.t("ui.strategy.tab.bands"),
            ctx.t("ui.strategy.tab.cadence"),
            ctx.t("ui.strategy.tab.campaign"),
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
                    ctx.t("ui.col.level"), min_value=0, format="%,.0f", required=True
                ),
                "lower": st.column_config.NumberColumn(
                    ctx.t("ui.col.band_lower"), min_value=0, format="%,.0f", required=True
                ),
                "gift": st.column_config.TextColumn(ctx.t("ui.col.gift")),
                "gift_value": st.column_config.NumberColumn(
                    ctx.t("ui.col.gift_value"), min_value=0, format="%,.0f"
                ),
                "points_multiplier": st.column_config.NumberColumn(
                    ctx.t("ui.col.multiplier"), min_value=1, format="%.1f"
                ),
            },
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
    return {
        "tiers": tiers,
        "bands": sorted(band_rows, key=lambda b: b["level"]),
        "branch_head": {"top_n": int(top_n)},
        "campaign": {
            "expected_share": st.session_state[f"{PREFIX}share"] / 100,
            "points_per_yuan": float(points_per_yuan),
            "point_value_yuan": float(point_value),
        },
    }


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _filled(row: dict, keys: tuple[str, ...]) -> bool:
    return not any(_blank(row.get(k)) for k in keys)


def figures(
    ctx: Ctx, saved: Policy, proposed: Policy, assets: np.ndarray, staff: pd.DataFrame | None, share: float
) -> None:
    """Saved beside proposed: tiers, moves, near-threshold and reward cost, workload per role."""
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
    # st.table: static HTML, lighter in the browser than a data grid on every what-if change
    st.table(table.style.format({c: "{:,.0f}" for c in table.columns[1:]}).hide(axis="index"))
    moves = move_matrix(assets, saved, proposed)
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

    st.subheader(ctx.t("ui.strategy.workload"))
    load = role_workload(after.tier_count, proposed, staff)
    if staff is None or staff.empty:
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
    st.caption(ctx.t("ui.strategy.workload_note"))


def actions(ctx: Ctx, outlet: str, saved: Policy, proposed: Policy) -> None:
    changed = proposed.fingerprint() != saved.fingerprint()
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
        disabled=not changed,
        key="wi_discard_button",
        on_click=_reset,
        args=(saved.fingerprint(),),
    )
    if flash := st.session_state.pop("flash", None):
        st.success(flash)


if __name__ == "__main__":  # opened by the legacy pages/ runner: go through app.py (see ui/legacy.py)
    from ui.legacy import reroute

    reroute(__name__)
