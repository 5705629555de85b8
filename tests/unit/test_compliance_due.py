"""Rates count only requirements that are due by the as-of date: exact figures on constructed plans and logs."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.compliance import trend
from core.errors import ConsoleError
from core.policy import Policy
from tests.builders.compliance import REMINDERS, contact, judge, plan_row

POLICY = Policy.default()
WEDNESDAY = dt.date(2026, 11, 11)  # week 46 runs Monday 9th to Sunday 15th


def figures(frame: pd.DataFrame, key: str | list[str]) -> dict:
    """Group -> (required, due, met, pending, rate or None)."""
    out = {}
    for row in frame.set_index(key).itertuples():
        rate = None if pd.isna(row.rate) else row.rate
        out[row.Index] = (row.required, row.due, row.met, row.pending, rate)
    return out


def test_a_weekly_call_not_made_by_wednesday_is_pending_not_unmet():
    result = judge([plan_row("C1", "phone", "2026-11-09")], [], as_of=WEDNESDAY)
    assert result.requirements["status"].tolist() == ["pending"]
    assert (result.required, result.due, result.met_contacts, result.pending) == (1, 0, 0, 1)
    assert result.overall is None
    assert len(result.overdue) == 0


def test_a_weekly_call_made_on_tuesday_counts_before_the_week_ends():
    result = judge(
        [plan_row("C1", "phone", "2026-11-09")], [contact("C1", "电话", "2026-11-10")], as_of=WEDNESDAY
    )
    assert result.requirements["status"].tolist() == ["met"]
    assert (result.due, result.met_contacts, result.pending, result.overall) == (1, 1, 0, 1.0)
    assert result.summary() == {
        "overall": 1.0,
        "by_tier": {"mid": 1.0},
        "by_staff": {"李娜": 1.0},
        "overdue": 0,
    }


def test_a_week_ending_on_the_as_of_day_is_due():
    result = judge([plan_row("C1", "phone", "2026-11-09")], [], as_of=dt.date(2026, 11, 15))
    assert result.requirements["status"].tolist() == ["overdue"]
    assert (result.due, result.pending, result.overall) == (1, 0, 0.0)


def test_a_monthly_sms_sent_on_the_3rd_counts_in_a_view_on_the_5th():
    plan = [plan_row("C2", "sms", "2026-11-20", tier="potential")]
    result = judge(plan, [contact("C2", "短信", "2026-11-03")], as_of=dt.date(2026, 11, 5))
    assert (result.due, result.met_contacts, result.pending, result.overall) == (1, 1, 0, 1.0)


def test_half_of_two_sms_in_an_open_month_is_neither_credit_nor_debit():
    plan = [plan_row("C3", "sms", d, tier="basic") for d in ("2026-11-03", "2026-11-17")]
    result = judge(plan, [contact("C3", "短信", "2026-11-04")], as_of=dt.date(2026, 11, 15))
    req = result.requirements.iloc[0]
    assert (req["required"], req["done"], req["status"]) == (2, 1, "pending")
    assert (result.due, result.met_contacts, result.pending, result.overall) == (0, 0, 2, None)
    final = judge(plan, [contact("C3", "短信", "2026-11-04")], as_of=dt.date(2026, 11, 30))
    assert (final.due, final.met_contacts, final.overall) == (2, 1, 0.5)


def test_a_731_reminder_is_due_on_its_date_and_a_birthday_on_the_birthday():
    birthday = plan_row("B1", "phone", "2026-11-16", kind="birthday")  # birthday Thursday 19th
    on_13th = judge([*REMINDERS[:1], birthday], [], as_of=dt.date(2026, 11, 13))
    assert on_13th.requirements["status"].tolist() == ["overdue", "pending"]
    on_19th = judge([birthday], [], as_of=dt.date(2026, 11, 19))
    assert on_19th.requirements["status"].tolist() == ["overdue"]
    assert judge([birthday], [], as_of=dt.date(2026, 11, 18)).requirements["status"].tolist() == ["pending"]


# A month view on Sunday 15 November. Weeks: 45 = 2–8, 46 = 9–15, 47 = 16–22, 48 = 23–29, 49 = 30 Nov–6 Dec.
MONTH_PLAN = [
    *[
        plan_row("C1", "phone", d)
        for d in ("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30")
    ],
    plan_row("C1", "visit", "2026-11-05"),
    plan_row("C2", "sms", "2026-11-10", tier="potential", staff="张伟"),
    plan_row("C3", "phone", "2026-11-09"),
    *REMINDERS,  # M1 (basic, 王强): 13th, 17th, 19th
]
MONTH_LOG = [
    contact("C1", "电话", "2026-11-03"),  # week 45 met
    contact("C1", "电话", "2026-11-12"),  # week 46 met
    contact("C1", "上门", "2026-11-14"),  # the month's visit, met early
    contact("C1", "电话", "2026-11-17"),  # after the as-of date: ignored
    contact("M1", "电话", "2026-11-12", staff="王强"),  # the 7-day reminder (13th) met
]


def test_month_view_on_the_15th_counts_only_what_is_due():
    result = judge(MONTH_PLAN, MONTH_LOG, as_of=dt.date(2026, 11, 15))
    # due: C1 weeks 45, 46 (met), C1 visit (met early), C3 week 46 (missed), M1 7-day reminder (met)
    # pending: C1 weeks 47, 48, 49; C2's November SMS; M1's 3- and 1-day reminders
    assert (result.required, result.due, result.met_contacts, result.pending) == (11, 5, 4, 6)
    assert result.overall == 4 / 5
    assert result.summary() == {
        "overall": 4 / 5,
        "by_tier": {"basic": 1.0, "mid": 3 / 4},
        "by_staff": {"李娜": 3 / 4, "王强": 1.0},
        "overdue": 1,
    }
    assert result.overdue["customer_id"].tolist() == ["C3"]
    assert figures(result.by_tier, "tier") == {
        "potential": (1, 0, 0, 1, None),
        "basic": (3, 1, 1, 2, 1.0),
        "mid": (7, 4, 3, 3, 3 / 4),
    }
    assert figures(result.by_staff, "staff") == {
        "张伟": (1, 0, 0, 1, None),
        "李娜": (7, 4, 3, 3, 3 / 4),
        "王强": (3, 1, 1, 2, 1.0),
    }
    assert figures(result.by_week, "week") == {
        "2026-W45": (2, 2, 2, 0, 1.0),
        "2026-W46": (4, 3, 2, 1, 2 / 3),
        "2026-W47": (3, 0, 0, 3, None),
        "2026-W48": (1, 0, 0, 1, None),
        "2026-W49": (1, 0, 0, 1, None),
    }
    assert figures(result.by_channel, ["kind", "channel"]) == {
        ("cadence", "phone"): (6, 3, 2, 3, 2 / 3),
        ("cadence", "sms"): (1, 0, 0, 1, None),
        ("cadence", "visit"): (1, 1, 1, 0, 1.0),
        ("reminder_731", "phone"): (3, 1, 1, 2, 1.0),
    }


def test_the_same_month_judged_after_it_ends_counts_everything():
    after = judge(MONTH_PLAN, MONTH_LOG, as_of=dt.date(2026, 12, 6))
    final = judge(MONTH_PLAN, MONTH_LOG)
    # C1 weeks 45, 46, 47 (the call on the 17th), visit; C2 none; C3 none; M1 7-day only
    assert (after.required, after.due, after.met_contacts, after.pending) == (11, 11, 5, 0)
    assert after.summary() == final.summary()
    assert after.requirements["status"].tolist() == final.requirements["status"].tolist()


def test_on_the_1st_december_the_weekly_call_of_30_november_is_still_pending():
    result = judge(MONTH_PLAN, MONTH_LOG, as_of=dt.date(2026, 12, 1))
    pending = result.requirements.loc[result.requirements["status"] == "pending"]
    assert pending[["customer_id", "due_date"]].values.tolist() == [["C1", pd.Timestamp("2026-11-30")]]
    assert (result.due, result.pending) == (10, 1)


def test_with_nothing_due_the_summary_names_the_date_and_the_pending_count():
    result = judge(MONTH_PLAN, [], as_of=dt.date(2026, 11, 1))
    assert (result.due, result.pending, result.overall) == (0, 11, None)
    assert result.by_tier["rate"].isna().all()
    with pytest.raises(ConsoleError, match="2026-11 截至 2026-11-01 还没有已到期的应联络（未到期 11 项）"):
        result.summary()


def test_trend_carries_due_and_pending_and_no_rate_for_a_month_not_yet_due():
    plan = pd.DataFrame([plan_row("C1", "visit", "2026-10-05"), plan_row("C1", "visit", "2026-11-05")])
    log = pd.DataFrame([contact("C1", "上门", "2026-10-06")])
    frame = trend(plan, log, POLICY, ["2026-10", "2026-11"], as_of=dt.date(2026, 11, 15))
    assert frame[["required", "due", "met", "pending", "overdue"]].values.tolist() == [
        [1, 1, 1, 0, 0],
        [1, 0, 0, 1, 0],
    ]
    assert frame["rate"].iloc[0] == 1.0
    assert pd.isna(frame["rate"].iloc[1])
