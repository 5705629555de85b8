"""Assignments (who looks after whom) and monthly contact plans, stored per snapshot and period."""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import Connection, delete, select

from core.errors import StorageError
from core.schema import STORED_PLAN_ROW, stored_name
from core.storage.audit import audit
from core.storage.bulk import date_values, float_values, insert_columns, int_values, text_values, typed
from core.storage.models import Assignment, PlanItem
from core.storage.outlets import OUTLET, clean_outlet_name
from core.storage.snapshots import SNAPSHOT

ASSIGNMENT = Assignment.__table__
PLAN = PlanItem.__table__
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# Plan frame column (core.schema.STORED_PLAN_ROW) -> table column: the one place a plan row is renamed.
PLAN_FIELDS = {column: stored_name(column) for column in STORED_PLAN_ROW}


def save_assignment(
    conn: Connection,
    snapshot_id: int,
    assignment_df: pd.DataFrame,
    plan_df: pd.DataFrame | None,
    period: str,
    *,
    user: str = "system",
) -> int:
    """Store who looks after whom for a snapshot, and its contact plan for ``period`` ('YYYY-MM').

    Replaces the snapshot's previous assignment and its plan for the same period, in one transaction.
    ``assignment_df``: customer_id, staff (or staff_name), role, reason. ``plan_df``: rows of
    ``core.plan.build_plan``. Returns the number of plan rows stored.
    """
    if not PERIOD.match(str(period)):
        raise StorageError("storage.plan.period", period=period)
    frame = assignment_df.rename(columns={"staff": "staff_name"})
    missing = [c for c in ("customer_id", "staff_name") if c not in frame.columns]
    if missing:
        raise StorageError("storage.plan.columns", columns=list(missing))
    plan = (
        plan_df if plan_df is not None else pd.DataFrame(columns=["staff", "customer_id", "channel", "kind"])
    )
    missing = [c for c in ("customer_id", "channel", "kind") if c not in plan.columns]
    if missing:
        raise StorageError("storage.plan.columns", columns=list(missing))
    n, m = len(frame), len(plan)
    info = conn.execute(
        select(SNAPSHOT.c.outlet_id, OUTLET.c.name)
        .join(OUTLET, OUTLET.c.id == SNAPSHOT.c.outlet_id)
        .where(SNAPSHOT.c.id == snapshot_id)
    ).first()
    if info is None:
        raise StorageError("storage.snapshot.unknown", id=snapshot_id)
    conn.execute(delete(ASSIGNMENT).where(ASSIGNMENT.c.snapshot_id == snapshot_id))
    conn.execute(delete(PLAN).where(PLAN.c.snapshot_id == snapshot_id, PLAN.c.period == period))
    insert_columns(
        conn,
        ASSIGNMENT,
        {
            "snapshot_id": [snapshot_id] * n,
            "customer_id": text_values(frame["customer_id"]),
            "staff_name": text_values(frame["staff_name"]),
            "role": text_values(frame["role"]) if "role" in frame.columns else [None] * n,
            "reason": text_values(frame["reason"]) if "reason" in frame.columns else [None] * n,
        },
    )
    columns: dict[str, list] = {
        "outlet_id": [info.outlet_id] * m,
        "period": [period] * m,
        "snapshot_id": [snapshot_id] * m,
    }
    for source, target in PLAN_FIELDS.items():
        if source not in plan.columns:
            columns[target] = [1] * m if target == "required_count" else [None] * m
        elif target in ("due_date", "maturity_date"):
            columns[target] = date_values(plan[source])
        elif target in ("required_count", "reminder_offset"):
            columns[target] = int_values(plan[source])
        elif target == "amount":
            columns[target] = float_values(plan[source])
        else:
            columns[target] = text_values(plan[source])
    insert_columns(conn, PLAN, columns)
    audit(
        conn,
        user,
        "plan.save",
        info.name,
        {"snapshot_id": snapshot_id, "period": period, "customers": n, "plan_rows": m},
    )
    return m


def load_assignment(conn: Connection, snapshot_id: int) -> pd.DataFrame:
    """customer_id, staff, role, reason of a snapshot (empty frame when none was saved)."""
    query = (
        select(ASSIGNMENT.c.customer_id, ASSIGNMENT.c.staff_name, ASSIGNMENT.c.role, ASSIGNMENT.c.reason)
        .where(ASSIGNMENT.c.snapshot_id == snapshot_id)
        .order_by(ASSIGNMENT.c.customer_id)
    )
    frame = pd.DataFrame.from_records(
        conn.execute(query).all(), columns=["customer_id", "staff", "role", "reason"]
    )
    return frame.astype("string")


def load_plan(conn: Connection, *, outlet: str, period: str, snapshot_id: int | None = None) -> pd.DataFrame:
    """The stored plan rows of an outlet's period (of one snapshot when given), in saved order."""
    fields = list(PLAN_FIELDS.values())
    query = (
        select(PLAN.c.snapshot_id, *(PLAN.c[f] for f in fields))
        .join(OUTLET, OUTLET.c.id == PLAN.c.outlet_id)
        .where(OUTLET.c.name == clean_outlet_name(outlet), PLAN.c.period == period)
        .order_by(PLAN.c.id)
    )
    if snapshot_id is not None:
        query = query.where(PLAN.c.snapshot_id == snapshot_id)
    rows = conn.execute(query).all()
    frame = pd.DataFrame.from_records(rows, columns=["snapshot_id", *fields])
    frame = frame.rename(columns={v: k for k, v in PLAN_FIELDS.items()})
    frame["snapshot_id"] = frame["snapshot_id"].astype("Int64")
    return typed(frame, STORED_PLAN_ROW)


def plan_periods(conn: Connection, snapshot_id: int) -> list[str]:
    """Months ('YYYY-MM') with a published plan for the snapshot, newest first."""
    query = (
        select(PLAN.c.period)
        .where(PLAN.c.snapshot_id == snapshot_id)
        .distinct()
        .order_by(PLAN.c.period.desc())
    )
    return list(conn.scalars(query))
