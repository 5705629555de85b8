"""Contact logs and compliance: read filled-in 联络表 against the outlet, store them, judge a period."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

import pandas as pd
from sqlalchemy import Connection, Engine

from core.calendar import next_month, parse_period
from core.compliance.entry import EDITABLE, authorize, checked_entry
from core.compliance.logs import ContactImport, LogSource, read_contact_logs
from core.compliance.rules import ComplianceResult, combine_plans, compliance, requirements, trend
from core.compliance.weekly import weekly_summary, write_weekly_workbook
from core.errors import ConsoleError, StorageError
from core.history import compare
from core.policy import Policy
from core.roles import EVERYONE, MANAGERS, STAFF, Actor
from core.services.access import require, require_writable
from core.services.deferred import deferred_in
from core.services.uow import reading, unit_of_work
from core.storage.contact_scope import (
    known_customer,
    load_period_plan,
    outlet_customer_names,
    outlet_key,
    outlet_staff,
    own_customers,
    plan_first_days,
    stored_periods,
)
from core.storage.contacts import (
    StoredContacts,
    contact_row,
    delete_contact,
    insert_contact,
    load_contacts,
    store_contacts,
    update_contact,
)
from core.storage.snapshots import list_snapshots, load_customers


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
    with reading(engine) as conn:
        staff, customers = outlet_staff(conn, outlet), outlet_customer_names(conn, outlet)
        asked_from = plan_first_days(conn, outlet)
    return read_contact_logs(
        sources,
        policy=policy,
        staff=staff,
        customers=customers,
        period=period,
        lang=lang,
        asked_from=asked_from,
    )


def import_logs(engine: Engine, actor: Actor, outlet: str, got: ContactImport, source: str) -> StoredContacts:
    """Store the contacts of ``got`` in one transaction: new ones added, stored ones corrected where the file
    says otherwise (newest upload wins, the audit log keeps the earlier values), identical ones kept."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    if got.period is None and got.rows_read:
        raise ConsoleError("contacts.cli.no_dates")
    return store_contact_rows(engine, actor, outlet, got.rows, source)


def store_contact_rows(
    engine: Engine, actor: Actor, outlet: str, rows: pd.DataFrame, source: str
) -> StoredContacts:
    """Store checked contact rows (``ContactImport.rows``: the demo's simulated 联络表 too) whole and
    idempotently: a corrected row updates the stored one; returns what was new, updated and kept."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    with unit_of_work(engine) as conn:
        return store_contacts(conn, outlet, rows, actor.username, source)


@dataclass(frozen=True)
class ComplianceFigures:
    """A period's compliance and the trend over the months asked for (empty when none)."""

    result: ComplianceResult
    trend: pd.DataFrame


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
    with reading(engine) as conn:
        return _period_compliance(
            conn, outlet, period, policy=policy, as_of=as_of, staff=staff, trend_months=trend_months
        )


def _period_compliance(
    conn: Connection,
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
    plan = combine_plans([load_period_plan(conn, outlet, m) for m in months])
    req = requirements(plan, policy)
    if staff is not None:
        req = req.loc[req["staff"] == staff].reset_index(drop=True)
    if len(req):
        start, end = req["window_start"].min().date(), req["window_end"].max().date()
        contacts = load_contacts(conn, outlet, start=start, end=end)
    else:
        contacts = load_contacts(conn, outlet, start=as_of, end=as_of)
    result = compliance(req, contacts, policy, period, as_of=as_of)
    monthly = trend(req, contacts, policy, list(trend_months), as_of=as_of)
    return ComplianceFigures(result=result, trend=monthly)


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
    conn: Connection, outlet: str, *, policy: Policy, as_of: dt.date, staff: str | None = None
) -> MonthCompliance | None:
    """The one compliance figure of an outlet's current month (概览, 全市网点 and 联络合规's month view agree by
    calling this or :func:`period_compliance` on the same month); None without a stored plan that has begun.
    No role check: :func:`current_compliance` and the city overview check the caller, inside their transaction."""
    months = [m for m in stored_periods(conn, outlet) if parse_period(m).start <= as_of]
    if not months:
        return None
    month = months[-1]
    figures = _period_compliance(conn, outlet, month, policy=policy, as_of=as_of, staff=staff)
    p = parse_period(month)
    end = min(p.end, as_of)
    logged = load_contacts(conn, outlet, start=p.start, end=end, staff=staff)
    return MonthCompliance(month=month, figures=figures, logged=len(logged), start=p.start, end=end)


