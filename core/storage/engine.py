"""Where the data lives: one SQLAlchemy engine per database URL, and the schema brought to the newest revision.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout, and SQLAlchemy emits
BEGIN itself so DDL is transactional too. Writers that must not deadlock take the write lock up front
(``BEGIN IMMEDIATE``) through :func:`write_connection`; readers keep plain deferred transactions.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_DB = ROOT / "data" / "console.db"
# A 1M-row import holds the write lock for seconds; other writers wait, not fail (CONSOLE_SQLITE_BUSY_MS overrides).
BUSY_TIMEOUT_MS = int(os.environ.get("CONSOLE_SQLITE_BUSY_MS") or 60_000)
_IMMEDIATE = "console_begin_immediate"


def default_url() -> str:
    """``DATABASE_URL`` from the environment, else the SQLite file ``data/console.db`` of the repository."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"


def normalize_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` as users write them -> the psycopg 3 driver the project installs."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Engine for ``url`` (None: :func:`default_url`), with the SQLite settings the console relies on."""
    url = normalize_url(url or default_url())
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, **kwargs)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if not in_memory:
        _private_file(pathlib.Path(database).expanduser())
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(
                "PRAGMA synchronous=NORMAL"
            )  # safe in WAL: a crash never corrupts, it may lose the last commit
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _private_file(path: pathlib.Path) -> None:
    """The SQLite file (customer data) created readable by its owner only; SQLite gives -wal and -shm the same mode.

    A new folder is made private too; an existing file is left as its owner set it.
    """
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        return  # a read-only place or a URI filename: SQLite itself reports what is wrong


def is_sqlite(engine_or_conn: Engine | Connection) -> bool:
    return engine_or_conn.dialect.name == "sqlite"


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside one write transaction, committed on success and rolled back on any error.

    On SQLite the write lock is taken at BEGIN, so two writers queue (busy timeout) instead of one failing
    with "database is locked" when it upgrades a read lock.
    """
    with engine.connect() as conn:
        if is_sqlite(conn):
            conn.execution_options(**{_IMMEDIATE: True})
        with conn.begin():
            yield conn


def ensure_schema(engine: Engine) -> None:
    """Bring the database to the newest migration (idempotent; an empty database gets every table)."""
    from core.storage.migrate import upgrade

    upgrade(engine, "head")
