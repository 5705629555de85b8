"""Rosters, policy versions, assignments and plans, outlets: what is saved comes back exactly."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from core.errors import StorageError
from core.policy import Policy
from core.services.reads import (
    active_policy,
    audit_entries,
    list_policies,
    load_assignment,
    load_plan,
    load_policy_version,
    load_staff,
)
from core.storage.models import TABLES
from tests.builders.storage import customers_frame, ingest_result
from tests.builders.stored import (
    activate_policy,
    delete_snapshot,
    import_snapshot,
    save_assignment,
    save_policy,
    save_staff,
)

AS_OF = dt.date(2026, 11, 30)


def test_a_roster_saved_replaces_the_outlets_previous_one(db_engine):
    first = pd.DataFrame(
        {"name": ["王芳", "李强"], "role": ["支局长", "理财经理"], "capacity": [None, 120.0]}
    )
    assert save_staff(db_engine, "城东支局", first, user="zhiju") == 2
    second = pd.DataFrame(
        {
            "name": ["李强", "赵敏", "钱多"],
            "role": ["理财经理", "高柜", "大堂经理"],
            "capacity_per_week": [100, np.nan, 80],
        }
    )
    save_staff(db_engine, "城东支局", second)
    save_staff(db_engine, "城西支局", first)
    roster = load_staff(db_engine, "城东支局")
    assert roster.columns.tolist() == ["name", "role", "outlet", "capacity_per_week"]
    assert roster["name"].tolist() == ["李强", "赵敏", "钱多"]
    assert roster["outlet"].unique().tolist() == ["城东支局"]
    assert roster["capacity_per_week"].tolist()[::2] == [100.0, 80.0] and np.isnan(
        roster["capacity_per_week"][1]
    )
    assert load_staff(db_engine, "城西支局")["name"].tolist() == ["王芳", "李强"]
    assert load_staff(db_engine, "没有的网点").empty


def test_a_roster_with_a_repeated_name_is_refused_and_nothing_changes(db_engine):
    save_staff(db_engine, "城东支局", pd.DataFrame({"name": ["王芳"], "role": ["支局长"]}))
    with pytest.raises(StorageError, match="姓名重复：李强"):
        save_staff(db_engine, "城东支局", pd.DataFrame({"name": ["李强", "李强"], "role": ["高柜", "高柜"]}))
    assert load_staff(db_engine, "城东支局")["name"].tolist() == ["王芳"]


def test_without_a_saved_policy_the_default_applies(db_engine):
    assert active_policy(db_engine) == Policy.default()
    assert active_policy(db_engine, "城东支局") == Policy.default()


def test_policy_versions_count_per_scope_and_the_newest_is_active(db_engine):
    base = Policy.default()
    strict = base.with_changes({"history": {"outflow_pct": 20}})
    assert save_policy(db_engine, strict, user="city", note="全市口径") == 1
    assert save_policy(db_engine, base.with_tier_lowers({"mid": 60000}), user="zhiju", outlet="城东支局") == 1
    assert save_policy(db_engine, base.with_tier_lowers({"mid": 55000}), user="zhiju", outlet="城东支局") == 2
    assert active_policy(db_engine, "城东支局").tier("mid").lower == 55000
    assert active_policy(db_engine, "城西支局") == strict  # no policy of its own: the global one
    assert active_policy(db_engine) == strict
    versions = list_policies(db_engine, "城东支局")
    assert [(v["version"], v["active"], v["created_by"]) for v in versions] == [
        (2, True, "zhiju"),
        (1, False, "zhiju"),
    ]
    assert [v["note"] for v in list_policies(db_engine)] == ["全市口径"]
    assert load_policy_version(db_engine, 1, "城东支局").tier("mid").lower == 60000


def test_an_earlier_policy_version_can_be_made_active_again(db_engine):
    save_policy(db_engine, Policy.default().with_tier_lowers({"mid": 60000}), user="z", outlet="城东支局")
    save_policy(db_engine, Policy.default(), user="z", outlet="城东支局")
    activate_policy(db_engine, 1, user="z", outlet="城东支局")
    assert active_policy(db_engine, "城东支局").tier("mid").lower == 60000
    assert [v["active"] for v in list_policies(db_engine, "城东支局")] == [False, True]
    with pytest.raises(StorageError, match="没有版本号为 9 的策略"):
        activate_policy(db_engine, 9, user="z", outlet="城东支局")
    assert [e["action"] for e in audit_entries(db_engine)] == [
        "policy.activate",
        "policy.save",
        "policy.save",
    ]


def plan_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "staff": ["李强", "李强", "赵敏"],
            "customer_id": ["C0000001", "C0000001", "C0000002"],
            "name": ["客户1", "客户1", "客户2"],
            "tier": ["mid", "mid", "basic"],
            "channel": ["phone", "visit", "phone"],
            "kind": ["cadence", "reminder_731", "birthday"],
            "due_date": pd.to_datetime(["2026-12-01", "2026-12-03", "2026-12-09"]),
            "offset": pd.array([pd.NA, 7, pd.NA], dtype="Int64"),
            "product": [None, "定期三年", None],
            "amount": [np.nan, 50000.0, np.nan],
            "maturity_date": pd.to_datetime([None, "2026-12-10", None]),
        }
    )


def test_assignment_and_plan_are_saved_per_snapshot_and_period(db_engine):
    sid = import_snapshot(
        db_engine, ingest_result(customers_frame(3)), outlet="城东支局", as_of=AS_OF, user="z"
    )
    table = pd.DataFrame(
        {
            "customer_id": ["C0000000", "C0000001", "C0000002"],
            "staff": ["王芳", "李强", "赵敏"],
            "role": ["支局长", "理财经理", "高柜"],
            "reason": ["top_n", "manager", "balanced"],
        }
    )
    assert save_assignment(db_engine, sid, table, plan_frame(), "2026-12") == 3
    save_assignment(db_engine, sid, table, plan_frame().iloc[:1], "2027-01")
    assert save_assignment(db_engine, sid, table, plan_frame().iloc[1:], "2026-12") == 2  # replaces December
    pd.testing.assert_frame_equal(load_assignment(db_engine, sid), table.astype("string"))
    december = load_plan(db_engine, outlet="城东支局", period="2026-12")
    assert december["channel"].tolist() == ["visit", "phone"]
    assert december["offset"].tolist()[0] == 7 and december["required_count"].tolist() == [1, 1]
    assert december["due_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-12-03", "2026-12-09"]
    assert december["maturity_date"].iloc[0] == pd.Timestamp("2026-12-10")
    assert len(load_plan(db_engine, outlet="城东支局", period="2027-01")) == 1


def test_a_plan_period_must_be_a_month(db_engine):
    sid = import_snapshot(
        db_engine, ingest_result(customers_frame(1)), outlet="城东支局", as_of=AS_OF, user="z"
    )
    with pytest.raises(StorageError, match="格式应为 YYYY-MM"):
        save_assignment(db_engine, sid, pd.DataFrame({"customer_id": [], "staff": []}), None, "2026-13")


def test_deleting_a_snapshot_removes_everything_stored_with_it(db_engine):
    sid = import_snapshot(
        db_engine, ingest_result(customers_frame(3)), outlet="城东支局", as_of=AS_OF, user="z"
    )
    save_assignment(
        db_engine,
        sid,
        pd.DataFrame({"customer_id": ["C0000000"], "staff": ["王芳"]}),
        plan_frame(),
        "2026-12",
    )
    delete_snapshot(db_engine, sid, user="z")
    with db_engine.connect() as conn:
        for name in ("snapshot", "snapshot_customer", "snapshot_rejection", "assignment", "plan_item"):
            assert conn.scalar(select(func.count()).select_from(TABLES[name])) == 0, name
