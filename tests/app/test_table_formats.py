"""Tables as pages show them: counts, amounts, shares and dates formatted; widgets with a placeholder or format in Chinese."""

from __future__ import annotations

import pytest

from core.i18n import t
from tests.builders.app import (
    no_raw_cells,
    page_ran,
    seeded_with_heads,
    table_with,
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    with seeded_with_heads(tmp_path_factory.mktemp("fixes") / "console.db") as found:
        yield found


def test_display_frame_formats_counts_amounts_shares_dates_and_blanks():
    import datetime as dt

    import numpy as np
    import pandas as pd

    from ui.fmt import PCT, PCT_POINTS, display_frame

    frame = pd.DataFrame(
        {
            "n": pd.array([1234567, None], dtype="Int64"),
            "yuan": [1113.52, np.nan],
            "share": [0.1234, None],
            "drop": [52.5921, None],
            "due": [dt.date(2026, 12, 1), None],
            "stamp": pd.to_datetime(["2026-11-30 00:00:00", None]),
            "who": pd.array(["赵丽", None], dtype="string"),
        }
    )
    shown = display_frame(frame, {"share": PCT, "drop": PCT_POINTS})
    assert shown.iloc[0].tolist() == [
        "1,234,567",
        "1,114",
        "12.3%",
        "52.6",
        "2026-12-01",
        "2026-11-30",
        "赵丽",
    ]
    assert shown.iloc[1].tolist() == [""] * 7


def test_history_lists_are_formatted(seeded):
    at = page_ran("history", "branch_head")
    for frame in (d.value for d in at.dataframe):
        no_raw_cells(frame)
    up = table_with(at, t("ui.history.change_pct"))
    assert up[t("ui.history.change_pct")].str.fullmatch(r"-?[\d,]+\.\d").all()
    assert up[t("ui.history.assets_after")].str.fullmatch(r"\d{1,3}(,\d{3})*").all()


def test_assignment_and_home_tables_are_formatted(seeded):
    at = page_ran("assignment", "branch_head")
    load = table_with(at, t("ui.col.utilisation"))
    no_raw_cells(load)
    assert load[t("ui.col.utilisation")].str.fullmatch(r"[\d,]+\.\d%").all()
    home = page_ran("home", "branch_head")
    tiers = table_with(home, t("ui.col.assets_share"))
    no_raw_cells(tiers)
    assert tiers[t("ui.col.assets")].str.fullmatch(r"\d{1,3}(,\d{3})*").all()


def test_streamlit_widgets_that_take_a_placeholder_or_format_get_chinese(seeded):
    dist = page_ran("distribution", "branch_head")
    assert dist.multiselect(key="dist_tiers").placeholder == t("ui.widget.choose") == "请选择"
    upload = page_ran("upload", "branch_head")
    assert upload.date_input(key="up_as_of").proto.format == "YYYY-MM-DD"
