"""AppTests of the 联络合规 page on the seeded demo outlet: figures match the engine, staff see their own,
a contact logged on the page is stored, a filled log uploaded there is imported once."""

from __future__ import annotations

import datetime as dt

import pytest

from core import clock
from core.compliance import compliance, requirements
from core.demo import OUTLET, ROSTER
from core.policy import Policy
from core.roles import Actor
from core.services import log_contact as add_contact
from core.services.reads import load_contacts, load_period_plan
from core.storage.engine import make_engine
from tests.builders.app import MONTH, database_env, metric_number, page_test, seed_outlet
from tests.builders.app import ran as run

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAFF_NAME = ROSTER[1][0]  # a 理财经理 of the demo roster
POLICY = Policy.default()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("compliance") / "console.db")
    with database_env(data.url):
        yield data


def expected(seeded, staff: str | None = None):
    engine = make_engine(seeded.url)
    req = requirements(load_period_plan(engine, OUTLET, MONTH), POLICY)
    if staff:
        req = req.loc[req["staff"] == staff]
    contacts = load_contacts(engine, OUTLET)
    return compliance(req, contacts, POLICY, MONTH, as_of=clock.today())


@pytest.mark.parametrize("role", ["admin", "branch_head", "staff"])
def test_the_page_opens_for_every_role_with_the_engines_figures(seeded, role):
    staff = STAFF_NAME if role == "staff" else None
    at = run(page_test("compliance", role, staff_name=staff))
    assert at.title[0].value == "联络合规"
    want = expected(seeded, staff)
    metrics = {m.label: m.value for m in at.metric}
    assert metric_number(metrics["已到期"]) == want.due
    assert metric_number(metrics["已完成"]) == want.met_contacts
    assert metric_number(metrics["未到期"]) == want.pending
    assert want.due + want.pending == want.required
    assert metrics["合规率"] == ("—" if want.overall is None else f"{want.overall:.0%}")
    captions = [c.value for c in at.caption]
    assert f"按截至 {clock.today()} 已到期的要求计算；未到期 {want.pending:,} 项" in " ".join(captions)
    assert metric_number(metrics["逾期未联络"]) == len(want.overdue)
    assert [b.label for b in at.get("download_button")] == ["下载合规报告（Excel）"]


def test_staff_get_no_import_tab_and_the_head_does(seeded):
    staff = run(page_test("compliance", "staff", staff_name=STAFF_NAME))
    head = run(page_test("compliance", "branch_head"))
    assert [t.label for t in staff.tabs] == ["合规情况", "登记联络", "联络记录", "群发短信"]
    assert [t.label for t in head.tabs] == ["合规情况", "登记联络", "联络记录", "群发短信", "导入联络表"]


def test_staff_without_a_staff_name_are_told_so(seeded):
    at = run(page_test("compliance", "staff", staff_name=None))
    assert "没有对应的员工姓名" in at.info[0].value


def test_a_contact_logged_on_the_page_is_stored_for_that_staff_member(seeded):
    own = seeded.assignment.loc[seeded.assignment["staff"] == STAFF_NAME, "customer_id"].astype(str)
    customer = sorted(own)[0]
    at = run(page_test("compliance", "staff", staff_name=STAFF_NAME))
    form = at.get("form")
    assert form, "the entry form is shown"
    customer_box = next(s for s in at.selectbox if s.label.startswith("客户"))
    customer_box.set_value(customer)
    next(b for b in at.button if b.label == "保存联络记录").click()
    run(at)
    assert any("已登记" in s.value for s in at.success)
    stored = load_contacts(make_engine(seeded.url), OUTLET, staff=STAFF_NAME)
    assert customer in stored["customer_id"].tolist()


