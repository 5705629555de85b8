"""Names shared by every area: tiers, channels, results, roles."""

MESSAGES: dict[str, dict[str, str]] = {
    "tier.potential": {"zh": "潜力客户", "en": "Potential"},
    "tier.basic": {"zh": "基础客户", "en": "Basic"},
    "tier.mid": {"zh": "中端客户", "en": "Mid-tier"},
    "tier.high": {"zh": "高端客户", "en": "High-end"},
    "group.near": {"zh": "临界客户", "en": "Near-threshold"},
    "group.maturing": {"zh": "到期客户", "en": "Maturing"},
    "channel.phone": {"zh": "电话", "en": "Phone"},
    "channel.sms": {"zh": "短信", "en": "SMS"},
    "channel.visit": {"zh": "上门", "en": "Visit"},
    "channel.gift": {"zh": "礼品", "en": "Gift"},
    "period.week": {"zh": "周", "en": "week"},
    "period.month": {"zh": "月", "en": "month"},
    "period.quarter": {"zh": "季", "en": "quarter"},
}
