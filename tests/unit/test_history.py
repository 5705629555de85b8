"""History between two snapshots: exact figures on a seeded pair of months."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.history import compare
from core.policy import Policy
from tests.builders.history import AFTER, BEFORE


def frame(amounts: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": pd.array(list(amounts), dtype="string"),
            "name": pd.array([f"客户{k}" for k in amounts], dtype="string"),
            "assets": np.array(list(amounts.values()), dtype=np.float64),
        }
    )


@pytest.fixture
def policy() -> Policy:
    bands = [
        {"level": 10_000, "lower": 7_000, "gift": "毛巾", "gift_value": 10, "points_multiplier": 2},
        {"level": 50_000, "lower": 30_000, "gift": "电饭煲", "gift_value": 120, "points_multiplier": 2},
        {"level": 100_000, "lower": 70_000, "gift": "保温杯", "gift_value": 50, "points_multiplier": 3},
        {"level": 200_000, "lower": 150_000, "gift": "茶具", "gift_value": 200, "points_multiplier": 4},
    ]
    return Policy.default().with_bands(bands)


def test_summary_counts_every_movement_exactly(policy):
    assert compare(frame(BEFORE), frame(AFTER), policy).summary() == {
        "migration": {
            "potential->potential": 1,
            "potential->basic": 2,
            "basic->potential": 1,
            "basic->basic": 1,
            "basic->mid": 1,
            "mid->potential": 1,
            "mid->mid": 2,
            "mid->high": 1,
            "high->mid": 1,
        },
        "up": 4,
        "down": 3,
        "new": 2,
        "gone": 1,
        "outflow_alerts": 3,
        "reward_fulfilment": 3,
    }


def test_migration_matrix_has_every_tier_on_both_axes(policy):
    matrix = compare(frame(BEFORE), frame(AFTER), policy).matrix
    assert matrix.index.tolist() == ["potential", "basic", "mid", "high"]
    assert matrix.columns.tolist() == ["potential", "basic", "mid", "high"]
    assert int(matrix.to_numpy().sum()) == 11
    assert int(matrix.loc["high", "high"]) == 0


def test_up_down_new_and_gone_list_the_right_customers(policy):
    result = compare(frame(BEFORE), frame(AFTER), policy)
    assert sorted(result.up["customer_id"]) == ["A01", "A02", "A03", "A11"]
    assert sorted(result.down["customer_id"]) == ["A06", "A07", "A12"]
    assert result.new["customer_id"].tolist() == ["B01", "B02"]
    assert result.new["tier"].astype(str).tolist() == ["mid", "potential"]
    assert result.gone["customer_id"].tolist() == ["A10"]
    assert result.gone["tier"].astype(str).tolist() == ["high"]


def test_outflow_alerts_mid_and_high_falling_more_than_the_policy_percentage(policy):
    outflow = compare(frame(BEFORE), frame(AFTER), policy).outflow
    assert outflow["customer_id"].tolist() == ["A06", "A07", "A05"]  # largest loss first
    assert outflow["drop_pct"].tolist() == [40.0, 85.0, pytest.approx(30.001)]
    assert outflow["change"].tolist() == [-100_000.0, -51_000.0, -30_001.0]


def test_falling_exactly_the_percentage_is_not_an_alert(policy):
    stricter = policy.with_changes({"history": {"outflow_pct": 40}})
    outflow = compare(frame(BEFORE), frame(AFTER), stricter).outflow
    assert outflow["customer_id"].tolist() == ["A07"]  # A06 fell exactly 40 %


def test_reward_fulfilment_is_the_campaigns_rule_the_near_level_reached_with_points_on_the_raised_part(
    policy,
):
    got = compare(frame(BEFORE), frame(AFTER), policy).fulfilment.set_index("customer_id")
    assert got.index.tolist() == ["A11", "A03", "A02"]  # highest level first; A01 was in no 临界 band
    assert got.loc["A03", ["level", "gift", "gift_value", "raised"]].tolist() == [
        50_000.0,
        "电饭煲",
        120.0,
        75_000.0,
    ]
    assert got.loc["A03", "points"] == 75_000 * 0.01 * 2
    assert got.loc["A03", "points_cost"] == 15.0
    assert got.loc["A02", "level"] == 10_000.0 and got.loc["A02", "raised"] == 2_000.0
    assert got.loc["A11", "gift"] == "茶具"
    assert got.loc["A11", "raised"] == 0.01 and got.loc["A11", "points"] == 0.0  # rounded to the fen
    assert list(got.reset_index().columns) == [
        "customer_id",
        "name",
        "assets_before",
        "assets_after",
        "level",
        "gift",
        "gift_value",
        "raised",
        "points",
        "points_cost",
    ]


def test_history_and_the_campaign_count_the_same_gifts(policy):
    from core.outcomes.gifts import earned_gifts

    history = compare(frame(BEFORE), frame(AFTER), policy).fulfilment
    campaign = earned_gifts(frame(BEFORE), frame(AFTER), policy)
    assert history["customer_id"].tolist() == campaign["customer_id"].tolist()
    assert history["gift"].tolist() == campaign["gift"].tolist()


def test_identical_snapshots_show_no_change(policy):
    summary = compare(frame(BEFORE), frame(BEFORE), policy).summary()
    assert summary == {
        "migration": {"potential->potential": 3, "basic->basic": 3, "mid->mid": 4, "high->high": 2},
        "up": 0,
        "down": 0,
        "new": 0,
        "gone": 0,
        "outflow_alerts": 0,
        "reward_fulfilment": 0,
    }


def test_empty_snapshots_compare_to_zero(policy):
    empty = frame({})
    assert compare(empty, empty, policy).summary()["migration"] == {}
    assert compare(empty, frame(AFTER), policy).summary()["new"] == 13


def test_money_differences_are_to_the_fen_without_float_noise(policy):
    before = frame({"X1": 0.1, "X2": 45_000.1})
    after = frame({"X1": 0.3, "X2": 75_464.7})
    result = compare(before, after, policy)
    assert result.moves["change"].tolist() == [0.2, 30_464.6]
    assert result.fulfilment["raised"].tolist() == [30_464.6]
