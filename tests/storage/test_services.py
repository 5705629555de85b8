"""The service layer: one function per workflow, the same for the CLI and the pages, each checking the role."""

from __future__ import annotations

import datetime as dt

import pytest

from core import services
from core.compliance import cadence_periods, requirements
from core.demo import OUTLET, demo_export, demo_maturities, demo_roster
from core.errors import AuthError, StorageError
from core.ingest import read_customers
from core.maturity import read_maturities
from core.policy import Policy
from core.roles import Actor
from core.roster import read_roster
from core.segment import segment
from core.services.reads import (
    get_snapshot,
    list_policies,
    list_snapshots,
    load_customers,
    load_customers_with_maturities,
    load_maturities,
    load_period_plan,
    load_setting,
)

AS_OF = dt.date(2026, 11, 30)
POLICY = Policy.default()
HEAD = Actor("head", "branch_head", OUTLET)
OTHER_HEAD = Actor("west", "branch_head", "城西支局")
ADMIN = Actor("root", "admin")
LI_MIN = Actor("limin", "staff", OUTLET, "李敏")  # a 理财经理 of the demo roster


@pytest.fixture(scope="module")
def export() -> services.ExportRead:
    result = read_customers(demo_export(AS_OF, customers=200, seed=5), as_of=AS_OF, file_name="export.csv")
    notice = read_maturities(demo_maturities(AS_OF, customers=200, items=30, seed=6), file_name="notice.csv")
    return services.read_export(result, [notice], AS_OF)


@pytest.fixture(scope="module")
def bundle(export) -> services.PlanBundle:
    roster = read_roster(demo_roster(), policy=POLICY, file_name="roster.csv")
    seg = segment(export.customers, POLICY, AS_OF)
    return services.plan_bundle(seg, roster, POLICY, "2026-12", AS_OF, export.items)


def test_reading_an_export_folds_the_notices_in_without_storing_anything(export):
    assert (export.result.rows_read, len(export.customers), len(export.items)) == (276, 200, 30)
    assert int(export.items["matched"].sum()) == 28
    assert int(export.result.customers["maturity_date"].notna().sum()) == 50  # the export's own dates
    assert int(export.customers["maturity_date"].notna().sum()) == 67  # with the notices' dates merged in


def test_an_import_stores_the_export_as_read_and_its_notices_beside_it(db_engine, export):
    sid = services.import_export(db_engine, HEAD, OUTLET, export)
    stored = load_customers(db_engine, sid)
    assert int(stored["maturity_date"].notna().sum()) == 50
    assert len(load_maturities(db_engine, sid)) == 30
    assert int(load_customers_with_maturities(db_engine, sid)["maturity_date"].notna().sum()) == 67
    files = get_snapshot(db_engine, sid)["maturity_files"]
    assert [{k: v for k, v in f.items() if k != "sha256"} for f in files] == [
        {"file": "notice.csv", "rows_read": 30, "items": 30, "rows_rejected": 0}
    ]
    assert files[0]["sha256"] == export.notices[0].sha256


@pytest.mark.parametrize("actor", [LI_MIN, OTHER_HEAD], ids=["staff", "head of another outlet"])
def test_only_a_manager_of_the_outlet_may_import_and_nothing_is_stored_otherwise(db_engine, export, actor):
    with pytest.raises(AuthError):
        services.import_export(db_engine, actor, OUTLET, export)
    assert list_snapshots(db_engine) == []


def test_an_admin_may_import_into_any_outlet(db_engine, export):
    sid = services.import_export(db_engine, ADMIN, OUTLET, export)
    assert [s["id"] for s in list_snapshots(db_engine, OUTLET)] == [sid]


def test_a_published_plan_keeps_the_period_of_every_cadence_row(db_engine, export, bundle):
    services.import_export(db_engine, HEAD, OUTLET, export)
    stored = services.publish_plan(db_engine, HEAD, OUTLET, bundle, policy=POLICY, as_of=AS_OF)
    assert stored == {
        "outlet": OUTLET,
        "snapshot_id": 1,
        "snapshot": "existing",
        "period": "2026-12",
        "plan_rows": 524,
    }
    plan = load_period_plan(db_engine, OUTLET, "2026-12")
    # December still owes Q4's quarterly duties (no log); 7 of the 81 reminders are catch-ups on 12-01 (one of
    # them also that week's routine call)
    assert plan["kind"].value_counts().to_dict() == {"cadence": 442, "reminder_731": 81, "birthday": 1}
    # a 731 call is also the routine call of its month (基础) or quarter (潜力): 5 and 23 routine rows fewer
    assert plan["period_kind"].value_counts().to_dict() == {"month": 238, "quarter": 115, "week": 89}
    assert plan.loc[plan["kind"] != "cadence", "period_kind"].isna().sum() == 82
    cadence = bundle.plan.loc[bundle.plan["kind"] == "cadence"]
    assert (
        plan.loc[plan["kind"] == "cadence", "period_kind"].tolist()
        == cadence_periods(cadence, POLICY).tolist()
    )


