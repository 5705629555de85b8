"""Reading an export (CSV in any common encoding/delimiter, XLSX, legacy XLS) into a header-detected string table."""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import os
import pathlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import python_calamine

from core.errors import IngestError
from core.i18n import t
from core.ingest.values import cell_text, header_key

SAMPLE_BYTES = 64 * 1024
HEADER_SCAN_ROWS = 20
TOTAL_CELLS = 3  # a total row says 合计 in one of its first cells
DELIMITERS = (",", "\t", ";", "|")
_TOTAL = r"^\s*(?:合|总|小)\s*计\s*(?:$|[:：(（\[【\s])"  # 合计, 总计：, 小 计(元); not a name like 小计划
_BLANKS = ["", " ", "  ", "   ", "\t", "\u3000"]  # cells the CSV reader itself turns into None
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_STR_TYPES = {
    pa.string(): pd.StringDtype("pyarrow", na_value=np.nan),
    pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f]")

Source = str | os.PathLike | bytes | bytearray | memoryview | BinaryIO


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

    @property
    def headers(self) -> list[str]:
        return [str(c) for c in self.frame.columns]


def load_bytes(source: Source, file_name: str | None) -> tuple[bytes, str]:
    """The whole file and the name to show the user."""
    if isinstance(source, (str, os.PathLike)):
        path = pathlib.Path(source)
        name = file_name or path.name
        try:
            return path.read_bytes(), name
        except OSError as exc:
            raise IngestError(t("ingest.file.unreadable", file=name, error=exc.strerror or exc)) from exc
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), file_name or t("ingest.label.upload")
    name = file_name or pathlib.Path(str(getattr(source, "name", "") or t("ingest.label.upload"))).name
    if hasattr(source, "seek"):
        with contextlib.suppress(OSError, ValueError):
            source.seek(0)
    data = source.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return bytes(data), name


def read_table(
    source: Source,
    *,
    file_name: str | None = None,
    sheet: str | None = None,
    header_hints: Iterable[str] = (),
) -> RawTable:
    """Read a CSV/XLSX/XLS export: detect encoding, delimiter and header row; drop blank and total rows.

    The header is the first of the first 20 rows that matches the most ``header_hints`` (compared case-, space-,
    full-width- and unit-insensitively); with no hint matching, the first of the widest rows.
    """
    data, name = load_bytes(source, file_name)
    if not data[:SAMPLE_BYTES].strip() and not data.strip():
        raise IngestError(t("ingest.file.empty", file=name))
    digest = hashlib.sha256(data).hexdigest()
    hints = {header_key(h)[0] for h in header_hints} - {""}
    if data.startswith(_ZIP) or data.startswith(_OLE2):
        return _read_excel(data, name, digest, sheet, hints)
    return _read_text(data, name, digest, hints)


# ---------------------------------------------------------------- header detection and clean-up


def _find_header(rows: list[list[str | None]], hints: set[str]) -> int | None:
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


def _column_names(cells: list[str | None], width: int) -> list[str]:
    names: list[str] = []
    seen: Counter[str] = Counter()
    for i in range(width):
        raw = cells[i] if i < len(cells) else None
        text = str(raw).replace("\ufeff", "").strip() if raw not in (None, "") else ""
        text = text or t("ingest.label.unnamed_column", n=i + 1)
        seen[text] += 1
        names.append(text if seen[text] == 1 else f"{text}({seen[text]})")
    return names


def _arrow_body(columns: list[list[str | None]]) -> pa.Table:
    """Python cell lists (one list per column) as a string table with columns c0, c1, ...; blank cells -> None."""
    return pa.table(
        {
            f"c{i}": pa.array([c if c is None or c.strip() else None for c in col], type=pa.string())
            for i, col in enumerate(columns)
        }
    )


def _finish(
    names: list[str], body: pa.Table, row_numbers: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, list[int], np.ndarray, list[int]]:
    """Drop unnamed empty columns, blank rows, total rows and repeated header rows (cells are already None when
    empty or blank).

    Returns the frame, its row numbers, the total rows' numbers, the kept-row mask over ``body`` and the repeated
    header rows' numbers.
    """
    cleaned: dict[str, pa.ChunkedArray] = {}
    for position, (name, column) in enumerate(zip(names, body.columns, strict=True)):
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
                found = pc.match_substring_regex(column.take(pa.array(candidates)), _TOTAL)
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


def _seen(rows: list[list[str | None]]) -> str:
    shown = [" | ".join(str(c) for c in r if c not in (None, ""))[:80] for r in rows[:5]]
    return "；".join(s for s in shown if s) or t("ingest.label.none")


# ---------------------------------------------------------------- Excel


