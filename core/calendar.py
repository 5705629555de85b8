"""The calendar every rule shares: months and reporting periods as typed, working days and week windows.

- A month is typed '2026-12' (also (2026, 12) or a date); a reporting period '2026-11' (month), '2026-W48'
  (ISO week, Monday to Sunday) or '2026-Q4' (calendar quarter).
- Working days are the outlet's working weekdays (``policy.calendar.weekdays``, Monday to Friday by default)
  less the policy's public holidays (``policy.calendar.holidays``) plus its 调休 make-up working days
  (``policy.calendar.workdays``).
- The statutory calendar (``statutory_days``) comes from the maintained ``chinesecalendar`` package: a plan for a
  year the policy lists no holiday of takes that year's holidays and 调休 days (``with_statutory_calendar``); a
  year the package does not know yet gives a warning and keeps 元旦 (1 January) free.
- A day that falls on a day off moves to the working day before when the policy says so
  (``policy.maturity.shift_weekends``): 731 reminders and birthday reminders use it.

Plan (core.plan), segmentation (core.segment) and compliance (core.compliance) import these; none defines its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.errors import ConsoleError
from core.i18n import t
from core.policy import Policy

_WEEKDAY_SHIFT = 3  # 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays


# ------------------------------------------------------------------------------------------ months


def parse_month(month: str | tuple[int, int] | dt.date) -> tuple[int, int]:
    """'2026-12', (2026, 12) or a date -> (2026, 12)."""
    if isinstance(month, dt.date):
        return month.year, month.month
    if isinstance(month, tuple):
        year, mon = month
    else:
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", str(month))
        if not match:
            raise ConsoleError("plan.bad_month", month=month)
        year, mon = int(match.group(1)), int(match.group(2))
    if not 1 <= mon <= 12:
        raise ConsoleError("plan.bad_month", month=month)
    return int(year), int(mon)


def next_month(month: str | tuple[int, int] | dt.date) -> str:
    """'2026-12' -> '2027-01'."""
    year, mon = parse_month(month)
    return f"{year + 1:04d}-01" if mon == 12 else f"{year:04d}-{mon + 1:02d}"


def default_plan_month(as_of: dt.date, policy: Policy) -> tuple[int, int]:
    """The month a plan made on ``as_of`` is for: the as-of month, or the next one when fewer than
    ``policy.plan.min_working_days_left`` working days remain after the as-of date."""
    policy, _ = with_statutory_calendar(policy, [as_of.year])
    days = working_days(as_of.year, as_of.month, policy=policy)
    left = int((days > np.datetime64(as_of, "D")).sum())
    if left >= policy.plan.min_working_days_left:
        return as_of.year, as_of.month
    return (as_of.year + 1, 1) if as_of.month == 12 else (as_of.year, as_of.month + 1)


def month_bounds(year: int, month: int) -> tuple[np.datetime64, np.datetime64]:
    """First and last day of the month."""
    first = np.datetime64(f"{year:04d}-{month:02d}-01", "D")
    last = (np.datetime64(f"{year:04d}-{month:02d}", "M") + 1).astype("datetime64[D]") - 1
    return first, last


# ------------------------------------------------------------------------------------------ working days


def is_working(
    days: np.ndarray, policy: Policy | None = None, holidays: np.ndarray | None = None
) -> np.ndarray:
    """Per day (datetime64[D]): a working day of the policy's calendar (Monday to Friday less ``holidays``
    without a policy)."""
    if policy is None:
        return np.is_busday(days, holidays=holidays if holidays is not None else [])
    open_day = np.is_busday(days, weekmask=policy.weekmask, holidays=policy.holiday_days)
    return open_day | np.isin(days, policy.workday_days)


def working_days(
    year: int, month: int, holidays: np.ndarray | None = None, *, policy: Policy | None = None
) -> np.ndarray:
    """The month's working days (``is_working``; all of its weekdays, if none would be left)."""
    first, last = month_bounds(year, month)
    days = np.arange(first, last + 1, dtype="datetime64[D]")
    open_days = days[is_working(days, policy, holidays)]
    return open_days if open_days.size else days[np.is_busday(days)]


def plan_weeks(
    year: int, month: int, holidays: np.ndarray | None = None, *, policy: Policy | None = None
) -> list[np.ndarray]:
    """The working days of each ISO week that has one in the month, whole weeks: the first and last may have
    days in the neighbouring months."""
    first, last = month_bounds(year, month)
    monday = first - (first.astype("int64") - 4) % 7  # 1970-01-01 was a Thursday; Monday = 0
    weeks = []
    while monday <= last:
        whole = np.arange(monday, monday + 7, dtype="datetime64[D]")
        week = whole[is_working(whole, policy, holidays)]
        if not week.size:
            week = whole[:5]
        if ((week >= first) & (week <= last)).any():
            weeks.append(week)
        monday = monday + 7
    return weeks


def roll_back_to_working_day(days: np.ndarray, policy: Policy) -> np.ndarray:
    """Days (datetime64[D]) on a day off move to the working day before, when the policy says so; NaT stays NaT."""
    if not policy.maturity.shift_weekends or not days.size:
        return days
    return _roll(days, policy, backward=True)


def next_working_day(day: np.datetime64, policy: Policy) -> np.datetime64:
    """``day`` when it is a working day, else the first working day after it."""
    return _roll(np.array([day], dtype="datetime64[D]"), policy, backward=False)[0]


