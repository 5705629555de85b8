"""Contact logs (import, console entry) and compliance (engine, CLI, the 联络合规 page)."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- engine
    "compliance.bad_period": {
        "zh": "期间“{period}”无法识别：请写成 2026-11（月）、2026-W48（周）或 2026-Q4（季度）",
        "en": "Period {period} not understood: write 2026-11 (month), 2026-W48 (week) or 2026-Q4 (quarter)",
    },
    "compliance.plan_columns": {
        "zh": "联络计划缺少列：{columns}",
        "en": "The contact plan lacks columns: {columns}",
    },
    "compliance.plan_no_due": {
        "zh": "联络计划中有 {count} 行没有应联络日期",
        "en": "{count} rows of the contact plan have no due date",
    },
    "compliance.plan_kind": {
        "zh": "联络计划中有无法识别的类型：{kinds}",
        "en": "The contact plan has unknown kinds: {kinds}",
    },
    "compliance.no_cadence": {
        "zh": "联络计划中有 {count} 行在当前策略下找不到联络频次（如层级“{tier}”的“{channel}”），请用制定计划时的策略",
        "en": "{count} plan rows have no cadence under this policy (e.g. tier {tier}, channel {channel}); "
        "use the policy the plan was made with",
    },
    "compliance.contact_columns": {
        "zh": "联络记录缺少列：{columns}",
        "en": "The contact log lacks columns: {columns}",
    },
    "compliance.status.met": {"zh": "已达标", "en": "met"},
    "compliance.status.open": {"zh": "未到期", "en": "open"},
    "compliance.status.overdue": {"zh": "逾期未联络", "en": "overdue"},
    "compliance.kind.cadence": {"zh": "常规频次", "en": "cadence"},
    "compliance.kind.reminder_731": {"zh": "到期提醒（731）", "en": "maturity reminder (731)"},
    "compliance.kind.birthday": {"zh": "生日提醒", "en": "birthday reminder"},
    "compliance.funnel.planned": {"zh": "计划客户", "en": "planned"},
    "compliance.funnel.contacted": {"zh": "已联络", "en": "contacted"},
    "compliance.funnel.invited": {"zh": "已邀约", "en": "invited"},
    "compliance.funnel.came": {"zh": "已到访", "en": "came"},
    "compliance.funnel.sold": {"zh": "已成交", "en": "sold"},
}
