"""Outcomes from the database: one outlet's pair of dates, its trend over every snapshot, the 达标有礼 campaign
and the city branch's outlets side by side. The CLI command and the pages call these, never their own copies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from core import clock
from core.errors import ConsoleError, StorageError
from core.i18n import t
from core.outcomes.figures import Outcomes, kpis, level_key, outcomes
from core.outcomes.gifts import earned_gifts, fulfilment, fulfilment_summary, logged_handovers
from core.policy import Policy
from core.storage.contacts import load_contacts
from core.storage.gifts import load_handovers, record_handover
from core.storage.models import SnapshotCustomer
from core.storage.outlets import list_outlets
from core.storage.policies import active_policy
from core.storage.snapshots import find_snapshot, list_snapshots, load_customers, load_maturities

CUSTOMER = SnapshotCustomer.__table__


def snapshot_on(engine: Engine, outlet: str, as_of: dt.date) -> dict:
    """The outlet's snapshot of ``as_of``; a StorageError listing the stored dates when there is none."""
    found = find_snapshot(engine, outlet, as_of)
    if found is None:
        dates = "、".join(s["as_of"] for s in list_snapshots(engine, outlet)) or "—"
        raise StorageError(t("storage.snapshot.missing", "zh", outlet=outlet, as_of=as_of, dates=dates))
    return found


def outlet_outcomes(
    engine: Engine, outlet: str, date_from: dt.date, date_to: dt.date, policy: Policy
) -> Outcomes:
    """Outcomes of ``outlet`` between its snapshots of ``date_from`` and ``date_to`` with the contacts between."""
    if date_from >= date_to:
        raise ConsoleError(t("outcomes.dates_order", "zh", date_from=date_from, date_to=date_to))
    first, last = snapshot_on(engine, outlet, date_from), snapshot_on(engine, outlet, date_to)
    items = load_maturities(engine, first["id"])
    return outcomes(
        load_customers(engine, first["id"]),
        load_customers(engine, last["id"]),
        policy,
        date_from=date_from,
        date_to=date_to,
        contacts=load_contacts(engine, outlet, start=date_from, end=date_to),
        items=items if len(items) else None,
    )


def snapshot_assets(engine: Engine, snapshot_id: int) -> np.ndarray:
    """Only the assets of a snapshot (the KPIs need nothing else)."""
    with engine.connect() as conn:
        values = conn.scalars(select(CUSTOMER.c.assets).where(CUSTOMER.c.snapshot_id == snapshot_id)).all()
    return np.asarray(values, dtype=np.float64)


def trend(engine: Engine, outlet: str, policy: Policy) -> pd.DataFrame:
    """One row per stored snapshot, oldest first: as_of, customers, avg_assets, share_<level> (fractions)."""
    rows = []
    for snap in list_snapshots(engine, outlet):
        k = kpis(snapshot_assets(engine, snap["id"]), policy)
        row = {"as_of": pd.Timestamp(snap["as_of"]), "snapshot_id": snap["id"], "customers": k["customers"]}
        row["avg_assets"] = k["avg_assets"]
        row.update({f"share_{key}": value for key, value in k["share_at_least"].items()})
        rows.append(row)
    columns = ["as_of", "snapshot_id", "customers", "avg_assets"]
    columns += [f"share_{level_key(lv)}" for lv in policy.outcomes.share_levels]
    return pd.DataFrame(rows, columns=columns)


# ------------------------------------------------------------------------------------------ 达标有礼


def campaign_key(policy: Policy) -> str:
    """How handovers of one campaign are filed: its window as text."""
    return f"{policy.campaign.start}~{policy.campaign.end}"


@dataclass(frozen=True)
class Campaign:
    """The campaign of an outlet: its window, the two snapshots compared, the list and the totals."""

    key: str
    start: dt.date
    end: dt.date
    baseline: dict
    latest: dict
    table: pd.DataFrame
    summary: dict


