"""Legacy XLS (BIFF8 records in an OLE2 compound file), measured the way an XLSX is, before calamine reads it.

calamine reads the whole Workbook stream and builds every sheet when the file is opened, so each limit is judged on
what that takes: the compound file's chains (a cycle in the DIFAT, FAT, directory or stream chain makes calamine loop
or allocate without end; a header's counts size its first allocations), the shared-string table (SST, 0x00FC, and the
CONTINUE records 0x003C it goes on in: each string's length, their total and count), and for each sheet its real cells
(their largest row and column, not only the claimed DIMENSIONS), the text they expand to (a LABELSST cell, 0x00FD,
holds a copy of the string it references, so a string referenced N times counts N times; LABEL 0x0204, RSTRING 0x00D6
and a formula's STRING 0x0207 their own text) and the memory reading them takes (``max_frame_mb``, all sheets
together). Text is counted as calamine stores it (UTF-8): a compressed character 1 byte, a UTF-16 one 3.

The guard's own work is bounded: bytes by the file-size limit, records walked and strings parsed by
``max_xls_records``. A file whose structure cannot be followed is refused with one line, never a traceback.
"""

from __future__ import annotations

import re
import struct
from array import array

import numpy as np

from core.errors import IngestError, Message
from core.ingest.guard_cells import MB, check_extent, check_frame, kb, refuse
from core.ingest.limits import Limits

_ENDOFCHAIN = 0xFFFFFFFE
_DIFSECT = 0xFFFFFFFC
_RESERVED = 0xFFFFFFFA
_STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")  # calamine's order
# calamine reads a stream shorter than this from the mini stream, whatever the header says
_MINI_CUTOFF = 4096
_CAPACITY_MB = 256  # a header count calamine reserves as u32 entries before reading anything

_BOF, _EOF, _CONTINUE, _SST, _BOUNDSHEET, _FILEPASS = 0x0809, 0x000A, 0x003C, 0x00FC, 0x0085, 0x002F
_DIMENSIONS, _NUMBER, _LABEL, _BOOLERR, _RK, _LABELSST = 0x0200, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD
_RSTRING, _MULRK, _FORMULA, _STRING, _NAME = 0x00D6, 0x00BD, 0x0006, 0x0207, 0x0018
_ONE_CELL = (_NUMBER, _LABEL, _BOOLERR, _RK, _LABELSST, _RSTRING, _FORMULA)
# Bytes of formula text per byte of its tokens ("GETPIVOTDATA(" from 3 bytes), unless the workbook's names are long:
# the shortest token that writes a name is 5 bytes (PtgName the defined name; PtgRef3d, 7, a sheet's).
_FORMULA_TEXT = 5
_NAME_TOKEN = 5
_REFERENCE = 12  # what a reference adds to the name it writes ("!$IV$65536", quotes)
_SAFE_NAME = re.compile(r"[\w\u4e00-\u9fff\- ]{1,31}")

_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_HH = struct.Struct("<HH")


class Malformed(Exception):
    """The file's structure cannot be followed; the text says where (Chinese, one line)."""


def check_xls(data: bytes, name: str, limits: Limits) -> None:
    """Refuse a legacy XLS whose reading would break any limit, or whose structure cannot be followed."""
    try:
        stream = workbook_stream(data)
        _Book(name, limits, stream).measure()
    except Malformed as exc:
        raise IngestError(
            "limits.xls_malformed", file=name, error=exc.args[0] if exc.args else str(exc)
        ) from exc
    except (struct.error, IndexError, ValueError, OverflowError) as exc:
        raise IngestError("limits.xls_malformed", file=name, error=Message("limits.xls_truncated")) from exc


# The compound file (MS-CFB): header, DIFAT, FAT, directory, mini stream, the Workbook stream.


