"""Messages of the deferred area (issue 19 items 8, 9): 延后 N beside every compliance figure."""

MESSAGES = {
    "deferred.metric": {"zh": "延后", "en": "Deferred"},
    "deferred.caption": {
        "zh": "延后 {n}：{period} 已发布计划中因联络能力不足延后的联络，下月计划优先安排（保留原定日期）",
        "en": "Deferred {n}: contacts the published plans of {period} could not hold; next month's plan puts "
        "them first (original date kept)",
    },
    "deferred.caption.none": {
        "zh": "延后 —：{period} 没有已发布的计划",
        "en": "Deferred —: no plan of {period} was published",
    },
    "deferred.per_person": {"zh": "。按人：{people}", "en": ". Per person: {people}"},
    "deferred.between": {"zh": "{start} 至 {end}", "en": "{start} to {end}"},
    "plan.warn.carried_tier": {
        "zh": "上月延后的联络中有 {n} 条，客户已换到没有该渠道联络频次的层级：不再补做，按新层级的频次安排",
        "en": "{n} contacts deferred last month are for customers now in a tier without that channel: not "
        "carried, the new tier's cadence applies",
    },
    "weekly.col.deferred": {"zh": "延后(次)", "en": "Deferred"},
    "outcomes.col.deferred": {"zh": "延后", "en": "Deferred"},
}
