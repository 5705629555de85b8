"""The rules a policy must keep: every one it breaks is named by a message (``Policy.problems``)."""

from __future__ import annotations

import datetime as dt

from core.errors import Message
from core.policy.schema import (
    CHANNELS,
    OFFER_RULES,
    ORDERS,
    PERIODS,
    TIER_CODES,
    Campaign,
    Compliance,
    Outcomes,
    Policy,
)


def problems(policy: Policy) -> list[Message]:
    """Every rule this policy breaks (messages, Chinese as text); empty when valid."""
    out: list[Message] = []
    codes = [t.code for t in policy.tiers]
    if tuple(codes) != TIER_CODES:
        out.append(Message("policy.rule.tier_codes", expected=list(TIER_CODES), codes=codes))
    if policy.tiers and policy.tiers[0].lower != 0:
        out.append(Message("policy.rule.lowest_zero", name=policy.tiers[0].name, lower=policy.tiers[0].lower))
    for prev, nxt in zip(policy.tiers, policy.tiers[1:], strict=False):
        if not nxt.lower > prev.lower:
            out.append(
                Message(
                    "policy.rule.lowers_ascend",
                    name=nxt.name,
                    lower=nxt.lower,
                    prev=prev.name,
                    prev_lower=prev.lower,
                )
            )
    roles = set(policy.workload.roles)
    for tier in policy.tiers:
        if not tier.owner_roles:
            out.append(Message("policy.rule.no_owner", tier=tier.name))
        for role in tier.owner_roles:
            if role not in roles:
                out.append(
                    Message(
                        "policy.rule.owner_unknown",
                        tier=tier.name,
                        role=role,
                        roles=list(policy.workload.roles),
                    )
                )
        if tier.order_by not in ORDERS:
            out.append(
                Message("policy.rule.order_by", tier=tier.name, value=tier.order_by, choices=list(ORDERS))
            )
        for c in tier.cadence:
            if c.channel not in CHANNELS:
                out.append(
                    Message("policy.rule.channel", tier=tier.name, value=c.channel, choices=list(CHANNELS))
                )
            if c.period not in PERIODS:
                out.append(
                    Message("policy.rule.period", tier=tier.name, value=c.period, choices=list(PERIODS))
                )
            if c.count < 0:
                out.append(Message("policy.rule.count", tier=tier.name, channel=c.channel))
    levels = [b.level for b in policy.bands]
    if levels != sorted(set(levels)):
        out.append(Message("policy.rule.bands_ascend"))
    for prev, nxt in zip(policy.bands, policy.bands[1:], strict=False):
        if nxt.lower < prev.level:
            out.append(Message("policy.rule.band_overlap", level=nxt.level, lower=nxt.lower, prev=prev.level))
    for band in policy.bands:
        if not 0 <= band.lower < band.level:
            out.append(Message("policy.rule.band_lower", level=band.level, lower=band.lower))
        if band.gift_value < 0:
            out.append(Message("policy.rule.gift_value", level=band.level))
        if band.points_multiplier < 1:
            out.append(Message("policy.rule.points_multiplier", level=band.level))
    if policy.branch_head.top_n < 0:
        out.append(Message("policy.rule.top_n"))
    if policy.branch_head.role not in roles:
        out.append(Message("policy.rule.head_role", role=policy.branch_head.role))
    if policy.plan.min_working_days_left < 0:
        out.append(Message("policy.rule.days_left"))
    if policy.maturity.window_days < 1:
        out.append(Message("policy.rule.window"))
    offsets = list(policy.maturity.reminder_offsets)
    if not offsets or any(o < 0 for o in offsets) or offsets != sorted(set(offsets), reverse=True):
        out.append(Message("policy.rule.offsets"))
    if not 0 <= policy.campaign.expected_share <= 1:
        out.append(Message("policy.rule.expected_share"))
    if policy.campaign.points_per_yuan < 0 or policy.campaign.point_value_yuan < 0:
        out.append(Message("policy.rule.points"))
    for code in policy.reminders.birthday_tiers:
        if code not in TIER_CODES:
            out.append(Message("policy.rule.birthday_tier", code=code))
    if policy.reminders.birthday_days_before < 0:
        out.append(Message("policy.rule.birthday_days"))
    if policy.workload.default_capacity_per_week <= 0:
        out.append(Message("policy.rule.default_capacity"))
    for role, value in policy.workload.capacity_by_role.items():
        if role not in roles:
            out.append(Message("policy.rule.capacity_role", role=role))
        if not value > 0:
            out.append(Message("policy.rule.role_capacity", role=role))
    if policy.schedule.working_days_per_week < 1 or policy.schedule.working_days_per_week > 7:
        out.append(Message("policy.rule.days_per_week"))
    order = list(policy.schedule.defer_order)
    known = ["near", *TIER_CODES]
    if sorted(order) != sorted(known):
        out.append(Message("policy.rule.defer_order", expected=known, order=order))
    if not policy.calendar.weekdays or any(not 1 <= w <= 7 for w in policy.calendar.weekdays):
        out.append(Message("policy.rule.weekdays"))
    clash = sorted(set(policy.calendar.holidays) & set(policy.calendar.workdays))
    if clash:
        out.append(Message("policy.rule.holiday_workday", days=[d.isoformat() for d in clash]))
    val = policy.value
    for name in (
        "assets_share",
        "maturity_share",
        "near_share",
        "move_cost",
        "move_cost_share",
        "move_cost_managed",
        "reminder_min_amount",
    ):
        if not getattr(val, name) >= 0:
            out.append(Message("policy.rule.value_negative", label=Message(f"policy.value.{name}")))
    for code, weight in val.tier_priority.items():
        if code not in TIER_CODES:
            out.append(Message("policy.rule.priority_tier", code=code))
        elif not weight > 0:
            out.append(Message("policy.rule.priority_weight", code=code))
    if val.flex_days < 0:
        out.append(Message("policy.rule.flex_days"))
    if policy.workload.weeks_per_month <= 0:
        out.append(Message("policy.rule.weeks_per_month"))
    for channel in CHANNELS:
        if policy.workload.channel_effort.get(channel, -1) < 0:
            out.append(Message("policy.rule.effort", channel=channel))
        logged = policy.compliance.channel_map.get(channel)
        if not logged:
            out.append(Message("policy.rule.channel_map", channel=channel))
        else:
            for name in logged:
                if name not in policy.compliance.log_channels:
                    out.append(Message("policy.rule.log_channel", name=name))
    for result in policy.compliance.counted_results:
        if result not in policy.compliance.log_results:
            out.append(Message("policy.rule.counted_result", result=result))
    for which, results in (
        ("reached", policy.compliance.reached_results),
        ("sold", policy.compliance.sold_results),
        ("kept", policy.compliance.kept_results),
    ):
        for result in results:
            if result not in policy.compliance.log_results:
                label = Message(f"policy.results.{which}")
                out.append(Message("policy.rule.result_unknown", label=label, result=result))
    if len(set(policy.compliance.log_results)) != len(policy.compliance.log_results):
        out.append(Message("policy.rule.results_repeat"))
    if not 1 <= policy.offers.max_items <= 5:
        out.append(Message("policy.rule.max_items", value=policy.offers.max_items))
    for rule in policy.offers.rules:
        if rule not in OFFER_RULES:
            out.append(Message("policy.rule.offer_rule", rule=rule, choices=list(OFFER_RULES)))
    for code, picks in policy.offers.by_tier.items():
        if code not in TIER_CODES:
            out.append(Message("policy.rule.offer_tier", code=code))
            continue
        tier = next((t for t in policy.tiers if t.code == code), None)
        for pick in picks:
            if tier is not None and pick not in tier.products:
                out.append(Message("policy.rule.offer_product", tier=tier.name, product=pick))
    if not 0 <= policy.history.outflow_pct <= 100:
        out.append(Message("policy.rule.outflow_pct"))
    out.extend(_campaign_problems(policy.campaign, policy.compliance))
    out.extend(_outcome_problems(policy.outcomes, policy.compliance))
    return out


