"""Save a policy as an outlet's new active version, or make an earlier version active again."""

from __future__ import annotations

from sqlalchemy import Engine

from core.policy import Policy
from core.roles import MANAGERS, Actor
from core.services.access import require, require_writable
from core.storage.policies import activate_policy as activate_version
from core.storage.policies import load_policy_version
from core.storage.policies import save_policy as store_policy


def save_policy(engine: Engine, actor: Actor, outlet: str, policy: Policy, note: str = "") -> int:
    """Store ``policy`` (validated when it was built) as the outlet's new active version; returns its number."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    return store_policy(engine, policy, user=actor.username, outlet=outlet, note=note)


def activate_policy(engine: Engine, actor: Actor, outlet: str, version: int) -> Policy:
    """Make version ``version`` of the outlet's policies the active one again; returns it."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    activate_version(engine, version, user=actor.username, outlet=outlet)
    return load_policy_version(engine, version, outlet)
