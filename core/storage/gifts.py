"""达标有礼 handovers recorded in the console: one row per (outlet, campaign, customer, level), audit-logged."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, delete, select, update

from core import clock
from core.errors import StorageError
from core.storage.audit import audit
from core.storage.models import GiftHandover, Outlet, utcnow
from core.storage.outlets import clean_outlet_name, outlet_id

GIFT = GiftHandover.__table__
OUTLET = Outlet.__table__
HANDOVER_COLUMNS = ["customer_id", "level", "handed_on", "staff_name", "note", "created_by", "created_at"]


def record_handover(
    conn: Connection,
    outlet: str,
    *,
    campaign: str,
    customer_id: str,
    level: float,
    handed_on: dt.date,
    user: str,
    staff_name: str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> str:
    """Record (or correct) that the customer's gift for ``level`` was handed over; returns "added" or "updated"."""
    customer_id = str(customer_id or "").strip()
    if not customer_id:
        raise StorageError("outcomes.gift.no_customer")
    if handed_on > (today or clock.today()):
        raise StorageError("outcomes.gift.future", date=handed_on.isoformat())
    values = {
        "handed_on": handed_on,
        "staff_name": (staff_name or "").strip() or None,
        "note": (note or "").strip() or None,
    }
    oid = outlet_id(conn, outlet)
    key = (
        (GIFT.c.outlet_id == oid)
        & (GIFT.c.campaign == campaign)
        & (GIFT.c.customer_id == customer_id)
        & (GIFT.c.level == float(level))
    )
    found = conn.scalar(select(GIFT.c.id).where(key))
    if found is None:
        conn.execute(
            GIFT.insert().values(
                outlet_id=oid,
                campaign=campaign,
                customer_id=customer_id,
                level=float(level),
                created_by=user,
                created_at=utcnow(),
                **values,
            )
        )
        how = "added"
    else:
        conn.execute(update(GIFT).where(GIFT.c.id == found).values(created_by=user, **values))
        how = "updated"
    audit(
        conn,
        user,
        f"gift.{how}",
        clean_outlet_name(outlet),
        {"campaign": campaign, "customer_id": customer_id, "level": float(level), **values},
    )
    return how


def delete_handover(
    conn: Connection, outlet: str, *, campaign: str, customer_id: str, level: float, user: str
) -> None:
    """Take back a handover recorded by mistake; the audit log keeps it."""
    oid = outlet_id(conn, outlet)
    gone = conn.execute(
        delete(GIFT).where(
            GIFT.c.outlet_id == oid,
            GIFT.c.campaign == campaign,
            GIFT.c.customer_id == str(customer_id),
            GIFT.c.level == float(level),
        )
    ).rowcount
    if not gone:
        raise StorageError("outcomes.gift.unknown", customer=customer_id, level=f"{level:,.0f}")
    audit(
        conn,
        user,
        "gift.delete",
        clean_outlet_name(outlet),
        {"campaign": campaign, "customer_id": customer_id, "level": float(level)},
    )


def load_handovers(conn: Connection, outlet: str, campaign: str) -> pd.DataFrame:
    """The console's handovers of one outlet and campaign (HANDOVER_COLUMNS), by customer."""
    query = (
        select(*(GIFT.c[c] for c in HANDOVER_COLUMNS))
        .join(OUTLET, OUTLET.c.id == GIFT.c.outlet_id)
        .where(OUTLET.c.name == clean_outlet_name(outlet), GIFT.c.campaign == campaign)
        .order_by(GIFT.c.customer_id, GIFT.c.level)
    )
    rows = conn.execute(query).all()
    frame = pd.DataFrame.from_records(rows, columns=HANDOVER_COLUMNS)
    frame["customer_id"] = frame["customer_id"].astype("string")
    frame["level"] = pd.to_numeric(frame["level"]).astype("float64")
    frame["handed_on"] = pd.to_datetime(pd.Series(frame["handed_on"], dtype=object)).astype("datetime64[us]")
    return frame
