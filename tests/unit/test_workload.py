"""Workload: contacts owed against capacity, effort weights, the overloaded flag, the per-role summary."""

from __future__ import annotations

import pytest

from core.assign import assign
from core.plan import build_plan
from core.policy import Policy
from core.roster import roster_from_frame
from core.segment import segment
from core.workload import role_summary, workload
from tests.builders.customers import AS_OF, customers, staff

POLICY = Policy.default()


def load_for(rows, roster_rows, policy=POLICY, month="2026-12"):
    roster = roster_from_frame(staff(*roster_rows), policy=policy)
    seg = segment(customers(rows), policy, AS_OF)
    result = assign(seg, roster, policy)
    plan = build_plan(seg, result, policy, month)
    return workload(plan, roster, policy, result), plan


def test_two_mid_customers_owe_ten_contacts_in_december():
    load, _ = load_for([{"assets": 60000}, {"assets": 61000}], [("周", "支局长"), ("李", "理财经理")])
    li = load.set_index("staff").loc["李"]
    assert (li["customers"], li["contacts"], li["phone"], li["visit"], li["sms"], li["gift"]) == (
        2,
        10,
        8,
        2,
        0,
        0,
    )
    assert li["effort_month"] == 10.0
    assert li["effort_week"] == pytest.approx(10 / 4.33)
    assert li["capacity_week"] == 150.0 and li["capacity_month"] == pytest.approx(649.5)
    assert li["utilisation"] == pytest.approx(10 / 649.5)
    assert not li["overloaded"]
    head = load.set_index("staff").loc["周"]
    assert (head["customers"], head["contacts"], head["effort_month"]) == (0, 0, 0.0)


def test_gifts_cost_no_extra_effort_by_default_and_the_weight_is_a_policy_setting():
    rows = [{"assets": 300000}]
    january, _ = load_for(rows, [("周", "支局长")], month="2027-01")
    assert (
        january.loc[0, "contacts"] == 6 and january.loc[0, "effort_month"] == 5.0
    )  # 4 calls, a visit, a gift
    heavy = POLICY.with_changes({"workload": {"channel_effort": {"gift": 2.0}}})
    weighted, _ = load_for(rows, [("周", "支局长")], policy=heavy, month="2027-01")
    assert weighted.loc[0, "effort_month"] == 7.0


def test_a_person_over_capacity_is_flagged():
    rows = [{"assets": 60000 + i} for i in range(30)]  # 30 x (4 calls + 1 visit) = 150 a month
    load, _ = load_for(rows, [("周", "支局长"), ("李", "理财经理", 30)])
    li = load.set_index("staff").loc["李"]
    assert li["effort_month"] == 150.0 and li["capacity_month"] == pytest.approx(129.9)
    assert li["overloaded"] and li["utilisation"] == pytest.approx(150 / 129.9)


def test_role_summary_adds_people_and_capacity_per_role_in_policy_order():
    rows = [{"assets": 60000 + i} for i in range(4)] + [{"assets": 20000}]
    load, _ = load_for(
        rows, [("王", "理财经理", 50), ("周", "支局长"), ("李", "理财经理", 100), ("陈", "大堂经理")]
    )
    summary = role_summary(load, POLICY)
    assert summary["role"].tolist() == ["支局长", "理财经理", "大堂经理"]
    managers = summary.set_index("role").loc["理财经理"]
    assert (managers["staff"], managers["customers"], managers["contacts"]) == (2, 4, 20)
    assert managers["capacity_month"] == pytest.approx(150 * 4.33)
    assert managers["utilisation"] == pytest.approx(20 / (150 * 4.33))
