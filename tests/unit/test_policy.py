"""The policy object: defaults from the domain guide, validation, TOML round trip."""

from __future__ import annotations

import pytest

from core.errors import PolicyError
from core.policy import Policy


@pytest.fixture
def policy() -> Policy:
    return Policy.default()


def test_default_tiers_follow_the_domain_guide(policy):
    assert policy.tier_codes == ("potential", "basic", "mid", "high")
    assert [t.name for t in policy.tiers] == ["潜力客户", "基础客户", "中端客户", "高端客户"]
    assert policy.tier_lowers.tolist() == [0, 10000, 50000, 200000]


def test_default_bands_sit_just_below_each_reward_level(policy):
    assert [(b.lower, b.level) for b in policy.bands] == [
        (7000, 10000),
        (30000, 50000),
        (70000, 100000),
        (150000, 200000),
    ]
    assert all(b.gift == "" for b in policy.bands)


def test_default_cadences_owners_and_head_rules(policy):
    mid = policy.tier("mid")
    assert [(c.channel, c.count, c.period) for c in mid.cadence] == [
        ("phone", 1, "week"),
        ("visit", 1, "month"),
    ]
    assert policy.tier("basic").owner_roles == ("高柜", "大堂经理", "客户经理")
    assert policy.tier("mid").owner_roles == ("理财经理", "高柜", "客户经理")
    assert policy.tier("mid").order_by == "familiarity_asc"
    assert policy.branch_head.top_n == 50
    assert policy.maturity.window_days == 30
    assert policy.maturity.reminder_offsets == (7, 3, 1)
    assert policy.history.outflow_pct == 30


def test_toml_round_trip_keeps_every_rule(policy):
    again = Policy.from_toml(policy.to_toml())
    assert again == policy
    assert again.fingerprint() == policy.fingerprint()


def test_a_partial_toml_file_falls_back_to_the_defaults(policy):
    changed = Policy.from_toml("[branch_head]\nrole = '支局长'\ntop_n = 30\n")
    assert changed.branch_head.top_n == 30
    assert changed.tiers == policy.tiers
    assert changed.fingerprint() != policy.fingerprint()


def test_changing_a_tier_bound_gives_a_new_validated_policy(policy):
    changed = policy.with_tier_lowers({"mid": 60000})
    assert changed.tier_lowers.tolist() == [0, 10000, 60000, 200000]
    assert policy.tier_lowers.tolist() == [0, 10000, 50000, 200000]


def test_bounds_must_ascend(policy):
    with pytest.raises(PolicyError) as caught:
        policy.with_tier_lowers({"mid": 250000})
    assert "层级下限必须递增" in str(caught.value)


def test_every_problem_is_reported_at_once(policy):
    bands = [dict(b) for b in policy.to_dict()["bands"]]
    bands[0]["lower"] = 12000  # above its level
    with pytest.raises(PolicyError) as caught:
        policy.with_changes({"bands": bands, "branch_head": {"top_n": -1}, "maturity": {"window_days": 0}})
    problems = caught.value.problems
    assert any("档位 10000 的临界区间下限 12000" in p for p in problems)
    assert any("前 N 名" in p for p in problems)
    assert any("到期提醒窗口" in p for p in problems)


def test_overlapping_bands_are_refused(policy):
    bands = [dict(b) for b in policy.to_dict()["bands"]]
    bands[1]["lower"] = 9000
    with pytest.raises(PolicyError, match="重叠"):
        policy.with_bands(bands)


def test_unknown_owner_role_is_refused(policy):
    tiers = policy.to_dict()["tiers"]
    tiers[0]["owner_roles"] = ["保安"]
    with pytest.raises(PolicyError, match="保安"):
        policy.with_changes({"tiers": tiers})


def test_reminder_offsets_must_descend(policy):
    with pytest.raises(PolicyError, match="到期提醒天数"):
        policy.with_changes({"maturity": {"reminder_offsets": [1, 3, 7]}})


def test_broken_toml_names_the_problem():
    with pytest.raises(PolicyError, match="TOML"):
        Policy.from_toml("[branch_head\ntop_n = 3")


def test_missing_file_is_a_policy_error(tmp_path):
    with pytest.raises(PolicyError, match="无法读取策略文件"):
        Policy.load(tmp_path / "nope.toml")


def test_saved_file_loads_back(tmp_path, policy):
    path = tmp_path / "p.toml"
    policy.with_tier_lowers({"basic": 20000}).save(path)
    assert Policy.load(path).tier("basic").lower == 20000
