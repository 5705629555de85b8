"""Workload: contacts owed against capacity, effort weights, the overloaded flag, the per-role summary."""

from __future__ import annotations

import pytest

from core.assign import assign
from core.plan import build_plan
from core.policy import Policy
from core.roster import roster_from_frame
from core.segment import segment
from core.workload import capacity_use, workload
from tests.builders.customers import AS_OF, customers, staff

POLICY = Policy.default()


def load_for(rows, roster_rows, policy=POLICY, month="2026-12"):
    roster = roster_from_frame(staff(*roster_rows), policy=policy)
    seg = segment(customers(rows), policy, AS_OF)
    result = assign(seg, roster, policy)
    plan = build_plan(seg, result, policy, month)
    return workload(plan, roster, policy, result), plan


def test_two_mid_customers_owe_eleven_contacts_in_december():
    # Weeks 12-07..12-21 in full, and of the straddling weeks 11-30 and 12-28 the calls whose day is in
    # December: the first customer's falls on 11-30 (November) and 12-28, the second's on 12-01 and 12-29.
    load, _ = load_for([{"assets": 60000}, {"assets": 61000}], [("周", "支局长"), ("李", "理财经理")])
    li = load.set_index("staff").loc["李"]
    assert (li["customers"], li["contacts"], li["phone"], li["visit"], li["sms"], li["gift"]) == (
        2,
        11,
        9,
        2,
        0,
        0,
    )
    assert li["effort_month"] == 15.0  # 9 calls + 2 visits of 3 calls each
    assert li["effort_week"] == pytest.approx(15 / 4.33)
    assert li["capacity_week"] == 120.0 and li["capacity_month"] == pytest.approx(519.6)
    assert li["utilisation"] == pytest.approx(15 / 519.6)
    assert not li["overloaded"]
    head = load.set_index("staff").loc["周"]
    assert (head["customers"], head["contacts"], head["effort_month"]) == (0, 0, 0.0)


def test_a_gift_costs_a_fifth_of_a_call_by_default_and_the_weight_is_a_policy_setting():
    rows = [{"assets": 300000}]
    january, _ = load_for(rows, [("周", "支局长")], month="2027-01")
    # 4 calls (the week of 12-28 has its call on 12-28), a visit (3 calls), a gift (0.2)
    assert january.loc[0, "contacts"] == 6 and january.loc[0, "effort_month"] == pytest.approx(7.2)
    heavy = POLICY.with_changes({"workload": {"channel_effort": {"gift": 2.0}}})
    weighted, _ = load_for(rows, [("周", "支局长")], policy=heavy, month="2027-01")
    assert weighted.loc[0, "effort_month"] == 9.0


def test_a_person_over_capacity_is_flagged():
    # 30 x 3 full weeks + 24 + 24 calls of the straddling weeks (a fifth of each on a day outside December)
    # + 30 visits x 3 = 228 a month
    rows = [{"assets": 60000 + i} for i in range(30)]
    load, _ = load_for(rows, [("周", "支局长"), ("李", "理财经理", 30)])
    li = load.set_index("staff").loc["李"]
    assert li["phone"] == 138 and li["effort_month"] == 228.0 and li["capacity_month"] == pytest.approx(129.9)
    assert li["overloaded"] and li["utilisation"] == pytest.approx(228 / 129.9)


def test_capacity_use_per_role_adds_people_and_capacity_in_policy_order():
    rows = [{"assets": 60000 + i} for i in range(4)] + [{"assets": 20000}]
    load, _ = load_for(
        rows, [("王", "理财经理", 50), ("周", "支局长"), ("李", "理财经理", 100), ("陈", "大堂经理")]
    )
    summary = capacity_use(load, POLICY).roles
    assert summary["role"].tolist() == ["支局长", "理财经理", "大堂经理"]
    managers = summary.set_index("role").loc["理财经理"]
    # 18 calls (4 customers x 5 weeks, less the two whose straddling-week day is outside December) + 4 visits
    assert (managers["staff"], managers["customers"], managers["contacts"]) == (2, 4, 22)
    assert managers["planned"] == managers["owed"] == 30.0
    assert managers["capacity"] == pytest.approx(150 * 4.33)
    assert managers["use"] == pytest.approx(30 / (150 * 4.33))
