"""延后 N beside the compliance figures on 联络合规, 经营成效 and 全市网点 (issue 19 item 8 shown): the demo outlet
with November and December published, read through ``services.deferred_count`` (tests/storage/test_deferred_counts)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders.app import OUTLET, database_env, page_test, ran
from tests.builders.deferred import seed_published_months

DECEMBER_DAY = dt.date(2026, 12, 10)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_published_months(tmp_path_factory.mktemp("deferred_pages") / "console.db")
    with database_env(data.url):
        yield data


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_compliance_shows_the_months_deferrals_in_total_and_per_person(seeded):
    at = ran(page_test("compliance", "branch_head", today=DECEMBER_DAY))
    assert metrics(at)["延后"] == "783"
    assert "延后 783：2026-12 已发布计划中因联络能力不足延后的联络" in captions(at)
    staff = next(d.value for d in at.dataframe if "员工" in d.value.columns and "延后" in d.value.columns)
    assert dict(zip(staff["员工"], staff["延后"], strict=True)) == {
        "刘洋": 238,
        "周建国": 2,
        "李敏": 0,
        "王海燕": 0,
        "赵丽": 424,
        "陈静": 119,
    }


def test_staff_see_their_own_deferrals(seeded):
    at = ran(page_test("compliance", "staff", staff_name="刘洋", today=DECEMBER_DAY))
    assert metrics(at)["延后"] == "238"
    assert "延后 238：2026-12" in captions(at)


def test_a_week_counts_the_deferrals_planned_for_its_days(seeded):
    at = ran(page_test("compliance", "branch_head", today=DECEMBER_DAY))
    at.radio(key="cp_kind").set_value("week")
    ran(at)
    at.selectbox(key="cp_period_week").set_value("2026-W49")
    ran(at)
    assert metrics(at)["延后"] == "170"


def test_outcomes_shows_the_deferrals_of_the_plans_between_the_two_exports(seeded):
    at = ran(page_test("outcomes", "branch_head", today=DECEMBER_DAY))
    assert "延后 738：2026-11-01 至 2026-11-30 已发布计划中因联络能力不足延后的联络" in captions(at)
    # no contact logged in the demo outlet: no per-person outcome rows, the per-person N is in the caption
    assert "（保留原定日期）。按人：赵丽 481、刘洋 257" in captions(at)


def test_the_city_view_lists_each_outlets_deferrals_of_its_compliance_month(seeded):
    at = ran(page_test("city", "admin", outlet=None, today=DECEMBER_DAY))
    table = at.dataframe[0].value.set_index("网点")
    assert (table.loc[OUTLET, "合规期间"], table.loc[OUTLET, "延后"]) == ("2026-12", 783)
