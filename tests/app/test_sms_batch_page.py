"""联络合规 → 群发短信 on the seeded demo outlet: the month's batch per person, confirmed with one click; the
compliance figures of the same run count it; staff see and confirm their own; a read-only session cannot."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from core import services
from core.demo import OUTLET
from core.errors import AuthError, ConsoleError
from core.i18n import t
from core.localtime import local_text
from core.policy import Policy
from core.roles import Actor
from core.services.reads import audit_entries, load_contacts
from core.storage.engine import make_engine
from tests.builders.app import MONTH, database_env, metric_number, page_test, seed_outlet
from tests.builders.app import ran as run

TODAY = dt.date(2026, 12, 3)
HEADINGS = ["员工", "名单客户", "已记短信", "状态", "发送日期", "确认人", "确认时间"]


@pytest.fixture()
def seeded(tmp_path):
    data = seed_outlet(tmp_path / "console.db")
    with database_env(data.url):
        yield data


def batches(at: AppTest) -> list[list]:
    """The 群发短信 table as shown (the last dataframe of the page), the time column left out."""
    frame = at.dataframe[-1].value
    assert list(frame.columns) == HEADINGS
    return frame[HEADINGS[:-1]].values.tolist()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_head_confirms_a_batch_with_one_click_and_the_figures_count_it_at_once(seeded):
    at = run(page_test("compliance", "branch_head", today=TODAY))
    assert [tab.label for tab in at.tabs] == ["合规情况", "登记联络", "联络记录", "群发短信", "导入联络表"]
    assert batches(at) == [
        ["刘洋", 364, 0, "未确认", "—", "—"],
        ["赵丽", 663, 0, "未确认", "—", "—"],
        ["陈静", 327, 0, "未确认", "—", "—"],
    ]
    # 253 due by 12-03 (one more than before the catch-up of a small amount's passed reminder SMS was fixed)
    before = metrics(at)
    assert (before["合规率"], metric_number(before["已到期"]), metric_number(before["已完成"])) == (
        "0%",
        253,
        0,
    )
    assert at.selectbox(key="cp_sms_staff").value == "刘洋"  # the first batch not confirmed yet
    at.selectbox(key="cp_sms_staff").set_value("陈静")
    at.date_input(key="cp_sms_day").set_value(dt.date(2026, 12, 2))
    at.button(key="cp_sms_confirm").click()
    run(at)
    assert [s.value for s in at.success] == [
        "已确认 陈静 2026-12 的群发短信（2026-12-02 发送），新记 327 位客户的短信联络"
    ]
    assert batches(at)[2] == ["陈静", 327, 327, "已确认", "2026-12-02", "branch_head_user"]
    times = at.dataframe[-1].value["确认时间"].tolist()
    assert times[:2] == ["—", "—"]
    stamp = load_contacts(make_engine(seeded.url), OUTLET, staff="陈静")["created_at"].max()
    assert times[2] == local_text(stamp)  # the console's local time, not the stored UTC
    after = metrics(at)  # the same run: no reload
    assert (after["合规率"], metric_number(after["已到期"]), metric_number(after["已完成"])) == (
        "63%",
        632,
        400,
    )
    assert metric_number(after["逾期未联络"]) == 232
    engine = make_engine(seeded.url)
    stored = load_contacts(engine, OUTLET, staff="陈静")
    assert (len(stored), set(stored["channel"]), set(stored["contact_date"].dt.date)) == (
        327,
        {"短信"},
        {dt.date(2026, 12, 2)},
    )
    entry = audit_entries(engine, outlet=OUTLET)[0]
    assert (entry["action"], entry["username"]) == ("sms.confirm", "branch_head_user")
    assert entry["detail"] == {
        "month": MONTH,
        "staff": "陈静",
        "sent": "2026-12-02",
        "customers": 327,
        "new": 327,
    }


def test_staff_see_and_confirm_their_own_batch_only(seeded):
    at = run(page_test("compliance", "staff", staff_name="刘洋", today=TODAY))
    assert batches(at) == [["刘洋", 364, 0, "未确认", "—", "—"]]
    assert at.selectbox(key="cp_sms_staff").disabled
    at.button(key="cp_sms_confirm").click()  # sent today, the form's default
    run(at)
    assert batches(at) == [["刘洋", 364, 364, "已确认", "2026-12-03", "staff_user"]]
    with pytest.raises(ConsoleError, match="只能确认自己"):
        services.confirm_sms_batch(
            make_engine(seeded.url),
            Actor("staff_user", "staff", OUTLET, staff_name="刘洋"),
            OUTLET,
            MONTH,
            "陈静",
            day=TODAY,
            policy=Policy.default(),
        )


def test_a_read_only_session_sees_the_batches_and_cannot_confirm(seeded):
    script = f"""
import datetime
import importlib
from ui.context import Ctx
from ui.data import get_engine

ctx = Ctx(
    username="city_admin", name="市分行管理员", role="admin", outlet={OUTLET!r}, staff_name=None, lang="zh",
    engine=get_engine(), today=datetime.date.fromisoformat({TODAY.isoformat()!r}), read_only=True,
)
importlib.import_module("views.compliance").render(ctx)
"""
    at = run(AppTest.from_string(script, default_timeout=60))
    assert len(batches(at)) == 3
    assert at.button(key="cp_sms_confirm").disabled
    assert t("readonly.notice", "zh") in [i.value for i in at.info]
    engine = make_engine(seeded.url)
    with pytest.raises(AuthError, match="只读查看"):
        services.confirm_sms_batch(
            engine,
            Actor("city_admin", "admin", OUTLET, read_only=True),
            OUTLET,
            MONTH,
            "陈静",
            day=TODAY,
            policy=Policy.default(),
        )
    assert len(load_contacts(engine, OUTLET, staff="陈静")) == 0
