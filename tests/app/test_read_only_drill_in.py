"""An admin who opened an outlet from 全市网点 (查看该网点) looks and does not change: every write control is
disabled with a one-line notice, and the services refuse a read-only actor's writes."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core import clock, services
from core.demo import OUTLET
from core.errors import AuthError
from core.i18n import t
from core.ingest import read_customers
from core.policy import Policy
from core.roles import Actor
from core.services.reads import active_policy, list_snapshots, load_contacts
from core.storage.engine import make_engine
from tests.builders.app import AS_OF, database_env, seed_outlet
from tests.builders.app import ran as run

SCRIPT = """
import datetime
import importlib
from ui.context import Ctx
from ui.data import get_engine

ctx = Ctx(
    username="city_admin", name="市分行管理员", role="admin", outlet={outlet!r}, staff_name=None, lang="zh",
    engine=get_engine(), today=datetime.date.fromisoformat({today!r}), read_only={read_only!r},
)
importlib.import_module("views.{page}").render(ctx)
"""
NOTICE = t("readonly.notice", "zh")
READ_ONLY = Actor("city_admin", "admin", OUTLET, read_only=True)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("readonly") / "console.db")
    with database_env(data.url):
        yield data


def drilled(page: str, read_only: bool = True) -> AppTest:
    script = SCRIPT.format(outlet=OUTLET, today=clock.today().isoformat(), read_only=read_only, page=page)
    return AppTest.from_string(script, default_timeout=60)


def notices(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def test_upload_save_is_disabled_and_the_service_refuses_the_snapshot(seeded):
    engine = make_engine(seeded.url)
    at = run(drilled("upload"))
    at.file_uploader(key="up_file").set_value(("目标客户查询.csv", seeded.export, "text/csv"))
    run(at)
    assert at.button(key="up_save").disabled
    assert notices(at).count(NOTICE) == 1
    before = len(list_snapshots(engine, OUTLET))
    got = services.read_export(
        read_customers(seeded.export, as_of=AS_OF, file_name="目标客户查询.csv"), [], AS_OF
    )
    with pytest.raises(AuthError, match="只读查看的会话不能修改网点"):
        services.import_export(engine, READ_ONLY, OUTLET, got, replace=True)
    assert len(list_snapshots(engine, OUTLET)) == before


def test_the_same_admin_not_drilled_in_may_save(seeded):
    at = run(drilled("upload", read_only=False))
    at.file_uploader(key="up_file").set_value(("目标客户查询.csv", seeded.export, "text/csv"))
    run(at)
    assert NOTICE not in notices(at)
    assert not at.button(key="up_save").disabled


def test_strategy_what_if_stays_open_but_save_is_disabled_and_the_service_refuses(seeded):
    engine = make_engine(seeded.url)
    at = run(drilled("strategy"))
    at.number_input(key="wi.lower.mid").set_value(60000.0)
    run(at)
    assert at.button(key="wi_save_button").disabled  # a valid, changed proposal: only read-only disables it
    assert notices(at).count(NOTICE) == 1
    proposed = Policy.default().with_changes({"branch_head": {"top_n": 0}})
    with pytest.raises(AuthError, match="只读查看"):
        services.save_policy(engine, READ_ONLY, OUTLET, proposed, "")
    with pytest.raises(AuthError, match="只读查看"):
        services.activate_policy(engine, READ_ONLY, OUTLET, 1)
    assert active_policy(engine, OUTLET).fingerprint() == Policy.default().fingerprint()


def test_contact_entry_is_disabled_and_the_service_refuses_the_contact(seeded):
    engine = make_engine(seeded.url)
    at = run(drilled("compliance"))
    save = next(b for b in at.button if b.label == "保存联络记录")
    assert save.disabled
    assert NOTICE in notices(at)
    customer = str(seeded.assignment["customer_id"].iloc[0])
    staff = str(seeded.assignment["staff"].iloc[0])
    before = len(load_contacts(engine, OUTLET))
    with pytest.raises(AuthError, match="只读查看"):
        services.log_contact(
            engine,
            READ_ONLY,
            OUTLET,
            policy=Policy.default(),
            today=clock.today(),
            contact_date=clock.today(),
            staff_name=staff,
            customer_id=customer,
            channel="电话",
            result="已联系",
        )
    assert len(load_contacts(engine, OUTLET)) == before


def test_roster_save_and_publish_are_disabled_on_the_assignment_page(seeded):
    at = run(drilled("assignment"))
    assert at.button(key="as_roster_save").disabled
    assert at.button(key="as_publish").disabled
    assert NOTICE in notices(at)


def test_the_pages_actor_carries_the_read_only_flag():
    from ui.context import Ctx

    ctx = Ctx("a", "a", "admin", OUTLET, None, "zh", engine=None, read_only=True)
    assert ctx.actor.read_only and not Ctx("a", "a", "admin", OUTLET, None, "zh", engine=None).actor.read_only
