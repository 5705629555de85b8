"""The published plan as handed out (任务分配 downloads, 我的客户) and what staff see of customers (privacy)."""

MESSAGES: dict[str, dict[str, str]] = {
    "ui.assign.publish_first": {
        "zh": "工作簿按已发布的计划生成：请先点“发布联络计划”发布 {month} 的计划，再下载。",
        "en": "Workbooks are written from the published plan: publish the {month} plan first, then download.",
    },
    "ui.assign.downloads_of": {
        "zh": "以下工作簿按 {month} 已发布的计划生成（发布于 {at}，{by}）。",
        "en": "These workbooks are written from the {month} plan as published ({at}, {by}).",
    },
    "ui.my.no_handout": {
        "zh": "{month} 的计划发布时尚未保存完整工作簿，请向支局长索取，或请其重新发布。",
        "en": "The {month} plan was published before whole workbooks were kept: ask the branch head for yours, or "
        "to publish it again.",
    },
    "ui.my.privacy_note": {
        "zh": "按本网点策略，员工看到的手机号隐藏中间四位；需要时可逐个查看完整号码（记入审计日志）。",
        "en": "Under the outlet's policy staff see mobiles masked; reveal one when needed (it is audit-logged).",
    },
    "ui.my.assets_hidden": {
        "zh": "按本网点策略不向员工显示余额与金额。",
        "en": "Under the outlet's policy staff do not see balances or amounts.",
    },
    "ui.my.reveal_pick": {"zh": "查看完整手机号的客户", "en": "Customer whose mobile to reveal"},
    "ui.my.reveal": {"zh": "显示完整号码", "en": "Reveal the number"},
    "ui.my.revealed": {
        "zh": "{name}（{customer}）的手机号：{phone}",
        "en": "Mobile of {name} ({customer}): {phone}",
    },
    "ui.my.no_phone": {
        "zh": "{name}（{customer}）在导出中没有手机号。",
        "en": "{name} ({customer}) has no mobile in the export.",
    },
    "ui.my.hidden": {"zh": "不显示", "en": "hidden"},
}
