"""Ingest of a large GBK branch export against pandas' plain read_csv of the same file, in fresh processes."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import time

import numpy as np
import pandas as pd

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
TITLE_ROWS = 2
AS_OF = "2026-11-30"

_INGEST = """
import datetime as dt, json, resource, sys
from core.ingest import read_customers
r = read_customers(sys.argv[1], as_of=dt.date.fromisoformat(sys.argv[2]))
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"customers": len(r.customers), "rows": r.rows_read, "rejected": len(r.rejections), "rss_kb": rss}))
"""
_PANDAS = """
import json, resource, sys
import pandas as pd
frame = pd.read_csv(sys.argv[1], encoding="gbk", skiprows=int(sys.argv[2]))
print(json.dumps({"rows": len(frame), "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def build_export(customers: int, seed: int = 7) -> pathlib.Path:
    """A 目标客户查询-style GBK CSV: two title rows, one row per account (~1.2 per customer), a 合计 row."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"export_{customers}_v2.csv"
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    accounts = rng.choice([1, 2, 3], size=customers, p=[0.84, 0.12, 0.04])
    owner = np.repeat(np.arange(customers), accounts)
    rows = len(owner)
    surnames = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"))
    given = np.array(["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰"])
    names = np.char.add(
        surnames[rng.integers(len(surnames), size=customers)], given[rng.integers(14, size=customers)]
    )
    amounts = np.round(rng.lognormal(np.log(6000), 1.6, rows), 2)
    maturity = pd.Timestamp(AS_OF) + pd.to_timedelta(rng.integers(-30, 400, rows), unit="D")
    has_maturity = rng.random(rows) < 0.4
    birthdays = (
        pd.Timestamp("1940-01-01") + pd.to_timedelta(rng.integers(0, 365 * 62, customers), unit="D")
    ).strftime("%Y%m%d")
    familiarity = np.array(["陌生", "较低", "一般", "较高", "熟悉"])
    frame = pd.DataFrame(
        {
            "客户号": pd.Series(owner + 1).map("0010{:08d}".format),
            "客户姓名": names[owner],
            "联系电话": pd.Series(13_000_000_000 + owner).astype(str),
            "所属网点": "城关支局",
            "账户类型": np.where(has_maturity, "定期", "活期"),
            "账户余额(元)": pd.Series(amounts).map("{:,.2f}".format),
            "到期日": np.where(has_maturity, maturity.strftime("%Y/%m/%d"), ""),
            "出生日期": birthdays[owner],
            "管户人员": np.where(rng.random(rows) < 0.3, "李敏", ""),
            "熟识程度": np.where(amounts >= 50000, familiarity[rng.integers(5, size=rows)], ""),
        }
    )
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="gbk", newline="") as handle:
        handle.write("中国邮政储蓄银行 客户营销管理—目标客户查询\r\n")
        handle.write(f"查询机构：城关支局,导出日期：{AS_OF}\r\n")
        frame.to_csv(handle, index=False, lineterminator="\r\n")
        handle.write(f'合计,,,,,"{amounts.sum():,.2f}",,,,\r\n')
    tmp.replace(path)
    return path


def _child(code: str, *args: str) -> tuple[float, dict]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - start, json.loads(done.stdout.strip().splitlines()[-1])


def compare(customers: int, repeat: int) -> dict:
    """Best-of-``repeat`` whole-process times of read_customers and of pandas.read_csv on one export."""
    path = build_export(customers)
    ingest_best = pandas_best = float("inf")
    ingest_info: dict = {}
    for _ in range(repeat):
        seconds, info = _child(_INGEST, str(path), AS_OF)
        if seconds < ingest_best:
            ingest_best, ingest_info = seconds, info
        seconds, _ = _child(_PANDAS, str(path), str(TITLE_ROWS))
        pandas_best = min(pandas_best, seconds)
    if ingest_info["customers"] != customers or ingest_info["rejected"]:
        raise AssertionError(f"ingest read {ingest_info}, expected {customers} customers and no rejection")
    return {"ingest": ingest_best, "pandas": pandas_best, "rss_kb": ingest_info["rss_kb"], **ingest_info}


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def run(quick: bool) -> list[dict]:
    sizes = (10_000, 50_000) if quick else (100_000, 1_000_000)
    out: list[dict] = []
    for n in sizes:
        got = compare(n, repeat=3 if n <= 100_000 else 2)
        ratio = got["ingest"] / got["pandas"]
        out.append(
            {
                "benchmark": f"ingest {_label(n)} GBK vs pandas read_csv ({got['rows']:,} rows)",
                "figure": f"{ratio:.1f}× ({got['ingest']:.1f} s vs {got['pandas']:.1f} s)",
                "target": "≤ 3×",
                "ok": ratio <= 3,
            }
        )
    peak_mb = got["rss_kb"] / 1024
    out.append(
        {
            "benchmark": f"ingest {_label(sizes[-1])} GBK peak RSS (whole process)",
            "figure": f"{peak_mb:,.0f} MB",
            "target": "< 1.5 GB",
            "ok": peak_mb < 1536,
        }
    )
    customers, items = sizes[-1], sizes[-1] // 10
    seconds = merge_seconds(customers, items)
    out.append(
        {
            "benchmark": f"  merge {_label(items)} maturity items into {_label(customers)} customers",
            "figure": f"{seconds:.2f} s",
            "target": "(reference)",
            "ok": True,
        }
    )
    return out


def merge_seconds(customers: int, items: int, repeat: int = 3) -> float:
    """Best time of merge_maturities (in this process: the frames are built here, not read)."""
    import datetime as dt

    from core.maturity import merge_maturities

    rng = np.random.default_rng(3)
    ids = pd.Series(np.arange(customers)).map("0010{:08d}".format).astype("string")
    frame = pd.DataFrame(
        {
            "customer_id": ids,
            "assets": rng.random(customers),
            "maturity_date": pd.Timestamp(AS_OF)
            + pd.to_timedelta(rng.integers(-30, 300, customers), unit="D"),
        }
    )
    picked = rng.integers(0, customers + customers // 100, items)  # about 1% of items match nobody
    notice = pd.DataFrame(
        {
            "customer_id": pd.Series(picked).map("0010{:08d}".format).astype("string"),
            "maturity_date": (
                pd.Timestamp(AS_OF) + pd.to_timedelta(rng.integers(0, 40, items), unit="D")
            ).astype("datetime64[us]"),
        }
    )
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        merge_maturities(frame, notice, as_of=dt.date.fromisoformat(AS_OF))
        best = min(best, time.perf_counter() - start)
    return best
