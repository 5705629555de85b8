"""Labels of the browser console: frame, login, pages, tables. Chinese first; English selectable."""

MESSAGES: dict[str, dict[str, str]] = {
    # frame and login
    "ui.app_title": {"zh": "存量客户经营台", "en": "Customer Tier Console"},
    "ui.login.title": {"zh": "登录 存量客户经营台", "en": "Log in to the Customer Tier Console"},
    "ui.login.username": {"zh": "用户名", "en": "Username"},
    "ui.login.password": {"zh": "密码", "en": "Password"},
    "ui.login.submit": {"zh": "登录", "en": "Log in"},
    "ui.login.failed": {"zh": "用户名或密码不正确", "en": "Wrong username or password"},
    "ui.login.hint": {
        "zh": "请使用管理员为您开设的账户登录。",
        "en": "Log in with the account your administrator gave you.",
    },
    "ui.login.no_accounts": {
        "zh": "尚无任何账户。请在终端运行 `make run`（首次运行会创建演示支局长账户并打印密码），"
        "或运行 `python -m core users add 用户名 --role branch_head --outlet 网点 --password-stdin`。",
        "en": "No account yet. Run `make run` in a terminal (the first run creates a demo branch-head account "
        "and prints its password), or `python -m core users add NAME --role branch_head --outlet OUTLET "
        "--password-stdin`.",
    },
    "ui.logout": {"zh": "退出登录", "en": "Log out"},
    "ui.refused": {
        "zh": "您的角色（{role}）无权查看此页面。",
        "en": "Your role ({role}) may not open this page.",
    },
    "ui.no_outlet": {
        "zh": "当前账户没有所属网点，尚无可查看的数据。",
        "en": "This account has no outlet and there is no data to show yet.",
    },
    "ui.no_snapshot": {
        "zh": "本网点还没有导入客户数据。请先在“数据导入”页面上传客户导出文件。",
        "en": "No customer data for this outlet yet. Upload an export on the Import page first.",
    },
    "ui.role.admin": {"zh": "管理员", "en": "Administrator"},
    "ui.role.branch_head": {"zh": "支局长", "en": "Branch head"},
    "ui.role.staff": {"zh": "员工", "en": "Staff"},
    "ui.sidebar.outlet": {"zh": "网点", "en": "Outlet"},
    "ui.sidebar.outlet_is": {"zh": "网点：{outlet}", "en": "Outlet: {outlet}"},
    "ui.sidebar.policy": {"zh": "生效策略：{version}", "en": "Active policy: {version}"},
    "ui.policy.default": {"zh": "默认策略", "en": "default policy"},
    "ui.policy.version": {"zh": "第 {version} 版", "en": "version {version}"},
    # page titles
    "ui.page.home": {"zh": "概览", "en": "Overview"},
    "ui.page.upload": {"zh": "数据导入", "en": "Import"},
    "ui.page.strategy": {"zh": "分层策略", "en": "Tier policy"},
    "ui.page.distribution": {"zh": "客户分布", "en": "Distribution"},
    "ui.page.assignment": {"zh": "任务分配", "en": "Assignment"},
    "ui.page.history": {"zh": "历史对比", "en": "History"},
    "ui.page.my_customers": {"zh": "我的客户", "en": "My customers"},
    "ui.page.compliance": {"zh": "联络合规", "en": "Compliance"},
    "ui.page.accounts": {"zh": "账户管理", "en": "Accounts"},
    # common columns
    "ui.col.tier": {"zh": "层级", "en": "Tier"},
    "ui.col.count": {"zh": "客户数", "en": "Customers"},
    "ui.col.assets": {"zh": "资产(元)", "en": "Assets (yuan)"},
    "ui.col.share": {"zh": "客户占比", "en": "Share of customers"},
    "ui.col.assets_share": {"zh": "资产占比", "en": "Share of assets"},
    "ui.col.mean": {"zh": "户均资产(元)", "en": "Mean assets (yuan)"},
    "ui.col.count_saved": {"zh": "现行客户数", "en": "Customers now"},
    "ui.col.count_proposed": {"zh": "调整后客户数", "en": "Customers proposed"},
    "ui.col.count_delta": {"zh": "客户数变化", "en": "Change"},
    "ui.col.assets_saved": {"zh": "现行资产(元)", "en": "Assets now"},
    "ui.col.assets_proposed": {"zh": "调整后资产(元)", "en": "Assets proposed"},
    "ui.col.assets_delta": {"zh": "资产变化(元)", "en": "Change in assets"},
    "ui.col.level": {"zh": "达标档位(元)", "en": "Reward level (yuan)"},
    "ui.col.band_lower": {"zh": "临界下限(元)", "en": "Band from (yuan)"},
    "ui.col.band": {"zh": "临界区间(元)", "en": "Band (yuan)"},
    "ui.col.gift": {"zh": "达标礼品", "en": "Gift"},
    "ui.col.gift_value": {"zh": "礼品价值(元)", "en": "Gift value (yuan)"},
    "ui.col.multiplier": {"zh": "积分倍数", "en": "Points multiplier"},
    "ui.col.channel": {"zh": "联络方式", "en": "Channel"},
    "ui.col.times": {"zh": "次数", "en": "Times"},
    "ui.col.period": {"zh": "周期", "en": "Period"},
    "ui.col.gap": {"zh": "差额合计(元)", "en": "Total gap (yuan)"},
    "ui.col.reached": {"zh": "预计达标人数", "en": "Expected to reach"},
    "ui.col.gift_cost": {"zh": "礼品成本(元)", "en": "Gift cost"},
    "ui.col.points_cost": {"zh": "积分成本(元)", "en": "Points cost"},
    "ui.col.cost": {"zh": "合计成本(元)", "en": "Total cost"},
    "ui.col.role": {"zh": "岗位", "en": "Role"},
    "ui.col.staff": {"zh": "人数", "en": "People"},
    "ui.col.demand": {"zh": "每月应联络(次)", "en": "Contacts a month needed"},
    "ui.col.capacity": {"zh": "每月联络能力(次)", "en": "Capacity a month"},
    "ui.col.utilisation": {"zh": "负荷", "en": "Load"},
    "ui.col.near_count": {"zh": "临界客户数", "en": "Near-threshold customers"},
    # what-if
    "ui.strategy.caption": {
        "zh": "数据日期 {as_of} · {customers} 位客户 · 现行策略：{policy} · 员工名单 {staff} 人",
        "en": "Data of {as_of} · {customers} customers · current policy: {policy} · roster of {staff}",
    },
    "ui.strategy.tab.tiers": {"zh": "层级边界", "en": "Tier bounds"},
    "ui.strategy.tab.bands": {"zh": "临界档位与奖励", "en": "Reward levels"},
    "ui.strategy.tab.cadence": {"zh": "联络频次", "en": "Contact cadence"},
    "ui.strategy.tab.campaign": {"zh": "活动测算", "en": "Campaign"},
    "ui.strategy.lower": {"zh": "{tier} 下限（元）", "en": "{tier} from (yuan)"},
    "ui.strategy.top_n": {
        "zh": "由{role}亲自负责的高端客户数（前 N 名）",
        "en": "High-end customers looked after by the {role} (top N)",
    },
    "ui.strategy.bands_help": {
        "zh": "每个达标档位下方的临界区间：区间内的客户离达标只差一点。可增删档位，填写礼品与价值。",
        "en": "The band just below each reward level. Add or remove levels; fill in the gift and its value.",
    },
    "ui.strategy.cadence_help": {
        "zh": "每个层级的最低联络要求：每个周期（周 / 月 / 季）至少几次，按联络方式（电话、短信、上门、礼品）。",
        "en": "Minimum contacts per tier: at least so many per period (week / month / quarter) and channel.",
    },
    "ui.strategy.share": {"zh": "预计达标比例", "en": "Share expected to reach their level"},
    "ui.strategy.points_per_yuan": {"zh": "每提升 1 元的基础积分", "en": "Base points per yuan raised"},
    "ui.strategy.point_value": {"zh": "每积分成本（元）", "en": "Cost of one point (yuan)"},
    "ui.strategy.invalid": {"zh": "调整后的策略无效，请修改：", "en": "The proposed policy is invalid:"},
    "ui.strategy.tiers": {
        "zh": "各层级客户（调整后，括号内为变化）",
        "en": "Customers per tier (proposed, change)",
    },
    "ui.strategy.moves": {
        "zh": "层级迁移：{moved} 位客户将换层（行：现行层级，列：调整后层级）",
        "en": "Moves: {moved} customers change tier (rows: now, columns: proposed)",
    },
    "ui.strategy.from": {"zh": "现为{tier}", "en": "now {tier}"},
    "ui.strategy.near": {"zh": "临界客户与活动成本", "en": "Near-threshold customers and campaign cost"},
    "ui.strategy.near_total": {"zh": "临界客户合计", "en": "Near-threshold customers"},
    "ui.strategy.cost_total": {
        "zh": "预计活动成本（达标比例 {share}）",
        "en": "Estimated campaign cost (at {share})",
    },
    "ui.strategy.workload": {"zh": "每月联络量与员工能力", "en": "Contacts a month against staff capacity"},
    "ui.strategy.no_roster": {
        "zh": "尚未保存员工名单：只显示所需联络量。请在“任务分配”页面上传员工名单。",
        "en": "No roster saved yet: only the contacts needed are shown. Upload a roster on the Assignment page.",
    },
    "ui.assign.not_published": {
        "zh": "{month} 的计划尚未发布：员工在“我的客户”中还看不到。确认无误后请点“发布联络计划”。",
        "en": "The {month} plan is not published yet: staff cannot see it. Publish it once it looks right.",
    },
    "ui.assign.published_current": {
        "zh": "{month} 的计划已发布，与当前策略和员工名单一致。",
        "en": "The {month} plan is published and matches the current policy and roster.",
    },
    "ui.assign.published_stale": {
        "zh": "{month} 已发布的计划基于之前的策略或员工名单，与下方结果不同；员工仍看到旧计划，请重新“发布联络计划”。",
        "en": "The published {month} plan was made under an earlier policy or roster and differs from the one below; "
        "staff still see the old one: publish again.",
    },
    "ui.my.download": {
        "zh": "下载我的工作簿（客户名单与 {month} 联络表）",
        "en": "Download my workbook ({month})",
    },
    "ui.strategy.workload_note_no_roster": {
        "zh": "尚无员工名单：按各层级联络频次估算，显示在各层级的第一个负责岗位下。",
        "en": "No roster yet: estimated from each tier's cadence, shown under its first owner role.",
    },
    "ui.strategy.note": {"zh": "调整说明（可选）", "en": "Note (optional)"},
    "ui.strategy.save": {"zh": "保存为新的生效策略", "en": "Save as the new active policy"},
    "ui.strategy.discard": {"zh": "放弃修改", "en": "Discard changes"},
    "ui.strategy.saved": {"zh": "已保存：{version} 现已生效。", "en": "Saved: {version} is now active."},
}

