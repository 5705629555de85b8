"""The table every reader produces: header detection, column names, blank/total/repeated-header rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.i18n import t
from core.ingest.values import header_key

HEADER_SCAN_ROWS = 20
TOTAL_CELLS = 3  # a total row says 合计 in one of its first cells
TOTAL = r"^\s*(?:合|总|小)\s*计\s*(?:$|[:：(（\[【\s])"  # 合计, 总计：, 小 计(元); not a name like 小计划
_STR_TYPES = {
    pa.string(): pd.StringDtype("pyarrow", na_value=np.nan),
    pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan),
}


@dataclass(frozen=True)
class Rejection:
    """A row left out (or a value left empty) and why, as the user sees it in the file."""

    row: int
    reason: str
    column: str | None = None
    file: str | None = None


@dataclass
class RawTable:
    """A header-detected table, every cell a string or None, before any field mapping."""

    frame: pd.DataFrame
    row_numbers: np.ndarray
    header_row: int
    file_name: str
    encoding: str | None
    sheet: str | None
    sha256: str
    excel_cells: pd.DataFrame | None = (
        None  # Excel only: the typed values (float, datetime.date, str) behind frame
    )
    delimiter: str | None = None
    total_rows: list[int] = field(default_factory=list)  # rows left out as 合计/总计/小计
    sheets: list[str] = field(default_factory=list)
    repeated_headers: list[int] = field(default_factory=list)  # rows that repeat the header, left out
    titles: list[str] = field(default_factory=list)  # the text of the rows above the header

    @property
    def headers(self) -> list[str]:
        return [str(c) for c in self.frame.columns]


def find_header(rows: list[list[str | None]], hints: set[str]) -> int | None:
    """Index of the header among the first rows, or None when every row is empty."""
    scan = rows[:HEADER_SCAN_ROWS]
    widths = [sum(1 for c in r if c not in (None, "")) for r in scan]
    if not any(widths):
        return None
    if hints:
        scores = [sum(1 for c in r if c and header_key(c)[0] in hints) for r in scan]
        best = max(scores)
        if best > 0:
            return scores.index(best)
    return next(i for i, w in enumerate(widths) if w >= 0.8 * max(widths))


def column_names(cells: list[str | None], width: int) -> list[str]:
    names: list[str] = []
    seen: Counter[str] = Counter()
    for i in range(width):
        raw = cells[i] if i < len(cells) else None
        text = str(raw).replace("\ufeff", "").strip() if raw not in (None, "") else ""
        text = text or t("ingest.label.unnamed_column", n=i + 1)
        seen[text] += 1
        names.append(text if seen[text] == 1 else f"{text}({seen[text]})")
    return names


def arrow_body(columns: list[list[str | None]]) -> pa.Table:
    """Python cell lists (one list per column, blank cells already None) as a table with columns c0, c1, ..."""
    return pa.table({f"c{i}": pa.array(col, type=pa.string()) for i, col in enumerate(columns)})


def finish_table(
    names: list[str], body: pa.Table, row_numbers: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, list[int], np.ndarray, list[int]]:
    """Drop unnamed empty columns, blank rows, total rows and repeated header rows (cells are already None when
    empty or blank).

    Returns the frame, its row numbers, the total rows' numbers, the kept-row mask over ``body`` and the repeated
    header rows' numbers.
    """
    cleaned: dict[str, pa.ChunkedArray] = {}
    for position, (name, column) in enumerate(zip(names, body.columns, strict=True)):
        spaces = pc.utf8_is_space(column)  # a cell of nothing but spaces or line breaks is empty
        if pc.any(spaces).as_py():
            column = pc.if_else(spaces, pa.scalar(None, column.type), column)
        unnamed = name == t("ingest.label.unnamed_column", n=position + 1)
        if unnamed and column.null_count == len(column):
            continue
        cleaned[name] = column
    n = body.num_rows
    keep = np.ones(n, dtype=bool)
    totals: list[int] = []
    repeats: list[int] = []
    if cleaned and n:
        present = np.zeros(n, dtype=bool)
        if any(column.null_count == 0 for column in cleaned.values()):
            present[:] = True
        else:
            for column in cleaned.values():
                present |= pc.is_valid(column).to_numpy(zero_copy_only=False)
        total = np.zeros(n, dtype=bool)
        for column in list(cleaned.values())[:TOTAL_CELLS]:
            # A substring search first: the regex then runs on the few cells that hold 计 at all.
            candidates = np.flatnonzero(
                pc.fill_null(pc.match_substring(column, "计"), False).to_numpy(zero_copy_only=False)
            )
            if len(candidates):
                found = pc.match_substring_regex(column.take(pa.array(candidates)), TOTAL)
                total[candidates] |= pc.fill_null(found, False).to_numpy(zero_copy_only=False)
        repeated = _repeated_headers(cleaned)
        keep = present & ~total & ~repeated
        totals = row_numbers[total & present].tolist()
        repeats = row_numbers[repeated].tolist()
    table = pa.table(cleaned) if cleaned else pa.table({})
    if not keep.all():
        kept = int(keep.sum())
        table = table.slice(0, kept) if keep[:kept].all() else table.filter(pa.array(keep))
        row_numbers = row_numbers[keep]
    frame = (
        table.to_pandas(types_mapper=_STR_TYPES.get)
        if cleaned
        else pd.DataFrame(index=range(len(row_numbers)))
    )
    return frame, row_numbers, totals, keep, repeats


def _repeated_headers(columns: dict[str, pa.ChunkedArray]) -> np.ndarray:
    """Rows that repeat the header (paged exports print it again on every page)."""
    names = list(columns)
    first = columns[names[0]]
    repeated = np.zeros(len(first), dtype=bool)
    candidates = np.flatnonzero(
        pc.fill_null(pc.equal(first, pa.scalar(names[0], first.type)), False).to_numpy(zero_copy_only=False)
    )
    if not len(candidates) or len(names) < 2:
        return repeated
    matches = np.ones(len(candidates), dtype=np.int64)
    for name in names[1:]:
        column = columns[name].take(pa.array(candidates))
        same = pc.fill_null(pc.equal(column, pa.scalar(name, column.type)), False)
        matches += same.to_numpy(zero_copy_only=False)
    repeated[candidates[matches >= max(2, 0.8 * len(names))]] = True
    return repeated


def title_texts(rows: list[list[str | None]]) -> list[str]:
    """Rows above the header as single lines of text (their non-empty cells)."""
    return [" ".join(str(c).strip() for c in r if c not in (None, "") and str(c).strip()) for r in rows]


def seen_rows(rows: list[list[str | None]]) -> str:
    shown = [" | ".join(str(c) for c in r if c not in (None, ""))[:80] for r in rows[:5]]
    return "；".join(s for s in shown if s) or t("ingest.label.none")


def empty_frame(columns: list[str], dtype: object = "str") -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=dtype) for c in columns}, columns=columns)


def short_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