def _campaign_problems(camp: Campaign, comp: Compliance) -> list[Message]:
    out: list[Message] = []
    days = {}
    for key in ("start", "end"):
        text = getattr(camp, key)
        if text:
            try:
                days[key] = dt.date.fromisoformat(text)
            except ValueError:
                out.append(
                    Message("policy.rule.campaign_date", which=Message(f"policy.campaign.{key}"), text=text)
                )
    if "start" in days and "end" in days and days["end"] < days["start"]:
        out.append(Message("policy.rule.campaign_order", end=camp.end, start=camp.start))
    if camp.budget < 0:
        out.append(Message("policy.rule.budget"))
    for name in camp.handover_channels:
        if name not in comp.log_channels:
            out.append(Message("policy.rule.handover_channel", name=name))
    return out


def _outcome_problems(oc: Outcomes, comp: Compliance) -> list[Message]:
    out: list[Message] = []
    levels = list(oc.share_levels)
    if not levels or levels != sorted(set(levels)) or any(x <= 0 for x in levels):
        out.append(Message("policy.rule.share_levels"))
    if not oc.reached_results:
        out.append(Message("policy.rule.reached_none"))
    for result in oc.reached_results:
        if result not in comp.log_results:
            out.append(Message("policy.rule.reached_unknown", result=result))
    if not 0 <= oc.maturity_kept_share <= 1:
        out.append(Message("policy.rule.kept_share"))
    return out
