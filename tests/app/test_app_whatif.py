"""The what-if arithmetic behind 分层策略, and the overview's figures against the CLI's for the same file."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core.cli import main as cli
from core.demo import OUTLET, write_demo
from core.i18n import t
from core.policy import Policy
from core.segment import near_summary, quick_counts, segment
from core.whatif import move_matrix, reward_cost, role_workload
from tests.builders.app import AS_OF, database_env, metric_number, page_test, seed_outlet


def _customers(assets: list[float]) -> pd.DataFrame:
    n = len(assets)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:03d}" for i in range(n)],
            "assets": np.array(assets, dtype=np.float64),
            "maturity_date": pd.Series([pd.NaT] * n, dtype="datetime64[us]"),
        }
    )


ASSETS = [0, 9_999.99, 10_000, 49_999, 50_000, 59_999.99, 60_000, 199_999, 200_000, 7_000, 35_000, 150_000]


def test_move_matrix_counts_each_customer_once_by_old_and_new_tier():
    assets = np.array(ASSETS)
    before = Policy.default()
    after = before.with_tier_lowers({"mid": 60_000})
    moves = move_matrix(assets, before, after)
    # 50,000 and 59,999.99 leave mid for basic; nobody else moves
    assert moves.tolist() == [[3, 0, 0, 0], [0, 3, 0, 0], [0, 2, 3, 0], [0, 0, 0, 1]]


def test_reward_cost_equals_near_summary_of_the_segmented_frame():
    policy = Policy.default().with_bands(
        [
            {"level": 10_000, "lower": 7_000, "gift": "毛巾", "gift_value": 15, "points_multiplier": 2},
            {"level": 50_000, "lower": 30_000, "gift": "米", "gift_value": 40, "points_multiplier": 3},
            {"level": 200_000, "lower": 150_000, "gift": "油", "gift_value": 100, "points_multiplier": 2},
        ]
    )
    rng = np.random.default_rng(7)
    assets = np.round(rng.lognormal(np.log(20_000), 1.3, 5_000), 2)
    share = 0.25
    policy = policy.with_changes({"campaign": {"expected_share": share}})
    fast = reward_cost(quick_counts(assets, policy), policy, share)
    slow = near_summary(segment(_customers(list(assets)), policy, AS_OF), policy)
    assert fast["count"].tolist() == slow["count"].tolist()
    np.testing.assert_allclose(fast["gap"], slow["gap"], rtol=1e-12)
    np.testing.assert_allclose(fast["cost"], slow["cost"], rtol=1e-12)


def test_without_a_roster_the_top_n_go_to_the_head_and_each_tier_to_its_first_owner_role():
    policy = Policy.default().with_changes({"branch_head": {"top_n": 2}})
    load = role_workload(np.array([10, 4, 1, 5]), policy).set_index("role")
    effort = policy.workload.weeks_per_month
    # a call a week, a visit a month (3 calls), a gift a quarter (0.2)
    high = effort + 3 + 0.2 / 3
    assert load.index.tolist() == ["支局长", "理财经理", "高柜"]  # policy order, roles asked for contacts
    assert load.loc["支局长", "demand"] == pytest.approx(2 * high)
    # the other three high-end customers and the mid one: 理财经理 (both tiers' first owner role)
    assert load.loc["理财经理", "demand"] == pytest.approx(3 * high + (effort + 3))
    # potential (a bulk SMS a month, a call a quarter) and basic (a call and an SMS a month): 高柜
    assert load.loc["高柜", "demand"] == pytest.approx(10 * (0.05 + 1 / 3) + 4 * 1.05)
    assert list(load.columns) == ["demand"]


@pytest.fixture
def cli_and_console(tmp_path, capsys):
    data = seed_outlet(tmp_path / "console.db")
    demo = write_demo(tmp_path / "demo", AS_OF, customers=1500)
    with database_env(data.url):
        yield data, demo


def test_overview_tier_counts_equal_the_cli_for_the_same_file_and_policy(cli_and_console, capsys):
    _, demo = cli_and_console
    assert (
        cli(
            [
                "segment",
                str(demo["export"]),
                "--as-of",
                AS_OF.isoformat(),
                "--maturities",
                str(demo["maturities"]),
            ]
        )
        == 0
    )
    expected = json.loads(capsys.readouterr().out)
    at = page_test("home", "branch_head")
    at.run()
    assert not at.exception
    # Read the figures by their labels: other panels (last month's compliance, shown from the month after the
    # seeded plan on) carry percentages.
    shown = {m.label: m.value for m in at.metric}
    assert metric_number(shown[t("ui.home.customers", "zh")]) == expected["customers"]
    assert metric_number(shown[t("ui.home.maturing", "zh", days=30)]) == expected["maturing"]
    for code, figures in expected["tiers"].items():
        assert metric_number(shown[t(f"tier.{code}", "zh")]) == figures["count"], code
    assert OUTLET in at.title[0].value