MESSAGES.update(
    {
        # overview
        "ui.home.title": {"zh": "{outlet} 客户概览", "en": "{outlet}: overview"},
        "ui.home.caption": {
            "zh": "数据日期 {as_of} · 文件 {file} · 读取 {rows} 行，拒绝 {rejected} 行 · 策略：{policy}",
            "en": "Data of {as_of} · file {file} · {rows} rows read, {rejected} rejected · policy: {policy}",
        },
        "ui.home.customers": {"zh": "客户数", "en": "Customers"},
        "ui.home.assets": {"zh": "资产合计(元)", "en": "Total assets (yuan)"},
        "ui.home.mean": {"zh": "户均余额(元)", "en": "Mean per customer (yuan)"},
        "ui.home.maturing": {"zh": "{days} 天内到期客户", "en": "Maturing within {days} days"},
        "ui.home.tiers": {"zh": "各层级客户", "en": "Customers per tier"},
        "ui.home.tier_assets": {"zh": "资产 {assets} 元", "en": "assets {assets}"},
        "ui.home.near": {"zh": "临界客户（距达标档位一步之遥）", "en": "Near-threshold customers"},
        # upload
        "ui.upload.intro": {
            "zh": "上传从“客户营销管理 → 目标客户查询”导出的文件（CSV / XLSX / XLS，GBK 或 UTF-8 均可），"
            "可同时上传积分系统的“到期业务提醒”。导入到网点：{outlet}。",
            "en": "Upload the customer export (CSV / XLSX / XLS, GBK or UTF-8) and, optionally, maturity notices. "
            "Outlet: {outlet}.",
        },
        "ui.upload.as_of": {"zh": "数据日期", "en": "As-of date"},
        "ui.upload.file": {"zh": "客户资产导出文件", "en": "Customer asset export"},
        "ui.upload.maturities": {
            "zh": "到期业务提醒（可多个文件）",
            "en": "Maturity notices (several files allowed)",
        },
        "ui.upload.waiting": {"zh": "请选择客户资产导出文件。", "en": "Choose the customer export file."},
        "ui.upload.reading": {"zh": "正在读取 {file} …", "en": "Reading {file} …"},
        "ui.upload.sheet": {"zh": "工作表", "en": "Sheet"},
        "ui.upload.mapping": {"zh": "列对应关系", "en": "Column mapping"},
        "ui.upload.mapping_help": {
            "zh": "系统按常见表头自动识别各列；识别不了或识别错时，请在此为每个字段选择文件中的列。"
            "保存快照时会记住本网点的选择。",
            "en": "Columns are recognised by common headers; pick the file's column for a field when it is "
            "missing or wrong. The choice is remembered for the outlet when the snapshot is saved.",
        },
        "ui.upload.auto": {"zh": "（自动识别：{header}）", "en": "(auto: {header})"},
        "ui.upload.maturities_read": {
            "zh": "到期提醒：{files} 个文件，{items} 条到期业务，拒绝 {rejected} 行",
            "en": "Maturity notices: {files} files, {items} items, {rejected} rows rejected",
        },
        "ui.upload.report": {"zh": "校验结果", "en": "Validation report"},
        "ui.upload.rows_read": {"zh": "读取行数", "en": "Rows read"},
        "ui.upload.rows_rejected": {"zh": "拒绝行数", "en": "Rows rejected"},
        "ui.upload.customers": {"zh": "客户数（合并账户后）", "en": "Customers (accounts merged)"},
        "ui.upload.warnings": {"zh": "提示", "en": "Warnings"},
        "ui.upload.total_rows": {
            "zh": "合计行（未计入客户）：第 {rows} 行",
            "en": "Total rows left out: {rows}",
        },
        "ui.upload.rejected_note": {
            "zh": "{n} 行未导入，原因如下（可下载后修正再导入）：",
            "en": "{n} rows were not imported, for these reasons (download, fix and import again):",
        },
        "ui.upload.download_rejected": {"zh": "下载被拒绝的行 (CSV)", "en": "Download rejected rows (CSV)"},
        "ui.upload.warnings_list": {
            "zh": "{n} 条提示（行已导入，个别值留空）",
            "en": "{n} warnings (rows kept)",
        },
        "ui.upload.download_warnings": {"zh": "下载提示 (CSV)", "en": "Download warnings (CSV)"},
        "ui.upload.preview": {
            "zh": "按现行策略分层预览（{policy}）",
            "en": "Tiers under the active policy ({policy})",
        },
        "ui.upload.items_preview": {
            "zh": "另有 {items} 条到期业务将随快照一起保存。",
            "en": "{items} maturity items will be saved with the snapshot.",
        },
        "ui.upload.save_title": {"zh": "保存为快照", "en": "Save as a snapshot"},
        "ui.upload.replace": {
            "zh": "同一网点同一数据日期已有快照时替换它",
            "en": "Replace an existing snapshot of the same outlet and date",
        },
        "ui.upload.save": {"zh": "保存快照", "en": "Save snapshot"},
        "ui.upload.saving": {"zh": "正在保存 …", "en": "Saving …"},
        "ui.upload.saved": {
            "zh": "已保存快照 #{id}：{customers} 位客户，数据日期 {as_of}。",
            "en": "Saved snapshot #{id}: {customers} customers as of {as_of}.",
        },
        "ui.col.file": {"zh": "文件", "en": "File"},
        "ui.col.row": {"zh": "行号", "en": "Row"},
        "ui.col.column": {"zh": "列", "en": "Column"},
        "ui.col.reason": {"zh": "原因", "en": "Reason"},
        # distribution
        "ui.dist.caption": {
            "zh": "数据日期 {as_of} · {customers} 位客户 · 策略：{policy}",
            "en": "Data of {as_of} · {customers} customers · policy: {policy}",
        },
        "ui.dist.histogram": {
            "zh": "资产分布（对数刻度，虚线为层级边界）",
            "en": "Assets (log scale, tier bounds dashed)",
        },
        "ui.dist.zero": {
            "zh": "另有 {n} 位客户资产为 0，未画入图中。",
            "en": "{n} customers with no assets are not drawn.",
        },
        "ui.dist.gaps": {"zh": "临界客户距达标的差额", "en": "Near-threshold gaps to the level"},
        "ui.dist.gap": {"zh": "差额(元)", "en": "Gap (yuan)"},
        "ui.dist.maturities": {
            "zh": "未来 {days} 天每周到期客户",
            "en": "Maturing customers per week, next {days} days",
        },
        "ui.dist.week": {"zh": "周（起始周一）", "en": "Week (from Monday)"},
        "ui.dist.none": {"zh": "没有此类客户。", "en": "No such customers."},
        "ui.dist.outlets": {"zh": "各网点层级对比", "en": "Outlets side by side"},
        "ui.dist.table": {"zh": "客户明细", "en": "Customers"},
        "ui.dist.search": {
            "zh": "搜索（客户号、姓名、电话、管户人员）",
            "en": "Search (id, name, phone, manager)",
        },
        "ui.dist.matches": {"zh": "符合条件：{n} 位客户", "en": "{n} customers match"},
        "ui.dist.download": {"zh": "下载筛选结果 (CSV)", "en": "Download the filtered list (CSV)"},
    }
)

