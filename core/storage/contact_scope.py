"""What an outlet's contact log is checked against and counted on: the outlet itself, its staff and customers, and
the stored plans of a period with the customers' assets.

Reads only, inside the caller's transaction; the log itself is ``core.storage.contacts``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Connection, and_, func, select

from core.calendar import Period, parse_period
from core.errors import StorageError
from core.schema import STORED_PLAN_ROW
from core.storage.bulk import typed
from core.storage.models import Assignment, Outlet, PlanItem, Snapshot, SnapshotCustomer, Staff
from core.storage.outlets import clean_outlet_name
from core.storage.plans import PLAN_FIELDS

PLAN = PlanItem.__table__
OUTLET = Outlet.__table__
SNAPSHOT = Snapshot.__table__
CUSTOMER = SnapshotCustomer.__table__
ASSIGNMENT = Assignment.__table__
STAFF = Staff.__table__


def outlet_key(conn: Connection, outlet: str) -> int:
    """The outlet's id; an unknown outlet is refused with what to do first (import its customers, plan)."""
    name = clean_outlet_name(outlet)
    found = conn.scalar(select(OUTLET.c.id).where(OUTLET.c.name == name))
    if found is None:
        raise StorageError("contacts.store.no_outlet", outlet=name)
    return int(found)


def known_customer(conn: Connection, oid: int, customer_id: str) -> bool:
    """Whether the outlet has the customer in a stored snapshot or plan."""
    in_snapshot = conn.scalar(
        select(func.count())
        .select_from(CUSTOMER.join(SNAPSHOT, SNAPSHOT.c.id == CUSTOMER.c.snapshot_id))
        .where(SNAPSHOT.c.outlet_id == oid, CUSTOMER.c.customer_id == customer_id)
    )
    in_plan = conn.scalar(
        select(func.count()).where(PLAN.c.outlet_id == oid, PLAN.c.customer_id == customer_id)
    )
    return bool(in_snapshot or in_plan)


def outlet_staff(conn: Connection, outlet: str) -> set[str]:
    """Names on the outlet's roster plus everyone a stored plan or assignment names."""
    oid = outlet_key(conn, outlet)
    names = set(conn.scalars(select(STAFF.c.name).where(STAFF.c.outlet_id == oid)))
    names |= set(conn.scalars(select(PLAN.c.staff_name).where(PLAN.c.outlet_id == oid).distinct()))
    assigned = (
        select(ASSIGNMENT.c.staff_name)
        .join(SNAPSHOT, SNAPSHOT.c.id == ASSIGNMENT.c.snapshot_id)
        .where(SNAPSHOT.c.outlet_id == oid)
        .distinct()
    )
    names |= set(conn.scalars(assigned))
    return {n for n in names if n}


def outlet_customers(conn: Connection, outlet: str, months: Iterable[str] | None = None) -> set[str]:
    """Customer ids of the outlet's newest snapshot, of the snapshots the stored plans (of ``months``, None: all)
    were made from, and of those plans themselves (maturing customers outside the export)."""
    oid = outlet_key(conn, outlet)
    plans = PLAN.c.outlet_id == oid
    if months is not None:
        plans = and_(plans, PLAN.c.period.in_(list(months)))
    snapshots = set(conn.scalars(select(func.max(SNAPSHOT.c.id)).where(SNAPSHOT.c.outlet_id == oid))) - {None}
    snapshots |= set(conn.scalars(select(PLAN.c.snapshot_id).where(plans).distinct()))
    ids = set(conn.scalars(select(CUSTOMER.c.customer_id).where(CUSTOMER.c.snapshot_id.in_(snapshots))))
    ids |= set(conn.scalars(select(PLAN.c.customer_id).where(plans).distinct()))
    return ids


def outlet_customer_names(conn: Connection, outlet: str) -> dict[str, str | None]:
    """The customers ``outlet_customers`` knows, each with its 姓名: the newest snapshot's that holds it, else a
    stored plan's (None when neither has one)."""
    oid = outlet_key(conn, outlet)
    plans = PLAN.c.outlet_id == oid
    snapshots = set(conn.scalars(select(func.max(SNAPSHOT.c.id)).where(SNAPSHOT.c.outlet_id == oid))) - {None}
    snapshots |= set(conn.scalars(select(PLAN.c.snapshot_id).where(plans).distinct()))
    names: dict[str, str | None] = {}
    planned = select(PLAN.c.customer_id, PLAN.c.name).where(plans).order_by(PLAN.c.id)
    for customer_id, name in conn.execute(planned):
        names[customer_id] = name or names.get(customer_id)
    held = (
        select(CUSTOMER.c.customer_id, CUSTOMER.c.name)
        .where(CUSTOMER.c.snapshot_id.in_(snapshots))
        .order_by(CUSTOMER.c.snapshot_id)
    )
    for customer_id, name in conn.execute(held):
        names[customer_id] = name or names.get(customer_id)
    return names


