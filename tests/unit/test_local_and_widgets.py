"""Local times (stored UTC shown in Asia/Shanghai or CONSOLE_TZ) and Streamlit's own widget texts in Chinese."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.localtime import local, local_series, local_text
from ui.fmt import DATETIME, format_column
from ui.zh_widgets import widget_css

UTC_EVENING = dt.datetime(2026, 12, 5, 17, 30)  # 01:30 the next morning in Beijing


def test_a_stored_utc_time_is_shown_in_beijing_time_by_default(monkeypatch):
    monkeypatch.delenv("CONSOLE_TZ", raising=False)
    assert local(UTC_EVENING) == dt.datetime(2026, 12, 6, 1, 30)
    assert local_text("2026-12-05T17:30:00") == "2026-12-06 01:30"
    assert local_text(None) == "—"
    shown = format_column(pd.Series([UTC_EVENING, None]), DATETIME)
    assert shown.tolist() == ["2026-12-06 01:30", ""]


def test_the_zone_comes_from_console_tz(monkeypatch):
    monkeypatch.setenv("CONSOLE_TZ", "Asia/Urumqi")
    assert local_text(UTC_EVENING) == "2026-12-05 23:30"
    assert local_series(pd.Series([UTC_EVENING])).iloc[0] == pd.Timestamp("2026-12-05 23:30")
    monkeypatch.setenv("CONSOLE_TZ", "Mars/Olympus")
    with pytest.raises(SystemExit, match="CONSOLE_TZ"):
        local(UTC_EVENING)


def test_the_widget_style_sheet_draws_the_chinese_texts_and_only_for_chinese():
    css = widget_css("zh", 200)
    assert 'content: "选择文件"' in css
    assert 'content: "可拖放文件到此处 · 每个文件不超过 200MB"' in css
    assert 'content: "全选"' in css
    assert 'input[aria-label="(index)"]) { display: none; }' in css
    assert css.startswith("<style>") and css.rstrip().endswith("</style>")
    assert widget_css("en", 200) == ""


def test_whole_numbers_never_show_minus_zero():
    from ui.fmt import whole

    assert [whole(v) for v in (-0.3, -0.0, 0.4, -1234.6, 30464.600000000006, float("nan"))] == [
        "0",
        "0",
        "0",
        "-1,235",
        "30,465",
        "—",
    ]


def test_every_date_input_of_the_pages_shows_dates_as_the_console_writes_them():
    import ast
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    missing = []
    for folder in ("pages", "views", "ui"):
        for path in sorted((root / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "date_input":
                    fmt = {k.arg: k.value for k in node.keywords}.get("format")
                    if not (isinstance(fmt, ast.Constant) and fmt.value == "YYYY-MM-DD"):
                        missing.append(f"{path.name}:{node.lineno}")
    assert missing == []
