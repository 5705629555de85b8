"""AppTests of 经营成效 (branch heads) and 全市网点 (admin), on the seeded pair of tests/builders/outcomes.py."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t
from core.services.reads import load_handovers
from core.storage import ensure_schema, make_engine
from tests.builders import outcomes as s
from tests.builders.app import database_env, page_test
from tests.builders.stored import save_policy

SCRIPT = """
import importlib
from ui.context import Ctx
from ui.data import get_engine

ctx = Ctx(
    username="admin_user", name="admin", role="admin", outlet={outlet!r}, staff_name=None, lang="zh",
    engine=get_engine(), read_only=True,
)
importlib.import_module("views.outcomes").render(ctx)
"""


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    s.seed(engine)
    s.seed(engine, outlet="城西支局")
    save_policy(engine, s.policy(), user="admin", outlet=s.OUTLET)
    engine.dispose()
    with database_env(url):
        yield url


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_head_sees_the_outcomes_of_the_two_newest_snapshots(db):
    at = run(page_test("outcomes", "branch_head", outlet=s.OUTLET))
    got = metrics(at)
    assert got["客户数"] == "10"
    assert got["升层客户"] == "3"
    assert got["降层客户"] == "2"
    assert got["其中资金留存"] == "2 / 6"
    groups = at.dataframe[1].value
    assert groups.iloc[:, 0].tolist() == ["期间已触达", "期间未触达"]
    assert groups.iloc[:, 1].tolist() == ["4", "5"]
    staff = at.dataframe[2].value
    assert staff.iloc[:, 0].tolist() == ["李强", "王芳"]
    assert got["达标有礼人数"] == "4"
    assert got["已交付"] == "1"  # C01, from the 联络表 note
    assert [w.value for w in at.warning] == [t("ui.outcomes.over_budget", "zh", value="380", budget="300")]
    assert len(at.get("download_button")) == 2


def test_head_records_a_handover_and_the_list_counts_it(db):
    at = run(page_test("outcomes", "branch_head", outlet=s.OUTLET))
    next(sb for sb in at.selectbox if sb.label == "达标客户").set_value("C06")
    next(d for d in at.date_input if d.label == "交付日期").set_value(s.TO)
    next(x for x in at.text_input if x.label == "交付人").input("李强")
    next(b for b in at.button if b.label == "登记交付").click()
    run(at)
    assert metrics(at)["已交付"] == "2"
    assert [x.value for x in at.success] == ["已登记：C06 于 2026-11-30 交付"]
    engine = make_engine(db)
    stored = load_handovers(engine, s.OUTLET, "2026-10-31~2026-11-30")
    assert stored[["customer_id", "staff_name"]].values.tolist() == [["C06", "李强"]]


def test_admin_drilled_in_sees_the_outlet_read_only(db):
    at = run(AppTest.from_string(SCRIPT.format(outlet=s.OUTLET), default_timeout=60))
    assert at.title[0].value == "经营成效"
    assert t("ui.outcomes.read_only", "zh") in [c.value for c in at.caption]
    assert metrics(at)["升层客户"] == "3"
    assert not [b for b in at.button if b.label == "登记交付"]


def test_an_outlet_with_one_snapshot_is_told_to_import_another(tmp_path):
    url = f"sqlite:///{tmp_path / 'one.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    s.seed(engine)
    from core.services.reads import find_snapshot
    from tests.builders.stored import delete_snapshot

    delete_snapshot(engine, find_snapshot(engine, s.OUTLET, s.FROM)["id"], user="t")
    engine.dispose()
    with database_env(url):
        at = run(page_test("outcomes", "branch_head", outlet=s.OUTLET))
    assert [i.value for i in at.info] == [t("ui.outcomes.need_two", "zh", n=1)]


def test_staff_are_refused_the_outcomes_and_city_pages(db):
    for page in ("outcomes", "city"):
        at = run(page_test(page, "staff", outlet=s.OUTLET, staff_name="王芳"))
        assert [e.value for e in at.error] == [t("ui.refused", "zh", role=t("ui.role.staff", "zh"))]


def test_city_view_lists_the_outlets_side_by_side_and_drills_in(db):
    at = run(page_test("city", "admin", outlet=None))
    table = at.dataframe[0].value
    assert table["网点"].tolist() == ["城东支局", "城西支局"]
    assert table["客户数"].tolist() == [10, 10]
    assert table["户均余额"].tolist() == [65_300.0, 65_300.0]
    assert table["升层"].tolist() == [3, 3]
    assert table["活动礼品支出"].tolist() == [10.0, 0.0]
    at.selectbox(key="city_drill").set_value("城西支局")
    at.button(key="city_drill_go").click()
    run(at)
    assert at.session_state["outlet_choice"] == "城西支局"
    assert at.session_state["admin_drill_outlet"] == "城西支局"
    assert [x.value for x in at.success] == [t("ui.city.drilled", "zh", outlet="城西支局")]


def test_branch_heads_are_refused_the_city_view(db):
    at = run(page_test("city", "branch_head", outlet=s.OUTLET))
    assert [e.value for e in at.error] == [t("ui.refused", "zh", role=t("ui.role.branch_head", "zh"))]


def test_head_sets_the_campaign_window_and_budget_as_a_new_policy_version(db):
    at = run(page_test("outcomes", "branch_head", outlet="城西支局"))
    assert t("ui.outcomes.no_window_here", "zh") in [i.value for i in at.info]  # the form below, not TOML
    next(d for d in at.date_input if d.label == "活动开始日期").set_value(s.FROM)
    next(d for d in at.date_input if d.label == "活动结束日期").set_value(s.TO)
    next(n for n in at.number_input if n.label == "预算（元）").set_value(500.0)
    next(b for b in at.button if b.label == "保存活动设置").click()
    run(at)
    assert [x.value for x in at.success] == ["已保存为策略第 1 版"]
    got = metrics(at)
    assert got["达标有礼人数"] == "4"
    assert got["已交付"] == "1"  # C01, per the 联络表
    assert got["预算余额（元）"] == "500"  # the default policy leaves every gift's value blank (0 元)
    from core.services.reads import active_policy_version

    policy, version = active_policy_version(make_engine(db), "城西支局")
    assert version == 1
    assert (policy.campaign.start, policy.campaign.end, policy.campaign.budget) == (
        "2026-10-31",
        "2026-11-30",
        500.0,
    )


FRAME = """
import streamlit as st
from ui.data import get_engine
from ui.frame import build_context, sidebar

