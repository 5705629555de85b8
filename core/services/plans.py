"""A month's plan: who looks after whom, the contacts owed, the workload; and publishing it for staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine

from core.assign import Assignment
from core.calendar import parse_month, quarter_start
from core.compliance.rules import cadence_periods
from core.errors import StorageError
from core.handout import Handout
from core.i18n import t
from core.plan import familiarity_warnings, quarter_met, winback_targets, with_recorded_familiarity
from core.policy import Policy
from core.roles import EVERYONE, MANAGERS, Actor
from core.roster import Roster, as_roster
from core.schedule import MonthPlan, fit_warnings, plan_month
from core.services.access import require, require_writable
from core.services.imports import ExportRead, store_export
from core.services.uow import reading, unit_of_work
from core.storage.contacts import load_contacts, load_familiarity
from core.storage.handouts import load_handout, save_handout
from core.storage.outlets import save_staff
from core.storage.plans import save_assignment
from core.storage.snapshots import find_snapshot, list_snapshots, load_customers_with_maturities


@dataclass(frozen=True)
class PlanBundle:
    """What the 任务分配 page, the ``assign`` command and the workbooks need, computed once."""

    seg: pd.DataFrame
    assignment: Assignment
    plan: pd.DataFrame
    workload: pd.DataFrame
    items: pd.DataFrame | None
    month: str
    fitted: MonthPlan  # core.schedule: the moves, the deferrals and each contact's day
    roster: Roster
    warnings: tuple[str, ...] = ()  # what the plan could not know (no contact log, no familiarity)
    carried: pd.DataFrame | None = None  # last month's published deferrals fed to the planner (DEFERRED_ROW)
    winback: pd.DataFrame | None = None  # the 挽回 calls owed (core.plan.winback_targets)

    @property
    def deferred(self) -> pd.DataFrame:
        return self.fitted.deferred

    @property
    def moves(self) -> pd.DataFrame:
        return self.fitted.moves


@dataclass(frozen=True)
class OutletRecords:
    """What the outlet's storage tells a month's plan, whatever the policy (so a what-if reads it once)."""

    log: (
        pd.DataFrame | None
    )  # contacts from the quarter's first day to the month's eve; None in its first month
    familiarity: pd.DataFrame | None  # the 熟识程度 recorded on 联络表 sheets
    carried: pd.DataFrame | None  # the previous month's published deferrals (previous_deferred)
    before: (
        pd.DataFrame | None
    )  # the customers of the snapshot before ``as_of`` (previous_snapshot_customers)


def outlet_records(
    engine: Engine, outlet: str, month: str | tuple[int, int], as_of: dt.date
) -> OutletRecords:
    """The outlet's records a plan of ``month`` made from the ``as_of`` snapshot reads (:class:`OutletRecords`)."""
    year, mon = parse_month(month)
    first_day = quarter_start((year, mon))
    with reading(engine) as conn:
        log = None
        if first_day < dt.date(year, mon, 1):
            log = load_contacts(
                conn, outlet, start=first_day, end=dt.date(year, mon, 1) - dt.timedelta(days=1)
            )
        return OutletRecords(
            log=log,
            familiarity=load_familiarity(conn, outlet),
            carried=previous_deferred(conn, outlet, (year, mon)),
            before=previous_snapshot_customers(conn, outlet, as_of),
        )


