"""Parsed uploads kept once per server within a memory budget (limits.toml ``upload_cache_mb``), least recent out.

``st.cache_data`` bounds entries, not bytes, and never forgets; a 200 MB export parsed eight times over would hold
gigabytes. Errors are kept too, so a refused file is not read again on every rerun. Callers never mutate values.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd
import streamlit as st

from core.errors import ConsoleError
from core.ingest.limits import current_limits

MB = 1024 * 1024


def size_of(value: Any) -> int:
    """Bytes a parsed upload holds: its DataFrames (deep) and arrays, the rest counted shallowly."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True, index=True).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(deep=True, index=True))
    if hasattr(value, "nbytes"):
        return int(value.nbytes)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(size_of(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple)):
        return sys.getsizeof(value) + sum(size_of(v) for v in value[:1000]) * max(1, len(value) // 1000)
    return sys.getsizeof(value)


class BoundedCache:
    """A least-recently-used map whose values together stay under ``budget`` bytes."""

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self._items: OrderedDict[Hashable, tuple[Any, int, bool]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                value, _, failed = self._items[key]
                if failed:
                    raise value
                return value
        try:
            value, failed = make(), False
        except ConsoleError as exc:
            value, failed = exc, True
        size = 1024 if failed else size_of(value)
        with self._lock:
            if size <= self.budget:
                old = self._items.pop(key, None)
                self.used -= old[1] if old else 0
                self._items[key] = (value, size, failed)
                self.used += size
                while self.used > self.budget:
                    _, (_, dropped, _) = self._items.popitem(last=False)
                    self.used -= dropped
        if failed:
            raise value
        return value


@st.cache_resource(show_spinner=False)
def upload_cache() -> BoundedCache:
    return BoundedCache(current_limits().upload_cache_mb * MB)
