"""Small customer frames and rosters built from short tuples, for unit tests of assign, plan, workload, export."""

from __future__ import annotations

import datetime as dt

import pandas as pd

AS_OF = dt.date(2026, 11, 30)


def customers(rows: list[dict]) -> pd.DataFrame:
    """An ingest-shaped customer frame from short dicts (customer_id, assets, and optional fields)."""
    out = []
    for i, row in enumerate(rows):
        out.append(
            {
                "customer_id": row.get("customer_id", f"C{i:03d}"),
                "name": row.get("name", f"客户{i}"),
                "phone": row.get("phone", "13800000000"),
                "outlet": "城关支局",
                "manager": row.get("manager"),
                "assets": float(row["assets"]),
                "maturity_date": pd.Timestamp(row["maturity"]) if row.get("maturity") else pd.NaT,
                "birthday": pd.Timestamp(row["birthday"]) if row.get("birthday") else pd.NaT,
                "familiarity": row.get("familiarity"),
                "source_row": i + 2,
                "accounts": 1,
            }
        )
    frame = pd.DataFrame(out)
    frame["customer_id"] = frame["customer_id"].astype("string")
    frame["manager"] = frame["manager"].astype("string")
    frame["maturity_date"] = pd.to_datetime(frame["maturity_date"])
    frame["birthday"] = pd.to_datetime(frame["birthday"])
    frame["familiarity"] = pd.array(frame["familiarity"].tolist(), dtype="Int64")
    return frame


def staff(*people: tuple) -> pd.DataFrame:
    """(name, role[, capacity]) tuples -> a roster frame."""
    return pd.DataFrame(
        {
            "name": [p[0] for p in people],
            "role": [p[1] for p in people],
            "outlet": "城关支局",
            "capacity_per_week": [p[2] if len(p) > 2 else "" for p in people],
        }
    )
