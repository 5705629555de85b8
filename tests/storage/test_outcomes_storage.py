"""Outcomes read from the database (SQLite and PostgreSQL), gift handovers stored, the CLI's JSON contract."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest

from core import services
from core.cli import main
from core.errors import ConsoleError, StorageError
from core.roles import Actor
from core.services.reads import audit_entries, load_handovers
from core.storage import ensure_schema, make_engine
from tests.builders import outcomes as s
from tests.builders.stored import delete_handover, save_policy

HEAD = Actor("zhiju", "branch_head", s.OUTLET)
ADMIN = services.operator("admin")


@pytest.fixture
def seeded(db_engine):
    s.seed(db_engine)
    return db_engine


def test_outcomes_from_the_database_match_the_frames(seeded):
    got = services.outcomes_between(seeded, HEAD, s.OUTLET, s.FROM, s.TO, s.policy()).summary()
    assert got["customers"] == {"from": 10, "to": 10}
    assert got["avg_assets"] == {"from": 66_750.0, "to": 65_300.0}
    assert got["reached_level"] == {"10000": 1, "50000": 1, "100000": 1, "200000": 1}
    assert got["maturities"]["items"] == 6 and got["maturities"]["kept"] == 2
    assert got["contacted"]["customers"] == 4 and got["not_contacted"]["customers"] == 5
    assert [r["staff"] for r in got["by_staff"]] == ["李强", "王芳"]


def test_a_date_without_a_snapshot_is_refused_with_the_stored_dates(seeded):
    with pytest.raises(StorageError, match="2026-10-31、2026-11-30"):
        services.outcomes_between(seeded, HEAD, s.OUTLET, dt.date(2026, 9, 30), s.TO, s.policy())
    with pytest.raises(ConsoleError, match="必须早于"):
        services.outcomes_between(seeded, HEAD, s.OUTLET, s.TO, s.FROM, s.policy())


def test_the_trend_has_one_row_per_snapshot(seeded):
    got = services.outcomes_trend(seeded, HEAD, s.OUTLET, s.policy())
    assert got["as_of"].dt.date.tolist() == [s.FROM, s.TO]
    assert got["customers"].tolist() == [10, 10]
    assert got["avg_assets"].tolist() == [66_750.0, 65_300.0]
    assert got["share_10000"].tolist() == [0.7, 0.8]
    assert got["share_50000"].tolist() == [0.4, 0.4]


def test_a_handover_recorded_in_the_console_is_stored_corrected_and_audited(seeded):
    policy = s.policy()
    today = dt.date(2026, 12, 1)
    assert (
        services.record_gift(
            seeded,
            HEAD,
            s.OUTLET,
            policy,
            customer_id="C06",
            handed_on=dt.date(2026, 11, 28),
            staff_name="李强",
            today=today,
        )
        == "added"
    )
    assert (
        services.record_gift(
            seeded,
            HEAD,
            s.OUTLET,
            policy,
            customer_id="C06",
            handed_on=dt.date(2026, 11, 29),
            staff_name="王芳",
            today=today,
        )
        == "updated"
    )
    stored = load_handovers(seeded, s.OUTLET, "2026-10-31~2026-11-30")
    assert stored[["customer_id", "level", "staff_name"]].values.tolist() == [["C06", 200_000.0, "王芳"]]
    assert stored["handed_on"].tolist() == [pd.Timestamp("2026-11-29")]
    summary = services.gift_campaign(seeded, HEAD, s.OUTLET, policy).summary
    assert (summary["handed"], summary["handed_value"], summary["remaining"]) == (
        2,
        210.0,
        90.0,
    )  # C01 log + C06
    actions = [e["action"] for e in audit_entries(seeded, outlet=s.OUTLET)]
    assert actions[:2] == ["gift.updated", "gift.added"]
    delete_handover(
        seeded, s.OUTLET, campaign="2026-10-31~2026-11-30", customer_id="C06", level=200_000, user="zhiju"
    )
    assert load_handovers(seeded, s.OUTLET, "2026-10-31~2026-11-30").empty


def test_a_handover_is_refused_for_a_customer_who_earned_nothing_or_a_future_date(seeded):
    policy = s.policy()
    with pytest.raises(ConsoleError, match="C02"):
        services.record_gift(seeded, HEAD, s.OUTLET, policy, customer_id="C02", handed_on=s.TO)
    with pytest.raises(StorageError, match="晚于今天"):
        services.record_gift(
            seeded,
            HEAD,
            s.OUTLET,
            policy,
            customer_id="C01",
            handed_on=dt.date(2026, 12, 2),
            today=dt.date(2026, 12, 1),
        )


def test_the_city_view_puts_outlets_side_by_side_under_their_own_policies(seeded):
    s.seed(seeded, outlet="城西支局")
    save_policy(seeded, s.policy(), user="admin", outlet=s.OUTLET)
    frame = services.city_overview(seeded, ADMIN, today=dt.date(2026, 12, 1)).set_index("outlet")
    assert frame.index.tolist() == ["城东支局", "城西支局"]
    assert frame["customers"].tolist() == [10, 10]
    assert frame["avg_assets"].tolist() == [65_300.0, 65_300.0]
    assert frame["share_50000"].tolist() == [0.4, 0.4]
    assert frame["promoted"].tolist() == [3, 3]
    assert frame["demoted"].tolist() == [2, 2]
    # 城东 has a campaign window (its own policy): the 联络表 handed C01's 10 元 gift over; 城西 has none.
    assert frame["campaign_cost"].tolist() == [10.0, 0.0]
    assert frame["campaign_earned"].tolist() == [4, 0]
    assert frame["compliance_rate"].isna().all()  # neither outlet has a stored plan


# --- CLI ------------------------------------------------------------------------------------------------------


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    s.seed(engine)
    save_policy(engine, s.policy(), user="admin", outlet=s.OUTLET)
    engine.dispose()
    return url


def run(capsys, *argv: str) -> tuple[int, dict | None, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_cli_prints_the_outcomes_json_contract(capsys, db_url):
    code, got, _ = run(capsys, "outcomes", "--from", "2026-10-31", "--to", "2026-11-30", "--db", db_url)
    assert code == 0
    for key in (
        "customers",
        "avg_assets",
        "share_at_least",
        "migration",
        "promoted",
        "demoted",
        "reached_level",
        "maturities",
        "contacted",
        "not_contacted",
        "by_staff",
    ):
        assert key in got
    assert got["outlet"] == s.OUTLET
    assert got["share_at_least"] == {"10000": {"from": 0.7, "to": 0.8}, "50000": {"from": 0.4, "to": 0.4}}
    assert got["migration"]["potential->basic"] == 1
    assert (got["promoted"], got["demoted"]) == (3, 2)
    assert got["reached_level"] == {"10000": 1, "50000": 1, "100000": 1, "200000": 1}
    assert got["maturities"] == {"items": 6, "kept": 2, "customers": 6, "kept_customers": 2}
    assert (got["contacted"]["customers"], got["contacted"]["promoted"]) == (4, 3)
    assert (got["not_contacted"]["customers"], got["not_contacted"]["promoted"]) == (5, 0)
    assert got["by_staff"][0]["staff"] == "李强"


def test_cli_exits_2_with_one_line_when_a_date_has_no_snapshot(capsys, db_url):
    code, got, err = run(
        capsys, "outcomes", "--from", "2026-09-30", "--to", "2026-11-30", "--outlet", s.OUTLET, "--db", db_url
    )
    assert code == 2 and got is None
    assert err.count("\n") == 1 and "2026-09-30" in err and "2026-10-31、2026-11-30" in err


def test_cli_writes_the_workbook_with_the_gift_list(capsys, db_url, tmp_path):
    out = tmp_path / "成效.xlsx"
    code, got, _ = run(
        capsys, "outcomes", "--from", "2026-10-31", "--to", "2026-11-30", "--db", db_url, "--out", str(out)
    )
    assert code == 0 and got["out"] == str(out)
    assert got["campaign"]["earned"] == 4 and got["campaign"]["handed_value"] == 10.0
    sheets = pd.read_excel(io.BytesIO(out.read_bytes()), sheet_name=None, engine="calamine", header=None)
    assert list(sheets) == ["概要", "层级迁移", "触达对比", "按员工", "达标客户", "到期留存", "达标有礼"]
    groups = sheets["触达对比"]
    assert groups.iloc[1, :3].tolist() == ["期间已触达", 4, 3]
    gifts = sheets["达标有礼"]
    assert gifts.iloc[2:6, 0].tolist() == ["C06", "C05", "C03", "C01"]


def test_workbook_cells_are_defused_against_formula_injection(tmp_path):
    from core.outcomes import outcomes
    from core.outcomes.workbook import outcomes_workbook

    after = s.customers(s.AFTER)
    after["name"] = after["name"].astype(object)
    after.loc[0, "name"] = '=HYPERLINK("http://x")'
    result = outcomes(s.customers(s.BEFORE), after, s.policy(), date_from=s.FROM, date_to=s.TO)
    data = outcomes_workbook(result, s.policy(), outlet=s.OUTLET)
    import zipfile

    xml = "".join(
        zipfile.ZipFile(io.BytesIO(data)).read(n).decode()
        for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if n.startswith("xl/worksheets/")
    )
    assert "<f>" not in xml
