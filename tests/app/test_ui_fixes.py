"""AppTests of the QA fixes: login bookkeeping and lockout, owner columns, upload preview, table formats."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import add_user, session_version
from core.demo import OUTLET, ROSTER
from core.i18n import t
from core.storage.engine import make_engine
from tests.builders.app import AS_OF, database_env, page_test, seed_outlet

APP = "../../app.py"
STAFF_NAME = ROSTER[1][0]


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


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


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


def test_my_customers_shows_the_assigned_staff_not_the_exports_manager(seeded):
    data, _ = seeded
    at = _page("my_customers", "staff", staff_name=STAFF_NAME)
    table = _table_with(at, t("ui.col.owner"))
    mine = data.assignment.loc[data.assignment["staff"] == STAFF_NAME]
    assert len(table) == len(mine)
    assert set(table[t("ui.col.owner")]) == {STAFF_NAME}
    assert t("ui.col.export_manager") in table.columns and t("ingest.field.manager") not in table.columns
    _no_raw_cells(table)
    for frame in (d.value for d in at.dataframe):
        _no_raw_cells(frame)


def test_distribution_table_owner_is_the_stored_assignment(seeded):
    data, _ = seeded
    at = _page("distribution", "branch_head")
    table = _table_with(at, t("ui.col.owner")).set_index(t("ingest.field.customer_id"))
    expected = data.assignment.set_index(data.assignment["customer_id"].astype(str))["staff"]
    assert len(table) == len(expected)
    assert table[t("ui.col.owner")].to_dict() == expected.astype(str).to_dict()
    differs = (table[t("ui.col.owner")] != table[t("ui.col.export_manager")]).sum()
    assert differs > 0  # the export's manager is not who looks after the customer now
    _no_raw_cells(table)
    assets = table[t("ui.col.assets")]
    assert assets.str.fullmatch(r"-?\d{1,3}(,\d{3})*").all()
    dates = table[t("ingest.field.maturity_date")]
    assert dates.str.fullmatch(r"(\d{4}-\d{2}-\d{2})?").all() and (dates != "").any()


def test_upload_preview_is_in_chinese_with_formatted_cells(seeded):
    data, _ = seeded
    at = _page("upload", "branch_head")
    at.date_input(key="up_as_of").set_value(AS_OF)
    at.file_uploader(key="up_file").set_value(("目标客户查询.csv", data.export, "text/csv"))
    at.run()
    assert not at.exception
    table = _table_with(at, t("ingest.field.customer_id"))
    assert list(table.columns) == [
        t("ui.col.row"),
        t("ingest.field.customer_id"),
        t("ingest.field.name"),
        t("ingest.field.phone"),
        t("ingest.field.outlet"),
        t("export.col.assets"),
        t("ui.col.accounts"),
        t("ingest.field.maturity_date"),
        t("ingest.field.birthday"),
        t("ingest.field.manager"),
        t("ingest.field.familiarity"),
    ]
    _no_raw_cells(table)
    assert table[t("ingest.field.birthday")].str.fullmatch(r"(\d{4}-\d{2}-\d{2})?").all()
    assert table[t("export.col.assets")].str.fullmatch(r"\d{1,3}(,\d{3})*").all()
    assert not at.warning and not at.button(key="up_save").disabled


def test_upload_for_another_outlet_warns_and_needs_a_confirmation(seeded):
    data, _ = seeded
    at = _page("upload", "branch_head", outlet="南山支局")
    at.date_input(key="up_as_of").set_value(AS_OF)
    at.file_uploader(key="up_file").set_value(("目标客户查询.csv", data.export, "text/csv"))
    at.run()
    customers = len(data.latest)
    expected = t(
        "ui.upload.other_outlet",
        found=t("ui.upload.outlet_count", outlet=OUTLET, n=f"{customers:,}"),
        outlet="南山支局",
    )
    assert [w.value for w in at.warning] == [expected]
    assert at.button(key="up_save").disabled
    at.checkbox(key="up_other_outlet_ok").check()
    at.run()
    assert not at.button(key="up_save").disabled


def test_outlets_in_counts_customers_per_outlet():
    import pandas as pd

    from views.upload import outlets_in

    customers = pd.DataFrame(
        {"outlet": pd.array(["甲支局", "乙支局", "甲支局", None, " 甲支局"], dtype="string")}
    )
    assert outlets_in(customers).to_dict() == {"甲支局": 3, "乙支局": 1}


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


def _session(username: str) -> dict:
    """A logged-in session as the login records it, with the account's token version."""
    version = session_version(make_engine(os.environ["DATABASE_URL"]), username)
    return {
        "authentication_status": True,
        "username": username,
        "roles": ["branch_head"],
        "console_token_version": version,
    }


def test_sidebar_names_the_role_once_when_the_display_name_is_the_role(seeded):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in _session("guard").items():
        at.session_state[key] = value
    _run(at)
    lines = [m.value for m in at.sidebar.markdown]
    assert "**支局长**" in lines and not any("支局长** · 支局长" in line for line in lines)
    other = AppTest.from_file(APP, default_timeout=60)
    for key, value in _session("head").items():
        other.session_state[key] = value
    _run(other)
    assert "**周建国** · 支局长" in [m.value for m in other.sidebar.markdown]


def test_streamlit_widgets_that_take_a_placeholder_or_format_get_chinese(seeded):
    dist = _page("distribution", "branch_head")
    assert dist.multiselect(key="dist_tiers").placeholder == t("ui.widget.choose") == "请选择"
    upload = _page("upload", "branch_head")
    assert upload.date_input(key="up_as_of").proto.format == "YYYY-MM-DD"


def test_distribution_search_finds_customers_by_their_assigned_staff(seeded):
    data, _ = seeded
    at = _page("distribution", "branch_head")
    at.text_input(key="dist_search").input(STAFF_NAME)
    at.run()
    table = _table_with(at, t("ui.col.owner"))
    owned = data.assignment["staff"] == STAFF_NAME
    assert len(table) >= int(owned.sum()) > 0
    assert (table[t("ui.col.owner")] == STAFF_NAME).sum() == int(owned.sum())
