"""经营成效 between two snapshots: exact figures on a seeded pair (tests/builders/outcomes.py explains each row)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.errors import ConsoleError, PolicyError
from core.outcomes import earned_gifts, fulfilment, fulfilment_summary, kpis, logged_handovers, outcomes
from core.policy import Policy
from tests.builders import outcomes as s


def result(policy: Policy | None = None):
    return outcomes(
        s.customers(s.BEFORE),
        s.customers(s.AFTER),
        policy or s.policy(),
        date_from=s.FROM,
        date_to=s.TO,
        contacts=s.contacts(),
        items=s.items(),
    )


def test_summary_gives_every_figure_of_the_contract_exactly():
    summary = result().summary()
    assert summary["customers"] == {"from": 10, "to": 10}
    assert summary["avg_assets"] == {"from": 66_750.0, "to": 65_300.0}
    assert summary["share_at_least"] == {"10000": {"from": 0.7, "to": 0.8}, "50000": {"from": 0.4, "to": 0.4}}
    assert summary["migration"] == {
        "potential->potential": 2,
        "potential->basic": 1,
        "basic->basic": 1,
        "basic->mid": 1,
        "mid->basic": 1,
        "mid->mid": 1,
        "mid->high": 1,
        "high->mid": 1,
    }
    assert (summary["promoted"], summary["demoted"]) == (3, 2)
    assert summary["near"] == {"10000": 2, "50000": 2, "100000": 1, "200000": 1}
    assert summary["reached_level"] == {"10000": 1, "50000": 1, "100000": 1, "200000": 1}


def test_contacted_means_a_reached_result_between_the_two_dates_both_included():
    summary = result().summary()
    # C01 (on `from`), C03, C06, C09 (on `to`); C02 had only 未接通, C07 the day before, C04 the day after.
    assert summary["contacted"] == {
        "customers": 4,
        "promoted": 3,
        "demoted": 0,
        "near": 3,
        "reached": 3,
        "promoted_rate": 0.75,
        "reached_rate": 1.0,
    }
    assert summary["not_contacted"] == {
        "customers": 5,
        "promoted": 0,
        "demoted": 2,
        "near": 3,
        "reached": 1,
        "promoted_rate": 0.0,
        "reached_rate": pytest.approx(1 / 3),
    }
    assert result().groups.loc["contacted", "change"] == 17_750.0


def test_new_and_gone_customers_are_in_neither_group_even_when_contacted():
    groups = result().groups
    assert int(groups["customers"].sum()) == 9  # C01-C09; N01 (new, contacted) and C10 (gone) are out


def test_per_staff_counts_the_customers_each_member_reached():
    assert result().summary()["by_staff"] == [
        {
            "staff": "李强",
            "customers": 2,
            "promoted": 2,
            "demoted": 0,
            "near": 2,
            "reached": 2,
            "promoted_rate": 1.0,
            "reached_rate": 1.0,
        },
        {
            "staff": "王芳",
            "customers": 3,
            "promoted": 2,
            "demoted": 0,
            "near": 2,
            "reached": 2,
            "promoted_rate": pytest.approx(2 / 3),
            "reached_rate": 1.0,
        },
    ]


def test_maturities_in_the_window_are_kept_only_when_the_assets_held():
    out = result()
    assert out.summary()["maturities"] == {"items": 6, "kept": 2, "customers": 6, "kept_customers": 2}
    kept = dict(zip(out.maturities["customer_id"], out.maturities["kept"], strict=True))
    assert kept == {"C10": False, "C05": True, "X99": False, "C07": False, "C04": True, "C08": False}


def test_the_kept_share_lets_part_of_the_maturing_amount_leave():
    out = result(s.policy().with_changes({"outcomes": {"maturity_kept_share": 0.2}}))
    kept = dict(zip(out.maturities["customer_id"], out.maturities["kept"], strict=True))
    # C07: 60,000 - 0.8 x 30,000 = 36,000 <= 40,000. C08: 250,000 - 80,000 = 170,000 > 150,000.
    assert kept == {"C10": False, "C05": True, "X99": False, "C07": True, "C04": True, "C08": False}


def test_without_notice_items_the_exports_own_maturity_dates_are_used():
    before = s.customers(s.BEFORE)
    before["maturity_date"] = pd.to_datetime(
        ["2026-11-10" if c in ("C05", "C07") else None for c in before["customer_id"]]
    )
    out = outcomes(before, s.customers(s.AFTER), s.policy(), date_from=s.FROM, date_to=s.TO)
    assert out.summary()["maturities"]["items"] == 2
    assert out.maturities.set_index("customer_id")["kept"].to_dict() == {"C05": True, "C07": False}


def test_without_contacts_everyone_present_on_both_dates_is_not_contacted():
    out = outcomes(s.customers(s.BEFORE), s.customers(s.AFTER), s.policy(), date_from=s.FROM, date_to=s.TO)
    summary = out.summary()
    assert summary["contacted"]["customers"] == 0
    assert summary["contacted"]["promoted_rate"] is None
    assert summary["not_contacted"]["customers"] == 9
    assert summary["by_staff"] == []


def test_kpis_take_the_share_levels_from_the_policy():
    policy = Policy.default().with_changes({"outcomes": {"share_levels": [5000, 100000]}})
    got = kpis(s.customers(s.AFTER)["assets"].to_numpy(), policy)
    assert got["share_at_least"] == {"5000": 1.0, "100000": 0.3}
    assert kpis(s.customers({})["assets"].to_numpy(), policy)["avg_assets"] is None


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"outcomes": {"share_levels": [50000, 10000]}}, "余额占比档位"),
        ({"outcomes": {"reached_results": ["打过了"]}}, "已触达的联络结果"),
        ({"outcomes": {"maturity_kept_share": 1.5}}, "到期留存比例"),
        ({"campaign": {"start": "2026-13-01"}}, "开始日期"),
        ({"campaign": {"start": "2026-12-01", "end": "2026-11-01"}}, "早于开始日期"),
        ({"campaign": {"budget": -1}}, "预算不能为负数"),
        ({"campaign": {"handover_channels": ["柜台"]}}, "礼品交付登记方式"),
    ],
)
def test_the_policy_refuses_bad_outcome_and_campaign_rules(changes, fragment):
    with pytest.raises(PolicyError) as info:
        Policy.default().with_changes(changes)
    assert any(fragment in p for p in info.value.problems)


def test_a_policy_saved_before_these_rules_existed_gets_their_defaults():
    data = Policy.default().to_dict()
    data.pop("outcomes")
    for key in ("start", "end", "budget", "handover_channels", "handover_keyword"):
        data["campaign"].pop(key)
    policy = Policy.from_dict(data)
    assert policy.outcomes == Policy.default().outcomes
    assert policy.campaign.window() == (None, None)
    assert policy.campaign.budget == 0.0


# --- 达标有礼 ------------------------------------------------------------------------------------------------


def gift_table(recorded: pd.DataFrame | None = None) -> pd.DataFrame:
    policy = s.policy()
    earned = earned_gifts(s.customers(s.BEFORE), s.customers(s.AFTER), policy)
    if recorded is None:
        recorded = pd.DataFrame(
            {
                "customer_id": ["C03"],
                "level": [50_000.0],
                "handed_on": pd.to_datetime(["2026-11-20"]),
                "staff_name": ["李强"],
            }
        )
    logged = logged_handovers(s.contacts(), policy, s.FROM, s.TO)
    return fulfilment(earned, recorded, logged, console_label="经营台登记")


def test_gifts_are_earned_by_near_customers_who_reached_their_level():
    earned = earned_gifts(s.customers(s.BEFORE), s.customers(s.AFTER), s.policy())
    assert earned[["customer_id", "level", "gift", "gift_value"]].values.tolist() == [
        ["C06", 200_000.0, "茶具", 200.0],
        ["C05", 100_000.0, "保温杯", 50.0],
        ["C03", 50_000.0, "电饭煲", 120.0],
        ["C01", 10_000.0, "毛巾", 10.0],
    ]


def test_handovers_come_from_the_console_or_from_a_keyword_contact_in_the_log():
    table = gift_table().set_index("customer_id")
    assert table["handed"].to_dict() == {"C06": False, "C05": False, "C03": True, "C01": True}
    assert table.loc["C03", "handed_by"] == "李强"
    assert table.loc["C03", "handed_source"] == "经营台登记"
    assert table.loc["C03", "handed_on"] == pd.Timestamp("2026-11-20")
    assert table.loc["C01", "handed_on"] == pd.Timestamp("2026-11-25")  # 厅堂 已到访 "达标礼已领"
    assert table.loc["C01", "handed_source"] == "联络表.xlsx"
    # C05's 达标礼 contact was 未接通; C06's visit note has no keyword.


def test_a_console_record_wins_over_the_log():
    recorded = pd.DataFrame(
        {
            "customer_id": ["C01"],
            "level": [10_000.0],
            "handed_on": pd.to_datetime(["2026-11-26"]),
            "staff_name": ["张敏"],
        }
    )
    row = gift_table(recorded).set_index("customer_id").loc["C01"]
    assert (row["handed_on"], row["handed_by"], row["handed_source"]) == (
        pd.Timestamp("2026-11-26"),
        "张敏",
        "经营台登记",
    )


def test_gift_costs_are_counted_against_the_budget():
    summary = fulfilment_summary(gift_table(), s.policy())
    assert {k: v for k, v in summary.items() if k != "by_level"} == {
        "earned": 4,
        "handed": 2,
        "owed": 2,
        "earned_value": 380.0,
        "handed_value": 130.0,
        "owed_value": 250.0,
        "budget": 300.0,
        "remaining": 170.0,
        "over_budget": True,
    }
    assert summary["by_level"]["50000"] == {"earned": 1, "handed": 1, "value": 120.0}
    assert summary["by_level"]["200000"] == {"earned": 1, "handed": 0, "value": 0.0}


def test_the_campaign_window_must_be_set_before_fulfilment_is_read(tmp_path):
    from core.services import gift_campaign, operator
    from core.services.reads import ensure_schema, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    ensure_schema(engine)
    s.seed(engine)
    with pytest.raises(ConsoleError, match="尚未设置达标有礼活动期间"):
        gift_campaign(engine, operator("t"), s.OUTLET, Policy.default())
    with pytest.raises(ConsoleError, match="缺少活动所需的快照"):
        gift_campaign(engine, operator("t"), s.OUTLET, s.policy(start="2026-10-01", end="2026-10-31"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_migration_promotions_and_demotions_match_history_compare(seed):
    import numpy as np

    from core.history import compare

    rng = np.random.default_rng(seed)
    n = 3_000
    ids = [f"K{i:05d}" for i in range(n)]
    before = s.customers(dict(zip(ids, np.round(rng.lognormal(10, 1.3, n), 2), strict=True)))
    kept = [i for i in ids if rng.random() > 0.05] + [f"N{i}" for i in range(100)]
    after = s.customers(dict(zip(kept, np.round(rng.lognormal(10, 1.3, len(kept)), 2), strict=True)))
    policy = Policy.default()
    got = outcomes(before, after, policy, date_from=s.FROM, date_to=s.TO)
    want = compare(before, after, policy)
    assert got.migration() == want.migration()
    assert (got.promoted, got.demoted) == (len(want.up), len(want.down))
    assert got.matrix.equals(want.matrix)


def test_the_summary_table_reads_as_a_head_would_write_it():
    from core.outcomes.workbook import summary_rows

    rows = summary_rows(result()).set_index("figure")
    assert rows.loc["户均余额（元）"].tolist() == ["66,750.00", "65,300.00"]
    assert rows.loc["10,000元以上占比"].tolist() == ["70.0%", "80.0%"]
    assert rows.loc["达标 50,000 元"].tolist() == ["临界 2 户", "1"]
    assert rows.loc["其中资金留存"].tolist() == ["", "2"]


def test_without_a_keyword_the_log_hands_nothing_over():
    policy = s.policy(handover_keyword="")
    assert logged_handovers(s.contacts(), policy, s.FROM, s.TO).empty


def test_a_handover_logged_outside_the_campaign_window_does_not_count():
    policy = s.policy()
    assert logged_handovers(s.contacts(), policy, s.FROM, dt.date(2026, 11, 24)).empty
    got = logged_handovers(s.contacts(), policy, s.FROM, s.TO)
    assert got[["customer_id", "handed_by"]].values.tolist() == [["C01", "王芳"]]
