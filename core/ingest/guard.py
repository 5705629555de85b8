"""Bounded reading: a file is measured against the server's limits before any parser sees it.

The Excel reader (python-calamine) sizes its grid from a sheet's claimed ``<dimension>`` and aborts the whole process
when that allocation fails, so an XLSX is opened here as a zip first: member count, uncompressed size, compression
ratio, and every worksheet's claimed and real extent (its cell references) are checked while streaming, in bounded
memory. A CSV is checked for size, line count and line length. Anything over a limit raises IngestError naming it.

A file within every size limit can still expand: one shared string of a megabyte referenced by 2,000 cells becomes
2 GB of text, two cells a million rows apart a grid of 20 M cells. So the shared-string table is measured first
(each string's length, their total and count), then each sheet's real extent (from its cell references, not the
claimed ``<dimension>``), the text its cells expand to (inline text and values, plus the length of the shared string
each cell references) and from these the memory reading it would take (``max_frame_mb``).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from io import BytesIO

import numpy as np

from core.errors import IngestError, Message
from core.ingest.guard_cells import (
    HUGE,
    MB,
    OdsScan,
    SharedStrings,
    check_extent,
    check_frame,
    kb,
    refuse,
    row_number,
    text_runs,
)
from core.ingest.guard_xls import check_xls
from core.ingest.limits import Limits, current_limits

_CHUNK = 1 << 20
_MAX_TAG = 64 * 1024  # no sane tag in a worksheet is longer; a longer one is refused rather than split
_RATIO_FLOOR = MB  # members smaller than this are not judged by their ratio (tiny XML compresses very well)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr\s*=\s*[\"']\s*\$?([A-Za-z]+)\$?([0-9]+)\s*[\"']")
# What spreadsheet writers actually write: ``<c r="B12" ...>``. Counted and matched at C speed; a chunk where the
# counts disagree (another spelling, prefixes, cells without r) takes the general path.
_PLAIN_COLS = re.compile(rb'<c r="([A-Z]+)[0-9]')
_PLAIN_ROWS = re.compile(rb'<c r="[A-Z]+([0-9]+)"')
_CELL_OPENINGS = (b"<c ", b"<c\t", b"<c\n", b"<c\r", b"<c>", b"<c/")
_PREFIXED = (b":c ", b":c\t", b":c\n", b":c\r", b":c>", b":c/")
_BARE_CELL = re.compile(rb"<(?:\w+:)?c(?=[\s/>])(?:(?!\sr\s*=)[^>])*>")
_TAG = re.compile(rb"<(/?)(?:\w+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_R_ATTR = re.compile(rb"\sr\s*=\s*[\"']\s*\$?([A-Za-z]*)\$?([0-9]*)\s*[\"']")


def column_number(letters: bytes | str) -> int:
    """A1-style column letters -> 1-based number (A=1, XFD=16384)."""
    if len(letters) > 8:
        return HUGE
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        n = n * 26 + ord(ch) - 64
    return n


def check_file(data: bytes, name: str, limits: Limits | None = None, *, size: int | None = None) -> None:
    """Refuse ``data`` before parsing when it breaks any limit; returns quietly otherwise.

    ``size``: the size of a file not read yet (only the file-size limit can be judged then).
    """
    limits = limits or current_limits()
    size = len(data) if size is None else size
    if size > limits.max_file_mb * MB:
        raise refuse(name, "max_file_mb", limits.max_file_mb, round(size / MB, 1))
    if data.startswith(_ZIP):
        check_zip(data, name, limits)
    elif data.startswith(_OLE2):
        check_xls(data, name, limits)
    else:
        check_text(data, name, limits)


def check_text(data: bytes, name: str, limits: Limits) -> None:
    """Line count and longest line of a CSV, found with numpy (no decoding, no parsing)."""
    raw = np.frombuffer(data, dtype=np.uint8)
    newline = 10 if (raw[: 1 << 16] == 10).any() or not (raw[: 1 << 16] == 13).any() else 13
    ends = np.flatnonzero(raw == newline)
    lines = len(ends) + (1 if len(data) and (not len(ends) or ends[-1] != len(data) - 1) else 0)
    if lines > limits.max_csv_lines:
        raise refuse(name, "max_csv_lines", limits.max_csv_lines, lines)
    # Every cell becomes an object in the reader, however short: 200 MB of "1," is 100 M cells. The delimiter is
    # not known yet, so the most frequent candidate counts (a quoted delimiter only makes the count larger).
    cells = lines + max(data.count(d) for d in (b",", b"\t", b";", b"|"))
    if cells > limits.max_csv_cells:
        raise refuse(name, "max_csv_cells", limits.max_csv_cells, cells)
    bounds = np.concatenate(([-1], ends, [len(data)]))
    longest = int(np.diff(bounds).max()) - 1 if len(bounds) > 1 else len(data)
    if longest > limits.max_line_kb * 1024:
        where = int(np.argmax(np.diff(bounds))) + 1
        raise IngestError(
            "limits.max_line_kb",
            file=name,
            limit=limits.max_line_kb,
            found=round(longest / 1024),
            row=where,
        )


def check_columns(count: int, name: str, row: int, limits: Limits | None = None) -> None:
    """Refuse a CSV record (or header) with more cells than ``max_columns``."""
    limits = limits or current_limits()
    if count > limits.max_columns:
        raise IngestError("limits.max_columns_row", file=name, limit=limits.max_columns, found=count, row=row)


def check_zip(data: bytes, name: str, limits: Limits) -> None:
    try:
        book = zipfile.ZipFile(BytesIO(data))
        members = book.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise IngestError("ingest.file.excel", file=name, error=str(exc)[:200] or type(exc).__name__) from exc
    if len(members) > limits.max_zip_members:
        raise refuse(name, "max_zip_members", limits.max_zip_members, len(members))
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_mb * MB:
        raise refuse(name, "max_uncompressed_mb", limits.max_uncompressed_mb, round(total / MB))
    for m in members:
        if m.file_size > _RATIO_FLOOR and m.file_size > limits.max_ratio * max(m.compress_size, 1):
            raise refuse(
                name,
                "max_ratio",
                limits.max_ratio,
                Message(
                    "limits.ratio_member", ratio=m.file_size // max(m.compress_size, 1), member=m.filename
                ),
            )
    names = {m.filename.lower() for m in members}
    if any(n.endswith(".bin") and "/worksheets/" in n for n in names):
        raise IngestError("limits.xlsb", file=name)
    sheets = _sheet_members(book, names)
    shared_names = _shared_string_members(book, names)
    budget = _Budget(name, limits)
    strings = SharedStrings(name, limits)
    for m in members:  # the shared strings first: the sheets' references are measured against their lengths
        if not m.is_dir() and m.filename.lower() in shared_names:
            _stream(book, m, strings, budget, inside_text=True)
    for m in members:
        if m.is_dir() or m.filename.lower() in shared_names:
            continue
        lower = m.filename.lower()
        if lower == "content.xml":
            scan = OdsScan(name, limits)
        elif lower in sheets:
            scan = _SheetScan(name, m.filename, limits, strings)
        else:
            scan = None
        _stream(book, m, scan, budget, inside_text=False)


class _Budget:
    """Uncompressed bytes read from the zip so far (sizes in the zip headers can lie)."""

    def __init__(self, name: str, limits: Limits):
        self.name, self.limits, self.seen = name, limits, 0

    def add(self, count: int) -> None:
        self.seen += count
        if self.seen > self.limits.max_uncompressed_mb * MB:
            raise refuse(
                self.name, "max_uncompressed_mb", self.limits.max_uncompressed_mb, round(self.seen / MB)
            )


def _stream(book: zipfile.ZipFile, m: zipfile.ZipInfo, scan, budget: _Budget, *, inside_text: bool) -> None:
    """Read one member in chunks, feeding ``scan`` (when given) pieces that never split a tag.

    ``inside_text``: a piece may end inside text (the shared strings, whose one string may be longer than a
    chunk); otherwise it ends after a tag, and text longer than ``_MAX_TAG`` between two tags is refused."""
    name = budget.name
    try:
        with book.open(m) as stream:
            carry = b""
            while chunk := stream.read(_CHUNK):
                budget.add(len(chunk))
                if scan is None:
                    continue
                buffer = carry + chunk
                cut = buffer.rfind(b">") + 1
                if inside_text and buffer.rfind(b"<") < cut:
                    cut = len(buffer)
                elif inside_text:
                    cut = buffer.rfind(b"<")
                if cut <= 0 and len(buffer) > _MAX_TAG:
                    raise IngestError("limits.tag", file=name, member=m.filename)
                scan.feed(buffer[:cut])
                carry = buffer[cut:]
                if len(carry) > _MAX_TAG:
                    raise IngestError("limits.tag", file=name, member=m.filename)
            if scan is not None:
                scan.finish()
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ) as exc:
        raise IngestError("ingest.file.excel", file=name, error=str(exc)[:200] or type(exc).__name__) from exc


_TARGET = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb"\b(Type|Target)\s*=\s*[\"']([^\"']*)[\"']")


def _rel_targets(book: zipfile.ZipFile, names: set[str], kind) -> set[str]:
    """Lower-cased members that xl/_rels/workbook.xml.rels names with a Type for which ``kind`` is true."""
    out: set[str] = set()
    rels = next((n for n in names if n.lstrip("/") == "xl/_rels/workbook.xml.rels"), None)
    if rels is not None:
        info = book.getinfo(next(m.filename for m in book.infolist() if m.filename.lower() == rels))
        if info.file_size <= 4 * MB:
            for tag in _TARGET.findall(book.read(info)):
                attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(tag)}
                if kind(attrs.get("Type", "")) and attrs.get("Target"):
                    target = attrs["Target"]
                    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                    parts: list[str] = []
                    for piece in path.split("/"):
                        if piece == "..":
                            parts = parts[:-1]
                        elif piece not in ("", "."):
                            parts.append(piece)
                    out.add("/".join(parts).lower())
    return out


def _sheet_members(book: zipfile.ZipFile, names: set[str]) -> set[str]:
    """Lower-cased names of the members a reader may take as worksheets: everything under xl/worksheets/ (and
    dialog and macro sheets), and whatever xl/_rels/workbook.xml.rels names as a worksheet, wherever it points."""
    out = {n for n in names if re.match(r"^/?xl/(worksheets|dialogsheets|macrosheets|chartsheets)/", n)}
    out |= _rel_targets(book, names, lambda kind: kind.endswith("sheet"))
    return out | {"/" + n for n in out}


def _shared_string_members(book: zipfile.ZipFile, names: set[str]) -> set[str]:
    """Lower-cased names of the members a reader may take as the shared-string table: any sharedStrings.xml and
    whatever the workbook's relationships name as one."""
    out = {n.lstrip("/") for n in names if n.rsplit("/", 1)[-1] == "sharedstrings.xml"}
    out |= _rel_targets(book, names, lambda kind: kind.lower().endswith("sharedstrings"))
    return (out | {"/" + n for n in out}) & names


