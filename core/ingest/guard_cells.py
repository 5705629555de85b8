"""What the cells of a workbook expand to, measured while streaming (the shared-string table, a sheet's text, an ODS
sheet's repeats), and the memory reading a sheet would take; used by ``core.ingest.guard``."""

from __future__ import annotations

import re
from array import array

import numpy as np

from core.errors import IngestError, Message
from core.ingest.limits import Limits

MB = 1024 * 1024

_ODS_TAG = re.compile(rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>")
_ODS_REPEAT = re.compile(rb"number-(rows|columns)-repeated\s*=\s*[\"']\s*([0-9]+)\s*[\"']")


HUGE = 10**12  # any reference longer than this many digits or letters is beyond every limit


def row_number(digits: bytes) -> int:
    return HUGE if len(digits) > 12 else int(digits)


def refuse(name: str, limit: str, value: object, found: object) -> IngestError:
    return IngestError(f"limits.{limit}", file=name, limit=value, found=found)


def check_extent(name: str, member: str, rows: int, cols: int, limits: Limits, *, claimed: bool) -> None:
    kind = Message("limits.claimed" if claimed else "limits.real")
    if rows > limits.max_rows:
        raise IngestError("limits.max_rows_sheet", file=name, kind=kind, limit=limits.max_rows, found=rows)
    if cols > limits.max_columns:
        raise IngestError(
            "limits.max_columns_sheet", file=name, kind=kind, limit=limits.max_columns, found=cols
        )
    if rows * cols > limits.max_cells:
        raise IngestError(
            "limits.max_cells",
            file=name,
            kind=kind,
            limit=limits.max_cells,
            found=rows * cols,
            rows=rows,
            cols=cols,
        )


def check_frame(name: str, member: str, rows: int, cols: int, text: int, extra: int, limits: Limits) -> None:
    """Refuse a sheet whose reading would take more than ``max_frame_mb``: its real extent (the grid the reader
    builds) at ``cell_cost_bytes`` a cell, its text at ``text_cost_factor`` a byte, plus ``extra`` (each real cell's
    object at ``real_cell_cost_bytes`` and the shared strings the reader holds)."""
    need = rows * cols * limits.cell_cost_bytes + text * limits.text_cost_factor + extra
    if need > limits.max_frame_mb * MB:
        raise IngestError(
            "limits.max_frame_mb",
            file=name,
            member=member,
            found=-(-need // MB),  # rounded up: never "8 MB, over the 8 MB limit"
            rows=rows,
            cols=cols,
            text=round(text / MB, 1),
            limit=limits.max_frame_mb,
        )


def tag_spans(text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (inclusive) of every tag in ``text``: each ``<`` to the next ``>`` (or the end)."""
    raw = np.frombuffer(text, dtype=np.uint8)
    opens = np.flatnonzero(raw == 60)
    closes = np.flatnonzero(raw == 62)
    if not len(closes):
        return opens, np.full(len(opens), len(raw) - 1)
    found = np.searchsorted(closes, opens)
    ends = np.where(found < len(closes), closes[np.minimum(found, len(closes) - 1)], len(raw) - 1)
    return opens, ends


def text_prefix(text: bytes) -> np.ndarray:
    """prefix[i]: the number of text bytes (outside tags) in ``text[:i]``."""
    opens, ends = tag_spans(text)
    depth = np.bincount(opens, minlength=len(text) + 1) - np.bincount(ends + 1, minlength=len(text) + 1)
    inside = np.cumsum(depth[: len(text)]) > 0
    return np.concatenate(([0], np.cumsum(~inside, dtype=np.int64)))


def text_runs(text: bytes) -> tuple[int, int]:
    """(text bytes, the longest run of text between two tags) of a piece that starts outside a tag."""
    opens, ends = tag_spans(text)
    if not len(opens):
        return len(text), len(text)
    keep = np.concatenate(([True], opens[1:] > ends[:-1]))  # a "<" inside a tag opens nothing
    opens, ends = opens[keep], ends[keep]
    inside = int((ends - opens + 1).sum())
    gaps = np.concatenate(([opens[0]], opens[1:] - ends[:-1] - 1, [len(text) - 1 - ends[-1]]))
    return len(text) - inside, int(gaps.max())


_SI = re.compile(rb"<(/?)(?:\w+:)?si(?=[\s/>])[^>]*?(/?)>")


class SharedStrings:
    """The shared-string table, streamed: each string's text length (bytes outside tags), their total and count."""

    def __init__(self, name: str, limits: Limits):
        self.name, self.limits = name, limits
        self.lengths = array("I")
        self.inside = False
        self.current = self.total = 0

    def feed(self, text: bytes) -> None:
        prefix = text_prefix(text)
        pos = 0
        for found in _SI.finditer(text):
            if self.inside:
                self._grow(int(prefix[found.start()] - prefix[pos]))
            if found.group(1):
                self._end()
            elif found.group(2):
                self.inside, self.current = True, 0
                self._end()
            else:
                self.inside, self.current = True, 0
            pos = found.end()
        if self.inside:
            self._grow(int(prefix[len(text)] - prefix[pos]))

    def _grow(self, count: int) -> None:
        self.current += count
        if self.current > self.limits.max_cell_kb * 1024:
            raise refuse(self.name, "max_cell_kb", self.limits.max_cell_kb, kb(self.current))

    def _end(self) -> None:
        self.inside = False
        self.lengths.append(self.current)
        self.total += self.current
        if self.total > self.limits.max_shared_strings_mb * MB:
            raise refuse(
                self.name,
                "max_shared_strings_mb",
                self.limits.max_shared_strings_mb,
                round(self.total / MB, 1),
            )
        if len(self.lengths) > self.limits.max_cells:
            raise refuse(self.name, "shared_count", self.limits.max_cells, len(self.lengths))

    def finish(self) -> None:
        if self.inside:
            self._end()

    def cost(self) -> int:
        """Bytes the reader holds for the table: each string's text and its own header."""
        return self.total + 32 * len(self.lengths)

    def referenced(self, indexes: list[bytes]) -> int:
        """Total length of the strings at ``indexes`` (each counted once per reference; unknown ones as 0)."""
        if not indexes or not self.lengths:
            return 0
        found = np.array([row_number(i) for i in indexes], dtype=np.int64)
        lengths = np.frombuffer(self.lengths, dtype=np.uint32)
        found = found[found < len(lengths)]
        return int(lengths[found].sum(dtype=np.int64))


def kb(count: int) -> int:
    return -(-count // 1024)


class OdsScan:
    """Real extent of an ODS sheet: rows and cells repeat by count, and a repeated cell holding a value is a grid
    the reader builds in full (empty repeats, which spreadsheet programs write for formatting, cost nothing).
    A repeated cell's text is built once per cell it stands for: the text is counted times both repeats."""

    def __init__(self, name: str, limits: Limits):
        self.name, self.limits = name, limits
        self.row = self.rows = self.cols = 0
        self.row_repeat = 1
        self.col = 0
        self.row_valued = False
        self.text = self.cells = 0  # over the whole sheet, repeats counted
        self.row_text = self.row_cells = 0  # of the current row, before its repeat
        self.in_cell = False
        self.cell_repeat = 1
        self.cell_text = 0

    def feed(self, text: bytes) -> None:
        prefix = text_prefix(text)
        start = 0  # where the open cell's text resumes in this piece
        for found in _ODS_TAG.finditer(text):
            closing, tag, attrs, empty = found.groups()
            repeat = _ODS_REPEAT.search(attrs)
            n = row_number(repeat.group(2)) if repeat else 1
            if tag == b"table":
                if not closing:
                    self.row = 0
            elif tag == b"table-row":
                if closing or empty:
                    if self.row_valued:
                        self.rows = max(self.rows, self.row + self.row_repeat)
                    self.row += self.row_repeat
                    self.text += self.row_text * self.row_repeat
                    self.cells += self.row_cells * self.row_repeat
                    self.row_text = self.row_cells = 0
                else:
                    self.row_repeat, self.col, self.row_valued = n, 0, False
            elif closing:
                if self.in_cell:
                    self.cell_text += int(prefix[found.start()] - prefix[start])
                    self.row_text += self.cell_text * self.cell_repeat
                    self.in_cell = False
            else:
                valued = not empty or b"value-type" in attrs
                self.col += n
                if valued:
                    self.row_valued = True
                    self.cols = max(self.cols, self.col)
                    self.row_cells += n
                if not empty:
                    self.in_cell, self.cell_repeat, self.cell_text, start = True, n, 0, found.end()
            check_extent(self.name, "content.xml", max(self.rows, 1), self.cols, self.limits, claimed=False)
            self._check_text()
        if self.in_cell:
            self.cell_text += int(prefix[len(text)] - prefix[start])

    def _check_text(self) -> None:
        if self.text > self.limits.max_text_mb * MB:
            raise IngestError(
                "limits.max_text_mb",
                file=self.name,
                member="content.xml",
                found=round(self.text / MB, 1),
                limit=self.limits.max_text_mb,
            )

    def finish(self) -> None:
        check_extent(self.name, "content.xml", self.rows, self.cols, self.limits, claimed=False)
        self._check_text()
        extra = self.cells * self.limits.real_cell_cost_bytes
        check_frame(self.name, "content.xml", self.rows, self.cols, self.text, extra, self.limits)
