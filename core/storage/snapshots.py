"""Snapshots: one outlet's export at one date, stored whole or not at all, and read back with canonical dtypes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from core.errors import Message, StorageError
from core.ingest import IngestResult, Rejection
from core.localtime import local_text
from core.schema import MATURITY_ROW, SNAPSHOT_ROW
from core.storage.audit import audit
from core.storage.bulk import (
    bool_values,
    date_values,
    float_values,
    insert_columns,
    int_values,
    text_values,
    typed,
)
from core.storage.models import MaturityItem, PlanItem, Snapshot, SnapshotCustomer, SnapshotRejection, utcnow
from core.storage.outlets import OUTLET, clean_outlet_name, outlet_id

SNAPSHOT = Snapshot.__table__
CUSTOMER = SnapshotCustomer.__table__
REJECTION = SnapshotRejection.__table__
MATURITY = MaturityItem.__table__
PLAN = PlanItem.__table__
TEXT_FIELDS = ("customer_id", "name", "phone", "outlet", "manager")
DATE_FIELDS = ("maturity_date", "birthday")
INT_FIELDS = ("familiarity", "source_row", "accounts")
CUSTOMER_FIELDS = [c.name for c in CUSTOMER.columns if c.name != "snapshot_id"]
MATURITY_FIELDS = list(MATURITY_ROW)  # core.schema: the maturity item row, defined once
UNIQUE_NAMES = ("uq_snapshot_outlet_as_of", "uq_snapshot_outlet_sha256")


def import_snapshot(
    conn: Connection,
    result: IngestResult,
    *,
    outlet: str,
    as_of: dt.date,
    user: str,
    replace: bool = False,
    maturities: pd.DataFrame | None = None,
    maturity_files: list[dict[str, Any]] | None = None,
    maturity_rejections: Sequence[Rejection] = (),
) -> int:
    """Store ``result`` as the snapshot of ``outlet`` at ``as_of`` in one transaction; returns its id.

    Refused with a StorageError when the outlet already has a snapshot for that date or from the same file
    (same SHA-256), unless ``replace``: the conflicting snapshots are then deleted in the same transaction.
    Nothing is written when anything fails.
    """
    outlet = clean_outlet_name(outlet)
    customers = _checked_customers(result.customers, result.file_name)
    items = _checked_items(maturities)
    try:
        oid = outlet_id(conn, outlet, create=True)
        conflicts = _conflicts(conn, oid, as_of, result.sha256)
        if conflicts and not replace:
            raise StorageError(_duplicate_message(outlet, as_of, conflicts[0]))
        for old in conflicts:
            _delete(conn, old["id"])
        snapshot_id = conn.execute(
            insert(SNAPSHOT)
            .values(
                outlet_id=oid,
                as_of=as_of,
                file_name=result.file_name,
                sha256=result.sha256 or None,
                rows_read=int(result.rows_read),
                rows_rejected=len(result.rejections),
                customers=len(customers),
                created_by=user,
                created_at=utcnow(),
                maturity_files=maturity_files,
            )
            .returning(SNAPSHOT.c.id)
        ).scalar_one()
        _insert_customers(conn, snapshot_id, customers)
        rejections = [(r, r.file or result.file_name) for r in result.rejections]
        rejections += [(r, r.file) for r in maturity_rejections]
        insert_columns(
            conn,
            REJECTION,
            {
                "snapshot_id": [snapshot_id] * len(rejections),
                "row": [int(r.row) if r.row is not None else None for r, _ in rejections],
                "reason": [str(r.reason) for r, _ in rejections],
                "column": [r.column for r, _ in rejections],
                "file": [f for _, f in rejections],
            },
        )
        if items is not None:
            _insert_items(conn, snapshot_id, items)
        audit(
            conn,
            user,
            "snapshot.replace" if conflicts else "snapshot.import",
            outlet,
            {
                "snapshot_id": snapshot_id,
                "as_of": as_of,
                "file": result.file_name,
                "sha256": result.sha256,
                "customers": len(customers),
                "rows_rejected": len(result.rejections),
                "replaced": [c["id"] for c in conflicts],
            },
        )
    except (IntegrityError, conn.dialect.loaded_dbapi.IntegrityError) as exc:
        # Repeated customer ids are left to the primary key (checking a million ids up front costs more
        # than the insert); the message is worked out only when it fires.
        ids = customers["customer_id"].astype("string")
        dup = ids.duplicated(keep=False)
        if dup.any():
            shown = "、".join(ids[dup].unique()[:5].tolist())
            raise StorageError(
                "storage.snapshot.duplicate_id", file=result.file_name or "", ids=shown
            ) from exc
        message = str(getattr(exc, "orig", exc))
        if any(name in message for name in UNIQUE_NAMES) or "snapshot.outlet_id" in message:
            raise StorageError("storage.snapshot.concurrent", outlet=outlet, as_of=as_of) from exc
        raise
    return int(snapshot_id)


def _checked_customers(customers: pd.DataFrame, file_name: str | None) -> pd.DataFrame:
    missing = [c for c in ("customer_id", "assets") if c not in customers.columns]
    if missing:
        raise StorageError("storage.snapshot.columns", columns=list(missing))
    ids = customers["customer_id"].astype("string")
    if ids.isna().any() or (ids.str.strip() == "").any():
        rows = _rows_of(customers, ids.isna() | (ids.str.strip() == ""))
        raise StorageError("storage.snapshot.blank_id", file=file_name or "", rows=rows)
    assets = pd.to_numeric(customers["assets"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(assets)
    if bad.any():
        raise StorageError("storage.snapshot.bad_assets", file=file_name or "", rows=_rows_of(customers, bad))
    return customers


def _rows_of(frame: pd.DataFrame, mask) -> str:
    mask = np.asarray(mask, dtype=bool)
    if "source_row" in frame.columns:
        labels = frame.loc[mask, "source_row"].astype(str).tolist()
    else:
        labels = [str(i + 1) for i in np.flatnonzero(mask)]
    return "、".join(labels[:10]) + ("……" if len(labels) > 10 else "")


def _checked_items(items: pd.DataFrame | None) -> pd.DataFrame | None:
    if items is None:
        return None
    if "customer_id" not in items.columns:
        raise StorageError("storage.snapshot.columns", columns="customer_id")
    return items


def _conflicts(conn: Connection, oid: int, as_of: dt.date, sha256: str | None) -> list[dict[str, Any]]:
    clause = SNAPSHOT.c.as_of == as_of
    if sha256:
        clause = or_(clause, SNAPSHOT.c.sha256 == sha256)
    rows = conn.execute(select(SNAPSHOT).where(SNAPSHOT.c.outlet_id == oid, clause).order_by(SNAPSHOT.c.id))
    return [dict(r._mapping) for r in rows]


def _duplicate_message(outlet: str, as_of: dt.date, old: dict[str, Any]) -> Message:
    fields = {
        "outlet": outlet,
        "as_of": as_of,
        "old_as_of": old["as_of"],
        "id": old["id"],
        "file": old["file_name"] or "",
        "who": old["created_by"],
        "when": local_text(old["created_at"]),
    }
    key = "storage.snapshot.duplicate_date" if old["as_of"] == as_of else "storage.snapshot.duplicate_file"
    return Message(key, **fields)


def _insert_customers(conn: Connection, snapshot_id: int, customers: pd.DataFrame) -> None:
    n = len(customers)
    columns: dict[str, list] = {"snapshot_id": [snapshot_id] * n}
    for name in CUSTOMER_FIELDS:
        if name not in customers.columns:
            columns[name] = [None] * n
        elif name in TEXT_FIELDS:
            columns[name] = text_values(customers[name])
        elif name in DATE_FIELDS:
            columns[name] = date_values(customers[name])
        elif name in INT_FIELDS:
            columns[name] = int_values(customers[name])
        else:
            columns[name] = float_values(customers[name])
    insert_columns(conn, CUSTOMER, columns)


def _insert_items(conn: Connection, snapshot_id: int, items: pd.DataFrame) -> None:
    n = len(items)
    columns: dict[str, list] = {"snapshot_id": [snapshot_id] * n}
    for name in MATURITY_FIELDS:
        if name not in items.columns:
            columns[name] = [None] * n
        elif name == "amount":
            columns[name] = float_values(items[name])
        elif name == "maturity_date":
            columns[name] = date_values(items[name])
        elif name == "source_row":
            columns[name] = int_values(items[name])
        elif name == "matched":
            columns[name] = bool_values(items[name])
        else:
            columns[name] = text_values(items[name])
    insert_columns(conn, MATURITY, columns)


def load_customers(conn: Connection, snapshot_id: int) -> pd.DataFrame:
    """The customers of a snapshot in file order, with the dtypes ``read_customers`` gives."""
    query = (
        select(*(CUSTOMER.c[name] for name in CUSTOMER_FIELDS))
        .where(CUSTOMER.c.snapshot_id == snapshot_id)
        .order_by(CUSTOMER.c.source_row, CUSTOMER.c.customer_id)
    )
    if conn.scalar(select(SNAPSHOT.c.id).where(SNAPSHOT.c.id == snapshot_id)) is None:
        raise StorageError("storage.snapshot.unknown", id=snapshot_id)
    frame = _fetch(conn, query, CUSTOMER_FIELDS)
    return _canonical(frame)


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    return typed(frame, SNAPSHOT_ROW)


def _fetch(conn: Connection, query, columns: list[str]) -> pd.DataFrame:
    """Rows through the DBAPI cursor as plain tuples (SQLAlchemy Row objects cost ten times more per row)."""
    compiled = query.compile(dialect=conn.dialect)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        params = compiled.construct_params()
        if compiled.positional:
            cursor.execute(compiled.string, tuple(params[k] for k in compiled.positiontup))
        else:
            cursor.execute(compiled.string, params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.DataFrame.from_records(rows, columns=columns)


def load_customers_with_maturities(conn: Connection, snapshot_id: int) -> pd.DataFrame:
    """The snapshot's customers with the maturity notices stored beside it merged in, as at import time.

    Snapshots keep the export as read and the notice items apart; every reader that shows maturities
    (the console, the workbook, the plan) needs them merged, so this is the one place that does it.
    """
    from core.maturity import merge_maturities

    customers = load_customers(conn, snapshot_id)
    items = load_maturities(conn, snapshot_id)
    if items.empty:
        return customers
    as_of = dt.date.fromisoformat(get_snapshot(conn, snapshot_id)["as_of"])
    return merge_maturities(customers, items, as_of=as_of).customers


def load_maturities(conn: Connection, snapshot_id: int) -> pd.DataFrame:
    """The maturity notice items stored with a snapshot (MATURITY_FIELDS)."""
    query = (
        select(*(MATURITY.c[name] for name in MATURITY_FIELDS))
        .where(MATURITY.c.snapshot_id == snapshot_id)
        .order_by(MATURITY.c.id)
    )
    frame = pd.DataFrame.from_records(conn.execute(query).all(), columns=MATURITY_FIELDS)
    return typed(frame, MATURITY_ROW)


def load_rejections(conn: Connection, snapshot_id: int) -> list[Rejection]:
    query = select(REJECTION).where(REJECTION.c.snapshot_id == snapshot_id).order_by(REJECTION.c.id)
    return [Rejection(row=r.row, reason=r.reason, column=r.column, file=r.file) for r in conn.execute(query)]


def _snapshot_query():
    return select(
        SNAPSHOT.c.id,
        OUTLET.c.name.label("outlet"),
        SNAPSHOT.c.as_of,
        SNAPSHOT.c.file_name,
        SNAPSHOT.c.sha256,
        SNAPSHOT.c.rows_read,
        SNAPSHOT.c.rows_rejected,
        SNAPSHOT.c.customers,
        SNAPSHOT.c.created_by,
        SNAPSHOT.c.created_at,
        SNAPSHOT.c.maturity_files,
    ).join(OUTLET, OUTLET.c.id == SNAPSHOT.c.outlet_id)


def _snapshot_dict(row) -> dict[str, Any]:
    out = dict(row._mapping)
    out["as_of"] = out["as_of"].isoformat()
    out["created_at"] = out["created_at"].isoformat(timespec="seconds")
    return out


def list_snapshots(conn: Connection, outlet: str | None = None) -> list[dict[str, Any]]:
    """Every snapshot (of one outlet when given), by outlet then date. Dates are ISO text (JSON-ready)."""
    query = _snapshot_query().order_by(OUTLET.c.name, SNAPSHOT.c.as_of)
    if outlet is not None:
        query = query.where(OUTLET.c.name == clean_outlet_name(outlet))
    return [_snapshot_dict(r) for r in conn.execute(query)]


def find_snapshot(conn: Connection, outlet: str, as_of: dt.date) -> dict[str, Any] | None:
    query = _snapshot_query().where(OUTLET.c.name == clean_outlet_name(outlet), SNAPSHOT.c.as_of == as_of)
    row = conn.execute(query).first()
    return _snapshot_dict(row) if row is not None else None


def get_snapshot(conn: Connection, snapshot_id: int) -> dict[str, Any]:
    row = conn.execute(_snapshot_query().where(SNAPSHOT.c.id == snapshot_id)).first()
    if row is None:
        raise StorageError("storage.snapshot.unknown", id=snapshot_id)
    return _snapshot_dict(row)


def delete_snapshot(conn: Connection, snapshot_id: int, *, user: str) -> dict[str, Any]:
    """Delete a snapshot and everything stored with it (customers, rejections, items, assignments, plans) in the
    caller's transaction; audited with its file, date and the plan months that went with it. Returns it as it was."""
    info = get_snapshot(conn, snapshot_id)
    plans = plans_on(conn, snapshot_id)
    _delete(conn, snapshot_id)
    detail = {k: info[k] for k in ("as_of", "file_name", "customers", "created_by", "created_at")}
    audit(
        conn, user, "snapshot.delete", info["outlet"], {"snapshot_id": snapshot_id, **detail, "plans": plans}
    )
    return info


