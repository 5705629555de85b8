"""The console's roles, defined once, and who is acting.

- ``admin`` may act in any outlet;
- ``branch_head`` (支局长) in their own outlet, for anyone there;
- ``staff`` in their own outlet, only as themselves (and for contacts only their own customers).

The database column (``user_account.role``), the pages' checks and the service layer read these names.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "admin"
HEAD = "branch_head"
STAFF = "staff"
ROLES = (ADMIN, HEAD, STAFF)
MANAGERS = frozenset({ADMIN, HEAD})
EVERYONE = frozenset(ROLES)


@dataclass(frozen=True)
class Actor:
    """Who is acting: the account's username, role, outlet (None for admin) and staff name (for staff)."""

    username: str
    role: str
    outlet: str | None = None
    staff_name: str | None = None
    read_only: bool = False  # an admin looking at an outlet from the city view: every write is refused


def same_outlet(a: str | None, b: str | None) -> bool:
    """Outlet names compared as the database stores them (white space folded)."""
    return " ".join(str(a or "").split()) == " ".join(str(b or "").split())
