"""Capacity use of the plan the service makes for a seeded outlet (no page): what the AppTests compare against."""

from __future__ import annotations

import pandas as pd

from core import services
from core.demo import OUTLET
from core.policy import Policy
from core.roster import roster_from_frame
from core.segment import segment
from core.services.reads import load_customers_with_maturities, load_maturities, load_staff
from core.storage.engine import make_engine
from core.workload import capacity_use
from tests.builders.app import AS_OF, MONTH, Seeded


def service_capacity_use(seeded: Seeded, policy: Policy) -> pd.DataFrame:
    """Per role (core.workload.capacity_use) of the December plan for ``policy`` and the stored roster."""
    engine = make_engine(seeded.url)
    seg = segment(load_customers_with_maturities(engine, seeded.snapshot_id), policy, AS_OF)
    roster = roster_from_frame(load_staff(engine, OUTLET), policy=policy)
    items = load_maturities(engine, seeded.snapshot_id)
    items = items if len(items) else None  # as 任务分配 reads them
    bundle = services.plan_bundle(seg, roster, policy, MONTH, AS_OF, items, engine=engine, outlet=OUTLET)
    engine.dispose()
    return capacity_use(bundle.workload, policy, bundle.deferred).roles