MESSAGES.update(
    {
        "ui.upload.unmatched": {
            "zh": "{n} 条到期业务的客户不在资产导出中：仍会列入到期客户名单。",
            "en": "{n} maturity items belong to customers not in the asset export: they stay on the maturing list.",
        },
    }
)

MESSAGES.update(
    {
        "ui.col.name": {"zh": "姓名", "en": "Name"},
        "ui.col.capacity_week": {"zh": "每周联络能力(次)", "en": "Contacts a week"},
        "ui.col.contacts_month": {"zh": "本月应联络(次)", "en": "Contacts this month"},
        "ui.col.effort_month": {"zh": "本月工作量", "en": "Effort this month"},
        "ui.assign.no_roster": {
            "zh": "本网点还没有员工名单：请上传名单（姓名、岗位，可选 网点、容量）。",
            "en": "No roster for this outlet yet: upload one (姓名, 岗位, optional 网点, 容量).",
        },
        "ui.assign.computing": {
            "zh": "正在分配客户并生成联络计划 …",
            "en": "Assigning customers and planning …",
        },
        "ui.assign.caption": {
            "zh": "数据日期 {as_of} · {customers} 位客户 · 策略：{policy} · 计划月份 {month}",
            "en": "Data of {as_of} · {customers} customers · policy: {policy} · plan for {month}",
        },
        "ui.assign.roster": {"zh": "员工名单", "en": "Staff roster"},
        "ui.assign.roster_upload": {"zh": "上传员工名单文件", "en": "Upload a roster file"},
        "ui.assign.roster_file": {"zh": "员工名单（CSV / XLSX / XLS）", "en": "Roster (CSV / XLSX / XLS)"},
        "ui.assign.roster_use": {
            "zh": "用此名单替换本网点名单",
            "en": "Replace the outlet's roster with this one",
        },
        "ui.assign.roster_save": {"zh": "保存名单修改", "en": "Save roster changes"},
        "ui.assign.roster_saved": {"zh": "已保存员工名单：{n} 人。", "en": "Roster saved: {n} people."},
        "ui.assign.month": {"zh": "计划月份", "en": "Plan month"},
        "ui.assign.workload": {
            "zh": "每人客户与工作量（超负荷者标红）",
            "en": "Customers and workload per person",
        },
        "ui.assign.overloaded": {
            "zh": "超负荷：{names}。计划发出前请调整名单容量、联络频次或层级。",
            "en": "Overloaded: {names}. Adjust capacity, cadence or tiers before the plan goes out.",
        },
        "ui.assign.downloads": {"zh": "发布与下载", "en": "Publish and download"},
        "ui.assign.publish": {
            "zh": "发布联络计划（保存分配，员工可在“我的客户”查看）",
            "en": "Publish the contact plan (staff see it under My customers)",
        },
        "ui.assign.published": {
            "zh": "已发布 {month} 联络计划并保存分配（{rows} 条计划联络）。",
            "en": "The {month} plan is published and the assignment saved ({rows} planned contacts).",
        },
        "ui.assign.download_all": {"zh": "下载完整工作簿", "en": "Download the whole workbook"},
        "ui.assign.person": {"zh": "员工", "en": "Person"},
        "ui.assign.download_one": {"zh": "下载 {name} 的工作簿", "en": "Download {name}'s workbook"},
        "ui.assign.download_zip": {"zh": "下载每人一本 (zip)", "en": "Download one per person (zip)"},
    }
)

