"""An outlet seeded table by table (roster, snapshot, assignment, a November plan) and filled-in contact logs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from core.storage.engine import write_connection
from core.storage.models import TABLES

OUTLET = "城东支局"
LOG_HEADER = ["日期", "员工", "客户号", "姓名", "方式", "结果", "备注"]
CUSTOMERS = [  # id, name, assets, staff, tier
    ("C001", "赵一", 5000.0, "王强", "potential"),
    ("C002", "钱二", 30000.0, "王强", "basic"),
    ("C003", "孙三", 80000.0, "李娜", "mid"),
    ("C004", "李四", 500000.0, "张伟", "high"),
]
STAFF = [("张伟", "支局长"), ("李娜", "理财经理"), ("王强", "高柜")]


def seed_outlet(engine, outlet: str = OUTLET) -> None:
    """An outlet with a roster, one snapshot, its assignment and a November plan, inserted table by table."""
    with write_connection(engine) as conn:
        oid = conn.execute(
            insert(TABLES["outlet"]).values(name=outlet).returning(TABLES["outlet"].c.id)
        ).scalar()
        conn.execute(insert(TABLES["staff"]), [{"outlet_id": oid, "name": n, "role": r} for n, r in STAFF])
        sid = conn.execute(
            insert(TABLES["snapshot"])
            .values(
                outlet_id=oid,
                as_of=dt.date(2026, 10, 31),
                rows_read=4,
                rows_rejected=0,
                customers=4,
                created_by="test",
            )
            .returning(TABLES["snapshot"].c.id)
        ).scalar()
        conn.execute(
            insert(TABLES["snapshot_customer"]),
            [{"snapshot_id": sid, "customer_id": c, "name": n, "assets": a} for c, n, a, _, _ in CUSTOMERS],
        )
        conn.execute(
            insert(TABLES["assignment"]),
            [{"snapshot_id": sid, "customer_id": c, "staff_name": s} for c, _, _, s, _ in CUSTOMERS],
        )
        plan = [
            ("C001", "sms", "2026-11-03", "month"),
            ("C002", "phone", "2026-11-04", "month"),
            ("C002", "sms", "2026-11-05", "month"),
            ("C003", "phone", "2026-11-02", "week"),
            ("C003", "phone", "2026-11-09", "week"),
            ("C003", "phone", "2026-11-16", "week"),
            ("C003", "phone", "2026-11-23", "week"),
            ("C003", "phone", "2026-11-30", "week"),
            ("C003", "visit", "2026-11-11", "month"),
        ]
        info = {c: (n, s, tier) for c, n, _, s, tier in CUSTOMERS}
        conn.execute(
            insert(TABLES["plan_item"]),
            [
                {
                    "outlet_id": oid,
                    "period": "2026-11",
                    "snapshot_id": sid,
                    "staff_name": info[c][1],
                    "customer_id": c,
                    "name": info[c][0],
                    "tier": info[c][2],
                    "channel": ch,
                    "kind": "cadence",
                    "due_date": dt.date.fromisoformat(d),
                    "required_count": 1,
                    "period_kind": pk,
                }
                for c, ch, d, pk in plan
            ],
        )


def write_log(path, lines: list[str]) -> str:
    path.write_text("\n".join([",".join(LOG_HEADER), *lines]) + "\n", encoding="gbk")
    return str(path)


NOVEMBER = [
    "2026-11-02,李娜,C003,孙三,电话,已联络,",  # week 45 phone
    "2026-11-10,李娜,C003,孙三,电话,未接通,",  # week 46 phone (tried counts)
    "2026-11-11,李娜,C003,孙三,上门,已邀约,",  # monthly visit
    "2026-11-03,王强,C001,赵一,短信,已联络,",  # potential: monthly SMS
    "2026-11-04,王强,C002,钱二,电话,已联络,",  # basic: phone met, SMS not
    "2026-11-05,王强,C002,钱二,电话,,",  # planned, not done
    "2026-11-06,王强,C009,无名,电话,已联络,",  # unknown customer
]
