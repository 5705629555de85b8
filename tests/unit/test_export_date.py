"""The day an export was taken, read from the file itself (title rows, then the file name)."""

from __future__ import annotations

import datetime as dt

from core.demo import demo_export
from core.ingest.export_date import ExportDate, dates_in, export_date, read_export_date

NOV30 = dt.date(2026, 11, 30)


def test_every_common_way_of_writing_a_day_is_read_and_impossible_days_are_not():
    assert dates_in("2026-11-30 2026/11/30 2026.11.30 2026年11月30日 20261130") == [NOV30] * 5
    assert dates_in("2026-02-30，2026-1-5，202611301") == [dt.date(2026, 1, 5)]


def test_a_date_word_in_a_title_row_wins_over_other_dates_and_the_file_name():
    titles = ["目标客户查询 2026-12-01 打印", "查询机构：城关支局 导出日期：2026年11月30日 14:05"]
    assert export_date(titles, "客户-20261206.csv") == ExportDate(NOV30, "title", titles[1])


def test_a_title_with_one_date_then_the_file_name_are_used_when_no_date_word_is_written():
    assert export_date(["城关支局客户资产 2026.11.30"], "x.csv").day == NOV30
    assert export_date([], "目标客户查询-20261130.xlsx") == ExportDate(
        NOV30, "file_name", "目标客户查询-20261130.xlsx"
    )
    assert export_date(["2026-11-01 至 2026-11-30"], "x.csv") is None  # two dates, none named: not guessed
    assert export_date([], "目标客户查询.csv") is None


def test_the_demo_export_carries_its_export_date_in_the_title_row():
    found = read_export_date(demo_export(NOV30, customers=30), file_name="目标客户查询.csv")
    assert (found.day, found.source) == (NOV30, "title")
    assert "导出日期" in found.text