st.session_state["username"] = "cityadmin"
ctx = build_context(get_engine(), "zh")
sidebar(ctx)
st.text(f"{ctx.outlet}|{ctx.read_only}")
"""


def test_the_frame_marks_the_drilled_outlet_read_only_until_the_admin_leaves(db):
    from core.services.accounts import add_user

    add_user(make_engine(db), "cityadmin", "city-admin-pass-1", role="admin")
    at = AppTest.from_string(FRAME, default_timeout=60)
    at.session_state["outlet_choice"] = "城西支局"
    at.session_state["admin_drill_outlet"] = "城西支局"
    run(at)
    assert at.text[0].value == "城西支局|True"
    assert [w.value for w in at.sidebar.warning] == [t("ui.readonly_banner", "zh", outlet="城西支局")]
    at.sidebar.button(key="leave_drill").click()
    run(at)
    assert at.text[0].value == "城西支局|False"
    at.session_state["admin_drill_outlet"] = "城西支局"
    at.sidebar.selectbox(key="outlet_choice").set_value("城东支局")
    run(at)
    assert at.text[0].value == "城东支局|False"  # another outlet chosen in the sidebar is not read-only


@pytest.mark.parametrize(("page", "role"), [("outcomes", "branch_head"), ("city", "admin")])
def test_both_pages_open_in_english(db, page, role):
    at = run(page_test(page, role, outlet=s.OUTLET if role != "admin" else None, lang="en"))
    assert at.title[0].value == t(f"ui.page.{page}", "en")
