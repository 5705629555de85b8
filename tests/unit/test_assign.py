"""Assignment: top N to the 支局长, sticky managers, balancing by contacts owed, vacant roles, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.assign import assign, monthly_effort, tier_monthly_effort
from core.policy import Policy
from core.roster import roster_from_frame
from core.segment import segment
from tests.builders.customers import AS_OF, customers, staff


def policy(**changes) -> Policy:
    return Policy.default().with_changes(changes) if changes else Policy.default()


def owners(seg: pd.DataFrame, result) -> dict[str, str]:
    return dict(zip(seg["customer_id"], result.table["staff"], strict=True))


def test_monthly_effort_follows_the_cadence_and_weeks_per_month():
    pol = policy(workload={"weeks_per_month": 4})
    # potential: sms 1/month (0.05) + phone 1/quarter; basic: phone + sms monthly; mid: 4 weekly calls +
    # a visit (3 calls); high: the same plus a quarterly gift (0.2).
    assert tier_monthly_effort(pol).tolist() == pytest.approx([0.05 + 1 / 3, 1.05, 7, 7 + 0.2 / 3])


def test_maturing_customers_owe_the_731_calls_on_top():
    seg = segment(
        customers([{"assets": 60000, "maturity": "2026-12-10"}, {"assets": 60000}]), policy(), AS_OF
    )
    assert monthly_effort(seg, policy()).tolist() == pytest.approx([4.33 + 3 + 3, 4.33 + 3])


def test_top_n_high_end_customers_go_to_the_branch_head():
    pol = policy(branch_head={"top_n": 2})
    seg = segment(
        customers([{"assets": 900000}, {"assets": 300000}, {"assets": 500000}, {"assets": 250000}]),
        pol,
        AS_OF,
    )
    result = assign(seg, roster_from_frame(staff(("周", "支局长"), ("李", "理财经理")), policy=pol), pol)
    assert owners(seg, result) == {"C000": "周", "C001": "李", "C002": "周", "C003": "李"}
    assert result.table["reason"].tolist() == ["top_n", "balanced", "top_n", "balanced"]


def test_top_n_goes_to_the_head_even_when_the_export_names_another_manager():
    pol = policy(branch_head={"top_n": 1})
    seg = segment(customers([{"assets": 900000, "manager": "李"}]), pol, AS_OF)
    result = assign(seg, staff(("周", "支局长"), ("李", "理财经理")), pol)
    assert result.table["staff"].tolist() == ["周"]


def test_manager_on_the_roster_in_an_eligible_role_keeps_the_customer():
    seg = segment(
        customers([{"assets": 60000, "manager": "王"}, {"assets": 70000, "manager": "王"}]), policy(), AS_OF
    )
    result = assign(seg, staff(("周", "支局长"), ("李", "理财经理"), ("王", "理财经理")), policy())
    assert result.table["staff"].tolist() == ["王", "王"]
    assert result.table["reason"].tolist() == ["manager", "manager"]


def test_manager_in_a_role_the_tier_does_not_use_does_not_keep_the_customer():
    # mid-tier owners are 理财经理 and 高柜; a 大堂经理 manager is not eligible.
    seg = segment(customers([{"assets": 60000, "manager": "陈"}]), policy(), AS_OF)
    result = assign(seg, staff(("周", "支局长"), ("李", "理财经理"), ("陈", "大堂经理")), policy())
    assert result.table["staff"].tolist() == ["李"]
    assert result.table["reason"].tolist() == ["balanced"]


def test_manager_who_left_is_reported_and_their_customers_reassigned():
    seg = segment(customers([{"assets": 60000, "manager": "孙丽华"}]), policy(), AS_OF)
    result = assign(seg, staff(("周", "支局长"), ("李", "理财经理")), policy())
    assert result.table["staff"].tolist() == ["李"]
    assert any("孙丽华" in w and "1 位客户" in w for w in result.warnings)


def test_balancing_fills_the_least_loaded_relative_to_capacity_ties_by_name():
    # Mid-tier effort is 4 weekly calls + 1 visit = 5 a month. A can make 100 a week, B 300.
    pol = policy(workload={"weeks_per_month": 4})
    seg = segment(customers([{"assets": 60000 + 1000 * i} for i in range(5)]), pol, AS_OF)
    result = assign(seg, staff(("A", "理财经理", 100), ("B", "理财经理", 300)), pol)
    # Largest assets first: C004 -> A (0 = 0, name), then B, B, B (B at 15/300 = A at 5/100), C000 -> A (tie, name).
    assert owners(seg, result) == {"C004": "A", "C003": "B", "C002": "B", "C001": "B", "C000": "A"}


def test_largest_workload_is_placed_first():
    pol = policy(workload={"weeks_per_month": 4})
    seg = segment(
        customers([{"assets": 60000}, {"assets": 55000, "maturity": "2026-12-10"}, {"assets": 58000}]),
        pol,
        AS_OF,
    )
    result = assign(seg, staff(("A", "理财经理"), ("B", "理财经理")), pol)
    # The maturing customer owes 8 a month and goes first (to A); the other two then both go to B.
    assert owners(seg, result) == {"C001": "A", "C000": "B", "C002": "B"}


def test_tier_whose_roles_nobody_holds_goes_to_the_branch_head_with_a_warning():
    seg = segment(customers([{"assets": 500}, {"assets": 800}, {"assets": 60000}]), policy(), AS_OF)
    result = assign(seg, staff(("周", "支局长"), ("李", "理财经理")), policy())
    assert result.table["staff"].tolist() == ["周", "周", "李"]
    assert result.table["reason"].tolist() == ["no_role", "no_role", "balanced"]
    assert len(result.warnings) == 1
    assert (
        "潜力客户" in result.warnings[0] and "2 位客户" in result.warnings[0] and "周" in result.warnings[0]
    )


def test_without_a_branch_head_vacant_tiers_are_shared_and_top_n_follow_the_high_tier():
    pol = policy(branch_head={"top_n": 1})
    seg = segment(customers([{"assets": 900000}, {"assets": 500}, {"assets": 600}]), pol, AS_OF)
    roster = roster_from_frame(staff(("李", "理财经理"), ("陈", "大堂经理")), policy=pol)
    assert any("没有支局长" in w for w in roster.warnings)
    result = assign(seg, roster, pol)
    # 李 already carries the high-end customer, so 陈 is less loaded for both potential customers.
    assert result.table["staff"].tolist() == ["李", "陈", "陈"]
    assert result.table["reason"].tolist() == ["balanced", "shared", "shared"]
    assert any("潜力客户" in w and "全部人员" in w for w in result.warnings)


def test_every_customer_assigned_once_and_the_result_is_deterministic():
    rng = np.random.default_rng(5)
    rows = [
        {"customer_id": f"X{i:04d}", "assets": float(a), "manager": ["李", "王", None, "刘"][i % 4]}
        for i, a in enumerate(np.round(rng.lognormal(np.log(20000), 1.5, 400), 2))
    ]
    roster = staff(
        ("周", "支局长"), ("李", "理财经理"), ("王", "理财经理"), ("陈", "大堂经理"), ("刘", "高柜")
    )
    seg = segment(customers(rows), policy(), AS_OF)
    first = assign(seg, roster, policy())
    shuffled = seg.sample(frac=1, random_state=3)
    second = assign(shuffled, roster, policy())
    assert first.table["staff"].notna().all() and len(first.table) == 400
    assert owners(seg, first) == owners(shuffled, second)


def test_reasons_read_as_chinese_labels_and_the_roster_order_is_kept():
    pol = policy(branch_head={"top_n": 1})
    seg = segment(
        customers([{"assets": 900000}, {"assets": 60000, "manager": "王"}, {"assets": 500}]), pol, AS_OF
    )
    result = assign(seg, staff(("王", "理财经理"), ("周", "支局长")), pol)
    assert result.reason_labels(pol).tolist() == ["高端前1名", "原管户人员", "岗位空缺转支局长"]
    assert result.staff == ("王", "周") and result.heads == ("周",)


def test_staff_whose_role_owns_no_tier_are_named_in_a_warning():
    # Every default role owns a tier now (客户经理: 基础, 中端): a role the outlet added does not.
    pol = policy(workload={"roles": ["支局长", "理财经理", "大堂经理", "高柜", "客户经理", "保安"]})
    seg = segment(customers([{"assets": 60000}]), pol, AS_OF)
    result = assign(seg, staff(("周", "支局长"), ("李", "理财经理"), ("吴", "保安")), pol)
    assert result.table["staff"].tolist() == ["李"]
    assert any(w.startswith("吴 的岗位不是任何层级的负责岗位") for w in result.warnings)


def test_a_customer_manager_gets_basic_and_mid_customers_by_default():
    # 客户经理 is among the default owner roles of 基础 and 中端 (not 潜力, not 高端).
    pol = policy(branch_head={"top_n": 0})
    rows = [{"assets": 500}, {"assets": 20000}, {"assets": 60000}, {"assets": 300000}]
    seg = segment(customers(rows), pol, AS_OF)
    result = assign(seg, staff(("周", "支局长"), ("吴", "客户经理")), pol)
    assert result.table["staff"].tolist() == ["周", "吴", "吴", "周"]
    assert result.table["reason"].tolist() == ["no_role", "balanced", "balanced", "no_role"]
    assert not any("吴 的岗位不是任何层级的负责岗位" in w for w in result.warnings)
