"""Messages of the storage area: snapshots, outlets, staff, policies, accounts, history, the db/users commands."""

MESSAGES: dict[str, dict[str, str]] = {
    "storage.outlet.blank": {"zh": "网点名称不能为空", "en": "The outlet name must not be blank"},
    "storage.outlet.unknown": {
        "zh": "数据库中没有网点“{outlet}”",
        "en": "No outlet “{outlet}” in the database",
    },
    "storage.outlet.default": {"zh": "本网点", "en": "This outlet"},
    "storage.outlet.ambiguous": {
        "zh": "文件中有多个网点（{outlets}），请用 --outlet 指定要导入的网点",
        "en": "The file holds several outlets ({outlets}); name the one to import with --outlet",
    },
    "storage.outlet.choose": {
        "zh": "数据库中有多个网点（{outlets}），请用 --outlet 指定",
        "en": "The database holds several outlets ({outlets}); choose one with --outlet",
    },
    "storage.staff.columns": {
        "zh": "员工名单缺少列：{columns}",
        "en": "The staff roster lacks columns: {columns}",
    },
    "storage.staff.blank_name": {
        "zh": "员工名单中有姓名为空的行",
        "en": "The roster has a row without a name",
    },
    "storage.staff.duplicate": {
        "zh": "员工名单中姓名重复：{names}（同一网点内姓名必须唯一）",
        "en": "Duplicate names in the roster: {names} (names must be unique within an outlet)",
    },
    "storage.snapshot.columns": {
        "zh": "客户数据缺少列：{columns}，无法保存",
        "en": "The customer data lacks columns: {columns}; nothing was saved",
    },
    "storage.snapshot.blank_id": {
        "zh": "文件“{file}”第 {rows} 行客户号为空，无法保存（未写入任何数据）",
        "en": "File “{file}” rows {rows}: customer id is blank; nothing was saved",
    },
    "storage.snapshot.duplicate_id": {
        "zh": "文件“{file}”中客户号重复：{ids}，无法保存（未写入任何数据）",
        "en": "File “{file}” repeats customer ids: {ids}; nothing was saved",
    },
    "storage.snapshot.bad_assets": {
        "zh": "文件“{file}”第 {rows} 行资产金额无效，无法保存（未写入任何数据）",
        "en": "File “{file}” rows {rows}: invalid assets; nothing was saved",
    },
    "storage.snapshot.duplicate_date": {
        "zh": "网点“{outlet}”{as_of} 的数据已经导入过（快照 #{id}，文件“{file}”，{who} 于 {when} 导入），"
        "未重复导入；如确需替换，请选择“替换”（命令行加 --replace）",
        "en": "Outlet “{outlet}” already has data for {as_of} (snapshot #{id}, file “{file}”, imported by {who} "
        "at {when}); nothing was imported. To replace it, choose replace (--replace)",
    },
    "storage.snapshot.duplicate_file": {
        "zh": "这个文件（内容与快照 #{id} 的“{file}”完全相同）已作为网点“{outlet}”{old_as_of} 的数据导入过"
        "（{who} 于 {when} 导入），未重复导入；如确需改为 {as_of} 的数据，请选择“替换”（命令行加 --replace）",
        "en": "This file (identical to “{file}” of snapshot #{id}) was already imported for outlet “{outlet}” "
        "at {old_as_of} (by {who} at {when}); nothing was imported. To store it for {as_of} instead, "
        "choose replace (--replace)",
    },
    "storage.snapshot.concurrent": {
        "zh": "网点“{outlet}”{as_of} 的数据刚刚已由另一次导入写入，本次未重复导入；如确需替换，请选择“替换”"
        "（命令行加 --replace）",
        "en": "Another import has just stored outlet “{outlet}” for {as_of}; nothing was imported. "
        "To replace it, choose replace (--replace)",
    },
    "storage.snapshot.unknown": {"zh": "没有编号为 {id} 的快照", "en": "No snapshot #{id}"},
    "storage.snapshot.missing": {
        "zh": "网点“{outlet}”没有 {as_of} 的快照；已有日期：{dates}",
        "en": "Outlet “{outlet}” has no snapshot for {as_of}; dates stored: {dates}",
    },
    "storage.snapshot.no_as_of": {
        "zh": "文件中没有导出日期（标题行和文件名中都没有日期）：请用 --as-of YYYY-MM-DD 指定数据日期",
        "en": "The file carries no export date (none in its title rows or name): give --as-of YYYY-MM-DD",
    },
    "storage.policy.unknown": {
        "zh": "没有版本号为 {version} 的策略（{scope}）",
        "en": "No policy version {version} ({scope})",
    },
    "storage.policy.scope_global": {"zh": "全局", "en": "global"},
    "storage.plan.columns": {
        "zh": "联络计划缺少列：{columns}",
        "en": "The contact plan lacks columns: {columns}",
    },
    "storage.plan.period": {
        "zh": "计划月份“{period}”格式应为 YYYY-MM",
        "en": "Plan period “{period}” must be YYYY-MM",
    },
    "storage.db.unreachable": {
        "zh": "无法连接数据库：{error}",
        "en": "Cannot connect to the database: {error}",
    },
    "accounts.password.short": {
        "zh": "密码太短：至少需要 {min} 个字符",
        "en": "Password too short: at least {min} characters",
    },
    "accounts.password.long": {
        "zh": "密码太长：最多 {max} 字节（一个汉字占 3 字节），请缩短",
        "en": "Password too long: at most {max} bytes (a Chinese character takes 3)",
    },
    "accounts.password.empty_stdin": {
        "zh": "没有从标准输入读到密码",
        "en": "No password was read from standard input",
    },
    "accounts.username.invalid": {
        "zh": "用户名“{username}”无效：只能使用 2–32 个小写字母、数字、点、下划线或短横线",
        "en": "Username “{username}” is invalid: use 2–32 lowercase letters, digits, dot, underscore or hyphen",
    },
    "accounts.username.taken": {
        "zh": "用户名“{username}”已存在",
        "en": "Username “{username}” already exists",
    },
    "accounts.username.unknown": {"zh": "没有用户“{username}”", "en": "No user “{username}”"},
    "accounts.role.invalid": {
        "zh": "角色“{role}”无效，可选：{roles}",
        "en": "Role “{role}” is invalid; choose one of {roles}",
    },
    "accounts.role.needs_outlet": {
        "zh": "角色“{role}”的账号必须指定所属网点（--outlet）",
        "en": "A “{role}” account needs an outlet (--outlet)",
    },
    "accounts.role.admin_outlet": {
        "zh": "管理员（admin）账号管理全部网点，不能指定所属网点",
        "en": "An admin account covers every outlet and takes no outlet",
    },
    "accounts.role.admin": {"zh": "管理员（市分行）", "en": "Administrator (city branch)"},
    "accounts.role.branch_head": {"zh": "支局长", "en": "Branch head"},
    "accounts.role.staff": {"zh": "员工", "en": "Staff"},
    "accounts.demo.display_name": {"zh": "支局长", "en": "Branch head"},
    "history.outflow.none": {"zh": "没有流失预警", "en": "No outflow alerts"},
    "history.same_snapshot": {
        "zh": "比较需要两个不同日期的快照，收到的是同一个日期 {as_of}",
        "en": "A comparison needs two different dates; both are {as_of}",
    },
}
