"""The what-if pictures: the aggregates they draw are exact, small, and follow the edited bounds."""

from __future__ import annotations

import numpy as np
import pytest

from core.policy import Policy
from core.segment import quick_counts
from core.whatif import move_matrix
from tests.builders.app import database_env, page_test, seed_outlet
from ui.whatif_charts import FLOOR, asset_histogram, bound_lines, migration_cells, paired_counts

LABELS = ["潜力", "基础", "中端", "高端"]


def test_histogram_counts_every_customer_once_in_log_bins():
    assets = np.array([0.0, 50.0, 100.0, 999.0, 1000.0, 10000.0, 250000.0])
    hist = asset_histogram(assets)
    assert hist["count"].sum() == len(assets)
    assert hist["lower"].iloc[0] == FLOOR
    assert hist["upper"].iloc[-1] >= 250000.0
    # 0, 50 and 100 share the first bin (balances below 100 元 are drawn at 100)
    assert hist["count"].iloc[0] == 3
    first_of = lambda v: int(np.flatnonzero((hist["lower"] <= v) & (v < hist["upper"]))[0])  # noqa: E731
    assert hist["count"].iloc[first_of(1000.0)] == 1 and hist["count"].iloc[first_of(999.0)] == 1


def test_histogram_of_100k_customers_stays_a_few_dozen_rows():
    assets = np.random.default_rng(1).lognormal(np.log(6000), 1.6, 100_000)
    hist = asset_histogram(assets, top=400_000)
    assert len(hist) <= 12 * 8 and hist["count"].sum() == 100_000


def test_bound_lines_hold_saved_and_edited_lower_bounds():
    saved = Policy.default()
    edited = saved.with_tier_lowers({"mid": 60000})
    lines = bound_lines(saved, edited, LABELS, "已保存", "调整")
    assert lines.values.tolist() == [
        [10000.0, "已保存", "基础"],
        [50000.0, "已保存", "中端"],
        [200000.0, "已保存", "高端"],
        [10000.0, "调整", "基础"],
        [60000.0, "调整", "中端"],
        [200000.0, "调整", "高端"],
    ]


def test_paired_counts_and_migration_cells_equal_the_what_if_tables():
    assets = np.array([5000.0, 15000.0, 55000.0, 58000.0, 65000.0, 300000.0])
    saved = Policy.default()
    edited = saved.with_tier_lowers({"mid": 60000})
    before, after = quick_counts(assets, saved).tier_count, quick_counts(assets, edited).tier_count
    pairs = paired_counts(LABELS, before, after, "已保存", "调整")
    assert pairs["count"].tolist() == [1, 1, 3, 1, 1, 3, 1, 1]
    cells = migration_cells(LABELS, move_matrix(assets, saved, edited))
    assert len(cells) == 16 and cells["count"].sum() == 6
    moved = cells[(cells["before"] != cells["after"]) & (cells["count"] > 0)]
    assert moved.values.tolist() == [["中端", "基础", 2]]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("charts") / "console.db")
    with database_env(data.url):
        yield data


def _datasets(chart) -> list:
    import pyarrow as pa

    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]


def test_strategy_page_draws_three_pictures_inside_the_what_if(seeded):
    at = page_test("strategy", "branch_head")
    at.run()
    assert not at.exception
    assert {"资产分布与层级边界", "各层人数（调整前后）", "层级迁移热力图"} <= {tab.label for tab in at.tabs}
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3
    hist, lines = _datasets(charts[0])
    assert int(hist["count"].sum()) == len(seeded.assets)
    assert sorted(lines["value"].unique()) == [10000.0, 50000.0, 200000.0]


def test_a_bound_change_redraws_the_edited_bound_and_the_pairs(seeded):
    at = page_test("strategy", "branch_head")
    at.run()
    at.number_input(key="wi.lower.mid").set_value(60000).run()
    assert not at.exception
    charts = at.get("vega_lite_chart")
    _, lines = _datasets(charts[0])
    edited = lines.loc[lines["which"] == "正在调整", "value"].tolist()
    assert edited == [10000.0, 60000.0, 200000.0]
    (pairs,) = _datasets(charts[1])
    saved = Policy.default()
    expected = quick_counts(seeded.assets, saved.with_tier_lowers({"mid": 60000})).tier_count
    assert pairs.loc[pairs["which"] == "正在调整", "count"].tolist() == expected.tolist()
    (cells,) = _datasets(charts[2])
    assert (
        cells["count"].tolist()
        == move_matrix(seeded.assets, saved, saved.with_tier_lowers({"mid": 60000})).reshape(-1).tolist()
    )