MESSAGES.update(
    {
        "ui.my.title": {"zh": "{name} 的客户", "en": "{name}'s customers"},
        "ui.my.no_staff_name": {
            "zh": "您的账户没有关联员工姓名，请联系支局长或管理员在账户管理中设置。",
            "en": "Your account is not linked to a staff name; ask your branch head or administrator.",
        },
        "ui.my.not_published": {
            "zh": "支局长尚未发布本期客户分配。",
            "en": "The branch head has not published this period's assignment yet.",
        },
        "ui.my.plan": {"zh": "本月联络计划", "en": "This month's contact plan"},
        "ui.my.no_plan": {
            "zh": "本月没有需要您联络的客户。",
            "en": "No contacts planned for you this month.",
        },
        "ui.my.plan_caption": {
            "zh": "{period}：本月应联络 {calls} 次（联络表的行数，与任务分配一致），另有群发短信 {sms} 条；下表列出全部 {n} 项计划",
            "en": "{period}: {calls} contacts owed this month (rows of the contact log, as on 任务分配), plus {sms} "
            "greeting SMS in one batch; the table lists all {n} planned items",
        },
        "ui.my.due": {"zh": "应联络日期", "en": "Due"},
        "ui.my.kind": {"zh": "类型", "en": "Kind"},
        "ui.my.kind.cadence": {"zh": "例行联络", "en": "Cadence"},
        "ui.my.kind.reminder_731": {"zh": "到期提醒(731)", "en": "Maturity reminder (731)"},
        "ui.my.kind.birthday": {"zh": "生日提醒", "en": "Birthday"},
        "ui.my.kind.winback": {"zh": "挽回", "en": "Win back"},
        "ui.my.customers": {"zh": "我负责的客户", "en": "Customers I look after"},
    }
)

