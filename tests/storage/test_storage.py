"""Storage: engine settings, atomic snapshot import, exact round trips, duplicates, concurrency (SQLite and PG)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select, text

from core.errors import StorageError
from core.ingest import Rejection
from core.services.reads import (
    audit_entries,
    find_snapshot,
    list_outlets,
    list_snapshots,
    load_customers,
    load_maturities,
    load_rejections,
)
from core.storage import bulk, ensure_schema, make_engine, normalize_url
from core.storage.engine import DEFAULT_DB, default_url
from core.storage.models import TABLES
from core.storage.testing import temporary_schema
from tests.builders.storage import customers_frame, ingest_result, run_together
from tests.builders.stored import ensure_outlet, import_snapshot

AS_OF = dt.date(2026, 11, 30)


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.scalar(select(func.count()).select_from(table)) for name, table in TABLES.items()}


# --- engine ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "used"),
    [
        ("postgresql://postgres@127.0.0.1:5432/test", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
        ("postgres://u:p@db/x", "postgresql+psycopg://u:p@db/x"),
        ("postgresql+psycopg://u@h/x", "postgresql+psycopg://u@h/x"),
        ("sqlite:///a.db", "sqlite:///a.db"),
    ],
)
def test_postgres_urls_as_users_write_them_use_psycopg3(written, used):
    assert normalize_url(written) == used


def test_default_url_is_database_url_then_the_data_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert default_url() == f"sqlite:///{DEFAULT_DB}"
    assert DEFAULT_DB.parent.name == "data"
    monkeypatch.setenv("DATABASE_URL", "postgres://x@y/z")
    assert make_engine().url.drivername == "postgresql+psycopg"


def test_sqlite_file_runs_in_wal_with_foreign_keys_and_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'c.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
    assert (tmp_path / "sub" / "c.db").exists()


def test_ensure_schema_twice_is_harmless(db_engine):
    ensure_schema(db_engine)
    assert table_counts(db_engine)["snapshot"] == 0


# --- import and load ---------------------------------------------------------------------------------------------


def test_snapshot_round_trip_keeps_every_value_and_dtype(db_engine):
    customers = customers_frame(500)
    sid = import_snapshot(db_engine, ingest_result(customers), outlet="城东支局", as_of=AS_OF, user="zhiju")
    back = load_customers(db_engine, sid)
    pd.testing.assert_frame_equal(back, customers)
    [info] = list_snapshots(db_engine)
    assert info["id"] == sid
    assert (info["outlet"], info["as_of"], info["customers"], info["rows_read"], info["rows_rejected"]) == (
        "城东支局",
        "2026-11-30",
        500,
        501,
        1,
    )
    assert info["created_by"] == "zhiju"
    assert find_snapshot(db_engine, "城东支局", AS_OF)["id"] == sid
    assert find_snapshot(db_engine, "城东支局", dt.date(2026, 10, 31)) is None
    [rejection] = load_rejections(db_engine, sid)
    assert (rejection.row, rejection.column, rejection.file) == (502, "资产", "export.csv")


def test_an_import_is_logged_in_the_audit_log(db_engine):
    sid = import_snapshot(
        db_engine, ingest_result(customers_frame(3)), outlet="城东支局", as_of=AS_OF, user="zhiju"
    )
    [entry] = audit_entries(db_engine)
    assert (entry["username"], entry["action"], entry["outlet"]) == ("zhiju", "snapshot.import", "城东支局")
    assert entry["detail"]["snapshot_id"] == sid
    assert entry["detail"]["customers"] == 3


def test_maturity_items_are_stored_with_the_snapshot(db_engine):
    items = pd.DataFrame(
        {
            "customer_id": pd.array(["C0000001", "X9"], dtype="string"),
            "name": pd.array(["客户1", None], dtype="string"),
            "product": pd.array(["定期三年", "国债"], dtype="string"),
            "amount": [50000.0, np.nan],
            "maturity_date": pd.to_datetime(["2026-12-05", "2026-12-20"]).astype("datetime64[us]"),
            "outlet": pd.array(["城东支局", None], dtype="string"),
            "source_row": np.array([3, 4], dtype=np.int64),
            "file": pd.array(["到期.xlsx", "到期.xlsx"], dtype="string"),
            "matched": [True, False],
        }
    )
    sid = import_snapshot(
        db_engine,
        ingest_result(customers_frame(5)),
        outlet="城东支局",
        as_of=AS_OF,
        user="zhiju",
        maturities=items,
        maturity_files=[{"file": "到期.xlsx", "sha256": "m1", "rows_read": 3, "rows_rejected": 1}],
        maturity_rejections=[Rejection(row=5, reason="到期日期无法识别", column="到期日", file="到期.xlsx")],
    )
    back = load_maturities(db_engine, sid)
    assert back["customer_id"].tolist() == ["C0000001", "X9"]
    assert back["matched"].tolist() == [True, False]
    assert back["amount"].iloc[0] == 50000.0 and np.isnan(back["amount"].iloc[1])
    assert back["maturity_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-12-05", "2026-12-20"]
    assert list_snapshots(db_engine)[0]["maturity_files"][0]["file"] == "到期.xlsx"
    assert [r.file for r in load_rejections(db_engine, sid)] == ["export.csv", "到期.xlsx"]


def test_same_outlet_and_date_again_is_refused_with_a_clear_message(db_engine):
    import_snapshot(
        db_engine, ingest_result(customers_frame(5)), outlet="城东支局", as_of=AS_OF, user="zhiju"
    )
    before = table_counts(db_engine)
    with pytest.raises(StorageError, match=r"城东支局.*2026-11-30.*已经导入过.*--replace"):
        import_snapshot(
            db_engine,
            ingest_result(customers_frame(5), sha256="other"),
            outlet="城东支局",
            as_of=AS_OF,
            user="b",
        )
    assert table_counts(db_engine) == before


def test_the_same_file_under_another_date_is_recognised_by_its_hash(db_engine):
    import_snapshot(
        db_engine, ingest_result(customers_frame(5)), outlet="城东支局", as_of=AS_OF, user="zhiju"
    )
    with pytest.raises(StorageError, match=r"内容与快照 #\d+ 的“export.csv”完全相同.*2026-11-30"):
        import_snapshot(
            db_engine,
            ingest_result(customers_frame(5)),
            outlet="城东支局",
            as_of=dt.date(2026, 12, 31),
            user="z",
        )
    assert len(list_snapshots(db_engine)) == 1


def test_the_same_file_for_another_outlet_is_a_different_snapshot(db_engine):
    import_snapshot(db_engine, ingest_result(customers_frame(5)), outlet="城东支局", as_of=AS_OF, user="z")
    import_snapshot(db_engine, ingest_result(customers_frame(5)), outlet="城西支局", as_of=AS_OF, user="z")
    assert [s["outlet"] for s in list_snapshots(db_engine)] == ["城东支局", "城西支局"]
    assert list_outlets(db_engine) == ["城东支局", "城西支局"]


def test_replace_swaps_the_snapshot_and_its_customers_in_one_step(db_engine):
    old = import_snapshot(
        db_engine, ingest_result(customers_frame(8)), outlet="城东支局", as_of=AS_OF, user="z"
    )
    newer = customers_frame(3, seed=9, prefix="N")
    new = import_snapshot(
        db_engine,
        ingest_result(newer, sha256="sha-b"),
        outlet="城东支局",
        as_of=AS_OF,
        user="z",
        replace=True,
    )
    assert new != old
    assert [s["id"] for s in list_snapshots(db_engine)] == [new]
    counts = table_counts(db_engine)
    assert (counts["snapshot_customer"], counts["snapshot_rejection"]) == (3, 1)
    pd.testing.assert_frame_equal(load_customers(db_engine, new), newer)
    with pytest.raises(StorageError, match=f"没有编号为 {old} 的快照"):
        load_customers(db_engine, old)
    assert audit_entries(db_engine)[0]["action"] == "snapshot.replace"


# --- atomicity ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda f: f.assign(customer_id=f["customer_id"].where(f.index != 3, "C0000001")),
            "客户号重复：C0000001",
        ),
        (lambda f: f.assign(assets=f["assets"].where(f.index != 2, np.nan)), "第 4 行资产金额无效"),
        (lambda f: f.drop(columns=["assets"]), "缺少列：assets"),
    ],
)
def test_data_that_fails_validation_changes_nothing(db_engine, change, message):
    before = table_counts(db_engine)
    with pytest.raises(StorageError, match=message):
        import_snapshot(
            db_engine, ingest_result(change(customers_frame(6))), outlet="新网点", as_of=AS_OF, user="z"
        )
    assert table_counts(db_engine) == before
    assert list_outlets(db_engine) == []


def test_an_error_after_half_the_rows_leaves_the_database_as_it_was(db_engine, monkeypatch):
    import_snapshot(db_engine, ingest_result(customers_frame(4)), outlet="城东支局", as_of=AS_OF, user="z")
    before = table_counts(db_engine)
    real = bulk._insert_chunk
    calls = []

    def failing(conn, table, names, chunk):
        if table.name == "snapshot_customer":
            calls.append(len(chunk["customer_id"]))
            if len(calls) == 3:
                raise OSError("disk full (simulated)")
        real(conn, table, names, chunk)

    monkeypatch.setattr(bulk, "CHUNK_ROWS", 100)
    monkeypatch.setattr(bulk, "_insert_chunk", failing)
    with pytest.raises(OSError, match="simulated"):
        import_snapshot(
            db_engine,
            ingest_result(customers_frame(400, seed=3), sha256="sha-new"),
            outlet="城西支局",
            as_of=dt.date(2026, 12, 31),
            user="z",
        )
    assert calls == [100, 100, 100]  # two chunks of 100 were written before the failure
    assert table_counts(db_engine) == before
    assert list_outlets(db_engine) == ["城东支局"]


KILL_SCRIPT = textwrap.dedent(
    """
    import datetime as dt, os, signal, sys
    sys.path.insert(0, {root!r})
    from tests.builders.storage import customers_frame, ingest_result
    from core import services
    from core.storage import bulk, make_engine
    real = bulk._insert_chunk
    seen = []
    def killing(conn, table, names, chunk):
        real(conn, table, names, chunk)
        if table.name == "snapshot_customer":
            seen.append(1)
            if len(seen) == 2:
                os.kill(os.getpid(), signal.SIGKILL)
    bulk._insert_chunk = killing
    bulk.CHUNK_ROWS = 100
    engine = make_engine({url!r}, **{kwargs!r})
    day = dt.date(2026, 12, 31)
    export = services.read_export(ingest_result(customers_frame(1000), sha256="killed"), [], day)
    services.import_export(engine, services.operator("z"), "城西支局", export)
    """
)


def test_a_process_killed_midway_through_an_import_leaves_nothing(db_engine):
    import pathlib

    import_snapshot(db_engine, ingest_result(customers_frame(4)), outlet="城东支局", as_of=AS_OF, user="z")
    before = table_counts(db_engine)
    url = db_engine.url.render_as_string(hide_password=False)
    kwargs = {}
    if db_engine.dialect.name == "postgresql":
        with db_engine.connect() as conn:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        kwargs = {"connect_args": {"options": f"-csearch_path={schema}"}}
    root = pathlib.Path(__file__).resolve().parents[2]
    script = KILL_SCRIPT.format(root=str(root), url=url, kwargs=kwargs)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr
    assert table_counts(db_engine) == before
    with db_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM snapshot_customer")).scalar() == 4


# --- concurrency -------------------------------------------------------------------------------------------------


def test_two_outlets_importing_at_once_both_land(db_engine):
    east, west = customers_frame(20_000, seed=1), customers_frame(20_000, seed=2, prefix="W")
    results = run_together(
        lambda: import_snapshot(
            db_engine, ingest_result(east, sha256="e"), outlet="城东支局", as_of=AS_OF, user="a"
        ),
        lambda: import_snapshot(
            db_engine, ingest_result(west, sha256="w"), outlet="城西支局", as_of=AS_OF, user="b"
        ),
    )
    assert all(isinstance(r, int) for r in results), results
    pd.testing.assert_frame_equal(load_customers(db_engine, results[0]), east)
    pd.testing.assert_frame_equal(load_customers(db_engine, results[1]), west)


def test_the_same_outlet_and_date_twice_at_once_gives_one_snapshot_and_one_clear_error(db_engine):
    one, two = customers_frame(20_000, seed=1), customers_frame(20_000, seed=2)
    results = run_together(
        lambda: import_snapshot(
            db_engine, ingest_result(one, sha256="1"), outlet="城东支局", as_of=AS_OF, user="a"
        ),
        lambda: import_snapshot(
            db_engine, ingest_result(two, sha256="2"), outlet="城东支局", as_of=AS_OF, user="b"
        ),
    )
    ids = [r for r in results if isinstance(r, int)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(ids) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], StorageError)
    assert "城东支局" in str(errors[0]) and "2026-11-30" in str(errors[0]) and "--replace" in str(errors[0])
    assert [s["id"] for s in list_snapshots(db_engine)] == ids
    assert table_counts(db_engine)["snapshot_customer"] == 20_000


@pytest.mark.postgres
def test_pg_unique_constraint_is_what_stops_a_racing_duplicate(pg_url):
    """Force the race: both transactions pass the read check before either inserts; the constraint decides."""
    from core.storage import snapshots

    with temporary_schema(pg_url) as engine:
        ensure_schema(engine)
        ensure_outlet(engine, "东")  # else the second transaction waits on the first's new outlet row
        real = snapshots._conflicts
        barrier = threading.Barrier(2)

        def checked_then_wait(conn, oid, as_of, sha256):
            found = real(conn, oid, as_of, sha256)
            barrier.wait(timeout=30)
            return found

        snapshots._conflicts = checked_then_wait
        try:
            results = run_together(
                lambda: import_snapshot(
                    engine, ingest_result(customers_frame(50), sha256="1"), outlet="东", as_of=AS_OF, user="a"
                ),
                lambda: import_snapshot(
                    engine, ingest_result(customers_frame(50), sha256="2"), outlet="东", as_of=AS_OF, user="b"
                ),
            )
        finally:
            snapshots._conflicts = real
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 1 and isinstance(errors[0], StorageError), results
        assert "刚刚已由另一次导入写入" in str(errors[0])
        assert len(list_snapshots(engine)) == 1
