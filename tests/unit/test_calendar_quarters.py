"""Quarter arithmetic lives in core.calendar: a month's quarter label and the quarter's first day."""

from __future__ import annotations

import datetime as dt

import pytest

from core.calendar import next_month, quarter_of, quarter_start


@pytest.mark.parametrize(
    ("month", "label", "first"),
    [
        ("2026-01", "2026-Q1", dt.date(2026, 1, 1)),
        ("2026-03", "2026-Q1", dt.date(2026, 1, 1)),
        ("2026-04", "2026-Q2", dt.date(2026, 4, 1)),
        ("2026-11", "2026-Q4", dt.date(2026, 10, 1)),
        ((2026, 12), "2026-Q4", dt.date(2026, 10, 1)),
        (dt.date(2026, 8, 31), "2026-Q3", dt.date(2026, 7, 1)),
    ],
)
def test_a_month_knows_its_quarter_and_the_quarters_first_day(month, label, first):
    assert quarter_of(month) == label
    assert quarter_start(month) == first


def test_the_month_after_a_date_crosses_the_year():
    assert next_month(dt.date(2026, 12, 31)) == "2027-01"
    assert next_month(dt.date(2026, 11, 30)) == "2026-12"
