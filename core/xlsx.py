"""One formatted-sheet writer for every workbook the console hands out (xlsxwriter).

Values are stored by column kind as strings or numbers only (what ``write_string`` / ``write_number`` store):
nothing from an export is ever turned into a formula, URL or number by guessing (a name "=1+1" stays text).
Dates are Excel serial numbers with a date format, which is exactly what ``write_datetime`` stores, computed
for the whole column at once.

Everything goes through xlsxwriter's public API (``write_string``, ``write_number``, ``write_blank``,
``set_row``), in its constant-memory mode by default: each row is written out when the next begins, so memory
stays flat whatever the size, and every sheet writes its rows strictly in order, each row's height set before
its cells. ``new_workbook(..., constant_memory=False)`` keeps the whole book in memory (with a shared-string
table) for a writer that must go back to an earlier row.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from typing import IO, Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

KINDS = ("text", "int", "number", "money", "date", "percent", "day")
SHEET_NAME_MAX = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_NUM_FORMATS = {
    "int": "#,##0",
    "number": "#,##0.0#",  # "#,##0.##" would show a whole number as "150." in Excel
    "money": "#,##0.00",
    "date": "yyyy-mm-dd",
    "percent": "0.0%",
    "day": '[$-804]m"月"d"日" "周"aaa',  # a date as a caller reads it: 12月1日 周二 (zh-CN day names)
}
_DEFAULT_WIDTHS = {"text": 14, "int": 10, "number": 12, "money": 15, "date": 12, "percent": 10, "day": 12}
CREATED = dt.datetime(
    2000, 1, 1, tzinfo=dt.UTC
)  # the workbooks' "created" property, fixed (see new_workbook)
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "constant_memory": False,
}


@dataclass(frozen=True)
class ColumnSpec:
    """One output column: its header, how its values are written, its width, and the frame column it reads."""

    header: str
    kind: str = "text"
    width: float | None = None
    key: str | None = None
    wrap: bool = False  # wrapped text (Excel grows the row to fit)

    @property
    def source(self) -> str:
        return self.key if self.key is not None else self.header


@dataclass(frozen=True)
class Validation:
    """A drop-down list on one column, for the data rows and ``spare_rows`` empty rows below them."""

    header: str
    choices: tuple[str, ...]
    spare_rows: int = 200


def new_workbook(target: str | os.PathLike | IO[bytes], *, constant_memory: bool = True) -> Workbook:
    """An xlsxwriter workbook that never converts strings into formulas, URLs or numbers.

    ``book.console_cells`` counts the cells ``write_sheet`` has written (headers, titles, footers included).
    """
    options = dict(WORKBOOK_OPTIONS, constant_memory=constant_memory, in_memory=not constant_memory)
    book = xlsxwriter.Workbook(target, options)
    book.set_properties({"created": CREATED})  # not the clock: the same content gives the same bytes
    book.console_formats = {}  # type: ignore[attr-defined]
    book.console_names = set()  # type: ignore[attr-defined]
    book.console_cells = 0  # type: ignore[attr-defined]
    return book


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a workbook is built.

    xlsxwriter keeps millions of small cell tuples; every full collection would walk all of them again
    (about 15% of the time of a 100k-customer workbook). They hold no cycles, so nothing is lost.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _formats(book: Workbook) -> dict[str, Any]:
    cache: dict[str, Any] = book.console_formats  # type: ignore[attr-defined]
    if not cache:
        cache["header"] = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        cache["title"] = book.add_format({"bold": True, "font_size": 13})
        cache["label"] = book.add_format({"bold": True})
        # top-aligned, so a row grown by a wrapped cell still reads across from its first line
        cache["text"] = book.add_format({"valign": "top"})
        cache["wrap"] = book.add_format({"text_wrap": True, "valign": "top"})
        for kind, pattern in _NUM_FORMATS.items():
            cache[kind] = book.add_format({"num_format": pattern, "valign": "top"})
        ruled = {"border": 1, "text_wrap": True, "valign": "vcenter"}
        cache["form_text"] = book.add_format(ruled)
        for kind, pattern in _NUM_FORMATS.items():
            cache[f"form_{kind}"] = book.add_format(dict(ruled, num_format=pattern))
    return cache


def safe_sheet_name(name: str, used: Iterable[str] = ()) -> str:
    """A valid, unique sheet name: the name itself when Excel accepts it.

    Excel refuses []:*?/\\ (each becomes "_"), names over 31 characters (cut), a leading or trailing
    apostrophe (dropped), blank names ("Sheet") and duplicates ignoring case ("name(2)", "name(3)" ...).
    """
    clean = _FORBIDDEN.sub("_", str(name)).strip().strip("'").strip() or "Sheet"
    clean = clean[:SHEET_NAME_MAX]
    taken = {u.casefold() for u in used}
    if clean.casefold() not in taken and clean.casefold() != "history":
        return clean
    n = 2
    while True:
        suffix = f"({n})"
        candidate = clean[: SHEET_NAME_MAX - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            return candidate
        n += 1


def add_sheet(book: Workbook, name: str) -> Worksheet:
    """Add a worksheet under ``safe_sheet_name(name)``; the workbook remembers names already used."""
    used: set[str] = book.console_names  # type: ignore[attr-defined]
    sheet_name = safe_sheet_name(name, used)
    used.add(sheet_name)
    return book.add_worksheet(sheet_name)


def _column_values(frame: pd.DataFrame, spec: ColumnSpec) -> list:
    """A column as plain Python values ready for the writer; None where the cell stays empty."""
    if spec.source not in frame.columns:
        return [None] * len(frame)
    series = frame[spec.source]
    kind = spec.kind
    if kind == "text" and isinstance(series.dtype, pd.StringDtype):
        values = series.tolist()
        for i in np.flatnonzero((series.isna() | (series == "")).to_numpy(dtype=bool, na_value=True)):
            values[i] = None
        return values
    if kind == "text":
        values = series.astype(object).tolist()
        return [None if _missing(v) or v == "" else (v if isinstance(v, str) else _text(v)) for v in values]
    if kind in ("date", "day"):
        days = pd.to_datetime(series, errors="raise").to_numpy(dtype="datetime64[D]")
        serial = (days - _EXCEL_EPOCH).astype("float64")
        serial[np.isnat(days)] = np.nan
        return [None if v != v else v for v in serial.tolist()]
    numbers = pd.to_numeric(series, errors="raise").astype("float64").to_numpy()
    if kind == "int":
        return [None if v != v else int(v) for v in numbers.tolist()]
    return [None if v != v or v in (np.inf, -np.inf) else v for v in numbers.tolist()]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def write_sheet(
    book: Workbook,
    name: str,
    frame: pd.DataFrame,
    *,
    columns: Sequence[ColumnSpec],
    title: str | None = None,
    footer: Sequence[tuple[str, str]] = (),
    freeze: bool = True,
    autofilter: bool = True,
    landscape: bool = True,
    validations: Sequence[Validation] | None = None,
) -> Worksheet:
    """Write ``frame`` as one formatted sheet; returns the worksheet.

    Layout: an optional bold title row, the bold header row (frozen, autofiltered, repeated on every
    printed page), the data, then optional ``footer`` label/value rows. Printing is landscape A4 fitted
    to the page width. Each column's values are written by ``ColumnSpec.kind``; missing values stay empty.
    """
    for spec in columns:
        if spec.kind not in KINDS:
            raise ValueError(f"unknown column kind {spec.kind!r}")
    formats = _formats(book)
    sheet = add_sheet(book, name)
    header_row = 1 if title else 0
    first = header_row + 1
    n_rows, n_cols = len(frame), len(columns)
    for c, spec in enumerate(columns):
        sheet.set_column(c, c, spec.width or _DEFAULT_WIDTHS[spec.kind])
    if landscape:
        sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_header("&L&A&R&P / &N")
    if title:
        sheet.write_string(0, 0, title, formats["title"])
        book.console_cells += 1  # type: ignore[attr-defined]
    header_lines = max(
        (text_lines(spec.header, spec.width or _DEFAULT_WIDTHS[spec.kind]) for spec in columns), default=1
    )
    if header_lines > 1:  # a header that wraps gets its height before the row is written out
        sheet.set_row(header_row, LINE_POINTS * header_lines + 2)
    for c, spec in enumerate(columns):
        sheet.write_string(header_row, c, spec.header, formats["header"])
    if freeze:
        sheet.freeze_panes(first, 0)
    if autofilter and n_cols:
        sheet.autofilter(header_row, 0, header_row + max(n_rows, 1), n_cols - 1)
    for rule in validations or ():
        col = next(i for i, spec in enumerate(columns) if spec.header == rule.header)
        sheet.data_validation(
            first,
            col,
            first + n_rows + rule.spare_rows - 1,
            col,
            {"validate": "list", "source": list(rule.choices), "ignore_blank": True},
        )
    book.console_cells += _write_rows(sheet, frame, columns, formats, first) + len(columns)  # type: ignore[attr-defined]
    row = first + n_rows + (1 if footer else 0)
    for label, value in footer:
        sheet.write_string(row, 0, str(label), formats["label"])
        book.console_cells += 1  # type: ignore[attr-defined]
        if value is not None and value != "":
            sheet.write_string(row, 1, str(value))
            book.console_cells += 1  # type: ignore[attr-defined]
        row += 1
    return sheet


def _write_rows(
    sheet: Worksheet, frame: pd.DataFrame, columns: Sequence[ColumnSpec], formats: dict, first: int
) -> int:
    """Write the data rows in order, each row's height (wrapped text) set before its cells; returns the number of
    cells written (missing values write nothing)."""
    data = [_column_values(frame, spec) for spec in columns]
    write_string, write_number = sheet.write_string, sheet.write_number
    # per column: its index, its writer (the kind decides string or number once) and its format
    plan = [
        (c, write_string if spec.kind == "text" else write_number, _data_format(formats, spec))
        for c, spec in enumerate(columns)
    ]
    set_row = sheet.set_row
    for row, lines, values in zip(
        range(first, first + len(frame)), wrapped_lines(frame, columns), zip(*data, strict=True), strict=False
    ):
        if lines > 1:  # set, not left to the viewer: not every spreadsheet program grows wrapped rows itself
            set_row(row, LINE_POINTS * lines + 3)
        for (c, write, fmt), value in zip(plan, values, strict=True):
            if value is not None:
                write(row, c, value, fmt)
    return sum(len(values) - values.count(None) for values in data)


def _data_format(formats: dict, spec: ColumnSpec) -> Any:
    """The format of a data cell of ``spec``'s column on a plain sheet."""
    return formats["wrap"] if spec.wrap and spec.kind == "text" else formats[spec.kind]


