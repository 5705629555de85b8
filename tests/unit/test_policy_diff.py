"""policy_diff: the rules that differ between two policies, as dotted keys with both values."""

from __future__ import annotations

from core.policy import Policy, policy_diff


def test_identical_policies_have_no_difference():
    assert policy_diff(Policy.default(), Policy.default()) == []


def test_a_changed_tier_bound_is_keyed_by_tier_code():
    a = Policy.default()
    b = a.with_tier_lowers({"mid": 60_000})
    assert policy_diff(a, b) == [("tiers.mid.lower", 50_000.0, 60_000.0)]


def test_scalar_lists_compare_whole():
    a = Policy.default()
    b = a.with_changes({"maturity": {"reminder_offsets": [7, 1], "window_days": 45}})
    assert policy_diff(a, b) == [
        ("maturity.window_days", 30, 45),
        ("maturity.reminder_offsets", [7, 3, 1], [7, 1]),
    ]


def test_holidays_appear_as_iso_dates():
    a = Policy.default()
    b = a.with_changes({"calendar": {"holidays": ["2027-01-01"]}})
    assert policy_diff(a, b) == [("calendar.holidays", [], ["2027-01-01"])]


def test_a_removed_band_is_one_group_of_rows_not_a_shift_of_later_bands():
    a = Policy.default()
    bands = [dict(b) for b in a.to_dict()["bands"] if b["level"] != 100_000]
    b = a.with_bands(bands)
    keys = [key for key, _, _ in policy_diff(a, b)]
    assert keys == [
        "bands.100000.level",
        "bands.100000.lower",
        "bands.100000.gift",
        "bands.100000.gift_value",
        "bands.100000.points_multiplier",
    ]
    assert all(new is None for _, _, new in policy_diff(a, b))


def test_a_band_only_in_b_has_none_in_a():
    a = Policy.default()
    bands = [*a.to_dict()["bands"], {"level": 500_000, "lower": 400_000, "gift": "油", "gift_value": 80}]
    diff = dict((k, (x, y)) for k, x, y in policy_diff(a, a.with_bands(bands)))
    assert diff["bands.500000.gift"] == (None, "油")
    assert diff["bands.500000.lower"] == (None, 400_000.0)


def test_cadence_and_owner_roles_of_a_tier_compare_as_whole_lists():
    a = Policy.default()
    tiers = a.to_dict()["tiers"]
    tiers[2]["owner_roles"] = ["理财经理"]
    tiers[2]["cadence"] = [{"channel": "phone", "count": 2, "period": "week"}]
    diff = policy_diff(a, a.with_changes({"tiers": tiers}))
    assert [k for k, _, _ in diff] == ["tiers.mid.owner_roles", "tiers.mid.cadence"]
    assert diff[0][1:] == (["理财经理", "高柜", "客户经理"], ["理财经理"])


def test_nested_mappings_are_dotted_and_plain_dicts_are_accepted():
    a = Policy.default()
    b = a.with_changes({"workload": {"channel_effort": {"gift": 0.5}}, "history": {"outflow_pct": 20}})
    expected = [("workload.channel_effort.gift", 0.2, 0.5), ("history.outflow_pct", 30.0, 20.0)]
    assert policy_diff(a, b) == expected
    assert policy_diff(a.to_dict(), b.to_dict()) == expected
