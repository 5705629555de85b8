"""The month's steps for one outlet (导入 → 策略 → 分配 → 发布 → 联络 → 合规/成效): what is done, what is next.

What each step needs is read by ``core.services.guide``; the 概览 page draws it and links each step to the page
that does it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def policy_detail(version: int | None) -> tuple[str, dict[str, object]]:
    if version is None:
        return "guide.detail.policy_default", {}
    return "guide.detail.policy", {"version": version}


def roster_detail(n: int) -> tuple[str, dict[str, object]]:
    return ("guide.detail.roster", {"n": n}) if n else ("guide.detail.no_roster", {})
