"""A masked mobile revealed to a member of staff, one customer at a time, each reveal audit-logged."""

from __future__ import annotations

from sqlalchemy import Engine

from core.errors import AuthError, StorageError
from core.roles import EVERYONE, STAFF, Actor, same_outlet
from core.services.access import require
from core.services.uow import unit_of_work
from core.storage.audit import audit
from core.storage.contact_scope import outlet_key, own_customers
from core.storage.snapshots import customer_phone, get_snapshot


def reveal_phone(engine: Engine, actor: Actor, outlet: str, snapshot_id: int, customer_id: str) -> str | None:
    """The full mobile of ``customer_id`` in the outlet's snapshot (None when the export has none), written to
    the audit log (``privacy.reveal``) in the same transaction. Staff may reveal only their own customers."""
    require(actor, EVERYONE, outlet)
    customer_id = str(customer_id).strip()
    with unit_of_work(engine) as conn:
        snapshot = get_snapshot(conn, snapshot_id)
        if not same_outlet(snapshot["outlet"], outlet):
            raise StorageError("services.compare.other_outlet", id=snapshot_id, outlet=outlet)
        if actor.role == STAFF and customer_id not in own_customers(
            conn, outlet_key(conn, outlet), str(actor.staff_name)
        ):
            raise AuthError("contacts.auth.customer", customer=customer_id)
        phone = customer_phone(conn, snapshot_id, customer_id)
        audit(
            conn,
            actor.username,
            "privacy.reveal",
            outlet,
            {"snapshot_id": snapshot_id, "customer_id": customer_id},
        )
    return phone
