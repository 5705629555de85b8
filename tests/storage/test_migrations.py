"""Migrations: an empty database and one at the previous revision (with data) both reach the models' schema."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from core.storage import ensure_schema, list_snapshots, load_customers, make_engine
from core.storage.migrate import current_revision, downgrade, head_revision, upgrade
from core.storage.models import Base
from core.storage.testing import temporary_schema


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    with temporary_schema(request.getfixturevalue("pg_url")) as engine:
        yield engine


def schema_differences(engine) -> list:
    with engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLite cannot reflect the expression indexes; alembic says so
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


def test_head_is_the_contact_familiarity_revision():
    assert head_revision() == "0011"


def test_an_empty_database_is_upgraded_to_exactly_the_models(empty_engine):
    assert current_revision(empty_engine) is None
    ensure_schema(empty_engine)
    assert current_revision(empty_engine) == "0011"
    assert schema_differences(empty_engine) == []
    assert set(inspect(empty_engine).get_table_names()) >= set(Base.metadata.tables)


def test_a_database_at_the_previous_revision_keeps_its_data_when_upgraded(empty_engine):
    upgrade(empty_engine, "0001")
    assert current_revision(empty_engine) == "0001"
    assert "failed_logins" not in {c["name"] for c in inspect(empty_engine).get_columns("user_account")}
    with empty_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO outlet (id, name, created_at) VALUES (1, '城东支局', '2026-10-01 08:00:00')")
        )
        conn.execute(
            text(
                "INSERT INTO user_account (username, password_hash, role, outlet_id, display_name, created_at) "
                "VALUES ('zhiju', '$2b$12$x', 'branch_head', 1, '支局长', '2026-10-01 08:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO snapshot (id, outlet_id, as_of, file_name, sha256, rows_read, rows_rejected, customers,"
                " created_by, created_at) VALUES (7, 1, '2026-10-31', 'oct.csv', 'abc', 3, 1, 2, 'zhiju',"
                " '2026-11-01 09:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO snapshot_customer (snapshot_id, customer_id, name, assets, maturity_date, familiarity,"
                " source_row, accounts) VALUES (7, 'A1', '王芳', 52000.5, '2026-11-20', 2, 2, 1),"
                " (7, 'A2', '李雷', 9999.99, NULL, NULL, 3, 2)"
            )
        )
    ensure_schema(empty_engine)
    assert current_revision(empty_engine) == "0011"
    assert schema_differences(empty_engine) == []
    with empty_engine.connect() as conn:
        row = conn.execute(text("SELECT username, failed_logins, last_login_at FROM user_account")).one()
    assert tuple(row) == ("zhiju", 0, None)
    [snap] = list_snapshots(empty_engine)
    assert (snap["id"], snap["outlet"], snap["as_of"], snap["customers"]) == (7, "城东支局", "2026-10-31", 2)
    customers = load_customers(empty_engine, 7)
    assert customers["customer_id"].tolist() == ["A1", "A2"]
    assert customers["assets"].tolist() == [52000.5, 9999.99]
    assert customers["maturity_date"].iloc[0] == dt.datetime(2026, 11, 20)
    indexes = {ix["name"] for ix in inspect(empty_engine).get_indexes("plan_item")}
    assert {"ix_plan_item_outlet_period", "ix_plan_item_snapshot_id"} <= indexes


def test_downgrade_to_the_previous_revision_and_back(empty_engine):
    ensure_schema(empty_engine)
    downgrade(empty_engine, "0001")
    assert current_revision(empty_engine) == "0001"
    assert "failed_logins" not in {c["name"] for c in inspect(empty_engine).get_columns("user_account")}
    ensure_schema(empty_engine)
    assert schema_differences(empty_engine) == []


def test_two_callers_upgrading_an_empty_database_at_once_both_succeed(empty_engine):
    from tests.builders.storage import run_together

    results = run_together(lambda: ensure_schema(empty_engine), lambda: ensure_schema(empty_engine))
    assert results == [None, None]
    assert current_revision(empty_engine) == "0011"
    assert schema_differences(empty_engine) == []
