"""The published plan is the handout: publishing keeps the whole fitted plan, and every workbook handed out is
written from it by one function, byte for byte the same wherever it is downloaded. What staff see of customers
goes through one view that applies the policy's [privacy]; revealing a masked mobile is audited."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from core import services
from core.cli import main
from core.demo import OUTLET, demo_export, demo_maturities, demo_roster
from core.errors import AuthError
from core.handout import handout_bytes, handout_zip
from core.ingest import read_customers
from core.maturity import read_maturities
from core.policy import Policy
from core.privacy import staff_view
from core.roles import Actor
from core.roster import read_roster
from core.segment import segment
from core.services.reads import audit_entries, ensure_schema, handout_periods, list_snapshots, make_engine
from tests.builders.stored import delete_snapshot

AS_OF = dt.date(2026, 11, 30)
MONTH = "2026-12"
CUSTOMERS = 1500
HEAD = Actor("zhiju", "branch_head", OUTLET, "周建国")
LIMIN = Actor("limin", "staff", OUTLET, "李敏")


def files(root) -> dict[str, object]:
    paths = {
        "export": root / "目标客户查询.csv",
        "notice": root / "到期业务提醒.csv",
        "roster": root / "员工名单.csv",
    }
    paths["export"].write_bytes(demo_export(AS_OF, customers=CUSTOMERS))
    paths["notice"].write_bytes(demo_maturities(AS_OF, customers=CUSTOMERS))
    paths["roster"].write_bytes(demo_roster())
    return paths


def planned(paths, policy: Policy) -> tuple[services.ExportRead, services.PlanBundle]:
    result = read_customers(paths["export"].read_bytes(), as_of=AS_OF, file_name=paths["export"].name)
    notice = read_maturities(paths["notice"].read_bytes(), file_name=paths["notice"].name)
    export = services.read_export(result, [notice], AS_OF)
    roster = read_roster(io.BytesIO(paths["roster"].read_bytes()), policy=policy, file_name="员工名单.csv")
    seg = segment(export.customers, policy, AS_OF)
    return export, services.plan_bundle(seg, roster, policy, MONTH, AS_OF, export.items)


@pytest.fixture
def published(db_engine, tmp_path):
    policy = Policy.default()
    paths = files(tmp_path)
    export, bundle = planned(paths, policy)
    stored = services.publish_plan(db_engine, HEAD, OUTLET, bundle, policy=policy, as_of=AS_OF, export=export)
    return db_engine, bundle, stored, paths


def same(stored: pd.DataFrame, made: pd.DataFrame) -> None:
    """Every column, dtype and value back as made (a missing text value may come back as another NA marker)."""
    made = made.reset_index(drop=True)
    assert stored.dtypes.to_dict() == made.dtypes.to_dict()
    for column in made.columns:
        if made[column].dtype == object:
            assert stored[column].isna().tolist() == made[column].isna().tolist(), column
            assert stored[column].dropna().tolist() == made[column].dropna().tolist(), column
        else:
            pd.testing.assert_series_equal(stored[column], made[column], check_exact=True)


def test_publishing_keeps_the_whole_fitted_plan_with_its_notes_and_deferrals(published):
    engine, bundle, stored, _ = published
    handout = services.published_handout(engine, HEAD, OUTLET, MONTH)
    for name in ("plan", "deferred", "seg", "workload", "items"):
        same(getattr(handout, name), getattr(bundle, name))
    same(handout.assignment.table, bundle.assignment.table)
    assert (
        (len(handout.plan), len(handout.deferred)) == (len(bundle.plan), len(bundle.deferred)) == (3787, 779)
    )
    notes = handout.plan["note"]
    # the 731 reminders whose day passed before December (one of them the SMS of a 900 元 item)
    assert int(notes.str.startswith("补提醒").sum()) == 79
    assert int(notes.str.contains("兼本周例行电话").sum()) == 87  # a reminder that covers both
    assert handout.policy == Policy.default() and handout.month == MONTH and handout.as_of == AS_OF
    assert handout_periods(engine, stored["snapshot_id"]) == [MONTH]


def test_a_column_the_planner_adds_survives_storage(db_engine, tmp_path):
    policy = Policy.default()
    export, bundle = planned(files(tmp_path), policy)
    bundle.plan["priority"] = np.arange(len(bundle.plan), dtype=np.int32)
    services.publish_plan(db_engine, HEAD, OUTLET, bundle, policy=policy, as_of=AS_OF, export=export)
    handout = services.published_handout(db_engine, HEAD, OUTLET, MONTH)
    assert handout.plan["priority"].dtype == np.int32
    assert handout.plan["priority"].tolist() == list(range(len(bundle.plan)))


def test_the_same_published_plan_gives_the_same_bytes_wherever_it_is_downloaded(published):
    engine, bundle, _, _ = published
    handout = services.published_handout(engine, HEAD, OUTLET, MONTH)
    in_memory = services.handout_of(bundle, Policy.default(), AS_OF, OUTLET)
    whole = handout_bytes(handout)
    assert whole == handout_bytes(in_memory) == handout_bytes(handout)  # stored or not, now or later
    mine = handout_bytes(services.published_handout(engine, LIMIN, OUTLET, MONTH), staff=["李敏"])  # 我的客户
    archive = zipfile.ZipFile(io.BytesIO(handout_zip(handout)))  # 任务分配's zip
    assert archive.namelist() == [f"{name}.xlsx" for name in handout.staff]
    assert archive.read("李敏.xlsx") == mine
    assert handout_zip(handout) == handout_zip(in_memory)


def test_assign_with_a_database_writes_its_books_from_the_plan_it_stored(tmp_path, capsys):
    """``assign --db`` publishes, then writes --out and --zip from what was stored (SQLite: the command opens its
    own engine)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'console.db'}")
    ensure_schema(engine)
    paths = files(tmp_path)
    export, bundle = planned(paths, Policy.default())
    services.publish_plan(engine, HEAD, OUTLET, bundle, policy=Policy.default(), as_of=AS_OF, export=export)
    handout = services.published_handout(engine, HEAD, OUTLET, MONTH)
    whole = handout_bytes(handout)
    mine = handout_bytes(handout, staff=["李敏"])
    # assign --out/--zip with --db publishes the same plan again and writes it from what was stored
    out, zipped = tmp_path / "任务.xlsx", tmp_path / "任务.zip"
    db = engine.url.render_as_string(hide_password=False)
    code = main(
        [
            "assign",
            str(paths["export"]),
            "--staff",
            str(paths["roster"]),
            "--maturities",
            str(paths["notice"]),
            "--as-of",
            AS_OF.isoformat(),
            "--out",
            str(out),
            "--zip",
            str(zipped),
            "--db",
            db,
            "--outlet",
            OUTLET,
        ]
    )
    payload = json.loads(capsys.readouterr().out)
    assert code == 0 and payload["stored"]["snapshot"] == "existing"
    assert zipfile.ZipFile(zipped).read("李敏.xlsx") == mine
    # the command planned with the outlet's log (no "no contact log" warning on 总览): its book is what it stored
    republished = services.published_handout(engine, HEAD, OUTLET, MONTH)
    assert out.read_bytes() == handout_bytes(republished) != whole
    assert republished.warnings != handout.warnings


