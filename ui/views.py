"""Data for the console's tables that ui/data.py does not provide: who looks after each customer."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Engine

from core.services.reads import load_assignment


def with_owner(seg: pd.DataFrame, assignment: pd.DataFrame | None) -> pd.DataFrame:
    """``seg`` with an ``owner`` column: the staff each customer is assigned to (blank when not assigned).

    ``assignment`` has customer_id and staff (stored by save_assignment, or computed by core.assign).
    """
    out = seg.copy()
    if assignment is None or assignment.empty:
        out["owner"] = pd.Series(pd.NA, index=out.index, dtype="string")
        return out
    owners = pd.Series(
        assignment["staff"].astype("string").to_numpy(), index=assignment["customer_id"].astype("string")
    )
    owners = owners[~owners.index.duplicated()]
    out["owner"] = out["customer_id"].astype("string").map(owners).astype("string")
    return out


def stored_owners(engine: Engine, snapshot_id: int, seg: pd.DataFrame) -> pd.DataFrame:
    """``seg`` with ``owner`` from the assignment saved for the snapshot (blank if none was saved)."""
    return with_owner(seg, load_assignment(engine, snapshot_id))
