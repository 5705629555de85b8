"""分层策略's editor: what each customer is offered and how a plan that does not fit is made to fit."""

MESSAGES: dict[str, dict[str, str]] = {
    "ui.strategy.tab.offers": {"zh": "推荐与排期", "en": "Offers and fitting"},
    "ui.strategy.offers": {
        "zh": "联络表上的推荐（每位客户）",
        "en": "Offers on the call sheet (per customer)",
    },
    "ui.strategy.offers_help": {
        "zh": "联络表的“推荐”列按下列规则依次取，最多取设定的条数；临界客户取高一层级的推荐产品。"
        "推荐产品只能从该层级的推介产品目录中选。",
        "en": "The call sheet's offer column takes these rules in order, up to the number set; near-threshold "
        "customers get the picks of the tier above. Picks come from the tier's product catalogue.",
    },
    "ui.strategy.offers_max": {"zh": "每位客户最多推荐条数", "en": "Offers per customer (at most)"},
    "ui.strategy.offers_rules": {"zh": "推荐规则（按选择顺序）", "en": "Offer rules (in the order chosen)"},
    "ui.strategy.offer_rule.near": {"zh": "临界：达标有礼与差额", "en": "Near a level: the gift and the gap"},
    "ui.strategy.offer_rule.maturing": {"zh": "到期：转存/转化有礼", "en": "Maturing: renewal offer"},
    "ui.strategy.offer_rule.tier": {"zh": "层级推荐产品", "en": "The tier's picks"},
    "ui.strategy.offers_picks": {"zh": "{tier}的推荐产品", "en": "Picks for {tier}"},
    "ui.strategy.fit": {"zh": "排不下时", "en": "When the plan does not fit"},
    "ui.strategy.rebalance": {
        "zh": "先把超负荷员工的客户调给同岗位范围内有余力的同事",
        "en": "First move customers of overloaded staff to colleagues with room (in roles the tier allows)",
    },
    "ui.strategy.defer_order": {
        "zh": "仍排不下时的保留顺序（排在前面的最后延后）",
        "en": "Keep order when it still does not fit (the first waits last)",
    },
    "ui.strategy.defer_order_help": {
        "zh": "到期 731 提醒与生日提醒按原日期保留，不会延后；其余联络按每单位工作量的联络价值保留，价值最低的先延后"
        "（层级权重见策略的 [value]）；价值相同时按此顺序，排在最后的群体先延后。延后的联络全部列在工作簿的“延后联络”表中。",
        "en": "731 and birthday reminders keep their dates and never wait; other contacts are kept by value per unit "
        "of effort, the least valuable waits first (tier weights: the policy's [value]); between equal values, "
        "the last group here waits first. Every deferred contact is listed on the workbook's 延后联络 sheet.",
    },
    "ui.strategy.defer_group.near": {"zh": "临界客户", "en": "Near-threshold customers"},
    # planner (issue 19): a reminder worth a call
    "ui.strategy.reminder_min_amount": {
        "zh": "到期提醒最低金额（元）：低于此金额只发一次短信",
        "en": "Minimum amount for reminder calls (元): below it one SMS",
    },
    "ui.strategy.reminder_min_amount_help": {
        "zh": "到期金额低于此数的，不再打“731”三次电话，改为到期前 7 天发一次短信；设为 0 则每笔都电话提醒",
        "en": "Items maturing with less than this get one SMS 7 days before instead of three calls; 0 = always call",
    },
    # planner (issue 19): the country's calendar
    "ui.strategy.statutory_copy": {
        "zh": "填入 {year} 年法定节假日与调休上班日",
        "en": "Fill in {year}'s statutory holidays and make-up working days",
    },
    "ui.strategy.statutory_copied": {
        "zh": "已填入 {year} 年 {holidays} 个节假日、{workdays} 个调休上班日，保存后生效",
        "en": "{year}: {holidays} holidays and {workdays} make-up working days filled in; save to apply",
    },
    "ui.strategy.workdays": {
        "zh": "调休上班日（每行一个 YYYY-MM-DD）",
        "en": "Make-up working days (one YYYY-MM-DD a line)",
    },
    "ui.strategy.workdays_help": {
        "zh": "国务院放假安排中需上班的周末：这些日子照常安排联络",
        "en": "Weekend days the State Council makes working days: contacts are planned on them",
    },
    "ui.strategy.weekdays": {"zh": "营业日（周末营业的网点可加周六、周日）", "en": "Working weekdays"},
    "ui.strategy.weekday.1": {"zh": "周一", "en": "Monday"},
    "ui.strategy.weekday.2": {"zh": "周二", "en": "Tuesday"},
    "ui.strategy.weekday.3": {"zh": "周三", "en": "Wednesday"},
    "ui.strategy.weekday.4": {"zh": "周四", "en": "Thursday"},
    "ui.strategy.weekday.5": {"zh": "周五", "en": "Friday"},
    "ui.strategy.weekday.6": {"zh": "周六", "en": "Saturday"},
    "ui.strategy.weekday.7": {"zh": "周日", "en": "Sunday"},
    "ui.strategy.statutory": {
        "zh": "未填写节假日的年份，自动采用法定节假日与调休安排",
        "en": "Years with no holiday listed take the statutory holidays and make-up days",
    },
}
