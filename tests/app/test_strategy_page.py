"""分层策略 page: the other rules (maturity, holidays, roles, compliance), the policy file, and version history.

Expected figures are computed here with pandas/numpy on the seeded customers, independently of the page.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
import tomli_w

from core.demo import OUTLET
from core.history import compare
from core.i18n import t
from core.policy import Policy
from core.segment import segment
from core.services.reads import active_policy_version, list_policies
from core.storage.engine import ensure_schema, make_engine
from core.whatif import (
    days_to_maturity,
    maturing_count,
    outflow_count,
    policy_file_name,
    reminder_count,
)
from tests.builders.app import (
    AS_OF,
    PREVIOUS,
    database_env,
    metric_number,
    page_test,
    seed_outlet,
    table_with,
)
from tests.builders.app import ran as _run
from tests.builders.capacity import service_capacity_use
from tests.builders.stored import save_policy, save_staff
from ui.text import plain


@pytest.fixture
def seeded(tmp_path):
    data = seed_outlet(tmp_path / "console.db")
    with database_env(data.url):
        yield data


def _metric(at, label: str) -> float:
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return metric_number(found[0].value)


def _maturing(latest: pd.DataFrame, days: int) -> int:
    dates = pd.to_datetime(latest["maturity_date"])
    start = pd.Timestamp(AS_OF)
    return int(((dates >= start) & (dates <= start + pd.Timedelta(days=days))).sum())


def _reminders(latest: pd.DataFrame, days: int, offsets: list[int]) -> int:
    left = (pd.to_datetime(latest["maturity_date"]) - pd.Timestamp(AS_OF)).dt.days
    due = left[(left >= 0) & (left <= days)]
    return sum(int((due >= offset).sum()) for offset in offsets)


def _tier_counts(assets: np.ndarray, lowers: list[float]) -> list[int]:
    edges = [*lowers, np.inf]
    return [int(((assets >= lo) & (assets < hi)).sum()) for lo, hi in itertools.pairwise(edges)]


def _problems(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("- ")]


def test_changing_the_maturity_window_changes_the_maturing_count_exactly(seeded):
    at = _run(page_test("strategy", "branch_head"))
    thirty, ten = _maturing(seeded.latest, 30), _maturing(seeded.latest, 10)
    assert 0 < ten < thirty
    assert _metric(at, t("ui.strategy.maturing", "zh", days=30)) == thirty
    at.number_input(key="wi.mat.window").set_value(10)
    _run(at)
    shown = [m for m in at.metric if m.label == t("ui.strategy.maturing", "zh", days=10)]
    assert metric_number(shown[0].value) == ten
    assert shown[0].delta == f"{ten - thirty:+,}"
    # "731": one reminder per offset not yet passed
    assert _metric(at, t("ui.strategy.reminders", "zh")) == _reminders(seeded.latest, 10, [7, 3, 1])


def test_reminder_offsets_typed_in_any_order_count_the_reminders_still_ahead(seeded):
    at = _run(page_test("strategy", "branch_head"))
    assert _metric(at, t("ui.strategy.reminders", "zh")) == _reminders(seeded.latest, 30, [7, 3, 1])
    at.text_input(key="wi.mat.offsets").set_value("3，14")  # full-width comma, any order
    _run(at)
    expected = _reminders(seeded.latest, 30, [14, 3])
    assert expected != _reminders(seeded.latest, 30, [7, 3, 1])
    assert _metric(at, t("ui.strategy.reminders", "zh")) == expected
    assert not at.button(key="wi_save_button").disabled


def test_an_invalid_holiday_shows_the_validation_message_and_disables_save(seeded):
    at = _run(page_test("strategy", "branch_head"))
    at.text_area(key="wi.cal.holidays").set_value("2027-01-01\n\n2027-13-01")
    _run(at)
    assert at.error[0].value == t("ui.strategy.invalid", "zh")
    assert _problems(at) == ["- " + plain(t("ui.strategy.bad_holiday", "zh", line=3, value="2027-13-01"))]
    assert at.button(key="wi_save_button").disabled
    assert at.download_button(key="wi_download").disabled
    assert not at.button(key="wi_discard_button").disabled


def test_a_bad_offset_and_an_empty_owner_list_are_listed_together(seeded):
    at = _run(page_test("strategy", "branch_head"))
    at.text_input(key="wi.mat.offsets").set_value("7,三,1")
    at.multiselect(key="wi.roles.mid").set_value([])
    _run(at)
    problems = _problems(at)
    assert "- " + t("ui.strategy.bad_offset", "zh", value="三") in problems
    assert "- “中端客户”没有指定负责岗位" in problems
    assert at.button(key="wi_save_button").disabled


def test_other_rules_are_saved_into_the_new_active_version(seeded):
    at = _run(page_test("strategy", "branch_head"))
    at.number_input(key="wi.mat.window").set_value(45)
    at.text_input(key="wi.mat.offsets").set_value("10,5,1")
    at.toggle(key="wi.mat.shift").set_value(False)
    at.number_input(key="wi.value.reminder_min_amount").set_value(500.0)
    at.text_area(key="wi.cal.workdays").set_value("2026-10-10")
    at.multiselect(key="wi.cal.weekdays").set_value([1, 2, 3, 4, 5, 6])
    at.text_area(key="wi.cal.holidays").set_value("2027-02-17\n2027-01-01\n2027-01-01")
    at.multiselect(key="wi.rem.tiers").set_value(["high"])
    at.number_input(key="wi.rem.days").set_value(5)
    at.number_input(key="wi.hist.outflow").set_value(20.0)
    at.number_input(key="wi.wl.capacity").set_value(120.0)
    at.number_input(key="wi.wl.weeks").set_value(4.0)
    at.number_input(key="wi.wl.effort.gift").set_value(0.5)
    at.multiselect(key="wi.comp.counted").set_value(["已联络", "已成交"])
    at.multiselect(key="wi.roles.basic").set_value(["大堂经理"])
    at.selectbox(key="wi.order.mid").set_value("assets_desc")
    _run(at)
    at.button(key="wi_save_button").click()
    _run(at)
    policy, version = active_policy_version(make_engine(seeded.url), OUTLET)
    assert version == 1
    assert policy.maturity.window_days == 45
    assert policy.maturity.reminder_offsets == (10, 5, 1)
    assert policy.maturity.shift_weekends is False
    assert policy.value.reminder_min_amount == 500.0
    assert policy.calendar.workdays == (dt.date(2026, 10, 10),)
    assert policy.calendar.weekdays == (1, 2, 3, 4, 5, 6)
    assert policy.calendar.holidays == (dt.date(2027, 1, 1), dt.date(2027, 2, 17))
    assert policy.reminders.birthday_tiers == ("high",)
    assert policy.reminders.birthday_days_before == 5
    assert policy.history.outflow_pct == 20.0
    assert policy.workload.default_capacity_per_week == 120.0
    assert policy.workload.weeks_per_month == 4.0
    assert policy.workload.channel_effort["gift"] == 0.5
    assert policy.compliance.counted_results == ("已联络", "已成交")
    assert policy.tier("basic").owner_roles == ("大堂经理",)
    assert policy.tier("mid").order_by == "assets_desc"
    # untouched rules stay as they were
    assert policy.tier("mid").lower == 50_000 and policy.branch_head.top_n == 50


def test_uploading_a_toml_with_mid_lower_60000_changes_the_counts_exactly(seeded):
    at = _run(page_test("strategy", "branch_head"))
    text = Policy.default().with_tier_lowers({"mid": 60_000}).to_toml()
    at.file_uploader(key="wi_upload").set_value(("策略.toml", text.encode("utf-8"), "application/toml"))
    _run(at)
    expected = _tier_counts(seeded.assets, [0, 10_000, 60_000, 200_000])
    assert [metric_number(m.value) for m in at.metric[:4]] == expected
    moved = int(((seeded.assets >= 50_000) & (seeded.assets < 60_000)).sum())
    assert moved > 0 and at.metric[2].delta == f"{-moved:+,}"
    assert at.number_input(key="wi.lower.mid").value == 60_000.0
    assert at.success[0].value == t("ui.strategy.loaded", "zh", file="策略.toml")
    assert not at.button(key="wi_save_button").disabled
    # discarding goes back to the saved policy
    at.button(key="wi_discard_button").click()
    _run(at)
    assert [metric_number(m.value) for m in at.metric[:4]] == _tier_counts(
        seeded.assets, [0, 10_000, 50_000, 200_000]
    )


def test_uploading_an_invalid_toml_lists_the_problems_in_chinese_and_keeps_the_counts(seeded):
    at = _run(page_test("strategy", "branch_head"))
    before = [m.value for m in at.metric[:4]]
    data = Policy.default().to_dict()
    data["history"]["outflow_pct"] = 130
    data["tiers"][2]["lower"] = 5_000
    at.file_uploader(key="wi_upload").set_value(("坏策略.toml", tomli_w.dumps(data).encode(), "text/plain"))
    _run(at)
    assert at.error[0].value == t("ui.strategy.upload_bad", "zh", file=plain("坏策略.toml"))
    problems = _problems(at)
    assert "- 流失预警比例必须在 0 到 100 之间" in problems
    assert any("递增" in p for p in problems)
    assert [m.value for m in at.metric[:4]] == before
    at.file_uploader(key="wi_upload").set_value(("乱码.toml", "名称 = [".encode("gbk"), "text/plain"))
    _run(at)
    assert _problems(at) == ["- " + plain(t("ui.strategy.not_utf8", "zh"))]


def test_restoring_an_older_version_makes_it_active_in_storage(seeded):
    engine = make_engine(seeded.url)
    save_policy(
        engine, Policy.default().with_tier_lowers({"mid": 60_000}), user="周", outlet=OUTLET, note="试行"
    )
    save_policy(engine, Policy.default(), user="周", outlet=OUTLET, note="回到默认")
    at = _run(page_test("strategy", "branch_head"))
    table = at.dataframe[-1].value
    assert table[t("ui.col.version", "zh")].tolist() == [2, 1]
    assert table[t("ui.col.active", "zh")].tolist() == [True, False]
    assert table[t("ui.col.note", "zh")].tolist() == ["回到默认", "试行"]
    at.selectbox(key="pv_pick").set_value(1)
    _run(at)
    at.button(key="pv_restore").click()
    _run(at)
    policy, version = active_policy_version(engine, OUTLET)
    assert version == 1 and policy.tier("mid").lower == 60_000
    assert [r["active"] for r in list_policies(engine, OUTLET)] == [False, True]
    assert [metric_number(m.value) for m in at.metric[:4]] == _tier_counts(
        seeded.assets, [0, 10_000, 60_000, 200_000]
    )
    assert at.success[0].value == t("ui.strategy.restored", "zh", version=1)
    assert at.button(key="pv_restore").disabled  # version 1 is now the active one


def test_compare_lists_exactly_the_rules_that_differ(seeded):
    engine = make_engine(seeded.url)
    older = Policy.default().with_tier_lowers({"mid": 60_000}).with_changes({"maturity": {"window_days": 20}})
    save_policy(engine, older, user="周", outlet=OUTLET)
    save_policy(engine, Policy.default(), user="周", outlet=OUTLET)
    at = _run(page_test("strategy", "branch_head"))
    assert at.selectbox(key="pv_pick").value == 2  # the newest version
    at.selectbox(key="pv_pick").set_value(1)
    _run(at)
    at.button(key="pv_compare").click()
    _run(at)
    diff = at.table[-1].value
    assert diff[t("ui.col.rule", "zh")].tolist() == ["tiers.mid.lower", "maturity.window_days"]
    assert diff[t("ui.col.in_version", "zh", version=1)].tolist() == ["60,000", "20"]
    assert diff[t("ui.col.in_active", "zh")].tolist() == ["50,000", "30"]


def test_without_saved_versions_the_history_says_which_policy_applies(seeded):
    at = _run(page_test("strategy", "branch_head"))
    no_versions = t("ui.strategy.no_versions", "zh", policy=t("ui.policy.default", "zh"))
    assert no_versions in [c.value for c in at.caption]


def test_staff_cannot_open_the_page_or_its_history(seeded):
    at = _run(page_test("strategy", "staff", staff_name="王芳"))
    assert [e.value for e in at.error] == [t("ui.refused", "zh", role=t("ui.role.staff", "zh"))]
    assert not at.metric and not at.dataframe and not at.subheader


def test_policy_file_name_names_outlet_and_date():
    assert policy_file_name("城西支局", dt.date(2026, 11, 29)) == "策略-城西支局-2026-11-29.toml"
    assert policy_file_name("a/b c", dt.date(2026, 1, 2)) == "策略-a_b_c-2026-01-02.toml"


def test_role_capacities_fill_blank_roster_capacities_and_a_month_is_its_working_days(seeded):
    engine = make_engine(seeded.url)
    roster = pd.DataFrame(
        {"name": ["周", "李", "王", "刘"], "role": ["支局长", "理财经理", "理财经理", "高柜"]}
    )  # no capacity column: every capacity blank
    save_staff(engine, OUTLET, roster, user="test")
    at = _run(page_test("strategy", "branch_head"))
    for role in ("支局长", "理财经理", "高柜"):
        at.number_input(key=f"wi.wl.capacity.{role}").set_value(100.0)
    at.number_input(key="wi.wl.weeks").set_value(4.0)
    _run(at)
    load = table_with(at, t("cap.col.owed", "zh")).set_index(t("ui.col.role", "zh"))
    # 100 a week is 20 a working day; December 2026 (planned from the 11-30 export) has 23 working days
    assert load[t("ui.col.capacity", "zh")].tolist() == ["460", "920", "460"]
    assert load.index.tolist() == ["支局长", "理财经理", "高柜"]


def test_doubling_every_channels_effort_doubles_the_effort_owed(seeded):
    at = _run(page_test("strategy", "branch_head"))
    col = t("cap.col.owed", "zh")
    before = table_with(at, col)[col]
    doubled = {"phone": 2.0, "sms": 0.1, "visit": 6.0, "gift": 0.4}
    for channel, value in doubled.items():
        at.number_input(key=f"wi.wl.effort.{channel}").set_value(value)
    _run(at)
    after = table_with(at, col)[col]
    policy = Policy.default().with_changes({"workload": {"channel_effort": doubled}})
    roles = service_capacity_use(seeded, policy)
    # what the page shows is the plan the service makes under the doubled weights ...
    assert after.tolist() == [f"{v:,.0f}" for v in roles["owed"]]
    # ... which owes every contact at twice its weight: the outlet's effort owed doubles
    saved = service_capacity_use(seeded, Policy.default())
    assert roles["owed"].sum() == pytest.approx(2 * saved["owed"].sum())
    assert before.tolist() == [f"{v:,.0f}" for v in saved["owed"]]


def test_the_page_opens_in_english_with_every_new_label_translated(seeded):
    at = _run(page_test("strategy", "branch_head", lang="en"))
    labels = {w.label for w in [*at.number_input, *at.text_input, *at.text_area, *at.multiselect]}
    assert t("ui.strategy.window", "en") in labels and t("ui.strategy.holidays", "en") in labels
    assert t("ui.strategy.maturing", "en", days=30) in [m.label for m in at.metric]


def test_without_a_snapshot_the_versions_can_still_be_restored(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    save_policy(engine, Policy.default().with_tier_lowers({"mid": 60_000}), user="周", outlet=OUTLET)
    save_policy(engine, Policy.default(), user="周", outlet=OUTLET)
    with database_env(url):
        at = _run(page_test("strategy", "branch_head"))
        assert at.info[0].value == t("ui.no_snapshot", "zh")
        assert at.dataframe[0].value[t("ui.col.version", "zh")].tolist() == [2, 1]
        at.selectbox(key="pv_pick").set_value(1)
        _run(at)
        at.button(key="pv_restore").click()
        _run(at)
    assert active_policy_version(engine, OUTLET)[1] == 1


def _outflow(seeded, pct: float, mid_lower: float) -> int:
    both = seeded.earlier[["customer_id", "assets"]].merge(
        seeded.latest[["customer_id", "assets"]], on="customer_id", suffixes=("_0", "_1")
    )
    drop = (both["assets_0"] - both["assets_1"]) / both["assets_0"] * 100
    return int(((both["assets_0"] >= mid_lower) & (drop > pct)).sum())


def test_outflow_percentage_and_mid_bound_change_the_outflow_alerts_exactly(seeded):
    at = _run(page_test("strategy", "branch_head"))
    label = t("ui.strategy.outflow_alerts", "zh", pct="30")
    assert _metric(at, label) == _outflow(seeded, 30, 50_000)
    assert str(PREVIOUS) in next(m for m in at.metric if m.label == label).help
    at.number_input(key="wi.hist.outflow").set_value(10.0)
    at.number_input(key="wi.lower.mid").set_value(80_000.0)
    _run(at)
    expected = _outflow(seeded, 10, 80_000)
    assert expected not in (_outflow(seeded, 30, 50_000), _outflow(seeded, 10, 50_000))
    assert _metric(at, t("ui.strategy.outflow_alerts", "zh", pct="10")) == expected


def _random_customers(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    maturity = pd.Series(pd.Timestamp(AS_OF) + pd.to_timedelta(rng.integers(-5, 60, n), unit="D"))
    maturity[rng.random(n) < 0.5] = pd.NaT
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(n)],
            "assets": np.round(rng.lognormal(np.log(40_000), 1.2, n), 2),
            "maturity_date": maturity.astype("datetime64[us]"),
        }
    )


@pytest.mark.parametrize("window", [1, 7, 30, 45])
def test_maturing_count_equals_the_segmented_maturing_flag(window):
    customers = _random_customers(3_000, 11)
    policy = Policy.default().with_changes({"maturity": {"window_days": window}})
    days = days_to_maturity(customers["maturity_date"].to_numpy(dtype="datetime64[D]"), AS_OF)
    assert maturing_count(days, policy) == int(segment(customers, policy, AS_OF)["maturing"].sum())


def test_a_reminder_on_its_offset_day_is_still_ahead_and_one_past_it_is_not():
    policy = Policy.default()  # 30 days, 7/3/1
    days = np.array([7.0, 6.0, 3.0, 1.0, 0.0, 30.0, 31.0, -1.0, np.nan])
    # 7 -> 3 reminders; 6 -> 2; 3 -> 2; 1 -> 1; 0 -> 0; 30 -> 3; 31, -1 and no date are not maturing
    assert reminder_count(days, policy) == 3 + 2 + 2 + 1 + 0 + 3
    assert maturing_count(days, policy) == 6


@pytest.mark.parametrize(("pct", "mid"), [(30, 50_000), (10, 50_000), (30, 80_000), (0, 150_000)])
def test_outflow_count_equals_history_compare(pct, mid):
    before = _random_customers(4_000, 3)
    after = before.sample(frac=0.9, random_state=1).copy()
    after["assets"] = np.round(after["assets"] * np.random.default_rng(5).uniform(0.4, 1.3, len(after)), 2)
    policy = Policy.default().with_tier_lowers({"mid": mid}).with_changes({"history": {"outflow_pct": pct}})
    moves = compare(before, after, Policy.default()).moves
    fast = outflow_count(moves["assets_before"].to_numpy(), moves["change_pct"].to_numpy(), policy)
    assert fast == compare(before, after, policy).summary()["outflow_alerts"]


def test_after_a_save_the_version_list_stays_on_the_new_version_with_its_local_save_time(seeded):
    from core.localtime import local_text

    engine = make_engine(seeded.url)
    save_policy(engine, Policy.default(), user="周", outlet=OUTLET, note="默认")
    at = _run(page_test("strategy", "branch_head"))
    at.number_input(key="wi.lower.mid").set_value(60000.0)
    _run(at)
    at.button(key="wi_save_button").click()
    _run(at)
    assert at.selectbox(key="pv_pick").value == 2  # not back to 第 1 版
    rows = list_policies(engine, OUTLET)
    table = at.dataframe[-1].value
    saved_at = pd.Timestamp(rows[0]["created_at"])  # stored in UTC
    assert table[t("ui.col.saved_at", "zh")].tolist()[0] == local_text(saved_at)
    assert local_text(saved_at) == (saved_at + pd.Timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")


def test_privacy_toggles_are_saved_into_the_new_active_version(seeded):
    at = _run(page_test("strategy", "branch_head"))
    assert at.toggle(key="wi.privacy.mask").value is True
    assert at.toggle(key="wi.privacy.hide").value is False
    at.toggle(key="wi.privacy.mask").set_value(False)
    at.toggle(key="wi.privacy.hide").set_value(True)
    _run(at)
    at.button(key="wi_save_button").click()
    _run(at)
    policy, _ = active_policy_version(make_engine(seeded.url), OUTLET)
    assert (policy.privacy.mask_phone, policy.privacy.hide_assets) == (False, True)


def test_offers_and_the_fitting_rules_are_edited_on_the_page_and_saved(seeded):
    at = _run(page_test("strategy", "branch_head"))
    at.number_input(key="wi.offers.max").set_value(2)
    at.multiselect(key="wi.offers.rules").set_value(["maturing", "tier"])
    at.multiselect(key="wi.offers.by_tier.potential").set_value(["定期"])
    at.toggle(key="wi.schedule.rebalance").set_value(False)
    at.multiselect(key="wi.schedule.defer_order").set_value(["near", "high", "mid", "basic", "potential"])
    _run(at)
    at.button(key="wi_save_button").click()
    _run(at)
    policy, version = active_policy_version(make_engine(seeded.url), OUTLET)
    assert version == 1
    assert (policy.offers.max_items, policy.offers.rules) == (2, ("maturing", "tier"))
    assert policy.offers.by_tier["potential"] == ("定期",)
    assert policy.offers.by_tier["high"] == Policy.default().offers.by_tier["high"]
    assert policy.schedule.rebalance is False
    assert policy.schedule.defer_order == ("near", "high", "mid", "basic", "potential")


def test_a_defer_order_missing_a_group_is_refused_and_save_disabled(seeded):
    at = _run(page_test("strategy", "branch_head"))
    at.multiselect(key="wi.schedule.defer_order").set_value(["high", "mid", "basic", "potential"])
    _run(at)
    assert at.button(key="wi_save_button").disabled
    assert at.error[0].value == t("ui.strategy.invalid", "zh")
    assert any("延后顺序必须恰好包含" in line for line in _problems(at))


def test_the_statutory_holidays_are_filled_in_for_the_head_to_edit(seeded):
    # In December the head prepares next year: 2026 is in the maintained package.
    at = _run(page_test("strategy", "branch_head", today=dt.date(2025, 12, 1)))
    at.button(key="wi.cal.copy").click()
    _run(at)
    holidays = at.text_area(key="wi.cal.holidays").value.splitlines()
    workdays = at.text_area(key="wi.cal.workdays").value.splitlines()
    assert [d for d in holidays if d.startswith("2026-10")] == [f"2026-10-0{i}" for i in range(1, 8)]
    assert workdays == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    # 2027 is not published in the package yet: nothing is invented and the head is told.
    later = _run(page_test("strategy", "branch_head", today=dt.date(2026, 12, 1)))
    later.button(key="wi.cal.copy").click()
    _run(later)
    assert later.text_area(key="wi.cal.holidays").value == ""
    assert any("2027 年的法定节假日与调休安排尚未收录" in w.value for w in later.warning)
