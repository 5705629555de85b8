"""Texts added when the merged console was used in a browser: places where Streamlit's English showed through."""

MESSAGES: dict[str, dict[str, str]] = {
    "ui.acc.no_outlet": {
        "zh": "（不属于网点：管理员，或在下方填写新网点）",
        "en": "(no outlet: an administrator, or type a new outlet below)",
    },
    "ui.outcomes.no_window_here": {
        "zh": "尚未设置达标有礼活动期间：请在下方“活动期间与预算”中填写开始与结束日期并保存。",
        "en": "No 达标有礼 campaign window yet: set its start and end dates below and save.",
    },
    "ui.outcomes.policy_used": {
        "zh": "层级、达标档位与礼品按生效策略（{policy}）计算。",
        "en": "Tiers, reward levels and gifts follow the active policy ({policy}).",
    },
}