def _read_excel(data: bytes, name: str, digest: str, sheet: str | None, hints: set[str]) -> RawTable:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own, zip and XML errors for damaged files
        raise IngestError(t("ingest.file.excel", file=name, error=_short(exc))) from exc
    if sheet is None:
        if not names:
            raise IngestError(t("ingest.file.excel", file=name, error=t("ingest.label.no_sheets")))
        chosen = names[0]
    else:
        matches = [n for n in names if n == sheet] or [n for n in names if n.strip() == sheet.strip()]
        if not matches:
            raise IngestError(
                t("ingest.file.no_sheet", file=name, sheet=sheet, names="、".join(f"“{n}”" for n in names))
            )
        chosen = matches[0]
    try:
        sh = book.get_sheet_by_name(chosen)
        values = sh.to_python(skip_empty_area=True)
        first_row = sh.start[0] + 1 if sh.start else 1
    except Exception as exc:
        raise IngestError(t("ingest.file.excel", file=name, error=_short(exc))) from exc
    texts = [[cell_text(v) for v in row] for row in values]
    h = _find_header(texts, hints)
    if h is None:
        raise IngestError(t("ingest.file.sheet_empty", file=name, sheet=chosen))
    width = max(len(r) for r in values)
    columns = _column_names(texts[h], width)
    body_text = [r + [None] * (width - len(r)) for r in texts[h + 1 :]]
    body_cells = [list(r) + [""] * (width - len(r)) for r in values[h + 1 :]]
    by_column = [list(c) for c in zip(*body_text, strict=True)] if body_text else [[] for _ in columns]
    rows = np.arange(first_row + h + 1, first_row + h + 1 + len(body_text), dtype=np.int64)
    frame, rows, totals, keep, repeats = _finish(columns, _arrow_body(by_column), rows)
    cells = pd.DataFrame(body_cells, columns=columns, dtype=object) if body_cells else _empty(columns, object)
    cells = cells.loc[keep, list(frame.columns)].reset_index(drop=True)
    return RawTable(
        frame=frame,
        row_numbers=rows,
        header_row=first_row + h,
        file_name=name,
        encoding=None,
        sheet=chosen,
        sha256=digest,
        excel_cells=cells,
        total_rows=totals,
        sheets=names,
        repeated_headers=repeats,
    )


def _empty(columns: list[str], dtype: object = "str") -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=dtype) for c in columns}, columns=columns)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


# ---------------------------------------------------------------- text (CSV)


