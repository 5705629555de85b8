"""The what-if pictures on a bound change: aggregate 100k (or 1M) customers and build the three chart specs."""

from __future__ import annotations

import time

import numpy as np

from core.i18n import t
from core.policy import Policy
from core.segment import quick_counts
from core.whatif import move_matrix
from ui.whatif_charts import charts


def _best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run(quick: bool) -> list[dict]:
    n = 100_000 if quick else 1_000_000
    assets = np.round(np.random.default_rng(1).lognormal(np.log(6000), 1.6, n), 2)
    saved = Policy.default()
    labels = [t(f"tier.{code}") for code in saved.tier_codes]

    def redraw(mid: float) -> None:
        proposed = saved.with_tier_lowers({"mid": mid})
        before, after = quick_counts(assets, saved), quick_counts(assets, proposed)
        moves = move_matrix(assets, saved, proposed)
        specs = charts(
            lambda key: t(key), assets, saved, proposed, labels, before.tier_count, after.tier_count, moves
        )
        for chart in specs:
            chart.to_dict()  # what st.altair_chart serialises

    redraw(55000)  # warm
    seconds = _best_of(lambda: redraw(60000), 5)
    label = f"{n // 1000}k" if n < 1_000_000 else "1M"
    return [
        {
            "benchmark": f"what-if pictures (aggregate + 3 chart specs), {label}",
            "figure": f"{seconds * 1000:.0f} ms",
            "target": "< 1000 ms" if quick else "(reference)",
            "ok": seconds < 1.0 or not quick,
        }
    ]
