"""The day an export was taken, read from the file itself: a 导出日期 / 数据日期 / 截至 line above the header, else
any date in a title row, else a date in the file name (目标客户查询-20261130.xlsx). The import date defaults to it,
so a month-end export saved days later is not stored as a snapshot of the day it was uploaded."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.ingest.customers import SYNONYMS
from core.ingest.mapping import hint_words
from core.ingest.table import Source, read_table

DATE_WORDS = ("导出日期", "数据日期", "统计日期", "查询日期", "截至", "截止", "日期")
_DATE = re.compile(
    r"(?<!\d)(20\d{2})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))(?!\d)"
)


@dataclass(frozen=True)
class ExportDate:
    """A day found in an export and where: ``source`` is "title" or "file_name", ``text`` the line it was in."""

    day: dt.date
    source: str
    text: str


def dates_in(text: str) -> list[dt.date]:
    """Every real calendar day written in ``text`` (2026-11-30, 2026/11/30, 2026.11.30, 2026年11月30日, 20261130)."""
    found = []
    for m in _DATE.finditer(text):
        year = int(m.group(1))
        month, day = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
        try:
            found.append(dt.date(year, int(month), int(day)))
        except ValueError:
            continue
    return found


def export_date(titles: Sequence[str], file_name: str | None) -> ExportDate | None:
    """The export's own date: a title line naming a date word first (in ``DATE_WORDS`` order), then any title line
    with one date, then the file name; None when none has exactly one date."""
    lines = [str(t) for t in titles if t and str(t).strip()]
    for word in DATE_WORDS:
        for line in lines:
            if word in line:
                after = dates_in(line[line.index(word) :])
                if after:
                    return ExportDate(after[0], "title", line.strip())
    for line in lines:
        days = set(dates_in(line))
        if len(days) == 1:
            return ExportDate(days.pop(), "title", line.strip())
    if file_name:
        days = set(dates_in(file_name))
        if len(days) == 1:
            return ExportDate(days.pop(), "file_name", file_name)
    return None


def read_export_date(
    source: Source, *, file_name: str | None = None, sheet: str | None = None
) -> ExportDate | None:
    """:func:`export_date` of a file (its title rows as the reader sees them, then its name)."""
    raw = read_table(source, file_name=file_name, sheet=sheet, header_hints=hint_words(SYNONYMS, None))
    return export_date(raw.titles, file_name or raw.file_name)