def customer_directory(conn: Connection, outlet: str, staff: str | None = None) -> pd.DataFrame:
    """customer_id, name, assets, staff of the newest snapshot that has an assignment (else the newest snapshot),
    optionally of one staff member only: the pick list of the entry form."""
    oid = outlet_key(conn, outlet)
    snapshot_id = conn.scalar(
        select(func.max(ASSIGNMENT.c.snapshot_id))
        .join(SNAPSHOT, SNAPSHOT.c.id == ASSIGNMENT.c.snapshot_id)
        .where(SNAPSHOT.c.outlet_id == oid)
    ) or conn.scalar(select(func.max(SNAPSHOT.c.id)).where(SNAPSHOT.c.outlet_id == oid))
    query = (
        select(CUSTOMER.c.customer_id, CUSTOMER.c.name, CUSTOMER.c.assets, ASSIGNMENT.c.staff_name)
        .outerjoin(
            ASSIGNMENT,
            and_(
                ASSIGNMENT.c.snapshot_id == CUSTOMER.c.snapshot_id,
                ASSIGNMENT.c.customer_id == CUSTOMER.c.customer_id,
            ),
        )
        .where(CUSTOMER.c.snapshot_id == snapshot_id)
        .order_by(CUSTOMER.c.customer_id)
    )
    if staff is not None:
        query = query.where(ASSIGNMENT.c.staff_name == staff)
    rows = conn.execute(query).all() if snapshot_id is not None else []
    frame = pd.DataFrame.from_records(rows, columns=["customer_id", "name", "assets", "staff"])
    frame["assets"] = pd.to_numeric(frame["assets"]).astype("float64")
    return frame


def own_customers(conn: Connection, outlet_id: int, staff_name: str) -> set[str]:
    """Customers assigned to ``staff_name`` in the outlet's newest assignment or in any stored plan."""
    newest = (
        select(func.max(ASSIGNMENT.c.snapshot_id))
        .join(SNAPSHOT, SNAPSHOT.c.id == ASSIGNMENT.c.snapshot_id)
        .where(SNAPSHOT.c.outlet_id == outlet_id)
        .scalar_subquery()
    )
    ids = set(
        conn.scalars(
            select(ASSIGNMENT.c.customer_id).where(
                ASSIGNMENT.c.snapshot_id == newest, ASSIGNMENT.c.staff_name == staff_name
            )
        )
    )
    ids |= set(
        conn.scalars(
            select(PLAN.c.customer_id)
            .where(PLAN.c.outlet_id == outlet_id, PLAN.c.staff_name == staff_name)
            .distinct()
        )
    )
    return ids


def load_period_plan(conn: Connection, outlet: str, period: str | Period) -> pd.DataFrame:
    """The stored plan rows of every month the period touches (for each month the newest snapshot's plan),
    with the customer's assets from that snapshot; columns as ``core.compliance.requirements`` reads them."""
    p = parse_period(period)
    oid = outlet_key(conn, outlet)
    newest = (
        select(PLAN.c.period, func.max(PLAN.c.snapshot_id).label("snapshot_id"))
        .where(PLAN.c.outlet_id == oid, PLAN.c.period.in_(p.months()))
        .group_by(PLAN.c.period)
        .subquery()
    )
    query = (
        select(
            PLAN.c.period,
            PLAN.c.snapshot_id,
            *(PLAN.c[f] for f in PLAN_FIELDS.values()),
            CUSTOMER.c.assets,
        )
        .join(newest, and_(newest.c.period == PLAN.c.period, newest.c.snapshot_id == PLAN.c.snapshot_id))
        .outerjoin(
            CUSTOMER,
            and_(CUSTOMER.c.snapshot_id == PLAN.c.snapshot_id, CUSTOMER.c.customer_id == PLAN.c.customer_id),
        )
        .where(PLAN.c.outlet_id == oid)
        .order_by(PLAN.c.id)
    )
    rows = conn.execute(query).all()
    frame = pd.DataFrame.from_records(rows, columns=["period", "snapshot_id", *PLAN_FIELDS, "assets"])
    frame["assets"] = pd.to_numeric(frame["assets"]).astype("float64")
    return typed(frame, STORED_PLAN_ROW)


def plan_first_days(conn: Connection, outlet: str) -> dict[str, dt.date]:
    """Per stored plan month, the earliest day its plan (the newest snapshot's) asks for a contact."""
    oid = outlet_key(conn, outlet)
    newest = (
        select(PLAN.c.period, func.max(PLAN.c.snapshot_id).label("snapshot_id"))
        .where(PLAN.c.outlet_id == oid)
        .group_by(PLAN.c.period)
        .subquery()
    )
    query = (
        select(PLAN.c.period, func.min(PLAN.c.due_date))
        .join(newest, and_(newest.c.period == PLAN.c.period, newest.c.snapshot_id == PLAN.c.snapshot_id))
        .where(PLAN.c.outlet_id == oid)
        .group_by(PLAN.c.period)
    )
    rows = conn.execute(query).all()
    return {str(period): pd.Timestamp(day).date() for period, day in rows if day is not None}


def stored_periods(conn: Connection, outlet: str) -> list[str]:
    """The months ('YYYY-MM') the outlet has a stored plan for, oldest first."""
    oid = outlet_key(conn, outlet)
    query = select(PLAN.c.period).where(PLAN.c.outlet_id == oid).distinct().order_by(PLAN.c.period)
    return list(conn.scalars(query))
