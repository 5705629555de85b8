"""Small storage lookups the console relies on: per-outlet settings, the policy in force, published months."""

from __future__ import annotations

from core.services.reads import audit_entries, load_setting
from tests.builders.stored import save_setting


def test_a_setting_is_remembered_per_outlet_and_replaced_whole(db_engine):
    save_setting(
        db_engine,
        "城关支局",
        "column_mapping",
        {"assets": "余额(万元)", "customer_id": "客户号"},
        user="zhiju",
    )
    save_setting(db_engine, "东街支局", "column_mapping", {"assets": "AUM"}, user="dongjie")
    save_setting(db_engine, "城关支局", "column_mapping", {"assets": "资产余额"}, user="zhiju")
    assert load_setting(db_engine, "城关支局", "column_mapping") == {"assets": "资产余额"}
    assert load_setting(db_engine, "东街支局", "column_mapping") == {"assets": "AUM"}


def test_an_unknown_setting_or_outlet_is_none(db_engine):
    assert load_setting(db_engine, "城关支局", "column_mapping") is None
    save_setting(db_engine, "城关支局", "column_mapping", {}, user="zhiju")
    assert load_setting(db_engine, "城关支局", "other") is None
    assert load_setting(db_engine, "西街支局", "column_mapping") is None


def test_every_change_is_in_the_audit_log(db_engine):
    save_setting(db_engine, "城关支局", "column_mapping", {"assets": "AUM"}, user="zhiju")
    entries = [
        e for e in audit_entries(db_engine, outlet="城关支局") if e["action"] == "setting:column_mapping"
    ]
    assert len(entries) == 1
    assert entries[0]["username"] == "zhiju"
    assert entries[0]["detail"] == {"value": {"assets": "AUM"}}


def test_the_policy_in_force_comes_with_its_version(db_engine):
    from core.policy import Policy
    from core.services.reads import active_policy_version
    from tests.builders.stored import save_policy

    assert active_policy_version(db_engine, "城关支局") == (Policy.default(), None)
    branch = Policy.default().with_changes({"branch_head": {"top_n": 40}})
    save_policy(db_engine, branch, user="admin")
    assert active_policy_version(db_engine, "城关支局") == (branch, 1)
    outlet = branch.with_tier_lowers({"mid": 60000})
    save_policy(db_engine, outlet, user="zhiju", outlet="城关支局")
    assert active_policy_version(db_engine, "城关支局") == (outlet, 1)
    assert active_policy_version(db_engine, "东街支局") == (branch, 1)


def test_published_plan_months_of_a_snapshot_newest_first(db_engine):
    import datetime as dt

    import pandas as pd

    from core.demo import demo_export
    from core.ingest import read_customers
    from core.services.reads import plan_periods
    from tests.builders.stored import import_snapshot, save_assignment

    as_of = dt.date(2026, 11, 30)
    result = read_customers(demo_export(as_of, customers=5, seed=1), as_of=as_of, file_name="e.csv")
    snapshot = import_snapshot(db_engine, result, outlet="城关支局", as_of=as_of, user="t")
    assert plan_periods(db_engine, snapshot) == []
    table = pd.DataFrame(
        {"customer_id": result.customers["customer_id"], "staff": "李敏", "role": "理财经理"}
    )
    plan = pd.DataFrame(
        {
            "staff": ["李敏"],
            "customer_id": [result.customers["customer_id"].iloc[0]],
            "name": ["x"],
            "tier": ["potential"],
            "channel": ["sms"],
            "kind": ["cadence"],
            "due_date": [pd.Timestamp("2026-12-01")],
        }
    )
    for month in ("2026-12", "2027-01"):
        save_assignment(db_engine, snapshot, table, plan, month, user="t")
    assert plan_periods(db_engine, snapshot) == ["2027-01", "2026-12"]
