"""Capacity use of a fitted month's plan (core.workload.capacity_use) on 任务分配 and 分层策略's what-if."""

MESSAGES = {
    "cap.col.owed": {"zh": "应完成工作量", "en": "Effort owed"},
    "cap.col.deferred": {"zh": "顺延联络(次)", "en": "Contacts deferred"},
    "cap.col.use_saved": {"zh": "现行策略负荷", "en": "Load, saved policy"},
    "cap.col.use_delta": {"zh": "负荷变化(百分点)", "en": "Load change (points)"},
    "cap.col.deferred_delta": {"zh": "顺延变化(次)", "en": "Deferred change"},
    "cap.whatif.title": {
        "zh": "{month} 计划的员工负荷",
        "en": "Staff load of the {month} plan",
    },
    "cap.whatif.planning": {
        "zh": "正在排定 {month} 计划 …",
        "en": "Planning {month} …",
    },
    "cap.whatif.saved_note": {
        "zh": "现行策略与员工名单下 {month} 的计划，与“任务分配”页显示的是同一份计划、同一组数字。"
        "负荷 = 本月工作量（排入计划的联络，按联络方式折算）÷ 每月联络能力（每日份额 × {days} 个工作日）；"
        "应完成工作量 = 本月工作量 + 排不下而顺延的联络。",
        "en": "The {month} plan under the saved policy and roster: the very plan, and figures, of the Assignment "
        "page. Load = effort planned this month ÷ capacity (daily share × {days} working days); effort owed = "
        "planned + deferred.",
    },
    "cap.whatif.changed_note": {
        "zh": "按调整后的策略重新分配客户并排定 {month} 的计划（与“任务分配”页同一算法：再平衡、按日排期、排不下的顺延），"
        "与现行策略的计划逐岗位比较。负荷 = 本月工作量 ÷ 每月联络能力（每日份额 × {days} 个工作日）。",
        "en": "The customers reassigned and the {month} plan made again under the proposed policy (the Assignment "
        "page's planner: rebalancing, day scheduling, deferrals), compared role by role with the saved policy's "
        "plan. Load = effort planned ÷ capacity (daily share × {days} working days).",
    },
    "cap.whatif.deferred": {
        "zh": "按调整后的策略，{month} 有 {count} 次联络排不下而顺延：{roles}。",
        "en": "Under the proposed policy {count} contacts of {month} do not fit and are deferred: {roles}.",
    },
    "cap.whatif.roster_invalid": {
        "zh": "员工名单在调整后的策略下无效（请在“任务分配”页面修正）：只显示按联络频次估算的联络量。",
        "en": "The roster is not valid under the proposed policy (fix it on the Assignment page): only the "
        "contacts needed are estimated.",
    },
}

MESSAGES.update(
    {
        "cap.whatif.deferred_saved": {
            "zh": "按现行策略，{month} 有 {count} 次联络排不下而顺延：{roles}。",
            "en": "Under the saved policy {count} contacts of {month} do not fit and are deferred: {roles}.",
        },
        "cap.whatif.plan": {
            "zh": "按调整后的策略排定 {month} 计划",
            "en": "Plan {month} under the proposed policy",
        },
        "cap.whatif.not_planned": {
            "zh": "表中仍是现行策略下 {month} 的计划（{days} 个工作日）：本网点客户较多，排定一次需数秒，"
            "请点上方按钮按调整后的策略排定并比较。",
            "en": "The table still shows the saved policy's {month} plan ({days} working days): planning this "
            "outlet takes seconds, so click the button above to plan and compare the proposal.",
        },
    }
)
