"""延后 N: how many contacts the published plans of a period deferred (they did not fit capacity and come back
first next month, ``core.services.plans.plan_bundle``), in total and per person.

One function computes N for every page and the CLI: 联络合规, the weekly report, 经营成效, 全市网点 and
``python -m core compliance`` show it beside their compliance figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Connection, Engine

from core.calendar import Period, parse_period
from core.i18n import t
from core.roles import EVERYONE, STAFF, Actor
from core.services.access import require
from core.services.uow import reading
from core.storage.handouts import load_handout


@dataclass(frozen=True)
class DeferredCount:
    """The deferred contacts of ``period``'s published plans: ``total`` and ``by_staff`` (person -> N; a person
    with none is absent), and the months whose plan was published (``published``)."""

    period: str
    total: int
    by_staff: dict[str, int] = field(default_factory=dict)
    published: tuple[str, ...] = ()

    def of(self, staff: str | None) -> int:
        """N of one person (the total when ``staff`` is None)."""
        return self.total if staff is None else int(self.by_staff.get(staff, 0))


def deferred_count(
    engine: Engine, actor: Actor, outlet: str, period: str | Period, *, staff: str | None = None
) -> DeferredCount:
    """N for ``period`` ('2026-12', '2026-W49', '2026-Q4') at ``outlet``. Staff get their own N only."""
    require(actor, EVERYONE, outlet)
    if actor.role == STAFF:
        staff = actor.staff_name
    with reading(engine) as conn:
        return deferred_in(conn, outlet, period, staff=staff)


def deferred_between(
    engine: Engine, actor: Actor, outlet: str, after: dt.date, until: dt.date, *, staff: str | None = None
) -> DeferredCount:
    """N of the plans in effect between two exports (经营成效's pair): the months from the day after ``after`` to
    ``until``."""
    start = after + dt.timedelta(days=1)
    label = t("deferred.between", "zh", start=start.isoformat(), end=until.isoformat())
    return deferred_count(engine, actor, outlet, Period(label, "range", start, until), staff=staff)


def deferred_in(
    conn: Connection, outlet: str, period: str | Period, *, staff: str | None = None
) -> DeferredCount:
    """:func:`deferred_count` inside the caller's transaction (no role check: the caller made it).

    A month or a quarter counts every contact deferred by the published plans of its months; a week counts those
    of its months' plans that were planned for a day of the week (a contact deferred again keeps its first date,
    so it counts in its month, not in a week of it)."""
    p = parse_period(period)
    frames, published = [], []
    for month in p.months():
        stored = load_handout(conn, outlet, month)
        if stored is None:
            continue
        published.append(month)
        frame = stored["frames"].get("deferred")
        if frame is not None and len(frame):
            frames.append(frame[["staff", "due_date"]])
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"staff": [], "due_date": []})
    if p.kind == "week" and len(rows):
        days = pd.to_datetime(rows["due_date"]).dt.date
        rows = rows.loc[(days >= p.start) & (days <= p.end)]
    if staff is not None:
        rows = rows.loc[rows["staff"].astype(str) == staff]
    counts = rows["staff"].astype(str).value_counts()
    by_staff = {str(k): int(v) for k, v in sorted(counts.items())}
    return DeferredCount(period=p.label, total=len(rows), by_staff=by_staff, published=tuple(published))
