"""The compliance report workbook read back with openpyxl: sheets, exact figures, no formulas from data."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from core.compliance import compliance, trend
from core.compliance.charts import funnel_chart, heatmap, heatmap_cells, rate_bars, trend_chart
from core.compliance.report import compliance_workbook, current_period, overdue_by_staff, overdue_sorted
from core.policy import Policy
from tests.builders.compliance import contact, plan_row

POLICY = Policy.default()


def build() -> openpyxl.Workbook:
    plan = pd.DataFrame(
        [
            plan_row("C1", "phone", "2026-11-02", assets=80000),
            plan_row("C1", "phone", "2026-11-09", assets=80000),
            plan_row(
                "C2", "sms", "2026-11-10", tier="potential", staff="=王强", name="=HYPERLINK(1)", assets=500
            ),
        ]
    )
    log = pd.DataFrame([contact("C1", "电话", "2026-11-03")])
    result = compliance(plan, log, POLICY, "2026-11", as_of=dt.date(2026, 12, 1))
    monthly = trend(plan, log, POLICY, ["2026-10", "2026-11"], as_of=dt.date(2026, 12, 1))
    data = compliance_workbook(result, POLICY, outlet="城东支局", trend=monthly)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_report_has_every_figure_sheet():
    book = build()
    assert book.sheetnames == [
        "概况",
        "按层级",
        "按员工",
        "按周",
        "员工×周",
        "逾期未联络",
        "转化漏斗",
        "月度趋势",
        "应联络明细",
    ]
    summary = {r[0]: r[1] for r in book["概况"].iter_rows(min_row=3, values_only=True)}
    figures = ("应联络", "已到期", "已完成", "未到期", "合规率", "逾期未联络")
    assert tuple(summary[k] for k in figures) == ("3", "3", "1", "0", "33.3%", "2")


def test_report_rates_are_real_percent_numbers():
    rows = list(book_rows(build()["按员工"]))
    # staff, required, due, met, pending, overdue, rate
    assert rows == [("=王强", 1, 1, 0, 0, 1, 0.0), ("李娜", 2, 2, 1, 0, 1, 0.5)]


def test_overdue_sheet_lists_customers_in_order_and_keeps_names_as_text():
    sheet = build()["逾期未联络"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["C1", "C2"]
    assert rows[1][2] == "=HYPERLINK(1)"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def book_rows(sheet):
    for row in sheet.iter_rows(min_row=2, values_only=True):
        yield row[:7]


def test_chart_specs_carry_only_the_aggregated_rows():
    plan = pd.DataFrame(
        [plan_row("C1", "phone", "2026-11-02"), plan_row("C2", "phone", "2026-11-09", staff="王强")]
    )
    result = compliance(plan, pd.DataFrame([contact("C1", "电话", "2026-11-03")]), POLICY, "2026-11")
    tiers = result.by_tier.assign(label=["中端客户"])
    spec = rate_bars(tiers, "label", ["中端客户"]).to_dict()
    assert len(next(iter(spec["datasets"].values()))) == 1
    cells = heatmap(result.by_staff_week).to_dict()
    assert sorted(r["staff"] for r in next(iter(cells["datasets"].values()))) == ["李娜", "王强"]
    funnel = funnel_chart(result.funnel, POLICY).to_dict()
    assert len(next(iter(funnel["datasets"].values()))) == 4 * 5  # tiers x (planned + four stages)
    assert (
        trend_chart(pd.DataFrame({"period": ["2026-11"], "rate": [0.5], "overdue": [1]})).to_dict()["mark"][
            "type"
        ]
        == "line"
    )


def test_a_future_week_is_drawn_as_not_due_not_as_100_percent():
    plan = pd.DataFrame(
        [
            plan_row("C1", "phone", "2026-12-01"),
            plan_row("C2", "phone", "2026-12-29"),
            plan_row("C3", "phone", "2026-12-02", staff="王强"),
        ]
    )
    log = pd.DataFrame([contact("C1", "电话", "2026-12-01")])
    result = compliance(plan, log, POLICY, "2026-12", as_of=dt.date(2026, 12, 6))
    cells = heatmap_cells(result.by_staff_week)
    assert cells[["staff", "week", "label"]].values.tolist() == [
        ["李娜", "2026-W49", "100%"],
        ["李娜", "2026-W53", "未到期"],
        ["王强", "2026-W49", "0%"],
    ]
    spec = heatmap(result.by_staff_week).to_dict()
    assert [r["label"] for r in next(iter(spec["datasets"].values()))] == ["100%", "未到期", "0%"]


def test_a_period_list_opens_on_the_current_period_never_a_future_one():
    weeks = ["2026-W53", "2026-W52", "2026-W51", "2026-W50", "2026-W49", "2026-W48"]
    assert current_period(weeks, dt.date(2026, 12, 6)) == 4  # Sunday 12-06 is in W49
    assert current_period(weeks, dt.date(2026, 12, 7)) == 3  # Monday: W50 has begun
    assert current_period(["2027-01", "2026-12", "2026-11"], dt.date(2026, 12, 31)) == 1
    assert current_period(["2027-Q1", "2026-Q4"], dt.date(2026, 12, 6)) == 1
    assert current_period(["2027-01"], dt.date(2026, 12, 6)) == 0  # only a future one: that one


def test_overdue_is_counted_per_person_and_the_list_puts_the_most_overdue_person_first():
    plan = pd.DataFrame(
        [
            plan_row("C1", "phone", "2026-11-02", assets=900000),
            plan_row("C2", "phone", "2026-11-03", staff="王强", assets=100),
            plan_row("C3", "phone", "2026-11-04", staff="王强", assets=200),
            plan_row("C4", "phone", "2026-11-05", staff="赵丽", assets=300),
        ]
    )
    result = compliance(
        plan,
        pd.DataFrame([contact("C4", "电话", "2026-11-05")]),
        POLICY,
        "2026-11",
        as_of=dt.date(2026, 12, 1),
    )
    assert overdue_by_staff(result).values.tolist() == [["王强", 2], ["李娜", 1]]
    assert overdue_sorted(result)["customer_id"].tolist() == ["C3", "C2", "C1"]