def _detect_encoding(data: bytes, name: str) -> tuple[str, bytes, str]:
    """(encoding to decode with, bytes to parse, encoding to report). UTF-16 is re-encoded as UTF-8 once."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", data, "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-8", _recode(data, "utf-16", name), "utf-16"
    sample = data[:SAMPLE_BYTES]
    final = len(data) <= SAMPLE_BYTES
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > 0.4 * len(sample) / 2 and even < 0.05 * len(sample) / 2:
            return "utf-8", _recode(data, "utf-16-le", name), "utf-16-le"
        if even > 0.4 * len(sample) / 2 and odd < 0.05 * len(sample) / 2:
            return "utf-8", _recode(data, "utf-16-be", name), "utf-16-be"
        raise IngestError(t("ingest.file.binary", file=name))
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)("strict").decode(sample, final)
        except UnicodeDecodeError:
            continue
        return encoding, data, encoding
    raise IngestError(t("ingest.file.encoding", file=name))


def _recode(data: bytes, encoding: str, name: str) -> bytes:
    try:
        return data.decode(encoding).lstrip("\ufeff").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(t("ingest.file.binary", file=name)) from exc


def _sample_text(data: bytes, encoding: str) -> str:
    sample = data[:SAMPLE_BYTES]
    if len(data) > SAMPLE_BYTES:
        cut = max(sample.rfind(b"\n"), sample.rfind(b"\r"))
        sample = sample[: cut + 1] if cut > 0 else sample
    return codecs.getincrementaldecoder(encoding)("replace").decode(sample, False)


def _records(text: str, delimiter: str, limit: int) -> list[tuple[int, list[str]]]:
    """(start line, cells) of the first ``limit`` records of ``text``."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for cells in reader:
            out.append((previous + 1, cells))
            previous = reader.line_num
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def _sniff_delimiter(text: str) -> str:
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(cells) for _, cells in _records(text, delimiter, 60) if any(c.strip() for c in cells)]
        wide = [w for w in widths if w > 1]
        if not wide:
            continue
        mode, count = Counter(wide).most_common(1)[0]
        score = (count, mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _line_offset(data: bytes, line: int) -> int:
    """Byte offset where physical line ``line`` (1-based) starts."""
    newline = _newline(data)
    offset = 0
    for _ in range(line - 1):
        found = data.find(newline, offset)
        if found < 0:
            return len(data)
        offset = found + 1
    return offset


def _physical_lines(data: bytes, offset: int) -> int:
    newline = _newline(data)
    count = data.count(newline, offset)
    tail = data[data.rfind(newline) + 1 :] if count else data[offset:]
    return count + (1 if tail else 0)


def _decode_error(
    data: bytes, encoding: str, name: str, exc: UnicodeDecodeError | None = None
) -> IngestError:
    start = None
    try:
        data.decode(encoding)
    except UnicodeDecodeError as found:
        start = found.start
    if start is None and exc is not None:
        start = exc.start
    row = data.count(b"\n", 0, start or 0) + 1
    label = "GBK/GB18030" if encoding == "gb18030" else "UTF-8"
    return IngestError(t("ingest.file.decode_row", file=name, row=row, encoding=label))


def _read_text(data: bytes, name: str, digest: str, hints: set[str]) -> RawTable:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")) or b"<html" in head[:512]:
        raise IngestError(t("ingest.file.html", file=name))
    encoding, data, reported = _detect_encoding(data, name)
    text = _sample_text(data, encoding)
    if len(_CONTROL.findall(text[:20000])) > max(2, len(text[:20000]) // 100):
        raise IngestError(t("ingest.file.binary", file=name))
    delimiter = _sniff_delimiter(text)
    records = _records(text, delimiter, HEADER_SCAN_ROWS)
    cells = [[c.strip() or None for c in r] for _, r in records]
    h = _find_header(cells, hints)
    if h is None:
        raise IngestError(t("ingest.file.no_header", file=name, limit=HEADER_SCAN_ROWS, seen=_seen(cells)))
    header_line = records[h][0]
    offset = _line_offset(data, header_line)
    parsed = _parse_fast(data, offset, delimiter, encoding, name, header_line, len(records[h][1]))
    if parsed is None:
        parsed = _parse_slow(data, offset, delimiter, encoding, name, header_line)
    header_cells, body, row_numbers, short_totals = parsed
    columns = _column_names(header_cells, body.num_columns)
    frame, row_numbers, totals, _, repeats = _finish(columns, body, row_numbers)
    totals = sorted(totals + short_totals)
    return RawTable(
        frame=frame,
        row_numbers=row_numbers,
        header_row=header_line,
        file_name=name,
        encoding=reported,
        sheet=None,
        sha256=digest,
        delimiter=delimiter,
        total_rows=totals,
        repeated_headers=repeats,
    )


Parsed = tuple[
    list[str | None], pa.Table, np.ndarray, list[int]
]  # header, body, row numbers, short total rows


def _newline(data: bytes) -> bytes:
    return b"\n" if b"\n" in data[:SAMPLE_BYTES] or b"\r" not in data[:SAMPLE_BYTES] else b"\r"


def _record_lines(data: bytes, offset: int, first_line: int, width: int) -> tuple[np.ndarray, int] | None:
    """(start line of every non-blank record from ``offset`` on, number of blank records), found without parsing:
    a line break ends a record when an even number of quote bytes precede it (0x22 is never part of a GBK or
    UTF-8 multi-byte character). None for files whose lines end in a bare CR."""
    if _newline(data) != b"\n":
        return None
    raw = np.frombuffer(data, dtype=np.uint8)[offset:]
    breaks = np.flatnonzero(raw == 10)
    quotes = np.flatnonzero(raw == 34)
    ends = breaks[np.searchsorted(quotes, breaks) % 2 == 0] if len(quotes) else breaks
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(raw)]))
    if starts[-1] >= len(raw):  # the file ends with a line break: no record after it
        starts, stops = starts[:-1], stops[:-1]
    lines = first_line + np.searchsorted(breaks, starts)
    blank = np.zeros(len(starts), dtype=bool)
    if width > 1:  # in a one-column file a blank line is a (null) row
        for i in np.flatnonzero(stops - starts <= 16):
            blank[i] = not data[offset + starts[i] : offset + stops[i]].strip()
    return lines[~blank].astype(np.int64), int(blank.sum())


def _trailing_blank_lines(data: bytes) -> int:
    """How many blank lines end the file (they do not shift any row number)."""
    tail = data[-4096:]
    stripped = tail.rstrip(b" \t\r\n")
    newline = _newline(data)
    if len(stripped) == 0 and len(data) > len(tail):
        stripped = data.rstrip(b" \t\r\n")
        tail = data
    return max(tail.count(newline, len(stripped)) - 1, 0)


