"""A plan that fits capacity: moves between staff, day scheduling, deferrals and what would make it fit."""

MESSAGES: dict[str, dict[str, str]] = {
    "assign.reason.rebalanced": {"zh": "超负荷调整", "en": "moved: over capacity"},
    "schedule.move.load": {
        "zh": "{name}本月工作量 {load:.1f}，能力 {capacity:.1f}",
        "en": "{name}'s month: {load:.1f} against a capacity of {capacity:.1f}",
    },
    "schedule.move.weeks": {"zh": "，{weeks} 周超出", "en": ", {weeks} weeks over"},
    "schedule.move.no_visit": {
        "zh": "，每日能力 {day:.1f} 不够一次上门（{visit:.0f}）",
        "en": ", a day's share of {day:.1f} is less than a visit ({visit:.0f})",
    },
    "schedule.move.small": {
        "zh": "；此客户本月无到期，联络价值{worth}，交给{to}联络，调整代价最小",
        "en": "; nothing maturing, contacts worth {worth}: {to} takes them, the cheapest move",
    },
    "schedule.move.maturing": {
        "zh": "；此客户本月有到期，联络价值{worth}，留在原处会延后，交给{to}",
        "en": "; maturing this month, contacts worth {worth} would wait: {to} takes them",
    },
    "schedule.value.about": {"zh": "约 {value:.0f} 元", "en": "about {value:.0f} 元"},
    "schedule.value.below_one": {"zh": "不足 1 元", "en": "less than 1 元"},
    "schedule.note.gift_with_visit": {"zh": "随本月上门一并送达", "en": "taken along on this month's visit"},
    "schedule.note.covers_week": {"zh": "兼本周例行电话", "en": "also this week's routine call"},
    "schedule.note.covers_month": {"zh": "兼本月例行电话", "en": "also this month's routine call"},
    "schedule.note.covers_quarter": {"zh": "兼本季度例行电话", "en": "also this quarter's routine call"},
    "schedule.reason.week": {
        "zh": "{name}本周联络能力已满，此次联络价值{worth}，在本周优先顺序中靠后，延后",
        "en": "{name}'s week is full: this contact, worth {worth}, comes last by priority and waits",
    },
    "schedule.reason.month": {
        "zh": "{name}本月联络能力已满，此次联络价值{worth}，在本月优先顺序中靠后，延后",
        "en": "{name}'s month is full: this contact, worth {worth}, comes last by priority and waits",
    },
    "schedule.reason.fixed": {
        "zh": "{name}的日子已被不改期的到期提醒和排在前面的上月延后、挽回联络占满，这次优先安排的联络（价值{worth}）放不下，延后",
        "en": "{name}'s days are taken by reminders that keep their dates and the carried and win-back contacts ahead: this contact, placed first (worth {worth}), waits",
    },
    "schedule.reason.day": {
        "zh": "{name}每日能力 {day:.1f}，一天排不下这次联络（价值{worth}），延后；可交给能力更大的同事",
        "en": "{name}'s day ({day:.1f}) cannot hold this contact (worth {worth}): deferred; a colleague with a larger day could make it",
    },
    "sms.confirm.note": {"zh": "群发短信（批量确认）", "en": "greeting SMS (batch confirmed)"},
    "sms.confirm.source": {"zh": "群发短信确认 {month}", "en": "SMS batch confirmation {month}"},
    "sms.confirm.not_own": {
        "zh": "只能确认自己的群发短信，不能确认 {name} 的",
        "en": "Staff confirm their own SMS batch only, not {name}'s",
    },
    "sms.confirm.outside": {
        "zh": "发送日期 {day} 不在 {month} 月内",
        "en": "The day sent, {day}, is not in {month}",
    },
    "sms.confirm.empty": {
        "zh": "{month} 已发布的计划中没有 {name} 的群发短信",
        "en": "The published plan of {month} has no greeting SMS for {name}",
    },
    # 联络合规 → 群发短信: the month's batch per person and its one-click confirmation (ui/sms_batch.py)
    "compliance.ui.tab.sms": {"zh": "群发短信", "en": "Greeting SMS"},
    "sms.ui.month": {"zh": "计划月份", "en": "Plan month"},
    "sms.ui.caption": {
        "zh": "{month} 的群发短信每人一份名单（计划表“短信-姓名”工作表），由短信平台统一发送后在此确认一次，合规情况即把名单上每位客户的短信计为已联络",
        "en": "The greeting SMS of {month} is one list per person (sheet 短信-<name>), sent from the SMS platform and confirmed here once; compliance then counts every customer on the list",
    },
    "sms.ui.none": {
        "zh": "{month} 已发布的计划中没有群发短信",
        "en": "The published plan of {month} has no greeting SMS",
    },
    "sms.ui.not_begun": {
        "zh": "{month} 尚未开始，群发短信发送后再确认",
        "en": "{month} has not begun: confirm the batch once it is sent",
    },
    "sms.ui.confirm": {"zh": "确认已发送", "en": "Confirm sent"},
    "sms.ui.confirmed": {
        "zh": "已确认 {staff} {month} 的群发短信（{day} 发送），新记 {n} 位客户的短信联络",
        "en": "{staff}'s greeting SMS of {month} confirmed (sent {day}): {n} customers' SMS newly logged",
    },
    "sms.ui.status.done": {"zh": "已确认", "en": "Confirmed"},
    "sms.ui.status.partial": {"zh": "部分已记", "en": "Partly logged"},
    "sms.ui.status.open": {"zh": "未确认", "en": "Not confirmed"},
    "sms.col.staff": {"zh": "员工", "en": "Staff"},
    "sms.col.customers": {"zh": "名单客户", "en": "Customers"},
    "sms.col.confirmed": {"zh": "已记短信", "en": "SMS logged"},
    "sms.col.status": {"zh": "状态", "en": "Status"},
    "sms.col.sent": {"zh": "发送日期", "en": "Sent on"},
    "sms.col.confirmed_by": {"zh": "确认人", "en": "Confirmed by"},
    "sms.col.confirmed_at": {"zh": "确认时间", "en": "Confirmed at"},
    # 登记联络: a second try at a customer on the same day is the day's one contact (core.storage.contacts)
    "compliance.ui.entry_attempt": {
        "zh": "已更新：客户 {customer} 当天的{channel}联络，第 {n} 次尝试，结果记为 {result}",
        "en": "Updated: customer {customer}'s {channel} contact of the day, attempt {n}, result {result}",
    },
    # the 短信-<name> sheet confirmed on paper: two cells the person fills in, read by the contacts import
    "export.sms.fill_label": {"zh": "填写方法", "en": "How to confirm"},
    "export.sms.fill": {
        "zh": "也可在下面两行右侧填写“是”和发送日期（YYYY-MM-DD），随联络表导入即确认",
        "en": "Or write 是 and the day sent (YYYY-MM-DD) beside the two rows below; importing the workbook confirms it",
    },
    "export.sms.sent": {"zh": "已发送", "en": "已发送"},
    "export.sms.sent_on": {"zh": "发送日期", "en": "发送日期"},
    "contacts.sms.no_date": {
        "zh": "群发短信名单写了已发送，但“{label}”没有填写，整张名单未导入",
        "en": "The SMS list says sent but its {label} is blank: the list is not imported",
    },
    "calendar.unknown_year": {
        "zh": "{year} 年的法定节假日与调休安排尚未收录（节假日数据包未更新）：只把元旦空出，其余请在“分层策略”中填写",
        "en": "The statutory holidays of {year} are not known yet (calendar package not updated): only 1 January is kept free; add the rest on 分层策略",
    },
    "schedule.capacity_default": {
        "zh": "{names} 的联络能力未在员工名单中填写，按岗位默认值计算",
        "en": "{names}: capacity not in the roster, role defaults used",
    },
    "schedule.deferred_warning": {
        "zh": "本月共 {count} 次联络超出能力而延后，明细见“延后联络”表",
        "en": "{count} contacts this month exceed capacity and are deferred: see the 延后联络 sheet",
    },
    "schedule.fixed_over": {
        "zh": "{name}（{role}）有 {days} 天仅固定日期联络（到期提醒、生日）就超过每日能力",
        "en": "{name} ({role}): on {days} days the fixed-date contacts alone exceed the daily share",
    },
    "export.sheet.deferred": {"zh": "延后联络", "en": "延后联络"},
    "export.deferred.title": {
        "zh": "延后联络（{month}）：超出联络能力、本月暂不安排的联络，共 {count} 次",
        "en": "Deferred contacts ({month}): over capacity, not planned this month, {count} in all",
    },
    "export.deferred.col.customer_id": {"zh": "客户号", "en": "客户号"},
    "export.deferred.col.name": {"zh": "姓名", "en": "姓名"},
    "export.deferred.col.tier": {"zh": "层级", "en": "层级"},
    "export.deferred.col.channel": {"zh": "方式", "en": "方式"},
    "export.deferred.col.due_date": {"zh": "原定日期", "en": "原定日期"},
    "export.deferred.col.staff": {"zh": "负责员工", "en": "负责员工"},
    "export.deferred.col.reason": {"zh": "原因", "en": "原因"},
    "ui.fit.title": {"zh": "计划是否可行", "en": "Does the plan fit"},
    "ui.fit.ok": {
        "zh": "本月计划在每人每日联络能力之内，没有延后的联络。",
        "en": "The month's plan fits everyone's daily capacity; nothing is deferred.",
    },
    "ui.fit.moves": {
        "zh": "为不超负荷，以下 {count} 位客户在发布前调整了负责员工：",
        "en": "To stay within capacity, {count} customers change owner before publishing:",
    },
    "ui.fit.deferred": {
        "zh": "全网点能力不足：本月 {count} 次联络延后（明细在工作簿“延后联络”表）。",
        "en": "The outlet lacks capacity: {count} contacts are deferred (see the 延后联络 sheet).",
    },
    "ui.fit.to_fit": {
        "zh": "要全部完成：{role}每周增加约 {add} 次联络能力（约 {people} 人）",
        "en": "To fit: about {add} more contacts a week for {role} (about {people} people)",
    },
    "ui.fit.relax": {
        "zh": "或放宽联络频次：{items}",
        "en": "Or relax the cadence: {items}",
    },
    "ui.fit.relax_item": {
        "zh": "{tier}{channel}（延后 {count} 次，占 {share}）",
        "en": "{tier} {channel} ({count} deferred, {share})",
    },
    "ui.strategy.role_capacity": {
        "zh": "各岗位默认每周联络能力（员工名单未填写容量时使用）",
        "en": "Default weekly capacity per role (when the roster gives none)",
    },
    "ui.strategy.capacity_other": {
        "zh": "其他岗位默认每周联络能力（未单独设置的岗位）",
        "en": "Default weekly capacity of roles without their own",
    },
    "ui.fit.col.customer_id": {"zh": "客户号", "en": "Customer"},
    "ui.fit.col.from": {"zh": "原负责", "en": "From"},
    "ui.fit.col.to": {"zh": "调整为", "en": "To"},
    "ui.fit.col.effort": {"zh": "月工作量", "en": "Effort / month"},
    "ui.fit.col.reason": {"zh": "原因", "en": "Why"},
    "ui.fit.col.deferred": {"zh": "延后次数", "en": "Deferred"},
    "ui.fit.col.required": {"zh": "应联络次数", "en": "Required"},
    "ui.fit.col.share": {"zh": "延后占比", "en": "Share deferred"},
    "ui.fit.col.source": {"zh": "能力来源", "en": "Capacity from"},
    "ui.fit.source.roster": {"zh": "员工名单", "en": "roster"},
    "ui.fit.source.default": {"zh": "岗位默认", "en": "role default"},
}
