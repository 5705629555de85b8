"""Growing delays after failed password checks, per account, per account and client address, and per address.

Nothing locks: after ``free`` failures the next check waits ``first_delay_seconds``, each further failure multiplies
the wait by ``growth`` up to ``max_delay_seconds``. A check asked for during a wait is refused without being counted,
so the owner with the right password passes once the wait is over, whoever keeps guessing. A success (or an
admin's unlock, or a new password) starts an account's count again; an address's count only runs out with time.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import tomllib
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Connection, and_, delete, func, insert, or_, select

from core.storage.models import LoginAttempt

ATTEMPT = LoginAttempt.__table__
LOGIN_LOCK = 2_201_2026  # any constant: the advisory lock that orders password checks' writes on PostgreSQL
HERE = pathlib.Path(__file__).resolve().parent
TOML_ENV = "CONSOLE_SECURITY_TOML"


@dataclass(frozen=True)
class Rule:
    free: int
    first_delay_seconds: float
    growth: float
    max_delay_seconds: float
    window_minutes: float | None = None


@dataclass(frozen=True)
class LoginRules:
    refusal_seconds: float
    cookie_hours: float
    keep_days: float
    account: Rule
    pair: Rule
    address: Rule
    min_password: int
    end_sessions_after: int


@cache
def login_rules(path: str | None = None) -> LoginRules:
    """login.toml (or the file ``CONSOLE_SECURITY_TOML`` names), read once per process."""
    source = pathlib.Path(path or os.environ.get(TOML_ENV) or HERE / "login.toml")
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    login = data["login"]
    return LoginRules(
        refusal_seconds=float(login["refusal_seconds"]),
        cookie_hours=float(login["cookie_hours"]),
        keep_days=float(login["keep_days"]),
        account=Rule(**login["account"]),
        pair=Rule(**login["pair"]),
        address=Rule(**login["address"]),
        min_password=int(data["password"]["min_length"]),
        end_sessions_after=int(data["password"]["end_sessions_after"]),
    )


def delay(failures: int, rule: Rule) -> float:
    """Seconds to wait after the last of ``failures`` failures before the next check."""
    if failures < rule.free:
        return 0.0
    return float(
        min(rule.first_delay_seconds * rule.growth ** (failures - rule.free), rule.max_delay_seconds)
    )


def _failures(conn: Connection, where, since) -> tuple[int, dt.datetime | None]:
    query = select(func.count(), func.max(ATTEMPT.c.at)).where(where, ATTEMPT.c.ok.is_(False))
    if since is not None:
        query = query.where(ATTEMPT.c.at > since)
    count, last = conn.execute(query).one()
    return int(count or 0), last


def failures(conn: Connection, subject: str, client: str | None, now: dt.datetime, rules: LoginRules) -> dict:
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
    window = dt.timedelta(minutes=rules.address.window_minutes or 0)
    out["address"] = _failures(conn, ATTEMPT.c.client == client, now - window)
    return out


def wait_seconds(counts: dict, now: dt.datetime, rules: LoginRules) -> float:
    """How long from ``now`` until the next check may be made (0: now)."""
    longest = 0.0
    for name, (count, last) in counts.items():
        if last is None:
            continue
        until = last + dt.timedelta(seconds=delay(count, getattr(rules, name)))
        longest = max(longest, (until - now).total_seconds())
    return longest


def serialize(conn: Connection) -> None:
    """Inside a write transaction: checks made at the same moment count one after the other (SQLite's write lock
    does this by itself; PostgreSQL takes an advisory lock held until the transaction ends)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOGIN_LOCK})")


def record(conn: Connection, subject: str, client: str | None, kind: str, ok: bool, now: dt.datetime) -> None:
    """One more check (or a reset, ``kind="reset"``); checks older than ``keep_days`` are forgotten."""
    conn.execute(delete(ATTEMPT).where(ATTEMPT.c.at < now - dt.timedelta(days=login_rules().keep_days)))
    conn.execute(insert(ATTEMPT), {"at": now, "subject": subject, "client": client, "kind": kind, "ok": ok})
