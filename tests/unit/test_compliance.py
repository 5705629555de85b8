"""The compliance engine on constructed plans and logs: exact figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.compliance import compliance, parse_period, requirements, trend
from core.errors import ConsoleError
from tests.builders.compliance import MATURITY, POLICY, REMINDERS, contact, judge, plan_row, reminder

# ------------------------------------------------------------------ periods


def test_periods_parse_month_iso_week_and_quarter():
    assert parse_period("2026-11").start == dt.date(2026, 11, 1)
    assert parse_period("2026-11").end == dt.date(2026, 11, 30)
    week = parse_period("2026-W48")
    assert (week.kind, week.start, week.end) == ("week", dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    quarter = parse_period("2026-Q4")
    assert (quarter.start, quarter.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert quarter.months() == ["2026-10", "2026-11", "2026-12"]
    assert parse_period("2026-W01").start == dt.date(2025, 12, 29)
    assert parse_period("2026-W49").months() == ["2026-11", "2026-12"]


@pytest.mark.parametrize("text", ["2026-13", "2026-W54", "2026-Q5", "November", "2026-11-05"])
def test_unknown_period_is_refused_with_the_accepted_forms(text):
    with pytest.raises(ConsoleError, match="2026-W48"):
        parse_period(text)


# ------------------------------------------------------------------ cadence


def test_a_week_with_one_phone_call_meets_a_weekly_phone_cadence():
    result = judge([plan_row("C1", "phone", "2026-11-02")], [contact("C1", "电话", "2026-11-06")])
    assert result.requirements["met"].tolist() == [True]
    assert result.overall == 1.0


def test_a_call_in_the_following_week_does_not_meet_last_weeks_duty():
    result = judge([plan_row("C1", "phone", "2026-11-02")], [contact("C1", "电话", "2026-11-09")])
    assert result.requirements["status"].tolist() == ["overdue"]
    assert result.overall == 0.0


def test_a_weekly_duty_planned_on_the_30th_runs_to_that_weeks_sunday():
    result = judge([plan_row("C1", "phone", "2026-11-30")], [contact("C1", "电话", "2026-12-04")])
    req = result.requirements.iloc[0]
    assert (req["window_start"], req["window_end"]) == (
        pd.Timestamp("2026-11-30"),
        pd.Timestamp("2026-12-06"),
    )
    assert bool(req["met"])


def test_a_month_with_one_sms_meets_a_monthly_sms_cadence():
    plan = [plan_row("C2", "sms", "2026-11-10", tier="potential")]
    result = judge(plan, [contact("C2", "短信", "2026-11-28")])
    assert result.requirements["met"].tolist() == [True]
    assert result.requirements["period_kind"].tolist() == ["month"]


def test_an_sms_in_october_does_not_meet_novembers_sms():
    plan = [plan_row("C2", "sms", "2026-11-10", tier="potential")]
    assert judge(plan, [contact("C2", "短信", "2026-10-31")]).overall == 0.0


def test_wechat_counts_for_phone_and_sms_but_a_call_does_not_count_for_sms():
    plan = [
        plan_row("C1", "phone", "2026-11-02", tier="basic"),
        plan_row("C1", "sms", "2026-11-03", tier="basic"),
    ]
    assert judge(plan, [contact("C1", "微信", "2026-11-05")]).overall == 1.0
    assert judge(plan, [contact("C1", "电话", "2026-11-05")]).requirements["met"].tolist() == [True, False]


def test_one_visit_meets_both_the_visit_and_the_quarterly_gift():
    plan = [
        plan_row("C9", "visit", "2026-10-06", tier="high"),
        plan_row("C9", "gift", "2026-10-07", tier="high"),
    ]
    result = judge(plan, [contact("C9", "上门", "2026-10-20")], period="2026-Q4")
    assert result.requirements["met"].tolist() == [True, True]


def test_a_quarterly_gift_planned_in_october_is_met_by_a_december_branch_visit():
    plan = [plan_row("C9", "gift", "2026-10-07", tier="high")]
    assert judge(plan, [contact("C9", "厅堂", "2026-12-15")], period="2026-Q4").overall == 1.0


def test_two_plan_rows_in_one_month_need_two_contacts():
    plan = [
        plan_row("C3", "sms", "2026-11-03", tier="basic"),
        plan_row("C3", "sms", "2026-11-17", tier="basic"),
    ]
    result = judge(plan, [contact("C3", "短信", "2026-11-04")])
    req = result.requirements
    assert (len(req), int(req["required"].iloc[0]), int(req["done"].iloc[0])) == (1, 2, 1)
    assert not bool(req["met"].iloc[0])
    assert result.overall == 0.5


def test_results_outside_counted_results_do_not_count():
    strict = POLICY.with_changes(
        {"compliance": {"counted_results": ["已联络", "已邀约", "已到访", "已成交"]}}
    )
    plan = pd.DataFrame([plan_row("C1", "phone", "2026-11-02")])
    log = pd.DataFrame([contact("C1", "电话", "2026-11-03", result="未接通")])
    assert compliance(plan, log, POLICY, "2026-11").overall == 1.0
    assert compliance(plan, log, strict, "2026-11").overall == 0.0


def test_any_staff_members_contact_counts_for_the_planned_owner():
    result = judge(
        [plan_row("C1", "phone", "2026-11-02")], [contact("C1", "电话", "2026-11-03", staff="张伟")]
    )
    assert result.summary()["by_staff"] == {"李娜": 1.0}


def test_the_same_contact_logged_twice_counts_once():
    plan = [
        plan_row("C3", "sms", "2026-11-03", tier="basic"),
        plan_row("C3", "sms", "2026-11-17", tier="basic"),
    ]
    twice = [contact("C3", "短信", "2026-11-04"), contact("C3", "短信", "2026-11-04")]
    assert int(judge(plan, twice).requirements["done"].iloc[0]) == 1


# ------------------------------------------------------------------ 731 reminders


def test_a_731_call_on_its_date_meets_it():
    result = judge(REMINDERS[:1], [contact("M1", "电话", "2026-11-13", staff="王强")])
    assert result.overall == 1.0


def test_a_late_731_call_does_not_count():
    result = judge(REMINDERS[:1], [contact("M1", "电话", "2026-11-14", staff="王强")])
    assert result.requirements["status"].tolist() == ["overdue"]


def test_each_731_reminder_needs_its_own_contact():
    result = judge(REMINDERS, [contact("M1", "电话", "2026-11-10", staff="王强")])
    assert result.requirements["met"].tolist() == [True, False, False]
    calls = [
        contact("M1", "短信", "2026-11-12"),
        contact("M1", "电话", "2026-11-16"),
        contact("M1", "上门", "2026-11-18"),
    ]
    assert judge(REMINDERS, calls).requirements["met"].tolist() == [True, True, True]


def test_the_first_731_reminder_accepts_calls_from_when_the_maturity_list_goes_out():
    early = (pd.Timestamp(MATURITY) - pd.Timedelta(days=POLICY.maturity.window_days)).strftime("%Y-%m-%d")
    too_early = (pd.Timestamp(early) - pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    assert judge(REMINDERS[:1], [contact("M1", "电话", early)]).overall == 1.0
    assert judge(REMINDERS[:1], [contact("M1", "电话", too_early)]).overall == 0.0


def test_a_731_reminder_is_not_met_by_a_branch_visit():
    assert judge(REMINDERS[:1], [contact("M1", "厅堂", "2026-11-12")]).overall == 0.0


def test_731_reminders_moved_to_the_same_friday_share_one_window():
    # maturity Monday 23rd: 3 days before is Friday 20th, 1 day before (Sunday) also moves to Friday 20th
    plan = [reminder("M2", 3, "2026-11-20", "2026-11-23"), reminder("M2", 1, "2026-11-20", "2026-11-23")]
    result = judge(plan, [contact("M2", "电话", "2026-11-20")])
    assert result.requirements["met"].tolist() == [True, True]


# ------------------------------------------------------------------ roll-ups


def test_summary_has_the_cli_shape_with_exact_rates():
    plan = [
        plan_row("C1", "phone", "2026-11-02"),
        plan_row("C1", "phone", "2026-11-09"),
        plan_row("C1", "visit", "2026-11-05"),
        plan_row("C2", "sms", "2026-11-10", tier="potential", staff="王强"),
        *REMINDERS,
    ]
    log = [
        contact("C1", "电话", "2026-11-04"),
        contact("C1", "上门", "2026-11-25"),
        contact("C2", "短信", "2026-11-28", staff="王强"),
        contact("M1", "电话", "2026-11-12", staff="王强", result="未接通"),
    ]
    result = judge(plan, log)
    assert result.summary() == {
        "overall": 4 / 7,
        "by_tier": {"potential": 1.0, "basic": 1 / 3, "mid": 2 / 3},
        "by_staff": {"李娜": 2 / 3, "王强": 2 / 4},
        "overdue": 3,
    }
    weeks = result.by_week.set_index("week")
    assert weeks.loc["2026-W45", ["required", "met"]].tolist() == [2, 2]
    assert weeks.loc["2026-W46", ["required", "met"]].tolist() == [3, 2]
    assert weeks.loc["2026-W47", ["required", "met"]].tolist() == [2, 0]
    cells = result.by_staff_week.set_index(["staff", "week"])["rate"].to_dict()
    assert cells == {
        ("李娜", "2026-W45"): 1.0,
        ("李娜", "2026-W46"): 0.0,
        ("王强", "2026-W46"): 1.0,
        ("王强", "2026-W47"): 0.0,
    }


def test_overdue_list_puts_high_tiers_and_large_assets_first():
    plan = [
        plan_row("B1", "phone", "2026-11-02", tier="basic", assets=40000),
        plan_row("H1", "phone", "2026-11-09", tier="high", assets=300000),
        plan_row("H2", "phone", "2026-11-16", tier="high", assets=900000),
        plan_row("M1", "phone", "2026-11-02", tier="mid", assets=120000),
    ]
    assert judge(plan, []).overdue["customer_id"].tolist() == ["H2", "H1", "M1", "B1"]


def test_as_of_keeps_requirements_not_yet_due_pending_and_ignores_later_contacts():
    plan = [plan_row("C1", "phone", "2026-11-02"), plan_row("C1", "phone", "2026-11-16")]
    log = [contact("C1", "电话", "2026-11-17")]
    result = judge(plan, log, as_of=dt.date(2026, 11, 10))
    assert result.requirements["status"].tolist() == ["overdue", "pending"]
    assert result.summary()["overdue"] == 1
    assert judge(plan, log, as_of=dt.date(2026, 11, 30)).requirements["status"].tolist() == ["overdue", "met"]


def test_funnel_counts_each_customer_at_its_furthest_stage_and_every_stage_before():
    plan = [plan_row(c, "phone", "2026-11-02") for c in ("A", "B", "C", "D", "E")]
    log = [
        contact("A", "电话", "2026-11-03", result="未接通"),
        contact("B", "电话", "2026-11-03"),
        contact("C", "电话", "2026-11-03", result="已邀约"),
        contact("D", "电话", "2026-11-03", result="已邀约"),
        contact("D", "厅堂", "2026-11-06", result="已成交"),
        contact("E", "电话", "2026-10-28", result="已成交"),  # before the period: not in November's funnel
    ]
    mid = judge(plan, log).funnel.set_index("tier").loc["mid"]
    assert mid.tolist() == [5, 3, 2, 1, 1]


def test_a_week_period_takes_only_requirements_due_that_week():
    plan = [plan_row("C1", "phone", "2026-11-23"), plan_row("C1", "phone", "2026-11-30")]
    result = judge(plan, [contact("C1", "电话", "2026-11-24")], period="2026-W48")
    assert result.required == 1
    assert result.overall == 1.0


def test_stored_plan_items_use_their_period_kind_and_reminder_offset():
    stored = pd.DataFrame(
        [
            {**plan_row("C1", "phone", "2026-11-02"), "period_kind": "month", "required_count": 1},
            {**reminder("M1", 7, "2026-11-13", MATURITY), "period_kind": None, "required_count": 1},
        ]
    ).rename(columns={"staff": "staff_name", "offset": "reminder_offset"})
    req = requirements(stored, POLICY)
    assert req["period_kind"].tolist()[0] == "month"
    assert req["window_end"].iloc[0] == pd.Timestamp("2026-11-30")
    assert req.loc[req["kind"] == "reminder_731", "offset"].tolist() == [7]


def test_a_plan_row_whose_tier_has_no_such_cadence_is_an_error():
    with pytest.raises(ConsoleError, match="联络频次"):
        requirements(pd.DataFrame([plan_row("C1", "visit", "2026-11-02", tier="potential")]), POLICY)


def test_trend_gives_one_rate_per_month():
    plan = [plan_row("C1", "visit", "2026-10-05"), plan_row("C1", "visit", "2026-11-05")]
    log = pd.DataFrame([contact("C1", "上门", "2026-11-06")])
    frame = trend(pd.DataFrame(plan), log, POLICY, ["2026-10", "2026-11", "2026-12"])
    assert frame["required"].tolist() == [1, 1, 0]
    assert frame["met"].tolist() == [0, 1, 0]
    assert frame["rate"].tolist()[:2] == [0.0, 1.0]
    assert pd.isna(frame["rate"].iloc[2])


def test_an_empty_plan_gives_no_requirements_and_no_rate():
    columns = ["staff", "customer_id", "channel", "kind", "due_date"]
    result = compliance(
        pd.DataFrame(columns=columns), pd.DataFrame([contact("C1", "电话", "2026-11-02")]), POLICY, "2026-11"
    )
    assert (result.required, result.overall, len(result.overdue)) == (0, None, 0)
    with pytest.raises(ConsoleError, match="2026-11 没有应联络的要求"):
        result.summary()
    assert result.funnel["planned"].tolist() == [0, 0, 0, 0]
