"""Labels and units a Chinese reader expects: no Streamlit English placeholder on the
accounts form, the browser's English month names on the 经营成效 trend axis."""

from __future__ import annotations

import datetime as dt
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


def test_overdue_contacts_show_assets_in_whole_yuan_and_counts_as_numbers(seeded):
    at = run(page_test("compliance", "branch_head", today=dt.date(2026, 12, 20)))
    heading = t("compliance.col.assets", "zh")
    overdue = next(d.value for d in at.dataframe if heading in d.value.columns)
    assert len(overdue) > 0
    assets = overdue[heading].dropna()  # blank for a customer of the plan missing from the snapshot
    assert len(assets) > 0 and (assets == assets.round(0)).all()
    assert any(v != round(v) for v in seeded.latest["assets"])  # the export itself has fen
    tiers = next(d.value for d in at.dataframe if t("compliance.col.due_count", "zh") in d.value.columns)
    assert tiers[t("compliance.col.due_count", "zh")].dtype.kind in "iu"


def test_the_city_table_shows_average_assets_in_whole_yuan(seeded):
    from core import services
    from core.services.access import operator
    from core.storage.engine import make_engine

    raw = services.city_overview(make_engine(seeded.url), operator("qa"))
    assert (raw["avg_assets"] != raw["avg_assets"].round(0)).any()  # the figure itself has fen
    at = run(page_test("city", "admin", outlet=None))
    shown = at.dataframe[0].value["户均余额"]
    assert shown.tolist() == raw["avg_assets"].round(0).tolist()


def test_the_asset_histogram_labels_yuan_in_wan_not_si_suffixes(seeded):
    at = run(page_test("distribution", "branch_head"))
    axes = [
        spec["encoding"]["x"].get("axis", {})
        for spec in (json.loads(c.proto.spec) for c in at.get("vega_lite_chart"))
        for spec in spec.get("layer", [spec])
        if spec.get("encoding", {}).get("x", {}).get("field") == "start" and "axis" in spec["encoding"]["x"]
    ]
    assert axes and all("万" in axis["labelExpr"] and "format" not in axis for axis in axes)
    assert all(axis["values"][:5] == [1, 10, 100, 1000, 10000] for axis in axes)  # powers of ten only


def test_the_outcomes_page_says_which_policy_its_figures_follow(seeded):
    at = run(page_test("outcomes", "branch_head"))
    captions = [c.value for c in at.caption]
    policy = t("ui.policy.default", "zh")  # the seeded outlet saved no policy of its own
    assert f"层级、达标档位与礼品按生效策略（{policy}）计算。" in captions
    assert policy not in captions
