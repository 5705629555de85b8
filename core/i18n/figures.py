"""Messages of the figures area (issue 20): contact-log import semantics, snapshot dates and deletion, period
labels, Chinese widgets, local times."""

MESSAGES = {
    # --- contact-log import: what a row keeps, what is refused
    "contacts.row.name_mismatch": {
        "zh": "客户号 {customer} 的姓名写的是“{name}”，但客户数据中该客户号是“{expected}”：请核对客户号",
        "en": "Customer {customer} is written as '{name}' but the customer data names '{expected}': check the id",
    },
    "contacts.row.familiarity_dropped": {
        "zh": "熟识程度“{value}”无法识别（应为 1–5，1 最陌生）：联络已记入，熟识程度未记入",
        "en": "Familiarity '{value}' is not 1-5: the contact is kept without it",
    },
    "compliance.ui.warned": {
        "zh": "{n} 行已记入，但有一项未记入，原因如下",
        "en": "{n} rows kept with a value left out:",
    },
    # --- week and month views
    "compliance.heat.not_due": {"zh": "未到期", "en": "not due"},
    "compliance.ui.overdue_by_staff": {
        "zh": "逾期未联络（按人，多者在前）：{people}",
        "en": "Overdue per person (most first): {people}",
    },
    # --- one figure, labelled with its period
    "guide.last.logged": {
        "zh": "登记联络（{start} 至 {end}，条）",
        "en": "Contacts logged ({start} to {end})",
    },
}
