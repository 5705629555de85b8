"""Password checks as stored (``login_attempt``): the counts the login delays are computed from, and one more
check recorded. The rules themselves (how long a count makes the next check wait) are ``core.security.throttle``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, and_, delete, func, insert, or_, select

from core.storage.models import LoginAttempt

ATTEMPT = LoginAttempt.__table__
LOGIN_LOCK = 2_201_2026  # any constant: the advisory lock that orders password checks' writes on PostgreSQL


def _failures(conn: Connection, where, since) -> tuple[int, dt.datetime | None]:
    query = select(func.count(), func.max(ATTEMPT.c.at)).where(where, ATTEMPT.c.ok.is_(False))
    if since is not None:
        query = query.where(ATTEMPT.c.at > since)
    count, last = conn.execute(query).one()
    return int(count or 0), last


def failures(
    conn: Connection, subject: str, client: str | None, now: dt.datetime, address_window: dt.timedelta
) -> dict:
    """The counts the delays are computed from: {"account": (n, last), "pair": ..., "address": ...}."""
    reset = conn.scalar(
        select(func.max(ATTEMPT.c.at)).where(ATTEMPT.c.subject == subject, ATTEMPT.c.ok.is_(True))
    )
    out = {"account": _failures(conn, ATTEMPT.c.subject == subject, reset)}
    if client is None:
        return out | {"pair": (0, None), "address": (0, None)}
    pair_reset = conn.scalar(
        select(func.max(ATTEMPT.c.at)).where(
            ATTEMPT.c.subject == subject,
            ATTEMPT.c.ok.is_(True),
            or_(ATTEMPT.c.client == client, ATTEMPT.c.kind == "reset"),
        )
    )
    out["pair"] = _failures(conn, and_(ATTEMPT.c.subject == subject, ATTEMPT.c.client == client), pair_reset)
    out["address"] = _failures(conn, ATTEMPT.c.client == client, now - address_window)
    return out


def serialize(conn: Connection) -> None:
    """Inside a write transaction: checks made at the same moment count one after the other (SQLite's write lock
    does this by itself; PostgreSQL takes an advisory lock held until the transaction ends)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOGIN_LOCK})")


def record(
    conn: Connection,
    subject: str,
    client: str | None,
    kind: str,
    ok: bool,
    now: dt.datetime,
    *,
    keep_days: float,
) -> None:
    """One more check (or a reset, ``kind="reset"``); checks older than ``keep_days`` are forgotten."""
    conn.execute(delete(ATTEMPT).where(ATTEMPT.c.at < now - dt.timedelta(days=keep_days)))
    conn.execute(insert(ATTEMPT), {"at": now, "subject": subject, "client": client, "kind": kind, "ok": ok})
