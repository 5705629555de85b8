"""A plan that fits capacity for a large outlet: scheduling + rebalancing beside today's assign + plan + workload."""

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
    return [
        {
            "benchmark": f"assign + December plan + workload (today), {label}",
            "figure": f"{before:.2f} s",
            "target": "(reference)",
            "ok": True,
        },
        {
            "benchmark": f"same + rebalancing + day scheduling, {label}",
            "figure": f"{after:.2f} s ({after / before:.1f}x)",
            "target": "<= 2x today",
            "ok": after <= 2 * before,
        },
        {
            "benchmark": "  of which rebalancing + coalescing + scheduling",
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
            "target": "<= 2x today",
            "ok": moving <= 2 * before,
        },
        {
            "benchmark": "  contacts scheduled / deferred / customers moved",
            "figure": f"{len(busy.plan):,} / {len(busy.deferred):,} / {len(busy.moves):,}",
            "target": "(reference)",
            "ok": True,
        },
    ]
