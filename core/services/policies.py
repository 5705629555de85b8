"""Save a policy as an outlet's new active version, or make an earlier version active again."""

from __future__ import annotations

from sqlalchemy import Engine

from core.policy import Policy
from core.roles import MANAGERS, Actor
from core.services.access import require, require_writable
from core.services.uow import unit_of_work
from core.storage.policies import activate_policy as activate_version
from core.storage.policies import load_policy_version
from core.storage.policies import save_policy as store_policy


def save_policy(engine: Engine, actor: Actor, outlet: str, policy: Policy, note: str = "") -> int:
    """Store ``policy`` (validated when it was built) as the outlet's new active version; returns its number."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    with unit_of_work(engine) as conn:
        return store_policy(conn, policy, user=actor.username, outlet=outlet, note=note)


def activate_policy(engine: Engine, actor: Actor, outlet: str, version: int) -> Policy:
    """Make version ``version`` of the outlet's policies the active one again; returns it."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    with unit_of_work(engine) as conn:
        activate_version(conn, version, user=actor.username, outlet=outlet)
        return load_policy_version(conn, version, outlet)