def test_a_second_try_on_the_same_day_logged_on_the_page_is_the_one_contact_with_the_latest_result(seeded):
    own = seeded.assignment.loc[seeded.assignment["staff"] == STAFF_NAME, "customer_id"].astype(str)
    customer = sorted(own)[1]
    day = dt.date(2026, 12, 3)
    at = run(page_test("compliance", "staff", staff_name=STAFF_NAME, today=day))
    for result in ("未接通", "已联络"):
        next(s for s in at.selectbox if s.label.startswith("客户")).set_value(customer)
        next(s for s in at.selectbox if s.label == "方式").set_value("电话")
        next(s for s in at.selectbox if s.label == "结果").set_value(result)
        next(b for b in at.button if b.label == "保存联络记录").click()
        run(at)
    assert [s.value for s in at.success] == [
        f"已更新：客户 {customer} 当天的电话联络，第 2 次尝试，结果记为 已联络"
    ]
    stored = load_contacts(make_engine(seeded.url), OUTLET, staff=STAFF_NAME, start=day, end=day)
    mine = stored.loc[stored["customer_id"] == customer]
    assert mine[["channel", "result", "attempts"]].values.tolist() == [["电话", "已联络", 2]]


def test_a_filled_log_imported_by_the_head_shows_in_the_figures_of_the_same_run_and_a_second_time_changes_nothing(
    seeded,
):
    import io

    import xlsxwriter

    own = seeded.assignment.loc[seeded.assignment["staff"] == STAFF_NAME, "customer_id"].astype(str)
    done = set(load_contacts(make_engine(seeded.url), OUTLET)["customer_id"])
    customer = sorted(set(own) - done)[-1]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet(f"联络表-{STAFF_NAME}")  # her own sheet: 员工 left blank on a spare line
    for r, row in enumerate(
        [
            ["日期", "员工", "客户号", "姓名", "方式", "结果", "备注"],
            ["2026-12-02", "", customer, "", "电话", "已邀约", ""],
            ["2026-12-03", STAFF_NAME, "X0", "", "电话", "已联络", ""],
        ]
    ):
        for c, value in enumerate(row):
            if value:
                sheet.write_string(r, c, value)
    book.close()
    at = run(page_test("compliance", "branch_head"))
    before = {m.label: m.value for m in at.metric}
    at.get("file_uploader")[0].set_value(("任务-已填.xlsx", buffer.getvalue(), XLSX_MIME))
    run(at)
    assert any("1 行被拒收" in w.value for w in at.warning)
    next(b for b in at.button if b.label.startswith("导入 1 条")).click()
    run(at)
    assert any(s.value.startswith("新增 1 条；更正 0 条") for s in at.success)
    want = expected(seeded)
    after = {m.label: m.value for m in at.metric}
    assert metric_number(after["已完成"]) == want.met_contacts == metric_number(before["已完成"]) + 1
    assert metric_number(after["逾期未联络"]) == len(want.overdue)
    stored = load_contacts(make_engine(seeded.url), OUTLET)
    assert stored.loc[stored["customer_id"] == customer, "staff_name"].tolist() == [STAFF_NAME]
    next(b for b in at.button if b.label.startswith("导入 1 条")).click()
    run(at)
    assert any(
        s.value.startswith("新增 0 条；更正 0 条") and "1 条与已存记录相同" in s.value for s in at.success
    )


def test_the_head_corrects_then_deletes_an_entry_on_the_page(seeded):
    engine = make_engine(seeded.url)
    customer = sorted(
        seeded.assignment.loc[seeded.assignment["staff"] == STAFF_NAME, "customer_id"].astype(str)
    )[1]
    head = Actor("head_user", "branch_head", OUTLET, None)
    new_id = add_contact(
        engine,
        head,
        OUTLET,
        contact_date=dt.date(2026, 12, 7),
        staff_name=STAFF_NAME,
        customer_id=customer,
        channel="短信",
        result="已联络",
        policy=POLICY,
        today=dt.date(2026, 12, 31),
    )
    at = run(page_test("compliance", "branch_head"))
    at.text_input(key="cp_log_filter").set_value(customer)
    run(at)
    at.selectbox(key="cp_pick").set_value(new_id)
    run(at)
    at.selectbox(key=f"cp_edit_result_{new_id}").set_value("已邀约")
    next(b for b in at.button if b.label == "保存修改").click()
    run(at)
    row = load_contacts(engine, OUTLET).set_index("id").loc[new_id]
    assert (row["result"], row["updated_by"]) == ("已邀约", "branch_head_user")
    at.selectbox(key="cp_pick").set_value(new_id)
    run(at)
    next(b for b in at.button if b.label == "删除").click()
    run(at)
    assert any("请勾选" in w.value for w in at.warning)
    at.checkbox(key=f"cp_edit_confirm_{new_id}").check()
    next(b for b in at.button if b.label == "删除").click()
    run(at)
    assert new_id not in load_contacts(engine, OUTLET)["id"].tolist()


