"""The plan loop is whole (issue 11): a plan made on the 20th for next month, every row of its 联络表 filled in,
imported without a refusal, and compliance of 100 % for whoever did everything and 0 % for whoever did nothing;
the plan the CLI stores is the plan 任务分配 stores."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest

from core import services
from core.cli import main
from core.demo import demo_export, demo_maturities, demo_roster
from core.i18n import t
from core.ingest import read_customers
from core.maturity import read_maturities
from core.policy import Policy
from core.roles import Actor
from core.roster import read_roster
from core.segment import segment
from core.services.reads import load_assignment, load_familiarity, load_period_plan
from core.storage.engine import ensure_schema, make_engine
from tests.builders.app import database_env, page_test, ran
from tests.builders.stored import store_contacts

AS_OF = dt.date(2026, 11, 20)  # a Friday: the plan month defaults to December
OUTLET = "城东支局"
POLICY = Policy.default()
HEAD = Actor("head", "branch_head", OUTLET)


def run(capsys, *argv) -> dict:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("loop")
    (root / "export.csv").write_bytes(demo_export(AS_OF, customers=300, seed=3))
    (root / "maturities.csv").write_bytes(demo_maturities(AS_OF, customers=300, items=60, seed=4))
    (root / "roster.csv").write_bytes(demo_roster())
    return root


def _json(*argv) -> dict:
    """Run the CLI outside a test's capsys (module fixtures) and read its JSON."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([str(a) for a in argv]) == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def assigned(files, tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    db = f"sqlite:///{root / 'console.db'}"
    payload = _json(
        "assign", files / "export.csv", "--staff", files / "roster.csv", "--out", root / "plan.xlsx",
        "--as-of", AS_OF, "--maturities", files / "maturities.csv", "--db", db, "--outlet", OUTLET,
    )  # fmt: skip
    return db, root / "plan.xlsx", payload


