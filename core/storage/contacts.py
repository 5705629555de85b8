"""The contact log in the database: imports stored whole (a corrected file updates what it changes), console entry,
and reading the log back. What the log is checked against (the outlet's staff, customers, stored plans of a period)
is ``core.storage.contact_scope``.

Every function works inside the caller's transaction (the service's unit of work) and writes its audit entry
there; who may log or change which contact is decided by the service (``core.compliance.entry``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from core.compliance.entry import EDITABLE, entry_day
from core.errors import StorageError
from core.schema import CONTACT_ROW
from core.storage.audit import AUDIT, audit
from core.storage.bulk import typed
from core.storage.contact_scope import outlet_key
from core.storage.models import Contact, Outlet, utcnow
from core.storage.outlets import clean_outlet_name

CONTACT = Contact.__table__
OUTLET = Outlet.__table__
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
    oid = outlet_key(conn, outlet)
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


def contacts_version(conn: Connection, outlet: str) -> int:
    """The outlet's newest audit entry: it changes with every contact import, entry, correction, deletion and
    plan save (all audited), so it keys cached compliance figures."""
    found = conn.scalar(select(func.max(AUDIT.c.id)).where(AUDIT.c.outlet == clean_outlet_name(outlet)))
    return int(found or 0)


# ------------------------------------------------------------------------------------------ console entry
# Who may log or change which contact is the service's decision (core.services.contacts with
# core.compliance.entry); these only read and write rows inside the caller's transaction.


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
