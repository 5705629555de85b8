"""Outcomes of an outlet (经营成效), the 达标有礼 handovers and the admin's city view, with their role checks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.engine import Engine

from core.outcomes import Campaign, Outcomes, service
from core.policy import Policy
from core.roles import ADMIN, MANAGERS, Actor
from core.services.access import require, require_writable
from core.storage.audit import latest_audit_id


def outcomes_between(
    engine: Engine, actor: Actor, outlet: str, date_from: dt.date, date_to: dt.date, policy: Policy
) -> Outcomes:
    """The outcomes of ``outlet`` between its snapshots of two dates, with the contacts logged between."""
    require(actor, MANAGERS, outlet)
    return service.outlet_outcomes(engine, outlet, date_from, date_to, policy)


def outcomes_trend(engine: Engine, actor: Actor, outlet: str, policy: Policy) -> pd.DataFrame:
    """户均余额 and the shares at or above each level, one row per stored snapshot."""
    require(actor, MANAGERS, outlet)
    return service.trend(engine, outlet, policy)


def gift_campaign(engine: Engine, actor: Actor, outlet: str, policy: Policy) -> Campaign:
    """Who earned a 达标有礼 gift in the policy's campaign window, who handed it over, against the budget."""
    require(actor, MANAGERS, outlet)
    return service.campaign(engine, outlet, policy)


def record_gift(
    engine: Engine,
    actor: Actor,
    outlet: str,
    policy: Policy,
    *,
    customer_id: str,
    handed_on: dt.date,
    staff_name: str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> str:
    """Record that a customer who earned a gift received it (audit-logged)."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    return service.record_gift(
        engine,
        outlet,
        policy,
        customer_id=customer_id,
        handed_on=handed_on,
        user=actor.username,
        staff_name=staff_name,
        note=note,
        today=today,
    )


def city_overview(engine: Engine, actor: Actor, *, today: dt.date | None = None) -> pd.DataFrame:
    """Every outlet side by side under its own policy (admin only)."""
    require(actor, {ADMIN})
    return service.city(engine, today=today)


def data_version(engine: Engine) -> int:
    """A number that moves with every import, contact, plan, policy and gift change (for cache keys)."""
    return latest_audit_id(engine)
