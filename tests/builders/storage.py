"""Customer frames in the exact shape ingest returns, ingest results around them, and jobs started at once."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd

from core.ingest import IngestResult, Rejection


def customers_frame(n: int, *, seed: int = 0, prefix: str = "C") -> pd.DataFrame:
    """Customers in the exact shape read_customers returns (every dtype, NA in every nullable column)."""
    rng = np.random.default_rng(seed)
    maturity = pd.Series(pd.Timestamp("2026-12-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D"))
    maturity[::3] = pd.NaT
    birthday = pd.Series(pd.Timestamp("1960-01-01") + pd.to_timedelta(rng.integers(0, 15000, n), unit="D"))
    birthday[1::4] = pd.NaT
    familiarity = pd.array(rng.integers(1, 6, n), dtype="Int64")
    familiarity[::5] = pd.NA
    phone = pd.array([f"138{i:08d}" for i in range(n)], dtype="string")
    phone[::7] = pd.NA
    return pd.DataFrame(
        {
            "customer_id": pd.array([f"{prefix}{i:07d}" for i in range(n)], dtype="string"),
            "name": pd.array([f"客户{i}" for i in range(n)], dtype="string"),
            "phone": phone,
            "outlet": pd.array(["城东支局"] * n, dtype="string"),
            "assets": np.round(rng.lognormal(np.log(20000), 1.2, n), 2),
            "maturity_date": maturity.astype("datetime64[us]"),
            "birthday": birthday.astype("datetime64[us]"),
            "manager": pd.array([["张敏", "李强", None][i % 3] for i in range(n)], dtype="string"),
            "familiarity": familiarity,
            "source_row": np.arange(2, n + 2, dtype=np.int64),
            "accounts": rng.integers(1, 4, n).astype(np.int64),
        }
    )


def ingest_result(
    customers: pd.DataFrame, *, sha256: str = "sha-a", file_name: str = "export.csv"
) -> IngestResult:
    return IngestResult(
        customers=customers,
        rows_read=len(customers) + 1,
        rejections=[Rejection(row=len(customers) + 2, reason="资产金额无法识别：“abc”", column="资产")],
        mapping={},
        unit_multipliers={},
        file_name=file_name,
        sha256=sha256,
        encoding="utf-8",
        sheet=None,
        header_row=1,
    )


def run_together(*jobs):
    """Start every job at once (barrier); return each one's result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def runner(i, job):
        barrier.wait()
        try:
            results[i] = job()
        except Exception as exc:  # collected for the assertions
            results[i] = exc

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
