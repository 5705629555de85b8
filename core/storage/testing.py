"""Scratch databases for tests and benchmarks: a private PostgreSQL schema dropped afterwards."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from core.storage.engine import make_engine


@contextmanager
def temporary_schema(url: str) -> Iterator[Engine]:
    """An engine on PostgreSQL ``url`` whose search_path is a new, empty schema; the schema is dropped after."""
    name = f"t_{os.getpid()}_{secrets.token_hex(4)}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    engine = make_engine(url, connect_args={"options": f"-csearch_path={name}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()