def _parse_fast(
    data: bytes, offset: int, delimiter: str, encoding: str, name: str, header_line: int, width: int
) -> Parsed | None:
    """pyarrow's multi-threaded CSV reader from the header line on. None when the file needs the slow path:
    ragged rows (other than short 合计 rows), blank lines that cannot be placed, or line counts that do not add up."""
    skipped: list[str] = []
    blank = 0

    def on_invalid(row) -> str:
        nonlocal blank
        text = row.text or ""
        if not text.strip():
            blank += 1
            return "skip"
        cells = text.split(delimiter)[:TOTAL_CELLS]
        if row.actual_columns < row.expected_columns and any(re.match(_TOTAL, c.strip('"')) for c in cells):
            skipped.append(text)
            return "skip"
        return "error"

    buffer = io.BytesIO(data)
    buffer.seek(offset)
    arrow_encoding = "utf8" if encoding in ("utf-8", "utf-8-sig") else encoding
    try:
        table = pacsv.read_csv(
            buffer,
            read_options=pacsv.ReadOptions(
                encoding=arrow_encoding, column_names=[f"c{i}" for i in range(width)]
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                newlines_in_values=True,
                ignore_empty_lines=False,  # blank lines reach on_invalid (or are null rows when width is 1)
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.large_string() for i in range(width)},  # pandas' own layout
                null_values=_BLANKS,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except UnicodeDecodeError as exc:
        raise _decode_error(data, encoding, name, exc) from exc
    except (pa.ArrowInvalid, pa.ArrowException, ValueError):
        if _undecodable(data, encoding):
            raise _decode_error(data, encoding, name) from None
        return None
    if table.num_rows == 0:
        return None
    lines = _physical_lines(data, offset)
    empty_rows = None
    if table.num_rows + blank + len(skipped) == lines and blank <= _trailing_blank_lines(data):
        numbers = np.arange(header_line, header_line + lines - blank, dtype=np.int64)
    else:  # blank lines inside the data or quoted line breaks: place every record by quote parity
        placed = _record_lines(data, offset, header_line, width)
        if placed is None:
            return None
        numbers, blanks = placed
        # pyarrow sometimes keeps a blank line as an all-empty row instead of passing it to on_invalid.
        empty_rows = np.ones(table.num_rows, dtype=bool)
        for column in table.columns:
            empty_rows &= pc.is_null(column).to_numpy(zero_copy_only=False)
        kept_rows = table.num_rows - int(empty_rows.sum())
        if blanks != blank + int(empty_rows.sum()) or len(numbers) != kept_rows + len(skipped):
            return None
    totals: list[int] = []
    for text in skipped:
        line = _find_line(data, offset, text, encoding, header_line, exclude=set(totals))
        if line is None:
            return None
        totals.append(line)
    if totals:
        numbers = numbers[~np.isin(numbers, np.asarray(totals, dtype=np.int64))]
    if empty_rows is not None and empty_rows.any():
        if len(numbers) != int((~empty_rows).sum()):
            return None
        placed_numbers = np.zeros(
            table.num_rows, dtype=np.int64
        )  # 0 only on all-empty rows, dropped as blank
        placed_numbers[~empty_rows] = numbers
        numbers = placed_numbers
    if len(numbers) != table.num_rows:
        return None
    header = [
        None if v is None else str(v).strip() or None for v in table.slice(0, 1).to_pylist()[0].values()
    ]
    return header, table.slice(1), numbers[1:], sorted(totals)


def _find_line(
    data: bytes, offset: int, text: str, encoding: str, first_line: int, exclude: set[int]
) -> int | None:
    """Line number of a line (not in ``exclude``) that is ``text`` (a skipped 合计 row), searched from the end."""
    try:
        needle = text.encode("gb18030" if encoding == "gb18030" else "utf-8")
    except UnicodeEncodeError:
        return None
    newline = _newline(data)
    position = data.rfind(needle, offset)
    while position >= offset:
        if position == offset or data[position - 1 : position] == newline:
            line = first_line + data.count(newline, offset, position)
            if line not in exclude:
                return line
        position = data.rfind(needle, offset, position)
    return None


def _undecodable(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return True
    return False


def _parse_slow(
    data: bytes, offset: int, delimiter: str, encoding: str, name: str, header_line: int
) -> Parsed:
    """csv-module parse with exact physical line numbers (quoted line breaks, ragged rows, blank lines)."""
    try:
        text = data[offset:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise _decode_error(data, encoding, name, exc) from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str | None] = []
    body: list[list[str | None]] = []
    rows: list[int] = []
    previous = 0
    try:
        for index, cells in enumerate(reader):
            start = header_line + previous
            previous = reader.line_num
            if index == 0:
                header = [c.strip() or None for c in cells]
                continue
            body.append(cells)
            rows.append(start)
    except csv.Error as exc:
        raise IngestError(
            t("ingest.file.parse", file=name, row=header_line + previous, error=_short(exc))
        ) from exc
    width = max([len(header), *(len(r) for r in body)])
    padded = [r + [None] * (width - len(r)) for r in body]
    columns = [list(c) for c in zip(*padded, strict=True)] if padded else [[] for _ in range(width)]
    return header, _arrow_body(columns), np.asarray(rows, dtype=np.int64), []
