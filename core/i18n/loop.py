"""Messages of the whole plan loop: catch-up reminders, quarterly duties, familiarity, contacts made ahead."""

MESSAGES = {
    "plan.note.catch_up": {
        "zh": "补提醒：原定 {date}（到期前 {offset} 天）已过",
        "en": "Catch-up: the {offset}-day reminder of {date} has passed",
    },
    "plan.note.small_amount": {
        "zh": "金额不足 {amount} 元：短信提醒一次，不再电话",
        "en": "Under {amount} 元: one SMS reminder instead of calls",
    },
    "plan.note.carried": {
        "zh": "上月延后，原定 {date}",
        "en": "Deferred last month, planned for {date}",
    },
    "plan.note.winback": {
        "zh": "挽回：{date} 到期后转出 {amount} 元",
        "en": "Win back: {amount} 元 left after the maturity of {date}",
    },
    "plan.note.moved_7": {
        "zh": "原定 {date}，为错开高峰调整 {days} 个工作日",
        "en": "Planned for {date}, moved {days} working day(s) to flatten a peak",
    },
    "plan.warn.no_log": {
        "zh": "未连接数据库，不知道本季度已完成的季度联络：按本季度尚无联络计划了所有季度任务（加 --db 与 --outlet 可按记录扣除）",
        "en": "No database: quarterly duties are planned for every customer as if none was met this quarter (use --db and --outlet)",
    },
    "plan.warn.no_familiarity": {
        "zh": "导出文件没有熟识程度，也没有联络表记录的熟识程度：{tiers}名单按资产排序（而非按熟识程度由低到高）",
        "en": "No familiarity in the export or the logs: the {tiers} lists are ordered by assets, not by familiarity",
    },
}