def _roll(days: np.ndarray, policy: Policy, *, backward: bool) -> np.ndarray:
    valid = ~np.isnat(days)
    out = days.copy()
    if not valid.any():
        return out
    low, high = days[valid].min() - 40, days[valid].max() + 40
    span = np.arange(low, high + 1, dtype="datetime64[D]")
    open_days = span[is_working(span, policy)]
    if not open_days.size:
        return out
    if backward:
        at = np.searchsorted(open_days, days[valid], side="right") - 1
        out[valid] = open_days[np.clip(at, 0, open_days.size - 1)]
    else:
        at = np.searchsorted(open_days, days[valid], side="left")
        out[valid] = open_days[np.clip(at, 0, open_days.size - 1)]
    return out


# ------------------------------------------------------------------------------------------ statutory calendar


def statutory_days(year: int) -> tuple[list[dt.date], list[dt.date]] | None:
    """The State Council's holidays falling on weekdays and the 调休 make-up working days of ``year``, from the
    maintained ``chinesecalendar`` package; None when the package does not know the year yet."""
    import chinese_calendar

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    try:
        holidays = chinese_calendar.get_holidays(first, last, include_weekends=False)
        workdays = [
            d for d in chinese_calendar.get_workdays(first, last, include_weekends=True) if d.weekday() >= 5
        ]
    except NotImplementedError:
        return None
    return sorted(holidays), sorted(workdays)


def with_statutory_calendar(policy: Policy, years: list[int] | tuple[int, ...]) -> tuple[Policy, list[str]]:
    """``policy`` with the statutory holidays and 调休 days of each of ``years`` the policy lists no holiday of
    (when ``policy.calendar.statutory``), and the warnings for years the package does not know (元旦 kept free)."""
    cal = policy.calendar
    if not cal.statutory:
        return policy, []
    listed = {d.year for d in cal.holidays}
    holidays, workdays, warnings = set(cal.holidays), set(cal.workdays), []
    for year in sorted(set(years) - listed):
        found = statutory_days(year)
        if found is None:
            holidays.add(dt.date(year, 1, 1))
            warnings.append(t("calendar.unknown_year", "zh", year=year))
            continue
        holidays.update(found[0])
        workdays.update(d for d in found[1] if d not in cal.holidays)
    if holidays == set(cal.holidays) and workdays == set(cal.workdays):
        return policy, warnings
    new = dataclasses.replace(cal, holidays=tuple(sorted(holidays)), workdays=tuple(sorted(workdays)))
    return dataclasses.replace(policy, calendar=new), warnings


# ------------------------------------------------------------------------------------------ reporting periods


@dataclass(frozen=True)
class Period:
    """A reporting period: its label as typed, kind (week, month, quarter) and first and last day."""

    label: str
    kind: str
    start: dt.date
    end: dt.date

    def months(self) -> list[str]:
        """Every 'YYYY-MM' the period touches (the plans it draws requirements from)."""
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str | Period) -> Period:
    """'2026-11', '2026-W48' or '2026-Q4' -> Period; anything else is a ConsoleError naming the forms."""
    if isinstance(text, Period):
        return text
    raw = str(text).strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", raw):
            year, month = int(m.group(1)), int(m.group(2))
            start = dt.date(year, month, 1)
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            return Period(f"{year:04d}-{month:02d}", "month", start, nxt - dt.timedelta(days=1))
        if m := re.fullmatch(r"(\d{4})-?[Ww](\d{1,2})", raw):
            year, week = int(m.group(1)), int(m.group(2))
            start = dt.date.fromisocalendar(year, week, 1)
            return Period(f"{year:04d}-W{week:02d}", "week", start, start + dt.timedelta(days=6))
        if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", raw):
            year, quarter = int(m.group(1)), int(m.group(2))
            start = dt.date(year, 3 * quarter - 2, 1)
            nxt = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
            return Period(f"{year:04d}-Q{quarter}", "quarter", start, nxt - dt.timedelta(days=1))
    except ValueError:
        pass
    raise ConsoleError("compliance.bad_period", period=raw)


def iso_week_label(days: pd.Series) -> pd.Series:
    """'2026-W48' for each date (ISO year and week)."""
    iso = pd.to_datetime(days).dt.isocalendar()
    return iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format)


def week_monday(days: np.ndarray) -> np.ndarray:
    """The Monday of each day's week (datetime64[D] in and out; NaT stays NaT): the key of a week everywhere."""
    days = np.asarray(days, dtype="datetime64[D]")
    return days - ((days.astype("int64") + _WEEKDAY_SHIFT) % 7).astype("timedelta64[D]")


def window_bounds(due: pd.Series, period_kind: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of the week / month / quarter around each due date."""
    days = pd.to_datetime(due).to_numpy(dtype="datetime64[D]")
    kinds = period_kind.to_numpy(dtype=object)
    start = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    end = start.copy()
    week = kinds == "week"
    monday = week_monday(days)
    start[week], end[week] = monday[week], monday[week] + np.timedelta64(6, "D")
    months = days.astype("datetime64[M]")
    month = kinds == "month"
    start[month] = months[month].astype("datetime64[D]")
    end[month] = (months[month] + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    quarter = kinds == "quarter"
    m = months.astype("int64")
    q_first = (m - m % 3).astype("datetime64[M]")
    start[quarter] = q_first[quarter].astype("datetime64[D]")
    end[quarter] = (q_first[quarter] + 3).astype("datetime64[D]") - np.timedelta64(1, "D")
    return start, end


# ------------------------------------------------------------------------------------------ quarters


def quarter_of(month: str | tuple[int, int] | dt.date) -> str:
    """The quarter label ('2026-Q4') a month falls in."""
    year, mon = parse_month(month)
    return f"{year:04d}-Q{(mon - 1) // 3 + 1}"


def quarter_start(month: str | tuple[int, int] | dt.date) -> dt.date:
    """The first day of the quarter a month falls in (2026-11 -> 2026-10-01)."""
    year, mon = parse_month(month)
    return dt.date(year, mon - (mon - 1) % 3, 1)
