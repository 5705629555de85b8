"""Alembic driven from code: no alembic.ini needed; the engine's own connection runs the migrations."""

from __future__ import annotations

import pathlib

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from core.storage.engine import write_connection

SCRIPTS = pathlib.Path(__file__).resolve().parents[1] / "migrations"
MIGRATION_LOCK = 4_311_2026  # any constant: the advisory lock key of schema upgrades on PostgreSQL


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    if engine is not None:
        config.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade to ``revision`` in one transaction (SQLite DDL is transactional here: see engine.py)."""
    config = alembic_config(engine)
    with write_connection(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Two processes starting on an empty database: the second waits here, then finds the schema done.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with write_connection(engine) as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head