def current_compliance(
    engine: Engine, actor: Actor, outlet: str, *, policy: Policy, as_of: dt.date
) -> MonthCompliance | None:
    """:func:`outlet_month_compliance` for someone allowed to see the outlet (staff: their own figures)."""
    require(actor, EVERYONE, outlet)
    staff = actor.staff_name if actor.role == STAFF else None
    with reading(engine) as conn:
        return outlet_month_compliance(conn, outlet, policy=policy, as_of=as_of, staff=staff)


def weekly_report(
    engine: Engine,
    actor: Actor,
    outlet: str,
    result: ComplianceResult,
    policy: Policy,
    target: str | os.PathLike | IO[bytes],
) -> pd.DataFrame:
    """The one-page weekly summary of ``result`` (a week's compliance) written to ``target``; returns its rows:
    the outlet's logged contacts over the requirements' windows and 达标 from its exports (the last export before
    the week against the last one in it). Staff get their own row only."""
    require(actor, EVERYONE, outlet)
    only = actor.staff_name if actor.role == STAFF else None
    p = result.period
    end = min(p.end, result.as_of) if result.as_of is not None else p.end
    req = result.requirements
    start = min(req["window_start"].min().date(), p.start) if len(req) else p.start
    levels, between = None, None
    with reading(engine) as conn:
        contacts = load_contacts(conn, outlet, start=start, end=end, staff=only)
        stored = [(dt.date.fromisoformat(s["as_of"]), s["id"]) for s in list_snapshots(conn, outlet)]
        before = [s for s in stored if s[0] < p.start]
        after = [s for s in stored if p.start <= s[0] <= end]
        if before and after:
            (d0, id0), (d1, id1) = before[-1], after[-1]
            levels = compare(load_customers(conn, id0), load_customers(conn, id1), policy).fulfilment
            between = (d0, d1)
        deferred = deferred_in(conn, outlet, p, staff=only).by_staff
    summary = weekly_summary(result, contacts, policy, levels=levels, deferred=deferred)
    write_weekly_workbook(target, summary, result, policy, outlet=outlet, levels_between=between)
    return summary


def log_contact(
    engine: Engine, actor: Actor, outlet: str, *, policy: Policy, today: dt.date, **values
) -> int:
    """Log one contact from the console; returns its id. Who may log what is checked in the same transaction
    (core.compliance.entry): staff only as themselves and for their own customers."""
    require_writable(actor, outlet)
    checked = checked_entry(values, policy, today)
    with unit_of_work(engine) as conn:
        oid = outlet_key(conn, outlet)
        _authorize(conn, actor, outlet, oid, checked["staff_name"], checked["customer_id"])
        if not known_customer(conn, oid, checked["customer_id"]):
            raise StorageError("contacts.row.unknown_customer", value=checked["customer_id"])
        return insert_contact(conn, outlet, oid, checked, user=actor.username)


def correct_contact(
    engine: Engine, actor: Actor, contact_id: int, *, policy: Policy, today: dt.date, **changes
) -> None:
    """Correct a logged contact (fields in EDITABLE); the audit log keeps the values before and after. Who may is
    checked on the contact as it was and as it becomes."""
    require_writable(actor)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise StorageError("contacts.entry.fields", fields=list(unknown), allowed=list(EDITABLE))
    values = checked_entry(changes, policy, today)
    with unit_of_work(engine) as conn:
        before, outlet = contact_row(conn, contact_id)
        oid = before["outlet_id"]
        _authorize(conn, actor, outlet, oid, before["staff_name"], before["customer_id"])
        after = {**{k: before[k] for k in EDITABLE}, **values}
        _authorize(conn, actor, outlet, oid, after["staff_name"], after["customer_id"])
        if after["customer_id"] != before["customer_id"] and not known_customer(
            conn, oid, after["customer_id"]
        ):
            raise StorageError("contacts.row.unknown_customer", value=after["customer_id"])
        update_contact(conn, contact_id, before, values, outlet, user=actor.username)


def remove_contact(engine: Engine, actor: Actor, contact_id: int) -> None:
    """Delete a logged contact; the audit log keeps the whole row."""
    require_writable(actor)
    with unit_of_work(engine) as conn:
        before, outlet = contact_row(conn, contact_id)
        _authorize(conn, actor, outlet, before["outlet_id"], before["staff_name"], before["customer_id"])
        delete_contact(conn, contact_id, before, outlet, user=actor.username)


def _authorize(
    conn: Connection, actor: Actor, outlet: str, oid: int, staff_name: str, customer_id: str
) -> None:
    """core.compliance.entry's rule, with the staff member's own customers read in this transaction."""
    authorize(actor, outlet, staff_name, customer_id, lambda: own_customers(conn, oid, str(actor.staff_name)))
