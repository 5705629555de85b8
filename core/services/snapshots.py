"""Undoing an import: delete or re-date a snapshot the outlet imported, audited, refused while a published plan
depends on it unless the head confirms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine

from core.errors import Message, StorageError
from core.roles import MANAGERS, Actor, same_outlet
from core.services.access import require, require_writable
from core.services.uow import reading, unit_of_work
from core.storage import snapshots as store


def _checked(conn: Connection, outlet: str, snapshot_id: int, action: str, confirm: bool) -> dict[str, Any]:
    info = store.get_snapshot(conn, snapshot_id)
    if not same_outlet(info["outlet"], outlet):
        raise StorageError("snapshot.not_this_outlet", id=snapshot_id, outlet=outlet)
    plans = store.plans_on(conn, snapshot_id)
    if plans and not confirm:
        raise StorageError(
            "snapshot.plans_depend",
            as_of=info["as_of"],
            file=info["file_name"] or "—",
            plans=list(plans),
            action=Message(f"snapshot.action.{action}"),
            effect=Message(f"snapshot.effect.{action}"),
        )
    return info


def snapshot_plans(engine: Engine, actor: Actor, outlet: str, snapshot_id: int) -> list[str]:
    """The months whose published plan rests on one of the outlet's snapshots (shown before deleting it)."""
    require(actor, MANAGERS, outlet)
    with reading(engine) as conn:
        info = store.get_snapshot(conn, snapshot_id)
        if not same_outlet(info["outlet"], outlet):
            raise StorageError("snapshot.not_this_outlet", id=snapshot_id, outlet=outlet)
        return store.plans_on(conn, snapshot_id)


def delete_snapshot(
    engine: Engine, actor: Actor, outlet: str, snapshot_id: int, *, confirm: bool = False
) -> dict[str, Any]:
    """Delete one of the outlet's snapshots (its plans go with it, contact logs stay); returns it as it was."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    with unit_of_work(engine) as conn:
        _checked(conn, outlet, snapshot_id, "delete", confirm)
        return store.delete_snapshot(conn, snapshot_id, user=actor.username)


def redate_snapshot(
    engine: Engine, actor: Actor, outlet: str, snapshot_id: int, as_of: dt.date, *, confirm: bool = False
) -> dict[str, Any]:
    """Give one of the outlet's snapshots another date (an export saved under the wrong day); returns it as it
    was."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    with unit_of_work(engine) as conn:
        info = _checked(conn, outlet, snapshot_id, "redate", confirm)
        if info["as_of"] == as_of.isoformat():
            raise StorageError("snapshot.same_date", as_of=as_of)
        return store.redate_snapshot(conn, snapshot_id, as_of, user=actor.username)
