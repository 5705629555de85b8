"""Contact logs and compliance: read filled-in 联络表 against the outlet, store them, judge a period."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

import pandas as pd
from sqlalchemy import Engine

from core.calendar import next_month, parse_period
from core.compliance.logs import ContactImport, LogSource, read_contact_logs
from core.compliance.rules import ComplianceResult, combine_plans, compliance, requirements, trend
from core.compliance.weekly import write_outlet_weekly
from core.errors import ConsoleError
from core.i18n import t
from core.policy import Policy
from core.roles import EVERYONE, MANAGERS, STAFF, Actor
from core.services.access import require, require_writable
from core.storage.contacts import (
    StoredContacts,
    add_contact,
    delete_contact,
    load_contacts,
    load_period_plan,
    outlet_customer_names,
    outlet_staff,
    plan_first_days,
    store_contacts,
    stored_periods,
    update_contact,
)
from core.storage.engine import write_connection


def read_logs(
    engine: Engine,
    actor: Actor,
    outlet: str,
    sources: Sequence[LogSource],
    *,
    policy: Policy,
    period: str | None = None,
    lang: str = "zh",
) -> ContactImport:
    """Read and check filled-in logs against the outlet's staff and customers, names included (nothing stored)."""
    require(actor, MANAGERS, outlet)
    with engine.connect() as conn:
        customers = outlet_customer_names(conn, outlet)
    return read_contact_logs(
        sources,
        policy=policy,
        staff=outlet_staff(engine, outlet),
        customers=customers,
        period=period,
        lang=lang,
        asked_from=plan_first_days(engine, outlet),
    )


def import_logs(engine: Engine, actor: Actor, outlet: str, got: ContactImport, source: str) -> StoredContacts:
    """Store the contacts of ``got`` in one transaction: new ones added, stored ones corrected where the file
    says otherwise (newest upload wins, the audit log keeps the earlier values), identical ones kept."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    if got.period is None and got.rows_read:
        raise ConsoleError(t("contacts.cli.no_dates", "zh"))
    with write_connection(engine) as conn:
        return store_contacts(conn, outlet, got.rows, actor.username, source)


@dataclass(frozen=True)
class ComplianceFigures:
    """A period's compliance and the trend over the months asked for (empty when none)."""

    result: ComplianceResult
    trend: pd.DataFrame


def _period_compliance(
    engine: Engine,
    outlet: str,
    period: str,
    *,
    policy: Policy,
    as_of: dt.date,
    staff: str | None = None,
    trend_months: Sequence[str] = (),
) -> ComplianceFigures:
    wanted = [*parse_period(period).months(), *trend_months]
    # the month after: a plan made ahead holds the reminders due before its month (counted when they were due)
    months = sorted({*wanted, next_month(max(wanted))})
    plan = combine_plans([load_period_plan(engine, outlet, m) for m in months])
    req = requirements(plan, policy)
    if staff is not None:
        req = req.loc[req["staff"] == staff].reset_index(drop=True)
    if len(req):
        start, end = req["window_start"].min().date(), req["window_end"].max().date()
        contacts = load_contacts(engine, outlet, start=start, end=end)
    else:
        contacts = load_contacts(engine, outlet, start=as_of, end=as_of)
    result = compliance(req, contacts, policy, period, as_of=as_of)
    monthly = trend(req, contacts, policy, list(trend_months), as_of=as_of)
    return ComplianceFigures(result=result, trend=monthly)


def period_compliance(
    engine: Engine,
    actor: Actor,
    outlet: str,
    period: str,
    *,
    policy: Policy,
    as_of: dt.date,
    staff: str | None = None,
    trend_months: Sequence[str] = (),
) -> ComplianceFigures:
    """The outlet's stored plans of the period (and trend months) against its logged contacts, as of ``as_of``.
    The plan of the month after is read too: a duty counts in the period it was due, whichever plan holds it
    (``core.compliance.rules.combine_plans`` keeps each duty once).

    Staff see only their own requirements, whatever ``staff`` says.
    """
    require(actor, EVERYONE, outlet)
    if actor.role == STAFF:
        staff = actor.staff_name
    return _period_compliance(
        engine, outlet, period, policy=policy, as_of=as_of, staff=staff, trend_months=trend_months
    )


@dataclass(frozen=True)
class MonthCompliance:
    """The outlet's compliance month as of a day (the newest stored plan month that has begun) and the contacts
    logged in it: ``logged`` counts contacts dated from ``start`` to ``end`` (the month's first day to the as-of
    day), so a label can say which days it covers."""

    month: str
    figures: ComplianceFigures
    logged: int
    start: dt.date
    end: dt.date

    @property
    def result(self) -> ComplianceResult:
        return self.figures.result


def outlet_month_compliance(
    engine: Engine, outlet: str, *, policy: Policy, as_of: dt.date, staff: str | None = None
) -> MonthCompliance | None:
    """The one compliance figure of an outlet's current month (概览, 全市网点 and 联络合规's month view agree by
    calling this or :func:`period_compliance` on the same month); None without a stored plan that has begun.
    No role check: :func:`current_compliance` and the city overview check the caller."""
    months = [m for m in stored_periods(engine, outlet) if parse_period(m).start <= as_of]
    if not months:
        return None
    month = months[-1]
    figures = _period_compliance(engine, outlet, month, policy=policy, as_of=as_of, staff=staff)
    p = parse_period(month)
    end = min(p.end, as_of)
    logged = load_contacts(engine, outlet, start=p.start, end=end, staff=staff)
    return MonthCompliance(month=month, figures=figures, logged=len(logged), start=p.start, end=end)


def current_compliance(
    engine: Engine, actor: Actor, outlet: str, *, policy: Policy, as_of: dt.date
) -> MonthCompliance | None:
    """:func:`outlet_month_compliance` for someone allowed to see the outlet (staff: their own figures)."""
    require(actor, EVERYONE, outlet)
    staff = actor.staff_name if actor.role == STAFF else None
    return outlet_month_compliance(engine, outlet, policy=policy, as_of=as_of, staff=staff)


def weekly_report(
    engine: Engine,
    actor: Actor,
    outlet: str,
    result: ComplianceResult,
    policy: Policy,
    target: str | os.PathLike | IO[bytes],
) -> pd.DataFrame:
    """The one-page weekly summary of ``result`` (a week's compliance) written to ``target``; returns its rows.
    Staff get their own row only."""
    require(actor, EVERYONE, outlet)
    only = actor.staff_name if actor.role == STAFF else None
    return write_outlet_weekly(target, engine, outlet, result, policy, only=only)


def log_contact(
    engine: Engine, actor: Actor, outlet: str, *, policy: Policy, today: dt.date, **values
) -> int:
    """Log one contact from the console; returns its id. Who may log what is checked in the same transaction
    (core.compliance.entry): staff only as themselves and for their own customers."""
    require_writable(actor, outlet)
    return add_contact(engine, actor, outlet, policy=policy, today=today, **values)


def correct_contact(
    engine: Engine, actor: Actor, contact_id: int, *, policy: Policy, today: dt.date, **changes
) -> None:
    """Correct a logged contact; the audit log keeps the values before and after."""
    require_writable(actor)
    update_contact(engine, actor, contact_id, policy=policy, today=today, **changes)


def remove_contact(engine: Engine, actor: Actor, contact_id: int) -> None:
    """Delete a logged contact; the audit log keeps the whole row."""
    require_writable(actor)
    delete_contact(engine, actor, contact_id)
