"""Each workflow is one unit of work: a process killed (SIGKILL) after some of its rows are written, before it
ends, leaves nothing of it stored. On SQLite and on PostgreSQL (``db_engine`` runs both)."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from core import services
from core.policy import Policy
from core.services.reads import active_policy_version, list_policies
from tests.builders.contacts import OUTLET as SEEDED_OUTLET
from tests.builders.contacts import seed_outlet

ROOT = pathlib.Path(__file__).resolve().parents[2]
TABLES = ("outlet", "snapshot", "snapshot_customer", "maturity_item", "assignment", "plan_item", "contact")
TABLES += ("policy_version", "audit_log")

PRELUDE = """
import datetime as dt, io, os, signal, sys
sys.path.insert(0, {root!r})
from core import services
from core.services.reads import make_engine

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

engine = make_engine({url!r}, **{kwargs!r})
actor = services.operator("z")
"""

WORKFLOWS = {
    # the export's customers, rejections and items are written; the process dies at its audit line
    "import": """
import core.storage.snapshots as store
from tests.builders.storage import customers_frame, ingest_result
store.audit = killed
day = dt.date(2026, 12, 31)
export = services.read_export(ingest_result(customers_frame(500), sha256="killed"), [], day)
services.import_export(engine, actor, "城西支局", export)
""",
    # publishing with the export: the snapshot is imported and the assignment and plan rows written in the same
    # transaction; the process dies at the plan's audit line
    "publish": """
import core.storage.plans as store
from core.demo import demo_export, demo_roster
from core.ingest import read_customers
from core.policy import Policy
from core.roster import read_roster
from core.segment import segment
store.audit = killed
day = dt.date(2026, 11, 30)
policy = Policy.default()
result = read_customers(demo_export(day, customers=300), as_of=day, file_name="目标客户查询.csv")
export = services.read_export(result, [], day)
roster = read_roster(io.BytesIO(demo_roster()), policy=policy, file_name="员工名单.csv")
bundle = services.plan_bundle(segment(export.customers, policy, day), roster, policy, "2026-12", day)
services.publish_plan(engine, actor, "城西支局", bundle, policy=policy, as_of=day, export=export)
""",
    # the contacts are inserted; the process dies at the import's audit line
    "logs": """
import pandas as pd
import core.storage.contacts as store
store.audit = killed
rows = pd.DataFrame({{
    "contact_date": [pd.Timestamp("2026-11-20"), pd.Timestamp("2026-11-21")],
    "staff_name": ["李娜", "王强"], "customer_id": ["C003", "C001"],
    "channel": ["电话", "短信"], "result": ["已联络", "已联络"],
}})
services.store_contact_rows(engine, actor, {outlet!r}, rows, "log.csv")
""",
    # the active version is switched off and the new one inserted; the process dies at the audit line
    "policy": """
import core.storage.policies as store
from core.policy import Policy
store.audit = killed
services.save_policy(engine, actor, {outlet!r}, Policy.default(), note="killed")
""",
}


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar() for name in TABLES}


def run_killed(engine, workflow: str) -> subprocess.CompletedProcess:
    url = engine.url.render_as_string(hide_password=False)
    kwargs = {}
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        kwargs = {"connect_args": {"options": f"-csearch_path={schema}"}}
    script = textwrap.dedent(PRELUDE).format(root=str(ROOT), url=url, kwargs=kwargs)
    script += textwrap.dedent(WORKFLOWS[workflow]).format(outlet=SEEDED_OUTLET)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("workflow", sorted(WORKFLOWS))
def test_a_workflow_killed_before_it_ends_stores_nothing(db_engine, workflow):
    seed_outlet(db_engine)
    services.save_policy(db_engine, services.operator("z"), SEEDED_OUTLET, Policy.default(), note="v1")
    before = counts(db_engine)
    proc = run_killed(db_engine, workflow)
    assert proc.returncode == -9, proc.stderr
    assert counts(db_engine) == before
    assert [p["version"] for p in list_policies(db_engine, SEEDED_OUTLET)] == [1]
    assert active_policy_version(db_engine, SEEDED_OUTLET)[1] == 1


def test_the_same_workflows_complete_when_nothing_kills_them(db_engine):
    """The kill scripts do real work: without the kill, each one stores what it should."""
    seed_outlet(db_engine)
    before = counts(db_engine)
    for workflow in ("import", "logs", "policy"):
        script_ok = WORKFLOWS[workflow].replace("store.audit = killed", "")
        url = db_engine.url.render_as_string(hide_password=False)
        kwargs = {}
        if db_engine.dialect.name == "postgresql":
            with db_engine.connect() as conn:
                schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
            kwargs = {"connect_args": {"options": f"-csearch_path={schema}"}}
        script = textwrap.dedent(PRELUDE).format(root=str(ROOT), url=url, kwargs=kwargs)
        script += textwrap.dedent(script_ok).format(outlet=SEEDED_OUTLET)
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
    after = counts(db_engine)
    assert after["snapshot"] == before["snapshot"] + 1
    assert after["snapshot_customer"] == before["snapshot_customer"] + 500
    assert after["contact"] == before["contact"] + 2
    assert after["policy_version"] == before["policy_version"] + 1
