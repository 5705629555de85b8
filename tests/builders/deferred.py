"""A demo outlet with two snapshots (2026-10-31, 2026-11-30) and November's plan published from the first:
what the deferred contacts and the 挽回 calls of December are computed from."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from core import services
from core.demo import OUTLET, demo_export, demo_maturities, demo_roster
from core.ingest import read_customers
from core.maturity import read_maturities
from core.policy import Policy
from core.roster import Roster, read_roster
from core.segment import segment
from core.storage.engine import make_engine
from tests.builders.app import AS_OF, CUSTOMERS, PREVIOUS, PREVIOUS_SEED, Seeded, seed_outlet

HEAD = services.operator("seed")


@dataclass(frozen=True)
class TwoMonths:
    policy: Policy
    roster: Roster
    november: services.PlanBundle  # published with the 2026-10-31 snapshot
    seg: pd.DataFrame  # the 2026-11-30 customers, segmented
    latest: services.ExportRead


def export_read(as_of, seed: int | None, notices: bool) -> services.ExportRead:
    kwargs = {"customers": CUSTOMERS} if seed is None else {"customers": CUSTOMERS, "seed": seed}
    result = read_customers(
        demo_export(as_of, **kwargs), as_of=as_of, file_name=f"目标客户查询-{as_of:%Y%m%d}.csv"
    )
    items = [read_maturities(demo_maturities(as_of, customers=CUSTOMERS), file_name="到期业务提醒.csv")]
    return services.read_export(result, items if notices else [], as_of)


def seed_two_months(engine: Engine) -> TwoMonths:
    """November published from the October export (its deferrals stored with it), the November export stored."""
    policy = Policy.default()
    roster = read_roster(io.BytesIO(demo_roster()), policy=policy, file_name="员工名单.csv")
    services.save_roster(engine, HEAD, OUTLET, roster.staff)
    earlier = export_read(PREVIOUS, PREVIOUS_SEED, notices=False)
    november = services.plan_bundle(
        segment(earlier.customers, policy, PREVIOUS), roster, policy, "2026-11", PREVIOUS, earlier.items
    )
    services.publish_plan(engine, HEAD, OUTLET, november, policy=policy, as_of=PREVIOUS, export=earlier)
    latest = export_read(AS_OF, None, notices=True)
    services.import_export(engine, HEAD, OUTLET, latest)
    seg = segment(latest.customers, policy, AS_OF)
    return TwoMonths(policy=policy, roster=roster, november=november, seg=seg, latest=latest)


def seed_published_months(db_path) -> Seeded:
    """``seed_outlet`` (December published from the 2026-11-30 export) with November also published, from the
    2026-10-31 export: both months' deferrals stored with their plans."""
    seeded = seed_outlet(db_path)
    engine = make_engine(seeded.url)
    policy = Policy.default()
    roster = read_roster(io.BytesIO(demo_roster()), policy=policy, file_name="员工名单.csv")
    november = services.plan_bundle(
        segment(seeded.earlier, policy, PREVIOUS), roster, policy, "2026-11", PREVIOUS
    )
    services.publish_plan(engine, HEAD, OUTLET, november, policy=policy, as_of=PREVIOUS)
    engine.dispose()
    return seeded
