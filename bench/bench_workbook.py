"""The staff workbook for a large outlet: cells written per second beside plain constant-memory xlsxwriter."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time

import numpy as np
import pandas as pd
import xlsxwriter

from core.assign import assign
from core.export import write_workbook
from core.plan import build_plan
from core.policy import Policy
from core.roster import roster_from_frame
from core.segment import segment
from core.workload import workload

AS_OF = dt.date(2026, 11, 30)
ROLES = ["支局长"] + ["理财经理"] * 8 + ["大堂经理"] * 6 + ["高柜"] * 10 + ["客户经理"] * 5


def outlet(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` customers in the ingest shape, a third of them with a manager on the 30-person roster."""
    rng = np.random.default_rng(seed)
    names = [f"员工{i:02d}" for i in range(len(ROLES))]
    return pd.DataFrame(
        {
            "customer_id": pd.array([f"0010{i:08d}" for i in range(n)], dtype="string"),
            "name": [f"客户{i}" for i in range(n)],
            "phone": [f"138{i:08d}" for i in range(n)],
            "outlet": "城关支局",
            "manager": pd.array(
                [names[i % len(names)] if i % 3 == 0 else None for i in range(n)], dtype="string"
            ),
            "assets": np.round(rng.lognormal(np.log(6000), 1.6, n), 2),
            "maturity_date": pd.Timestamp(AS_OF) + pd.to_timedelta(rng.integers(-30, 400, n), unit="D"),
            "birthday": pd.Timestamp("1950-01-01") + pd.to_timedelta(rng.integers(0, 20000, n), unit="D"),
            "familiarity": pd.array(rng.integers(1, 6, n), dtype="Int64"),
            "source_row": np.arange(n) + 4,
            "accounts": 1,
        }
    )


def plain_write(path: str, cells: int, frame: pd.DataFrame) -> tuple[float, float]:
    """Wall and CPU seconds for xlsxwriter's constant-memory mode to write ``cells`` values of ``frame`` with no formats."""
    columns = [frame[c].tolist() for c in frame.columns]
    kinds = [isinstance(col[0], str) for col in columns]
    width = len(columns)
    start, cpu = time.perf_counter(), time.process_time()
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet()
    written, row, n = 0, 0, len(frame)
    while written < cells:
        r = row % n
        for c in range(width):
            if kinds[c]:
                sheet.write_string(row, c, columns[c][r])
            else:
                sheet.write_number(row, c, columns[c][r])
        written += width
        row += 1
        if row == 1_000_000:  # stay inside Excel's row limit: start a new sheet
            sheet, row = book.add_worksheet(), 0
    book.close()
    return time.perf_counter() - start, time.process_time() - cpu


def run(quick: bool) -> list[dict]:
    n = 10_000 if quick else 100_000
    policy = Policy.default()
    roster = roster_from_frame(
        pd.DataFrame(
            {"name": [f"员工{i:02d}" for i in range(len(ROLES))], "role": ROLES, "capacity_per_week": ""}
        ),
        policy=policy,
    )
    seg = segment(outlet(n), policy, AS_OF)
    start = time.perf_counter()
    result = assign(seg, roster, policy)
    plan = build_plan(seg, result, policy, "2026-12")
    load = workload(plan, roster, policy, result)
    prepare = time.perf_counter() - start
    sample = pd.DataFrame(
        {
            "customer_id": seg["customer_id"].astype(str),
            "name": seg["name"],
            "tier": seg["tier_name"],
            "assets": seg["assets"],
            "gap": seg["gap"].fillna(0.0),
            "products": "、".join(policy.tier("basic").products),
        }
    )
    ours = ours_cpu = plain = plain_cpu = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "plan.xlsx")
        # Best of a few interleaved rounds: the machine is shared, and load hits both writers alike.
        for _ in range(3 if quick else 2):
            start, cpu = time.perf_counter(), time.process_time()
            cells = write_workbook(
                path,
                seg=seg,
                assignment=result,
                plan=plan,
                workload=load,
                policy=policy,
                as_of=AS_OF,
                month="2026-12",
            )
            ours = min(ours, time.perf_counter() - start)
            ours_cpu = min(ours_cpu, time.process_time() - cpu)
            wall, cpu_time = plain_write(os.path.join(tmp, "plain.xlsx"), cells, sample)
            plain, plain_cpu = min(plain, wall), min(plain_cpu, cpu_time)
        size = os.path.getsize(path)
    rate, plain_rate = cells / ours, cells / plain
    label = f"{n // 1000}k customers, 30 staff"
    return [
        {
            "benchmark": f"assign + December plan + workload, {label}",
            "figure": f"{prepare:.2f} s ({len(plan):,} contacts)",
            "target": "(reference)",
            "ok": True,
        },
        {
            "benchmark": f"staff workbook, {label} ({cells:,} cells, {size / 1e6:.0f} MB)",
            "figure": f"{rate:,.0f} cells/s ({ours:.1f} s)",
            "target": ">= 150,000 cells/s",
            "ok": rate >= 150_000,
        },
        {
            "benchmark": "  beside plain xlsxwriter constant_memory, same cells",
            "figure": f"{plain_rate:,.0f} cells/s ({rate / plain_rate:.0%})",
            "target": "(reference)",
            "ok": True,
        },
        {
            # The machine is shared: CPU seconds show the cost of our own work, whatever else runs.
            "benchmark": "  the same two in CPU time: workbook / plain",
            "figure": f"{cells / ours_cpu:,.0f} / {cells / plain_cpu:,.0f} cells/s",
            "target": "(reference)",
            "ok": True,
        },
    ]