def test_staff_see_masked_mobiles_and_hidden_balances_when_the_policy_says_so(published):
    _, bundle, _, _ = published
    strict = Policy.default().with_changes({"privacy": {"mask_phone": True, "hide_assets": True}})
    rows = bundle.seg.iloc[:3][["customer_id", "phone", "assets", "gap"]].reset_index(drop=True)
    seen = staff_view(rows, strict, revealed={rows["customer_id"].iloc[1]})
    phones = rows["phone"].tolist()
    assert seen["phone"].tolist() == [
        f"{phones[0][:3]}****{phones[0][-4:]}",
        phones[1],
        f"{phones[2][:3]}****{phones[2][-4:]}",
    ]
    assert seen["assets"].isna().all()
    gaps = rows["gap"].to_numpy(dtype=float)
    expected = np.ceil(gaps / 1000) * 1000
    assert np.array_equal(seen["gap"].to_numpy(dtype=float), expected, equal_nan=True)
    lax = Policy.default().with_changes({"privacy": {"mask_phone": False, "hide_assets": False}})
    pd.testing.assert_frame_equal(staff_view(rows, lax), rows)


def test_revealing_a_mobile_is_audited_and_only_for_ones_own_customers(published):
    engine, bundle, stored, _ = published
    table = bundle.assignment.table
    own = str(table.loc[table["staff"] == "李敏", "customer_id"].iloc[0])
    other = str(table.loc[table["staff"] == "陈静", "customer_id"].iloc[0])
    phone = services.reveal_phone(engine, LIMIN, OUTLET, stored["snapshot_id"], own)
    assert phone == bundle.seg.loc[bundle.seg["customer_id"] == own, "phone"].iloc[0]
    last = audit_entries(engine, outlet=OUTLET)[0]
    assert (last["action"], last["username"], last["detail"]["customer_id"]) == (
        "privacy.reveal",
        "limin",
        own,
    )
    with pytest.raises(AuthError):
        services.reveal_phone(engine, LIMIN, OUTLET, stored["snapshot_id"], other)
    assert audit_entries(engine, outlet=OUTLET)[0]["id"] == last["id"]  # a refusal writes nothing


def test_deleting_the_snapshot_deletes_its_published_plan(published):
    engine, _, stored, _ = published
    delete_snapshot(engine, stored["snapshot_id"], user="t")
    assert services.published_handout(engine, HEAD, OUTLET, MONTH) is None
    assert list_snapshots(engine, OUTLET) == []
