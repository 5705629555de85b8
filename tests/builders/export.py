"""A sample outlet for the workbook tests: a roster, 300 customers (some with hostile names) and a notice."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.policy import Policy
from core.roster import roster_from_frame
from tests.builders.customers import AS_OF, customers, staff

POLICY = Policy.default()
ROSTER = roster_from_frame(
    staff(
        ("周建国", "支局长"),
        ("李敏", "理财经理"),
        ("陈静", "大堂经理"),
        ("刘洋", "高柜"),
        ("赵丽", "高柜", 120),
    ),
    policy=POLICY,
)
NASTY = ["=1+1", "@SUM(A1:A2)", "+86 138", "-2", '=HYPERLINK("http://x")']


def sample(n: int = 300, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    assets = np.round(rng.lognormal(np.log(20000), 1.5, n), 2)
    rows = []
    for i, amount in enumerate(assets):
        rows.append(
            {
                "customer_id": f"0010{i:08d}",
                "name": NASTY[i] if i < len(NASTY) else f"客户{i}",
                "phone": "=cmd|' /C calc'!A0" if i == 7 else f"138{i:08d}",
                "assets": float(amount),
                "manager": ["李敏", None, "孙丽华", "刘洋"][i % 4],
                "maturity": (AS_OF + dt.timedelta(days=int(rng.integers(-10, 60)))).isoformat()
                if i % 5 == 0
                else None,
                "birthday": "1970-12-10" if i % 7 == 0 else None,
                "familiarity": int(rng.integers(1, 6)) if amount >= 50000 else None,
            }
        )
    return customers(rows)


ITEMS = pd.DataFrame(
    {
        "customer_id": ["001000000000", "001000000000", "009999999999"],
        "name": ["", "", "钱多多"],
        "product": ["定期", "保险", "理财"],
        "amount": [50000.0, 12345.6, 8000.0],
        "maturity_date": pd.to_datetime(["2026-12-14", "2026-12-21", "2026-12-10"]),
        "outlet": "城关支局",
        "source_row": [3, 4, 5],
        "file": "到期.csv",
    }
)
