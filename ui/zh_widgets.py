"""Streamlit's own widget texts in Chinese where Streamlit 1.67 offers no parameter for them: the file uploader's
button and size line, the table's column menu ("Select all", the hidden index listed as "(index)"). One style
sheet, injected once per run by the frame; the texts come from core.i18n, the size limit from the server config."""

from __future__ import annotations

import streamlit as st

from core.i18n import t


def _css_text(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def widget_css(lang: str, max_upload_mb: int) -> str:
    """The style sheet: each English text is hidden (font-size 0) and the Chinese one drawn in its place."""
    if lang != "zh":
        return ""
    upload = _css_text(t("ui.widget.upload", lang))
    per_file = _css_text(t("ui.widget.per_file", lang, mb=max_upload_mb))
    select_all = _css_text(t("ui.widget.select_all", lang))
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: {upload}; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] * {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] > *::after {{ content: {per_file}; font-size: 0.75rem; }}
[data-testid="stDataFrameColumnVisibilityMenu"] label:has(input[aria-label="Select all"]) > span:not([aria-hidden]) {{
  font-size: 0; }}
[data-testid="stDataFrameColumnVisibilityMenu"] label:has(input[aria-label="Select all"])::after {{
  content: {select_all}; font-size: 0.875rem; }}
[data-testid="stDataFrameColumnVisibilityMenu"] label:has(input[aria-label="(index)"]) {{ display: none; }}
</style>"""


def chinese_widgets(lang: str) -> None:
    """Inject :func:`widget_css` (nothing in English)."""
    css = widget_css(lang, int(st.get_option("server.maxUploadSize")))
    if css:
        st.html(css)