def plan_bundle(
    seg: pd.DataFrame,
    roster: Roster,
    policy: Policy,
    month: str | tuple[int, int],
    as_of: dt.date,
    items: pd.DataFrame | None = None,
    *,
    engine: Engine | None = None,
    outlet: str | None = None,
    records: OutletRecords | None = None,
) -> PlanBundle:
    """Assign the segmented customers to the roster and plan ``month``'s contacts (reminders from the day after
    ``as_of``) so that they fit capacity: rebalanced, scheduled by day, the rest deferred (core.schedule).

    With the outlet's storage (``engine`` and ``outlet``), its contact log says which quarterly duties were
    already met this quarter and the latest 熟识程度 recorded on a 联络表 orders the lists, the contacts deferred
    in the previous month's published plan come back first with their original date (``carried``), and every
    customer whose deposit matured and whose money left since the outlet's previous snapshot (the outflow alert
    of 历史对比, that snapshot against ``seg``) gets a 挽回 call (``winback``); without it every quarterly duty
    is owed and a warning says so. ``records`` (:func:`outlet_records`, read once for several policies) stands
    for that storage."""
    year, mon = parse_month(month)
    label = f"{year:04d}-{mon:02d}"
    warnings: list[str] = []
    met = carried = winback = None
    if records is None and engine is not None and outlet is not None:
        records = outlet_records(engine, outlet, (year, mon), as_of)
    if records is not None:
        if records.log is not None:
            met = quarter_met(records.log, policy, (year, mon))
        seg = with_recorded_familiarity(seg, records.familiarity)
        carried = records.carried
        kept = still_owed(carried, seg, policy)
        dropped = (len(carried) if carried is not None else 0) - (len(kept) if kept is not None else 0)
        if dropped:
            warnings.append(t("plan.warn.carried_tier", "zh", n=f"{dropped:,}"))
        carried = kept
        if records.before is not None:
            winback = winback_targets(records.before, seg, policy, as_of)
    elif (mon - 1) % 3 and any(c.period == "quarter" for tier in policy.tiers for c in tier.cadence):
        warnings.append(t("plan.warn.no_log", "zh"))
    warnings += familiarity_warnings(seg, policy)
    fitted = plan_month(
        seg,
        roster,
        policy,
        label,
        items,
        reminders_from=as_of + dt.timedelta(days=1),
        met_this_quarter=met,
        carried=carried,
        winback=winback,
    )
    return PlanBundle(
        seg=seg,
        assignment=fitted.assignment,
        plan=fitted.plan,
        workload=fitted.workload,
        items=items,
        month=label,
        fitted=fitted,
        roster=as_roster(roster, policy),
        warnings=tuple(warnings),
        carried=carried,
        winback=winback,
    )


def previous_deferred(conn: Connection, outlet: str, month: tuple[int, int]) -> pd.DataFrame | None:
    """The contacts deferred in the outlet's published plan of the month before ``month`` (the newest snapshot's
    publication of it), None when that month was not published."""
    year, mon = month
    before = f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"
    stored = load_handout(conn, outlet, before)
    if stored is None:
        return None
    frame = stored["frames"].get("deferred")
    return frame if frame is not None and len(frame) else None


def still_owed(carried: pd.DataFrame | None, seg: pd.DataFrame, policy: Policy) -> pd.DataFrame | None:
    """The deferred contacts whose channel the customer's tier of this month still has a cadence for: one whose
    customer moved to a tier without that channel is owed by the new tier's own cadence instead (the stored plan
    needs each cadence row's period, ``plan_rows_with_periods``)."""
    if carried is None:
        return None
    tier = seg.assign(customer_id=seg["customer_id"].astype(str)).drop_duplicates("customer_id")
    now = carried["customer_id"].astype(str).map(tier.set_index("customer_id")["tier"].astype(str))
    channels = {(code.code, c.channel) for code in policy.tiers for c in code.cadence}
    gone = now.isna().to_numpy()  # no longer in the export: the planner drops them without a word
    keep = [
        bool(g) or (t_, ch) in channels
        for g, t_, ch in zip(gone, now.astype(str), carried["channel"].astype(str), strict=True)
    ]
    kept = carried.loc[keep].reset_index(drop=True)
    return kept if len(kept) else None


def previous_snapshot_customers(conn: Connection, outlet: str, as_of: dt.date) -> pd.DataFrame | None:
    """The customers (maturities merged in) of the outlet's newest snapshot dated before ``as_of``: the earlier
    side of the outflow comparison that owes 挽回 calls; None when the outlet has none."""
    earlier = [s for s in list_snapshots(conn, outlet) if dt.date.fromisoformat(s["as_of"]) < as_of]
    if not earlier:
        return None
    return load_customers_with_maturities(conn, int(earlier[-1]["id"]))


