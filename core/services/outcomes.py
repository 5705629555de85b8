"""Outcomes of an outlet (经营成效), the 达标有礼 handovers and the admin's city view: role checks, one read (or
write) transaction each, and the figures of ``core.outcomes`` on what was read."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from core import clock
from core.errors import ConsoleError
from core.i18n import t
from core.outcomes import (
    Campaign,
    Outcomes,
    campaign_key,
    city_frame,
    earned_gifts,
    fulfilment,
    fulfilment_summary,
    kpis,
    level_key,
    logged_handovers,
    outcomes,
)
from core.policy import Policy
from core.roles import ADMIN, MANAGERS, Actor
from core.services.access import require, require_writable
from core.services.contacts import outlet_month_compliance
from core.services.deferred import deferred_in
from core.services.history import stored_snapshot
from core.services.uow import reading, unit_of_work
from core.storage.audit import latest_audit_id
from core.storage.contacts import load_contacts
from core.storage.gifts import load_handovers, record_handover
from core.storage.outlets import list_outlets
from core.storage.policies import active_policy
from core.storage.snapshots import list_snapshots, load_customers, load_maturities, snapshot_assets


def outcomes_between(
    engine: Engine, actor: Actor, outlet: str, date_from: dt.date, date_to: dt.date, policy: Policy
) -> Outcomes:
    """The outcomes of ``outlet`` between its snapshots of two dates, with the contacts logged between."""
    require(actor, MANAGERS, outlet)
    if date_from >= date_to:
        raise ConsoleError("outcomes.dates_order", date_from=date_from, date_to=date_to)
    with reading(engine) as conn:
        first, last = stored_snapshot(conn, outlet, date_from), stored_snapshot(conn, outlet, date_to)
        items = load_maturities(conn, first["id"])
        before, after = load_customers(conn, first["id"]), load_customers(conn, last["id"])
        contacts = load_contacts(conn, outlet, start=date_from, end=date_to)
    return outcomes(
        before,
        after,
        policy,
        date_from=date_from,
        date_to=date_to,
        contacts=contacts,
        items=items if len(items) else None,
    )


def outcomes_trend(engine: Engine, actor: Actor, outlet: str, policy: Policy) -> pd.DataFrame:
    """户均余额 and the shares at or above each level, one row per stored snapshot, oldest first: as_of,
    snapshot_id, customers, avg_assets, share_<level> (fractions)."""
    require(actor, MANAGERS, outlet)
    rows = []
    with reading(engine) as conn:
        for snap in list_snapshots(conn, outlet):
            k = kpis(snapshot_assets(conn, snap["id"]), policy)
            row = {
                "as_of": pd.Timestamp(snap["as_of"]),
                "snapshot_id": snap["id"],
                "customers": k["customers"],
            }
            row["avg_assets"] = k["avg_assets"]
            row.update({f"share_{key}": value for key, value in k["share_at_least"].items()})
            rows.append(row)
    columns = ["as_of", "snapshot_id", "customers", "avg_assets"]
    columns += [f"share_{level_key(lv)}" for lv in policy.outcomes.share_levels]
    return pd.DataFrame(rows, columns=columns)


def gift_campaign(engine: Engine, actor: Actor, outlet: str, policy: Policy) -> Campaign:
    """Who earned a 达标有礼 gift in the policy's campaign window, who handed it over, against the budget."""
    require(actor, MANAGERS, outlet)
    with reading(engine) as conn:
        return _campaign(conn, outlet, policy)


