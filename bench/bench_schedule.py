"""A plan that fits capacity for a large outlet: the optimiser (who keeps whom and the days, core.optimise) beside
today's assign + plan + workload; the value kept against the solver's bound (a true bound: kept <= bound), and on
an outlet of 20,000 customers the distance to the bound (target: within 1 %)."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd

from bench.bench_workbook import AS_OF, ROLES, outlet
from core.assign import assign
from core.plan import build_plan
from core.policy import Policy
from core.roster import roster_from_frame
from core.schedule import plan_month
from core.segment import segment
from core.workload import workload

# The greedy planner this optimiser replaced, on the same data and machine (README, printed 2026-11-30 23:04 UTC
# on a quiet 2-core machine): 1.96 s against today's assign + plan + workload of 1.16 s. The target is at most
# twice that planner; as a ratio to the reference measured in the same run, so a busy machine does not skew it.
GREEDY_SECONDS, REFERENCE_SECONDS = 1.96, 1.16
TARGET_RATIO = 2 * GREEDY_SECONDS / REFERENCE_SECONDS


def _best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def run(quick: bool) -> list[dict]:
    n = 10_000 if quick else 100_000
    policy = Policy.default()
    # Role default capacities (the roster leaves 容量 blank), as a new user's first roster would.
    roster = roster_from_frame(
        pd.DataFrame(
            {"name": [f"员工{i:02d}" for i in range(len(ROLES))], "role": ROLES, "capacity_per_week": ""}
        ),
        policy=policy,
    )
    seg = segment(outlet(n), policy, AS_OF)
    ahead = AS_OF + dt.timedelta(days=1)

    def today():
        result = assign(seg, roster, policy)
        plan = build_plan(seg, result, policy, "2026-12", reminders_from=ahead)
        return workload(plan, roster, policy, result)

    def fitted():
        return plan_month(seg, roster, policy, "2026-12", reminders_from=ahead)

    repeat = 3 if quick else 2
    before, _ = _best_of(today, repeat)
    after, month = _best_of(fitted, repeat)
    # A roster with room, but three 理财经理 short of time: their export customers must move.
    ample = roster_from_frame(
        pd.DataFrame(
            {
                "name": [f"员工{i:02d}" for i in range(len(ROLES))],
                "role": ROLES,
                "capacity_per_week": [100 if 1 <= i <= 3 else 2000 for i in range(len(ROLES))],
            }
        ),
        policy=policy,
    )
    moving, busy = _best_of(lambda: plan_month(seg, ample, policy, "2026-12", reminders_from=ahead), repeat)
    label = f"{n // 1000}k customers, 30 staff"
    small = segment(outlet(2_000 if quick else 20_000), policy, AS_OF)
    outlet_month = plan_month(small, roster, policy, "2026-12", reminders_from=ahead)
    return [
        {
            "benchmark": f"assign + December plan + workload (today), {label}",
            "figure": f"{before:.2f} s",
            "target": "(reference)",
            "ok": True,
        },
        {
            "benchmark": f"same + optimiser + day scheduling, {label}",
            "figure": f"{after:.2f} s ({after / before:.1f}x; greedy {GREEDY_SECONDS / REFERENCE_SECONDS:.1f}x)",
            "target": f"<= {TARGET_RATIO:.1f}x (2x greedy)",
            "ok": after <= TARGET_RATIO * before,
        },
        {
            "benchmark": "  of which optimiser + coalescing + scheduling",
            "figure": f"{max(after - before, 0.0):.2f} s",
            "target": "(reference)",
            "ok": True,
        },
        {
            "benchmark": "  contacts scheduled / deferred / customers moved",
            "figure": f"{len(month.plan):,} / {len(month.deferred):,} / {len(month.moves):,}",
            "target": "(reference)",
            "ok": True,
        },
        {
            "benchmark": f"same, roster with room, 3 people short, {label}",
            "figure": f"{moving:.2f} s ({moving / before:.1f}x)",
            "target": f"<= {TARGET_RATIO:.1f}x (2x greedy)",
            "ok": moving <= TARGET_RATIO * before,
        },
        {
            "benchmark": "  contacts scheduled / deferred / customers moved",
            "figure": f"{len(busy.plan):,} / {len(busy.deferred):,} / {len(busy.moves):,}",
            "target": "(reference)",
            "ok": True,
        },
        *_value_rows(month, "default capacities"),
        *_value_rows(busy, "3 people short"),
        *_value_rows(outlet_month, f"outlet of {len(small):,}, default capacities", target=0.01),
    ]


def _value_rows(month, label: str, target: float | None = None) -> list[dict]:
    """Value due, kept (less the moves' cost) and the solver's bound, in 万元, and the gap to the bound."""
    return [
        {
            "benchmark": f"  value due / kept / bound (万元), {label}",
            "figure": f"{month.value_due / 1e4:,.1f} / {month.value_kept / 1e4:,.1f} / {month.bound / 1e4:,.1f}",
            "target": "kept <= bound",
            "ok": month.value_kept <= month.bound,
        },
        {
            "benchmark": f"  gap to the solver's bound, {label}",
            "figure": f"{month.gap:.2%}",
            # The bound is at the level of the day shares (core.optimise.place): no plan with these owners keeps
            # more, so the gap is never negative.
            "target": "(reference)" if target is None else f"0 <= gap <= {target:.0%}",
            "ok": month.gap >= 0 and (target is None or month.gap <= target),
        },
    ]
