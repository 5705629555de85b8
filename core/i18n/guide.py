"""The month's steps on 概览, the progress of long work, and what an empty page needs."""

MESSAGES: dict[str, dict[str, str]] = {
    "guide.title": {"zh": "本月经营步骤（{month} 计划）", "en": "This month's steps (plan {month})"},
    "guide.title_first": {"zh": "开始第一个月", "en": "Your first month"},
    "guide.step.import": {"zh": "① 导入客户数据", "en": "1 Import customers"},
    "guide.step.strategy": {"zh": "② 确定分层策略", "en": "2 Set the tier policy"},
    "guide.step.roster": {"zh": "③ 员工与分配", "en": "3 Staff and assignment"},
    "guide.step.publish": {"zh": "④ 发布联络计划", "en": "4 Publish the contact plan"},
    "guide.step.contact": {"zh": "⑤ 员工联络并回收联络表", "en": "5 Staff contact, logs come back"},
    "guide.step.review": {"zh": "⑥ 合规与成效", "en": "6 Compliance and results"},
    "guide.done": {"zh": "已完成", "en": "done"},
    "guide.next": {"zh": "下一步", "en": "next"},
    "guide.later": {"zh": "待办", "en": "later"},
    "guide.go": {"zh": "前往“{page}”", "en": "Go to {page}"},
    "guide.next_line": {"zh": "下一步：{step}。{detail}", "en": "Next: {step}. {detail}"},
    "guide.all_done": {
        "zh": "本月步骤均已完成：月末导入新的客户导出文件，开始下个月。",
        "en": "Every step of the month is done: import next month's export at month end.",
    },
    "guide.detail.no_snapshot": {
        "zh": "上传“目标客户查询”导出文件（CSV/Excel 均可）。",
        "en": "Upload the customer export (CSV or Excel).",
    },
    "guide.detail.snapshot": {
        "zh": "最新数据 {as_of}，{customers} 位客户。",
        "en": "Latest data {as_of}, {customers} customers.",
    },
    "guide.detail.snapshot_old": {
        "zh": "最新数据是 {days} 天前（{as_of}）的，请导入本月的导出文件。",
        "en": "The latest data is {days} days old ({as_of}); import this month's export.",
    },
    "guide.detail.policy": {"zh": "生效策略：第 {version} 版。", "en": "Active policy: version {version}."},
    "guide.detail.policy_default": {
        "zh": "正在使用默认策略：调整层级边界、礼品后保存为本网点的策略。",
        "en": "Using the default policy: adjust bounds and gifts, then save it for this outlet.",
    },
    "guide.detail.roster": {"zh": "员工名单 {n} 人。", "en": "{n} staff on the roster."},
    "guide.detail.no_roster": {
        "zh": "录入员工名单（姓名、岗位、每周联络能力）。",
        "en": "Enter the staff roster (name, role, weekly capacity).",
    },
    "guide.detail.published": {"zh": "{month} 联络计划已发布。", "en": "The {month} plan is published."},
    "guide.detail.not_published": {
        "zh": "{month} 的分配已算好，检查工作量后点“发布”，再下载员工工作簿。",
        "en": "The {month} assignment is computed: check the workload, publish, then download the workbooks.",
    },
    "guide.detail.contacts": {"zh": "{month} 已记录 {n} 次联络。", "en": "{n} contacts logged in {month}."},
    "guide.detail.contact_wait": {
        "zh": "发布计划后，员工按联络表联络。",
        "en": "Once published, staff follow the log.",
    },
    "guide.detail.review": {
        "zh": "查看 {month} 的联络合规，并在历史对比中看客户升层与达标。",
        "en": "Check {month} compliance, and promotions and rewards in the history comparison.",
    },
    "progress.assign.segment": {
        "zh": "第 1 步（共 2 步）：为 {customers} 行客户数据分层 …",
        "en": "Step 1 of 2: tiering {customers} customer rows …",
    },
    "progress.assign.plan": {
        "zh": "第 2 步（共 2 步）：把客户分给 {staff} 位员工并编排 {month} 的联络计划、核算工作量 …",
        "en": "Step 2 of 2: assigning customers to {staff} staff, scheduling {month} and its workload …",
    },
    "progress.upload.parsing": {
        "zh": "正在读取 {file}：识别表头、合并同一客户的多个账户、逐行校验 …",
        "en": "Reading {file}: header, accounts merged per customer, every row checked …",
    },
    "progress.upload.saving": {
        "zh": "正在保存 {customers} 位客户及到期业务（整体写入，失败则不留半份）…",
        "en": "Saving {customers} customers and maturities (all or nothing) …",
    },
    "progress.upload.saved": {"zh": "已保存 {customers} 位客户", "en": "Saved {customers} customers"},
    "progress.upload.failed": {"zh": "保存未完成，数据库未改动", "en": "Not saved; nothing was changed"},
    "guide.last.title": {"zh": "{month} 联络合规", "en": "Contact compliance, {month}"},
    "guide.last.rate": {"zh": "合规率（已到期的应联络）", "en": "Compliance (contacts due)"},
    "guide.last.met": {"zh": "已完成 / 应完成（次）", "en": "Met / due contacts"},
    "guide.last.contacts": {"zh": "联络记录（条）", "en": "Contacts logged"},
    "guide.imported": {"zh": "已导入的客户数据", "en": "Exports imported so far"},
    "guide.imported_file": {"zh": "文件", "en": "File"},
    "guide.imported_rows": {"zh": "读取行数", "en": "Rows read"},
    "guide.imported_rejected": {"zh": "未导入行数", "en": "Rows rejected"},
    "guide.detail.publish_wait": {"zh": "导入数据并录入员工后发布。", "en": "After import and roster."},
    "guide.detail.review_wait": {"zh": "有联络记录后查看。", "en": "Once contacts are logged."},
}
