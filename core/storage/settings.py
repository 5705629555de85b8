"""Remembered per-outlet choices (e.g. the column mapping of the outlet's exports). Every change is audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select

from core.storage.audit import audit
from core.storage.models import OutletSetting, utcnow
from core.storage.outlets import OUTLET, clean_outlet_name, outlet_id

SETTING = OutletSetting.__table__


def save_setting(conn: Connection, outlet: str, key: str, value: dict[str, Any], *, user: str) -> None:
    """Replace the outlet's setting ``key`` with ``value`` in one transaction, with an audit entry."""
    oid = outlet_id(conn, outlet, create=True)
    conn.execute(delete(SETTING).where(SETTING.c.outlet_id == oid, SETTING.c.key == key))
    conn.execute(
        insert(SETTING).values(outlet_id=oid, key=key, value=value, updated_by=user, updated_at=utcnow())
    )
    audit(conn, user, f"setting:{key}", clean_outlet_name(outlet), {"value": value})


def load_setting(conn: Connection, outlet: str, key: str) -> dict[str, Any] | None:
    """The outlet's setting ``key``, or None when it was never saved (or the outlet is unknown)."""
    query = (
        select(SETTING.c.value)
        .join(OUTLET, OUTLET.c.id == SETTING.c.outlet_id)
        .where(OUTLET.c.name == clean_outlet_name(outlet), SETTING.c.key == key)
    )
    return conn.scalar(query)
