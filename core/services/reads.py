"""Stored data as the pages, the CLI and the other services read it: each read opens one read transaction.

Only ``core.services`` touches ``core.storage``; whoever else needs a stored thing reads it here. These do no role
check of their own: a page checks its role and outlet before it reads (``ui.context``), and the services that
compute figures (compliance, comparison, outcomes) check it themselves.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine

import core.storage.contact_scope as contact_scope
import core.storage.contacts as contact_store
import core.storage.engine as engines
import core.storage.gifts as gifts
import core.storage.handouts as handouts
import core.storage.outlets as outlets
import core.storage.plans as plans
import core.storage.policies as policies
import core.storage.settings as settings
import core.storage.snapshots as snapshots
from core.services.uow import reading
from core.storage.audit import audit_entries as stored_audit_entries
from core.storage.audit import latest_audit_id as stored_latest_audit_id

T = TypeVar("T")


def _read(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn(conn, ...)`` of core.storage as ``read(engine, ...)`` inside one read transaction."""

    @functools.wraps(fn)
    def read(db: Engine, *args: Any, **kwargs: Any) -> T:
        with reading(db) as conn:
            return fn(conn, *args, **kwargs)

    return read


def open_database(url: str | None = None) -> Engine:
    """The engine for ``url`` (None: ``DATABASE_URL``, else the SQLite file), the schema brought to the newest."""
    db = engines.make_engine(url)
    engines.ensure_schema(db)
    return db


make_engine = engines.make_engine
ensure_schema = engines.ensure_schema
default_url = engines.default_url
DEFAULT_DB = engines.DEFAULT_DB

list_outlets = _read(outlets.list_outlets)
load_staff = _read(outlets.load_staff)
list_snapshots = _read(snapshots.list_snapshots)
find_snapshot = _read(snapshots.find_snapshot)
get_snapshot = _read(snapshots.get_snapshot)
load_customers = _read(snapshots.load_customers)
load_customers_with_maturities = _read(snapshots.load_customers_with_maturities)
load_maturities = _read(snapshots.load_maturities)
load_rejections = _read(snapshots.load_rejections)
active_policy = _read(policies.active_policy)
active_policy_version = _read(policies.active_policy_version)
list_policies = _read(policies.list_policies)
load_policy_version = _read(policies.load_policy_version)
load_setting = _read(settings.load_setting)
audit_entries = _read(stored_audit_entries)
latest_audit_id = _read(stored_latest_audit_id)
load_assignment = _read(plans.load_assignment)
load_plan = _read(plans.load_plan)
plan_periods = _read(plans.plan_periods)
load_contacts = _read(contact_store.load_contacts)
load_familiarity = _read(contact_store.load_familiarity)
load_period_plan = _read(contact_scope.load_period_plan)
stored_periods = _read(contact_scope.stored_periods)
contacts_version = _read(contact_store.contacts_version)
outlet_staff = _read(contact_scope.outlet_staff)
outlet_customers = _read(contact_scope.outlet_customers)
customer_directory = _read(contact_scope.customer_directory)
load_handovers = _read(gifts.load_handovers)
handout_periods = _read(handouts.handout_periods)
CONTACT_COLUMNS = contact_store.CONTACT_COLUMNS
