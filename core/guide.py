"""The month's steps for one outlet (导入 → 策略 → 分配 → 发布 → 联络 → 合规/成效): what is done, what is next.

Read from storage only; the 概览 page draws it and links each step to the page that does it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from core.calendar import default_plan_month, month_bounds
from core.storage import active_policy_version, list_snapshots, load_staff
from core.storage.contacts import load_contacts
from core.storage.plans import plan_periods

STEPS = ("import", "strategy", "roster", "publish", "contact", "review")
PAGE_OF = {
    "import": "upload",
    "strategy": "strategy",
    "roster": "assignment",
    "publish": "assignment",
    "contact": "compliance",
    "review": "compliance",
}
STALE_DAYS = 40  # an export older than this is last month's: the month starts with a new import


@dataclass(frozen=True)
class Step:
    key: str
    done: bool
    detail: str  # message key (guide.detail.*)
    fields: dict[str, object] = field(default_factory=dict)

    @property
    def page(self) -> str:
        return PAGE_OF[self.key]


@dataclass(frozen=True)
class MonthGuide:
    month: str | None  # the plan month ('YYYY-MM') the steps are for; None before the first import
    steps: tuple[Step, ...]

    @property
    def next(self) -> Step | None:
        """The first step not done yet (None when the month is complete)."""
        return next((s for s in self.steps if not s.done), None)


def month_guide(engine: Engine, outlet: str, today: dt.date) -> MonthGuide:
    """The steps of the month the newest snapshot plans for, each done or not, with the figure that shows it."""
    snaps = sorted(list_snapshots(engine, outlet=outlet), key=lambda s: s["as_of"])
    policy, version = active_policy_version(engine, outlet)
    staff = load_staff(engine, outlet)
    if not snaps:
        steps = [Step("import", False, "guide.detail.no_snapshot")]
        steps.append(Step("strategy", version is not None, *_policy_detail(version)))
        steps.append(Step("roster", not staff.empty, *_roster_detail(len(staff))))
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
        Step("strategy", version is not None, *_policy_detail(version)),
        Step("roster", not staff.empty, *_roster_detail(len(staff))),
    ]
    published = month in plan_periods(engine, int(snap["id"]))
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
        logged = len(load_contacts(engine, outlet, start=first.item(), end=last.item()))
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


def _policy_detail(version: int | None) -> tuple[str, dict[str, object]]:
    if version is None:
        return "guide.detail.policy_default", {}
    return "guide.detail.policy", {"version": version}


def _roster_detail(n: int) -> tuple[str, dict[str, object]]:
    return ("guide.detail.roster", {"n": n}) if n else ("guide.detail.no_roster", {})
