"""Issue 19 items 8 and 9 wired: ``services.plan_bundle`` with the outlet's storage carries the contacts deferred in
last month's published plan into this month first, with their original date, and owes a 挽回 call for money that
left after a maturity between the outlet's two snapshots (the outflow alert of 历史对比)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core import services
from core.cli import main
from core.demo import OUTLET, demo_export, demo_maturities, demo_roster
from core.storage.engine import ensure_schema, make_engine
from tests.builders.app import AS_OF, CUSTOMERS
from tests.builders.deferred import seed_two_months


def december(engine, seeded, *, stored: bool = True) -> services.PlanBundle:
    kwargs = {"engine": engine, "outlet": OUTLET} if stored else {}
    return services.plan_bundle(
        seeded.seg, seeded.roster, seeded.policy, "2026-12", AS_OF, seeded.latest.items, **kwargs
    )


def test_november_deferrals_come_first_in_december_with_their_original_date(db_engine):
    seeded = seed_two_months(db_engine)
    assert len(seeded.november.deferred) == 738
    bundle = december(db_engine, seeded)
    # read back from the published November plan, every one: all are calls (the greeting SMS is a batch and never
    # waits), so none is dropped for a tier without the channel and no warning says so
    assert len(bundle.carried) == 738
    assert bundle.warnings == ()
    plan = bundle.plan
    carried = plan["note"].astype(str).str.startswith("上月延后，原定 ")
    # the other 544 are 潜力 customers' quarterly calls: the quarter rule owes them again (planned, met by a 731 call or deferred in
    # December without the note), they are not carried twice
    assert int(carried.sum()) == 194
    assert plan.loc[carried].groupby("staff").size().to_dict() == {
        "刘洋": 6,
        "周建国": 2,
        "李敏": 25,
        "王海燕": 34,
        "赵丽": 6,
        "陈静": 121,
    }
    was = seeded.november.deferred.set_index("customer_id").loc["001000001408"]
    assert (was["due_date"], was["staff"], was["channel"]) == (pd.Timestamp("2026-11-02"), "刘洋", "phone")
    now = plan.loc[(plan["customer_id"] == "001000001408") & carried].iloc[0]
    # on December's first working day, with 李敏 since the rebalancing moved the customer to her
    assert (now["staff"], now["kind"], now["channel"]) == ("李敏", "cadence", "phone")
    assert now["due_date"] == pd.Timestamp("2026-12-01")
    assert now["note"] == "上月延后，原定 11-02"
    # each on the first day of its window with room for it (the solver's days: 42, 25, 3; the greedy fill spread
    # them 37, 30, 3)
    days = plan.loc[carried, "due_date"].dt.strftime("%m-%d").value_counts()
    assert days[["12-01", "12-02", "12-03"]].tolist() == [42, 25, 3]


def test_money_that_left_after_a_maturity_gets_a_winback_call(db_engine):
    seeded = seed_two_months(db_engine)
    bundle = december(db_engine, seeded)
    assert bundle.winback["customer_id"].tolist() == [
        "001000000267",
        "001000000479",
        "001000001011",
        "001000000689",
    ]
    rows = bundle.plan.loc[bundle.plan["kind"] == "winback"].sort_values("customer_id")
    assert rows["customer_id"].tolist() == ["001000000267", "001000000479", "001000000689", "001000001011"]
    assert rows["staff"].tolist() == ["赵丽", "赵丽", "陈静", "陈静"]
    np.testing.assert_array_equal(rows["amount"].to_numpy(), [1097493.55, 78359.44, 47524.44, 50660.45])
    assert rows["maturity_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-11-16",
        "2026-11-04",
        "2026-11-08",
        "2026-11-24",
    ]
    assert rows["due_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-12-07",
        "2026-12-07",
        "2026-12-02",
        "2026-12-02",
    ]
    assert rows["note"].tolist()[0] == "挽回：11-16 到期后转出 1,097,494 元"
    assert not (bundle.deferred["kind"] == "winback").any()


def test_without_storage_nothing_is_carried_and_no_winback_is_owed(db_engine):
    seeded = seed_two_months(db_engine)
    bundle = december(db_engine, seeded, stored=False)
    assert bundle.carried is None and bundle.winback is None
    assert not bundle.plan["note"].astype(str).str.startswith("上月延后").any()
    assert not (bundle.plan["kind"] == "winback").any()


def test_the_published_december_plan_keeps_the_winback_calls(db_engine):
    seeded = seed_two_months(db_engine)
    bundle = december(db_engine, seeded)
    head = services.operator("seed")
    services.publish_plan(db_engine, head, OUTLET, bundle, policy=seeded.policy, as_of=AS_OF)
    handout = services.published_handout(db_engine, head, OUTLET, "2026-12")
    assert int((handout.plan["kind"] == "winback").sum()) == 4
    assert int(handout.plan["note"].astype(str).str.startswith("上月延后").sum()) == 194


def test_the_assign_command_with_a_database_plans_december_with_novembers_deferrals(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    seed_two_months(engine)
    export, notice, roster = (
        tmp_path / "目标客户查询-20261130.csv",
        tmp_path / "到期.csv",
        tmp_path / "员工名单.csv",
    )
    export.write_bytes(demo_export(AS_OF, customers=CUSTOMERS))
    notice.write_bytes(demo_maturities(AS_OF, customers=CUSTOMERS))
    roster.write_bytes(demo_roster())
    argv = [
        "assign", str(export), "--maturities", str(notice), "--staff", str(roster), "--out", str(tmp_path / "p.xlsx"),
        "--as-of", "2026-11-30", "--month", "2026-12", "--db", url, "--outlet", OUTLET, "--user", "zhiju",
    ]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    capsys.readouterr()
    handout = services.published_handout(engine, services.operator("t"), OUTLET, "2026-12")
    notes = handout.plan["note"].astype(str)
    assert int(notes.str.startswith("上月延后，原定 ").sum()) == 194
    assert int((handout.plan["kind"] == "winback").sum()) == 4
    engine.dispose()
