"""Segmentation rules: bounds, bands, maturity window, 731 dates, branch-head top N, summaries."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core.policy import Policy
from core.segment import (
    assign_tiers,
    near_levels,
    near_summary,
    quick_counts,
    reminder_dates,
    segment,
    summarize,
)

AS_OF = dt.date(2026, 11, 30)


def customers(assets, maturity=None, ids=None) -> pd.DataFrame:
    n = len(assets)
    return pd.DataFrame(
        {
            "customer_id": pd.array(ids or [f"c{i:03d}" for i in range(n)], dtype="string"),
            "assets": np.asarray(assets, dtype=np.float64),
            "maturity_date": pd.to_datetime(maturity or [None] * n),
        }
    )


@pytest.fixture
def policy() -> Policy:
    return Policy.default()


@pytest.mark.parametrize(
    ("amount", "tier"),
    [
        (0, "potential"),
        (9999.99, "potential"),
        (10000, "basic"),
        (49999.99, "basic"),
        (50000, "mid"),
        (199999.99, "mid"),
        (200000, "high"),
        (5e7, "high"),
    ],
)
def test_lower_bound_is_inclusive(policy, amount, tier):
    assert policy.tier_codes[assign_tiers(np.array([amount]), policy)[0]] == tier


@pytest.mark.parametrize(
    ("amount", "level"),
    [
        (6999.99, None),
        (7000, 10000),
        (9999.99, 10000),
        (10000, None),
        (29999.99, None),
        (30000, 50000),
        (69999.99, None),
        (70000, 100000),
        (99999.99, 100000),
        (100000, None),
        (150000, 200000),
        (200000, None),
    ],
)
def test_near_threshold_band_is_below_the_level(policy, amount, level):
    got = near_levels(np.array([amount]), policy)[0]
    assert (np.isnan(got) and level is None) or got == level


def test_gap_is_the_distance_to_the_reward_level(policy):
    seg = segment(customers([7000, 95000.5]), policy, AS_OF)
    assert seg["gap"].tolist() == [3000, 4999.5]
    assert seg["near_level"].tolist() == [10000, 100000]


def test_100000_is_a_reward_level_but_not_a_tier_boundary(policy):
    seg = segment(customers([99999, 100001]), policy, AS_OF)
    assert seg["tier"].tolist() == ["mid", "mid"]
    assert seg["near_level"].iloc[0] == 100000
    assert np.isnan(seg["near_level"].iloc[1])


def test_maturing_window_includes_both_ends(policy):
    dates = ["2026-11-29", "2026-11-30", "2026-12-30", "2026-12-31", None]
    seg = segment(customers([1] * 5, dates), policy, AS_OF)
    assert seg["maturing"].tolist() == [False, True, True, False, False]
    assert seg["days_to_maturity"].tolist()[:4] == [-1, 0, 30, 31]
    assert seg["days_to_maturity"].isna().tolist() == [False] * 4 + [True]


def test_a_wider_window_catches_more(policy):
    seg = segment(
        customers([1], ["2026-12-31"]), policy.with_changes({"maturity": {"window_days": 31}}), AS_OF
    )
    assert seg["maturing"].tolist() == [True]


def test_731_reminders_move_off_weekends_to_the_friday_before(policy):
    # 2026-12-14 is a Monday: 7 days before is Monday 12-07, 3 days before is Friday 12-11,
    # 1 day before is Sunday 12-13 -> Friday 12-11.
    got = reminder_dates(pd.Series(pd.to_datetime(["2026-12-14", None])), policy)
    assert list(got.columns) == ["remind_7", "remind_3", "remind_1"]
    assert got.iloc[0].dt.strftime("%Y-%m-%d").tolist() == ["2026-12-07", "2026-12-11", "2026-12-11"]
    assert got.iloc[1].isna().all()


def test_reminders_stay_on_weekends_when_the_policy_says_so(policy):
    kept = policy.with_changes({"maturity": {"shift_weekends": False}})
    got = reminder_dates(pd.Series(pd.to_datetime(["2026-12-14"])), kept)
    assert got["remind_1"].iloc[0] == pd.Timestamp("2026-12-13")


def test_top_n_high_customers_belong_to_the_branch_head(policy):
    small = policy.with_changes({"branch_head": {"top_n": 2}})
    seg = segment(
        customers([300000, 250000, 900000, 250000, 1000], ids=["a", "b", "c", "d", "e"]), small, AS_OF
    )
    assert seg["high_rank"].tolist()[:4] == [2, 3, 1, 4]  # tie at 250,000 broken by customer id
    assert seg["high_rank"].isna().tolist() == [False] * 4 + [True]
    assert seg["branch_head"].tolist() == [True, False, True, False, False]


def test_summary_counts_assets_shares_and_means(policy):
    seg = segment(customers([5000, 15000, 25000, 60000, 300000]), policy, AS_OF)
    table = summarize(seg, policy).set_index("tier")
    assert table["count"].tolist() == [1, 2, 1, 1]
    assert table["assets"].tolist() == [5000, 40000, 60000, 300000]
    assert table.loc["basic", "mean"] == 20000
    assert table.loc["high", "assets_share"] == pytest.approx(300000 / 405000)
    assert table["share"].sum() == pytest.approx(1.0)


def test_summary_of_no_customers_is_zero_not_an_error(policy):
    table = summarize(segment(customers([]), policy, AS_OF), policy)
    assert table["count"].tolist() == [0, 0, 0, 0]
    assert table["mean"].tolist() == [0, 0, 0, 0]


def test_quick_counts_match_the_full_segmentation(policy):
    rng = np.random.default_rng(7)
    assets = np.round(rng.lognormal(np.log(8000), 1.7, 20000), 2)
    seg = segment(customers(assets), policy, AS_OF)
    fast = quick_counts(assets, policy)
    assert fast.tier_count.tolist() == summarize(seg, policy)["count"].tolist()
    assert fast.tier_assets == pytest.approx(summarize(seg, policy)["assets"].to_numpy())
    assert fast.near_count == {lv: int((seg["near_level"] == lv).sum()) for lv in policy.reward_levels}
    for level in policy.reward_levels:
        assert fast.near_gap[level] == pytest.approx(seg.loc[seg["near_level"] == level, "gap"].sum())


def test_quick_counts_put_exact_bounds_on_the_upper_side(policy):
    edges = [0, 6999.99, 7000, 9999.99, 10000, 30000, 50000, 70000, 100000, 150000, 199999.99, 200000]
    fast = quick_counts(np.array(edges, dtype=np.float64), policy)
    assert fast.tier_count.tolist() == [4, 2, 5, 1]
    assert fast.near_count == {10000: 2, 50000: 1, 100000: 1, 200000: 2}
    assert fast.near_gap[200000] == pytest.approx(50000 + 0.01)


def test_campaign_cost_uses_gift_value_points_and_expected_share(policy):
    bands = [dict(b) for b in policy.to_dict()["bands"]]
    bands[0].update(gift="食用油一桶", gift_value=50, points_multiplier=3)
    priced = policy.with_bands(bands).with_changes(
        {"campaign": {"expected_share": 0.5, "points_per_yuan": 0.01, "point_value_yuan": 0.02}}
    )
    seg = segment(customers([7000, 9000, 9500]), priced, AS_OF)
    row = near_summary(seg, priced).set_index("level").loc[10000]
    assert row["count"] == 3
    assert row["gap"] == 4500
    assert row["gift_cost"] == 3 * 0.5 * 50
    assert row["points_cost"] == pytest.approx(4500 * 0.5 * 0.01 * 3 * 0.02)
    assert row["cost"] == pytest.approx(75 + 1.35)


def test_731_reminders_also_skip_public_holidays(policy):
    # Maturity Monday 2027-02-15; 7 days before is Monday 02-08, a holiday in this policy, and so is
    # Friday 02-05: the reminder moves back to Thursday 02-04. 1 day before (Sunday 02-14) -> Friday 02-12.
    festive = policy.with_changes({"calendar": {"holidays": ["2027-02-05", "2027-02-08"]}})
    got = reminder_dates(pd.Series(pd.to_datetime(["2027-02-15"])), festive)
    assert got.iloc[0].dt.strftime("%Y-%m-%d").tolist() == ["2027-02-04", "2027-02-12", "2027-02-12"]


def test_a_holiday_that_is_not_a_date_is_refused(policy):
    from core.errors import PolicyError

    with pytest.raises(PolicyError, match="2027-02-30"):
        policy.with_changes({"calendar": {"holidays": ["2027-02-30"]}})
