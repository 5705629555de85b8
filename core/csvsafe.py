"""Every CSV the console or the CLI writes goes through here: cells that a spreadsheet would run are made text.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed (also after
leading spaces) is prefixed with an apostrophe, as OWASP recommends for CSV injection; Excel and WPS then show it as
text. Numbers stay numbers (``-5`` in a numeric column is a value, not a formula). Headers are defused as well.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_LIVE = re.compile(r"^[ \u3000]*[=+\-@]|^[\t\r\n]")
PREFIX = "'"


def defuse(value: Any) -> Any:
    """One cell: a string that would start a formula gets the prefix; anything else is returned unchanged."""
    if isinstance(value, str) and _LIVE.match(value):
        return PREFIX + value
    return value


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and every column name defused."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_datetime64_any_dtype(series.dtype):
            continue
        if pd.api.types.is_bool_dtype(series.dtype):
            continue
        text = series.astype("object")
        mask = text.map(lambda v: isinstance(v, str) and bool(_LIVE.match(v)))
        if mask.any():
            out[column] = text.where(~mask, PREFIX + text.where(mask, "").astype(str))
    out.columns = [defuse(c) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame, *, encoding: str = "utf-8-sig", index: bool = False) -> bytes:
    """The frame as CSV bytes (UTF-8 with BOM by default, so Excel reads the Chinese), defused."""
    return defuse_frame(frame).to_csv(index=index).encode(encoding)


def write_csv(frame: pd.DataFrame, path, *, encoding: str = "utf-8-sig", index: bool = False) -> None:
    """``csv_bytes`` written to ``path``."""
    with open(path, "wb") as handle:
        handle.write(csv_bytes(frame, encoding=encoding, index=index))
