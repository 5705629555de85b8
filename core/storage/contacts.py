"""Contacts in the database: imports stored whole (a corrected file updates what it changes), console entry, and the reads the compliance
engine needs (stored plans with assets, logged contacts, the outlet's staff and customers).

Every function works inside the caller's transaction (the service's unit of work) and writes its audit entry
there; who may log or change which contact is decided by the service (``core.compliance.entry``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from core.calendar import Period, parse_period
from core.compliance.entry import EDITABLE, entry_day
from core.errors import StorageError
from core.schema import CONTACT_ROW, STORED_PLAN_ROW
from core.storage.audit import AUDIT, audit
from core.storage.bulk import typed
from core.storage.models import (
    Assignment,
    Contact,
    Outlet,
    PlanItem,
    Snapshot,
    SnapshotCustomer,
    Staff,
    utcnow,
)
from core.storage.outlets import clean_outlet_name
from core.storage.plans import PLAN_FIELDS

CONTACT = Contact.__table__
PLAN = PlanItem.__table__
OUTLET = Outlet.__table__
SNAPSHOT = Snapshot.__table__
CUSTOMER = SnapshotCustomer.__table__
ASSIGNMENT = Assignment.__table__
STAFF = Staff.__table__
NATURAL_KEY = ["outlet_id", "staff_name", "customer_id", "channel", "contact_date"]
CONTACT_COLUMNS = [
    "id",
    "contact_date",
    "staff_name",
    "customer_id",
    "channel",
    "result",
    "attempts",
    "note",
    "source",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
]
# ------------------------------------------------------------------------------------------ helpers


def _outlet_id(conn: Connection, outlet: str) -> int:
    """The outlet's id; an unknown outlet is refused with what to do first (import its customers, plan)."""
    name = clean_outlet_name(outlet)
    found = conn.scalar(select(OUTLET.c.id).where(OUTLET.c.name == name))
    if found is None:
        raise StorageError("contacts.store.no_outlet", outlet=name)
    return int(found)


def _insert(conn: Connection):
    if conn.dialect.name == "postgresql":
        return pg_insert(CONTACT)
    if conn.dialect.name == "sqlite":
        return sqlite_insert(CONTACT)
    raise StorageError("contacts.store.dialect", dialect=conn.dialect.name)


# ------------------------------------------------------------------------------------------ import


@dataclass(frozen=True)
class StoredContacts:
    """What an import did: contacts new to the database, stored ones it corrected, stored ones it left as they were,
    and the stored values it replaced (id, before, after; also in the audit log)."""

    new: int
    updated: int
    kept: int
    changes: tuple[dict[str, Any], ...] = ()


_CORRECTABLE = ("result", "note", "familiarity", "attempts")