def campaign(engine: Engine, outlet: str, policy: Policy) -> Campaign:
    """The 达标有礼 fulfilment of ``outlet`` under the policy's campaign window (see core.outcomes.gifts)."""
    start, end = policy.campaign.window()
    if start is None or end is None:
        raise ConsoleError(t("outcomes.campaign.no_window", "zh"))
    snaps = list_snapshots(engine, outlet)
    before = [s for s in snaps if dt.date.fromisoformat(s["as_of"]) <= start]
    inside = [s for s in snaps if start < dt.date.fromisoformat(s["as_of"]) <= end]
    if not before or not inside:
        dates = "、".join(s["as_of"] for s in snaps) or "—"
        raise ConsoleError(
            t("outcomes.campaign.no_snapshots", "zh", outlet=outlet, start=start, end=end, dates=dates)
        )
    baseline, latest = before[-1], inside[-1]
    earned = earned_gifts(
        load_customers(engine, baseline["id"]), load_customers(engine, latest["id"]), policy
    )
    key = campaign_key(policy)
    table = fulfilment(
        earned,
        load_handovers(engine, outlet, key),
        logged_handovers(load_contacts(engine, outlet, start=start, end=end), policy, start, end),
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


# ------------------------------------------------------------------------------------------ city


CITY_COLUMNS = [
    "outlet",
    "as_of",
    "customers",
    "avg_assets",
    "previous",
    "promoted",
    "demoted",
    "compliance_rate",
    "compliance_period",
    "campaign_cost",
    "campaign_earned",
]


def city(engine: Engine, *, today: dt.date | None = None) -> pd.DataFrame:
    """Every outlet side by side under its own active policy, from its two newest snapshots.

    Shares are one column per level of ``outcomes.share_levels`` (``share_10000``; the union over outlets, empty
    where an outlet's policy lacks a level), after avg_assets. Compliance is the newest month with a stored
    plan, judged on ``today``; campaign cost is the value of the gifts handed over (0 without a campaign window).
    """
    rows = []
    for outlet in list_outlets(engine):
        snaps = list_snapshots(engine, outlet)
        if not snaps:
            continue
        policy = active_policy(engine, outlet)
        last = snaps[-1]
        k = kpis(snapshot_assets(engine, last["id"]), policy)
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
                load_customers(engine, snaps[-2]["id"]),
                load_customers(engine, last["id"]),
                policy,
                date_from=dt.date.fromisoformat(snaps[-2]["as_of"]),
                date_to=dt.date.fromisoformat(last["as_of"]),
            )
            row["promoted"], row["demoted"] = result.promoted, result.demoted
        row["compliance_rate"], row["compliance_period"] = _compliance(engine, outlet, policy, today)
        try:
            summary = campaign(engine, outlet, policy).summary
            row["campaign_cost"], row["campaign_earned"] = summary["handed_value"], summary["earned"]
        except ConsoleError:
            row["campaign_cost"], row["campaign_earned"] = 0.0, 0
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in CITY_COLUMNS:
        if column not in frame.columns:
            frame[column] = np.nan
    shares = sorted((c for c in frame.columns if c.startswith("share_")), key=lambda c: float(c[6:]))
    at = CITY_COLUMNS.index("avg_assets") + 1
    return frame[[*CITY_COLUMNS[:at], *shares, *CITY_COLUMNS[at:]]]


def _compliance(
    engine: Engine, outlet: str, policy: Policy, today: dt.date | None
) -> tuple[float, str | None]:
    """The outlet's current month as 联络合规 and 概览 show it (core.services.contacts.outlet_month_compliance)."""
    from core.services.contacts import outlet_month_compliance  # the services import this module

    try:
        found = outlet_month_compliance(engine, outlet, policy=policy, as_of=today or clock.today())
    except ConsoleError:
        return np.nan, None
    if found is None:
        return np.nan, None
    rate = found.result.overall
    return (float(rate) if rate is not None else np.nan), found.month


def record_gift(
    engine: Engine,
    outlet: str,
    policy: Policy,
    *,
    customer_id: str,
    handed_on: dt.date,
    user: str,
    staff_name: str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> str:
    """Record the handover of a gift the customer earned in the policy's campaign (the level is theirs)."""
    current = campaign(engine, outlet, policy)
    found = current.table.loc[current.table["customer_id"] == str(customer_id).strip()]
    if found.empty:
        raise ConsoleError(t("outcomes.gift.not_earned", "zh", customer=customer_id))
    return record_handover(
        engine,
        outlet,
        campaign=current.key,
        customer_id=str(customer_id).strip(),
        level=float(found["level"].iloc[0]),
        handed_on=handed_on,
        user=user,
        staff_name=staff_name,
        note=note,
        today=today,
    )
