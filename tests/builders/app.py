"""Helpers for the console's AppTests: a seeded outlet in a temporary database, and a page runner script."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import pathlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from core import clock, services
from core.demo import OUTLET, demo_export, demo_maturities, demo_roster
from core.ingest import read_customers
from core.maturity import combine_maturities, merge_maturities, read_maturities
from core.policy import Policy
from core.roster import read_roster
from core.segment import segment
from core.storage.engine import ensure_schema, make_engine
from tests.builders.stored import import_snapshot, save_staff

AS_OF = dt.date(2026, 11, 30)
MONTH = "2026-12"
PREVIOUS = dt.date(2026, 10, 31)
PREVIOUS_SEED = 20261031
CUSTOMERS = 1500
ROOT = pathlib.Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Seeded:
    """A demo outlet stored in a temporary database: what the tests compare the screen against."""

    url: str
    snapshot_id: int
    assets: np.ndarray
    assignment: pd.DataFrame
    export: bytes
    earlier: pd.DataFrame  # customers of the previous month's snapshot (for 历史对比)
    latest: pd.DataFrame


def seed_outlet(db_path: pathlib.Path, policy: Policy | None = None) -> Seeded:
    """One snapshot of the demo outlet with maturity notices, its roster, and a published assignment and plan."""
    url = f"sqlite:///{db_path}"
    engine = make_engine(url)
    ensure_schema(engine)
    earlier = read_customers(
        demo_export(PREVIOUS, customers=CUSTOMERS, seed=PREVIOUS_SEED), as_of=PREVIOUS, file_name="上月.csv"
    )
    import_snapshot(engine, earlier, outlet=OUTLET, as_of=PREVIOUS, user="seed")
    export = demo_export(AS_OF, customers=CUSTOMERS)
    result = read_customers(export, as_of=AS_OF, file_name="目标客户查询.csv")
    notice = read_maturities(demo_maturities(AS_OF, customers=CUSTOMERS), file_name="到期业务提醒.csv")
    merged = merge_maturities(result.customers, combine_maturities([notice]), as_of=AS_OF)
    result.customers = merged.customers
    snapshot_id = import_snapshot(
        engine, result, outlet=OUTLET, as_of=AS_OF, user="seed", maturities=merged.items
    )
    policy = policy or Policy.default()  # the policy the plan is made and published under
    roster = read_roster(io.BytesIO(demo_roster()), policy=policy, file_name="员工名单.csv")
    save_staff(engine, OUTLET, roster.staff, user="seed")
    seg = segment(merged.customers, policy, AS_OF)
    # planned as 任务分配 plans it: with the outlet's storage (last month's deferrals, the 挽回 calls of money that
    # left since the earlier snapshot, the logged 熟识程度), and published whole
    bundle = services.plan_bundle(
        seg, roster, policy, MONTH, AS_OF, merged.items, engine=engine, outlet=OUTLET
    )
    assignment = bundle.assignment
    services.publish_plan(engine, services.operator("seed"), OUTLET, bundle, policy=policy, as_of=AS_OF)
    engine.dispose()
    return Seeded(
        url=url,
        snapshot_id=snapshot_id,
        assets=merged.customers["assets"].to_numpy(dtype=np.float64),
        assignment=assignment.table,
        export=export,
        earlier=earlier.customers,
        latest=merged.customers,
    )


PAGE_SCRIPT = """
import datetime
import importlib
from ui.context import Ctx
from ui.data import get_engine

ctx = Ctx(
    username={username!r}, name={name!r}, role={role!r}, outlet={outlet!r}, staff_name={staff_name!r},
    lang={lang!r}, engine=get_engine(), today=datetime.date.fromisoformat({today!r}),
)
importlib.import_module("views.{page}").render(ctx)
"""


def page_test(
    page: str,
    role: str,
    *,
    staff_name: str | None = None,
    outlet: str | None = OUTLET,
    lang: str = "zh",
    today: dt.date | None = None,
) -> AppTest:
    """An AppTest running one page's render(ctx) as the given role on ``today`` (default: the real date; the frame
    is tested separately)."""
    script = PAGE_SCRIPT.format(
        username=f"{role}_user",
        name=staff_name or role,
        role=role,
        outlet=outlet,
        staff_name=staff_name,
        lang=lang,
        page=page,
        today=(today or clock.today()).isoformat(),
    )
    return AppTest.from_string(script, default_timeout=60)


def metric_number(text: str) -> float:
    return float(str(text).replace(",", ""))


def set_database(url: str) -> None:
    os.environ["DATABASE_URL"] = url


@contextlib.contextmanager
def database_env(url: str) -> Iterator[None]:
    """DATABASE_URL points at ``url`` inside the block and is restored after it (pages read it)."""
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous


def ran(at: AppTest) -> AppTest:
    """Run the AppTest and fail with the page's own messages when it raised."""
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@contextlib.contextmanager
def seeded_with_heads(db_path: pathlib.Path) -> Iterator[tuple[Seeded, object]]:
    """The seeded outlet with two head accounts (周建国, and one whose display name is the role), DATABASE_URL set."""
    from core.services.accounts import add_user

    data = seed_outlet(db_path)
    engine = make_engine(data.url)
    add_user(engine, "head", "head-pass-123", role="branch_head", outlet=OUTLET, display_name="周建国")
    add_user(engine, "guard", "guard-pass-123", role="branch_head", outlet=OUTLET, display_name="支局长")
    os.environ.setdefault("CONSOLE_COOKIE_KEY", "k" * 64)
    with database_env(data.url):
        yield data, engine
    engine.dispose()


def page_ran(page: str, role: str, **kwargs) -> AppTest:
    """One page run once as ``role`` (see :func:`page_test`), failing on any exception."""
    return ran(page_test(page, role, **kwargs))


def table_with(at: AppTest, heading: str) -> pd.DataFrame:
    """The last table on the page with a column ``heading``."""
    frames = [d.value for d in at.dataframe if heading in d.value.columns]
    assert frames, f"no table with {heading}"
    return frames[-1]


def no_raw_cells(frame: pd.DataFrame) -> None:
    """No cell shows a raw None / nan / NaT / <NA>."""
    text = frame.astype("string")
    assert not text.isin(["None", "nan", "NaT", "<NA>"]).any().any()
    assert not text.isna().any().any()
