"""Undoing an import: a snapshot deleted or re-dated by the head (service and ``db`` CLI), audited, refused while
a published plan rests on it unless she confirms; ``db import`` takes the export's own date."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core import services
from core.cli import main
from core.errors import AuthError, StorageError
from core.ingest import read_customers
from core.policy import Policy
from core.roles import Actor
from core.services.reads import audit_entries, list_snapshots, load_contacts, stored_periods
from core.storage.engine import write_connection
from core.storage.snapshots import redate_snapshot
from tests.builders.contacts import OUTLET, seed_outlet
from tests.builders.history import BEFORE
from tests.builders.stored import import_snapshot

HEAD = Actor("zhiju", "branch_head", OUTLET, None)


@pytest.fixture
def engine(db_engine):
    seed_outlet(db_engine)
    return db_engine


def only_snapshot(engine) -> dict:
    (snap,) = list_snapshots(engine, OUTLET)
    return snap


def test_a_snapshot_a_published_plan_rests_on_is_kept_until_the_head_confirms_then_deleted_with_its_plan(
    engine,
):
    snap = only_snapshot(engine)
    services.log_contact(
        engine,
        HEAD,
        OUTLET,
        policy=Policy.default(),
        today=dt.date(2026, 11, 30),
        contact_date=dt.date(2026, 11, 3),
        staff_name="王强",
        customer_id="C001",
        channel="短信",
        result="已联络",
    )
    with pytest.raises(StorageError) as refused:
        services.delete_snapshot(engine, HEAD, OUTLET, snap["id"])
    assert str(refused.value) == (
        "2026-10-31 的客户数据（文件 —）是已发布的 2026-11 联络计划的依据：删除会一并删除这些计划（联络记录保留）。"
        "确认无误后请勾选确认再操作"
    )
    assert len(list_snapshots(engine, OUTLET)) == 1 and stored_periods(engine, OUTLET) == ["2026-11"]
    gone = services.delete_snapshot(engine, HEAD, OUTLET, snap["id"], confirm=True)
    assert gone["as_of"] == "2026-10-31"
    assert list_snapshots(engine, OUTLET) == [] and stored_periods(engine, OUTLET) == []
    assert len(load_contacts(engine, OUTLET)) == 1
    entry = audit_entries(engine, outlet=OUTLET)[0]
    assert (entry["action"], entry["username"]) == ("snapshot.delete", "zhiju")
    assert (entry["detail"]["as_of"], entry["detail"]["plans"]) == ("2026-10-31", ["2026-11"])


def test_a_snapshot_is_re_dated_with_both_dates_in_the_audit_and_a_taken_date_is_refused(engine):
    snap = only_snapshot(engine)
    with pytest.raises(StorageError, match="2026-11 联络计划的依据：改日期会让这些计划依据新日期的数据"):
        services.redate_snapshot(engine, HEAD, OUTLET, snap["id"], dt.date(2026, 11, 30))
    services.redate_snapshot(engine, HEAD, OUTLET, snap["id"], dt.date(2026, 11, 30), confirm=True)
    assert only_snapshot(engine)["as_of"] == "2026-11-30" and stored_periods(engine, OUTLET) == ["2026-11"]
    entry = audit_entries(engine, outlet=OUTLET)[0]
    assert entry["action"] == "snapshot.redate"
    assert (entry["detail"]["before"], entry["detail"]["after"]) == ("2026-10-31", "2026-11-30")
    with pytest.raises(StorageError, match="新日期与原日期相同"):
        services.redate_snapshot(engine, HEAD, OUTLET, snap["id"], dt.date(2026, 11, 30), confirm=True)


def test_re_dating_onto_a_date_the_outlet_already_has_is_refused_naming_that_snapshot(engine):
    snap = only_snapshot(engine)
    nov30 = dt.date(2026, 11, 30)
    read = read_customers("客户号,姓名,资产余额\nZ1,甲,100\n".encode(), as_of=nov30, file_name="x.csv")
    import_snapshot(engine, read, outlet=OUTLET, as_of=nov30, user="zhiju")
    other = next(s for s in list_snapshots(engine, OUTLET) if s["as_of"] == "2026-11-30")
    with pytest.raises(StorageError) as refused, write_connection(engine) as conn:
        redate_snapshot(conn, snap["id"], dt.date(2026, 11, 30), user="zhiju")
    assert str(refused.value) == (
        f"网点“{OUTLET}”已有 2026-11-30 的客户数据（文件 x.csv，编号 {other['id']}）：请先删除或改动那一份"
    )


def test_only_a_head_of_the_outlet_or_an_admin_may_undo_an_import(engine):
    snap = only_snapshot(engine)
    with pytest.raises(AuthError):
        services.delete_snapshot(
            engine, Actor("li", "staff", OUTLET, "李娜"), OUTLET, snap["id"], confirm=True
        )
    with pytest.raises(AuthError):
        services.delete_snapshot(engine, Actor("x", "branch_head", "城西支局", None), OUTLET, snap["id"])
    with pytest.raises(StorageError, match="不属于网点“城西支局”"):
        services.delete_snapshot(engine, Actor("a", "admin"), "城西支局", snap["id"], confirm=True)
    assert len(list_snapshots(engine, OUTLET)) == 1


def cli(capsys, *argv: str) -> tuple[int, object, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def write_export(path, title: str | None = None) -> str:
    lines = [title] if title else []
    lines += ["客户号,姓名,网点,资产余额"] + [f"{c},客户{c},城东支局,{a:.2f}" for c, a in BEFORE.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_db_import_takes_the_exports_own_date_and_says_where_it_came_from(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    titled = write_export(tmp_path / "客户.csv", "查询机构：城东支局,导出日期：2026-10-31")
    code, out, _ = cli(capsys, "db", "import", titled, "--db", db)
    assert (code, out["as_of"], out["as_of_from"]) == (0, "2026-10-31", "title")
    named = write_export(tmp_path / "目标客户查询-20261130.csv")
    code, out, _ = cli(capsys, "db", "import", named, "--db", db)
    assert (code, out["as_of"], out["as_of_from"]) == (0, "2026-11-30", "file_name")
    plain = write_export(tmp_path / "客户资产.csv")
    code, out, err = cli(capsys, "db", "import", plain, "--db", db)
    assert code == 2 and out is None
    assert err.strip().endswith(
        "文件中没有导出日期（标题行和文件名中都没有日期）：请用 --as-of YYYY-MM-DD 指定数据日期"
    )
    code, out, _ = cli(capsys, "db", "import", named, "--as-of", "2026-12-06", "--replace", "--db", db)
    assert (code, out["as_of"], out["as_of_from"]) == (0, "2026-12-06", "--as-of")


def test_db_redate_and_delete_undo_a_slip_from_the_command_line(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    cli(capsys, "db", "import", write_export(tmp_path / "a.csv"), "--as-of", "2026-12-06", "--db", db)
    code, out, _ = cli(capsys, "db", "redate", "2026-12-06", "2026-11-30", "--db", db, "--user", "zhiju")
    assert (code, out["before"], out["after"]) == (0, "2026-12-06", "2026-11-30")
    code, out, err = cli(capsys, "db", "delete", "2026-12-06", "--db", db)
    assert code == 2 and "2026-12-06" in err and "2026-11-30" in err  # no snapshot then: the dates it has
    code, out, _ = cli(capsys, "db", "delete", "2026-11-30", "--db", db)
    assert (code, out["as_of"], out["file"]) == (0, "2026-11-30", "a.csv")
    code, out, _ = cli(capsys, "db", "list", "--db", db)
    assert out == []
