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
    # --- contact log import
    "contacts.file.unreadable": {
        "zh": "无法读取联络表 {file}：{error}",
        "en": "Cannot read contact log {file}: {error}",
    },
    "contacts.file.columns": {
        "zh": "联络表 {file} 缺少列：{columns}（联络表的列为 {expected}）",
        "en": "Contact log {file} lacks columns: {columns} (a log has {expected})",
    },
    "contacts.row.no_date": {"zh": "日期为空", "en": "no date"},
    "contacts.row.bad_date": {"zh": "日期“{value}”无法识别", "en": "date {value} not understood"},
    "contacts.row.outside": {
        "zh": "日期 {value} 不在计划期间 {period} 内",
        "en": "date {value} is outside the plan's period {period}",
    },
    "contacts.row.no_staff": {"zh": "员工为空", "en": "no staff member"},
    "contacts.row.unknown_staff": {
        "zh": "员工“{value}”不在本网点员工名单中",
        "en": "staff member {value} is not on the outlet's roster",
    },
    "contacts.row.no_customer": {"zh": "客户号为空", "en": "no customer id"},
    "contacts.row.unknown_customer": {
        "zh": "客户号“{value}”不在本网点客户名单中",
        "en": "customer {value} is not among the outlet's customers",
    },
    "contacts.row.no_channel": {"zh": "方式为空", "en": "no channel"},
    "contacts.row.bad_channel": {
        "zh": "方式“{value}”不在可选项（{choices}）中",
        "en": "channel {value} is not one of {choices}",
    },
    "contacts.row.bad_result": {
        "zh": "结果“{value}”不在可选项（{choices}）中",
        "en": "result {value} is not one of {choices}",
    },
    # --- contacts in the database
    "contacts.store.no_outlet": {
        "zh": "没有名为“{outlet}”的网点：请先导入该网点的客户数据并生成联络计划",
        "en": "No outlet named {outlet}: import its customers and make its contact plan first",
    },
    "contacts.store.dialect": {
        "zh": "联络记录暂不支持 {dialect} 数据库（支持 SQLite、PostgreSQL）",
        "en": "Contact logs do not support {dialect} databases (SQLite, PostgreSQL only)",
    },
    "contacts.auth.role": {"zh": "账号角色“{role}”无权登记联络", "en": "Role {role} may not log contacts"},
    "contacts.auth.outlet": {
        "zh": "您的账号不属于网点“{outlet}”，不能修改该网点的联络记录",
        "en": "Your account does not belong to outlet {outlet}",
    },
    "contacts.auth.self": {
        "zh": "员工只能登记、修改自己的联络记录（此记录属于“{staff}”）",
        "en": "Staff may only log and change their own contacts (this one is {staff}'s)",
    },
    "contacts.auth.customer": {
        "zh": "客户 {customer} 不是分配给您的客户，请联系支局长",
        "en": "Customer {customer} is not assigned to you; ask the branch head",
    },
    "contacts.entry.future": {"zh": "联络日期 {date} 晚于今天", "en": "contact date {date} is after today"},
    "contacts.entry.no_staff_name": {"zh": "请填写员工", "en": "staff member missing"},
    "contacts.entry.no_customer_id": {"zh": "请填写客户号", "en": "customer id missing"},
    "contacts.entry.duplicate": {
        "zh": "{date} {staff} 对客户 {customer} 的{channel}联络已登记过，请修改原记录",
        "en": "{staff}'s {channel} contact with {customer} on {date} is already logged; correct that entry",
    },
    "contacts.entry.unknown": {
        "zh": "联络记录 {id} 不存在（可能已被删除）",
        "en": "Contact {id} does not exist",
    },
    "contacts.entry.fields": {
        "zh": "不能修改字段 {fields}（可修改：{allowed}）",
        "en": "Fields {fields} cannot be changed (allowed: {allowed})",
    },
    # --- CLI
    "contacts.cli.outlet": {
        "zh": "请用 --outlet 指定网点（数据库中的网点：{outlets}）",
        "en": "Name the outlet with --outlet (outlets in the database: {outlets})",
    },
    "contacts.cli.no_file": {"zh": "找不到文件：{file}", "en": "File not found: {file}"},
    "contacts.cli.no_dates": {
        "zh": "联络表中没有填写结果的日期，无法判断计划月份：请用 --period 指定",
        "en": "No filled-in dates in the logs to tell the plan's month: give --period",
    },
    "compliance.cli.no_plan": {
        "zh": "网点“{outlet}”在 {period} 没有保存的联络计划：请先运行 python -m core assign … --db … --outlet …",
        "en": "Outlet {outlet} has no stored contact plan for {period}: run python -m core assign … --db … --outlet … first",
    },
    "contacts.plan.other_file": {
        "zh": "网点“{outlet}”已有 {as_of} 的客户数据（来自文件 {file}），与本次文件不同：请先用 db import --replace 替换，或使用同一文件",
        "en": "Outlet {outlet} already has a snapshot of {as_of} from another file ({file}): "
        "replace it with db import --replace first, or use the same file",
    },
    "contacts.cli.assign_outlet": {
        "zh": "保存分配与联络计划需要用 --outlet 指定网点",
        "en": "Storing the assignment and plan needs --outlet",
    },
}
