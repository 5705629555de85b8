"""The upload preview: Chinese headings, formatted cells, and a file of another outlet needs a confirmation."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.demo import OUTLET
from core.i18n import t
from core.services.accounts import add_user
from core.storage.engine import make_engine
from tests.builders.app import AS_OF, database_env, page_test, seed_outlet


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
