"""The one-page weekly summary: exact figures per person on a seeded week, the printed sheet, and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from core.cli import main
from core.compliance import compliance
from core.compliance.weekly import weekly_summary, write_weekly_workbook
from core.policy import Policy
from core.storage.engine import ensure_schema, make_engine
from tests.builders.contacts import LOG_HEADER, OUTLET, seed_outlet

POLICY = Policy.default()
WEEK = "2026-W49"  # Monday 2026-11-30 to Sunday 2026-12-06
D = pd.Timestamp


PLAN_HEAD = ["staff", "customer_id", "tier", "channel", "kind", "due_date", "offset", "product", "amount"]
PLAN_HEAD.append("maturity_date")


def plan() -> pd.DataFrame:
    rows = [
        # staff, customer, tier, channel, kind, due, offset, product, amount, maturity
        ("李敏", "c1", "mid", "phone", "cadence", "2026-12-01", None, None, None, None),
        ("李敏", "c2", "mid", "phone", "cadence", "2026-12-02", None, None, None, None),
        ("李敏", "c3", "basic", "phone", "reminder_731", "2026-12-01", 3, "定期", 50000.0, "2026-12-04"),
        ("李敏", "c3", "basic", "phone", "reminder_731", "2026-12-03", 1, "定期", 50000.0, "2026-12-04"),
        ("刘洋", "c4", "high", "phone", "cadence", "2026-12-02", None, None, None, None),
        ("刘洋", "c5", "high", "phone", "reminder_731", "2026-11-30", 7, "理财", 80000.0, "2026-12-07"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=PLAN_HEAD,
    )
    frame["name"] = frame["customer_id"]
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    frame["maturity_date"] = pd.to_datetime(frame["maturity_date"])
    frame["offset"] = pd.array(frame["offset"], dtype="Int64")
    return frame


def log(*rows: tuple[str, str, str, str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["contact_date", "staff_name", "customer_id", "channel", "result"])
    frame["contact_date"] = pd.to_datetime(frame["contact_date"])
    return frame


CONTACTS = log(
    ("2026-12-01", "李敏", "c1", "电话", "已邀约"),
    ("2026-12-03", "李敏", "c1", "厅堂", "已到访"),  # came: invited before, counted in both steps
    ("2026-12-02", "李敏", "c2", "电话", "空号"),  # tried (counted), not reached
    ("2026-12-01", "李敏", "c3", "电话", "已联络"),
    ("2026-12-03", "李敏", "c3", "电话", "已转存"),  # kept at maturity: reached, sold, kept
    ("2026-12-02", "刘洋", "c4", "电话", "拒绝"),  # reached, nothing more
    ("2026-12-01", "刘洋", "c5", "电话", "已转存"),  # after its 7-day reminder was due: too late for it
    ("2026-12-08", "刘洋", "c4", "电话", "已成交"),  # after the week: ignored
)


@pytest.fixture(scope="module")
def result():
    return compliance(plan(), CONTACTS, POLICY, WEEK, as_of=dt.date(2026, 12, 6))


def test_weekly_figures_per_person_and_total(result):
    levels = pd.DataFrame({"customer_id": ["c1", "c4", "zz"], "level": [100000.0, 200000.0, 10000.0]})
    table = weekly_summary(result, CONTACTS, POLICY, levels=levels, staff=["李敏", "刘洋"]).set_index("staff")
    li, liu, total = table.loc["李敏"], table.loc["刘洋"], table.loc["合计"]
    # 李敏: c1, c2 weekly calls (both met: 空号 is a counted try) and c3's two reminders (met) = 4 due, 4 met
    assert (li["due"], li["met"], li["pending"], li["overdue"], li["rate"]) == (4, 4, 0, 0, 1.0)
    # c1 invited then came; c2 a 空号 (not reached); c3 renewed (已转存 is a sale and a kept maturity)
    assert (li["logged"], li["reached"], li["invited"], li["came"], li["sold"]) == (5, 2, 2, 2, 1)
    assert (li["maturing"], li["kept"], li["levels"]) == (1, 1, 1)
    # 刘洋: c4's weekly call met by the 拒绝; c5's 7-day reminder (Monday 30th) has no contact in its window
    assert (liu["due"], liu["met"], liu["overdue"]) == (2, 1, 1)
    assert (liu["logged"], liu["reached"], liu["invited"], liu["came"], liu["sold"]) == (2, 2, 1, 1, 1)
    assert (liu["maturing"], liu["kept"], liu["levels"]) == (0, 0, 1)  # c5 matures on the 7th: next week
    assert (total["due"], total["met"], total["logged"], total["reached"], total["sold"]) == (6, 5, 7, 4, 2)
    assert total["rate"] == pytest.approx(5 / 6)
    assert total["levels"] == 3  # "zz" has no owner in the plan but reached a level at the outlet
    assert list(table.index) == ["李敏", "刘洋", "合计"]


def test_without_a_comparison_the_levels_column_stays_empty(result):
    table = weekly_summary(result, CONTACTS, POLICY)
    assert table["levels"].isna().all()


def test_the_weekly_sheet_prints_on_one_landscape_page_with_its_definitions(result, tmp_path):
    path = tmp_path / "周报.xlsx"
    summary = weekly_summary(result, CONTACTS, POLICY)
    write_weekly_workbook(path, summary, result, POLICY, outlet="城关支局")
    sheet = openpyxl.load_workbook(path)["周报"]
    assert sheet["A1"].value == "城关支局 联络周报 2026-W49（2026-11-30 至 2026-12-06，截至 2026-12-06）"
    header = [c.value for c in sheet[2]]
    assert header[:4] == ["员工", "应联络(次)", "已完成(次)", "完成率"]
    assert header[-4:] == ["达标(户)", "本周到期(户)", "到期留存(户)", "延后(次)"]
    assert [sheet.cell(r, 1).value for r in (3, 4, 5)] == ["刘洋", "李敏", "合计"]  # by name without a roster
    assert sheet.cell(5, 4).value == pytest.approx(5 / 6) and sheet.cell(5, 4).number_format == "0.0%"
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert setup.fitToWidth in (None, 1) and setup.fitToHeight in (
        None,
        1,
    )  # one page wide and tall (1 = default)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    notes = [sheet.cell(r, 1).value for r in range(7, 10)]
    assert (
        notes[0].startswith("完成：计入合规的结果（") and "到期留存：本周到期客户中登记了已转存的" in notes[0]
    )
    assert notes[2] == "达标：本周没有可比较的两次导出，未统计"


def test_compliance_cli_writes_the_weekly_summary(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    seed_outlet(engine)
    engine.dispose()
    lines = [
        "2026-11-10,李娜,C003,孙三,电话,未接通,",
        "2026-11-11,李娜,C003,孙三,上门,已邀约,",
    ]
    logfile = tmp_path / "log.csv"
    logfile.write_text("\n".join([",".join(LOG_HEADER), *lines]) + "\n", encoding="utf-8")
    assert main(["contacts", "import", str(logfile), "--db", url]) == 0
    capsys.readouterr()
    out = tmp_path / "周报.xlsx"
    code = main(
        ["compliance", "--period", "2026-W46", "--db", url, "--as-of", "2026-12-10", "--out", str(out)]
    )
    answer = json.loads(capsys.readouterr().out)
    assert code == 0 and answer["weekly_report"] == str(out)
    sheet = openpyxl.load_workbook(out)["周报"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, max_row=4, values_only=True)}
    # week 46: 李娜's weekly call (met by the unanswered call) and the visit (met by the invitation)
    li = rows["李娜"]
    assert li[1:6] == (2, 2, 1.0, 0, 0)  # due, done, rate, pending, overdue
    assert li[6:11] == (2, 1, 1, 0, 0)  # logged, reached, invited, came, sold
    assert "合计" in rows and OUTLET in sheet["A1"].value


def test_the_funnel_counts_a_refusal_as_reached_and_a_renewal_as_a_sale(result):
    funnel = result.funnel.set_index("tier")
    assert funnel.loc["mid"].tolist() == [2, 1, 1, 1, 0]  # c1 came; c2 a 空号 reached nobody
    assert funnel.loc["basic"].tolist() == [1, 1, 1, 1, 1]  # c3 已转存
    assert funnel.loc["high"].tolist() == [2, 2, 1, 1, 1]  # c4 拒绝 (reached), c5 已转存


def test_a_member_of_staff_gets_their_own_row_only(tmp_path):
    from core.compliance import requirements
    from core.roles import Actor
    from core.services import weekly_report
    from core.services.reads import load_contacts, load_period_plan
    from tests.builders.stored import store_contacts

    engine = make_engine(f"sqlite:///{tmp_path / 'console.db'}")
    ensure_schema(engine)
    seed_outlet(engine)
    logged = log(
        ("2026-11-02", "李娜", "C003", "电话", "已联络"),
        ("2026-11-03", "王强", "C001", "短信", "已联络"),
    ).assign(name=None, note=None)
    store_contacts(engine, OUTLET, logged, "test", "test")
    req = requirements(load_period_plan(engine, OUTLET, "2026-11"), POLICY, "2026-W45")
    mine = req.loc[req["staff"] == "李娜"].reset_index(drop=True)
    contacts = load_contacts(engine, OUTLET)
    result = compliance(mine, contacts, POLICY, "2026-W45", as_of=dt.date(2026, 12, 10))
    lina, head = Actor("lina", "staff", OUTLET, "李娜"), Actor("zhangwei", "branch_head", OUTLET, "张伟")
    own = weekly_report(engine, lina, OUTLET, result, POLICY, tmp_path / "own.xlsx")
    everyone = weekly_report(engine, head, OUTLET, result, POLICY, tmp_path / "all.xlsx")
    assert own["staff"].tolist() == ["李娜", "合计"] and own["logged"].tolist() == [1, 1]
    assert everyone["staff"].tolist() == ["李娜", "王强", "合计"]  # 王强 only logged
