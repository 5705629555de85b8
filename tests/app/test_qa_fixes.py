"""What the merged console showed in a browser and should not have: Streamlit's English placeholder on the
accounts form, the browser's English month names on the 经营成效 trend axis."""

from __future__ import annotations

import json

import pytest

from core.i18n import t
from tests.builders import outcomes as s
from tests.builders.app import database_env, page_test, seed_outlet
from tests.builders.app import ran as run


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("qa") / "console.db")
    with database_env(data.url):
        yield data


def test_the_accounts_form_names_the_empty_outlet_choice_in_chinese(seeded):
    at = run(page_test("accounts", "admin"))
    outlet = next(b for b in at.selectbox if b.label == t("ui.sidebar.outlet", "zh") and b.options[0] != "")
    assert outlet.options[0] == "（不属于网点：管理员，或在下方填写新网点）"


def test_the_outcomes_trend_axis_shows_snapshot_dates_as_written_in_the_console(tmp_path):
    from core.storage import ensure_schema, make_engine

    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    s.seed(engine)
    engine.dispose()
    with database_env(url):
        at = run(page_test("outcomes", "branch_head", outlet=s.OUTLET))
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    trend = [spec for spec in specs if spec.get("encoding", {}).get("x", {}).get("field") == "as_of"]
    assert len(trend) == 2
    for spec in trend:  # one tick per snapshot, labelled with its date string (not "Sep 06", "November")
        assert spec["encoding"]["x"]["type"] == "ordinal"
        assert spec["encoding"]["x"]["title"] == "数据日期"
