"""CSV exports: encoding and delimiter sniffed on a sample, pyarrow's reader for speed, exact line numbers."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from core.errors import IngestError
from core.i18n import t
from core.ingest.guard import check_columns
from core.ingest.rows import (
    HEADER_SCAN_ROWS,
    TOTAL,
    TOTAL_CELLS,
    RawTable,
    arrow_body,
    column_names,
    find_header,
    finish_table,
    seen_rows,
    short_error,
    title_texts,
)

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", "\t", ";", "|")
_BLANKS = ["", " ", "  ", "   ", "\t", "\u3000"]  # cells the CSV reader itself turns into None
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f]")


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
        raise IngestError("ingest.file.binary", file=name)
    if sample.isascii() and not final:
        # An all-ASCII start says nothing: judge on the first stretch that is not ASCII (Chinese names further down).
        found = _NON_ASCII.search(data, len(sample))
        if found:
            start = data.rfind(b"\n", 0, found.start()) + 1
            sample, final = data[start : start + SAMPLE_BYTES], start + SAMPLE_BYTES >= len(data)
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)("strict").decode(sample, final)
        except UnicodeDecodeError:
            continue
        return encoding, data, encoding
    raise IngestError("ingest.file.encoding", file=name)


def _recode(data: bytes, encoding: str, name: str) -> bytes:
    try:
        return data.decode(encoding).lstrip("\ufeff").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError("ingest.file.binary", file=name) from exc


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


def read_text(data: bytes, name: str, digest: str, hints: set[str]) -> RawTable:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")) or b"<html" in head[:512]:
        raise IngestError("ingest.file.html", file=name)
    encoding, data, reported = _detect_encoding(data, name)
    nul = data.find(b"\x00")  # past the sniffed sample too: PostgreSQL cannot store it, SQLite would
    if nul >= 0:
        raise IngestError("ingest.file.nul", file=name, row=data.count(b"\n", 0, nul) + 1)
    text = _sample_text(data, encoding)
    if len(_CONTROL.findall(text[:20000])) > max(2, len(text[:20000]) // 100):
        raise IngestError("ingest.file.binary", file=name)
    delimiter = _sniff_delimiter(text)
    records = _records(text, delimiter, HEADER_SCAN_ROWS)
    for line, record in records:
        check_columns(len(record), name, line)
    cells = [[c.strip() or None for c in r] for _, r in records]
    h = find_header(cells, hints)
    if h is None:
        raise IngestError("ingest.file.no_header", file=name, limit=HEADER_SCAN_ROWS, seen=seen_rows(cells))
    header_line = records[h][0]
    offset = _line_offset(data, header_line)
    parsed = _parse_fast(data, offset, delimiter, encoding, name, header_line, len(records[h][1]))
    if parsed is None:
        parsed = _parse_slow(data, offset, delimiter, encoding, name, header_line)
    header_cells, body, row_numbers, short_totals = parsed
    columns = column_names(header_cells, body.num_columns)
    frame, row_numbers, totals, _, repeats = finish_table(columns, body, row_numbers)
    totals = sorted(totals + short_totals)
    return RawTable(
        frame=frame,
        row_numbers=row_numbers,
        header_row=header_line,
        titles=title_texts(cells[:h]),
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
        try:  # pyarrow hands over the row's bytes as text; undecodable ones mean the slow path
            text = row.text or ""
        except UnicodeDecodeError:
            return "error"
        if not text.strip():
            blank += 1
            return "skip"
        cells = text.split(delimiter)[:TOTAL_CELLS]
        if row.actual_columns < row.expected_columns and any(re.match(TOTAL, c.strip('"')) for c in cells):
            skipped.append(text)
            return "skip"
        return "error"

    arrow_encoding = "utf8" if encoding in ("utf-8", "utf-8-sig") else encoding
    if (
        arrow_encoding == "utf8"
    ):  # pyarrow reads UTF-8 unchecked: bad bytes must be named here, with their line
        _check_utf8(data, offset, name)
    buffer = io.BytesIO(data)
    buffer.seek(offset)
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


def _check_utf8(data: bytes, offset: int, name: str, chunk: int = 1 << 22) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        for start in range(offset, len(data), chunk):
            decoder.decode(data[start : start + chunk], start + chunk >= len(data))
    except UnicodeDecodeError as exc:
        raise _decode_error(data, "utf-8", name, exc) from exc


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
            check_columns(len(cells), name, start)
            if index == 0:
                header = [c.strip() or None for c in cells]
                continue
            body.append([c if c.strip() else None for c in cells])
            rows.append(start)
    except csv.Error as exc:
        raise IngestError(
            "ingest.file.parse", file=name, row=header_line + previous, error=short_error(exc)
        ) from exc
    width = max([len(header), *(len(r) for r in body)])
    padded = [r + [None] * (width - len(r)) for r in body]
    columns = [list(c) for c in zip(*padded, strict=True)] if padded else [[] for _ in range(width)]
    return header, arrow_body(columns), np.asarray(rows, dtype=np.int64), []
