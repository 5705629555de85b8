"""The unit of work: each workflow runs in one transaction that the service opens and hands down.

Storage functions (``core.storage``) take that connection and never commit; what a workflow writes lands whole
when the service's block ends, or not at all (an error, a killed process).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from core.storage.engine import write_connection


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed when the block ends, rolled back on any error (SQLite: BEGIN IMMEDIATE)."""
    with write_connection(engine) as conn:
        yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """One read transaction: every read of a workflow sees the same committed state; nothing is written."""
    with engine.connect() as conn, conn.begin():
        yield conn
