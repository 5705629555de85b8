"""A real calendar (issue 19 item 7): statutory holidays and 调休 days from the maintained package, copied into the
plan's policy; a year the package does not know keeps 元旦 free with a warning; outlets open at weekends."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.calendar import statutory_days, with_statutory_calendar, working_days
from core.policy import Policy
from core.roster import roster_from_frame
from core.schedule import fit_warnings, plan_month
from core.segment import segment
from tests.builders.customers import customers, staff

POLICY = Policy.default()


def _month(month: str, policy: Policy = POLICY, as_of: dt.date = dt.date(2026, 9, 30)):
    rows = [{"assets": 60000 + 100 * i} for i in range(30)] + [{"assets": 20000 + i} for i in range(30)]
    seg = segment(customers(rows), policy, as_of)
    roster = roster_from_frame(staff(("李", "理财经理"), ("刘", "高柜")), policy=policy)
    return plan_month(seg, roster, policy, month)


def test_the_statutory_calendar_of_2026_comes_from_the_package():
    holidays, workdays = statutory_days(2026)
    assert [d.isoformat() for d in holidays if d.month == 10] == [f"2026-10-0{i}" for i in range(1, 8)]
    assert [d.isoformat() for d in workdays if d.month in (9, 10)] == ["2026-09-20", "2026-10-10"]
    assert statutory_days(2027) is None  # not published when the package was released


def test_an_october_plan_puts_nothing_on_national_day_and_uses_the_make_up_saturday():
    month = _month("2026-10")
    days = set(month.plan["due_date"].dt.strftime("%m-%d"))
    assert not days & {f"10-0{i}" for i in range(1, 8)}
    assert "10-10" in days  # 调休 Saturday: a working day
    assert month.days.size == 18 and month.calendar_warnings == ()  # 22 weekdays - 5 holidays + 10-10
    assert [d.isoformat() for d in month.policy.calendar.workdays if d.month == 10] == ["2026-10-10"]
    # The head's own list wins: a policy listing a 2026 holiday is not filled from the package.
    own = POLICY.with_changes({"calendar": {"holidays": ["2026-10-01"]}})
    assert with_statutory_calendar(own, [2026])[0].calendar.holidays == (dt.date(2026, 10, 1),)
    assert working_days(2026, 10, policy=own).size == 21


def test_a_year_the_package_does_not_know_warns_and_keeps_new_year_free():
    month = _month("2027-01", as_of=dt.date(2026, 12, 31))
    assert "01-01" not in set(month.plan["due_date"].dt.strftime("%m-%d"))
    warning = (
        "2027 年的法定节假日与调休安排尚未收录（节假日数据包未更新）：只把元旦空出，其余请在“分层策略”中填写"
    )
    assert month.calendar_warnings == (warning,) and fit_warnings(month)[0] == warning
    assert month.days.size == 20


def test_an_outlet_open_on_saturdays_plans_calls_on_them():
    weekend = POLICY.with_changes({"calendar": {"weekdays": [1, 2, 3, 4, 5, 6]}})
    month = _month("2026-12", policy=weekend)
    saturdays = month.plan.loc[month.plan["due_date"].dt.day_of_week == 5]
    assert month.days.size == 27 and len(saturdays) > 0
    assert (pd.to_datetime(month.plan["due_date"]).dt.day_of_week != 6).all()
    assert np.isin(month.days, working_days(2026, 12, policy=weekend)).all()
