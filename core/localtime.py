"""Times shown to people are local: the database stores UTC (``core.storage.models.utcnow``); every time a page,
a message or a file shows goes through :func:`local_text`. The zone is ``CONSOLE_TZ`` (an IANA name), by default
Asia/Shanghai, the zone of every branch the console serves."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

ENV = "CONSOLE_TZ"
DEFAULT_ZONE = "Asia/Shanghai"
MINUTES = "%Y-%m-%d %H:%M"


def zone() -> ZoneInfo:
    """The console's zone: ``CONSOLE_TZ`` when set, else Asia/Shanghai."""
    name = os.environ.get(ENV, "").strip() or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SystemExit(f"{ENV}={name!r} is not a time zone (e.g. Asia/Shanghai)") from None


def local(stamp: object) -> dt.datetime | None:
    """A stored UTC time (naive or aware, datetime or ISO text) as the console's local wall-clock time (naive);
    None for a missing one."""
    value = pd.Timestamp(stamp) if stamp is not None else pd.NaT
    if pd.isna(value):
        return None
    if value.tzinfo is None:
        value = value.tz_localize("UTC")
    return value.tz_convert(zone()).to_pydatetime().replace(tzinfo=None)


def local_text(stamp: object, pattern: str = MINUTES, missing: str = "—") -> str:
    """:func:`local` formatted (``missing`` when there is no time)."""
    found = local(stamp)
    return missing if found is None else found.strftime(pattern)


def local_series(values: pd.Series) -> pd.Series:
    """A column of stored UTC times as local wall-clock times (NaT stays NaT)."""
    stamps = pd.to_datetime(values, errors="coerce")
    if stamps.dt.tz is None:
        stamps = stamps.dt.tz_localize("UTC")
    return stamps.dt.tz_convert(zone()).dt.tz_localize(None)
