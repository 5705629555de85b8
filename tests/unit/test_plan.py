"""The monthly contact plan: weeks, working days, quarter months, spreading, 731 and birthday reminders."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core.assign import assign
from core.calendar import parse_month, plan_weeks, working_days
from core.errors import ConsoleError
from core.plan import build_plan, quarter_met, sheet_order
from core.policy import Policy
from core.segment import segment
from tests.builders.customers import AS_OF, customers, staff

POLICY = Policy.default()
ROSTER = staff(("周", "支局长"), ("李", "理财经理"), ("陈", "大堂经理"), ("刘", "高柜"))


def plan_for(rows, month, *, policy=POLICY, items=None, as_of=AS_OF):
    seg = segment(customers(rows), policy, as_of)
    return build_plan(seg, assign(seg, ROSTER, policy), policy, month, maturity_items=items)


def days(series) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in pd.to_datetime(series)]


def test_month_forms_and_a_bad_month():
    assert (
        parse_month("2026-12") == parse_month((2026, 12)) == parse_month(dt.date(2026, 12, 5)) == (2026, 12)
    )
    with pytest.raises(ConsoleError, match="YYYY-MM"):
        parse_month("2026-13")
    with pytest.raises(ConsoleError, match="YYYY-MM"):
        parse_month("December")


def test_working_days_are_monday_to_friday():
    december = working_days(2026, 12)
    assert len(december) == 23
    assert str(december[0]) == "2026-12-01" and str(december[-1]) == "2026-12-31"
    assert all(pd.Timestamp(d).weekday() < 5 for d in december)


def test_weeks_are_the_whole_iso_weeks_with_a_working_day_in_the_month():
    # December 2026 starts on a Tuesday: the week of 11-30 straddles November and December.
    assert [str(w[0]) for w in plan_weeks(2026, 12)] == [
        "2026-11-30",
        "2026-12-07",
        "2026-12-14",
        "2026-12-21",
        "2026-12-28",
    ]
    assert [str(d) for d in plan_weeks(2026, 12)[-1]] == [
        "2026-12-28",
        "2026-12-29",
        "2026-12-30",
        "2026-12-31",
        "2027-01-01",
    ]
    assert len(plan_weeks(2026, 11)) == 5 and str(plan_weeks(2026, 11)[-1][-1]) == "2026-12-04"


def test_a_straddling_weeks_calls_are_split_day_by_day_between_the_months():
    rows = [{"assets": 60000 + i} for i in range(10)]  # 10 mid customers: 7 with 李, 3 with 刘
    november = plan_for(rows, "2026-11").query("channel == 'phone'")
    december = plan_for(rows, "2026-12").query("channel == 'phone'")
    week = lambda plan: plan.loc[pd.to_datetime(plan["due_date"]).between("2026-11-30", "2026-12-04")]  # noqa: E731
    # Each customer's call of the week 11-30..12-04 is planned exactly once, over the week's five days.
    assert len(week(november)) == 3 and set(days(week(november)["due_date"])) == {"2026-11-30"}
    assert len(week(december)) == 7
    assert sorted(set(week(november)["customer_id"]) | set(week(december)["customer_id"])) == sorted(
        set(november["customer_id"])
    )
    mine = week(december).query("staff == '李'")["due_date"].value_counts().sort_index()
    assert days(mine.index) == ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
    assert mine.tolist() == [2, 1, 1, 1]


def test_a_mid_customer_gets_one_call_per_week_and_one_visit():
    plan = plan_for([{"assets": 60000}], "2026-12")
    calls = plan.loc[plan["channel"] == "phone", "due_date"]
    assert len(calls) == 4 and len(plan.loc[plan["channel"] == "visit"]) == 1
    weeks = [pd.Timestamp(d).isocalendar().week for d in calls]
    assert weeks == [50, 51, 52, 53]
    assert len(plan_for([{"assets": 60000}], "2026-11").query("channel == 'phone'")) == 5


def test_quarterly_duties_are_owed_in_every_month_of_the_quarter_until_met():
    # A console started in December (the quarter's last month) still owes Q4's call and gift.
    december = plan_for([{"assets": 500}, {"assets": 300000}], "2026-12")
    january = plan_for([{"assets": 500}, {"assets": 300000}], "2027-01")
    owed = {
        ("high", "gift"): 1,
        ("high", "phone"): 4,
        ("high", "visit"): 1,
        ("potential", "phone"): 1,
        ("potential", "sms"): 1,
    }
    assert december.groupby(["tier", "channel"]).size().to_dict() == owed
    assert january.groupby(["tier", "channel"]).size().to_dict() == owed


def test_a_quarterly_duty_met_earlier_in_the_quarter_is_not_planned_again():
    seg = segment(customers([{"assets": 500}, {"assets": 300000}, {"assets": 800}]), POLICY, AS_OF)
    log = pd.DataFrame(
        {
            "customer_id": ["C000", "C001", "C002", "C002"],
            "channel": ["电话", "厅堂", "短信", "电话"],
            "result": ["未接通", "已成交", "已联络", "已联络"],
            "contact_date": pd.to_datetime(["2026-10-12", "2026-11-03", "2026-11-05", "2026-09-30"]),
        }
    )
    met = quarter_met(log, POLICY, "2026-12")
    # a try counts; the gift handed over in the hall counts; an SMS is not a call; September is Q3
    assert met == {("C000", "phone"), ("C001", "gift")}
    assert quarter_met(log, POLICY, "2027-01") == set()
    plan = build_plan(seg, assign(seg, ROSTER, POLICY), POLICY, "2026-12", met_this_quarter=met)
    quarterly = plan.loc[plan["channel"].isin(["gift"]) | (plan["tier"] == "potential")]
    assert sorted(zip(quarterly["customer_id"], quarterly["channel"], strict=True)) == [
        ("C000", "sms"),
        ("C002", "phone"),
        ("C002", "sms"),
    ]


def test_a_passed_reminder_of_an_item_still_ahead_is_caught_up_on_the_first_working_day():
    items = pd.DataFrame(
        {
            "customer_id": ["C000", "C000", "C000"],
            "name": ["", "", ""],
            "product": ["定期", "理财", "国债"],
            "amount": [50000.0, 80000.0, 10000.0],
            # made on Friday 11-20: the 7-day call of 11-24 is ahead; 11-27's 7-day (11-20) has passed;
            # 11-22 (a Sunday) has every call behind it and matures before Monday: nothing to catch up
            "maturity_date": pd.to_datetime(["2026-12-01", "2026-11-27", "2026-11-22"]),
        }
    )
    seg = segment(customers([{"assets": 60000}]), POLICY, dt.date(2026, 11, 20))
    assignment = assign(seg, ROSTER, POLICY)
    plan = build_plan(seg, assignment, POLICY, "2026-12", items, reminders_from=dt.date(2026, 11, 21))
    reminders = plan.loc[plan["kind"] == "reminder_731"]
    got = sorted(
        zip(days(reminders["maturity_date"]), reminders["offset"], days(reminders["due_date"]), strict=True)
    )
    assert got == [
        ("2026-11-27", 1, "2026-11-26"),
        ("2026-11-27", 3, "2026-11-24"),
        ("2026-11-27", 7, "2026-11-23"),
        ("2026-12-01", 1, "2026-11-30"),
        ("2026-12-01", 3, "2026-11-27"),
        ("2026-12-01", 7, "2026-11-24"),
    ]
    keys = zip(days(reminders["maturity_date"]), reminders["offset"], strict=True)
    notes = dict(zip(keys, reminders["note"], strict=True))
    assert notes[("2026-11-27", 7)] == "补提醒：原定 11-20（到期前 7 天）已过"
    assert notes[("2026-12-01", 7)] == notes[("2026-11-27", 3)] == ""


def test_a_small_amount_whose_one_sms_passed_gets_that_sms_caught_up():
    items = pd.DataFrame(
        {
            "customer_id": ["C000", "C000"],
            "name": ["", ""],
            "product": ["定期", "理财"],
            "amount": [900.0, 800.0],  # under reminder_min_amount (1,000 元): one SMS 7 days before, no calls
            # made on 11-30: both 7-day dates (11-24, 11-25) have passed; the 12-02 item's 1-day call would fall
            # on 12-01 but a small amount has none, so it does not stand in for the SMS
            "maturity_date": pd.to_datetime(["2026-12-01", "2026-12-02"]),
        }
    )
    seg = segment(customers([{"assets": 60000}]), POLICY, dt.date(2026, 11, 30))
    plan = build_plan(
        seg, assign(seg, ROSTER, POLICY), POLICY, "2026-12", items, reminders_from=dt.date(2026, 12, 1)
    )
    reminders = plan.loc[plan["kind"] == "reminder_731"].sort_values("maturity_date")
    assert reminders["channel"].tolist() == ["sms", "sms"]
    assert reminders["offset"].tolist() == [7, 7]
    assert days(reminders["due_date"]) == ["2026-12-01", "2026-12-01"]
    assert reminders["note"].tolist() == [
        "补提醒：原定 11-24（到期前 7 天）已过；金额不足 1,000 元：短信提醒一次，不再电话",
        "补提醒：原定 11-25（到期前 7 天）已过；金额不足 1,000 元：短信提醒一次，不再电话",
    ]


def test_due_dates_are_working_days_spread_over_the_month():
    rows = [{"assets": 20000 + i} for i in range(46)]  # 46 basic customers shared by 陈 and 刘
    plan = plan_for(rows, "2026-12")
    assert (pd.to_datetime(plan["due_date"]).dt.day_of_week < 5).all()
    for _, group in plan.groupby(["staff", "channel"]):
        per_day = group["due_date"].value_counts()
        assert per_day.max() - per_day.min() <= 1  # even over the 23 working days
        assert per_day.max() <= 2
    # A customer's call and SMS fall on different days.
    both = plan.groupby("customer_id")["due_date"].nunique()
    assert (both == 2).all()


def test_mid_tier_list_is_ordered_by_familiarity_low_to_high():
    seg = segment(
        customers(
            [
                {"assets": 60000, "familiarity": 3},
                {"assets": 90000, "familiarity": 1},
                {"assets": 70000},
                {"assets": 80000, "familiarity": 1},
                {"assets": 300000, "familiarity": 5},
            ]
        ),
        POLICY,
        AS_OF,
    )
    order = seg["customer_id"].to_numpy()[sheet_order(seg, POLICY)].tolist()
    # high tier first; then mid by familiarity (ties: larger assets first), unknown familiarity last.
    assert order == ["C004", "C001", "C003", "C000", "C002"]


def test_731_reminders_move_off_weekends_and_split_exactly_between_months():
    rows = [{"assets": 60000, "maturity": "2026-12-14"}, {"assets": 20000, "maturity": "2027-01-03"}]
    december = plan_for(rows, "2026-12").query("kind == 'reminder_731'")
    january = plan_for(rows, "2027-01").query("kind == 'reminder_731'")
    # 12-14 (Mon): 7 -> 12-07; 3 -> 12-11; 1 -> Sunday 12-13 -> Friday 12-11.
    # 2027-01-03 (Sun): 7 -> Sunday 12-27 -> 12-25; 3 -> 12-31; 1 -> Saturday 01-02 -> Friday 01-01.
    got = sorted(zip(december["customer_id"], december["offset"], days(december["due_date"]), strict=True))
    assert got == [
        ("C000", 1, "2026-12-11"),
        ("C000", 3, "2026-12-11"),
        ("C000", 7, "2026-12-07"),
        ("C001", 3, "2026-12-31"),
        ("C001", 7, "2026-12-25"),
    ]
    assert list(zip(january["offset"], days(january["due_date"]), strict=True)) == [(1, "2027-01-01")]
    assert set(december["channel"]) == {"phone"}


def test_every_item_of_a_maturity_notice_gets_its_own_reminders():
    items = pd.DataFrame(
        {
            "customer_id": ["C000", "C000", "C000", "Z999"],
            "name": ["", "", "", "钱多多"],
            "product": ["定期", "保险", "国债", "理财"],
            "amount": [50000.0, 20000.0, 10000.0, 8000.0],
            "maturity_date": pd.to_datetime(["2026-12-16", "2026-12-23", "2027-03-01", "2026-12-10"]),
            "outlet": "城关支局",
            "source_row": [3, 4, 5, 6],
            "file": "到期.csv",
        }
    )
    plan = plan_for([{"assets": 20000}, {"assets": 60000}], "2026-12", items=items)
    reminders = plan.query("kind == 'reminder_731'")
    per_product = reminders.groupby("product").size().to_dict()
    assert per_product == {"定期": 3, "保险": 3, "理财": 3}  # the March item has no reminder in December
    assert set(reminders.loc[reminders["product"] == "定期", "amount"]) == {50000.0}
    assert set(reminders.loc[reminders["product"] == "定期", "staff"]) == {"陈"}  # C000 is basic: 大堂经理
    stranger = reminders.loc[reminders["customer_id"] == "Z999"]
    assert set(stranger["staff"]) == {"周"} and set(stranger["name"]) == {
        "钱多多"
    }  # not in the export: the head


def test_birthday_reminders_for_mid_and_high_only_days_before_and_off_weekends():
    rows = [
        {"assets": 60000, "birthday": "1970-12-10"},  # 12-07 (Mon)
        {"assets": 300000, "birthday": "1980-01-02"},  # 2027-01-02 - 3 = 12-30 (Wed): in December's plan
        {"assets": 60000, "birthday": "1975-12-13"},  # 12-10 (Thu)
        {"assets": 60000, "birthday": "1975-12-21"},  # 12-18 (Fri)
        {"assets": 60000, "birthday": "1975-12-22"},  # Saturday 12-19 -> Friday 12-18
        {"assets": 20000, "birthday": "1970-12-10"},  # basic: no birthday reminder
    ]
    plan = plan_for(rows, "2026-12").query("kind == 'birthday'")
    assert sorted(zip(plan["customer_id"], days(plan["due_date"]), strict=True)) == [
        ("C000", "2026-12-07"),
        ("C001", "2026-12-30"),
        ("C002", "2026-12-10"),
        ("C003", "2026-12-18"),
        ("C004", "2026-12-18"),
    ]


def test_29_february_birthdays_count_on_the_28th_in_other_years():
    plan = plan_for([{"assets": 60000, "birthday": "1972-02-29"}], "2027-02").query("kind == 'birthday'")
    assert days(plan["due_date"]) == ["2027-02-25"]


def test_plan_rows_are_sorted_by_staff_then_date_and_every_customer_has_its_own_rows():
    rng = np.random.default_rng(2)
    rows = [{"assets": float(a)} for a in np.round(rng.lognormal(np.log(30000), 1.3, 120), 2)]
    plan = plan_for(rows, "2026-12")
    for _, group in plan.groupby("staff", sort=False):
        assert group["due_date"].is_monotonic_increasing
    assert plan["staff"].notna().all()
    assert set(plan["customer_id"]) == {f"C{i:03d}" for i in range(120)}


def test_reminder_offsets_and_weekend_rule_come_from_the_policy():
    custom = POLICY.with_changes({"maturity": {"reminder_offsets": [5, 2], "shift_weekends": False}})
    plan = plan_for([{"assets": 60000, "maturity": "2026-12-14"}], "2026-12", policy=custom)
    reminders = plan.query("kind == 'reminder_731'")
    # 12-14 minus 5 = Wednesday 12-09; minus 2 = Saturday 12-12, kept as it is.
    assert list(zip(reminders["offset"], days(reminders["due_date"]), strict=True)) == [
        (5, "2026-12-09"),
        (2, "2026-12-12"),
    ]


def test_a_reordered_frame_keeps_each_customers_owner():
    seg = segment(customers([{"assets": 500}, {"assets": 60000}, {"assets": 20000}]), POLICY, AS_OF)
    result = assign(seg, ROSTER, POLICY)
    shuffled = seg.iloc[[2, 0, 1]].reset_index(drop=True)
    plan = build_plan(shuffled, result, POLICY, "2026-12")
    owner = dict(zip(result.table["customer_id"], result.table["staff"], strict=True))
    assert all(owner[c] == s for c, s in zip(plan["customer_id"], plan["staff"], strict=True))


def test_spread_due_dates_avoid_public_holidays():
    from core.calendar import working_days

    holidays = np.array(
        ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"], dtype="datetime64[D]"
    )
    days = working_days(2026, 10, holidays)
    assert len(days) == 22 - 5
    assert not set(holidays.tolist()) & set(days.tolist())
    assert len(working_days(2026, 10)) == 22


def test_a_month_of_holidays_still_has_days_to_plan_on():
    from core.calendar import working_days

    every = np.arange(np.datetime64("2026-10-01"), np.datetime64("2026-11-01"), dtype="datetime64[D]")
    assert len(working_days(2026, 10, every)) == 22


def test_monthly_due_dates_skip_the_policys_public_holidays():
    festive = POLICY.with_changes({"calendar": {"holidays": ["2026-12-24", "2026-12-25", "2026-12-31"]}})
    rows = [{"assets": 20000 + i} for i in range(46)]
    plan = plan_for(rows, "2026-12", policy=festive)
    used = set(days(plan["due_date"]))
    assert not used & {"2026-12-24", "2026-12-25", "2026-12-31"}
    assert len(used) == 23 - 3


def test_a_plan_made_at_month_end_is_for_the_next_month():
    from core.calendar import default_plan_month

    # November 2026: 21 working days; after Mon 11-16 there are 10 left, after Tue 11-17 only 9.
    assert default_plan_month(dt.date(2026, 11, 16), POLICY) == (2026, 11)
    assert default_plan_month(dt.date(2026, 11, 17), POLICY) == (2026, 12)
    assert default_plan_month(dt.date(2026, 12, 30), POLICY) == (2027, 1)
    assert default_plan_month(dt.date(2026, 11, 3), POLICY) == (2026, 11)


def test_the_plan_month_rule_comes_from_the_policy():
    from core.calendar import default_plan_month

    always_this = POLICY.with_changes({"plan": {"min_working_days_left": 0}})
    assert default_plan_month(dt.date(2026, 11, 30), always_this) == (2026, 11)
    early = POLICY.with_changes({"plan": {"min_working_days_left": 30}})
    assert default_plan_month(dt.date(2026, 11, 2), early) == (2026, 12)


def test_a_plan_made_ahead_keeps_the_reminders_due_before_its_month_starts():
    items = pd.DataFrame(
        {
            "customer_id": ["C000"],
            "name": [""],
            "product": ["理财"],
            "amount": [123500.0],
            "maturity_date": pd.to_datetime(["2026-12-01"]),
            "outlet": "城关支局",
            "source_row": [3],
            "file": "到期.csv",
        }
    )
    seg = segment(customers([{"assets": 60000}]), POLICY, dt.date(2026, 11, 27))
    assignment = assign(seg, ROSTER, POLICY)
    # Made on Friday 11-27 for December: the 3-day (Fri 11-27, already the data date) is past; the 1-day
    # reminder (Mon 11-30) is still ahead and belongs to no other plan.
    ahead = build_plan(seg, assignment, POLICY, "2026-12", items, reminders_from=dt.date(2026, 11, 28))
    reminders = ahead.loc[ahead["kind"] == "reminder_731"]
    assert list(zip(reminders["offset"], days(reminders["due_date"]), strict=True)) == [(1, "2026-11-30")]
    plain = build_plan(seg, assignment, POLICY, "2026-12", items)
    assert not (plain["kind"] == "reminder_731").any()
    assert len(ahead) == len(plain) + 1
