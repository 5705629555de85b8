"""The audit log: who imported, changed or exported what, and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, insert, select

from core.storage.models import AuditLog, utcnow

AUDIT = AuditLog.__table__


def audit(
    conn: Connection,
    user: str,
    action: str,
    outlet: str | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry inside the caller's transaction."""
    row = {"at": utcnow(), "username": user, "action": action, "outlet": outlet, "detail": _plain(detail)}
    conn.execute(insert(AUDIT), row)


def audit_entries(conn: Connection, *, outlet: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Newest first."""
    query = select(AUDIT).order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc()).limit(limit)
    if outlet is not None:
        query = query.where(AUDIT.c.outlet == outlet)
    return [dict(row._mapping) for row in conn.execute(query)]


def latest_audit_id(conn: Connection) -> int:
    """The newest entry's id: every import, contact, plan, policy and gift change moves it."""
    return int(conn.scalar(select(func.max(AUDIT.c.id))) or 0)


def _plain(value: Any) -> Any:
    """JSON-safe copy: dates as ISO text, numpy scalars as Python numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value