def _stored_value(column: str, value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return int(value) if column in ("familiarity", "attempts") else str(value)


def store_contacts(
    conn: Connection, outlet: str, rows: pd.DataFrame, user: str, source: str
) -> StoredContacts:
    """Store validated contacts (``ContactImport.rows``) in the caller's transaction (never commits).

    A contact is one outlet, staff member, customer, channel and day. One not stored yet is added; one stored with
    another result, note, number of attempts or 熟识程度 is corrected (the newest upload wins; a blank 熟识程度
    keeps the stored one); an identical one is kept, so the same file twice changes nothing. The import, with
    every value it replaced, is audit-logged.
    """
    now = utcnow()
    records = []
    for r in rows.itertuples(index=False):
        where = getattr(r, "file", None)
        sheet = getattr(r, "sheet", None)
        label = f"{where}[{sheet}]" if where and isinstance(sheet, str) else (where or source)
        records.append(
            {
                "contact_date": entry_day(r.contact_date),
                "staff_name": str(r.staff_name),
                "customer_id": str(r.customer_id),
                "channel": str(r.channel),
                "result": str(r.result),
                "note": _stored_value("note", getattr(r, "note", None)),
                "familiarity": _stored_value("familiarity", getattr(r, "familiarity", None)),
                "attempts": _stored_value("attempts", getattr(r, "attempts", None)) or 1,
                "source": str(label)[:255],
                "created_by": user,
                "created_at": now,
            }
        )
    oid = _outlet_id(conn, outlet)
    stored: dict[tuple, dict[str, Any]] = {}
    if records:
        days = [r["contact_date"] for r in records]
        query = select(
            CONTACT.c.id, *(CONTACT.c[c] for c in NATURAL_KEY[1:]), *(CONTACT.c[c] for c in _CORRECTABLE)
        ).where(CONTACT.c.outlet_id == oid, CONTACT.c.contact_date.between(min(days), max(days)))
        for row in conn.execute(query).mappings():
            found = dict(row)
            found["contact_date"] = entry_day(found["contact_date"])
            stored[tuple(found[c] for c in NATURAL_KEY[1:])] = found
    fresh, corrections, changes = [], [], []
    for record in records:
        before = stored.get(tuple(record[c] for c in NATURAL_KEY[1:]))
        if before is None:
            fresh.append({**record, "outlet_id": oid})
            continue
        after = {c: record[c] for c in _CORRECTABLE}
        if after["familiarity"] is None:
            after["familiarity"] = before["familiarity"]
        differ = {c: {"before": before[c], "after": after[c]} for c in _CORRECTABLE if before[c] != after[c]}
        if differ:
            corrections.append({"_id": before["id"], **after, "source": record["source"]})
            changes.append(
                {"id": int(before["id"]), **{c: record[c] for c in NATURAL_KEY[1:]}, "changes": differ}
            )
    new = 0
    if fresh:
        stmt = _insert(conn).on_conflict_do_nothing(index_elements=NATURAL_KEY).returning(CONTACT.c.id)
        new = len(conn.execute(stmt, fresh).all())
    if corrections:
        stmt = (
            update(CONTACT)
            .where(CONTACT.c.id == bindparam("_id"))
            .values(
                **{c: bindparam(c) for c in _CORRECTABLE},
                source=bindparam("source"),
                updated_by=user,
                updated_at=now,
            )
        )
        conn.execute(stmt, corrections)
    kept = len(records) - len(fresh) - len(corrections)
    for change in changes:
        change["contact_date"] = change["contact_date"].isoformat()
    audit(
        conn,
        user,
        "contacts.import",
        outlet,
        {
            "source": source,
            "rows": len(records),
            "new": new,
            "updated": len(corrections),
            "kept": kept,
            "changes": changes,
        },
    )
    return StoredContacts(new=new, updated=len(corrections), kept=kept, changes=tuple(changes))


# ------------------------------------------------------------------------------------------ reads


def load_contacts(
    conn: Connection,
    outlet: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    staff: str | None = None,
) -> pd.DataFrame:
    """The outlet's logged contacts (CONTACT_COLUMNS), optionally between two dates and of one staff member."""
    query = select(*(CONTACT.c[c] for c in CONTACT_COLUMNS)).join(OUTLET, OUTLET.c.id == CONTACT.c.outlet_id)
    query = query.where(OUTLET.c.name == clean_outlet_name(outlet))
    if start is not None:
        query = query.where(CONTACT.c.contact_date >= start)
    if end is not None:
        query = query.where(CONTACT.c.contact_date <= end)
    if staff is not None:
        query = query.where(CONTACT.c.staff_name == staff)
    query = query.order_by(CONTACT.c.contact_date, CONTACT.c.id)
    rows = conn.execute(query).all()
    frame = typed(pd.DataFrame.from_records(rows, columns=CONTACT_COLUMNS), CONTACT_ROW)
    for column in ("created_at", "updated_at"):
        frame[column] = pd.to_datetime(pd.Series(frame[column], dtype=object))
    return frame


def load_familiarity(conn: Connection, outlet: str) -> pd.DataFrame:
    """Every 熟识程度 written on a logged contact (customer_id, familiarity), oldest first: the last per customer
    is the latest."""
    query = (
        select(CONTACT.c.customer_id, CONTACT.c.familiarity)
        .join(OUTLET, OUTLET.c.id == CONTACT.c.outlet_id)
        .where(OUTLET.c.name == clean_outlet_name(outlet), CONTACT.c.familiarity.is_not(None))
        .order_by(CONTACT.c.contact_date, CONTACT.c.id)
    )
    rows = conn.execute(query).all()
    frame = pd.DataFrame.from_records(rows, columns=["customer_id", "familiarity"])
    frame["customer_id"] = frame["customer_id"].astype(object)
    frame["familiarity"] = pd.array(frame["familiarity"].tolist(), dtype="Int64")
    return frame


def load_period_plan(conn: Connection, outlet: str, period: str | Period) -> pd.DataFrame:
    """The stored plan rows of every month the period touches (for each month the newest snapshot's plan),
    with the customer's assets from that snapshot; columns as ``core.compliance.requirements`` reads them."""
    p = parse_period(period)
    oid = _outlet_id(conn, outlet)
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
    oid = _outlet_id(conn, outlet)
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
    oid = _outlet_id(conn, outlet)
    query = select(PLAN.c.period).where(PLAN.c.outlet_id == oid).distinct().order_by(PLAN.c.period)
    return list(conn.scalars(query))


def contacts_version(conn: Connection, outlet: str) -> int:
    """The outlet's newest audit entry: it changes with every contact import, entry, correction, deletion and
    plan save (all audited), so it keys cached compliance figures."""
    found = conn.scalar(select(func.max(AUDIT.c.id)).where(AUDIT.c.outlet == clean_outlet_name(outlet)))
    return int(found or 0)


def outlet_staff(conn: Connection, outlet: str) -> set[str]:
    """Names on the outlet's roster plus everyone a stored plan or assignment names."""
    oid = _outlet_id(conn, outlet)
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
    oid = _outlet_id(conn, outlet)
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
    oid = _outlet_id(conn, outlet)
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
    oid = _outlet_id(conn, outlet)
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


# ------------------------------------------------------------------------------------------ console entry
# Who may log or change which contact is the service's decision (core.services.contacts with
# core.compliance.entry); these only read and write rows inside the caller's transaction.


def outlet_key(conn: Connection, outlet: str) -> int:
    """The outlet's id; an unknown outlet is refused with what to do first."""
    return _outlet_id(conn, outlet)


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


def insert_contact(conn: Connection, outlet: str, oid: int, values: dict[str, Any], *, user: str) -> int:
    """Store one contact entered in the console (checked ``values``); returns its id. The same staff, customer,
    channel and day again is the day's next attempt, as in an import: the one contact takes the latest result (and
    the note, when one is given) and counts one attempt more; the audit log keeps the result before."""
    key = [CONTACT.c.outlet_id == oid, *(CONTACT.c[c] == values[c] for c in NATURAL_KEY[1:])]
    before = conn.execute(
        select(CONTACT.c.id, CONTACT.c.result, CONTACT.c.note, CONTACT.c.attempts)
        .where(*key)
        .with_for_update()
    ).first()
    if before is not None:
        attempts = int(before.attempts or 1) + 1
        note = values.get("note") or before.note
        conn.execute(
            update(CONTACT)
            .where(CONTACT.c.id == before.id)
            .values(
                result=values["result"], note=note, attempts=attempts, updated_by=user, updated_at=utcnow()
            )
        )
        audit(
            conn,
            user,
            "contact.attempt",
            outlet,
            {
                "id": int(before.id),
                **values,
                "attempts": attempts,
                "before": {"result": before.result, "note": before.note},
            },
        )
        return int(before.id)
    stmt = (
        _insert(conn)
        .values(outlet_id=oid, source="console", created_by=user, created_at=utcnow(), **values)
        .on_conflict_do_nothing(index_elements=NATURAL_KEY)
        .returning(CONTACT.c.id)
    )
    new_id = conn.scalar(stmt)
    if new_id is None:  # stored by another session between the read and the insert
        raise StorageError("contacts.entry.duplicate", **_describe(values))
    audit(conn, user, "contact.add", outlet, {"id": new_id, **values})
    return int(new_id)


def _describe(values: dict[str, Any]) -> dict[str, str]:
    day = values.get("contact_date")
    return {
        "date": day.isoformat() if isinstance(day, dt.date) else str(day),
        "staff": str(values.get("staff_name")),
        "customer": str(values.get("customer_id")),
        "channel": str(values.get("channel")),
    }


def contact_row(conn: Connection, contact_id: int) -> tuple[dict[str, Any], str]:
    """A logged contact (every column) and its outlet's name; refused when there is none."""
    row = conn.execute(
        select(CONTACT, OUTLET.c.name.label("outlet"))
        .join(OUTLET, OUTLET.c.id == CONTACT.c.outlet_id)
        .where(CONTACT.c.id == contact_id)
    ).first()
    if row is None:
        raise StorageError("contacts.entry.unknown", id=contact_id)
    data = dict(row._mapping)
    data["contact_date"] = entry_day(data["contact_date"])
    return data, data.pop("outlet")


def update_contact(
    conn: Connection,
    contact_id: int,
    before: dict[str, Any],
    values: dict[str, Any],
    outlet: str,
    *,
    user: str,
) -> None:
    """Write the checked ``values`` over a logged contact (``before`` as :func:`contact_row` read it); the audit
    log keeps the values before and after."""
    after = {**{k: before[k] for k in EDITABLE}, **values}
    try:
        with conn.begin_nested():
            conn.execute(
                update(CONTACT)
                .where(CONTACT.c.id == contact_id)
                .values(updated_by=user, updated_at=utcnow(), **values)
            )
    except IntegrityError as exc:
        raise StorageError("contacts.entry.duplicate", **_describe(after)) from exc
    changed = {k: {"before": before[k], "after": after[k]} for k in EDITABLE if before[k] != after[k]}
    audit(conn, user, "contact.update", outlet, {"id": contact_id, "changes": changed})


def delete_contact(
    conn: Connection, contact_id: int, before: dict[str, Any], outlet: str, *, user: str
) -> None:
    """Delete a logged contact (``before`` as :func:`contact_row` read it); the audit log keeps the whole row."""
    conn.execute(delete(CONTACT).where(CONTACT.c.id == contact_id))
    kept = {k: before[k] for k in (*EDITABLE, "source", "created_by")}
    audit(conn, user, "contact.delete", outlet, {"id": contact_id, **kept})