MESSAGES.update(
    {
        "ui.login.gone": {
            "zh": "此账户已不存在，请退出后用有效账户登录。",
            "en": "This account no longer exists; log out and log in with a valid one.",
        },
    }
)

MESSAGES.update(
    {
        "ui.history.need_two": {
            "zh": "对比需要至少两期快照，本网点现有 {n} 期。每月导入一次即可在此对比。",
            "en": "Comparing needs two snapshots; this outlet has {n}. Import one every month.",
        },
        "ui.history.before": {"zh": "较早一期", "en": "Earlier snapshot"},
        "ui.history.after": {"zh": "较近一期", "en": "Later snapshot"},
        "ui.history.same": {"zh": "请选择两期不同的快照。", "en": "Choose two different snapshots."},
        "ui.history.reversed": {
            "zh": "注意：“较早一期”的数据日期晚于“较近一期”，升降方向随之相反。",
            "en": "Note: the earlier snapshot is dated after the later one; up and down are reversed.",
        },
        "ui.history.caption": {
            "zh": "以下各数是 {before} 与 {after} 两次导出之间的变化；按策略（{policy}）分层；中端及以上客户资产下降超过 {pct}% 为流失预警。",
            "en": "Every figure below is the change between the exports of {before} and {after}; tiers under {policy}; mid-tier and above losing more than {pct}% is an outflow alert.",
        },
        "ui.history.up": {"zh": "升层", "en": "Moved up"},
        "ui.history.down": {"zh": "降层", "en": "Moved down"},
        "ui.history.outflow": {"zh": "流失预警", "en": "Outflow alerts"},
        "ui.history.fulfilment": {"zh": "达标有礼兑现", "en": "Rewards earned"},
        "ui.history.new": {"zh": "新增客户", "en": "New"},
        "ui.history.gone": {"zh": "消失客户", "en": "Gone"},
        "ui.history.matrix": {
            "zh": "层级迁移（两期均在的客户；行：较早一期，列：较近一期）",
            "en": "Tier migration (customers on both dates; rows earlier, columns later)",
        },
        "ui.history.before_tier": {"zh": "较早层级", "en": "Tier before"},
        "ui.history.after_tier": {"zh": "较近层级", "en": "Tier after"},
        "ui.history.assets_before": {"zh": "较早资产(元)", "en": "Assets before"},
        "ui.history.assets_after": {"zh": "较近资产(元)", "en": "Assets after"},
        "ui.history.change": {"zh": "变化(元)", "en": "Change"},
        "ui.history.change_pct": {"zh": "变化(%)", "en": "Change (%)"},
        "ui.history.drop_pct": {"zh": "下降(%)", "en": "Drop (%)"},
        "ui.history.raised": {"zh": "提升部分(元)", "en": "Raised (yuan)"},
        "ui.history.points": {"zh": "欢乐加倍积分", "en": "Bonus points"},
        "ui.history.was_near": {"zh": "原为临界客户", "en": "Was near-threshold"},
        "ui.history.download": {"zh": "下载{what} (CSV)", "en": "Download {what} (CSV)"},
    }
)

