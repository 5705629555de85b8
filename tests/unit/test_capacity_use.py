"""Capacity use (core.workload.capacity_use): the one 使用率 of a fitted month's plan, per person and per role."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.policy import Policy
from core.roster import roster_from_frame
from core.schedule import plan_month
from core.segment import segment
from core.workload import capacity_use
from tests.builders.customers import AS_OF, customers, staff

POLICY = Policy.default()


def _load(rows: list[tuple]) -> pd.DataFrame:
    """A fitted plan's workload rows: (staff, role, customers, contacts, effort_month, capacity_month, overloaded)."""
    return pd.DataFrame(
        rows,
        columns=["staff", "role", "customers", "contacts", "effort_month", "capacity_month", "overloaded"],
    )


def _deferred(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["staff", "channel"])


def test_use_is_planned_effort_over_capacity_and_owed_adds_the_deferred_effort():
    load = _load(
        [
            ("王", "理财经理", 10, 40, 30.0, 60.0, False),
            ("周", "支局长", 3, 12, 12.0, 48.0, False),
            ("李", "理财经理", 20, 90, 90.0, 60.0, True),
            ("陈", "高柜", 100, 110, 100.0, 120.0, False),
        ]
    )
    # 李: two calls (1 each) and a visit (3) did not fit; 王: a gift (0.2)
    deferred = _deferred([("李", "phone"), ("李", "visit"), ("李", "phone"), ("王", "gift")])
    use = capacity_use(load, POLICY, deferred)

    people = use.people.set_index("staff")
    assert people.index.tolist() == ["王", "周", "李", "陈"]  # roster order
    assert people.loc["李", ["planned", "owed", "deferred", "capacity"]].tolist() == [90.0, 95.0, 3, 60.0]
    assert people.loc["李", "use"] == 1.5
    assert people.loc["王", ["owed", "deferred"]].tolist() == [pytest.approx(30.2), 1]
    assert people.loc["陈", ["owed", "deferred", "use"]].tolist() == [100.0, 0, pytest.approx(100 / 120)]
    assert people["overloaded"].tolist() == [False, False, True, False]

    roles = use.roles.set_index("role")
    assert roles.index.tolist() == ["支局长", "理财经理", "高柜"]  # policy order, roles with staff only
    managers = roles.loc["理财经理"]
    assert (managers["staff"], managers["customers"], managers["contacts"]) == (2, 30, 130)
    assert (managers["planned"], managers["owed"], managers["deferred"]) == (120.0, pytest.approx(125.2), 4)
    assert managers["capacity"] == 120.0 and managers["use"] == 1.0
    assert roles["overloaded"].tolist() == [0, 1, 0]  # people flagged, per role


def test_without_deferred_contacts_owed_is_what_was_planned():
    load = _load([("周", "支局长", 1, 5, 7.2, 48.0, False)])
    for deferred in (None, _deferred([])):
        use = capacity_use(load, POLICY, deferred)
        assert use.roles.loc[0, ["owed", "planned", "deferred"]].tolist() == [7.2, 7.2, 0]
        assert use.roles.loc[0, "use"] == pytest.approx(7.2 / 48)


def test_the_effort_of_a_deferred_contact_is_the_policys_channel_weight():
    load = _load([("李", "理财经理", 1, 0, 0.0, 100.0, False)])
    heavy = POLICY.with_changes({"workload": {"channel_effort": {"visit": 5.0}}})
    use = capacity_use(load, heavy, _deferred([("李", "visit"), ("李", "visit")]))
    assert use.people.loc[0, "owed"] == 10.0 and use.people.loc[0, "deferred"] == 2


def test_a_fitted_plan_over_capacity_shows_its_deferrals_and_the_use_of_what_was_planned():
    # 40 mid customers on one 理财经理 of 30 contacts a week: the month cannot hold them
    seg = segment(customers([{"assets": 60000 + i} for i in range(40)]), POLICY, AS_OF)
    roster = roster_from_frame(staff(("周", "支局长", 10), ("李", "理财经理", 30)), policy=POLICY)
    month = plan_month(seg, roster, POLICY, "2026-12")
    use = capacity_use(month.workload, POLICY, month.deferred)

    li = use.people.set_index("staff").loc["李"]
    late = month.deferred.loc[month.deferred["staff"] == "李"]
    assert li["deferred"] == len(late) > 0
    weights = late["channel"].map(POLICY.workload.channel_effort).sum()
    assert li["owed"] == pytest.approx(li["planned"] + weights)
    # 30 a week is 6 a working day; December 2026 has 23 working days
    assert li["capacity"] == pytest.approx(6 * 23)
    assert li["use"] == pytest.approx(li["planned"] / (6 * 23))
    roles = use.roles.set_index("role")
    assert roles.loc["理财经理", "deferred"] == len(late) == len(month.deferred)
    np.testing.assert_allclose(
        roles["planned"].to_numpy(),
        month.workload.groupby("role", sort=False)["effort_month"].sum().to_numpy(),
    )