def _filled(plan_book, tmp_path, busy_index: int = 0) -> tuple[pd.DataFrame, str, object]:
    """Every row of one person's 联络表 filled in (reached, 熟识程度 raised by one), nobody else's."""
    book = openpyxl.load_workbook(plan_book)
    logs = [name for name in book.sheetnames if name.startswith("联络表-")]
    header = [c.value for c in book[logs[0]][1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    sheets = {}
    for name in logs:
        sheet = book[name]
        sheets[name] = [
            {h: sheet.cell(row=r, column=col[h]).value for h in header} | {"_row": r}
            for r in range(2, sheet.max_row + 1)
            if sheet.cell(row=r, column=col["客户号"]).value is not None
        ]
    busy = logs[busy_index]
    for line in sheets[busy]:
        book[busy].cell(row=line["_row"], column=col["结果"], value="已联络")
        level = line["熟识程度"]
        book[busy].cell(row=line["_row"], column=col["熟识程度"], value=min(int(level or 0) + 1, 5))
    path = tmp_path / "filled.xlsx"
    book.save(path)
    rows = pd.DataFrame([r | {"sheet": name} for name, lines in sheets.items() for r in lines])
    return rows, busy.removeprefix("联络表-"), path


def test_the_plan_made_on_the_20th_is_for_next_month_and_counts_one_number(assigned):
    _, plan_book, payload = assigned
    assert payload["month"] == "2026-12"
    book = openpyxl.load_workbook(plan_book, read_only=True)
    overview = list(book["总览"].iter_rows(values_only=True))
    header = list(overview[1])  # under the title row
    by_name = {r[0]: r[header.index("本月应联络(次)")] for r in overview[2:] if r[0] in book.sheetnames}
    for person in payload["staff"]:
        sheet = book[f"联络表-{person['name']}"]
        head = [c for c in next(sheet.iter_rows(max_row=1, values_only=True))]
        rows = [
            r for r in sheet.iter_rows(min_row=2, values_only=True) if r[head.index("客户号")] is not None
        ]
        # 总览, the JSON and the person's 联络表 give the same number of contacts this month
        assert by_name[person["name"]] == person["contacts"] == len(rows), person["name"]
    assert payload["contacts"] == sum(p["contacts"] for p in payload["staff"]) < payload["plan_rows"]
    assert any(
        "补提醒：原定" in str(c)
        for name in book.sheetnames
        if name.startswith("联络表-")
        for row in book[name].iter_rows(min_row=2, values_only=True)
        for c in row
        if c
    )
    assert not any("数据库" in w for w in payload["warnings"])  # --db: the log was read


def test_every_reminder_on_a_call_sheet_has_its_item_on_the_maturing_sheet(assigned):
    db, plan_book, _ = assigned
    plan = load_period_plan(make_engine(db), OUTLET, "2026-12")
    reminders = plan.loc[plan["kind"] == "reminder_731"]
    book = openpyxl.load_workbook(plan_book, read_only=True)
    sheet = list(book["到期客户"].iter_rows(values_only=True))
    head = list(sheet[0])
    listed = {
        (str(r[head.index("客户号")]), pd.Timestamp(r[head.index("到期日")]).date())
        for r in sheet[1:]
        if r[0] is not None
    }
    called = set(
        zip(reminders["customer_id"], pd.to_datetime(reminders["maturity_date"]).dt.date, strict=True)
    )
    assert called and called <= listed
    late = {d for _, d in called if d > AS_OF + dt.timedelta(days=30)}
    assert late  # items maturing after the 30-day window that December's sheets call about are listed too


def test_filled_rows_are_all_accepted_and_compliance_is_all_or_nothing(assigned, tmp_path, capsys):
    db, plan_book, payload = assigned
    rows, busy, filled = _filled(plan_book, tmp_path)
    mine = rows.loc[rows["员工"] == busy]
    before_month = pd.to_datetime(mine["日期"]) < pd.Timestamp("2026-12-01")
    assert before_month.sum() > 0  # 731 calls due between the data date and December: the sheet asks for them
    imported = run(capsys, "contacts", "import", filled, "--db", db, "--outlet", OUTLET)
    assert imported["rejections"] == []
    assert imported["imported"] == len(mine)
    assert imported["planned_unfilled"] == len(rows) - len(mine)
    december = run(
        capsys, "compliance", "--period", "2026-12", "--db", db, "--outlet", OUTLET, "--as-of", "2027-01-31"
    )
    people = [p["name"] for p in payload["staff"]]
    assert december["by_staff"] == {
        p: (1.0 if p == busy else 0.0) for p in people if p in december["by_staff"]
    }
    assert december["by_staff"][busy] == 1.0 and set(december["by_staff"]) - {busy}
    # the calls the December plan asked for in November count in November, when they were due
    november = run(
        capsys, "compliance", "--period", "2026-11", "--db", db, "--outlet", OUTLET, "--as-of", "2027-01-31"
    )
    assert november["by_staff"].get(busy) == 1.0
    assert set(november["by_staff"].values()) <= {0.0, 1.0}
    # the 熟识程度 written on the rows is stored and orders the next month's lists
    recorded = load_familiarity(make_engine(db), OUTLET).drop_duplicates("customer_id", keep="last")
    assert set(recorded["customer_id"]) == set(mine["客户号"].astype(str))


def test_the_console_and_the_cli_store_the_same_plan(assigned, files, tmp_path):
    db, plan_book, payload = assigned
    per_person = {p["name"]: p["contacts"] for p in payload["staff"]}
    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    result = read_customers((files / "export.csv").read_bytes(), as_of=AS_OF, file_name="export.csv")
    notice = read_maturities((files / "maturities.csv").read_bytes(), file_name="maturities.csv")
    services.import_export(engine, HEAD, OUTLET, services.read_export(result, [notice], AS_OF))
    roster = read_roster(files / "roster.csv", policy=POLICY, file_name="roster.csv")
    services.save_roster(engine, HEAD, OUTLET, roster.staff)
    with database_env(url):
        at = ran(page_test("assignment", "branch_head", outlet=OUTLET, today=AS_OF))
        at.button(key="as_publish").click()
        ran(at)
    assert not at.error
    # after the publish, the same run says it is published, once, with no 尚未发布 beside it
    month = "2026-12"
    shown = [s.value for s in at.success]
    rows = f"{len(load_period_plan(engine, OUTLET, month)):,}"
    assert t("ui.assign.published", "zh", rows=rows, month=month) in shown
    assert t("ui.assign.published_current", "zh", month=month) in shown
    assert t("ui.assign.not_published", "zh", month=month) not in [i.value for i in at.info]
    # 任务分配 shows the same contacts per person as the CLI's JSON (and so as 总览 and the 联络表)
    table = next(d.value for d in at.dataframe if "本月应联络(次)" in d.value.columns)
    shown = {
        n: int(str(v).replace(",", ""))
        for n, v in zip(table.iloc[:, 0], table["本月应联络(次)"], strict=True)
    }
    assert {n: shown[n] for n in per_person} == per_person
    ours = load_period_plan(engine, OUTLET, "2026-12")
    theirs = load_period_plan(make_engine(db), OUTLET, "2026-12")
    assert len(ours) and (ours["period_kind"].notna() == (ours["kind"] == "cadence")).all()
    pd.testing.assert_frame_equal(ours, theirs)
    a = load_assignment(engine, 1).sort_values("customer_id", ignore_index=True)
    b = load_assignment(make_engine(db), 1).sort_values("customer_id", ignore_index=True)
    pd.testing.assert_frame_equal(a, b)
    # the same workbook filled in comes back through the console's import: nothing refused, all or nothing
    rows, busy, filled = _filled(plan_book, tmp_path)
    got = services.read_logs(engine, HEAD, OUTLET, [("filled.xlsx", filled)], policy=POLICY)
    assert got.rejections == []
    assert services.import_logs(engine, HEAD, OUTLET, got, "filled.xlsx").new == int(
        (rows["员工"] == busy).sum()
    )
    figures = services.period_compliance(
        engine, HEAD, OUTLET, "2026-12", policy=POLICY, as_of=dt.date(2027, 1, 31)
    )
    rates = figures.result.summary()["by_staff"]
    assert rates[busy] == 1.0 and set(rates.values()) == {0.0, 1.0}


def test_a_plan_without_a_database_says_it_cannot_know_the_quarter(files, tmp_path, capsys):
    payload = run(
        capsys, "assign", files / "export.csv", "--staff", files / "roster.csv", "--out", tmp_path / "p.xlsx",
        "--as-of", AS_OF, "--maturities", files / "maturities.csv",
    )  # fmt: skip
    assert "未连接数据库，不知道本季度已完成的季度联络" in " ".join(payload["warnings"])


def test_the_plan_service_reads_the_quarters_log_and_the_recorded_familiarity(files, tmp_path):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    result = read_customers((files / "export.csv").read_bytes(), as_of=AS_OF, file_name="export.csv")
    notice = read_maturities((files / "maturities.csv").read_bytes(), file_name="maturities.csv")
    export = services.read_export(result, [notice], AS_OF)
    services.import_export(engine, HEAD, OUTLET, export)
    seg = segment(export.customers, POLICY, AS_OF)
    roster = read_roster(files / "roster.csv", policy=POLICY, file_name="roster.csv")
    potential = seg.loc[seg["tier"] == "potential", "customer_id"].astype(str).tolist()[:2]
    high = seg.loc[seg["tier"] == "high", "customer_id"].astype(str).tolist()[:1]
    mid = seg.loc[seg["tier"] == "mid", "customer_id"].astype(str).tolist()[:1]
    log = pd.DataFrame(
        {
            "contact_date": pd.to_datetime(["2026-11-05", "2026-09-28", "2026-10-19", "2026-11-12"]),
            "staff_name": "周建国",
            "customer_id": [potential[0], potential[1], high[0], mid[0]],
            "name": None,
            "channel": ["电话", "电话", "厅堂", "电话"],
            "result": ["未接通", "已联络", "已成交", "已联络"],
            "note": None,
            "familiarity": pd.array([None, None, None, 5], dtype="Int64"),
        }
    )
    store_contacts(engine, OUTLET, log, "head", "test")
    bundle = services.plan_bundle(
        seg, roster, POLICY, "2026-12", AS_OF, export.items, engine=engine, outlet=OUTLET
    )
    quarterly = bundle.plan.loc[
        (bundle.plan["kind"] == "cadence")
        & (
            ((bundle.plan["tier"] == "potential") & (bundle.plan["channel"] == "phone"))
            | (bundle.plan["channel"] == "gift")
        )
    ]
    planned = set(quarterly["customer_id"].astype(str))
    # a try in November meets Q4's call; September's call was Q3's; the gift handed over in the hall is done
    assert potential[0] not in planned and potential[1] in planned and high[0] not in planned
    # a 潜力 customer's 731 call this month is also their quarter's call (the routine row goes, the call says so)
    covered = bundle.plan.loc[bundle.plan["note"].str.contains("兼本季度例行电话"), "customer_id"].nunique()
    assert covered == 30
    assert len(planned) == int(seg["tier"].isin(["potential", "high"]).sum()) - 2 - covered
    assert bundle.seg.loc[bundle.seg["customer_id"].astype(str) == mid[0], "familiarity"].tolist() == [5]
    assert bundle.warnings == ()


def _without_familiarity(export: bytes) -> bytes:
    """The export as an outlet without 熟识程度 sends it: the last column dropped."""
    lines = export.decode("gbk").splitlines()
    at = lines[2].split(",").index("熟识程度")
    out = lines[:2]
    for line in lines[2:]:
        cells = line.rsplit(",", 1) if line.count(",") >= at else [line]
        out.append(cells[0])
    return ("\n".join(out) + "\n").encode("gbk")


def test_lists_ordered_by_assets_for_want_of_familiarity_say_so_in_the_json_and_on_the_page(
    files, tmp_path, capsys
):
    plain = tmp_path / "export.csv"
    plain.write_bytes(_without_familiarity((files / "export.csv").read_bytes()))
    assert "熟识程度" not in plain.read_bytes().decode("gbk")
    payload = run(
        capsys, "assign", plain, "--staff", files / "roster.csv", "--out", tmp_path / "p.xlsx", "--as-of", AS_OF,
    )  # fmt: skip
    warning = (
        "导出文件没有熟识程度，也没有联络表记录的熟识程度：中端客户名单按资产排序（而非按熟识程度由低到高）"
    )
    assert warning in payload["warnings"]
    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    result = read_customers(plain.read_bytes(), as_of=AS_OF, file_name="export.csv")
    services.import_export(engine, HEAD, OUTLET, services.read_export(result, [], AS_OF))
    roster = read_roster(files / "roster.csv", policy=POLICY, file_name="roster.csv")
    services.save_roster(engine, HEAD, OUTLET, roster.staff)
    with database_env(url):
        at = ran(page_test("assignment", "branch_head", outlet=OUTLET, today=AS_OF))
    assert warning in [w.value for w in at.warning]