MESSAGES.update(
    {
        "ui.acc.staff_name": {"zh": "员工姓名（名单上的）", "en": "Staff name (as on the roster)"},
        "ui.acc.created_at": {"zh": "创建时间", "en": "Created"},
        "ui.acc.failed_logins": {"zh": "连续登录失败", "en": "Failed logins"},
        "ui.acc.last_login_at": {"zh": "最近登录", "en": "Last login"},
        "ui.acc.add": {"zh": "新增账户", "en": "Add an account"},
        "ui.acc.username_help": {
            "zh": "小写字母、数字及 . _ -，2–32 位",
            "en": "Lower-case letters, digits and . _ -, 2–32 characters",
        },
        "ui.acc.outlet_help": {
            "zh": "支局长与员工必须属于一个网点；管理员不属于任何网点。",
            "en": "Branch heads and staff belong to one outlet; administrators to none.",
        },
        "ui.acc.new_outlet": {"zh": "或新网点名称", "en": "or a new outlet"},
        "ui.acc.staff_help": {
            "zh": "员工账户填写其在员工名单上的姓名，“我的客户”据此显示其客户。",
            "en": "For staff: their name on the roster; My customers shows the customers assigned to it.",
        },
        "ui.acc.password_help": {"zh": "至少 {min} 位", "en": "At least {min} characters"},
        "ui.acc.password_again": {"zh": "再次输入密码", "en": "Password again"},
        "ui.acc.add_submit": {"zh": "创建账户", "en": "Create the account"},
        "ui.acc.mismatch": {"zh": "两次输入的密码不一致。", "en": "The two passwords differ."},
        "ui.acc.added": {"zh": "已创建账户 {username}。", "en": "Account {username} created."},
        "ui.acc.reset": {"zh": "重置密码", "en": "Reset a password"},
        "ui.acc.new_password": {"zh": "新密码", "en": "New password"},
        "ui.acc.reset_submit": {"zh": "重置", "en": "Reset"},
        "ui.acc.reset_done": {"zh": "已重置 {username} 的密码。", "en": "Password of {username} reset."},
    }
)

