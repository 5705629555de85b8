"""Policy versions: every saved policy kept whole (TOML), one active per scope (an outlet, or global)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, update

from core.errors import Message, StorageError
from core.policy import Policy
from core.storage.audit import audit
from core.storage.models import PolicyVersion, utcnow
from core.storage.outlets import OUTLET, clean_outlet_name, outlet_id

POLICY = PolicyVersion.__table__


def _scope(outlet_key: int | None):
    column = POLICY.c.outlet_id
    return column.is_(None) if outlet_key is None else column == outlet_key


def _outlet_key(conn: Connection, outlet: str | None, *, create: bool) -> int | None:
    return None if outlet is None else outlet_id(conn, outlet, create=create)


def save_policy(
    conn: Connection, policy: Policy, *, user: str, outlet: str | None = None, note: str = ""
) -> int:
    """Save ``policy`` as the next version of its scope and make it the active one; returns the version."""
    text = policy.to_toml()
    Policy.from_toml(text)  # what is stored must load back
    key = _outlet_key(conn, outlet, create=True)
    version = (conn.scalar(select(func.max(POLICY.c.version)).where(_scope(key))) or 0) + 1
    conn.execute(update(POLICY).where(_scope(key), POLICY.c.active).values(active=False))
    conn.execute(
        POLICY.insert().values(
            outlet_id=key,
            version=version,
            toml=text,
            fingerprint=policy.fingerprint(),
            note=note,
            created_by=user,
            created_at=utcnow(),
            active=True,
        )
    )
    audit(
        conn,
        user,
        "policy.save",
        outlet,
        {"version": version, "fingerprint": policy.fingerprint(), "note": note},
    )
    return version


def activate_policy(conn: Connection, version: int, *, user: str, outlet: str | None = None) -> None:
    """Make an earlier version of the scope active again (roll back)."""
    key = _outlet_key(conn, outlet, create=False)
    found = conn.scalar(select(POLICY.c.id).where(_scope(key), POLICY.c.version == version))
    if found is None:
        raise StorageError("storage.policy.unknown", version=version, scope=_scope_label(outlet))
    conn.execute(update(POLICY).where(_scope(key), POLICY.c.active).values(active=False))
    conn.execute(update(POLICY).where(POLICY.c.id == found).values(active=True))
    audit(conn, user, "policy.activate", outlet, {"version": version})


def active_policy(conn: Connection, outlet: str | None = None) -> Policy:
    """The outlet's active policy, else the global active one, else ``Policy.default()``."""
    return active_policy_version(conn, outlet)[0]


def active_policy_version(conn: Connection, outlet: str | None = None) -> tuple[Policy, int | None]:
    """The policy in force for ``outlet`` and its version number (None for the built-in defaults)."""
    row = None
    if outlet is not None:
        query = (
            select(POLICY.c.toml, POLICY.c.version)
            .join(OUTLET, OUTLET.c.id == POLICY.c.outlet_id)
            .where(OUTLET.c.name == clean_outlet_name(outlet), POLICY.c.active)
        )
        row = conn.execute(query).first()
    if row is None:
        query = select(POLICY.c.toml, POLICY.c.version).where(POLICY.c.outlet_id.is_(None), POLICY.c.active)
        row = conn.execute(query).first()
    if row is None:
        return Policy.default(), None
    return Policy.from_toml(row.toml), int(row.version)


def load_policy_version(conn: Connection, version: int, outlet: str | None = None) -> Policy:
    key = None if outlet is None else _find_outlet(conn, outlet)
    text = None
    if outlet is None or key is not None:
        text = conn.scalar(select(POLICY.c.toml).where(_scope(key), POLICY.c.version == version))
    if text is None:
        raise StorageError("storage.policy.unknown", version=version, scope=_scope_label(outlet))
    return Policy.from_toml(text)


def list_policies(conn: Connection, outlet: str | None = None) -> list[dict[str, Any]]:
    """Versions of one scope (the outlet's, or the global ones when None), newest first, without the TOML."""
    key = None if outlet is None else _find_outlet(conn, outlet)
    if outlet is not None and key is None:
        return []
    query = (
        select(
            POLICY.c.version,
            POLICY.c.fingerprint,
            POLICY.c.note,
            POLICY.c.created_by,
            POLICY.c.created_at,
            POLICY.c.active,
        )
        .where(_scope(key))
        .order_by(POLICY.c.version.desc())
    )
    return [{**dict(r._mapping), "outlet": outlet} for r in conn.execute(query)]


def _find_outlet(conn: Connection, outlet: str) -> int | None:
    return conn.scalar(select(OUTLET.c.id).where(OUTLET.c.name == clean_outlet_name(outlet)))


def _scope_label(outlet: str | None) -> str | Message:
    return outlet if outlet is not None else Message("storage.policy.scope_global")
