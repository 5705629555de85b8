"""The rules a policy must keep: every one it breaks is named, in Chinese (``Policy.problems``)."""

from __future__ import annotations

import datetime as dt

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


def problems(policy: Policy) -> list[str]:
    """Every rule this policy breaks, in Chinese; empty when valid."""
    out: list[str] = []
    codes = [t.code for t in policy.tiers]
    if tuple(codes) != TIER_CODES:
        out.append(f"层级必须依次为 {'、'.join(TIER_CODES)}，现为 {'、'.join(codes)}")
    if policy.tiers and policy.tiers[0].lower != 0:
        out.append(f"最低层级“{policy.tiers[0].name}”的下限必须为 0，现为 {policy.tiers[0].lower:g}")
    for prev, nxt in zip(policy.tiers, policy.tiers[1:], strict=False):
        if not nxt.lower > prev.lower:
            out.append(
                f"层级下限必须递增：“{nxt.name}”下限 {nxt.lower:g} 不高于“{prev.name}”的 {prev.lower:g}"
            )
    roles = set(policy.workload.roles)
    for tier in policy.tiers:
        if not tier.owner_roles:
            out.append(f"“{tier.name}”没有指定负责岗位")
        for role in tier.owner_roles:
            if role not in roles:
                out.append(f"“{tier.name}”的负责岗位“{role}”不在岗位列表 {'、'.join(roles)} 中")
        if tier.order_by not in ORDERS:
            out.append(f"“{tier.name}”的排序方式“{tier.order_by}”无效，可选 {'、'.join(ORDERS)}")
        for c in tier.cadence:
            if c.channel not in CHANNELS:
                out.append(f"“{tier.name}”的联络方式“{c.channel}”无效，可选 {'、'.join(CHANNELS)}")
            if c.period not in PERIODS:
                out.append(f"“{tier.name}”的联络周期“{c.period}”无效，可选 {'、'.join(PERIODS)}")
            if c.count < 0:
                out.append(f"“{tier.name}”的{c.channel}联络次数不能为负数")
    levels = [b.level for b in policy.bands]
    if levels != sorted(set(levels)):
        out.append("达标档位必须递增且不重复")
    for prev, nxt in zip(policy.bands, policy.bands[1:], strict=False):
        if nxt.lower < prev.level:
            out.append(f"档位 {nxt.level:g} 的临界区间（{nxt.lower:g} 起）与档位 {prev.level:g} 重叠")
    for band in policy.bands:
        if not 0 <= band.lower < band.level:
            out.append(f"档位 {band.level:g} 的临界区间下限 {band.lower:g} 必须不小于 0 且低于档位")
        if band.gift_value < 0:
            out.append(f"档位 {band.level:g} 的礼品价值不能为负数")
        if band.points_multiplier < 1:
            out.append(f"档位 {band.level:g} 的积分倍数必须不小于 1")
    if policy.branch_head.top_n < 0:
        out.append("支局长负责的高端客户数（前 N 名）不能为负数")
    if policy.branch_head.role not in roles:
        out.append(f"支局长岗位“{policy.branch_head.role}”不在岗位列表中")
    if policy.plan.min_working_days_left < 0:
        out.append("计划月份规则：剩余工作日数不能为负数")
    if policy.maturity.window_days < 1:
        out.append("到期提醒窗口必须至少 1 天")
    offsets = list(policy.maturity.reminder_offsets)
    if not offsets or any(o < 0 for o in offsets) or offsets != sorted(set(offsets), reverse=True):
        out.append("到期提醒天数必须为不重复的非负整数，由大到小排列（如 7、3、1）")
    if not 0 <= policy.campaign.expected_share <= 1:
        out.append("预计达标比例必须在 0 到 1 之间")
    if policy.campaign.points_per_yuan < 0 or policy.campaign.point_value_yuan < 0:
        out.append("积分参数不能为负数")
    for code in policy.reminders.birthday_tiers:
        if code not in TIER_CODES:
            out.append(f"生日提醒层级“{code}”无效")
    if policy.reminders.birthday_days_before < 0:
        out.append("生日提前提醒天数不能为负数")
    if policy.workload.default_capacity_per_week <= 0:
        out.append("默认每周联络能力必须大于 0")
    for role, value in policy.workload.capacity_by_role.items():
        if role not in roles:
            out.append(f"岗位默认联络能力中的岗位“{role}”不在岗位列表中")
        if not value > 0:
            out.append(f"岗位“{role}”的默认每周联络能力必须大于 0")
    if policy.schedule.working_days_per_week < 1 or policy.schedule.working_days_per_week > 7:
        out.append("每周工作日数必须在 1 到 7 之间")
    order = list(policy.schedule.defer_order)
    known = ["near", *TIER_CODES]
    if sorted(order) != sorted(known):
        out.append(f"延后顺序必须恰好包含 {'、'.join(known)} 各一次，现为 {'、'.join(order)}")
    if not policy.calendar.weekdays or any(not 1 <= w <= 7 for w in policy.calendar.weekdays):
        out.append("营业日必须是 1（周一）到 7（周日）之间的数字，至少一天")
    clash = sorted(set(policy.calendar.holidays) & set(policy.calendar.workdays))
    if clash:
        out.append(f"同一天不能既是节假日又是调休上班日：{'、'.join(d.isoformat() for d in clash)}")
    val = policy.value
    for label, number in (
        ("资产价值系数", val.assets_share),
        ("到期金额价值系数", val.maturity_share),
        ("临界价值系数", val.near_share),
        ("调整负责人成本", val.move_cost),
        ("调整负责人成本比例", val.move_cost_share),
        ("调整管户客户的额外成本", val.move_cost_managed),
        ("到期提醒最低金额", val.reminder_min_amount),
    ):
        if not number >= 0:
            out.append(f"联络价值：{label}不能为负数")
    for code, weight in val.tier_priority.items():
        if code not in TIER_CODES:
            out.append(f"联络价值：层级权重中的层级“{code}”无效")
        elif not weight > 0:
            out.append(f"联络价值：层级“{code}”的权重必须大于 0")
    if val.flex_days < 0:
        out.append("联络价值：到期提醒可挪动的工作日数不能为负数")
    if policy.workload.weeks_per_month <= 0:
        out.append("每月周数必须大于 0")
    for channel in CHANNELS:
        if policy.workload.channel_effort.get(channel, -1) < 0:
            out.append(f"联络方式“{channel}”的工作量系数缺失或为负数")
        logged = policy.compliance.channel_map.get(channel)
        if not logged:
            out.append(f"合规口径缺少联络方式“{channel}”对应的登记方式")
        else:
            for name in logged:
                if name not in policy.compliance.log_channels:
                    out.append(f"合规口径中的登记方式“{name}”不在登记方式列表中")
    for result in policy.compliance.counted_results:
        if result not in policy.compliance.log_results:
            out.append(f"计入合规的联络结果“{result}”不在结果列表中")
    for label, results in (
        ("算作联系上", policy.compliance.reached_results),
        ("算作成交", policy.compliance.sold_results),
        ("算作到期留存", policy.compliance.kept_results),
    ):
        for result in results:
            if result not in policy.compliance.log_results:
                out.append(f"{label}的联络结果“{result}”不在结果列表中")
    if len(set(policy.compliance.log_results)) != len(policy.compliance.log_results):
        out.append("联络结果列表有重复项")
    if not 1 <= policy.offers.max_items <= 5:
        out.append(f"每位客户的推荐条数必须在 1 到 5 之间，现为 {policy.offers.max_items}")
    for rule in policy.offers.rules:
        if rule not in OFFER_RULES:
            out.append(f"推荐规则“{rule}”无效，可选 {'、'.join(OFFER_RULES)}")
    for code, picks in policy.offers.by_tier.items():
        if code not in TIER_CODES:
            out.append(f"推荐产品的层级“{code}”无效")
            continue
        tier = next((t for t in policy.tiers if t.code == code), None)
        for pick in picks:
            if tier is not None and pick not in tier.products:
                out.append(f"“{tier.name}”的推荐产品“{pick}”不在该层级的推介产品中")
    if not 0 <= policy.history.outflow_pct <= 100:
        out.append("流失预警比例必须在 0 到 100 之间")
    out.extend(_campaign_problems(policy.campaign, policy.compliance))
    out.extend(_outcome_problems(policy.outcomes, policy.compliance))
    return out


