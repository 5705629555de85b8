"""The services refuse every write of a read-only session (an admin who opened an outlet from 全市网点), and
nothing is stored; the same admin outside the drill-in writes as before."""

from __future__ import annotations

import datetime as dt

import pytest

from core import services
from core.demo import OUTLET, demo_export
from core.errors import AuthError
from core.ingest import read_customers
from core.policy import Policy
from core.roles import Actor
from core.services.reads import list_policies, list_snapshots, load_contacts, load_setting

AS_OF = dt.date(2026, 11, 30)
READ_ONLY = Actor("root", "admin", OUTLET, read_only=True)
ADMIN = Actor("root", "admin", OUTLET)
REFUSED = f"只读查看的会话不能修改网点“{OUTLET}”的数据"


@pytest.fixture(scope="module")
def export() -> services.ExportRead:
    result = read_customers(demo_export(AS_OF, customers=50, seed=7), as_of=AS_OF, file_name="export.csv")
    return services.read_export(result, [], AS_OF)


def test_a_read_only_session_stores_no_snapshot_mapping_or_policy(db_engine, export):
    with pytest.raises(AuthError, match=REFUSED):
        services.import_export(db_engine, READ_ONLY, OUTLET, export)
    with pytest.raises(AuthError, match=REFUSED):
        services.remember_mapping(db_engine, READ_ONLY, OUTLET, {"客户号": "customer_id"})
    with pytest.raises(AuthError, match=REFUSED):
        services.save_policy(db_engine, READ_ONLY, OUTLET, Policy.default(), "")
    assert list_snapshots(db_engine, OUTLET) == []
    assert load_setting(db_engine, OUTLET, services.imports.MAPPING_KEY) is None
    assert list_policies(db_engine, OUTLET) == []


def test_a_read_only_session_logs_corrects_removes_no_contact_and_records_no_gift(db_engine, export):
    services.import_export(db_engine, ADMIN, OUTLET, export)  # the same admin, not drilled in, may
    version = services.save_policy(db_engine, ADMIN, OUTLET, Policy.default(), "")
    customer = str(export.customers["customer_id"].iloc[0])
    with pytest.raises(AuthError, match=REFUSED):
        services.log_contact(
            db_engine,
            READ_ONLY,
            OUTLET,
            policy=Policy.default(),
            today=AS_OF,
            contact_date=AS_OF,
            staff_name="李敏",
            customer_id=customer,
            channel="电话",
            result="已联系",
        )
    with pytest.raises(AuthError, match="只读查看"):
        services.correct_contact(db_engine, READ_ONLY, 1, policy=Policy.default(), today=AS_OF, note="x")
    with pytest.raises(AuthError, match="只读查看"):
        services.remove_contact(db_engine, READ_ONLY, 1)
    with pytest.raises(AuthError, match=REFUSED):
        services.activate_policy(db_engine, READ_ONLY, OUTLET, version)
    with pytest.raises(AuthError, match=REFUSED):
        services.record_gift(
            db_engine, READ_ONLY, OUTLET, Policy.default(), customer_id=customer, handed_on=AS_OF
        )
    assert len(load_contacts(db_engine, OUTLET)) == 0
    assert len(list_snapshots(db_engine, OUTLET)) == 1


def test_a_read_only_session_saves_no_roster_and_publishes_no_plan(db_engine, export):
    from core.roster import roster_from_frame
    from core.segment import segment
    from core.services.reads import load_staff, stored_periods
    from tests.builders.customers import staff

    services.import_export(db_engine, ADMIN, OUTLET, export)
    roster = roster_from_frame(
        staff(("周建国", "支局长"), ("李敏", "理财经理"), ("刘洋", "高柜")), policy=Policy.default()
    )
    with pytest.raises(AuthError, match=REFUSED):
        services.save_roster(db_engine, READ_ONLY, OUTLET, roster.staff)
    seg = segment(export.customers, Policy.default(), AS_OF)
    bundle = services.plan_bundle(seg, roster, Policy.default(), "2026-12", AS_OF, export.items)
    with pytest.raises(AuthError, match=REFUSED):
        services.publish_plan(db_engine, READ_ONLY, OUTLET, bundle, policy=Policy.default(), as_of=AS_OF)
    assert load_staff(db_engine, OUTLET).empty
    assert stored_periods(db_engine, OUTLET) == []