def workbook_stream(data: bytes) -> bytes:
    """The Workbook (or Book) stream, read as calamine reads it; Malformed where calamine would loop without end,
    allocate more than the file holds, or fail."""
    if len(data) < 512:
        raise Malformed(Message("limits.xls_truncated"))
    shift = _U16.unpack_from(data, 30)[0]
    if shift not in (9, 12) or _U16.unpack_from(data, 32)[0] != 6:
        raise Malformed(Message("limits.xls_header"))
    size = 1 << shift
    version = _U16.unpack_from(data, 26)[0]
    fat_len, dir_start = struct.unpack_from("<II", data, 44)
    mini_fat_start, mini_fat_len, difat_start = struct.unpack_from("<III", data, 60)
    reserved = _U32.unpack_from(data, 62)[0]  # calamine reserves this many DIFAT entries (it reads offset 62)
    if fat_len * size > len(data) + size or reserved * 4 > _CAPACITY_MB * MB:
        raise Malformed(Message("limits.xls_header"))
    sectors = len(data) // size  # calamine's highest sector id; sector i starts at (i + 1) * size

    def sector(i: int) -> bytes:
        if i > sectors or (i + 1) * size >= len(data):
            raise Malformed(Message("limits.xls_chain"))
        return data[(i + 1) * size : (i + 2) * size]

    difat = list(struct.unpack_from("<109I", data, 76))
    seen: set[int] = set()
    following = difat_start
    while following < _RESERVED:
        if following in seen:
            raise Malformed(Message("limits.xls_chain"))
        seen.add(following)
        block = sector(following)
        difat.extend(struct.unpack(f"<{len(block) // 4}I", block[: len(block) // 4 * 4]))
        following = difat.pop()
    fat_ids = [i for i in difat if i < _DIFSECT]
    if len(fat_ids) > sectors + 1:
        raise Malformed(Message("limits.xls_chain"))
    fat = np.frombuffer(b"".join(sector(i).ljust(size, b"\0") for i in fat_ids), dtype="<u4").tolist()

    def chain(start: int, table: list[int], read, length: int, limit: int) -> bytes:
        parts, got, seen, i = [], 0, set(), start
        while i != _ENDOFCHAIN and got < length:
            if i in seen or len(seen) > limit:
                raise Malformed(Message("limits.xls_chain"))
            seen.add(i)
            part = read(i)
            parts.append(part[: length - got])
            got += len(parts[-1])
            if got >= length:
                break
            if i >= len(table):
                raise Malformed(Message("limits.xls_chain"))
            i = table[i]
        return b"".join(parts)

    unlimited = len(data) + size
    entries = chain(dir_start, fat, sector, unlimited, sectors + 1)
    if len(entries) < 128:
        raise Malformed(Message("limits.xls_no_stream"))
    directory = []
    for at in range(0, len(entries) - 127, 128):
        raw = entries[at : at + 128]
        text = raw[:64].decode("utf-16-le", "replace").split("\0", 1)[0]
        start = _U32.unpack_from(raw, 116)[0]
        length = _U32.unpack_from(raw, 120)[0] if size == 512 else struct.unpack_from("<Q", raw, 120)[0]
        directory.append((text, start, length))
    if version != 3 and directory[0][1] == _ENDOFCHAIN:
        raise Malformed(Message("limits.xls_no_stream"))
    found = next(((s, n) for want in _STREAMS for text, s, n in directory if text == want), None)
    if found is None:
        raise Malformed(Message("limits.xls_no_stream"))
    start, length = found
    if length > len(data):
        raise Malformed(Message("limits.xls_chain"))
    if length >= _MINI_CUTOFF:
        return chain(start, fat, sector, length, sectors + 1)
    if not mini_fat_len:
        raise Malformed(Message("limits.xls_chain"))
    root_start, root_length = directory[0][1], directory[0][2]
    mini_stream = chain(root_start, fat, sector, min(root_length, unlimited), sectors + 1)
    mini_fat = np.frombuffer(
        chain(mini_fat_start, fat, sector, min(mini_fat_len * size, unlimited), sectors + 1)[
            : min(mini_fat_len * size, unlimited) // 4 * 4
        ],
        dtype="<u4",
    ).tolist()

    def mini(i: int) -> bytes:
        if (i + 1) * 64 > len(mini_stream):
            raise Malformed(Message("limits.xls_chain"))
        return mini_stream[i * 64 : (i + 1) * 64]

    return chain(start, mini_fat, mini, length, len(mini_stream) // 64 + 1)


# The BIFF records of the Workbook stream.


class _Book:
    def __init__(self, name: str, limits: Limits, stream: bytes):
        self.name, self.limits, self.stream = name, limits, stream
        self.raw = np.frombuffer(stream, dtype=np.uint8)
        self.work = 0  # records walked and shared strings parsed, against max_xls_records
        self.biff8 = True
        self.lengths = np.zeros(0, dtype=np.int64)  # each shared string's length in bytes, as read
        self.total = 0  # their sum
        # bytes of the longest defined name or sheet name: what one formula token can write
        self.longest_name = 0

    def _spend(self, count: int) -> None:
        self.work += count
        if self.work > self.limits.max_xls_records:
            raise refuse(self.name, "max_xls_records", self.limits.max_xls_records, self.work)

    def _records(self, pos: int, *, substream: bool) -> array:
        """Offsets of the records from ``pos`` to the EOF that ends them (a sheet's nested substreams, such as an
        embedded chart, are walked through: every cell in them is counted)."""
        stream, end = self.stream, len(self.stream)
        found = array("q")
        append, unpack = found.append, _HH.unpack_from
        depth, opened = 0, False
        for _ in range(self.limits.max_xls_records - self.work + 1):  # the one loop per record: kept bare
            if pos + 4 > end:
                break
            kind, size = unpack(stream, pos)
            append(pos)
            pos += 4 + size
            if kind in (_EOF, _BOF):
                if kind == _BOF:
                    depth += opened and substream
                    opened = True
                elif depth == 0:
                    break
                else:
                    depth -= 1
        else:
            self._spend(len(found))
        if pos > end:
            raise Malformed(Message("limits.xls_record", at=found[-1]))
        self._spend(len(found))
        return found

    def measure(self) -> None:
        sheets: list[tuple[int, str]] = []
        for pos in self._records(0, substream=False):
            kind, size = _HH.unpack_from(self.stream, pos)
            body = pos + 4
            if kind == _FILEPASS and size >= 2 and _U16.unpack_from(self.stream, body)[0]:
                return  # encrypted: calamine refuses it by itself ("password protected") before any sheet
            if kind == _BOF and size >= 2:
                version = _U16.unpack_from(self.stream, body)[0]
                sub = _U16.unpack_from(self.stream, body + 2)[0] if size >= 4 else 0
                self.biff8 = not (
                    version in (0x0200, 0x0002, 0x0007, 0x0300, 0x0400, 0x0500)
                    or (version == 0 and sub == 0x1000)
                )
            elif kind == _NAME and size >= 14:
                count, wide = self.stream[body + 3], size > 14 and self.stream[body + 14] & 1
                self.longest_name = max(self.longest_name, count * (3 if wide or not self.biff8 else 1))
            elif kind == _BOUNDSHEET and size >= 6:
                sheets.append(
                    (_U32.unpack_from(self.stream, body)[0], self._sheet_name(body, size, len(sheets)))
                )
            elif kind == _SST:
                self._shared_strings(pos)
        frames = []
        for position, label in sheets:
            if position > len(self.stream):  # calamine slices the stream there: past its end it fails
                raise Malformed(Message("limits.xls_record", at=position))
            frames.append(self._sheet(position, label))
        table = self.total + 32 * len(self.lengths)
        need = sum(need for need, *_ in frames) + table
        if len(frames) > 1 and need > self.limits.max_frame_mb * MB:
            _, label, rows, cols, text = max(frames)
            raise IngestError(
                "limits.max_frame_mb_book",
                file=self.name,
                sheets=len(frames),
                found=-(-need // MB),
                member=label,
                rows=rows,
                cols=cols,
                text=round(text / MB, 1),
                limit=self.limits.max_frame_mb,
            )

    def _sheet_name(self, body: int, size: int, index: int) -> str:
        """The sheet's name for a message when it is plain letters and digits, else its position."""
        if size < 8 or not self.biff8:
            self.longest_name = (
                max(self.longest_name, 3 * self.stream[body + 6]) if size > 6 else self.longest_name
            )
            return Message("limits.xls_sheet", number=index + 1)
        count, wide = self.stream[body + 6], self.stream[body + 7] & 1
        self.longest_name = max(self.longest_name, count * (3 if wide else 1))
        raw = self.stream[body + 8 : min(body + 4 + size, body + 8 + count * (2 if wide else 1))]
        text = raw.decode("utf-16-le" if wide else "latin-1", "replace")
        return text if _SAFE_NAME.fullmatch(text) else Message("limits.xls_sheet", number=index + 1)

    def _continued(self, pos: int) -> list[tuple[int, int]]:
        """(start, end) of the record at ``pos`` and of each CONTINUE record after it."""
        stream, end = self.stream, len(self.stream)
        size = _U16.unpack_from(stream, pos + 2)[0]
        pieces = [(pos + 4, pos + 4 + size)]
        pos += 4 + size
        while pos + 4 < end and _U16.unpack_from(stream, pos)[0] == _CONTINUE:
            size = _U16.unpack_from(stream, pos + 2)[0]
            if pos + 4 + size > end:
                raise Malformed(Message("limits.xls_record", at=pos))
            pieces.append((pos + 4, pos + 4 + size))
            pos += 4 + size
            self._spend(1)
        return pieces

    def _shared_strings(self, pos: int) -> None:
        """Each string's length (XLUnicodeRichExtendedString: cch, flags, cRun, cbExtRst, the characters, which go
        on in the next CONTINUE after a new flags byte, then the runs and the phonetic block, which go on without)."""
        stream, limits = self.stream, self.limits
        pieces = self._continued(pos)
        piece = 0
        at, end = pieces[0][0] + 8, pieces[0][1]
        if end - pieces[0][0] < 8:
            raise Malformed(Message("limits.xls_sst"))
        lengths = array("q")
        total = 0
        cell = limits.max_cell_kb * 1024
        while True:
            if at >= end:
                piece += 1
                if piece >= len(pieces):
                    break
                at, end = pieces[piece]
                continue
            if end - at < 3:
                raise Malformed(Message("limits.xls_sst"))
            chars, flags = stream[at] | stream[at + 1] << 8, stream[at + 2]
            at += 3
            extra = 0
            if flags & 0x08:
                if end - at < 2:
                    raise Malformed(Message("limits.xls_sst"))
                extra += 4 * (stream[at] | stream[at + 1] << 8)
                at += 2
            if flags & 0x04:
                if end - at < 4:
                    raise Malformed(Message("limits.xls_sst"))
                extra += _U32.unpack_from(stream, at)[0]
                at += 4
            wide = flags & 0x01
            length = 0
            while chars:
                width = 2 if wide else 1
                taken = min((end - at) // width, chars)
                at += taken * width
                length += taken * (3 if wide else 1)
                chars -= taken
                if chars:
                    piece += 1
                    if piece >= len(pieces) or pieces[piece][0] == pieces[piece][1]:
                        raise Malformed(Message("limits.xls_sst"))
                    at, end = pieces[piece]
                    wide = stream[at] & 0x01
                    at += 1
            while extra:
                if at >= end:
                    piece += 1
                    if piece >= len(pieces):
                        raise Malformed(Message("limits.xls_sst"))
                    at, end = pieces[piece]
                    continue
                step = min(extra, end - at)
                at += step
                extra -= step
            if length > cell:
                raise refuse(self.name, "max_cell_kb", limits.max_cell_kb, kb(length))
            lengths.append(length)
            total += length
            if total > limits.max_shared_strings_mb * MB:
                raise refuse(
                    self.name, "max_shared_strings_mb", limits.max_shared_strings_mb, round(total / MB, 1)
                )
            if len(lengths) > limits.max_cells:
                raise refuse(self.name, "shared_count", limits.max_cells, len(lengths))
            if len(lengths) & 0xFFF == 0:
                self._spend(0x1000)
        self._spend(len(lengths) & 0xFFF)
        self.lengths = np.frombuffer(lengths, dtype=np.int64)
        self.total = total  # calamine keeps the last SST it reads

    def _sheet(self, position: int, label: str) -> tuple[int, str, int, int, int]:
        """(memory, name, rows, cols, text) of one sheet after checking its extent, text and frame."""
        limits, raw = self.limits, self.raw
        offsets = np.frombuffer(self._records(position, substream=True), dtype=np.int64)
        if not len(offsets):
            return 0, label, 0, 0, 0
        kinds = raw[offsets].astype(np.int64) | raw[offsets + 1].astype(np.int64) << 8
        sizes = raw[offsets + 2].astype(np.int64) | raw[offsets + 3].astype(np.int64) << 8

        def u16(at: np.ndarray) -> np.ndarray:
            return raw[at].astype(np.int64) | raw[at + 1].astype(np.int64) << 8

        def u32(at: np.ndarray) -> np.ndarray:
            return u16(at) | u16(at + 2) << 16

        for at, size in zip(offsets[kinds == _DIMENSIONS], sizes[kinds == _DIMENSIONS], strict=True):
            body = int(at) + 4
            if size >= 14:
                first_row, rows, first_col, cols = struct.unpack_from("<IIHH", self.stream, body)
            elif size >= 8:
                first_row, rows, first_col, cols = struct.unpack_from("<HHHH", self.stream, body)
            else:
                continue
            if (
                rows >= 1 and cols >= 1
            ):  # calamine reserves (last - first + 1) cells in u32: a first row after
                first_col = (
                    0 if first_col > 0xFF or cols < first_col else first_col
                )  # the last wraps to 4 G rows
                rows = max(rows, (rows - first_row) % 2**32)
                cols = max(cols, cols - first_col)
            check_extent(self.name, label, rows, cols, limits, claimed=True)
            check_frame(self.name, label, rows, cols, 0, 0, limits)

        single = np.isin(kinds, _ONE_CELL) & (sizes >= 4)
        multi = (kinds == _MULRK) & (sizes >= 6)
        cells = int(single.sum()) + int(((sizes[multi] - 6) // 6).clip(min=0).sum())
        bodies = offsets + 4
        rows = np.concatenate((u16(bodies[single]), u16(bodies[multi])))
        last = bodies[multi] + sizes[multi] - 2
        cols = np.concatenate((u16(bodies[single] + 2), np.maximum(u16(last), u16(bodies[multi] + 2))))
        extent_rows = int(rows.max()) + 1 if len(rows) else 0
        extent_cols = int(cols.max()) + 1 if len(cols) else 0
        check_extent(self.name, label, extent_rows, extent_cols, limits, claimed=False)

        text, longest = 0, 0
        shared = (kinds == _LABELSST) & (sizes >= 10)
        if shared.any() and len(self.lengths):
            index = u32(bodies[shared] + 6)
            index = index[index < len(self.lengths)]
            text += int(self.lengths[index].sum())
        labels = np.isin(kinds, (_LABEL, _RSTRING)) & (sizes >= 8)
        strings = (kinds == _STRING) & (sizes >= 2)
        for starts, ends in (
            (bodies[labels] + 6, bodies[labels] + sizes[labels]),
            (bodies[strings], bodies[strings] + sizes[strings]),
        ):
            if not len(starts):
                continue
            chars = u16(starts)
            if self.biff8:
                wide = np.where(starts + 2 < ends, raw[np.minimum(starts + 2, len(raw) - 1)] & 1, 0)
                room = (ends - starts - 3).clip(min=0) // (1 + wide)
                counted = np.minimum(chars, room) * np.where(wide == 1, 3, 1)
            else:
                counted = np.minimum(chars, (ends - starts - 2).clip(min=0)) * 2
            text += int(counted.sum())
            longest = max(longest, int(counted.max()))
        formulas = (kinds == _FORMULA) & (sizes >= 20)
        formula_rows = formula_cols = 0
        if formulas.any():
            # calamine writes every formula out when the file is opened: a token naming a 255-character defined name
            # writes 765 bytes, so the rate per token byte follows the longest name the workbook holds
            rate = max(_FORMULA_TEXT, -(-(self.longest_name + _REFERENCE) // _NAME_TOKEN))
            text += int((sizes[formulas] - 20).sum()) * rate
            formula_rows = int(u16(bodies[formulas]).max()) + 1
            formula_cols = int(u16(bodies[formulas] + 2).max()) + 1
        if longest > limits.max_cell_kb * 1024:
            raise refuse(self.name, "max_cell_kb", limits.max_cell_kb, kb(longest))
        if text > limits.max_text_mb * MB:
            raise IngestError(
                "limits.max_text_mb",
                file=self.name,
                member=label,
                found=round(text / MB, 1),
                limit=limits.max_text_mb,
            )
        # calamine builds the formulas' grid beside the values' (a string a cell of its extent)
        extra = cells * limits.real_cell_cost_bytes + formula_rows * formula_cols * limits.cell_cost_bytes
        table = self.total + 32 * len(self.lengths)
        check_frame(self.name, label, extent_rows, extent_cols, text, extra + table, limits)
        need = extent_rows * extent_cols * limits.cell_cost_bytes + text * limits.text_cost_factor + extra
        return need, label, extent_rows, extent_cols, text
