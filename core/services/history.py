"""Compare two snapshots of an outlet: tier migration, who moved, outflow, 达标 reached."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine

from core.errors import StorageError
from core.history import Comparison, compare
from core.policy import Policy
from core.roles import MANAGERS, Actor, same_outlet
from core.services.access import require
from core.services.uow import reading
from core.storage.snapshots import find_snapshot, get_snapshot, list_snapshots, load_customers_with_maturities


def snapshot_on(engine: Engine, actor: Actor, outlet: str, as_of: dt.date) -> dict[str, Any]:
    """The outlet's snapshot of ``as_of``; refused with the dates it has when there is none."""
    require(actor, MANAGERS, outlet)
    with reading(engine) as conn:
        return stored_snapshot(conn, outlet, as_of)


def stored_snapshot(conn: Connection, outlet: str, as_of: dt.date) -> dict[str, Any]:
    """:func:`snapshot_on` inside the caller's transaction (no role check: the caller made it)."""
    found = find_snapshot(conn, outlet, as_of)
    if found is None:
        dates = "、".join(s["as_of"] for s in list_snapshots(conn, outlet)) or "—"
        raise StorageError("storage.snapshot.missing", outlet=outlet, as_of=as_of, dates=dates)
    return found


def compare_snapshots(
    engine: Engine, actor: Actor, outlet: str, before_id: int, after_id: int, policy: Policy
) -> Comparison:
    """The outlet's earlier snapshot against a later one, both read with their maturity notices merged in."""
    require(actor, MANAGERS, outlet)
    with reading(engine) as conn:
        snapshots = [get_snapshot(conn, i) for i in (before_id, after_id)]
        for snap in snapshots:
            if not same_outlet(snap["outlet"], outlet):
                raise StorageError("services.compare.other_outlet", id=snap["id"], outlet=outlet)
        if before_id == after_id:
            raise StorageError("history.same_snapshot", as_of=snapshots[0]["as_of"])
        before, after = (load_customers_with_maturities(conn, i) for i in (before_id, after_id))
    return compare(before, after, policy)