LINE_POINTS = 15.0  # one line of 11 pt text in a row


def wrapped_lines(frame: pd.DataFrame, columns: Sequence[ColumnSpec]) -> list[int]:
    """Per row, the lines its tallest wrapped text column needs (1 without wrapped columns)."""
    wrapped = [(spec.source, spec.width or _DEFAULT_WIDTHS[spec.kind]) for spec in columns if spec.wrap]
    wrapped = [(key, width) for key, width in wrapped if key in frame.columns]
    if not wrapped:
        return [1] * len(frame)
    lines: list[int] | None = None
    for key, width in wrapped:
        seen: dict[Any, int] = {}  # texts repeat (offers, due dates): each distinct text is measured once
        column = []
        for value in frame[key].astype(object).tolist():
            n = seen.get(value)
            if n is None:
                n = seen[value] = text_lines(value, width) if isinstance(value, str) else 1
            column.append(n)
        lines = column if lines is None else list(map(max, lines, column))
    return lines if lines is not None else [1] * len(frame)


A4_LANDSCAPE_INCHES = 11.69
FORM_MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.6}


def column_points(width: float) -> float:
    """Printed width in points of a column ``width`` characters wide (Excel's default font: 7 px a character
    plus 5 px padding, at 96 px an inch)."""
    return int(width * 7 + 5) * 0.75


