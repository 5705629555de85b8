"""A seeded outlet for the outcomes tests: two snapshots a month apart, maturity items and a contact log."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.ingest import IngestResult
from core.policy import Policy
from core.storage.contacts import store_contacts
from core.storage.engine import write_connection
from core.storage.snapshots import import_snapshot

OUTLET = "城东支局"
FROM = dt.date(2026, 10, 31)
TO = dt.date(2026, 11, 30)

# Default bands: 10,000 [7,000); 50,000 [30,000); 100,000 [70,000); 200,000 [150,000).
BEFORE = {
    "C01": 8_000.0,  # near 10k -> 12,000: reaches 10k, potential->basic; reached by 王芳
    "C02": 9_500.0,  # near 10k -> 9,000; only 未接通 (a try, not reached)
    "C03": 35_000.0,  # near 50k -> 52,000: reaches 50k, basic->mid; reached by 李强
    "C04": 40_000.0,  # near 50k -> 45,000; contacted only after the window
    "C05": 80_000.0,  # near 100k -> 100,000: reaches 100k, stays mid; not reached
    "C06": 160_000.0,  # near 200k -> 210,000: reaches 200k, mid->high; reached by 李强 and 王芳
    "C07": 60_000.0,  # -> 40,000: mid->basic; contacted the day before the window
    "C08": 250_000.0,  # -> 150,000: high->mid
    "C09": 5_000.0,  # -> 5,000; reached by 王芳 on the `to` date itself
    "C10": 20_000.0,  # gone by `to`
}
AFTER = {
    "C01": 12_000.0,
    "C02": 9_000.0,
    "C03": 52_000.0,
    "C04": 45_000.0,
    "C05": 100_000.0,
    "C06": 210_000.0,
    "C07": 40_000.0,
    "C08": 150_000.0,
    "C09": 5_000.0,
    "N01": 30_000.0,  # new at `to`
}
ITEMS = [  # maturity notice items stored with the `from` snapshot
    ("C05", "定期", 20_000.0, "2026-11-10"),  # 80k -> 100k: kept
    ("C07", "定期", 30_000.0, "2026-11-15"),  # 60k -> 40k: not kept
    ("C08", "国债", 100_000.0, "2026-11-30"),  # on the `to` date (included); 250k -> 150k: not kept
    ("C10", "定期", 20_000.0, "2026-11-05"),  # gone: not kept
    ("C04", "定期", None, "2026-11-20"),  # no amount: whole balance; 40k -> 45k: kept
    ("C01", "定期", 5_000.0, "2026-12-05"),  # after the window: not counted
    ("X99", "定期", 5_000.0, "2026-11-12"),  # not in the export, not at `to`: not kept
]
CONTACTS = [  # date, staff, customer, channel, result, note
    ("2026-10-31", "王芳", "C01", "电话", "已联络", None),
    ("2026-11-03", "王芳", "C02", "电话", "未接通", None),
    ("2026-11-05", "李强", "C03", "厅堂", "已到访", None),
    ("2026-11-06", "李强", "C06", "上门", "已成交", "送资料"),
    ("2026-11-07", "王芳", "C06", "电话", "已联络", None),
    ("2026-10-30", "李强", "C07", "电话", "已联络", None),
    ("2026-11-30", "王芳", "C09", "短信", "已联络", None),
    ("2026-11-08", "李强", "N01", "电话", "已联络", None),
    ("2026-11-25", "王芳", "C01", "厅堂", "已到访", "达标礼已领"),
    ("2026-11-12", "王芳", "C05", "厅堂", "未接通", "达标礼"),
    ("2026-12-01", "王芳", "C04", "电话", "已联络", None),
]
GIFTS = {
    10_000: ("毛巾", 10.0),
    50_000: ("电饭煲", 120.0),
    100_000: ("保温杯", 50.0),
    200_000: ("茶具", 200.0),
}


def policy(**campaign) -> Policy:
    base = Policy.default()
    bands = [
        dict(b, gift=GIFTS[int(b["level"])][0], gift_value=GIFTS[int(b["level"])][1])
        for b in base.to_dict()["bands"]
    ]
    changes = {
        "bands": bands,
        "campaign": {"start": "2026-10-31", "end": "2026-11-30", "budget": 300, **campaign},
    }
    return base.with_changes(changes)


def customers(amounts: dict[str, float]) -> pd.DataFrame:
    n = len(amounts)
    return pd.DataFrame(
        {
            "customer_id": pd.array(list(amounts), dtype="string"),
            "name": pd.array([f"客户{k}" for k in amounts], dtype="string"),
            "outlet": pd.array([OUTLET] * n, dtype="string"),
            "assets": np.array(list(amounts.values()), dtype=np.float64),
            "source_row": np.arange(2, n + 2, dtype=np.int64),
        }
    )


def items() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": pd.array([i[0] for i in ITEMS], dtype="string"),
            "product": pd.array([i[1] for i in ITEMS], dtype="string"),
            "amount": np.array([np.nan if i[2] is None else i[2] for i in ITEMS], dtype=np.float64),
            "maturity_date": pd.to_datetime([i[3] for i in ITEMS]).astype("datetime64[us]"),
        }
    )


def contacts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contact_date": pd.to_datetime([c[0] for c in CONTACTS]).astype("datetime64[us]"),
            "staff_name": [c[1] for c in CONTACTS],
            "customer_id": [c[2] for c in CONTACTS],
            "channel": [c[3] for c in CONTACTS],
            "result": [c[4] for c in CONTACTS],
            "note": [c[5] for c in CONTACTS],
            "source": "联络表.xlsx",
        }
    )


def _result(frame: pd.DataFrame, name: str) -> IngestResult:
    return IngestResult(
        customers=frame,
        rows_read=len(frame),
        rejections=[],
        mapping={},
        unit_multipliers={},
        file_name=name,
        sha256=name,
        encoding="utf-8",
        sheet=None,
        header_row=1,
    )


def seed(engine, outlet: str = OUTLET) -> None:
    """Both snapshots (the notice items with the first) and the contact log, in ``engine``."""
    item_rows = items().assign(matched=lambda f: f["customer_id"] != "X99", outlet=outlet)
    import_snapshot(
        engine,
        _result(customers(BEFORE), f"{outlet}-10.csv"),
        outlet=outlet,
        as_of=FROM,
        user="seed",
        maturities=item_rows,
    )
    import_snapshot(
        engine, _result(customers(AFTER), f"{outlet}-11.csv"), outlet=outlet, as_of=TO, user="seed"
    )
    with write_connection(engine) as conn:
        store_contacts(conn, outlet, contacts(), "seed", "联络表.xlsx")