MESSAGES.update(
    {
        "ui.dist.gap_axis": {
            "zh": "达标档位（每组从差额最小到最大）",
            "en": "Reward level (each group from the smallest gap to the largest)",
        },
    }
)

MESSAGES.update({"ui.upload.first_rows": {"zh": "前 200 位客户：", "en": "The first 200 customers:"}})

# 分层策略: the other rules, the policy file, version history; and the policy command's own messages
MESSAGES.update(
    {
        "ui.strategy.tab.maturity": {"zh": "到期与提醒", "en": "Maturities and reminders"},
        "ui.strategy.tab.staffing": {"zh": "岗位与合规", "en": "Roles and compliance"},
        "ui.strategy.window": {"zh": "到期客户提前天数（到期窗口）", "en": "Maturity window (days ahead)"},
        "ui.strategy.offsets": {"zh": "到期前提醒天数（逗号分隔）", "en": "Reminder days before maturity"},
        "ui.strategy.offsets_help": {
            "zh": "如 7,3,1 即“731”：到期前 7 天、3 天、1 天各联络一次",
            "en": "e.g. 7,3,1: a contact 7, 3 and 1 days before the maturity date",
        },
        "ui.strategy.bad_offset": {
            "zh": "到期提醒天数“{value}”不是整数",
            "en": "Reminder day “{value}” is not a whole number",
        },
        "ui.strategy.shift": {
            "zh": "提醒日逢周末或法定节假日，提前到前一个工作日",
            "en": "A reminder on a weekend or public holiday moves to the working day before",
        },
        "ui.strategy.holidays": {
            "zh": "法定节假日（每行一个 YYYY-MM-DD）",
            "en": "Public holidays (one YYYY-MM-DD a line)",
        },
        "ui.strategy.holidays_help": {
            "zh": "按国务院每年公布的放假安排填写；提醒日和每月联络日避开这些日期，与周末相同",
            "en": "From the State Council's yearly list; reminders and due dates avoid them like weekends",
        },
        "ui.strategy.holidays_count": {"zh": "已填写 {count} 个节假日", "en": "{count} holidays entered"},
        "ui.strategy.bad_holiday": {
            "zh": "节假日第 {line} 行“{value}”不是 YYYY-MM-DD 格式的日期",
            "en": "Holiday line {line}: “{value}” is not a YYYY-MM-DD date",
        },
        "ui.strategy.birthday_tiers": {"zh": "生日提醒的客户层级", "en": "Tiers that get birthday reminders"},
        "ui.strategy.birthday_days": {"zh": "生日提前提醒天数", "en": "Birthday reminder, days before"},
        "ui.strategy.outflow": {
            "zh": "流失预警：中高端客户资产下降超过（%）",
            "en": "Outflow alert: mid/high assets fell by more than (%)",
        },
        "ui.strategy.capacity": {
            "zh": "每人每周联络能力（员工名单未填写时）",
            "en": "Contacts a week per person (when the roster says nothing)",
        },
        "ui.strategy.weeks": {"zh": "每月按几周计算", "en": "Weeks per month"},
        "ui.strategy.effort": {"zh": "各联络方式的工作量系数", "en": "Effort of one contact by channel"},
        "ui.strategy.counted": {"zh": "计入合规的联络结果", "en": "Results that count for compliance"},
        "ui.strategy.owners": {"zh": "各层级负责岗位与名单排序", "en": "Owner roles and list order per tier"},
        "ui.strategy.owner_roles": {"zh": "{tier}：负责岗位", "en": "{tier}: owner roles"},
        "ui.strategy.order_by": {"zh": "{tier}：名单排序", "en": "{tier}: list order"},
        "ui.strategy.order.assets_desc": {"zh": "资产从高到低", "en": "Assets, highest first"},
        "ui.strategy.order.assets_asc": {"zh": "资产从低到高", "en": "Assets, lowest first"},
        "ui.strategy.order.familiarity_asc": {"zh": "熟识程度从低到高", "en": "Familiarity, least first"},
        "ui.strategy.order.familiarity_desc": {"zh": "熟识程度从高到低", "en": "Familiarity, most first"},
        "ui.strategy.maturities": {"zh": "到期与流失预警", "en": "Maturities and outflow alerts"},
        "ui.strategy.maturing": {"zh": "{days} 天内到期客户", "en": "Maturing within {days} days"},
        "ui.strategy.reminders": {"zh": "待做的到期提醒（次）", "en": "Maturity reminders still to make"},
        "ui.strategy.outflow_alerts": {"zh": "流失预警（降幅>{pct}%）", "en": "Outflow alerts (>{pct}%)"},
        "ui.strategy.outflow_help": {
            "zh": "与 {since} 的快照相比：中端及以上客户资产下降超过该比例的人数（历史对比页的口径）",
            "en": "Against the snapshot of {since}: mid-tier and above whose assets fell by more than this",
        },
        "ui.strategy.file": {"zh": "策略文件（TOML）", "en": "Policy file (TOML)"},
        "ui.strategy.download": {"zh": "下载调整后的策略", "en": "Download the proposed policy"},
        "ui.strategy.upload": {
            "zh": "上传策略文件，作为调整方案载入",
            "en": "Upload a policy file to load it as the proposal",
        },
        "ui.strategy.upload_bad": {
            "zh": "无法载入策略文件 {file}：",
            "en": "Cannot load the policy file {file}:",
        },
        "ui.strategy.not_utf8": {
            "zh": "文件不是 UTF-8 编码的文本，请用记事本另存为 UTF-8",
            "en": "The file is not UTF-8 text; save it as UTF-8",
        },
        "ui.strategy.loaded": {
            "zh": "已载入 {file} 作为调整方案，确认后请保存。",
            "en": "Loaded {file} as the proposal; save it to make it active.",
        },
        "ui.strategy.versions": {"zh": "策略版本历史", "en": "Policy versions"},
        "ui.strategy.no_versions": {
            "zh": "本网点尚未保存过策略版本，当前使用{policy}。",
            "en": "No policy version saved for this outlet yet; {policy} applies.",
        },
        "ui.strategy.pick_version": {"zh": "选择版本", "en": "Version"},
        "ui.strategy.version_label": {
            "zh": "第 {version} 版 · {who} · {when}",
            "en": "Version {version} · {who} · {when}",
        },
        "ui.strategy.restore": {"zh": "恢复为生效版本", "en": "Make it the active version"},
        "ui.strategy.restored": {
            "zh": "已恢复：第 {version} 版现已生效。",
            "en": "Restored: version {version} is active.",
        },
        "ui.strategy.compare": {"zh": "与当前比较", "en": "Compare with the active policy"},
        "ui.strategy.same": {
            "zh": "第 {version} 版与当前生效的策略相同。",
            "en": "Version {version} equals the active policy.",
        },
        "ui.strategy.diff_caption": {
            "zh": "第 {version} 版与当前生效策略（{policy}）不同的规则共 {count} 项：",
            "en": "{count} rules differ between version {version} and the active policy ({policy}):",
        },
        "ui.col.version": {"zh": "版本", "en": "Version"},
        "ui.col.saved_by": {"zh": "保存人", "en": "Saved by"},
        "ui.col.saved_at": {"zh": "保存时间（UTC）", "en": "Saved at (UTC)"},
        "ui.col.note": {"zh": "说明", "en": "Note"},
        "ui.col.active": {"zh": "生效", "en": "Active"},
        "ui.col.rule": {"zh": "规则", "en": "Rule"},
        "ui.col.in_version": {"zh": "第 {version} 版", "en": "Version {version}"},
        "ui.col.in_active": {"zh": "当前生效", "en": "Active"},
        "ui.policy_cli.no_outlet": {
            "zh": "数据库中还没有网点：请先导入客户数据（python -m core db import），策略按网点保存",
            "en": "The database has no outlet yet: import customers first (python -m core db import)",
        },
    }
)

