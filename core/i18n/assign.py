"""Roster, assignment, contact plan, workload and the staff workbook."""

MESSAGES: dict[str, dict[str, str]] = {
    "roster.missing_columns": {
        "zh": "员工名单 {file} 缺少列：{columns}（需要 姓名、岗位，可选 网点、容量）",
        "en": "Roster {file} lacks columns: {columns} (needs 姓名, 岗位; optional 网点, 容量)",
    },
    "roster.no_name": {"zh": "第 {row} 行没有姓名", "en": "row {row} has no name"},
    "roster.no_role": {"zh": "第 {row} 行“{name}”没有岗位", "en": "row {row} ({name}) has no role"},
    "roster.unknown_role": {
        "zh": "第 {row} 行“{name}”的岗位“{role}”无法识别（可选：{roles}）",
        "en": "row {row} ({name}): unknown role {role} (choose from {roles})",
    },
    "roster.duplicate": {
        "zh": "第 {row} 行姓名“{name}”与第 {first} 行重复，请区分（如加工号）",
        "en": "row {row}: name {name} repeats row {first}; make names unique",
    },
    "roster.bad_capacity": {
        "zh": "第 {row} 行“{name}”的容量“{value}”不是正数（每周可联络次数）",
        "en": "row {row} ({name}): capacity {value} is not a positive number of contacts a week",
    },
    "roster.empty": {"zh": "员工名单 {file} 中没有人员", "en": "Roster {file} lists nobody"},
    "roster.no_head": {
        "zh": "名单中没有{role}：资产前 {top_n} 名的高端客户改按高端客户的负责岗位分配；"
        "若某层级的负责岗位也无人担任，该层级客户由名单上全部人员分担",
        "en": "No {role} on the roster: the top {top_n} high-end customers go to the high tier's owner roles; "
        "customers of a tier whose roles nobody holds are shared by everyone on the roster",
    },
    "assign.no_role": {
        "zh": "{tier}的负责岗位（{roles}）无人担任：{count} 位客户交给{role}{names}",
        "en": "Nobody holds {roles} for {tier}: {count} customers go to the {role} {names}",
    },
    "assign.no_role_nobody": {
        "zh": "{tier}的负责岗位（{roles}）无人担任，名单中也没有{role}：{count} 位客户由全部人员分担",
        "en": "Nobody holds {roles} for {tier} and there is no {role}: {count} customers are shared by everyone",
    },
    "assign.overloaded": {
        "zh": "{name}（{role}）本月联络量 {load:.0f} 次，超过容量 {capacity:.0f} 次（{share:.0%}）",
        "en": "{name} ({role}) owes {load:.0f} contacts this month, over the capacity of {capacity:.0f} ({share:.0%})",
    },
    "assign.manager_gone": {
        "zh": "导出文件中的管户人员不在员工名单上：{names}，其 {count} 位客户已重新分配",
        "en": "Managers in the export are not on the roster: {names}; their {count} customers were reassigned",
    },
    "assign.reason.top_n": {"zh": "高端前{top_n}名", "en": "top {top_n} high-end"},
    "assign.reason.manager": {"zh": "原管户人员", "en": "existing manager"},
    "assign.reason.balanced": {"zh": "按工作量分配", "en": "balanced by workload"},
    "assign.reason.no_role": {"zh": "岗位空缺转支局长", "en": "role vacant: branch head"},
    "assign.reason.shared": {"zh": "岗位空缺全员分担", "en": "role vacant: shared"},
    "plan.bad_month": {
        "zh": "计划月份“{month}”格式应为 YYYY-MM",
        "en": "Plan month {month} must be YYYY-MM",
    },
    "plan.kind.cadence": {"zh": "例行联络", "en": "cadence"},
    "plan.kind.reminder_731": {"zh": "到期提醒", "en": "maturity reminder"},
    "plan.kind.birthday": {"zh": "生日提醒", "en": "birthday"},
    "export.write_failed": {"zh": "无法写入 {path}：{reason}", "en": "Cannot write {path}: {reason}"},
}
