"""Contacts logged or corrected in the console: who may touch which contact, and what an entry must hold.

Roles (``core.roles``): ``admin`` may act in any outlet; ``branch_head`` in their own outlet, for anyone;
``staff`` in their own outlet, only as themselves and only for the customers assigned to them (in the newest
assignment or a stored plan). The service (``core.services.contacts``) applies these inside its transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from core.errors import AuthError, StorageError
from core.policy import Policy
from core.roles import ADMIN, HEAD, ROLES, Actor, same_outlet

EDITABLE = ("contact_date", "staff_name", "customer_id", "channel", "result", "note")


def authorize(
    actor: Actor, outlet: str, staff_name: str, customer_id: str, own_customers: Callable[[], set[str]]
) -> None:
    """Refuse (AuthError) unless ``actor`` may log a contact of ``staff_name`` with ``customer_id`` in ``outlet``.

    ``own_customers`` is asked only for staff: the customers assigned to them.
    """
    if actor.role not in ROLES:
        raise AuthError("contacts.auth.role", role=actor.role)
    if actor.role == ADMIN:
        return
    if not same_outlet(actor.outlet, outlet):
        raise AuthError("contacts.auth.outlet", outlet=outlet)
    if actor.role == HEAD:
        return
    if not actor.staff_name or staff_name != actor.staff_name:
        raise AuthError("contacts.auth.self", staff=staff_name)
    if customer_id not in own_customers():
        raise AuthError("contacts.auth.customer", customer=customer_id)


def entry_day(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


def checked_entry(values: dict[str, Any], policy: Policy, today: dt.date) -> dict[str, Any]:
    """The entry's fields cleaned: no future date, staff and customer filled in, channel and result the policy's."""
    out = dict(values)
    if "contact_date" in out:
        out["contact_date"] = entry_day(out["contact_date"])
        if out["contact_date"] > today:
            raise StorageError("contacts.entry.future", date=out["contact_date"].isoformat())
    for key in ("staff_name", "customer_id"):
        if key in out:
            out[key] = str(out[key] or "").strip()
            if not out[key]:
                raise StorageError(f"contacts.entry.no_{key}")
    if "channel" in out and out["channel"] not in policy.compliance.log_channels:
        choices = list(policy.compliance.log_channels)
        raise StorageError("contacts.row.bad_channel", value=out["channel"], choices=choices)
    if "result" in out and out["result"] not in policy.compliance.log_results:
        choices = list(policy.compliance.log_results)
        raise StorageError("contacts.row.bad_result", value=out["result"], choices=choices)
    if "note" in out:
        out["note"] = (str(out["note"]).strip() or None) if out["note"] is not None else None
    return out
