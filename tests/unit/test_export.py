"""The staff workbook read back with openpyxl: sheets, every customer once, drop-downs, no formulas, real dates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from core.assign import assign
from core.export import CALL_COLUMNS, staff_workbooks_zip, write_segment_lists, write_workbook
from core.plan import build_plan
from core.policy import Policy
from core.roster import roster_from_frame
from core.segment import segment
from core.workload import workload
from core.xlsx import ColumnSpec, new_workbook, safe_sheet_name, write_sheet
from tests.builders.customers import AS_OF, staff
from tests.builders.export import ITEMS, NASTY, ROSTER, sample

POLICY = Policy.default()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    seg = segment(sample(), POLICY, AS_OF)
    result = assign(seg, ROSTER, POLICY)
    plan = build_plan(seg, result, POLICY, "2026-12", maturity_items=ITEMS)
    load = workload(plan, ROSTER, POLICY, result)
    path = tmp_path_factory.mktemp("book") / "plan.xlsx"
    kwargs = dict(seg=seg, assignment=result, plan=plan, workload=load, policy=POLICY, as_of=AS_OF)
    write_workbook(path, **kwargs, maturity_items=ITEMS, outlet="城关支局", month="2026-12")
    return {"path": path, "seg": seg, "result": result, "plan": plan, "load": load, "kwargs": kwargs}


@pytest.fixture(scope="module")
def book(built):
    return openpyxl.load_workbook(built["path"])


def records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_sheet_names_are_the_overview_each_person_and_their_log_then_the_group_lists(book):
    # 陈静, 刘洋 and 赵丽 have 潜力/基础 customers: their greeting SMS list is a sheet of its own.
    texted = {"陈静", "刘洋", "赵丽"}
    names = ["周建国", "李敏", "陈静", "刘洋", "赵丽"]
    expected = (
        ["总览"]
        + [s for n in names for s in (n, f"联络表-{n}", *([f"短信-{n}"] if n in texted else []))]
        + ["临界客户", "到期客户", "推介产品目录"]
    )
    assert book.sheetnames == expected


def test_the_greeting_sms_is_a_list_per_person_not_rows_of_the_call_sheet(book):
    rows = list(book["短信-陈静"].iter_rows(values_only=True))
    assert rows[0][0] == "群发短信（2026-12）：陈静 的 85 位客户，由短信平台一次发送，不必逐行登记"
    assert rows[1][:4] == ("客户号", "姓名", "手机号", "层级")
    listed = [r[0] for r in rows[2:] if r[0] and str(r[0]).isdigit()]
    assert len(listed) == 85
    calls = list(book["联络表-陈静"].iter_rows(values_only=True))
    assert not any(r[8] == "短信" for r in calls[1:] if r[2])  # no SMS row on the call sheet


def test_every_customer_is_on_exactly_one_staff_sheet_as_assigned(book, built):
    seen = []
    for name in ROSTER.names:
        ids = [r["客户号"] for r in records(book[name])]
        assigned = built["result"].table.loc[built["result"].table["staff"] == name, "customer_id"]
        assert sorted(ids) == sorted(assigned)
        seen += ids
    assert sorted(seen) == sorted(built["seg"]["customer_id"])


def test_no_cell_holds_a_formula_and_customer_text_stays_text(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
    names = {r["姓名"] for name in ROSTER.names for r in records(book[name])}
    assert set(NASTY) <= names
    phones = {r["手机号"] for name in ROSTER.names for r in records(book[name])}
    assert "=cm****'!A0" in phones  # masked ([privacy] mask_phone) and still text


def test_contact_log_columns_drop_downs_and_prefilled_channel(book, built):
    for name in ROSTER.names:
        sheet = book[f"联络表-{name}"]
        assert [c.value for c in sheet[1]] == CALL_COLUMNS
        lists = {str(dv.sqref)[0]: (dv.type, dv.formula1) for dv in sheet.data_validations.dataValidation}
        assert lists["J"] == (
            "list",
            '"已联络,未接通,已邀约,已到访,已成交,空号,拒绝,已转存,他行转入"',
        )  # 结果
        assert lists["I"] == ("list", '"电话,短信,上门,厅堂,微信"')  # 方式
        assert lists["K"] == ("list", '"1,2,3,4,5"')  # 熟识程度
    rows = [r for r in records(book["联络表-李敏"]) if r["客户号"] is not None]
    plan = built["plan"].query("staff == '李敏'")
    method = plan["channel"].map({"phone": "电话", "sms": "短信", "visit": "上门", "gift": "上门"})
    calls = plan.assign(method=method).drop_duplicates(["due_date", "customer_id", "method"])
    assert len(rows) == len(calls)
    assert {r["方式"] for r in rows} <= {"电话", "上门", "短信"}
    assert all(r["结果"] is None and r["员工"] == "李敏" for r in rows)
    assert all(isinstance(r["日期"], dt.datetime) for r in rows)
    assert sorted(r["日期"].date() for r in rows) == sorted(d.date() for d in calls["due_date"])
    assert all(r["备注"] is None for r in rows)  # left for the caller
    routine = (
        plan.assign(method=method, routine=plan["kind"].eq("cadence"))
        .groupby(["due_date", "customer_id", "method"], sort=False)["routine"]
        .all()
    )
    by_call = {(r["日期"], r["客户号"], r["方式"]): r["事由"] for r in rows}
    for (day, cid, how), only_routine in routine.items():
        purpose = by_call[(day.to_pydatetime(), cid, how)]
        special = "到期提醒" in purpose or "生日问候" in purpose
        assert special != only_routine, purpose


def test_staff_sheet_columns_formats_and_real_dates(book):
    sheet = book["李敏"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "客户号",
        "姓名",
        "手机号",
        "层级",
        "资产(元)",
        "临界档位",
        "差额",
        "到期业务",
        "本月应联络日期",
        "推荐",
        "熟识程度",
    ]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage  # one page wide (fitToWidth 1 is the default)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.cell(2, 5).number_format == "#,##0.00" and isinstance(sheet.cell(2, 5).value, float)
    assert all(c.font.b for c in sheet[1])


def test_mid_customers_are_listed_by_familiarity_low_to_high(book):
    rows = [r for r in records(book["李敏"]) if r["层级"] == "中端客户"]
    known = [r["熟识程度"] for r in rows if r["熟识程度"] is not None]
    assert len(known) > 3 and known == sorted(known)


def test_near_threshold_customers_get_the_tier_above_products_and_the_campaign(book):
    rows = [r for name in ROSTER.names for r in records(book[name]) if r["临界档位"] == 50000]
    assert rows
    plain = [r for r in rows if r["到期业务"] is None]
    assert plain and all(r["层级"] == "基础客户" for r in rows)
    # the campaign at that level, then the picks of the tier above (mid), three in all
    assert {r["推荐"] for r in plain} == {"1. 达标有礼（5万档）\n2. 人民币理财\n3. 基金定投"}
    near = records(book["临界客户"])
    assert {r["临界档位"] for r in near} <= {10000, 50000, 100000, 200000}
    first = near[0]
    assert first["差额"] == pytest.approx(first["临界档位"] - first["资产(元)"], abs=0.01)
    assert first["达标可得积分"] == pytest.approx(first["差额"] * 0.01 * 2, abs=0.001)


def test_maturing_sheet_lists_every_item_with_731_dates_and_unmatched_customers(book, built):
    rows = records(book["到期客户"])
    by_product = {r["业务种类"]: r for r in rows if r["业务种类"]}
    term = by_product["定期"]
    assert term["客户号"] == "001000000000" and term["金额(元)"] == 50000.0
    assert term["到期日"] == dt.datetime(2026, 12, 14)
    assert (term["提醒日-7天"], term["提醒日-3天"], term["提醒日-1天"]) == (
        dt.datetime(2026, 12, 7),
        dt.datetime(2026, 12, 11),
        dt.datetime(2026, 12, 11),
    )
    assert term["距到期(天)"] == 14 and term["客户在导出中"] == "是"
    stranger = by_product["理财"]
    assert (stranger["姓名"], stranger["客户在导出中"], stranger["员工"]) == ("钱多多", "否", "周建国")
    # The staff sheet lists both of customer 001000000000's items.
    owner = built["result"].table.set_index("customer_id").loc["001000000000", "staff"]
    row = next(r for r in records(book[owner]) if r["客户号"] == "001000000000")
    assert "定期 50,000.00元 2026-12-14（提醒 12-07、12-11、12-11）" in row["到期业务"]
    assert "保险 12,345.60元 2026-12-21" in row["到期业务"]


def test_overview_counts_customers_and_names_the_policy_and_dates(book, built):
    sheet = book["总览"]
    assert "2026-12" in sheet["A1"].value and "2026-11-30" in sheet["A1"].value
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    header = rows[0]
    table = [dict(zip(header, r, strict=False)) for r in rows[1 : 1 + len(ROSTER.names)]]
    assert [r["员工"] for r in table] == ROSTER.names
    assert sum(r["客户数"] for r in table) == len(built["seg"])
    li = next(r for r in table if r["员工"] == "李敏")
    expected = built["load"].set_index("staff").loc["李敏"]
    assert li["本月应联络(次)"] == expected["contacts"]
    assert li["容量使用率"] == pytest.approx(expected["utilisation"])
    labels = {r[0]: r[1] for r in rows if r[0]}
    assert labels["数据日期"] == "2026-11-30" and labels["策略"] == "默认策略"
    assert labels["策略指纹"] == POLICY.fingerprint()


def test_zip_holds_one_workbook_per_person_with_only_their_sheets(built):
    data = staff_workbooks_zip(**built["kwargs"], maturity_items=ITEMS)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == [f"{n}.xlsx" for n in ROSTER.names]
    one = openpyxl.load_workbook(io.BytesIO(archive.read("赵丽.xlsx")))
    assert one.sheetnames == [
        "总览",
        "赵丽",
        "联络表-赵丽",
        "短信-赵丽",
        "临界客户",
        "到期客户",
        "推介产品目录",
    ]
    ids = [r["客户号"] for r in records(one["赵丽"])]
    assert sorted(ids) == sorted(built["result"].table.query("staff == '赵丽'")["customer_id"])
    assert {r["员工"] for r in records(one["临界客户"])} <= {"赵丽"}


def test_segment_lists_have_a_sheet_per_tier(tmp_path):
    seg = segment(sample(120), POLICY, AS_OF)
    buffer = io.BytesIO()
    write_segment_lists(buffer, seg, POLICY, AS_OF, ITEMS)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["潜力客户", "基础客户", "中端客户", "高端客户", "临界客户", "到期客户"]
    total = sum(len(records(book[t.name])) for t in POLICY.tiers)
    assert total == 120
    assert "员工" not in [c.value for c in book["到期客户"][1]]


def test_sheet_names_keep_the_persons_name_when_valid_and_are_made_safe_otherwise():
    assert safe_sheet_name("李敏") == "李敏"
    assert safe_sheet_name("a/b:c*d?") == "a_b_c_d_"
    assert safe_sheet_name("x" * 40) == "x" * 31
    assert safe_sheet_name("'王'") == "王"
    assert safe_sheet_name("总览", ["总览"]) == "总览(2)"
    assert safe_sheet_name("ABC", ["abc", "ABC(2)"]) == "ABC(3)"
    assert safe_sheet_name("y" * 31, ["y" * 31]) == "y" * 28 + "(2)"


def test_a_staff_member_named_like_a_fixed_sheet_does_not_take_its_name(tmp_path):
    roster = roster_from_frame(staff(("总览", "支局长"), ("李敏", "理财经理")), policy=POLICY)
    seg = segment(sample(30), POLICY, AS_OF)
    result = assign(seg, roster, POLICY)
    plan = build_plan(seg, result, POLICY, "2026-12")
    path = tmp_path / "b.xlsx"
    write_workbook(
        path,
        seg=seg,
        assignment=result,
        plan=plan,
        workload=workload(plan, roster, POLICY, result),
        policy=POLICY,
        as_of=AS_OF,
    )
    names = openpyxl.load_workbook(path).sheetnames
    assert names[:3] == ["总览", "总览(2)", "联络表-总览"]


@pytest.mark.parametrize("constant_memory", [False, True])
def test_write_sheet_writes_by_kind_and_leaves_missing_values_empty(constant_memory):
    buffer = io.BytesIO()
    book = new_workbook(buffer, constant_memory=constant_memory)
    frame = pd.DataFrame(
        {
            "t": ["=1+1", None, "007"],
            "m": [1234.5, np.nan, 0.0],
            "d": pd.to_datetime(["2026-12-01", None, "2027-01-31"]),
            "i": pd.array([3, None, 5], dtype="Int64"),
            "p": [0.25, 1.5, np.nan],
        }
    )
    cols = [
        ColumnSpec("文本", "text", key="t"),
        ColumnSpec("金额", "money", key="m"),
        ColumnSpec("日期", "date", key="d"),
        ColumnSpec("整数", "int", key="i"),
        ColumnSpec("比例", "percent", key="p"),
    ]
    write_sheet(book, "s", frame, columns=cols, title="标题")
    book.close()
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["s"]
    assert sheet["A1"].value == "标题" and [c.value for c in sheet[2]] == [
        "文本",
        "金额",
        "日期",
        "整数",
        "比例",
    ]
    assert [c.value for c in sheet[3]] == ["=1+1", 1234.5, dt.datetime(2026, 12, 1), 3, 0.25]
    assert sheet["A3"].data_type == "s"
    assert [c.value for c in sheet[4]] == [None] * 4 + [1.5]
    assert sheet["A5"].value == "007" and sheet["C5"].value == dt.datetime(2027, 1, 31)
    assert (sheet["B3"].number_format, sheet["C3"].number_format, sheet["E3"].number_format) == (
        "#,##0.00",
        "yyyy-mm-dd",
        "0.0%",
    )
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$2:$2"


def test_an_outlet_without_customers_still_gets_every_sheet(tmp_path):
    seg = segment(sample(5).iloc[0:0], POLICY, AS_OF)
    result = assign(seg, ROSTER, POLICY)
    plan = build_plan(seg, result, POLICY, "2026-12")
    load = workload(plan, ROSTER, POLICY, result)
    path = tmp_path / "empty.xlsx"
    write_workbook(path, seg=seg, assignment=result, plan=plan, workload=load, policy=POLICY, as_of=AS_OF)
    book = openpyxl.load_workbook(path)
    assert len(book.sheetnames) == 4 + 2 * len(ROSTER.names)
    assert records(book["李敏"]) == [] and records(book["联络表-李敏"]) == []
    assert load["contacts"].tolist() == [0] * len(ROSTER.names)


def test_a_very_long_text_is_written_whole():
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    text = "备注" * 9000  # 18,000 characters, under Excel's 32,767
    write_sheet(book, "s", pd.DataFrame({"t": ["短", text]}), columns=[ColumnSpec("文本", "text", key="t")])
    book.close()
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["s"]
    assert sheet["A2"].value == "短" and sheet["A3"].value == text


def test_a_reminder_due_on_a_cadence_day_shares_one_log_row_with_both_purposes():
    from core.export.calls import _log_rows

    day = pd.Timestamp("2026-12-07")
    plan = pd.DataFrame(
        {
            "staff": ["李敏", "李敏", "李敏"],
            "customer_id": ["c1", "c1", "c1"],
            "name": ["张三"] * 3,
            "tier": ["mid"] * 3,
            "channel": ["phone", "phone", "visit"],
            "kind": ["cadence", "reminder_731", "cadence"],
            "due_date": [day, day, day],
            "offset": [pd.NA, 7, pd.NA],
            "product": [pd.NA, "理财", pd.NA],
            "amount": [np.nan, 50000.0, np.nan],
            "maturity_date": [pd.NaT, pd.Timestamp("2026-12-14"), pd.NaT],
        }
    )
    log = _log_rows(plan, POLICY)
    assert log[["method", "purpose", "urgent"]].values.tolist() == [
        ["电话", "例行电话（每周1次）；到期提醒：理财 5万 12-14到期（提前7天）", True],
        ["上门", "例行上门（每月1次）", False],
    ]
    assert log["note"].isna().all()  # 备注 is the caller's


def test_a_reminder_without_a_product_still_reads_as_a_sentence():
    from core.export.calls import _log_rows

    plan = pd.DataFrame(
        {
            "staff": ["李敏"],
            "customer_id": ["c1"],
            "name": ["张三"],
            "tier": ["mid"],
            "channel": ["phone"],
            "kind": ["reminder_731"],
            "due_date": [pd.Timestamp("2026-12-04")],
            "offset": pd.array([1], dtype="Int64"),
            "product": [pd.NA],
            "amount": [np.nan],
            "maturity_date": [pd.Timestamp("2026-12-05")],
        }
    )
    assert _log_rows(plan, POLICY)["purpose"].tolist() == ["到期提醒：到期业务 12-05到期（提前1天）"]


def test_workbooks_are_written_through_xlsxwriters_public_api_only():
    """No private attribute of an xlsxwriter object (an upgrade would break it silently)."""
    import inspect
    import re

    import core.xlsx

    source = inspect.getsource(core.xlsx)
    assert not re.findall(r"\b(?:sheet|book|table|str_table|worksheet|workbook)\._\w+", source)
    assert "from xlsxwriter.worksheet import Worksheet" in source  # the type only, no cell tuples
