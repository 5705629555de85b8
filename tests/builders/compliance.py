"""Plan rows, 731 reminders and logged contacts built from short arguments, and the engine run on them."""

from __future__ import annotations

import pandas as pd

from core.compliance import compliance
from core.policy import Policy

POLICY = Policy.default()


def plan_row(
    customer: str, channel: str, due: str, *, tier: str = "mid", staff: str = "李娜", **extra
) -> dict:
    return {
        "staff": staff,
        "customer_id": customer,
        "name": f"客户{customer}",
        "tier": tier,
        "channel": channel,
        "kind": "cadence",
        "due_date": due,
        **extra,
    }


def reminder(customer: str, offset: int, due: str, maturity: str, staff: str = "王强") -> dict:
    return plan_row(
        customer,
        "phone",
        due,
        tier="basic",
        staff=staff,
        kind="reminder_731",
        offset=offset,
        maturity_date=maturity,
    )


def contact(customer: str, channel: str, day: str, result: str = "已联络", staff: str = "李娜") -> dict:
    return {
        "staff_name": staff,
        "customer_id": customer,
        "channel": channel,
        "result": result,
        "contact_date": day,
    }


def judge(plan: list[dict], log: list[dict], period: str = "2026-11", **kw):
    contacts = pd.DataFrame(log, columns=["staff_name", "customer_id", "channel", "result", "contact_date"])
    return compliance(pd.DataFrame(plan), contacts, POLICY, period, **kw)


MATURITY = "2026-11-20"  # a Friday: reminders on Fri 13th, Tue 17th, Thu 19th
REMINDERS = [
    reminder("M1", 7, "2026-11-13", MATURITY),
    reminder("M1", 3, "2026-11-17", MATURITY),
    reminder("M1", 1, "2026-11-19", MATURITY),
]
