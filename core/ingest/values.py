"""Vectorized cell parsing: amounts, dates, ids, familiarity, header keys. Works on 1M-row columns (pyarrow compute)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# A unit written at the end of a header: 余额(万元), 余额（元）, 余额[单位:万元].
_UNIT = re.compile(
    r"[(\[{【]\s*(?:单位\s*[:：]?\s*)?(人民币)?(万元|千元|元|万|rmb|cny)\s*[)\]}】]\s*$", re.IGNORECASE
)
UNIT_MULTIPLIERS = {
    "万元": 10_000.0,
    "万": 10_000.0,
    "千元": 1_000.0,
    "元": 1.0,
    "rmb": 1.0,
    "cny": 1.0,
}
_HEADER_NOISE = re.compile(r"[\s_\-.:：*#·•]+")

_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_AMOUNT_NOISE = r"(?i)[\s¥$'\"]|^(?:rmb|cny|人民币)|元$"
_COMMON = r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"
_PLAIN = r"^[-+0-9.,eE]*$"  # nothing to remove but thousands separators
_GROUPED = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$"  # 1,234,567.89; 1.000,5 or 12,34 are not amounts
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_MAX_SERIAL = 2_958_465  # 9999-12-31
_NO_DATE = ("0", "00000000", "0000-00-00", "0000/00/00")

FAMILIARITY_WORDS: dict[str, int] = {
    "陌生": 1,
    "很低": 1,
    "不熟": 1,
    "不熟悉": 1,
    "低": 2,
    "较低": 2,
    "较陌生": 2,
    "一般": 3,
    "中": 3,
    "中等": 3,
    "较熟": 4,
    "较高": 4,
    "高": 4,
    "熟悉": 5,
    "很熟": 5,
    "很高": 5,
    "非常熟悉": 5,
}


def header_key(text: object) -> tuple[str, float | None]:
    """A header's matching key (full-width folded, case- and space-insensitive, unit removed) and its unit multiplier."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return "", None
    folded = unicodedata.normalize("NFKC", str(text)).strip().replace("\ufeff", "")
    multiplier = None
    match = _UNIT.search(folded)
    if match and match.start() > 0:
        multiplier = UNIT_MULTIPLIERS[match.group(2).lower()]
        folded = folded[: match.start()]
    return _HEADER_NOISE.sub("", folded).casefold(), multiplier


def cell_text(value: object) -> str | None:
    """One typed cell (from Excel) as the text a CSV export would hold; None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat(sep=" ")
    return str(value)


def arrow_strings(values: pd.Series) -> pa.ChunkedArray:
    """The column as arrow strings without a detour through Python objects when it already is arrow-backed."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        arr = pa.array(values.array)
        return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])
    if values.dtype == object and not _all_text(values):
        values = values.map(cell_text, na_action="ignore")
    elif values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
        values = values.map(cell_text, na_action="ignore").astype(object)
    return pa.chunked_array([pa.array(values, type=pa.string(), from_pandas=True)])


def _none(arr: pa.Array | pa.ChunkedArray) -> pa.Scalar:
    """A null of the array's own type (string or large_string)."""
    return pa.scalar(None, arr.type)


def to_arrow_text(values: pd.Series, *, fold: bool = True) -> pa.ChunkedArray:
    """The column as arrow strings, stripped, empty -> null; ``fold``: NFKC (full-width digits, letters and
    punctuation become ASCII)."""
    arr = arrow_strings(values)
    if fold and not pc.all(pc.string_is_ascii(arr)).as_py():
        arr = pc.utf8_normalize(arr, "NFKC")
    arr = pc.utf8_trim_whitespace(arr)
    empty = pc.equal(arr, "")
    return pc.if_else(empty, _none(arr), arr) if pc.any(empty).as_py() else arr


def _all_text(values: pd.Series) -> bool:
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    return inferred in ("string", "empty")


