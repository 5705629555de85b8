"""Storage of the console: engine, tables, migrations and the functions that read and write them.

Every function takes a connection as its first argument, inside the transaction its caller opened
(``core.services.uow``: one per workflow), and never commits; nothing global but the default URL. Only
``core.services`` calls these.
"""

from core.storage.audit import audit, audit_entries
from core.storage.engine import default_url, ensure_schema, make_engine, normalize_url, write_connection
from core.storage.outlets import ensure_outlet, list_outlets, load_staff, save_staff
from core.storage.plans import load_assignment, load_plan, save_assignment
from core.storage.policies import (
    activate_policy,
    active_policy,
    active_policy_version,
    list_policies,
    load_policy_version,
    save_policy,
)
from core.storage.settings import load_setting, save_setting
from core.storage.snapshots import (
    delete_snapshot,
    find_snapshot,
    get_snapshot,
    import_snapshot,
    list_snapshots,
    load_customers,
    load_customers_with_maturities,
    load_maturities,
    load_rejections,
)

__all__ = [
    "activate_policy",
    "active_policy",
    "active_policy_version",
    "audit",
    "audit_entries",
    "default_url",
    "delete_snapshot",
    "ensure_outlet",
    "ensure_schema",
    "find_snapshot",
    "get_snapshot",
    "import_snapshot",
    "list_outlets",
    "list_policies",
    "list_snapshots",
    "load_assignment",
    "load_customers",
    "load_customers_with_maturities",
    "load_maturities",
    "load_plan",
    "load_policy_version",
    "load_rejections",
    "load_setting",
    "load_staff",
    "make_engine",
    "normalize_url",
    "save_assignment",
    "save_policy",
    "save_setting",
    "save_staff",
    "write_connection",
]