def _campaign(conn: Connection, outlet: str, policy: Policy) -> Campaign:
    """The 达标有礼 fulfilment of ``outlet`` under the policy's campaign window (see core.outcomes.gifts)."""
    start, end = policy.campaign.window()
    if start is None or end is None:
        raise ConsoleError("outcomes.campaign.no_window")
    snaps = list_snapshots(conn, outlet)
    before = [s for s in snaps if dt.date.fromisoformat(s["as_of"]) <= start]
    inside = [s for s in snaps if start < dt.date.fromisoformat(s["as_of"]) <= end]
    if not before or not inside:
        dates = "、".join(s["as_of"] for s in snaps) or "—"
        raise ConsoleError("outcomes.campaign.no_snapshots", outlet=outlet, start=start, end=end, dates=dates)
    baseline, latest = before[-1], inside[-1]
    earned = earned_gifts(load_customers(conn, baseline["id"]), load_customers(conn, latest["id"]), policy)
    key = campaign_key(policy)
    table = fulfilment(
        earned,
        load_handovers(conn, outlet, key),
        logged_handovers(load_contacts(conn, outlet, start=start, end=end), policy, start, end),
        console_label=t("outcomes.gift.console", "zh"),
    )
    return Campaign(
        key=key,
        start=start,
        end=end,
        baseline=baseline,
        latest=latest,
        table=table,
        summary=fulfilment_summary(table, policy),
    )


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
    """Record that a customer who earned a gift in the policy's campaign received it (the level is theirs;
    audit-logged); returns "added" or "updated"."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    with unit_of_work(engine) as conn:
        current = _campaign(conn, outlet, policy)
        found = current.table.loc[current.table["customer_id"] == str(customer_id).strip()]
        if found.empty:
            raise ConsoleError("outcomes.gift.not_earned", customer=customer_id)
        return record_handover(
            conn,
            outlet,
            campaign=current.key,
            customer_id=str(customer_id).strip(),
            level=float(found["level"].iloc[0]),
            handed_on=handed_on,
            user=actor.username,
            staff_name=staff_name,
            note=note,
            today=today,
        )


def city_overview(engine: Engine, actor: Actor, *, today: dt.date | None = None) -> pd.DataFrame:
    """Every outlet side by side under its own active policy, from its two newest snapshots (admin only).

    Compliance is the newest month with a stored plan, judged on ``today``; campaign cost is the value of the
    gifts handed over (0 without a campaign window). Columns: ``core.outcomes.city_frame``.
    """
    require(actor, {ADMIN})
    rows = []
    with reading(engine) as conn:
        for outlet in list_outlets(conn):
            snaps = list_snapshots(conn, outlet)
            if not snaps:
                continue
            policy = active_policy(conn, outlet)
            last = snaps[-1]
            k = kpis(snapshot_assets(conn, last["id"]), policy)
            row: dict[str, object] = {
                "outlet": outlet,
                "as_of": pd.Timestamp(last["as_of"]),
                "customers": k["customers"],
                "avg_assets": k["avg_assets"],
            }
            for key, value in k["share_at_least"].items():
                row[f"share_{key}"] = value
            row["previous"] = pd.Timestamp(snaps[-2]["as_of"]) if len(snaps) > 1 else pd.NaT
            if len(snaps) > 1:
                result = outcomes(
                    load_customers(conn, snaps[-2]["id"]),
                    load_customers(conn, last["id"]),
                    policy,
                    date_from=dt.date.fromisoformat(snaps[-2]["as_of"]),
                    date_to=dt.date.fromisoformat(last["as_of"]),
                )
                row["promoted"], row["demoted"] = result.promoted, result.demoted
            row["compliance_rate"], row["compliance_period"] = _compliance(conn, outlet, policy, today)
            if row["compliance_period"] is not None:  # 延后 N of the month the rate is of
                row["deferred"] = deferred_in(conn, outlet, str(row["compliance_period"])).total
            try:
                summary = _campaign(conn, outlet, policy).summary
                row["campaign_cost"], row["campaign_earned"] = summary["handed_value"], summary["earned"]
            except ConsoleError:
                row["campaign_cost"], row["campaign_earned"] = 0.0, 0
            rows.append(row)
    return city_frame(rows)


def _compliance(
    conn: Connection, outlet: str, policy: Policy, today: dt.date | None
) -> tuple[float, str | None]:
    """The outlet's current month as 联络合规 and 概览 show it (``core.services.contacts.outlet_month_compliance``)."""
    try:
        found = outlet_month_compliance(conn, outlet, policy=policy, as_of=today or clock.today())
    except ConsoleError:
        return np.nan, None
    if found is None:
        return np.nan, None
    rate = found.result.overall
    return (float(rate) if rate is not None else np.nan), found.month


def data_version(engine: Engine) -> int:
    """A number that moves with every import, contact, plan, policy and gift change (for cache keys)."""
    with reading(engine) as conn:
        return latest_audit_id(conn)
