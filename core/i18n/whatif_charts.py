"""The what-if pictures of 分层策略."""

MESSAGES: dict[str, dict[str, str]] = {
    "whatif.chart.saved": {"zh": "已保存策略", "en": "Saved policy"},
    "whatif.chart.edited": {"zh": "正在调整", "en": "Edited"},
    "whatif.chart.tab_distribution": {"zh": "资产分布与层级边界", "en": "Assets and tier bounds"},
    "whatif.chart.tab_tiers": {"zh": "各层人数（调整前后）", "en": "Customers per tier, before and after"},
    "whatif.chart.tab_moves": {"zh": "层级迁移热力图", "en": "Tier migration heatmap"},
    "whatif.chart.assets_axis": {"zh": "客户资产（元，对数刻度）", "en": "Customer assets (yuan, log scale)"},
    "whatif.chart.customers_axis": {"zh": "客户数", "en": "Customers"},
    "whatif.chart.from": {"zh": "资产自", "en": "From"},
    "whatif.chart.to": {"zh": "资产至", "en": "To"},
    "whatif.chart.before_axis": {"zh": "按已保存策略", "en": "Under the saved policy"},
    "whatif.chart.after_axis": {"zh": "按调整后策略", "en": "Under the edited policy"},
    "whatif.chart.distribution_note": {
        "zh": "灰色虚线为已保存策略的层级下限，红色实线为正在调整的下限；两线之间的客户会换层。",
        "en": "Grey dashed: the saved tier bounds; red: the edited ones. Customers between them change tier.",
    },
    "whatif.chart.moves_note": {
        "zh": "对角线上的客户层级不变；对角线以外的格子是调整后换层的客户。",
        "en": "The diagonal keeps its tier; every other cell is customers who would change tier.",
    },
}
