"""Outlets (网点) and their staff rosters."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.errors import StorageError
from core.storage.audit import audit
from core.storage.bulk import float_values, insert_columns, text_values
from core.storage.models import Outlet, Staff, utcnow

OUTLET = Outlet.__table__
STAFF = Staff.__table__
ROSTER_COLUMNS = ["name", "role", "outlet", "capacity_per_week"]


def outlet_id(conn: Connection, name: str, *, create: bool = False) -> int:
    """Id of the outlet ``name``; with ``create`` it is added when missing (safe when two writers race)."""
    name = clean_outlet_name(name)
    if create:
        values = {"name": name, "created_at": utcnow()}
        if conn.dialect.name == "postgresql":
            stmt = pg_insert(OUTLET).values(values).on_conflict_do_nothing(index_elements=["name"])
        elif conn.dialect.name == "sqlite":
            stmt = sqlite_insert(OUTLET).values(values).on_conflict_do_nothing(index_elements=["name"])
        else:
            stmt = None
        if stmt is not None:
            conn.execute(stmt)
        elif conn.scalar(select(OUTLET.c.id).where(OUTLET.c.name == name)) is None:
            conn.execute(insert(OUTLET).values(values))
    found = conn.scalar(select(OUTLET.c.id).where(OUTLET.c.name == name))
    if found is None:
        raise StorageError("storage.outlet.unknown", outlet=name)
    return int(found)


def clean_outlet_name(name: str) -> str:
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise StorageError("storage.outlet.blank")
    return cleaned


def ensure_outlet(conn: Connection, name: str) -> int:
    return outlet_id(conn, name, create=True)


def list_outlets(conn: Connection) -> list[str]:
    return list(conn.scalars(select(OUTLET.c.name).order_by(OUTLET.c.name)))


def save_staff(conn: Connection, outlet: str, roster: pd.DataFrame, *, user: str = "system") -> int:
    """Replace the outlet's roster with ``roster`` (columns name, role, optional capacity_per_week or capacity).

    Returns the number of people saved. Names must be unique within the outlet.
    """
    frame = roster.rename(columns={"capacity": "capacity_per_week"})
    missing = [c for c in ("name", "role") if c not in frame.columns]
    if missing:
        raise StorageError("storage.staff.columns", columns=list(missing))
    names = frame["name"].astype("string").str.strip()
    if names.isna().any() or (names == "").any():
        raise StorageError("storage.staff.blank_name")
    dup = names[names.duplicated()].unique().tolist()
    if dup:
        raise StorageError("storage.staff.duplicate", names=list(dup))
    capacity = (
        frame["capacity_per_week"] if "capacity_per_week" in frame.columns else pd.Series([None] * len(frame))
    )
    if "capacity_source" in frame.columns:  # a role default stays blank, so a later policy change applies
        capacity = capacity.where(frame["capacity_source"] != "default")
    oid = outlet_id(conn, outlet, create=True)
    conn.execute(delete(STAFF).where(STAFF.c.outlet_id == oid))
    insert_columns(
        conn,
        STAFF,
        {
            "outlet_id": [oid] * len(frame),
            "name": names.tolist(),
            "role": text_values(frame["role"].astype("string").str.strip()),
            "capacity_per_week": float_values(pd.to_numeric(pd.Series(capacity).reset_index(drop=True))),
            "active": [True] * len(frame),
        },
    )
    audit(conn, user, "staff.save", clean_outlet_name(outlet), {"people": len(frame)})
    return len(frame)


def load_staff(conn: Connection, outlet: str) -> pd.DataFrame:
    """The outlet's active roster in saved order: name, role, outlet, capacity_per_week (NaN when not set)."""
    query = (
        select(STAFF.c.name, STAFF.c.role, OUTLET.c.name.label("outlet"), STAFF.c.capacity_per_week)
        .join(OUTLET, OUTLET.c.id == STAFF.c.outlet_id)
        .where(OUTLET.c.name == clean_outlet_name(outlet), STAFF.c.active)
        .order_by(STAFF.c.id)
    )
    rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=ROSTER_COLUMNS)
    for column in ("name", "role", "outlet"):
        frame[column] = frame[column].astype("string")
    frame["capacity_per_week"] = pd.to_numeric(frame["capacity_per_week"]).astype("float64")
    return frame
