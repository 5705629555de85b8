"""The what-if arithmetic behind 分层策略, and the overview's figures against the CLI's for the same file."""

from __future__ import annotations

import datetime as dt
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


def test_role_workload_gives_top_n_to_the_head_and_shares_the_rest_by_capacity():
    policy = Policy.default().with_changes({"branch_head": {"top_n": 2}})
    tier_count = np.array([0, 0, 0, 5])  # five high-end customers, nobody else
    staff = pd.DataFrame(
        {
            "name": ["周", "李", "王", "刘"],
            "role": ["支局长", "理财经理", "理财经理", "高柜"],
            "capacity_per_week": [100.0, 100.0, 50.0, 50.0],
        }
    )
    load = role_workload(tier_count, policy, staff).set_index("role")
    # a call a week, a visit a month (3 calls), a gift a quarter (0.2)
    per_customer = policy.workload.weeks_per_month + 3 + 0.2 / 3
    assert load.loc["支局长", "demand"] == pytest.approx(2 * per_customer)
    # three left for 理财经理 (150 a week) and 高柜 (50 a week) of the high tier's owner roles
    assert load.loc["理财经理", "demand"] == pytest.approx(3 * per_customer * 150 / 200)
    assert load.loc["高柜", "demand"] == pytest.approx(3 * per_customer * 50 / 200)
    assert load.loc["理财经理", "capacity"] == pytest.approx(150 * policy.workload.weeks_per_month)


def test_role_workload_flags_a_role_over_capacity():
    policy = Policy.default()
    staff = pd.DataFrame(
        {"name": ["周", "刘"], "role": ["支局长", "高柜"], "capacity_per_week": [150.0, 10.0]}
    )
    load = role_workload(np.array([1000, 0, 0, 0]), policy, staff).set_index("role")
    assert bool(load.loc["高柜", "overloaded"]) and not bool(load.loc["支局长", "overloaded"])


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


def test_what_if_workload_shares_customers_out_as_the_assignment_does():
    from core.whatif import assigned_role_workload

    policy = Policy.default()
    customers = pd.DataFrame(
        {
            "customer_id": pd.array([f"c{i}" for i in range(7)], dtype="string"),
            "assets": [300000.0, 250000.0, 80000.0, 60000.0, 100.0, 200.0, 300.0],
            "maturity_date": pd.to_datetime([None] * 7),
            "manager": pd.array([None] * 7, dtype="string"),
        }
    )
    staff = pd.DataFrame(
        {
            "name": ["周", "李", "刘"],
            "role": ["支局长", "理财经理", "高柜"],
            "outlet": ["城关支局"] * 3,
            "capacity_per_week": [150.0, 150.0, 150.0],
        }
    )
    load = assigned_role_workload(customers, AS_OF, policy, staff).set_index("role")
    weekly = policy.workload.weeks_per_month
    mid = weekly + 3  # a call a week and a visit a month (3 calls)
    high_or_mid = mid + 0.2 / 3  # high: and a gift a quarter (0.2)
    potential = 0.05 + 1 / 3  # a bulk SMS a month and a call a quarter
    # Both high-end customers are in the top N (the head's); the two mid ones are balanced one each between
    # 理财经理 and 高柜; the three potential ones belong to 高柜 alone.
    assert load.loc["支局长", "demand"] == pytest.approx(2 * high_or_mid)
    assert load.loc["理财经理", "demand"] == pytest.approx(mid)
    assert load.loc["高柜", "demand"] == pytest.approx(mid + 3 * potential)
    assert load["capacity"].tolist() == pytest.approx([150 * weekly] * 3)
    assert not load["overloaded"].any()


def test_what_if_and_the_assignment_page_use_one_capacity_model_the_months_working_days():
    from core.whatif import assigned_role_workload
    from core.workload import month_capacity, plan_month_days

    policy = Policy.default()
    customers = pd.DataFrame(
        {
            "customer_id": pd.array(["c0", "c1"], dtype="string"),
            "assets": [300000.0, 100.0],
            "maturity_date": pd.to_datetime([None] * 2),
            "manager": pd.array([None] * 2, dtype="string"),
        }
    )
    staff = pd.DataFrame(
        {
            "name": ["周", "刘"],
            "role": ["支局长", "高柜"],
            "outlet": ["城关支局"] * 2,
            "capacity_per_week": [150.0, 100.0],
        }
    )
    days = plan_month_days(dt.date(2026, 11, 30), policy)
    assert days == 23  # December 2026: 23 weekdays (no holidays in the default policy)
    load = assigned_role_workload(customers, dt.date(2026, 11, 30), policy, staff, days).set_index("role")
    per_day = policy.schedule.working_days_per_week
    assert load["capacity"].tolist() == pytest.approx([150 / per_day * 23, 100 / per_day * 23])
    assert float(month_capacity(100.0, policy, days)) == load.loc["高柜", "capacity"]
