"""Reading an export (CSV in any common encoding/delimiter, XLSX, legacy XLS) into a header-detected string table."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pathlib
from collections.abc import Iterable
from typing import BinaryIO

from core.errors import IngestError
from core.i18n import t
from core.ingest.excel import read_excel
from core.ingest.guard import MB, check_file
from core.ingest.limits import current_limits
from core.ingest.rows import RawTable, Rejection
from core.ingest.text import SAMPLE_BYTES, read_text
from core.ingest.values import header_key

__all__ = ["RawTable", "Rejection", "Source", "load_bytes", "read_table"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"

Source = str | os.PathLike | bytes | bytearray | memoryview | BinaryIO


def load_bytes(source: Source, file_name: str | None) -> tuple[bytes, str]:
    """The whole file and the name to show the user."""
    if isinstance(source, (str, os.PathLike)):
        path = pathlib.Path(source)
        name = file_name or path.name
        try:
            size = path.stat().st_size
            if size > current_limits().max_file_mb * MB:  # refused before a byte is read into memory
                check_file(b"", name, size=size)
            return path.read_bytes(), name
        except OSError as exc:
            raise IngestError("ingest.file.unreadable", file=name, error=exc.strerror or exc) from exc
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
        raise IngestError("ingest.file.empty", file=name)
    check_file(data, name)
    digest = hashlib.sha256(data).hexdigest()
    hints = {header_key(h)[0] for h in header_hints} - {""}
    if data.startswith(_ZIP) or data.startswith(_OLE2):
        return read_excel(data, name, digest, sheet, hints)
    return read_text(data, name, digest, hints)
