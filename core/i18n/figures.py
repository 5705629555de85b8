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
    # --- snapshots: the date read from the export, delete and re-date
    "storage.snapshot.redate_taken": {
        "zh": "网点“{outlet}”已有 {as_of} 的客户数据（文件 {file}，编号 {id}）：请先删除或改动那一份",
        "en": "Outlet {outlet} already has a snapshot of {as_of} ({file}, id {id}): delete or re-date that one first",
    },
    "snapshot.not_this_outlet": {
        "zh": "编号 {id} 的客户数据不属于网点“{outlet}”",
        "en": "Snapshot {id} does not belong to outlet {outlet}",
    },
    "snapshot.plans_depend": {
        "zh": "{as_of} 的客户数据（文件 {file}）是已发布的 {plans} 联络计划的依据：{action}会{effect}。确认无误后请勾选确认再操作",
        "en": "The snapshot of {as_of} ({file}) is the basis of the published plan of {plans}: {action} {effect}. "
        "Confirm to go ahead",
    },
    "snapshot.action.delete": {"zh": "删除", "en": "deleting it"},
    "snapshot.action.redate": {"zh": "改日期", "en": "re-dating it"},
    "snapshot.effect.delete": {
        "zh": "一并删除这些计划（联络记录保留）",
        "en": "deletes those plans too (the contact logs stay)",
    },
    "snapshot.effect.redate": {
        "zh": "让这些计划依据新日期的数据",
        "en": "makes those plans rest on the new date",
    },
    "snapshot.same_date": {"zh": "新日期与原日期相同（{as_of}）", "en": "The new date is the same ({as_of})"},
    "ui.upload.date_found": {
        "zh": "数据日期取自文件中的导出日期 {day}（{where}）：请确认，如不对可在上面修改",
        "en": "The as-of date is the export's own date {day} ({where}): check it, change it above if wrong",
    },
    "ui.upload.date_in_title": {"zh": "标题行“{text}”", "en": "title row '{text}'"},
    "ui.upload.date_in_file_name": {"zh": "文件名“{text}”", "en": "file name '{text}'"},
    "ui.upload.date_none": {
        "zh": "文件中没有导出日期：请确认上面的数据日期（默认今天）是这份数据的日期",
        "en": "The file carries no export date: check that the as-of date above (today by default) is right",
    },
    "ui.upload.date_differs": {
        "zh": "文件中的导出日期是 {day}，而数据日期填的是 {as_of}：请确认无误再保存",
        "en": "The file says it was exported on {day}, the as-of date is {as_of}: check before saving",
    },
    "ui.upload.refused": {
        "zh": "保存未完成，数据库未改动：{reason}",
        "en": "Not saved, nothing changed: {reason}",
    },
    "ui.snap.title": {"zh": "删除或修改已导入数据的日期", "en": "Delete or re-date an imported export"},
    "ui.snap.pick": {"zh": "已导入的数据", "en": "Imported export"},
    "ui.snap.new_date": {"zh": "正确的数据日期", "en": "Right as-of date"},
    "ui.snap.plans": {
        "zh": "已发布的 {plans} 联络计划依据这份数据：删除会一并删除这些计划（联络记录保留），改日期则计划改为依据新日期",
        "en": "The published plan of {plans} rests on this export: deleting it deletes those plans too (contact logs "
        "stay); re-dating keeps them on the new date",
    },
    "ui.snap.confirm": {"zh": "我确认要改动这份数据", "en": "I confirm the change"},
    "ui.snap.confirm_first": {"zh": "请先勾选确认，再删除", "en": "Tick the confirmation first"},
    "ui.snap.redate": {"zh": "改为上面的日期", "en": "Re-date"},
    "ui.snap.delete": {"zh": "删除这份数据", "en": "Delete"},
    "ui.snap.redated": {
        "zh": "已把 {before} 的数据（{file}）改为 {after}，已记入审计日志",
        "en": "The export of {before} ({file}) is now dated {after} (audited)",
    },
    "ui.snap.deleted": {
        "zh": "已删除 {as_of} 的数据（{file}），已记入审计日志",
        "en": "The export of {as_of} ({file}) is deleted (audited)",
    },
    # --- Streamlit's own widget texts (ui/zh_widgets.py)
    "ui.widget.upload": {"zh": "选择文件", "en": "Upload"},
    "ui.widget.per_file": {"zh": "可拖放文件到此处 · 每个文件不超过 {mb}MB", "en": "{mb}MB per file"},
    "ui.widget.select_all": {"zh": "全选", "en": "Select all"},
    "ui.widget.empty": {"zh": "（无）", "en": "(none)"},
    "compliance.col.attempts": {"zh": "当日联络次数", "en": "attempts that day"},
}
