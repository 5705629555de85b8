"""Excel workbooks (XLSX, legacy XLS, ODS) through python-calamine: typed cells kept beside their text."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import python_calamine

from core.errors import IngestError, Message
from core.i18n import t
from core.ingest.guard import check_file
from core.ingest.rows import (
    HEADER_SCAN_ROWS,
    RawTable,
    arrow_body,
    column_names,
    find_header,
    finish_table,
    short_error,
    title_texts,
)
from core.ingest.values import cell_text


def _texts(column: list[object]) -> list[str | None]:
    """A column's cells as text, blank ones None."""
    if all(type(v) is str for v in column):
        return [v if v.strip() else None for v in column]
    texts = [cell_text(v) for v in column]
    return [v if v is None or v.strip() else None for v in texts]


_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)


def reader_failure(exc: BaseException, name: str) -> IngestError:
    """One line for a reader that gave up: calamine's Rust panic (a BaseException, not an Exception) or running out
    of memory, so that no traceback ever reaches a user."""
    return IngestError(t("limits.reader_failed", file=name, error=short_error(exc) or type(exc).__name__))


def open_workbook(data: bytes, name: str) -> python_calamine.CalamineWorkbook:
    """The workbook, after the file passed every input limit (calamine aborts the process on a hostile extent)."""
    check_file(data, name)
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own, zip and XML errors for damaged files
        if isinstance(exc, MemoryError):
            raise reader_failure(exc, name) from exc
        raise IngestError("ingest.file.excel", file=name, error=short_error(exc)) from exc
    except BaseException as exc:  # a Rust panic inside calamine
        if isinstance(exc, _FATAL):
            raise
        raise reader_failure(exc, name) from exc


def read_excel(data: bytes, name: str, digest: str, sheet: str | None, hints: set[str]) -> RawTable:
    try:
        return _read_excel(data, name, digest, sheet, hints)
    except IngestError:
        raise
    except MemoryError as exc:  # pyarrow's ArrowMemoryError too
        raise reader_failure(exc, name) from exc
    except BaseException as exc:  # a Rust panic inside calamine
        if isinstance(exc, (*_FATAL, Exception)):
            raise
        raise reader_failure(exc, name) from exc


def _read_excel(data: bytes, name: str, digest: str, sheet: str | None, hints: set[str]) -> RawTable:
    book = open_workbook(data, name)
    try:
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own, zip and XML errors for damaged files
        raise IngestError("ingest.file.excel", file=name, error=short_error(exc)) from exc
    if sheet is None:
        if not names:
            raise IngestError("ingest.file.excel", file=name, error=Message("ingest.label.no_sheets"))
        chosen = names[0]
    else:
        matches = [n for n in names if n == sheet] or [n for n in names if n.strip() == sheet.strip()]
        if not matches:
            raise IngestError(
                "ingest.file.no_sheet",
                file=name,
                sheet=sheet,
                names=[Message("ingest.label.quoted", text=n) for n in names],
            )
        chosen = matches[0]
    try:
        sh = book.get_sheet_by_name(chosen)
        values = sh.to_python(skip_empty_area=True)
        first_row = sh.start[0] + 1 if sh.start else 1
    except Exception as exc:
        raise IngestError("ingest.file.excel", file=name, error=short_error(exc)) from exc
    texts = [[cell_text(v) for v in row] for row in values[:HEADER_SCAN_ROWS]]
    h = find_header(texts, hints)
    if h is None:
        listed = "、".join(f"“{n}”" for n in names)
        raise IngestError("ingest.file.sheet_empty", file=name, sheet=chosen, names=listed)
    width = max(len(r) for r in values)
    columns = column_names(texts[h], width)
    body = values[h + 1 :]
    # Column by column: a column of plain text (the usual case) needs no per-cell conversion.
    typed = [list(c) for c in zip(*(r + [""] * (width - len(r)) for r in body), strict=True)] if body else []
    typed = typed or [[] for _ in columns]
    by_column = [_texts(column) for column in typed]
    rows = np.arange(first_row + h + 1, first_row + h + 1 + len(body), dtype=np.int64)
    frame, rows, totals, keep, repeats = finish_table(columns, arrow_body(by_column), rows)
    for column in frame.columns:  # OOXML's _x0000_ escape decodes to NUL, which PostgreSQL cannot store
        hit = frame[column].str.contains("\x00", regex=False).fillna(False).to_numpy(dtype=bool)
        if hit.any():
            raise IngestError("ingest.file.nul", file=name, row=int(rows[np.flatnonzero(hit)[0]]))
    kept = np.flatnonzero(keep)
    cells = pd.DataFrame(
        {
            name: pd.Series([column[i] for i in kept] if len(kept) < len(column) else column, dtype=object)
            for name, column in zip(columns, typed, strict=True)
            if name in frame.columns
        },
        columns=list(frame.columns),
    )
    return RawTable(
        frame=frame,
        row_numbers=rows,
        header_row=first_row + h,
        titles=title_texts(texts[:h]),
        file_name=name,
        encoding=None,
        sheet=chosen,
        sha256=digest,
        excel_cells=cells,
        total_rows=totals,
        sheets=names,
        repeated_headers=repeats,
    )
