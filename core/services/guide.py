"""The month's steps for one outlet and its last finished month (概览): read in one transaction, judged by the
rules of ``core.guide`` and ``core.compliance``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine

from core.calendar import default_plan_month, month_bounds
from core.guide import STALE_DAYS, MonthGuide, Step, policy_detail, roster_detail
from core.roles import EVERYONE, Actor
from core.services.access import require
from core.services.uow import reading
from core.storage.contacts import load_contacts
from core.storage.outlets import load_staff
from core.storage.plans import plan_periods
from core.storage.policies import active_policy_version
from core.storage.snapshots import list_snapshots


def month_guide(engine: Engine, actor: Actor, outlet: str, today: dt.date) -> MonthGuide:
    """The steps of the month the newest snapshot plans for, each done or not, with the figure that shows it."""
    require(actor, EVERYONE, outlet)
    with reading(engine) as conn:
        return _month_guide(conn, outlet, today)


def _month_guide(conn: Connection, outlet: str, today: dt.date) -> MonthGuide:
    snaps = sorted(list_snapshots(conn, outlet=outlet), key=lambda s: s["as_of"])
    policy, version = active_policy_version(conn, outlet)
    staff = load_staff(conn, outlet)
    if not snaps:
        steps = [Step("import", False, "guide.detail.no_snapshot")]
        steps.append(Step("strategy", version is not None, *policy_detail(version)))
        steps.append(Step("roster", not staff.empty, *roster_detail(len(staff))))
        steps += [Step(k, False, f"guide.detail.{k}_wait") for k in ("publish", "contact", "review")]
        return MonthGuide(None, tuple(steps))
    snap = snaps[-1]
    as_of = dt.date.fromisoformat(snap["as_of"])
    age = (today - as_of).days
    year, mon = default_plan_month(as_of, policy)
    month = f"{year:04d}-{mon:02d}"
    steps = [
        Step(
            "import",
            age <= STALE_DAYS,
            "guide.detail.snapshot" if age <= STALE_DAYS else "guide.detail.snapshot_old",
            {"as_of": snap["as_of"], "customers": snap["customers"], "days": age},
        ),
        Step("strategy", version is not None, *policy_detail(version)),
        Step("roster", not staff.empty, *roster_detail(len(staff))),
    ]
    published = month in plan_periods(conn, int(snap["id"]))
    steps.append(
        Step(
            "publish",
            published,
            "guide.detail.published" if published else "guide.detail.not_published",
            {"month": month},
        )
    )
    first, last = month_bounds(year, mon)
    logged = 0
    if published:
        logged = len(load_contacts(conn, outlet, start=first.item(), end=last.item()))
    steps.append(
        Step(
            "contact",
            logged > 0,
            "guide.detail.contacts" if published else "guide.detail.contact_wait",
            {"n": logged, "month": month},
        )
    )
    steps.append(Step("review", logged > 0 and today >= last.item(), "guide.detail.review", {"month": month}))
    return MonthGuide(month, tuple(steps))