# QA fixes (login lockout, owner columns, upload preview, outlet check, widget labels)
MESSAGES.update(
    {
        "ui.col.owner": {"zh": "负责员工", "en": "Assigned staff"},
        "ui.col.export_manager": {"zh": "原管户人员", "en": "Manager in export"},
        "ui.col.accounts": {"zh": "账户数", "en": "Accounts"},
        "ui.upload.other_outlet": {
            "zh": "此文件的所属网点是 {found}，不包括本网点“{outlet}”。请确认文件无误后再保存。",
            "en": "This file's outlets are {found}, not including “{outlet}”. Check the file before saving.",
        },
        "ui.upload.outlet_count": {"zh": "{outlet}（{n} 位客户）", "en": "{outlet} ({n} customers)"},
        "ui.upload.confirm_outlet": {
            "zh": "我已核对，仍按本网点“{outlet}”保存此文件",
            "en": "I have checked: save this file for “{outlet}” anyway",
        },
        "ui.widget.choose": {"zh": "请选择", "en": "Choose"},
        "ui.dist.search_owner": {
            "zh": "搜索（客户号、姓名、电话、负责员工、原管户人员）",
            "en": "Search (id, name, phone, assigned staff, manager in export)",
        },
        "ui.acc.locked": {
            "zh": "已锁定（连续 {n} 次密码错误）：{names}。重置密码即可解锁。",
            "en": "Locked ({n} wrong passwords in a row): {names}. Resetting the password unlocks.",
        },
    }
)
