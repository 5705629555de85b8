"""The plan loop's pure parts (issue 11): one duty per plan across months, familiarity from the logs, a 熟识程度
written on a 联络表 row, the warning when lists cannot be ordered by familiarity."""

from __future__ import annotations

import datetime as dt
import pathlib

import pandas as pd

from core.compliance.logs import read_contact_logs
from core.compliance.rules import combine_plans, requirements
from core.plan import familiarity_warnings, sheet_order, with_recorded_familiarity
from core.segment import segment
from tests.builders.compliance import POLICY, plan_row, reminder
from tests.builders.customers import AS_OF, customers

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _plan(rows: list[dict], period_kind: str | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["period_kind"] = period_kind
    return frame


def test_a_reminder_held_by_two_plans_is_owed_once_as_the_older_plan_has_it():
    november = _plan([reminder("C1", 7, "2026-11-20", "2026-11-27")])
    # December's plan, made on 11-20, caught the same reminder up on 11-23
    december = _plan(
        [reminder("C1", 7, "2026-11-23", "2026-11-27"), reminder("C1", 3, "2026-11-24", "2026-11-27")]
    )
    both = combine_plans([november, december])
    assert list(zip(both["offset"], both["due_date"], strict=True)) == [
        (7, "2026-11-20"),
        (3, "2026-11-24"),
    ]


def test_a_quarterly_duty_planned_again_later_in_its_quarter_is_owed_once_as_the_latest_plan_has_it():
    october = _plan(
        [plan_row("C1", "gift", "2026-10-12", tier="high"), plan_row("C2", "gift", "2026-10-14")], "quarter"
    )
    november = _plan([plan_row("C1", "gift", "2026-11-09", tier="high")], "quarter")
    january = _plan([plan_row("C1", "gift", "2027-01-11", tier="high")], "quarter")
    both = combine_plans([october, november, january])
    assert list(zip(both["customer_id"], both["due_date"], strict=True)) == [
        ("C2", "2026-10-14"),
        ("C1", "2026-11-09"),
        ("C1", "2027-01-11"),  # Q1 is another quarter
    ]
    req = requirements(both, POLICY, "2026-Q4")
    assert req["required"].tolist() == [1, 1]


def test_familiarity_recorded_on_a_log_orders_the_next_months_mid_tier_list():
    seg = segment(
        customers(
            [{"assets": 60000, "familiarity": 1}, {"assets": 70000, "familiarity": 2}, {"assets": 80000}]
        ),
        POLICY,
        AS_OF,
    )
    assert seg["customer_id"].iloc[sheet_order(seg, POLICY)].tolist() == ["C000", "C001", "C002"]
    recorded = pd.DataFrame({"customer_id": ["C000", "C002", "C000"], "familiarity": [3, 1, 4]})
    known = with_recorded_familiarity(seg, recorded)
    assert known["familiarity"].tolist() == [4, 2, 1]  # the latest per customer wins over the export
    assert known["customer_id"].iloc[sheet_order(known, POLICY)].tolist() == ["C002", "C001", "C000"]
    assert familiarity_warnings(known, POLICY) == []


def test_lists_that_fall_back_to_assets_say_so():
    seg = segment(customers([{"assets": 60000}, {"assets": 300000}, {"assets": 500}]), POLICY, AS_OF)
    assert familiarity_warnings(seg, POLICY) == [
        "导出文件没有熟识程度，也没有联络表记录的熟识程度：中端客户名单按资产排序（而非按熟识程度由低到高）"
    ]


def test_a_familiarity_written_on_a_log_row_is_read_and_a_bad_one_costs_only_the_familiarity(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "日期,员工,客户号,姓名,方式,结果,熟识程度,备注\n"
        "2026-12-01,李娜,C1,甲,电话,已联络,3,\n"
        "2026-12-02,李娜,C2,乙,电话,已联络,,\n"
        "2026-12-03,李娜,C3,丙,电话,已联络,很熟,\n"
        "2026-12-04,李娜,C4,丁,电话,已联络,9,\n",
        encoding="utf-8",
    )
    got = read_contact_logs([("log.csv", path)], policy=POLICY)
    assert got.rows["familiarity"].fillna(0).tolist() == [3, 0, 5, 0]
    assert got.rejections == []
    assert [(r["row"], r["reason"]) for r in got.warnings] == [
        (5, "熟识程度“9”无法识别（应为 1–5，1 最陌生）：联络已记入，熟识程度未记入")
    ]


def test_contacts_a_plan_asks_for_before_its_month_are_inside_its_period(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "日期,员工,客户号,姓名,方式,结果\n"
        "2026-11-23,李娜,C1,甲,电话,已联络\n"
        "2026-11-20,李娜,C1,甲,电话,已联络\n"
        "2026-12-01,李娜,C2,乙,电话,已联络\n"
        "2026-12-02,李娜,C2,乙,电话,已联络\n"
        "2026-12-03,李娜,C2,乙,电话,已联络\n",
        encoding="utf-8",
    )
    got = read_contact_logs([("log.csv", path)], policy=POLICY, asked_from={"2026-12": dt.date(2026, 11, 23)})
    assert got.period.label == "2026-12"
    assert [r["row"] for r in got.rejections] == [3]  # 11-20: before anything the December plan asked for
    assert len(got.rows) == 4


def test_two_items_maturing_the_same_day_in_one_plan_stay_two_reminders():
    december = _plan(
        [reminder("C1", 7, "2026-12-01", "2026-12-08"), reminder("C1", 7, "2026-12-01", "2026-12-08")]
    )
    assert len(combine_plans([december])) == 2
