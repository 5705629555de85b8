"""Formatting for the screen: amounts and counts with thousands separators, shares as percentages, tables as text."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import pandas as pd

from core.localtime import local_series


def yuan(value: float) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.0f}"


def count(value: float) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.0f}"


def pct(value: float) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.0%}"


def signed(value: float) -> str:
    return f"{value:+,.0f}"


def whole(value: float) -> str:
    """A number in whole units with separators, never "-0" (a difference of -0.3 yuan is 0); "—" for none."""
    if value is None or value != value:
        return "—"
    return f"{round(float(value)):,}"


COUNT, AMOUNT, DATE, DATETIME, TEXT = "count", "amount", "date", "datetime", "text"
PCT = "pct"  # a share (0.123 -> 12.3%)
PCT_POINTS = "pct_points"  # already in percent, under a "(%)" heading (12.345 -> 12.3)
NUMERIC = (COUNT, AMOUNT, PCT, PCT_POINTS)
_NUMBER_FORMATS = {COUNT: "{:,.0f}", AMOUNT: "{:,.0f}", PCT: "{:.1%}", PCT_POINTS: "{:,.1f}"}


def column_kind(series: pd.Series) -> str:
    """The format a column gets when the caller names none: by dtype (floats are amounts)."""
    if pd.api.types.is_bool_dtype(series):
        return TEXT
    if pd.api.types.is_datetime64_any_dtype(series):
        return DATE
    if pd.api.types.is_integer_dtype(series):
        return COUNT
    if pd.api.types.is_float_dtype(series):
        return AMOUNT
    sample = series.dropna().head(20)
    if len(sample) and all(isinstance(v, dt.date) for v in sample):
        return DATE
    return TEXT


def format_column(series: pd.Series, kind: str) -> pd.Series:
    """One column as screen text: separators, 1-decimal percentages, YYYY-MM-DD; empty cells blank."""
    if kind in NUMERIC:
        numbers = pd.to_numeric(series, errors="coerce").astype("float64")
        pattern = _NUMBER_FORMATS[kind]
        text = [pattern.format(v) if v == v else "" for v in numbers.to_numpy()]
        return pd.Series(text, index=series.index, dtype="string")
    if kind in (DATE, DATETIME):
        # a DATETIME is a stored UTC time: shown in the console's local zone (core.localtime)
        dates = pd.to_datetime(series, errors="coerce") if kind == DATE else local_series(series)
        pattern = "%Y-%m-%d" if kind == DATE else "%Y-%m-%d %H:%M"
        return dates.dt.strftime(pattern).astype("string").fillna("")
    if pd.api.types.is_bool_dtype(series):
        return series.map({True: "✓", False: ""}).astype("string").fillna("")
    return series.astype("string").fillna("")


def display_frame(frame: pd.DataFrame, kinds: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every column as text for st.dataframe (it shows "None" for missing values and has no option against it).

    ``kinds`` names a column's format (count, amount, pct, date, text); others are guessed from the dtype.
    """
    kinds = kinds or {}
    return pd.DataFrame(
        {c: format_column(frame[c], kinds.get(c) or column_kind(frame[c])) for c in frame.columns},
        index=frame.index,
    )


def numeric_columns(frame: pd.DataFrame, kinds: Mapping[str, str] | None = None) -> list[str]:
    kinds = kinds or {}
    return [c for c in frame.columns if (kinds.get(c) or column_kind(frame[c])) in NUMERIC]
