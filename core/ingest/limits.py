"""Server-wide limits on input files (``limits.toml`` beside this module, or the file named by CONSOLE_LIMITS_FILE)."""

from __future__ import annotations

import os
import pathlib
import tomllib
from dataclasses import dataclass, fields
from functools import cache

from core.errors import ConsoleError, Message, Sentences

DEFAULT_PATH = pathlib.Path(__file__).with_name("limits.toml")
ENV = "CONSOLE_LIMITS_FILE"
# Ceilings no configuration may exceed: past them the readers themselves need more memory than a branch PC has.
CEILINGS = {
    "max_file_mb": 2048,
    "max_uncompressed_mb": 4096,
    "max_ratio": 1000,
    "max_zip_members": 100000,
    "max_rows": 1048576,
    "max_csv_lines": 50_000_000,
    "max_columns": 16384,
    "max_cells": 200_000_000,
    "max_line_kb": 65536,
    "upload_cache_mb": 65536,
    "max_amount_yuan": 10**15,
    "max_cell_kb": 1024,
    "max_shared_strings_mb": 4096,
    "max_text_mb": 8192,
    "max_frame_mb": 16384,
    "cell_cost_bytes": 4096,
    "text_cost_factor": 64,
    "real_cell_cost_bytes": 4096,
    "upload_file_mb": 2048,
    "upload_session_mb": 16384,
    "media_link_minutes": 1440,
    "max_csv_cells": 500_000_000,
    "max_xls_records": 200_000_000,
}


@dataclass(frozen=True)
class Limits:
    max_file_mb: int
    max_uncompressed_mb: int
    max_ratio: int
    max_zip_members: int
    max_rows: int
    max_csv_lines: int
    max_columns: int
    max_cells: int
    max_line_kb: int
    upload_cache_mb: int
    max_amount_yuan: int
    max_cell_kb: int
    max_shared_strings_mb: int
    max_text_mb: int
    max_frame_mb: int
    cell_cost_bytes: int
    text_cost_factor: int
    real_cell_cost_bytes: int
    upload_file_mb: int
    upload_session_mb: int
    media_link_minutes: int
    max_csv_cells: int
    max_xls_records: int

    @classmethod
    def from_toml(cls, text: str, origin: str = "limits.toml") -> Limits:
        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            raise ConsoleError("limits.config.toml", origin=origin, error=str(exc)[:200]) from exc
        names = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(names))
        missing = [n for n in names if n not in data]
        if unknown or missing:
            items = [Message("limits.config.unknown", name=n) for n in unknown]
            items += [Message("limits.config.missing", name=n) for n in missing]
            raise ConsoleError("limits.config.items", origin=origin, items=Sentences(items))
        for name in names:
            value = data[name]
            if type(value) is not int or not 1 <= value <= CEILINGS[name]:
                raise ConsoleError(
                    "limits.config.value", origin=origin, name=name, ceiling=CEILINGS[name], value=repr(value)
                )
        return cls(**{n: data[n] for n in names})

    @classmethod
    def load(cls, path: str | os.PathLike) -> Limits:
        path = pathlib.Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConsoleError("limits.config.unreadable", path=str(path), error=str(exc)) from exc
        return cls.from_toml(text, str(path))


@cache
def _cached(path: str) -> Limits:
    return Limits.load(path)


def current_limits() -> Limits:
    """The limits in force: CONSOLE_LIMITS_FILE when set, else the shipped defaults."""
    return _cached(os.environ.get(ENV) or str(DEFAULT_PATH))
