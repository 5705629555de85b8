"""Tables as pages show them: counts, amounts, shares and dates formatted; widgets with a placeholder or format in Chinese."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.demo import OUTLET
from core.i18n import t
from core.services.accounts import add_user
from core.storage.engine import make_engine
from tests.builders.app import database_env, page_test, seed_outlet


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("fixes") / "console.db")
    engine = make_engine(data.url)
    add_user(engine, "head", "head-pass-123", role="branch_head", outlet=OUTLET, display_name="周建国")
    add_user(engine, "guard", "guard-pass-123", role="branch_head", outlet=OUTLET, display_name="支局长")
    os.environ.setdefault("CONSOLE_COOKIE_KEY", "k" * 64)
    with database_env(data.url):
        yield data, engine
    engine.dispose()


def _page(page: str, role: str, **kwargs) -> AppTest:
    at = page_test(page, role, **kwargs)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _table_with(at: AppTest, heading: str):
    frames = [d.value for d in at.dataframe if heading in d.value.columns]
    assert frames, f"no table with {heading}"
    return frames[-1]


def _no_raw_cells(frame) -> None:
    text = frame.astype("string")
    assert not text.isin(["None", "nan", "NaT", "<NA>"]).any().any()
    assert not text.isna().any().any()


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
    at = _page("history", "branch_head")
    for frame in (d.value for d in at.dataframe):
        _no_raw_cells(frame)
    up = _table_with(at, t("ui.history.change_pct"))
    assert up[t("ui.history.change_pct")].str.fullmatch(r"-?[\d,]+\.\d").all()
    assert up[t("ui.history.assets_after")].str.fullmatch(r"\d{1,3}(,\d{3})*").all()


def test_assignment_and_home_tables_are_formatted(seeded):
    at = _page("assignment", "branch_head")
    load = _table_with(at, t("ui.col.utilisation"))
    _no_raw_cells(load)
    assert load[t("ui.col.utilisation")].str.fullmatch(r"[\d,]+\.\d%").all()
    home = _page("home", "branch_head")
    tiers = _table_with(home, t("ui.col.assets_share"))
    _no_raw_cells(tiers)
    assert tiers[t("ui.col.assets")].str.fullmatch(r"\d{1,3}(,\d{3})*").all()


def test_streamlit_widgets_that_take_a_placeholder_or_format_get_chinese(seeded):
    dist = _page("distribution", "branch_head")
    assert dist.multiselect(key="dist_tiers").placeholder == t("ui.widget.choose") == "请选择"
    upload = _page("upload", "branch_head")
    assert upload.date_input(key="up_as_of").proto.format == "YYYY-MM-DD"