def print_scale(widths: Sequence[float], *, left: float = 0.7, right: float = 0.7) -> float:
    """The zoom Excel uses to fit columns of these widths to the width of an A4 landscape page (at most 1)."""
    printable = (A4_LANDSCAPE_INCHES - left - right) * 72
    return min(1.0, printable / sum(column_points(w) for w in widths))


@lru_cache(maxsize=65536)
def text_lines(text: str | None, width: float) -> int:
    """Lines a wrapped cell of ``width`` characters needs for ``text`` (a CJK character is two wide)."""
    if not text:
        return 1
    room = max(1.0, width - 1)
    lines = 0
    for part in str(text).split("\n"):
        wide = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
        lines += max(1, -(-wide // int(room)))
    return lines


def write_form(
    book: Workbook,
    name: str,
    frame: pd.DataFrame,
    *,
    columns: Sequence[ColumnSpec],
    heights: Sequence[float],
    breaks: Sequence[int] = (),
    header: str = "",
    footer: str = "",
    validations: Sequence[Validation] = (),
) -> Worksheet:
    """A sheet to print and fill in by hand: every cell ruled and wrapped, empty cells included.

    One header row (frozen, autofiltered, repeated on every printed page), then ``frame``'s rows at
    ``heights`` (points); a new printed page starts before each data row index in ``breaks``. A4 landscape,
    fitted to the page width, with ``header`` / ``footer`` printed on every page. Values are written by
    ``ColumnSpec.kind`` exactly as ``write_sheet`` writes them.
    """
    for spec in columns:
        if spec.kind not in KINDS:
            raise ValueError(f"unknown column kind {spec.kind!r}")
    formats = _formats(book)
    sheet = add_sheet(book, name)
    n_rows, n_cols = len(frame), len(columns)
    for c, spec in enumerate(columns):
        sheet.set_column(c, c, spec.width or _DEFAULT_WIDTHS[spec.kind])
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(**FORM_MARGINS)
    sheet.center_horizontally()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    if header:
        sheet.set_header(header)
    if footer:
        sheet.set_footer(footer)
    sheet.set_row(0, 30)
    for c, spec in enumerate(columns):
        sheet.write_string(0, c, spec.header, formats["header"])
    sheet.freeze_panes(1, 0)
    if n_cols:
        sheet.autofilter(0, 0, max(n_rows, 1), n_cols - 1)
    for rule in validations:
        col = next(i for i, spec in enumerate(columns) if spec.header == rule.header)
        sheet.data_validation(
            1,
            col,
            n_rows + rule.spare_rows,
            col,
            {"validate": "list", "source": list(rule.choices), "ignore_blank": True},
        )
    sheet.set_h_pagebreaks([1 + b for b in breaks if b > 0])
    data = [_column_values(frame, spec) for spec in columns]
    write_string, write_number, write_blank = sheet.write_string, sheet.write_number, sheet.write_blank
    plan = [
        (c, write_string if spec.kind == "text" else write_number, formats[f"form_{spec.kind}"])
        for c, spec in enumerate(columns)
    ]
    set_row = sheet.set_row
    body = n_rows if n_cols else 0  # rows with cells; each gets its height just before them
    for row, height in enumerate(heights[body:], start=1 + body):  # rows past the data: a height only
        set_row(row, height)
    for row, height, values in zip(
        range(1, 1 + body), chain(heights, repeat(None)), zip(*data, strict=True), strict=False
    ):
        if height is not None:
            set_row(row, height)
        for (c, write, fmt), value in zip(plan, values, strict=True):
            if value is None:
                write_blank(row, c, None, fmt)
            else:
                write(row, c, value, fmt)
    book.console_cells += n_rows * n_cols + n_cols  # type: ignore[attr-defined]  # ruled blanks are cells too
    return sheet
