"""The month's greeting SMS, sent in one batch per person from the SMS platform, confirmed once.

A confirmation is stored as the contacts it stands for: one 短信 contact (the first counted result, e.g. 已联络)
per customer on the person's list in the stored plan of the month (``core.plan.batch_sms``), dated the day it
was sent, its note saying it is the batch. Compliance, the weekly report and 经营成效 then count the SMS as any
other logged contact; confirming again stores nothing new (the contact's natural key).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, Engine

from core.calendar import parse_month, parse_period
from core.errors import ConsoleError
from core.i18n import t
from core.plan import batch_sms
from core.policy import Policy
from core.roles import EVERYONE, STAFF, Actor
from core.services.access import require, require_writable
from core.services.uow import reading, unit_of_work
from core.storage.audit import audit
from core.storage.contact_scope import load_period_plan
from core.storage.contacts import load_contacts, store_contacts

# one row per person with a greeting SMS batch in the month's plan
BATCH_COLUMNS = ["staff", "customers", "confirmed", "sent", "confirmed_by", "confirmed_at"]


def _month(month: str) -> str:
    year, mon = parse_month(month)
    return f"{year:04d}-{mon:02d}"


def _lists(conn: Connection, outlet: str, month: str, policy: Policy) -> pd.DataFrame:
    """staff, customer_id, name of every greeting SMS in the stored plan of ``month`` (one row per customer)."""
    plan = load_period_plan(conn, outlet, month)
    if not len(plan):
        return pd.DataFrame({"staff": [], "customer_id": [], "name": []}, dtype=object)
    rows = plan.loc[batch_sms(plan, policy), ["staff", "customer_id", "name"]].astype({"staff": str})
    rows["customer_id"] = rows["customer_id"].astype(str)
    return rows.drop_duplicates(["staff", "customer_id"]).reset_index(drop=True)


def sms_batch(
    engine: Engine, actor: Actor, outlet: str, month: str, staff: str, *, policy: Policy
) -> pd.DataFrame:
    """The customers (customer_id, name) of ``staff``'s greeting SMS in the stored plan of ``month``."""
    require(actor, EVERYONE, outlet)
    with reading(engine) as conn:
        rows = _lists(conn, outlet, _month(month), policy)
    mine = rows.loc[rows["staff"] == staff, ["customer_id", "name"]]
    return mine.reset_index(drop=True)


def sms_batches(engine: Engine, actor: Actor, outlet: str, month: str, *, policy: Policy) -> pd.DataFrame:
    """The month's greeting SMS batches (BATCH_COLUMNS), one row per person: how many customers are on the list,
    how many of them have the month's SMS logged (a batch confirmation, a confirmation read from the sheet or a
    contact logged by hand), and the day sent, who confirmed and when (of the batch contacts; none when the batch
    is not confirmed). Staff see their own batch only."""
    require(actor, EVERYONE, outlet)
    month = _month(month)
    p = parse_period(month)
    channels = list(policy.compliance.channel_map["sms"])
    counted = list(policy.compliance.counted_results)
    with reading(engine) as conn:
        lists = _lists(conn, outlet, month, policy)
        own = actor.staff_name if actor.role == STAFF else None
        logged = load_contacts(conn, outlet, start=p.start, end=p.end, staff=own)
    if own is not None:
        lists = lists.loc[lists["staff"] == own]
    logged = logged.loc[logged["channel"].isin(channels) & logged["result"].isin(counted)]
    rows = []
    for staff, listed in lists.groupby("staff", sort=True):
        done = logged.loc[
            (logged["staff_name"] == staff) & logged["customer_id"].isin(set(listed["customer_id"]))
        ]
        batch = done.loc[done["note"] == t("sms.confirm.note", "zh")]
        shown = batch if len(batch) else done
        latest = shown.sort_values("created_at").iloc[-1] if len(shown) else None
        rows.append(
            {
                "staff": staff,
                "customers": len(listed),
                "confirmed": int(done["customer_id"].nunique()),
                "sent": shown["contact_date"].min().date() if latest is not None else None,
                "confirmed_by": str(latest["created_by"]) if latest is not None else None,
                "confirmed_at": latest["created_at"] if latest is not None else None,
            }
        )
    return pd.DataFrame(rows, columns=BATCH_COLUMNS)


def confirm_sms_batch(
    engine: Engine, actor: Actor, outlet: str, month: str, staff: str, *, day: dt.date, policy: Policy
) -> int:
    """Record that ``staff`` sent the month's greeting SMS batch on ``day``; returns the contacts newly stored.
    Staff confirm their own batch; the head and the admin anyone's. One transaction, audited."""
    require(actor, EVERYONE, outlet)
    require_writable(actor, outlet)
    if actor.role == STAFF and actor.staff_name != staff:
        raise ConsoleError("sms.confirm.not_own", name=staff)
    month = _month(month)
    if day.strftime("%Y-%m") != month:
        raise ConsoleError("sms.confirm.outside", day=day.isoformat(), month=month)
    with unit_of_work(engine) as conn:
        lists = _lists(conn, outlet, month, policy)
        listed = lists.loc[lists["staff"] == staff]
        if not len(listed):
            raise ConsoleError("sms.confirm.empty", name=staff, month=month)
        rows = pd.DataFrame(
            {
                "contact_date": pd.Timestamp(day),
                "staff_name": staff,
                "customer_id": listed["customer_id"].to_numpy(),
                "name": listed["name"].to_numpy(),
                "channel": policy.compliance.channel_map["sms"][0],
                "result": policy.compliance.counted_results[0],
                "note": t("sms.confirm.note", "zh"),
            }
        )
        stored = store_contacts(
            conn, outlet, rows, actor.username, t("sms.confirm.source", "zh", month=month)
        )
        audit(
            conn,
            actor.username,
            "sms.confirm",
            outlet,
            {
                "month": month,
                "staff": staff,
                "sent": day.isoformat(),
                "customers": len(rows),
                "new": stored.new,
            },
        )
    return stored.new
