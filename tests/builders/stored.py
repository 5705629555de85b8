"""Storage writes for seeding tests, each in its own transaction (the services' unit of work does the same).

Storage functions take a connection and never commit; a test that seeds rows without going through a service
calls these, which open the transaction around one storage call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine

from core.services.uow import unit_of_work
from core.storage import contacts, gifts, outlets, plans, policies, settings, snapshots

T = TypeVar("T")


def _tx(fn: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(fn)
    def write(engine: Engine, *args: Any, **kwargs: Any) -> T:
        with unit_of_work(engine) as conn:
            return fn(conn, *args, **kwargs)

    return write


activate_policy = _tx(policies.activate_policy)
delete_handover = _tx(gifts.delete_handover)
delete_snapshot = _tx(snapshots.delete_snapshot)
ensure_outlet = _tx(outlets.ensure_outlet)
import_snapshot = _tx(snapshots.import_snapshot)
record_handover = _tx(gifts.record_handover)
save_assignment = _tx(plans.save_assignment)
save_policy = _tx(policies.save_policy)
save_setting = _tx(settings.save_setting)
save_staff = _tx(outlets.save_staff)
store_contacts = _tx(contacts.store_contacts)