def test_mid_month_the_page_shows_due_met_and_pending_beside_each_rate(tmp_path, monkeypatch):
    from core.cli import main
    from core.storage.engine import ensure_schema
    from tests.builders import contacts

    url = f"sqlite:///{tmp_path / 'mid.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    contacts.seed_outlet(engine)
    engine.dispose()
    assert (
        main(["contacts", "import", contacts.write_log(tmp_path / "log.csv", contacts.NOVEMBER), "--db", url])
        == 0
    )
    monkeypatch.setenv("DATABASE_URL", url)
    at = run(page_test("compliance", "branch_head", outlet=contacts.OUTLET, today=dt.date(2026, 11, 22)))
    # the same figures as the CLI on Sunday 22 November (tests/storage/test_compliance_cli.py)
    metrics = {m.label: m.value for m in at.metric}
    assert (
        metrics["合规率"],
        metrics["已到期"],
        metrics["已完成"],
        metrics["未到期"],
        metrics["逾期未联络"],
    ) == (
        "83%",
        "6",
        "5",
        "3",
        "1",
    )
    assert "按截至 2026-11-22 已到期的要求计算；未到期 3 项" in " ".join(c.value for c in at.caption)
    tiers, staff = (d.value for d in at.dataframe[:2])
    assert tiers.values.tolist() == [
        ["潜力客户", "100%", 1, 1, 0],
        ["基础客户", "100%", 1, 1, 1],
        ["中端客户", "75%", 4, 3, 2],
    ]
    assert list(tiers.columns) == ["层级", "合规率", "已到期", "已完成", "未到期"]
    assert staff.values.tolist() == [["李娜", "75%", 4, 3, 2, 1], ["王强", "100%", 2, 2, 1, 0]]
    assert list(staff.columns) == ["员工", "合规率", "已到期", "已完成", "未到期", "逾期未联络"]


def test_a_week_offers_the_one_page_weekly_summary(seeded):
    at = run(page_test("compliance", "branch_head"))
    at.radio(key="cp_kind").set_value("week")
    run(at)
    assert [b.label for b in at.get("download_button")] == [
        "下载合规报告（Excel）",
        "下载本周周报（Excel，一页）",
    ]


def test_the_week_view_opens_on_the_current_week_with_future_weeks_not_due_and_overdue_per_person(seeded):
    at = run(page_test("compliance", "branch_head", today=dt.date(2026, 12, 9)))
    at.radio(key="cp_kind").set_value("week")
    run(at)
    assert at.selectbox(key="cp_period_week").value == "2026-W50"  # not 2026-W53, the newest listed
    at.radio(key="cp_kind").set_value("month")
    run(at)
    want = compliance(
        requirements(load_period_plan(make_engine(seeded.url), OUTLET, MONTH), POLICY),
        load_contacts(make_engine(seeded.url), OUTLET),
        POLICY,
        MONTH,
        as_of=dt.date(2026, 12, 9),
    )
    per_person = want.overdue.groupby("staff").size().sort_values(ascending=False, kind="stable")
    caption = next(c.value for c in at.caption if c.value.startswith("逾期未联络（按人"))
    people = caption.split("：", 1)[1].split("、")
    assert [p.split(" ")[0] for p in people] == sorted(per_person.index, key=lambda s: (-per_person[s], s))
    assert sum(int(p.split(" ")[1].replace(",", "")) for p in people) == len(want.overdue)