def _numpy_bool(arr: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(bool, copy=False)


def parse_amounts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(float64 元 or NaN, bad mask). Thousands separators, ¥/￥, full-width digits, trailing 元, (1,234.00) negatives.

    Empty cells give NaN and are not flagged: the caller decides whether the value is required. Units in the header
    (万元) are the caller's: multiply the result.
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.astype("float64")
        return numbers, pd.Series(
            ~np.isfinite(numbers.to_numpy()) & numbers.notna().to_numpy(), index=values.index
        )
    text = to_arrow_text(values)
    if pc.all(pc.match_substring_regex(text, _COMMON)).as_py():  # the usual export: 1,234.56 or 1234.56
        numbers = pc.cast(pc.replace_substring(text, ",", ""), pa.float64())
        result = pc.fill_null(numbers, np.nan).to_numpy(zero_copy_only=False).astype("float64", copy=False)
        return pd.Series(result, index=values.index, dtype="float64"), pd.Series(
            np.zeros(len(result), dtype=bool), index=values.index
        )
    cleaned = text
    if not pc.all(pc.match_substring_regex(text, _PLAIN)).as_py():
        cleaned = pc.replace_substring_regex(text, _AMOUNT_NOISE, "")
        if pc.any(pc.match_substring(cleaned, "(")).as_py():
            cleaned = pc.replace_substring_regex(cleaned, r"^\((.*)\)$", r"-\1")
    commas = pc.match_substring(cleaned, ",")
    if pc.any(commas).as_py():
        grouped = pc.match_substring_regex(cleaned, _GROUPED)
        cleaned = pc.if_else(
            pc.and_(commas, pc.invert(grouped)),
            _none(cleaned),
            pc.replace_substring(cleaned, ",", ""),
        )
    try:  # the usual column: every cell already a plain number
        if not pc.all(pc.match_substring_regex(cleaned, r"^[-+0-9.]+$")).as_py():
            raise pa.ArrowInvalid("not plain")
        numbers = pc.cast(cleaned, pa.float64())
    except pa.ArrowInvalid:
        valid = pc.match_substring_regex(cleaned, _NUMBER)
        numbers = pc.cast(pc.if_else(valid, cleaned, _none(cleaned)), pa.float64())
    result = pc.fill_null(numbers, np.nan).to_numpy(zero_copy_only=False).astype("float64", copy=False)
    present = _numpy_bool(pc.is_valid(text))
    bad = present & ~np.isfinite(result)
    result = np.where(bad, np.nan, result)
    return pd.Series(result, index=values.index, dtype="float64"), pd.Series(bad, index=values.index)


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def _days_from_ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[D] for (year, month, day) triples and a validity mask (Feb 30 and month 13 are invalid; their
    day is meaningless). Civil-from-days arithmetic: no per-value Python."""
    year, month, day = (np.clip(a, -1, 10_000).astype(np.int32) for a in (year, month, day))
    m = np.clip(month, 1, 12)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok = (
        (year >= 1)
        & (year <= 9999)
        & (month == m)
        & (day >= 1)
        & (day <= _MONTH_DAYS[m - 1] + ((m == 2) & leap))
    )
    y = year - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return (era * 146097 + doe - 719468).astype("datetime64[D]"), ok


def _int_field(struct: pa.Array, name: str) -> np.ndarray:
    field = pc.struct_field(struct, name)
    return pc.fill_null(pc.cast(field, pa.int64()), 0).to_numpy(zero_copy_only=False)


_PADDED = r"^\d{4}[-/.]\d{2}[-/.]\d{2}$"
_YMD = r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?$"
_DMY = r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})$"
_SERIAL = r"^\d{1,7}(?:\.\d+)?$"

DateStep = Callable[[pa.Array], tuple[np.ndarray, np.ndarray]]


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(datetime64 day or NaT, bad mask). 2026/12/05, 2026-12-05, 2026.12.5, 20261205, 2026年12月5日, 5/12/2026
    (day first unless the column shows month first), Excel serial numbers and real date cells; a time part is ignored.

    Empty cells and the core systems' "no date" fillers (0, 00000000) give NaT and are not flagged.
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        return out.dt.floor("D").astype("datetime64[us]"), pd.Series(False, index=values.index)
    text = to_arrow_text(values).combine_chunks()
    text = pc.if_else(pc.is_in(text, pa.array(_NO_DATE, type=text.type)), _none(text), text)
    if pc.any(pc.match_substring(text, ":")).as_py():
        text = pc.replace_substring_regex(text, r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$", "")
    n = len(text)
    days = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    left = _numpy_bool(pc.is_valid(text))
    lengths = pc.fill_null(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False)
    # Cheapest and commonest forms first (picked by length); each later step sees only what is left.
    steps: list[tuple[int | None, DateStep]] = [
        (10, _padded),
        (8, _compact),
        (None, _general_ymd),
        (None, _day_month_year),
        (None, _excel_serial),
    ]
    for length, step in steps:
        candidates = np.flatnonzero(left if length is None else left & (lengths == length))
        if not len(candidates):
            continue
        subset = text.take(pa.array(candidates)) if len(candidates) < n else text
        got, ok = step(subset)
        days[candidates[ok]] = got[ok]
        left[candidates[ok]] = False
    pending = np.flatnonzero(left)
    bad = np.zeros(n, dtype=bool)
    bad[pending] = True
    return pd.Series(days.astype("datetime64[us]"), index=values.index), pd.Series(bad, index=values.index)


def _padded(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """2026-12-05, 2026/12/05, 2026.12.05: arrow's strict ISO cast when the whole lot is valid."""
    iso = pc.replace_substring(pc.replace_substring(text, "/", "-"), ".", "-")
    try:
        days = pc.cast(iso, pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    except pa.ArrowInvalid:  # some cell is not a real date: find which, one form at a time
        return _sliced(text, _PADDED, (0, 4), (5, 7), (8, 10))
    return days, np.ones(len(text), dtype=bool)


def _compact(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """20261205 (eight characters): read as one integer, then split arithmetically."""
    days = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[D]")
    digits = _numpy_bool(pc.ascii_is_decimal(text))
    hit = np.flatnonzero(digits)
    if not len(hit):
        return days, digits
    subset = text.take(pa.array(hit)) if len(hit) < len(text) else text
    number = pc.cast(subset, pa.int64()).to_numpy(zero_copy_only=False)
    got, ok = _days_from_ymd(number // 10_000, number // 100 % 100, number % 100)
    days[hit[ok]] = got[ok]
    found = np.zeros(len(text), dtype=bool)
    found[hit[ok]] = True
    return days, found


def _sliced(text: pa.Array, pattern: str, *spans: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Fixed-width forms: year, month and day cut out by position (faster than a capturing regex)."""
    match = _numpy_bool(pc.match_substring_regex(text, pattern))
    days = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[D]")
    hit = np.flatnonzero(match)
    if not len(hit):
        return days, match
    subset = text.take(pa.array(hit)) if len(hit) < len(text) else text
    y, m, d = (
        pc.cast(pc.utf8_slice_codeunits(subset, start, stop), pa.int64()).to_numpy(zero_copy_only=False)
        for start, stop in spans
    )
    got, ok = _days_from_ymd(y, m, d)
    days[hit[ok]] = got[ok]
    match[hit[~ok]] = False
    return days, match


def _from_struct(struct: pa.Array, hit: np.ndarray, y: str, m: str, d: str) -> tuple[np.ndarray, np.ndarray]:
    days = np.full(len(struct), np.datetime64("NaT"), dtype="datetime64[D]")
    got, ok = _days_from_ymd(_int_field(struct, y), _int_field(struct, m), _int_field(struct, d))
    ok &= hit
    days[ok] = got[ok]
    return days, ok


def _general_ymd(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """2026/1/5, 2026年1月5日, 2026 - 01 - 05."""
    parts = pc.extract_regex(text, _YMD)
    return _from_struct(parts, _numpy_bool(pc.is_valid(parts)), "y", "m", "d")


def _day_month_year(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """5/12/2026 is 5 December unless some value of the column only reads month first (12/25/2026)."""
    parts = pc.extract_regex(text, _DMY)
    hit = _numpy_bool(pc.is_valid(parts))
    a, b = _int_field(parts, "a"), _int_field(parts, "b")
    month_first = bool(((b > 12) & hit).any()) and not bool(((a > 12) & hit).any())
    return _from_struct(parts, hit, "y", "a" if month_first else "b", "b" if month_first else "a")


def _excel_serial(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    serial_text = pc.if_else(pc.match_substring_regex(text, _SERIAL), text, _none(text))
    serial = pc.fill_null(pc.cast(serial_text, pa.float64()), np.nan).to_numpy(zero_copy_only=False)
    ok = np.isfinite(serial) & (serial >= 1) & (serial <= _MAX_SERIAL)
    days = _EXCEL_EPOCH + np.where(ok, np.floor(serial), 0).astype("int64").astype("timedelta64[D]")
    return np.where(ok, days, np.datetime64("NaT")), ok


def clean_ids(values: pd.Series) -> pd.Series:
    """Customer ids as text: leading zeros kept, Excel text guards (="001", '001, tab) and spaces removed."""
    text = to_arrow_text(values)
    if pc.any(pc.starts_with(text, "=")).as_py() or pc.any(pc.starts_with(text, "'")).as_py():
        text = pc.replace_substring_regex(text, r'^="(.*)"$', r"\1")
        text = pc.replace_substring_regex(text, r"^'", "")
        text = pc.utf8_trim_whitespace(text)
        text = pc.if_else(pc.equal(text, ""), _none(text), text)
    return pd.Series(pd.arrays.ArrowStringArray(text), index=values.index).astype("string")


def scientific_ids(ids: pd.Series) -> np.ndarray:
    """Ids that Excel turned into scientific notation (6.22848E+18): the digits are lost, the row cannot be used."""
    if not len(ids):
        return np.zeros(0, dtype=bool)
    text = arrow_strings(ids)
    if not pc.any(pc.match_substring(text, "E+", ignore_case=True)).as_py():
        return np.zeros(len(ids), dtype=bool)
    return _numpy_bool(pc.match_substring_regex(text, r"(?i)^\d(?:\.\d+)?e\+\d{2,}$"))


def clean_text(values: pd.Series) -> pd.Series:
    """A free-text column (name, outlet, manager) as ``string``, stripped, with <NA> for empty cells."""
    text = to_arrow_text(values, fold=False)
    return pd.Series(pd.arrays.ArrowStringArray(text), index=values.index).astype("string")


def parse_familiarity(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(Int64 ordinal, bad mask): numbers as they are, words 陌生 … 很熟 as 1 … 5 (lower = less familiar)."""
    text = to_arrow_text(values)
    words = pa.array(list(FAMILIARITY_WORDS), type=text.type)
    codes = pa.array(list(FAMILIARITY_WORDS.values()), type=pa.float64())
    index = pc.index_in(text, words)
    from_words = pc.take(codes, pc.fill_null(index, 0))
    from_words = pc.if_else(pc.is_valid(index), from_words, pa.scalar(None, pa.float64()))
    numeric_text = pc.if_else(pc.match_substring_regex(text, r"^[+-]?\d+(?:\.0*)?$"), text, _none(text))
    numbers = pc.cast(pc.cast(numeric_text, pa.float64()), pa.float64())
    combined = pc.coalesce(from_words, numbers)
    present = _numpy_bool(pc.is_valid(text))
    got = _numpy_bool(pc.is_valid(combined))
    floats = pc.fill_null(combined, np.nan).to_numpy(zero_copy_only=False)
    big = np.abs(np.nan_to_num(floats)) > 1e9
    floats = np.where(big, np.nan, floats)
    result = pd.array(np.where(np.isnan(floats), 0, floats).astype("int64"), dtype="Int64")
    result[np.isnan(floats)] = pd.NA
    return pd.Series(result, index=values.index), pd.Series(present & (~got | big), index=values.index)
