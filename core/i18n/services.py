"""Messages of the service layer (core.services): refusals by role and workflow preconditions."""

MESSAGES = {
    "services.auth.role": {
        "zh": "账号角色“{role}”无权执行此操作",
        "en": "Role {role} may not do this",
    },
    "services.auth.outlet": {
        "zh": "只能操作本账号所属网点的数据，不能操作“{outlet}”",
        "en": "This account may only act in its own outlet, not in {outlet}",
    },
    "services.publish.no_snapshot": {
        "zh": "网点“{outlet}”没有 {as_of} 的客户数据快照：请先导入该日期的客户导出文件再发布计划",
        "en": "Outlet {outlet} has no snapshot of {as_of}: import that date's export before publishing a plan",
    },
    "services.compare.other_outlet": {
        "zh": "快照 #{id} 不属于网点“{outlet}”",
        "en": "Snapshot #{id} does not belong to outlet {outlet}",
    },
}
