"""What the head types on 分层策略 for 731 offsets and public holidays, read with every bad entry named."""

from __future__ import annotations

import datetime as dt
import re

from core.i18n import t


def parse_reminder_offsets(text: str, lang: str = "zh") -> tuple[list[int], list[str]]:
    """'7,3,1' (or 7，3、1 / spaces) -> ([7, 3, 1] largest first, problems); each part that is not a whole number
    is one problem."""
    offsets, problems = [], []
    for part in (p for p in re.split(r"[,，、;；\s]+", text) if p):
        try:
            offsets.append(int(part))
        except ValueError:
            problems.append(t("ui.strategy.bad_offset", lang, value=part))
    return sorted(offsets, reverse=True), problems


def parse_holidays(text: str, lang: str = "zh") -> tuple[list[str], list[str]]:
    """One YYYY-MM-DD a line (blank lines skipped) -> (the dates in order, once each, as ISO text; problems
    naming the line of each date that does not parse)."""
    holidays, problems = set(), []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            holidays.add(dt.date.fromisoformat(line.strip()).isoformat())
        except ValueError:
            problems.append(t("ui.strategy.bad_holiday", lang, line=number, value=line.strip()))
    return sorted(holidays), problems
