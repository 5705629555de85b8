"""Shared fixtures. Keep them small and clearly named; areas keep their own fixtures in their test files."""

from __future__ import annotations

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXTERNAL = ROOT.parent / "shared" / "data" / "external"


@pytest.fixture
def external_dir() -> pathlib.Path:
    """The real third-party files beside the project (../shared/data/external)."""
    if not EXTERNAL.is_dir():
        pytest.skip(f"third-party files not found at {EXTERNAL}")
    return EXTERNAL


NO_PG = "PostgreSQL tests skipped: TEST_DATABASE_URL is not set (.ci/run sets it)"


def pytest_collection_modifyitems(config, items):
    """Without TEST_DATABASE_URL, tests marked ``postgres`` or using ``pg_url`` are left out; one line says so."""
    if os.environ.get("TEST_DATABASE_URL"):
        return

    def needs_pg(item) -> bool:
        return item.get_closest_marker("postgres") is not None or "pg_url" in getattr(
            item, "fixturenames", ()
        )

    left_out = [item for item in items if needs_pg(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not needs_pg(item)]
        config.stash[_NO_PG_COUNT] = len(left_out)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = config.stash.get(_NO_PG_COUNT, 0)
    if count:
        terminalreporter.write_line(f"{NO_PG} ({count} tests)")


_NO_PG_COUNT = pytest.StashKey[int]()


@pytest.fixture(scope="session")
def pg_url() -> str:
    """TEST_DATABASE_URL of a real PostgreSQL; every test that needs it is skipped (one summary line) when unset."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip(NO_PG)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_engine(request, tmp_path):
    """A fresh database at the newest schema: a SQLite file, and a private PostgreSQL schema (dropped after)."""
    from core.storage import ensure_schema, make_engine
    from core.storage.testing import temporary_schema

    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'console.db'}")
        ensure_schema(engine)
        yield engine
        engine.dispose()
        return
    with temporary_schema(request.getfixturevalue("pg_url")) as engine:
        ensure_schema(engine)
        yield engine
