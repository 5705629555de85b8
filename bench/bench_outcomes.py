"""Outcomes between two snapshots of a city branch's size: 1M customers, a month of contacts and maturities."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pandas as pd

from core.outcomes import outcomes
from core.policy import Policy

FROM = dt.date(2026, 10, 31)
TO = dt.date(2026, 11, 30)
STAFF = [f"员工{i:02d}" for i in range(60)]
RESULTS = ["已联络", "未接通", "已邀约", "已到访", "已成交"]


def _inputs(n: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    ids = pd.array([f"C{i:08d}" for i in range(n)], dtype="string")
    assets = np.round(rng.lognormal(np.log(20_000), 1.3, n), 2)
    before = pd.DataFrame({"customer_id": ids, "name": ids, "assets": assets})
    keep = rng.random(n) > 0.02  # 2 % gone, as many new
    moved = np.round(assets * rng.lognormal(0.0, 0.15, n), 2)
    new_ids = pd.array([f"N{i:08d}" for i in range(n - int(keep.sum()))], dtype="string")
    after = pd.DataFrame(
        {
            "customer_id": pd.concat([pd.Series(ids[keep]), pd.Series(new_ids)], ignore_index=True).astype(
                "string"
            ),
            "name": pd.concat([pd.Series(ids[keep]), pd.Series(new_ids)], ignore_index=True).astype("string"),
            "assets": np.concatenate(
                [moved[keep], np.round(rng.lognormal(np.log(20_000), 1.3, len(new_ids)), 2)]
            ),
        }
    )
    m = n // 3
    contacts = pd.DataFrame(
        {
            "contact_date": (np.datetime64(FROM) + rng.integers(-3, 33, m).astype("timedelta64[D]")).astype(
                "datetime64[us]"
            ),
            "staff_name": rng.choice(STAFF, m),
            "customer_id": ids[rng.integers(0, n, m)],
            "result": rng.choice(RESULTS, m),
        }
    )
    k = n // 20
    items = pd.DataFrame(
        {
            "customer_id": ids[rng.integers(0, n, k)],
            "product": pd.array(["定期"] * k, dtype="string"),
            "amount": np.where(rng.random(k) < 0.1, np.nan, np.round(rng.uniform(1_000, 100_000, k), 2)),
            "maturity_date": (np.datetime64(FROM) + rng.integers(0, 45, k).astype("timedelta64[D]")).astype(
                "datetime64[us]"
            ),
        }
    )
    return before, after, contacts, items


def run(quick: bool) -> list[dict]:
    n = 100_000 if quick else 1_000_000
    before, after, contacts, items = _inputs(n)
    policy = Policy.default()
    start = time.perf_counter()
    result = outcomes(before, after, policy, date_from=FROM, date_to=TO, contacts=contacts, items=items)
    summary = result.summary()
    elapsed = time.perf_counter() - start
    return [
        {
            "benchmark": f"outcomes of two snapshots, {n:,} customers, {len(contacts):,} contacts",
            "figure": f"{elapsed:.2f} s ({summary['promoted']:,} promoted)",
            "target": "< 2 s",
            "ok": elapsed < 2,
        }
    ]
