"""What a role may do: every service checks its actor here before it reads or writes an outlet's data."""

from __future__ import annotations

from collections.abc import Collection

from core.errors import AuthError
from core.roles import ADMIN, Actor, same_outlet


def require(actor: Actor, allowed: Collection[str], outlet: str | None = None) -> None:
    """Refuse (AuthError) unless the actor's role is allowed and, but for an admin, ``outlet`` is their own."""
    if actor.role not in allowed:
        raise AuthError("services.auth.role", role=actor.role)
    if outlet is not None and actor.role != ADMIN and not same_outlet(actor.outlet, outlet):
        raise AuthError("services.auth.outlet", outlet=outlet)


def require_writable(actor: Actor, outlet: str | None = None) -> None:
    """Refuse (AuthError) a write by a read-only session (an admin who opened the outlet from the city view)."""
    if actor.read_only:
        raise AuthError("services.auth.read_only", outlet=outlet or "—")


def operator(username: str) -> Actor:
    """Whoever runs ``python -m core`` on the machine: the database is theirs, as an admin's."""
    return Actor(username=username, role=ADMIN)