def handout_of(bundle: PlanBundle, policy: Policy, as_of: dt.date, outlet: str | None) -> Handout:
    """What publishing ``bundle`` keeps and every workbook is written from (``core.handout``)."""
    warnings = [*bundle.assignment.warnings, *fit_warnings(bundle.fitted), *bundle.warnings]
    return Handout(
        outlet=outlet,
        month=bundle.month,
        as_of=as_of,
        policy=policy,
        seg=bundle.seg,
        assignment=bundle.assignment,
        plan=bundle.plan,
        deferred=bundle.deferred,
        workload=bundle.workload,
        items=bundle.items,
        warnings=tuple(warnings),
    )


def published_handout(
    engine: Engine, actor: Actor, outlet: str, period: str, *, snapshot_id: int | None = None
) -> Handout | None:
    """The plan of ``period`` as published (of one snapshot, else the newest), None when none was published.
    Staff may read it: what they see of it goes through ``core.services.staff_view``."""
    require(actor, EVERYONE, outlet)
    with reading(engine) as conn:
        stored = load_handout(conn, outlet, period, snapshot_id)
    return Handout.from_stored(outlet, stored) if stored is not None else None


def plan_rows_with_periods(plan: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The plan as stored: cadence rows carry their period (week, month, quarter) so later policy edits do not
    change what was owed."""
    rows = plan.copy()
    cadence = rows["kind"] == "cadence"
    rows["period_kind"] = pd.Series(pd.NA, index=rows.index, dtype=object)
    if cadence.any():
        rows.loc[cadence, "period_kind"] = cadence_periods(rows.loc[cadence], policy).to_numpy()
    return rows


def publish_plan(
    engine: Engine,
    actor: Actor,
    outlet: str,
    bundle: PlanBundle,
    *,
    policy: Policy,
    as_of: dt.date,
    export: ExportRead | None = None,
) -> dict[str, Any]:
    """Store the assignment and the month's plan beside the outlet's snapshot of ``as_of`` so that staff see it
    and contact logs are checked against it, and the whole plan as handed out (``core.handout``: notes,
    deferrals, workload, the policy) in the same transaction; returns what was stored.

    Without a snapshot of that date, ``export`` is imported first (none given: refused). A snapshot of that date
    from another file is not overwritten: it must be replaced by importing again first.
    """
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    rows = plan_rows_with_periods(bundle.plan, policy)
    with unit_of_work(engine) as conn:
        found = find_snapshot(conn, outlet, as_of)
        if found is None:
            if export is None:
                raise StorageError("services.publish.no_snapshot", outlet=outlet, as_of=as_of.isoformat())
            snapshot_id, how = store_export(conn, actor, outlet, export), "imported"
        elif (
            export is not None
            and found.get("sha256")
            and export.result.sha256
            and (found["sha256"] != export.result.sha256)
        ):
            raise StorageError(
                "contacts.plan.other_file",
                outlet=outlet,
                as_of=as_of.isoformat(),
                file=found.get("file_name"),
            )
        else:
            snapshot_id, how = int(found["id"]), "existing"
        stored = save_assignment(
            conn, snapshot_id, bundle.assignment.table, rows, bundle.month, user=actor.username
        )
        handout = handout_of(bundle, policy, as_of, outlet)
        save_handout(
            conn,
            snapshot_id,
            bundle.month,
            as_of=as_of,
            policy_toml=policy.to_toml(),
            meta=handout.meta(),
            frames=handout.frames(),
            user=actor.username,
        )
    return {
        "outlet": outlet,
        "snapshot_id": snapshot_id,
        "snapshot": how,
        "period": bundle.month,
        "plan_rows": stored,
    }


def save_roster(engine: Engine, actor: Actor, outlet: str, staff: pd.DataFrame) -> int:
    """Replace the outlet's roster (a checked ``Roster.staff`` frame); returns how many people it holds."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    with unit_of_work(engine) as conn:
        return save_staff(conn, outlet, staff, user=actor.username)
