"""A policy refused: reading the file, and every rule it breaks (``core.policy.validate``)."""

MESSAGES: dict[str, dict[str, str]] = {
    # reading a policy file
    "policy.file.format": {
        "zh": "策略文件格式有误：{detail}",
        "en": "The policy file is malformed: {detail}",
    },
    "policy.file.missing_item": {"zh": "缺少设置项 {item}", "en": "setting {item} is missing"},
    "policy.file.bad_holiday": {
        "zh": "节假日“{value}”不是 YYYY-MM-DD 格式的日期",
        "en": "holiday “{value}” is not a YYYY-MM-DD date",
    },
    "policy.file.toml": {
        "zh": "策略文件不是有效的 TOML：{error}",
        "en": "The policy file is not valid TOML: {error}",
    },
    "policy.file.nested": {
        "zh": "策略文件嵌套层次过深，不是有效的策略文件",
        "en": "The policy file is nested too deeply to be a policy file",
    },
    "policy.file.unreadable": {
        "zh": "无法读取策略文件 {path}：{error}",
        "en": "Cannot read the policy file {path}: {error}",
    },
    "policy.file.not_utf8": {
        "zh": "策略文件 {path} 不是 UTF-8 编码",
        "en": "The policy file {path} is not UTF-8",
    },
    "policy.no_tier": {"zh": "策略中没有层级“{code}”", "en": "The policy has no tier “{code}”"},
    # the rules a policy must keep
    "policy.rule.tier_codes": {
        "zh": "层级必须依次为 {expected}，现为 {codes}",
        "en": "The tiers must be {expected} in this order, not {codes}",
    },
    "policy.rule.lowest_zero": {
        "zh": "最低层级“{name}”的下限必须为 0，现为 {lower:g}",
        "en": "The lowest tier “{name}” must start at 0, not {lower:g}",
    },
    "policy.rule.lowers_ascend": {
        "zh": "层级下限必须递增：“{name}”下限 {lower:g} 不高于“{prev}”的 {prev_lower:g}",
        "en": "Tier bounds must ascend: “{name}” starts at {lower:g}, not above “{prev}” at {prev_lower:g}",
    },
    "policy.rule.no_owner": {"zh": "“{tier}”没有指定负责岗位", "en": "“{tier}” has no owner role"},
    "policy.rule.owner_unknown": {
        "zh": "“{tier}”的负责岗位“{role}”不在岗位列表 {roles} 中",
        "en": "The owner role “{role}” of “{tier}” is not among the roles {roles}",
    },
    "policy.rule.order_by": {
        "zh": "“{tier}”的排序方式“{value}”无效，可选 {choices}",
        "en": "The ordering “{value}” of “{tier}” is invalid; choose one of {choices}",
    },
    "policy.rule.channel": {
        "zh": "“{tier}”的联络方式“{value}”无效，可选 {choices}",
        "en": "The channel “{value}” of “{tier}” is invalid; choose one of {choices}",
    },
    "policy.rule.period": {
        "zh": "“{tier}”的联络周期“{value}”无效，可选 {choices}",
        "en": "The contact period “{value}” of “{tier}” is invalid; choose one of {choices}",
    },
    "policy.rule.count": {
        "zh": "“{tier}”的{channel}联络次数不能为负数",
        "en": "The {channel} contacts of “{tier}” cannot be negative",
    },
    "policy.rule.bands_ascend": {
        "zh": "达标档位必须递增且不重复",
        "en": "Reward levels must ascend without repeats",
    },
    "policy.rule.band_overlap": {
        "zh": "档位 {level:g} 的临界区间（{lower:g} 起）与档位 {prev:g} 重叠",
        "en": "The near range of level {level:g} (from {lower:g}) overlaps level {prev:g}",
    },
    "policy.rule.band_lower": {
        "zh": "档位 {level:g} 的临界区间下限 {lower:g} 必须不小于 0 且低于档位",
        "en": "The near range of level {level:g} must start at 0 or more and below the level, not at {lower:g}",
    },
    "policy.rule.gift_value": {
        "zh": "档位 {level:g} 的礼品价值不能为负数",
        "en": "The gift value of level {level:g} cannot be negative",
    },
    "policy.rule.points_multiplier": {
        "zh": "档位 {level:g} 的积分倍数必须不小于 1",
        "en": "The points multiplier of level {level:g} must be at least 1",
    },
    "policy.rule.top_n": {
        "zh": "支局长负责的高端客户数（前 N 名）不能为负数",
        "en": "The branch head's high-end customers (top N) cannot be negative",
    },
    "policy.rule.head_role": {
        "zh": "支局长岗位“{role}”不在岗位列表中",
        "en": "The branch head's role “{role}” is not among the roles",
    },
    "policy.rule.days_left": {
        "zh": "计划月份规则：剩余工作日数不能为负数",
        "en": "Plan month rule: the working days left cannot be negative",
    },
    "policy.rule.window": {
        "zh": "到期提醒窗口必须至少 1 天",
        "en": "The maturity window must be at least 1 day",
    },
    "policy.rule.offsets": {
        "zh": "到期提醒天数必须为不重复的非负整数，由大到小排列（如 7、3、1）",
        "en": "Reminder days must be distinct whole numbers of 0 or more, largest first (e.g. 7, 3, 1)",
    },
    "policy.rule.expected_share": {
        "zh": "预计达标比例必须在 0 到 1 之间",
        "en": "The expected share reaching a level must be between 0 and 1",
    },
    "policy.rule.points": {"zh": "积分参数不能为负数", "en": "Points settings cannot be negative"},
    "policy.rule.birthday_tier": {
        "zh": "生日提醒层级“{code}”无效",
        "en": "Birthday reminder tier “{code}” is invalid",
    },
    "policy.rule.birthday_days": {
        "zh": "生日提前提醒天数不能为负数",
        "en": "Days of birthday notice cannot be negative",
    },
    "policy.rule.default_capacity": {
        "zh": "默认每周联络能力必须大于 0",
        "en": "The default weekly contact capacity must be above 0",
    },
    "policy.rule.capacity_role": {
        "zh": "岗位默认联络能力中的岗位“{role}”不在岗位列表中",
        "en": "The role “{role}” given a default capacity is not among the roles",
    },
    "policy.rule.role_capacity": {
        "zh": "岗位“{role}”的默认每周联络能力必须大于 0",
        "en": "The default weekly capacity of role “{role}” must be above 0",
    },
    "policy.rule.days_per_week": {
        "zh": "每周工作日数必须在 1 到 7 之间",
        "en": "Working days per week must be between 1 and 7",
    },
    "policy.rule.defer_order": {
        "zh": "延后顺序必须恰好包含 {expected} 各一次，现为 {order}",
        "en": "The deferral order must hold each of {expected} exactly once, not {order}",
    },
    "policy.rule.weekdays": {
        "zh": "营业日必须是 1（周一）到 7（周日）之间的数字，至少一天",
        "en": "Business days must be numbers from 1 (Monday) to 7 (Sunday), at least one",
    },
    "policy.rule.holiday_workday": {
        "zh": "同一天不能既是节假日又是调休上班日：{days}",
        "en": "A day cannot be both a holiday and a make-up working day: {days}",
    },
    "policy.rule.value_negative": {
        "zh": "联络价值：{label}不能为负数",
        "en": "Contact value: {label} cannot be negative",
    },
    "policy.value.assets_share": {"zh": "资产价值系数", "en": "the assets factor"},
    "policy.value.maturity_share": {"zh": "到期金额价值系数", "en": "the maturing amount factor"},
    "policy.value.near_share": {"zh": "临界价值系数", "en": "the near-threshold factor"},
    "policy.value.move_cost": {"zh": "调整负责人成本", "en": "the cost of a new owner"},
    "policy.value.move_cost_share": {"zh": "调整负责人成本比例", "en": "the share cost of a new owner"},
    "policy.value.move_cost_managed": {
        "zh": "调整管户客户的额外成本",
        "en": "the extra cost of moving a managed customer",
    },
    "policy.value.reminder_min_amount": {"zh": "到期提醒最低金额", "en": "the smallest amount reminded"},
    "policy.rule.priority_tier": {
        "zh": "联络价值：层级权重中的层级“{code}”无效",
        "en": "Contact value: the tier “{code}” given a weight is invalid",
    },
    "policy.rule.priority_weight": {
        "zh": "联络价值：层级“{code}”的权重必须大于 0",
        "en": "Contact value: the weight of tier “{code}” must be above 0",
    },
    "policy.rule.flex_days": {
        "zh": "联络价值：到期提醒可挪动的工作日数不能为负数",
        "en": "Contact value: the working days a reminder may move cannot be negative",
    },
    "policy.rule.weeks_per_month": {"zh": "每月周数必须大于 0", "en": "Weeks per month must be above 0"},
    "policy.rule.effort": {
        "zh": "联络方式“{channel}”的工作量系数缺失或为负数",
        "en": "The effort of channel “{channel}” is missing or negative",
    },
    "policy.rule.channel_map": {
        "zh": "合规口径缺少联络方式“{channel}”对应的登记方式",
        "en": "Compliance lacks the logged channels counted for “{channel}”",
    },
    "policy.rule.log_channel": {
        "zh": "合规口径中的登记方式“{name}”不在登记方式列表中",
        "en": "The logged channel “{name}” in compliance is not among the logged channels",
    },
    "policy.rule.counted_result": {
        "zh": "计入合规的联络结果“{result}”不在结果列表中",
        "en": "The result “{result}” counted for compliance is not among the results",
    },
    "policy.rule.result_unknown": {
        "zh": "{label}的联络结果“{result}”不在结果列表中",
        "en": "The result “{result}” {label} is not among the results",
    },
    "policy.results.reached": {"zh": "算作联系上", "en": "counted as reached"},
    "policy.results.sold": {"zh": "算作成交", "en": "counted as a sale"},
    "policy.results.kept": {"zh": "算作到期留存", "en": "counted as kept at maturity"},
    "policy.rule.results_repeat": {
        "zh": "联络结果列表有重复项",
        "en": "The list of results repeats an entry",
    },
    "policy.rule.max_items": {
        "zh": "每位客户的推荐条数必须在 1 到 5 之间，现为 {value}",
        "en": "Offers per customer must be between 1 and 5, not {value}",
    },
    "policy.rule.offer_rule": {
        "zh": "推荐规则“{rule}”无效，可选 {choices}",
        "en": "Offer rule “{rule}” is invalid; choose one of {choices}",
    },
    "policy.rule.offer_tier": {
        "zh": "推荐产品的层级“{code}”无效",
        "en": "The offer tier “{code}” is invalid",
    },
    "policy.rule.offer_product": {
        "zh": "“{tier}”的推荐产品“{product}”不在该层级的推介产品中",
        "en": "The offer “{product}” of “{tier}” is not among that tier's products",
    },
    "policy.rule.outflow_pct": {
        "zh": "流失预警比例必须在 0 到 100 之间",
        "en": "The outflow warning percentage must be between 0 and 100",
    },
    "policy.rule.campaign_date": {
        "zh": "达标有礼活动{which}日期“{text}”不是 YYYY-MM-DD 格式",
        "en": "The campaign {which} date “{text}” is not YYYY-MM-DD",
    },
    "policy.campaign.start": {"zh": "开始", "en": "start"},
    "policy.campaign.end": {"zh": "结束", "en": "end"},
    "policy.rule.campaign_order": {
        "zh": "达标有礼活动结束日期 {end} 早于开始日期 {start}",
        "en": "The campaign ends ({end}) before it starts ({start})",
    },
    "policy.rule.budget": {"zh": "达标有礼预算不能为负数", "en": "The campaign budget cannot be negative"},
    "policy.rule.handover_channel": {
        "zh": "礼品交付登记方式“{name}”不在登记方式列表中",
        "en": "The gift hand-over channel “{name}” is not among the logged channels",
    },
    "policy.rule.share_levels": {
        "zh": "经营成效的余额占比档位必须为递增、不重复的正数（如 10000、50000）",
        "en": "Outcome balance levels must be distinct positive numbers, ascending (e.g. 10000, 50000)",
    },
    "policy.rule.reached_none": {
        "zh": "经营成效至少需要一个表示“已触达客户”的联络结果",
        "en": "Outcomes need at least one result meaning “customer reached”",
    },
    "policy.rule.reached_unknown": {
        "zh": "表示已触达的联络结果“{result}”不在结果列表中",
        "en": "The result “{result}” meaning reached is not among the results",
    },
    "policy.rule.kept_share": {
        "zh": "到期留存比例必须在 0 到 1 之间",
        "en": "The share kept at maturity must be between 0 and 1",
    },
}