def plans_on(conn: Connection, snapshot_id: int) -> list[str]:
    """The months whose stored (published) plan was made from this snapshot, oldest first."""
    query = select(PLAN.c.period).where(PLAN.c.snapshot_id == snapshot_id).distinct().order_by(PLAN.c.period)
    return [str(p) for p in conn.scalars(query)]


def redate_snapshot(conn: Connection, snapshot_id: int, as_of: dt.date, *, user: str) -> dict[str, Any]:
    """Move a snapshot to another date in the caller's transaction; refused when the outlet already has one on
    that date. Audited with both dates. Returns the snapshot as it was."""
    info = get_snapshot(conn, snapshot_id)
    taken = conn.execute(
        _snapshot_query().where(
            OUTLET.c.name == info["outlet"], SNAPSHOT.c.as_of == as_of, SNAPSHOT.c.id != snapshot_id
        )
    ).first()
    if taken is not None:
        other = _snapshot_dict(taken)
        raise StorageError(
            "storage.snapshot.redate_taken",
            outlet=info["outlet"],
            as_of=as_of,
            file=other["file_name"] or "—",
            id=other["id"],
        )
    conn.execute(update(SNAPSHOT).where(SNAPSHOT.c.id == snapshot_id).values(as_of=as_of))
    audit(
        conn,
        user,
        "snapshot.redate",
        info["outlet"],
        {
            "snapshot_id": snapshot_id,
            "before": info["as_of"],
            "after": as_of.isoformat(),
            "plans": plans_on(conn, snapshot_id),
        },
    )
    return info


def _delete(conn: Connection, snapshot_id: int) -> None:
    """The customers first (no foreign key cascades to them, see models), then the snapshot and its cascade."""
    conn.execute(delete(CUSTOMER).where(CUSTOMER.c.snapshot_id == snapshot_id))
    conn.execute(delete(SNAPSHOT).where(SNAPSHOT.c.id == snapshot_id))


def snapshot_assets(conn: Connection, snapshot_id: int) -> np.ndarray:
    """Only the assets of a snapshot (the KPIs need nothing else)."""
    values = conn.scalars(select(CUSTOMER.c.assets).where(CUSTOMER.c.snapshot_id == snapshot_id)).all()
    return np.asarray(values, dtype=np.float64)


def customer_phone(conn: Connection, snapshot_id: int, customer_id: str) -> str | None:
    """The mobile of one customer of a snapshot as exported (None when blank); refused for an unknown customer."""
    row = conn.execute(
        select(CUSTOMER.c.phone).where(
            CUSTOMER.c.snapshot_id == snapshot_id, CUSTOMER.c.customer_id == customer_id
        )
    ).first()
    if row is None:
        raise StorageError("contacts.row.unknown_customer", value=customer_id)
    return row.phone
