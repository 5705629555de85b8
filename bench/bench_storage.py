"""Snapshot import speed: 1M customers into SQLite (beside a raw executemany) and into PostgreSQL with COPY."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import sqlite3
import time

import numpy as np
import pandas as pd

from core.ingest import IngestResult
from core.services.reads import ensure_schema, load_customers, make_engine
from core.services.uow import unit_of_work
from core.storage.bulk import date_values, float_values, int_values, text_values
from core.storage.snapshots import CUSTOMER_FIELDS, DATE_FIELDS, INT_FIELDS, TEXT_FIELDS
from core.storage.snapshots import import_snapshot as store_snapshot

OUT = pathlib.Path(__file__).resolve().parent / "out"
PG_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
AS_OF = dt.date(2026, 11, 30)
TARGET_RATIO = 1.5


def customers(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    maturity = pd.Timestamp("2026-12-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D")
    maturity = maturity.where(rng.random(n) < 0.3)
    birthday = pd.Timestamp("1950-01-01") + pd.to_timedelta(rng.integers(0, 20000, n), unit="D")
    ids = pd.array(np.char.add("C", np.char.zfill(np.arange(n).astype(str), 9)), dtype="string")
    return pd.DataFrame(
        {
            "customer_id": ids,
            "name": pd.array(np.char.add("客户", np.arange(n).astype(str)), dtype="string"),
            "phone": pd.array(np.char.add("138", np.char.zfill(np.arange(n).astype(str), 8)), dtype="string"),
            "outlet": pd.array(["城东支局"] * n, dtype="string"),
            "assets": np.round(rng.lognormal(np.log(6000), 1.6, n), 2),
            "maturity_date": pd.Series(maturity).astype("datetime64[us]"),
            "birthday": pd.Series(birthday).astype("datetime64[us]"),
            "manager": pd.array(np.array(["张敏", "李强", "王芳"])[rng.integers(0, 3, n)], dtype="string"),
            "familiarity": pd.array(rng.integers(1, 6, n), dtype="Int64"),
            "source_row": np.arange(2, n + 2, dtype=np.int64),
            "accounts": rng.integers(1, 4, n).astype(np.int64),
        }
    )


def result_of(frame: pd.DataFrame, sha: str) -> IngestResult:
    return IngestResult(
        customers=frame,
        rows_read=len(frame),
        rejections=[],
        mapping={},
        unit_multipliers={},
        file_name="bench.csv",
        sha256=sha,
        encoding="utf-8",
        sheet=None,
        header_row=1,
    )


def raw_rows(frame: pd.DataFrame, snapshot_id: int) -> list[tuple]:
    cols = [[snapshot_id] * len(frame)]
    for name in CUSTOMER_FIELDS:
        if name in TEXT_FIELDS:
            cols.append(text_values(frame[name]))
        elif name in DATE_FIELDS:
            cols.append(date_values(frame[name]))
        elif name in INT_FIELDS:
            cols.append(int_values(frame[name]))
        else:
            cols.append(float_values(frame[name]))
    return list(zip(*cols, strict=True))


def fresh_sqlite(path: pathlib.Path):
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    return engine


def raw_executemany(path: pathlib.Path, rows: list[tuple]) -> float:
    """The floor: sqlite3 alone, the same table and settings, prepared tuples, one transaction."""
    engine = fresh_sqlite(path)
    engine.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("INSERT INTO outlet (id, name, created_at) VALUES (1, 'x', '2026-11-30')")
    conn.execute(
        "INSERT INTO snapshot (id, outlet_id, as_of, rows_read, rows_rejected, customers, created_by, created_at)"
        " VALUES (1, 1, '2026-11-30', 0, 0, 0, 'bench', '2026-11-30')"
    )
    marks = ", ".join("?" * (len(CUSTOMER_FIELDS) + 1))
    sql = f"INSERT INTO snapshot_customer (snapshot_id, {', '.join(CUSTOMER_FIELDS)}) VALUES ({marks})"
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(sql, rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def run(quick: bool) -> list[dict]:
    n = 100_000 if quick else 1_000_000
    label = f"{n // 1000}k" if n < 1_000_000 else "1M"
    OUT.mkdir(parents=True, exist_ok=True)
    frame = customers(n)
    raw = raw_executemany(OUT / "bench_raw.db", raw_rows(frame, 1))
    engine = fresh_sqlite(OUT / "bench_console.db")
    ours, snapshot_id = timed(
        lambda: import_snapshot(engine, result_of(frame, "s"), outlet="城东支局", as_of=AS_OF, user="bench")
    )
    load, _ = timed(lambda: load_customers(engine, snapshot_id))
    engine.dispose()
    ratio = ours / raw
    rows = [
        {
            "benchmark": f"import_snapshot {label} customers, SQLite file",
            "figure": f"{ours:.2f} s ({ratio:.2f}x raw)",
            "target": f"<= {TARGET_RATIO}x raw executemany",
            "ok": ratio <= TARGET_RATIO,
        },
        {
            "benchmark": f"  raw sqlite3 executemany, {label} prepared tuples, 1 tx",
            "figure": f"{raw:.2f} s",
            "target": "(reference)",
            "ok": True,
        },
        {
            "benchmark": f"load_customers {label} back from SQLite (dtypes restored)",
            "figure": f"{load:.2f} s",
            "target": "(reference)",
            "ok": True,
        },
    ]
    rows.append(_postgres(frame, label))
    return rows


def _postgres(frame: pd.DataFrame, label: str) -> dict:
    from sqlalchemy.exc import OperationalError

    from core.storage.testing import temporary_schema

    name = f"import_snapshot {label} customers, PostgreSQL COPY"
    try:
        with temporary_schema(PG_URL) as engine:
            ensure_schema(engine)
            seconds, _ = timed(
                lambda: import_snapshot(
                    engine, result_of(frame, "p"), outlet="城东支局", as_of=AS_OF, user="bench"
                )
            )
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "unreachable"
        return {
            "benchmark": name,
            "figure": "skipped",
            "target": f"PostgreSQL unreachable: {reason}"[:60],
            "ok": True,
        }
    return {"benchmark": name, "figure": f"{seconds:.2f} s", "target": "(COPY; reference)", "ok": True}


def import_snapshot(engine, *args, **kwargs) -> int:
    """The storage import in its own unit of work, as the import service runs it."""
    with unit_of_work(engine) as conn:
        return store_snapshot(conn, *args, **kwargs)
