"""One 使用率: 分层策略's what-if and 任务分配 show the same capacity use per role for the same saved policy and
roster (the plan 任务分配 makes, core.workload.capacity_use), and the what-if shows the plan a proposed policy
would make against it.

The seeded outlet (1,500 customers, seven staff) is over capacity in December 2026: every figure below was
read off the fitted plan; capacities are the roster's weekly capacity / 5 x 23 working days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.demo import OUTLET, demo_export
from core.i18n import t
from core.ingest import read_customers
from core.policy import Policy
from core.storage.engine import ensure_schema, make_engine
from tests.builders.app import AS_OF, MONTH, database_env, page_test, seed_outlet, table_with
from tests.builders.app import ran as _run
from tests.builders.capacity import service_capacity_use
from tests.builders.stored import import_snapshot
from ui.fmt import display_frame
from ui.plan_fit import role_use_table

ROLE, USE, OWED, PLANNED, DEFERRED, CAPACITY = (
    t("ui.col.role"),
    t("ui.col.utilisation"),
    t("cap.col.owed"),
    t("ui.col.effort_month"),
    t("cap.col.deferred"),
    t("ui.col.capacity"),
)
FIGURES = [ROLE, t("ui.col.staff"), t("ui.col.count"), OWED, PLANNED, DEFERRED, CAPACITY, USE]
SAVED = pd.DataFrame(
    {
        ROLE: ["支局长", "理财经理", "大堂经理", "高柜"],
        t("ui.col.staff"): ["1", "2", "1", "2"],
        t("ui.col.count"): ["14", "124", "327", "1,035"],
        OWED: ["187", "992", "496", "1,811"],
        PLANNED: ["181", "992", "377", "1,147"],
        DEFERRED: ["2", "0", "119", "662"],
        CAPACITY: ["184", "1,104", "368", "828"],
        USE: ["98.3%", "89.9%", "102.4%", "138.5%"],
    },
    dtype=object,
)


@pytest.fixture
def seeded(tmp_path):
    data = seed_outlet(tmp_path / "console.db")
    with database_env(data.url):
        yield data


def _use(at) -> pd.DataFrame:
    """The per-role capacity use table as shown (text cells)."""
    return table_with(at, OWED).astype(object).reset_index(drop=True)


def test_strategy_and_assignment_show_the_same_capacity_use_per_role_for_the_saved_policy(seeded):
    strategy = _run(page_test("strategy", "branch_head"))
    assignment = _run(page_test("assignment", "branch_head"))
    shown = _use(strategy)
    assert list(shown.columns) == FIGURES  # unchanged policy: no comparison columns
    pd.testing.assert_frame_equal(shown, _use(assignment))
    pd.testing.assert_frame_equal(shown, SAVED)
    # the month the plan is for is in the heading
    assert t("cap.whatif.title", month=MONTH) in [s.value for s in strategy.subheader]
    # the figures are the service's: the same plan with nothing rounded away
    roles = service_capacity_use(seeded, Policy.default())
    assert [f"{u:.1%}" for u in roles["use"]] == SAVED[USE].tolist()
    assert roles["deferred"].tolist() == [2, 0, 119, 662]
    np.testing.assert_allclose(
        roles["capacity"], [40 / 5 * 23, 2 * 120 / 5 * 23, 80 / 5 * 23, 2 * 90 / 5 * 23]
    )


def test_a_proposed_bound_shows_the_plan_it_would_make_and_the_change_against_the_saved_plan(seeded):
    at = _run(page_test("strategy", "branch_head"))
    at.number_input(key="wi.lower.mid").set_value(30000.0)
    _run(at)
    shown = _use(at)
    proposed = service_capacity_use(seeded, Policy.default().with_tier_lowers({"mid": 30000}))
    saved = service_capacity_use(seeded, Policy.default())
    assert (
        shown[USE].tolist() == [f"{u:.1%}" for u in proposed["use"]] == ["98.3%", "99.9%", "103.5%", "133.0%"]
    )
    assert shown[DEFERRED].tolist() == ["2", "104", "86", "830"]
    assert shown[t("cap.col.use_saved")].tolist() == SAVED[USE].tolist()
    assert shown[t("cap.col.use_delta")].tolist() == [
        f"{d:,.1f}" for d in (proposed["use"] - saved["use"]) * 100
    ]
    assert shown[t("cap.col.use_delta")].tolist() == ["0.0", "10.1", "1.1", "-5.6"]
    assert shown[t("cap.col.deferred_delta")].tolist() == ["0", "104", "-33", "168"]
    assert t(
        "cap.whatif.deferred",
        month=MONTH,
        count="1,022",
        roles="支局长 2、理财经理 104、大堂经理 86、高柜 830",
    ) in [w.value for w in at.warning]
    # nothing saved: 任务分配 still shows the saved policy's plan
    pd.testing.assert_frame_equal(_use(_run(page_test("assignment", "branch_head"))), SAVED)


def test_without_a_roster_the_what_if_estimates_the_contacts_each_role_is_asked_for(tmp_path):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    result = read_customers(demo_export(AS_OF, customers=300), as_of=AS_OF, file_name="目标客户查询.csv")
    import_snapshot(engine, result, outlet=OUTLET, as_of=AS_OF, user="seed")
    engine.dispose()
    with database_env(url):
        at = _run(page_test("strategy", "branch_head"))
    assert t("ui.strategy.no_roster") in [c.value for c in at.caption]
    shown = table_with(at, t("ui.col.demand"))
    assert list(shown.columns) == [ROLE, t("ui.col.demand")]
    assert shown[ROLE].tolist() == ["支局长", "理财经理", "高柜"]


def test_above_the_automatic_size_a_proposal_is_planned_when_the_head_asks(seeded, monkeypatch):
    import views.strategy

    monkeypatch.setattr(views.strategy, "AUTO_PLAN_CUSTOMERS", 1000)  # the seeded outlet has 1,500 customers
    at = _run(page_test("strategy", "branch_head"))
    at.number_input(key="wi.lower.mid").set_value(30000.0)
    _run(at)
    # the tier figures follow at once; the table still shows the saved plan, and says so
    pd.testing.assert_frame_equal(_use(at), SAVED)
    assert t("cap.whatif.not_planned", month=MONTH, days=23) in [c.value for c in at.caption]
    at.button(key="wi_plan_button").click()
    _run(at)
    assert _use(at)[USE].tolist() == ["98.3%", "99.9%", "103.5%", "133.0%"]
    # planned once: a rerun of the same proposal shows its plan without another click
    at.number_input(key="wi.mat.window").set_value(30)
    _run(at)
    assert _use(at)[t("cap.col.use_saved")].tolist() == SAVED[USE].tolist()


def test_a_load_change_too_small_to_show_reads_zero_not_minus_zero():

    class _Ctx:
        @staticmethod
        def t(key, **fields):
            from core.i18n import t

            return t(key, "zh", **fields)

    roles = pd.DataFrame(
        {
            "role": ["高柜"],
            "staff": [1],
            "customers": [10],
            "owed": [50.0],
            "planned": [50.0],
            "deferred": [0],
            "capacity": [100.0],
            "use": [0.4999],
        }
    )
    saved = roles.assign(use=[0.5])
    frame, kinds = role_use_table(_Ctx(), roles, saved)
    shown = display_frame(frame, kinds)
    assert shown.loc[0, "负荷变化(百分点)"] == "0.0"
    assert shown.loc[0, "现行策略负荷"] == "50.0%" and shown.loc[0, "负荷"] == "50.0%"
