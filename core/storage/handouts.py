"""Published plans kept whole: the frames every workbook handed out is written from, and the policy they follow.

Each frame is stored as Parquet with its pandas dtypes beside it (``core.schema.HANDOUT_FRAMES``), so every
column the planner adds survives without a migration and comes back exactly as it went in.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, insert, select

from core.errors import StorageError
from core.storage.models import PublishedFrame, PublishedPlan, utcnow
from core.storage.outlets import OUTLET, clean_outlet_name
from core.storage.snapshots import SNAPSHOT

PUBLISHED = PublishedPlan.__table__
FRAME = PublishedFrame.__table__


def save_handout(
    conn: Connection,
    snapshot_id: int,
    period: str,
    *,
    as_of: dt.date,
    policy_toml: str,
    meta: dict[str, Any],
    frames: dict[str, pd.DataFrame | None],
    user: str,
) -> int:
    """Store a published plan for (snapshot, period), replacing one published before; returns its id."""
    outlet_id = conn.scalar(select(SNAPSHOT.c.outlet_id).where(SNAPSHOT.c.id == snapshot_id))
    if outlet_id is None:
        raise StorageError("storage.snapshot.unknown", id=snapshot_id)
    conn.execute(
        delete(PUBLISHED).where(PUBLISHED.c.snapshot_id == snapshot_id, PUBLISHED.c.period == period)
    )
    published_id = conn.execute(
        insert(PUBLISHED)
        .values(
            outlet_id=outlet_id,
            snapshot_id=snapshot_id,
            period=period,
            as_of=as_of,
            policy_toml=policy_toml,
            meta=meta,
            created_by=user,
            created_at=utcnow(),
        )
        .returning(PUBLISHED.c.id)
    ).scalar_one()
    rows = [
        {"published_id": published_id, "name": name, **_packed(frame)}
        for name, frame in frames.items()
        if frame is not None
    ]
    if rows:
        conn.execute(insert(FRAME), rows)
    return int(published_id)


def load_handout(
    conn: Connection, outlet: str, period: str, snapshot_id: int | None = None
) -> dict[str, Any] | None:
    """The outlet's published plan of ``period`` (of one snapshot, else the newest snapshot's): snapshot_id,
    period, as_of, policy_toml, meta, created_by, created_at and ``frames`` by name; None when none."""
    query = (
        select(PUBLISHED)
        .join(OUTLET, OUTLET.c.id == PUBLISHED.c.outlet_id)
        .where(OUTLET.c.name == clean_outlet_name(outlet), PUBLISHED.c.period == period)
        .order_by(PUBLISHED.c.snapshot_id.desc())
        .limit(1)
    )
    if snapshot_id is not None:
        query = query.where(PUBLISHED.c.snapshot_id == snapshot_id)
    row = conn.execute(query).first()
    if row is None:
        return None
    found = dict(row._mapping)
    stored = conn.execute(select(FRAME).where(FRAME.c.published_id == found["id"]).order_by(FRAME.c.name))
    found["frames"] = {r.name: _unpacked(r.data, r.dtypes) for r in stored}
    return found


def handout_periods(conn: Connection, snapshot_id: int) -> list[str]:
    """Months ('YYYY-MM') with a plan published whole for the snapshot, newest first."""
    query = (
        select(PUBLISHED.c.period)
        .where(PUBLISHED.c.snapshot_id == snapshot_id)
        .order_by(PUBLISHED.c.period.desc())
    )
    return list(conn.scalars(query))


def _packed(frame: pd.DataFrame) -> dict[str, Any]:
    buffer = io.BytesIO()
    plain = frame.reset_index(drop=True)
    plain.to_parquet(buffer, index=False)
    dtypes = {str(c): _dtype(plain[c]) for c in plain.columns}
    return {"rows": len(plain), "dtypes": dtypes, "data": buffer.getvalue()}


def _dtype(column: pd.Series) -> str:
    """The column's dtype; for object text also how it mostly marks a missing value (``object|NA``,
    ``object|None``, ``object|nan``), which Parquet does not keep (every reader tests with ``pd.isna``)."""
    dtype = str(column.dtype)
    if dtype != "object":
        return dtype
    kinds = [
        "NA" if v is pd.NA else ("nan" if isinstance(v, float) else "None") for v in column[column.isna()]
    ]
    return f"object|{max(set(kinds), key=kinds.count) if kinds else 'None'}"


def _unpacked(data: bytes, dtypes: dict[str, str]) -> pd.DataFrame:
    """The frame as stored: Parquet keeps values; the recorded dtypes put back what it cannot hold (object text
    with None where missing, second-resolution dates)."""
    frame = pd.read_parquet(io.BytesIO(data))
    for column, dtype in dtypes.items():
        if dtype.startswith("object|"):
            values = frame[column].astype(object)
            marker = {"object|NA": pd.NA, "object|nan": np.nan}.get(dtype)
            frame[column] = values.where(values.notna(), marker)
        elif str(frame[column].dtype) != dtype:
            frame[column] = frame[column].astype(dtype)
    return frame
