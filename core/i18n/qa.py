"""Texts added when the merged console was used in a browser: places where Streamlit's English showed through."""

MESSAGES: dict[str, dict[str, str]] = {
    "ui.acc.no_outlet": {
        "zh": "（不属于网点：管理员，或在下方填写新网点）",
        "en": "(no outlet: an administrator, or type a new outlet below)",
    },
}