def test_a_plan_published_with_its_export_imports_the_snapshot_first(db_engine, export, bundle):
    stored = services.publish_plan(db_engine, HEAD, OUTLET, bundle, policy=POLICY, as_of=AS_OF, export=export)
    assert (stored["snapshot"], stored["plan_rows"]) == ("imported", 524)
    assert int(load_customers(db_engine, stored["snapshot_id"])["maturity_date"].notna().sum()) == 50


def test_a_plan_without_a_snapshot_of_its_date_or_an_export_is_refused(db_engine, bundle):
    with pytest.raises(StorageError, match="没有 2026-11-30 的客户数据快照"):
        services.publish_plan(db_engine, HEAD, OUTLET, bundle, policy=POLICY, as_of=AS_OF)


def test_staff_may_not_publish_a_plan(db_engine, export, bundle):
    services.import_export(db_engine, HEAD, OUTLET, export)
    with pytest.raises(AuthError):
        services.publish_plan(db_engine, LI_MIN, OUTLET, bundle, policy=POLICY, as_of=AS_OF)


def test_staff_see_only_their_own_requirements_whatever_they_ask(db_engine, export, bundle):
    services.publish_plan(db_engine, HEAD, OUTLET, bundle, policy=POLICY, as_of=AS_OF, export=export)
    own = requirements(bundle.plan.loc[bundle.plan["staff"] == "李敏"], POLICY)
    for asked in (None, "周建国"):
        got = services.period_compliance(
            db_engine, LI_MIN, OUTLET, "2026-12", policy=POLICY, as_of=dt.date(2026, 12, 31), staff=asked
        )
        assert set(got.result.requirements["staff"]) == {"李敏"}
        assert got.result.required == int(own["required"].sum()) > 0
        assert got.result.met_contacts == 0
    everyone = services.period_compliance(
        db_engine, HEAD, OUTLET, "2026-12", policy=POLICY, as_of=dt.date(2026, 12, 31)
    )
    assert everyone.result.required == int(requirements(bundle.plan, POLICY)["required"].sum())
    assert everyone.trend.empty


def test_snapshots_of_another_outlet_are_not_compared(db_engine, export):
    first = services.import_export(db_engine, HEAD, OUTLET, export)
    later = services.read_export(
        read_customers(demo_export(AS_OF, customers=50, seed=9), as_of=AS_OF, file_name="west.csv"), [], AS_OF
    )
    west = services.import_export(db_engine, ADMIN, "城西支局", later)
    with pytest.raises(StorageError, match=f"快照 #{west} 不属于网点"):
        services.compare_snapshots(db_engine, HEAD, OUTLET, first, west, POLICY)
    with pytest.raises(StorageError):
        services.compare_snapshots(db_engine, HEAD, OUTLET, first, first, POLICY)


def test_a_snapshot_is_found_by_date_or_the_dates_there_are_are_named(db_engine, export):
    services.import_export(db_engine, HEAD, OUTLET, export)
    assert services.snapshot_on(db_engine, HEAD, OUTLET, AS_OF)["id"] == 1
    with pytest.raises(StorageError, match="2026-11-30"):
        services.snapshot_on(db_engine, HEAD, OUTLET, dt.date(2026, 10, 31))


def test_policies_are_saved_and_activated_by_the_outlets_managers_only(db_engine, export):
    services.import_export(db_engine, HEAD, OUTLET, export)
    assert (
        services.save_policy(db_engine, HEAD, OUTLET, POLICY.with_tier_lowers({"mid": 60_000}), "高一档") == 1
    )
    assert services.save_policy(db_engine, HEAD, OUTLET, POLICY) == 2
    for actor in (LI_MIN, OTHER_HEAD):
        with pytest.raises(AuthError):
            services.save_policy(db_engine, actor, OUTLET, POLICY)
        with pytest.raises(AuthError):
            services.activate_policy(db_engine, actor, OUTLET, 1)
    restored = services.activate_policy(db_engine, HEAD, OUTLET, 1)
    assert restored.tier("mid").lower == 60_000
    assert [(p["version"], bool(p["active"])) for p in list_policies(db_engine, OUTLET)] == [
        (2, False),
        (1, True),
    ]


def test_the_command_line_acts_as_the_machines_operator():
    assert services.operator("zhang") == Actor("zhang", "admin")
    services.require(services.operator("zhang"), {"admin"}, "任何网点")


def test_an_unknown_role_is_refused():
    with pytest.raises(AuthError, match="访客"):
        services.require(Actor("x", "访客", OUTLET), {"admin", "branch_head"}, OUTLET)


def test_the_roster_and_the_column_mapping_are_kept_by_managers_only(db_engine):
    roster = read_roster(demo_roster(), policy=POLICY, file_name="roster.csv")
    with pytest.raises(AuthError):
        services.save_roster(db_engine, LI_MIN, OUTLET, roster.staff)
    assert services.save_roster(db_engine, HEAD, OUTLET, roster.staff) == 6
    with pytest.raises(AuthError):
        services.remember_mapping(db_engine, LI_MIN, OUTLET, {"assets": "余额"})
    services.remember_mapping(db_engine, HEAD, OUTLET, {"assets": "余额"})
    assert load_setting(db_engine, OUTLET, services.imports.MAPPING_KEY) == {"assets": "余额"}
