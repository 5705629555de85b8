"""``python -m core setup --demo``: a demo outlet that has lived four months, built once, deterministically."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from core import demo, services
from core.cli import main
from core.compliance import compliance, parse_period, requirements
from core.history import compare
from core.roster import roster_from_frame
from core.segment import segment
from core.services.accounts import get_user, verify
from core.services.reads import (
    active_policy,
    active_policy_version,
    list_snapshots,
    load_contacts,
    load_customers,
    load_customers_with_maturities,
    load_period_plan,
    load_staff,
    stored_periods,
)
from core.storage import make_engine
from core.workload import capacity_use
from tests.builders.stored import delete_snapshot, save_policy

AS_OF = dt.date(2026, 11, 30)
MONTH_ENDS = ["2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("setup")
    url = f"sqlite:///{tmp / 'console.db'}"
    args = ["setup", "--db", url, "--demo", str(tmp / "demo"), "--as-of", AS_OF.isoformat()]
    return url, args, tmp


def _passwords(text: str) -> dict[str, str]:
    return dict(re.findall(r"用户名：(\S+)\s+密码：(\S+)", text))


@pytest.fixture(scope="module")
def first_run(built):
    import contextlib
    import io

    url, args, tmp = built
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(args) == 0
    return url, args, tmp, err.getvalue()


def _snapshots(engine, outlet):
    return sorted(list_snapshots(engine, outlet=outlet), key=lambda s: s["as_of"])


def _rate(engine, outlet: str, month: str) -> tuple[float, int]:
    policy = active_policy(engine, outlet)
    period = parse_period(month)
    req = requirements(load_period_plan(engine, outlet, period), policy, period)
    contacts = load_contacts(
        engine, outlet, start=req["window_start"].min().date(), end=req["window_end"].max().date()
    )
    return compliance(req, contacts, policy, period, as_of=AS_OF).summary()["overall"], len(req)


def test_demo_outlet_has_four_month_end_snapshots_that_drift(first_run):
    engine = make_engine(first_run[0])
    snaps = _snapshots(engine, demo.OUTLET)
    assert [s["as_of"] for s in snaps] == MONTH_ENDS
    assert [s["customers"] for s in snaps] == [3000, 3017, 3017, 3033]
    assert [s["rows_read"] for s in snaps] == [3967, 3968, 3940, 3946]
    assert snaps[-1]["sha256"].startswith("92ff2fc086cd919d")  # the same bytes on every machine and run
    moved = compare(
        load_customers(engine, snaps[0]["id"]),
        load_customers(engine, snaps[-1]["id"]),
        active_policy(engine, demo.OUTLET),
    ).summary()
    assert (moved["up"], moved["down"], moved["new"], moved["gone"]) == (92, 58, 87, 54)
    assert moved["outflow_alerts"] == 15 and moved["reward_fulfilment"] == 91


def test_each_finished_month_has_a_published_plan_and_contacts_with_partial_compliance(first_run):
    engine = make_engine(first_run[0])
    assert stored_periods(engine, demo.OUTLET) == [
        "2026-09",
        "2026-10",
        "2026-11",
    ]  # 2026-12 is left to publish
    assert len(load_contacts(engine, demo.OUTLET)) == 14809
    rates = {month: _rate(engine, demo.OUTLET, month) for month in ("2026-09", "2026-10", "2026-11")}
    # Quarterly duties are owed in every month of their quarter until met: September (Q3's last month) owes them
    # all, November those October's log did not meet; catch-up 731 calls join each plan made ahead, and from
    # October a 挽回 call for each customer whose money left after a maturity since the previous snapshot (owed too);
    # an item under 1,000 元 whose one SMS passed before the plan gets that SMS caught up (one a month here).
    assert {m: (round(r, 4), n) for m, (r, n) in rates.items()} == {
        "2026-09": (0.8685, 5926),
        "2026-10": (0.9163, 5457),
        "2026-11": (0.9114, 5747),
    }
    assert all(0 < r < 1 for r, _ in rates.values())


def test_second_smaller_outlet_lives_the_same_months(first_run):
    engine = make_engine(first_run[0])
    snaps = _snapshots(engine, demo.SECOND_OUTLET)
    assert [s["as_of"] for s in snaps] == MONTH_ENDS
    assert [s["customers"] for s in snaps] == [1200, 1206, 1209, 1210]
    assert len(load_contacts(engine, demo.SECOND_OUTLET)) == 6171
    assert round(_rate(engine, demo.SECOND_OUTLET, "2026-11")[0], 4) == 0.8934
    assert load_staff(engine, demo.SECOND_OUTLET)["name"].tolist() == [n for n, _, _ in demo.SECOND_ROSTER]


@pytest.mark.parametrize("outlet", [demo.OUTLET, demo.SECOND_OUTLET])
def test_the_demo_roster_carries_the_current_month_without_overload(first_run, outlet):
    engine = make_engine(first_run[0])
    policy = active_policy(engine, outlet)
    latest = _snapshots(engine, outlet)[-1]
    customers = load_customers_with_maturities(engine, latest["id"])
    roster = roster_from_frame(load_staff(engine, outlet), policy=policy)
    bundle = services.plan_bundle(
        segment(customers, policy, AS_OF), roster, policy, "2026-12", AS_OF, engine=engine, outlet=outlet
    )
    roles = capacity_use(bundle.workload, policy, bundle.deferred).roles  # what 任务分配 and 分层策略 show
    assert roles["deferred"].sum() == 0 and (roles["use"] <= 1).all(), roles
    assert roles["use"].max() > 0.5  # busy, not idle


def test_demo_policy_names_example_gifts(first_run):
    engine = make_engine(first_run[0])
    policy, version = active_policy_version(engine, demo.OUTLET)
    assert version == 1
    assert [(b.level, b.gift, b.gift_value) for b in policy.bands] == [
        (10000.0, "示例：精美雨伞", 30.0),
        (50000.0, "示例：食用油礼盒", 80.0),
        (100000.0, "示例：电饭煲", 150.0),
        (200000.0, "示例：高端茶礼", 300.0),
    ]


def test_every_demo_account_is_printed_once_and_logs_in(first_run):
    url, _, _, err = first_run
    engine = make_engine(url)
    passwords = _passwords(err)
    assert sorted(passwords) == sorted(["zhiju", *(u for u, _, _, _ in demo.DEMO_ACCOUNTS)])
    for username, password in passwords.items():
        assert verify(engine, username, password), username
    assert get_user(engine, "limin")["staff_name"] == "李敏"
    assert get_user(engine, "admin")["role"] == "admin"
    assert get_user(engine, "dongjie")["outlet"] == demo.SECOND_OUTLET


def test_second_run_keeps_what_the_user_did_and_prints_no_password(first_run):
    import contextlib
    import io

    url, args, _, _ = first_run
    engine = make_engine(url)
    mine = active_policy(engine, demo.OUTLET).with_tier_lowers({"mid": 60000})
    version = save_policy(engine, mine, user="zhiju", outlet=demo.OUTLET, note="我的策略")
    before = (len(load_contacts(engine, demo.OUTLET)), [s["id"] for s in list_snapshots(engine)])
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(args) == 0
    assert "密码" not in err.getvalue()
    assert (len(load_contacts(engine, demo.OUTLET)), [s["id"] for s in list_snapshots(engine)]) == before
    assert active_policy_version(engine, demo.OUTLET)[1] == version


def test_month_ends_end_at_the_last_finished_month():
    assert demo.month_ends(dt.date(2026, 11, 30), 4) == [
        dt.date(2026, 8, 31),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 31),
        dt.date(2026, 11, 30),
    ]
    assert demo.month_ends(dt.date(2026, 12, 15), 2) == [dt.date(2026, 10, 31), dt.date(2026, 11, 30)]


def test_the_second_outlet_builds_the_same_figures_on_each_database_and_only_once(db_engine):
    from core.cli.setup import DEMO_OUTLETS

    outlet, roster, customers, seed = DEMO_OUTLETS[1]
    built = demo.build_outlet(db_engine, outlet, roster, customers=customers, seed=seed, as_of=AS_OF)
    assert built["periods"] == ["2026-09", "2026-10", "2026-11"] and built["contacts"] == 6171
    assert [s["customers"] for s in _snapshots(db_engine, outlet)] == [1200, 1206, 1209, 1210]
    assert demo.build_outlet(db_engine, outlet, roster, customers=customers, seed=seed, as_of=AS_OF) is None
    assert len(load_contacts(db_engine, outlet)) == 6171
    for snap in _snapshots(db_engine, outlet):  # the user empties the demo outlet: it stays empty
        delete_snapshot(db_engine, snap["id"], user="zhiju")
    assert demo.build_outlet(db_engine, outlet, roster, customers=customers, seed=seed, as_of=AS_OF) is None
    assert _snapshots(db_engine, outlet) == []
