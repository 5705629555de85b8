"""Who looks after a customer: the stored assignment (负责员工) is shown and searched, not the export's manager."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.demo import OUTLET, ROSTER
from core.i18n import t
from core.services.accounts import add_user
from core.storage.engine import make_engine
from tests.builders.app import database_env, page_test, seed_outlet

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


def test_distribution_search_finds_customers_by_their_assigned_staff(seeded):
    data, _ = seeded
    at = _page("distribution", "branch_head")
    at.text_input(key="dist_search").input(STAFF_NAME)
    at.run()
    table = _table_with(at, t("ui.col.owner"))
    owned = data.assignment["staff"] == STAFF_NAME
    assert len(table) >= int(owned.sum()) > 0
    assert (table[t("ui.col.owner")] == STAFF_NAME).sum() == int(owned.sum())