def _ref(text: bytes) -> tuple[int, int]:
    """(row, column) of an A1 reference such as b"XFD1048576"; (0, 0) for what is not one."""
    found = re.fullmatch(rb"\$?([A-Za-z]+)\$?([0-9]+)", text.strip())
    if not found:
        return 0, 0
    return row_number(found.group(2)), column_number(found.group(1))


_SHARED_CELL = re.compile(
    rb"<(?:\w+:)?c(?=\s)[^>]*?\st\s*=\s*[\"']s[\"'][^>/]*>\s*"
    rb"(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*)?<(?:\w+:)?v\b[^>/]*>\s*([0-9]{1,12})\s*<"
)
_CELL_CLOSE = re.compile(rb"</(?:\w+:)?c>")


class _SheetScan:
    """Claimed and real extent of one worksheet XML, fed in chunks that end on a tag boundary; the text its cells
    expand to (their own text, plus the shared string each references) and the memory reading it would take."""

    def __init__(self, name: str, member: str, limits: Limits, strings: SharedStrings | None = None):
        self.name, self.member, self.limits = name, member, limits
        self.strings = strings
        self.rows = self.cols = 0
        self.bare = False
        self.row = 0  # current row while walking tags (only after a cell without a reference was seen)
        self.col = 0
        self.text = 0
        self.cells = (
            0  # cells the sheet really holds (each becomes an object in the reader), not its claimed extent
        )
        self.pending = (
            b""  # the end of a piece after its last closed cell: a shared reference may continue there
        )

    def feed(self, text: bytes) -> None:
        self._measure(text)
        self._extent(text)
        self._check_frame()

    def _check_frame(self) -> None:
        """The frame this sheet needs so far (its extent, text, shared text and real cells) within the limit."""
        check_frame(
            self.name,
            self.member,
            self.rows,
            self.cols,
            self.text,
            self._extra() + self._objects(),
            self.limits,
        )

    def _objects(self) -> int:
        return self.cells * self.limits.real_cell_cost_bytes

    def _extra(self) -> int:
        return self.strings.cost() if self.strings is not None else 0

    def _measure(self, text: bytes) -> None:
        count, longest = text_runs(text)
        if longest > self.limits.max_cell_kb * 1024:
            raise refuse(self.name, "max_cell_kb", self.limits.max_cell_kb, kb(longest))
        self.text += count
        if self.strings is not None and len(self.strings.lengths):
            buffer = self.pending + text
            cut = buffer.rfind(b"</c>") + 4 if b":c>" not in buffer else 0
            if b":c>" in buffer:
                for close in _CELL_CLOSE.finditer(buffer):
                    cut = close.end()
            if cut < 4 or len(buffer) - cut > 2 * _CHUNK:
                cut = len(buffer)
            self.text += self.strings.referenced(_SHARED_CELL.findall(buffer, 0, cut))
            self.pending = buffer[cut:]
        if self.text > self.limits.max_text_mb * MB:
            raise IngestError(
                "limits.max_text_mb",
                file=self.name,
                member=self.member,
                found=round(self.text / MB, 1),
                limit=self.limits.max_text_mb,
            )

    def _extent(self, text: bytes) -> None:
        if b"dimension" in text:
            for ref in _DIMENSION.findall(text):
                rows = cols = 0
                for part in ref.split(b":"):
                    r, c = _ref(part)
                    rows, cols = max(rows, r), max(cols, c)
                check_extent(self.name, self.member, rows, cols, self.limits, claimed=True)
        cells = sum(text.count(opening) for opening in _CELL_OPENINGS)
        self.cells += cells + sum(text.count(prefix) for prefix in _PREFIXED)
        if not self.bare and not self._plain(text, cells):
            if _BARE_CELL.search(text):
                self.bare = True
            else:
                refs = set(_CELL_REF.findall(text))
                if refs:
                    self.cols = max(self.cols, max(column_number(c) for c, _ in refs))
                    self.rows = max(self.rows, max(row_number(r) for _, r in refs))
        if self.bare:
            self._walk(text)
        check_extent(self.name, self.member, self.rows, self.cols, self.limits, claimed=False)

    def _plain(self, text: bytes, cells: int) -> bool:
        """Extent of a chunk whose every cell is written ``<c r="A1"``; False (nothing taken) for any other."""
        if any(prefix in text for prefix in _PREFIXED):
            return False
        cols = _PLAIN_COLS.findall(text)
        if len(cols) != cells:
            return False
        rows = _PLAIN_ROWS.findall(text)
        if len(rows) != cells:
            return False
        if cells:
            self.cols = max(self.cols, max(column_number(c) for c in set(cols)))
            self.rows = max(self.rows, max(row_number(r) for r in set(rows)))
        return True

    def _walk(self, text: bytes) -> None:
        """Tag by tag: rows and cells without ``r`` take the next position, as spreadsheet readers do."""
        for closing, tag, attrs, _ in _TAG.findall(text):
            if closing:
                continue
            ref = _R_ATTR.search(b" " + attrs)
            if tag == b"row":
                self.row = row_number(ref.group(2)) if ref and ref.group(2) else self.row + 1
                self.col = 0
                self.rows = max(self.rows, self.row)
            else:
                if ref and ref.group(1):
                    self.col = column_number(ref.group(1))
                    if ref.group(2):
                        self.row = max(self.row, row_number(ref.group(2)))
                else:
                    self.col += 1
                self.cols = max(self.cols, self.col)
                self.rows = max(self.rows, self.row)
            if self.rows > self.limits.max_rows or self.cols > self.limits.max_columns:
                check_extent(self.name, self.member, self.rows, self.cols, self.limits, claimed=False)

    def finish(self) -> None:
        if self.pending:
            self.text += self.strings.referenced(_SHARED_CELL.findall(self.pending))
            self.pending = b""
        check_extent(self.name, self.member, self.rows, self.cols, self.limits, claimed=False)
        self._check_frame()
