"""An admin looking at an outlet read-only (全市网点 → 查看该网点): what the pages and the services say."""

MESSAGES: dict[str, dict[str, str]] = {
    "readonly.notice": {
        "zh": "只读查看：管理员从“全市网点”进入的网点不能保存、发布或登记数据（侧栏“结束只读查看”后可修改）。",
        "en": "Read-only view: an outlet opened from the city view cannot be saved to, published or "
        "recorded in (leave the read-only view in the sidebar to change it).",
    },
    "services.auth.read_only": {
        "zh": "只读查看的会话不能修改网点“{outlet}”的数据",
        "en": "A read-only session may not change outlet “{outlet}”'s data",
    },
}