def _campaign_problems(camp: Campaign, comp: Compliance) -> list[str]:
    out: list[str] = []
    days = {}
    for key, label in (("start", "开始"), ("end", "结束")):
        text = getattr(camp, key)
        if text:
            try:
                days[key] = dt.date.fromisoformat(text)
            except ValueError:
                out.append(f"达标有礼活动{label}日期“{text}”不是 YYYY-MM-DD 格式")
    if "start" in days and "end" in days and days["end"] < days["start"]:
        out.append(f"达标有礼活动结束日期 {camp.end} 早于开始日期 {camp.start}")
    if camp.budget < 0:
        out.append("达标有礼预算不能为负数")
    for name in camp.handover_channels:
        if name not in comp.log_channels:
            out.append(f"礼品交付登记方式“{name}”不在登记方式列表中")
    return out


def _outcome_problems(oc: Outcomes, comp: Compliance) -> list[str]:
    out: list[str] = []
    levels = list(oc.share_levels)
    if not levels or levels != sorted(set(levels)) or any(x <= 0 for x in levels):
        out.append("经营成效的余额占比档位必须为递增、不重复的正数（如 10000、50000）")
    if not oc.reached_results:
        out.append("经营成效至少需要一个表示“已触达客户”的联络结果")
    for result in oc.reached_results:
        if result not in comp.log_results:
            out.append(f"表示已触达的联络结果“{result}”不在结果列表中")
    if not 0 <= oc.maturity_kept_share <= 1:
        out.append("到期留存比例必须在 0 到 1 之间")
    return out
