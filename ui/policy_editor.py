"""The 分层策略 page's policy editor: a widget for every tunable rule, the proposal's TOML file, and the
session state they share (every widget key starts with PREFIX and is cleared together)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core.calendar import statutory_days
from core.errors import PolicyError
from core.i18n import t
from core.policy import (
    CHANNELS,
    OFFER_RULES,
    ORDERS,
    PERIODS,
    TIER_CODES,
    Policy,
    parse_holidays,
    parse_reminder_offsets,
)
from core.whatif import policy_file_name
from ui.context import Ctx
from ui.downloads import download
from ui.text import plain

PREFIX = "wi."  # every widget of the what-if editor; cleared together on save, discard or another base policy
BASE_KEY = "wi_base"
LOADED_KEY = "wi_loaded"  # TOML of an uploaded policy: the editor's starting point instead of the saved one
UPLOAD_KEY = "wi_upload"
UPLOAD_PROBLEMS = "wi_upload_problems"


def reset(base: str | None = None) -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(PREFIX)]:
        del st.session_state[key]
    st.session_state[BASE_KEY] = base
    st.session_state.pop(LOADED_KEY, None)
    st.session_state.pop(UPLOAD_PROBLEMS, None)


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
            ctx.t("ui.strategy.tab.offers"),
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
    with tabs[6]:
        fitting = offer_and_fit_rules(ctx, saved)
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
    for section in (timing, staffing, fitting):
        for key, value in section.items():
            changes[key] = {**changes.get(key, {}), **value}
    return changes, problems


def offer_and_fit_rules(ctx: Ctx, saved: Policy) -> dict[str, Any]:
    """What each customer is offered on the call sheet ([offers]) and how a plan that does not fit is made to fit
    ([schedule]: moving customers to colleagues with room, then which contacts wait first)."""
    offers, fit = saved.offers, saved.schedule
    st.markdown(f"**{ctx.t('ui.strategy.offers')}**")
    st.caption(ctx.t("ui.strategy.offers_help"))
    c1, c2 = st.columns([1, 3])
    max_items = c1.number_input(
        ctx.t("ui.strategy.offers_max"),
        min_value=1,
        max_value=5,
        value=int(offers.max_items),
        step=1,
        key=f"{PREFIX}offers.max",
    )
    rules = c2.multiselect(
        ctx.t("ui.strategy.offers_rules"),
        options=list(OFFER_RULES),
        default=list(offers.rules),
        format_func=lambda rule: ctx.t(f"ui.strategy.offer_rule.{rule}"),
        key=f"{PREFIX}offers.rules",
    )
    picks = {}
    for tier in saved.tiers:
        chosen = [p for p in offers.by_tier.get(tier.code, ()) if p in tier.products]
        picks[tier.code] = st.multiselect(
            ctx.t("ui.strategy.offers_picks", tier=ctx.t(f"tier.{tier.code}")),
            options=list(tier.products),
            default=chosen,
            key=f"{PREFIX}offers.by_tier.{tier.code}",
        )
    st.markdown(f"**{ctx.t('ui.strategy.fit')}**")
    rebalance = st.toggle(
        ctx.t("ui.strategy.rebalance"), value=fit.rebalance, key=f"{PREFIX}schedule.rebalance"
    )
    groups = ["near", *TIER_CODES]
    order = st.multiselect(
        ctx.t("ui.strategy.defer_order"),
        options=groups,
        default=[g for g in fit.defer_order if g in groups],
        format_func=lambda g: ctx.t("ui.strategy.defer_group.near") if g == "near" else ctx.t(f"tier.{g}"),
        help=ctx.t("ui.strategy.defer_order_help"),
        key=f"{PREFIX}schedule.defer_order",
    )
    return {
        "offers": {
            "max_items": int(max_items),
            "rules": list(rules),
            "by_tier": {code: list(chosen) for code, chosen in picks.items()},
        },
        "schedule": {"rebalance": bool(rebalance), "defer_order": list(order)},
    }


def maturity_rules(ctx: Ctx, saved: Policy) -> tuple[dict[str, Any], list[str]]:
    """Maturity window, 731 offsets, weekend/holiday roll-back, holidays, birthdays, outflow alert."""
    mat = saved.maturity
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
    offsets, problems = parse_reminder_offsets(text, ctx.lang)
    shift = st.toggle(ctx.t("ui.strategy.shift"), value=mat.shift_weekends, key=f"{PREFIX}mat.shift")
    min_amount = st.number_input(
        ctx.t("ui.strategy.reminder_min_amount"),
        min_value=0.0,
        value=float(saved.value.reminder_min_amount),
        step=100.0,
        format="%.0f",
        help=ctx.t("ui.strategy.reminder_min_amount_help"),
        key=f"{PREFIX}value.reminder_min_amount",
    )
    year = ctx.today.year + (ctx.today.month == 12)
    if st.button(ctx.t("ui.strategy.statutory_copy", year=year), key=f"{PREFIX}cal.copy"):
        _copy_statutory(ctx, saved, year)
    holidays, bad_days = _date_list(ctx, "holidays", saved.calendar.holidays)
    problems = [*problems, *bad_days]
    st.caption(ctx.t("ui.strategy.holidays_count", count=len(holidays)))
    workdays, bad_work = _date_list(ctx, "workdays", saved.calendar.workdays)
    problems = [*problems, *bad_work]
    weekdays = st.multiselect(
        ctx.t("ui.strategy.weekdays"),
        options=list(range(1, 8)),
        default=list(saved.calendar.weekdays),
        format_func=lambda d: ctx.t(f"ui.strategy.weekday.{d}"),
        key=f"{PREFIX}cal.weekdays",
    )
    statutory = st.toggle(
        ctx.t("ui.strategy.statutory"), value=saved.calendar.statutory, key=f"{PREFIX}cal.statutory"
    )
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
            "reminder_offsets": offsets if not problems else list(mat.reminder_offsets),
            "shift_weekends": bool(shift),
        },
        "calendar": {
            "holidays": holidays,
            "workdays": workdays,
            "weekdays": sorted(int(d) for d in weekdays),
            "statutory": bool(statutory),
        },
        "value": {"reminder_min_amount": float(min_amount)},
        "reminders": {"birthday_tiers": list(birthday_tiers), "birthday_days_before": int(birthday_days)},
        "history": {"outflow_pct": float(outflow)},
    }
    return changes, problems


def _copy_statutory(ctx: Ctx, saved: Policy, year: int) -> None:
    """Put ``year``'s statutory holidays and 调休 days from the maintained package into the text areas (added to
    what they hold), or say the package does not know the year yet."""
    found = statutory_days(year)
    if found is None:
        st.warning(ctx.t("calendar.unknown_year", year=year))
        return
    for key, days, kept in (
        ("cal.holidays", found[0], saved.calendar.holidays),
        ("cal.workdays", found[1], saved.calendar.workdays),
    ):
        current = st.session_state.get(f"{PREFIX}{key}", "\n".join(d.isoformat() for d in kept))
        known, _ = parse_holidays(current, ctx.lang)
        st.session_state[f"{PREFIX}{key}"] = "\n".join(sorted({*known, *(d.isoformat() for d in days)}))
    st.caption(
        ctx.t("ui.strategy.statutory_copied", year=year, holidays=len(found[0]), workdays=len(found[1]))
    )


def staffing_rules(ctx: Ctx, saved: Policy, tiers: list[dict[str, Any]]) -> dict[str, Any]:
    """Capacity, weeks a month, effort per channel, counted results, what staff sheets show; owner roles and
    order of each tier (written into ``tiers``)."""
    wl = saved.workload
    c1, c2 = st.columns(2)
    capacity = c1.number_input(
        ctx.t("ui.strategy.capacity_other"),
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
    st.markdown(f"**{ctx.t('ui.strategy.role_capacity')}**")
    by_role = {}
    for column, role in zip(st.columns(len(wl.roles)), wl.roles, strict=True):
        by_role[role] = column.number_input(
            role,
            min_value=1.0,
            value=float(wl.capacity_of(role)),
            step=10.0,
            format="%.0f",
            key=f"{PREFIX}wl.capacity.{role}",
        )
    st.markdown(f"**{ctx.t('ui.strategy.effort')}**")
    effort = {}
    for column, channel in zip(st.columns(len(CHANNELS)), CHANNELS, strict=True):
        effort[channel] = column.number_input(
            ctx.t(f"channel.{channel}"),
            min_value=0.0,
            value=float(wl.channel_effort.get(channel, 0.0)),
            step=0.05,
            format="%.2f",
            key=f"{PREFIX}wl.effort.{channel}",
        )
    counted = st.multiselect(
        ctx.t("ui.strategy.counted"),
        options=list(saved.compliance.log_results),
        default=list(saved.compliance.counted_results),
        key=f"{PREFIX}comp.counted",
    )
    st.markdown(f"**{ctx.t('ui.strategy.privacy')}**")
    left, right = st.columns(2)
    mask = left.toggle(
        ctx.t("ui.strategy.mask_phone"), value=saved.privacy.mask_phone, key=f"{PREFIX}privacy.mask"
    )
    hide = right.toggle(
        ctx.t("ui.strategy.hide_assets"), value=saved.privacy.hide_assets, key=f"{PREFIX}privacy.hide"
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
            "capacity_by_role": {k: float(v) for k, v in by_role.items()},
            "weeks_per_month": float(weeks),
            "channel_effort": {k: float(v) for k, v in effort.items()},
        },
        "compliance": {"counted_results": list(counted)},
        "privacy": {"mask_phone": bool(mask), "hide_assets": bool(hide)},
    }


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _filled(row: dict, keys: tuple[str, ...]) -> bool:
    return not any(_blank(row.get(k)) for k in keys)


def policy_file(ctx: Ctx, outlet: str, proposed: Policy | None) -> None:
    """Download the proposal as TOML; upload a TOML to make it the proposal (checked before it is used)."""
    with st.expander(ctx.t("ui.strategy.file"), expanded=UPLOAD_PROBLEMS in st.session_state):
        download(
            st,
            ctx,
            ctx.t("ui.strategy.download"),
            proposed.to_toml().encode("utf-8") if proposed is not None else b"",
            file_name=policy_file_name(outlet, ctx.today),
            mime="application/toml",
            disabled=proposed is None,
            on_click="ignore",
            key="wi_download",
            kind=None,  # rules, no customer: bound to the account, not audited
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
            st.error(ctx.t("ui.strategy.upload_bad", file=plain(name)))
            for problem in problems:
                st.markdown(f"- {plain(problem)}")


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
        st.session_state[UPLOAD_PROBLEMS] = (upload.name, exc.texts(lang))
        return
    reset(st.session_state.get(BASE_KEY))
    st.session_state[LOADED_KEY] = policy.to_toml()
    st.session_state["flash"] = t("ui.strategy.loaded", lang, file=upload.name)


def _date_list(ctx: Ctx, name: str, saved_days) -> tuple:
    """A text area of dates, one per line (holidays, 调休 working days), read back with its problems."""
    lines = st.text_area(
        ctx.t(f"ui.strategy.{name}"),
        value="\n".join(d.isoformat() for d in saved_days),
        help=ctx.t(f"ui.strategy.{name}_help"),
        key=f"{PREFIX}cal.{name}",
    )
    return parse_holidays(lines, ctx.lang)
