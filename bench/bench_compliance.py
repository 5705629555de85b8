"""Compliance on an outlet-sized month: requirements + engine, and a filled log read, validated and stored."""

from __future__ import annotations

import datetime as dt
import io
import pathlib
import tempfile
import time

import numpy as np
import pandas as pd
from sqlalchemy import insert

from core.assign import assign
from core.compliance import compliance, requirements
from core.compliance.logs import read_contact_logs
from core.demo import demo_export, demo_maturities, demo_roster
from core.ingest import read_customers
from core.maturity import combine_maturities, merge_maturities, read_maturities
from core.plan import build_plan
from core.policy import Policy
from core.roster import read_roster
from core.segment import segment
from core.storage.contacts import store_contacts
from core.storage.engine import ensure_schema, make_engine, write_connection
from core.storage.models import TABLES

AS_OF = dt.date(2026, 11, 30)
LOGGED = {"phone": "电话", "sms": "短信", "visit": "上门", "gift": "厅堂"}


def _month(n: int, policy: Policy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The demo outlet's December plan and a log holding 70% of it (random results)."""
    result = read_customers(demo_export(AS_OF, customers=n), as_of=AS_OF, file_name="export.csv")
    notice = read_maturities(demo_maturities(AS_OF, customers=n), file_name="maturities.csv")
    merged = merge_maturities(result.customers, combine_maturities([notice]), as_of=AS_OF)
    seg = segment(merged.customers, policy, AS_OF)
    roster = read_roster(io.BytesIO(demo_roster()), policy=policy, file_name="roster.csv")
    plan = build_plan(seg, assign(seg, roster, policy), policy, "2026-12", merged.items)
    done = plan.sample(frac=0.7, random_state=1)
    rng = np.random.default_rng(1)
    log = pd.DataFrame(
        {
            "日期": done["due_date"].dt.strftime("%Y-%m-%d"),
            "员工": done["staff"],
            "客户号": done["customer_id"],
            "姓名": "",
            "方式": done["channel"].map(LOGGED),
            "结果": rng.choice(list(policy.compliance.log_results), len(done)),
            "备注": "",
        }
    )
    return plan, log


def run(quick: bool) -> list[dict]:
    n = 5_000 if quick else 20_000
    policy = Policy.default()
    plan, log = _month(n, policy)
    start = time.perf_counter()
    req = requirements(plan, policy)
    contacts = log.rename(
        columns={
            "日期": "contact_date",
            "员工": "staff_name",
            "客户号": "customer_id",
            "方式": "channel",
            "结果": "result",
        }
    )
    result = compliance(req, contacts, policy, "2026-12")
    engine_s = time.perf_counter() - start

    data = log.to_csv(index=False).encode("gbk")
    with tempfile.TemporaryDirectory() as tmp:
        db = make_engine(f"sqlite:///{pathlib.Path(tmp) / 'bench.db'}")
        ensure_schema(db)
        with write_connection(db) as conn:
            conn.execute(insert(TABLES["outlet"]).values(name="bench"))
        start = time.perf_counter()
        got = read_contact_logs(
            [("log.csv", data)],
            policy=policy,
            staff=set(plan["staff"].dropna()),
            customers=set(plan["customer_id"]),
            period="2026-12",
        )
        with write_connection(db) as conn:
            stored = store_contacts(conn, "bench", got.rows, "bench", "log.csv").new
        import_s = time.perf_counter() - start
        db.dispose()
    label = f"{n // 1000}k customers"
    return [
        {
            "benchmark": f"compliance of a month, {label} ({len(req):,} requirements)",
            "figure": f"{engine_s:.2f} s ({result.overall:.0%} met)",
            "target": "< 2 s",
            "ok": engine_s < 2,
        },
        {
            "benchmark": f"contact log read + validated + stored, {len(log):,} rows",
            "figure": f"{import_s:.2f} s ({stored:,} stored)",
            "target": "< 5 s",
            "ok": import_s < 5,
        },
    ]
