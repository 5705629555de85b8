"""The month's greeting SMS, sent in one batch per person from the SMS platform, confirmed once.

A confirmation is stored as the contacts it stands for: one 短信 contact (the first counted result, e.g. 已联络)
per customer on the person's list in the stored plan of the month (``core.plan.batch_sms``), dated the day it
was sent, its note saying it is the batch. Compliance, the weekly report and 经营成效 then count the SMS as any
other logged contact; confirming again stores nothing new (the contact's natural key).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from core.calendar import parse_month
from core.errors import ConsoleError
from core.i18n import t
from core.plan import batch_sms
from core.policy import Policy
from core.roles import EVERYONE, STAFF, Actor
from core.services.access import require, require_writable
from core.storage.contacts import load_period_plan, store_contacts


def sms_batch(
    engine: Engine, actor: Actor, outlet: str, month: str, staff: str, *, policy: Policy
) -> pd.DataFrame:
    """The customers (customer_id, name) of ``staff``'s greeting SMS in the stored plan of ``month``."""
    require(actor, EVERYONE, outlet)
    year, mon = parse_month(month)
    plan = load_period_plan(engine, outlet, f"{year:04d}-{mon:02d}")
    rows = plan.loc[batch_sms(plan, policy) & (plan["staff"].astype(str) == staff)]
    return rows[["customer_id", "name"]].drop_duplicates("customer_id").reset_index(drop=True)


def confirm_sms_batch(
    engine: Engine, actor: Actor, outlet: str, month: str, staff: str, *, day: dt.date, policy: Policy
) -> int:
    """Record that ``staff`` sent the month's greeting SMS batch on ``day``; returns the contacts newly stored.
    Staff confirm their own batch; the head and the admin anyone's."""
    require(actor, EVERYONE, outlet)
    require_writable(actor, outlet)
    if actor.role == STAFF and actor.staff_name != staff:
        raise ConsoleError(t("sms.confirm.not_own", "zh", name=staff))
    year, mon = parse_month(month)
    if (day.year, day.month) != (year, mon):
        raise ConsoleError(t("sms.confirm.outside", "zh", day=day.isoformat(), month=f"{year:04d}-{mon:02d}"))
    listed = sms_batch(engine, actor, outlet, month, staff, policy=policy)
    if not len(listed):
        raise ConsoleError(t("sms.confirm.empty", "zh", name=staff, month=f"{year:04d}-{mon:02d}"))
    channel = policy.compliance.channel_map["sms"][0]
    result = policy.compliance.counted_results[0]
    rows = pd.DataFrame(
        {
            "contact_date": pd.Timestamp(day),
            "staff_name": staff,
            "customer_id": listed["customer_id"].astype(str).to_numpy(),
            "name": listed["name"].to_numpy(),
            "channel": channel,
            "result": result,
            "note": t("sms.confirm.note", "zh"),
        }
    )
    return store_contacts(engine, outlet, rows, actor.username, t("sms.confirm.source", "zh", month=month))
