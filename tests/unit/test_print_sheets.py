"""The sheets staff print: the daily call sheet (a page per day, ruled, legible), the customer sheet, the
catalogue, masking and hidden balances, and the filled call sheet read back by the contact-log reader."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from core.assign import assign
from core.compliance.logs import read_contact_logs
from core.export import (
    CALL_COLUMNS,
    SPARE_ROWS_PER_DAY,
    mask_phones,
    staff_workbooks_zip,
    write_workbook,
)
from core.export.calls import _log_rows
from core.offers import suggestions
from core.plan import batch_sms, build_plan
from core.policy import Policy
from core.segment import segment
from core.workload import workload
from core.xlsx import FORM_MARGINS, print_scale, text_lines
from tests.builders.customers import AS_OF
from tests.builders.export import ITEMS, ROSTER, sample

POLICY = Policy.default()
HIDDEN = POLICY.with_changes({"privacy": {"hide_assets": True}})
A4_MIN_PT = 9.0


def build(policy: Policy = POLICY, **options) -> tuple[bytes, dict]:
    seg = segment(sample(), policy, AS_OF)
    result = assign(seg, ROSTER, policy)
    plan = build_plan(seg, result, policy, "2026-12", maturity_items=ITEMS)
    load = workload(plan, ROSTER, policy, result)
    kwargs = dict(seg=seg, assignment=result, plan=plan, workload=load, policy=policy, as_of=AS_OF)
    buffer = io.BytesIO()
    write_workbook(buffer, **kwargs, maturity_items=ITEMS, month="2026-12", **options)
    return buffer.getvalue(), {"seg": seg, "result": result, "plan": plan, "kwargs": kwargs}


@pytest.fixture(scope="module")
def made():
    return build()


@pytest.fixture(scope="module")
def book(made):
    return openpyxl.load_workbook(io.BytesIO(made[0]))


def table(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def widths(sheet) -> list[float]:
    header = [c for c in sheet[1] if c.value is not None]
    return [sheet.column_dimensions[c.column_letter].width for c in header]


def printed_pt(sheet) -> float:
    """The printed size of 11 pt text once the sheet is fitted to the A4 landscape page width."""
    margins = sheet.page_margins
    return 11 * print_scale(widths(sheet), left=margins.left, right=margins.right)


def test_call_sheet_has_the_columns_a_caller_needs_and_keeps_the_log_columns(book):
    sheet = book["联络表-李敏"]
    assert [c.value for c in sheet[1]] == CALL_COLUMNS
    assert CALL_COLUMNS == [
        "序号",
        "日期",
        "客户号",
        "姓名",
        "手机号",
        "层级",
        "事由",
        "推荐",
        "方式",
        "结果",
        "熟识程度",
        "备注",
        "员工",
    ]


def test_each_working_day_starts_a_new_printed_page_numbered_from_one(book, made):
    sheet = book["联络表-李敏"]
    rows = table(sheet)
    calls = [(i, r) for i, r in enumerate(rows) if r["客户号"] is not None]
    days = sorted({r["日期"] for _, r in calls})
    firsts = [next(i for i, r in calls if r["日期"] == day) for day in days]
    # a break sits above the first row of every day but the first (sheet row = data index + 2, break id = row - 1)
    assert sorted(b.id for b in sheet.row_breaks.brk) == [i + 1 for i in firsts[1:]]
    assert all(b.man for b in sheet.row_breaks.brk)
    for day in days:
        numbers = [r["序号"] for _, r in calls if r["日期"] == day]
        assert numbers == list(range(1, len(numbers) + 1))
    # each day ends with ruled empty rows to write a walk-in or a call back in
    for i in firsts[1:]:
        assert all(all(v is None for v in rows[i - k].values()) for k in range(1, SPARE_ROWS_PER_DAY + 1))
    planned = made[1]["plan"].query("staff == '李敏'")
    assert {d.date() for d in days} == {d.date() for d in planned["due_date"]}


def test_call_sheet_prints_titles_a_page_header_and_legible_ruled_wrapped_cells(book):
    sheet = book["联络表-李敏"]
    assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "A2"
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToHeight) == ("landscape", 9, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "每日计划联络表 · 李敏" in sheet.oddHeader.left.text and sheet.oddHeader.center.text == "2026-12"
    assert "已转存" in sheet.oddFooter.left.text
    assert sum(widths(sheet)) <= 160 and printed_pt(sheet) >= A4_MIN_PT
    assert sheet.page_margins.left == FORM_MARGINS["left"]
    rows = table(sheet)
    first = next(i for i, r in enumerate(rows) if r["客户号"] is not None) + 2
    for cell in sheet[first]:
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
        assert cell.alignment.wrap_text
    result_cell = sheet.cell(first, CALL_COLUMNS.index("结果") + 1)
    assert result_cell.value is None and result_cell.border.top.style == "thin"  # a ruled empty box
    assert sheet.row_dimensions[first].height >= 30
    day = sheet.cell(first, CALL_COLUMNS.index("日期") + 1)
    assert day.number_format == '[$-804]m"月"d"日" "周"aaa' and isinstance(
        day.value, dt.datetime
    )  # 12月1日 周二


def test_rows_are_tall_enough_for_their_wrapped_purpose_and_offers(book):
    sheet = book["联络表-李敏"]
    col = {h: i for i, h in enumerate(CALL_COLUMNS)}
    for r, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if row[col["客户号"]] is None:
            continue
        lines = max(text_lines(row[col["事由"]], 22), text_lines(row[col["推荐"]], 26))
        assert sheet.row_dimensions[r].height == max(30.0, 15.0 * lines + 3.0)


def test_drop_downs_for_result_channel_and_familiarity_cover_the_spare_rows(book):
    sheet = book["联络表-刘洋"]
    n = sheet.max_row
    found = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    results = '"' + ",".join(POLICY.compliance.log_results) + '"'
    last = n + 200  # 200 spare rows below the sheet for calls added by hand
    assert found[f"J2:J{last}"] == results and "空号" in results and "他行转入" in results
    assert found[f"I2:I{last}"] == '"电话,短信,上门,厅堂,微信"'
    assert found[f"K2:K{last}"] == '"1,2,3,4,5"'


def test_purpose_names_the_routine_the_731_item_and_the_gap(book, made):
    rows = [r for name in ROSTER.names for r in table(book[f"联络表-{name}"]) if r["客户号"] is not None]
    purposes = [r["事由"] for r in rows]
    assert any(p.startswith("例行电话（每周1次）") for p in purposes)
    assert not any(p == "例行短信（每月1次）" for p in purposes)  # the greeting SMS is its own list
    reminder = [p for r, p in zip(rows, purposes, strict=True) if r["客户号"] == "001000000000"]
    assert "到期提醒：定期 5万 12-14到期（提前7天）" in "；".join(reminder)
    near = made[1]["seg"].dropna(subset=["near_level"]).set_index("customer_id")
    for r in rows:
        if r["客户号"] in near.index:
            level, gap = near.loc[r["客户号"], ["near_level", "gap"]]
            assert r["事由"].endswith(f"临界{level / 10000:g}万档，差 {gap:,.0f} 元")


def test_731_reminders_come_first_in_their_day(book):
    rows = [r for r in table(book["联络表-周建国"]) if r["客户号"] is not None]
    for day in {r["日期"] for r in rows}:
        flags = ["到期提醒" in r["事由"] for r in rows if r["日期"] == day]
        assert flags == sorted(flags, reverse=True)


def test_offers_are_short_ordered_and_follow_the_policy_rules():
    tiers = np.array([0, 1, 1, 2, 3])
    near = np.array([np.nan, 50000.0, np.nan, 100000.0, np.nan])
    item = [None, "定期 5万 12-14到期", "理财 12-20到期", None, None]
    got = suggestions(tiers, near, item, POLICY)
    assert got == [
        ("活期", "货币基金", "电子银行"),
        ("达标有礼（5万档）", "转存/转化有礼：定期 5万 12-14到期", "人民币理财"),
        ("转存/转化有礼：理财 12-20到期", "定期", "基金定投"),
        ("达标有礼（10万档）", "资产配置", "专属理财经理一对一服务"),
        ("资产配置", "专属理财经理一对一服务", "人民币理财"),
    ]
    named = POLICY.with_changes(
        {
            "offers": {"max_items": 2, "rules": ["maturing", "near", "tier"]},
            "bands": [
                dict(b, gift="电饭煲") if b["level"] == 50000 else b for b in POLICY.to_dict()["bands"]
            ],
        }
    )
    assert suggestions(tiers[1:2], near[1:2], item[1:2], named) == [
        ("转存/转化有礼：定期 5万 12-14到期", "达标有礼（5万档）：电饭煲")
    ]


def test_offers_on_the_sheets_are_numbered_lines(book):
    rows = [r for r in table(book["李敏"]) if r["推荐"]]
    assert rows and all(r["推荐"].startswith("1. ") for r in rows)
    assert all(1 <= r["推荐"].count("\n") + 1 <= 3 for r in rows)


def test_customer_sheet_fits_a4_at_a_legible_size_and_the_catalogue_is_one_sheet(book):
    for name in ROSTER.names:
        sheet = book[name]
        assert sum(widths(sheet)) <= 160 and printed_pt(sheet) >= A4_MIN_PT
        assert "推介产品" not in [c.value for c in sheet[1]]
    catalogue = table(book["推介产品目录"])
    assert [r["客户群"] for r in catalogue] == [
        "潜力客户",
        "基础客户",
        "中端客户",
        "高端客户",
        "临界客户（各达标档位）",
        "到期客户",
    ]
    high = catalogue[3]
    assert high["推介产品"] == "、".join(POLICY.tier("high").products)
    assert high["每位客户推荐"] == "资产配置、专属理财经理一对一服务、人民币理财"
    assert high["资产范围(元)"] == "200,000 起" and catalogue[0]["资产范围(元)"] == "0 – 10,000"


def test_mobiles_are_masked_on_every_sheet_staff_get(book):
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        if "手机号" not in header:
            continue
        phones = [r["手机号"] for r in table(sheet) if r.get("手机号")]
        assert phones, sheet.title
        assert all("****" in p for p in phones), sheet.title
    assert "138****0012" in [r["手机号"] for name in ROSTER.names for r in table(book[name])]


def test_mask_keeps_three_and_four_digits_and_handles_odd_values():
    values = np.array(
        ["13800000001", "+8613912345678", "5551234", "12", None, pd.NA, "", 13900000002.0], dtype=object
    )
    masked = ["138****0001", "+86****5678", "*****34", "**", None, None, None, "139****0002"]
    assert mask_phones(values).tolist() == masked


def test_the_heads_own_copy_keeps_the_full_numbers():
    data, _ = build(head_copy=True)
    book = openpyxl.load_workbook(io.BytesIO(data))
    phones = {r["手机号"] for name in ROSTER.names for r in table(book[name])}
    assert "13800000012" in phones
    calls = {r["手机号"] for r in table(book["联络表-李敏"]) if r["手机号"]}
    assert calls and not any("****" in p for p in calls)


def test_unmasked_when_the_policy_says_so():
    data, _ = build(POLICY.with_changes({"privacy": {"mask_phone": False}}))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "13800000012" in {r["手机号"] for name in ROSTER.names for r in table(book[name])}


def test_hidden_balances_show_tiers_and_rounded_gaps_only():
    data, extra = build(HIDDEN)
    book = openpyxl.load_workbook(io.BytesIO(data))
    overview = [c.value for row in book["总览"].iter_rows(max_row=3) for c in row]
    assert "员工" in overview and "资产合计(元)" not in overview
    for name in [*ROSTER.names, "临界客户", "到期客户"]:
        header = [c.value for c in book[name][1]]
        assert "资产(元)" not in header and "金额(元)" not in header and "达标可得积分" not in header
        assert "层级" in header
    seg = extra["seg"].set_index("customer_id")
    near = [r for name in ROSTER.names for r in table(book[name]) if r["临界档位"]]
    assert near
    for r in near:
        gap = seg.loc[r["客户号"], "gap"]
        rounded = max(1, -(-gap // 1000)) * 1000
        assert r["差额"] == f"差不到 {rounded:,.0f} 元"
    texts = [r[k] or "" for name in ROSTER.names for r in table(book[name]) for k in ("到期业务", "推荐")]
    texts += [r["事由"] or "" for r in table(book["联络表-周建国"])]
    joined = "\n".join(texts)
    assert "定期 12-14到期" in joined and "定期 5万" not in joined and "50,000.00元" not in joined


def test_staff_zip_books_apply_the_privacy_rules(made):
    archive = zipfile.ZipFile(io.BytesIO(staff_workbooks_zip(**made[1]["kwargs"], maturity_items=ITEMS)))
    one = openpyxl.load_workbook(io.BytesIO(archive.read("李敏.xlsx")))
    assert one.sheetnames == ["总览", "李敏", "联络表-李敏", "临界客户", "到期客户", "推介产品目录"]
    assert all("****" in r["手机号"] for r in table(one["李敏"]) if r["手机号"])


def test_a_filled_call_sheet_reads_back_through_the_contact_log_reader(made, tmp_path):
    data, extra = made
    plan = extra["plan"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    col = {h: i + 1 for i, h in enumerate(CALL_COLUMNS)}
    sheet = book["联络表-李敏"]
    planned = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, col["客户号"]).value is not None]
    answers = ["已联络", "空号", "拒绝", "已转存", "他行转入", "已邀约"]
    filled = {}
    for r, answer in zip(planned, answers, strict=False):
        sheet.cell(r, col["结果"], answer)
        sheet.cell(r, col["备注"], f"备注{r}")
        filled[r] = answer
    # a walk-in written by hand into the first day's spare rows
    spare = next(
        r for r in range(planned[0], sheet.max_row + 1) if sheet.cell(r, col["客户号"]).value is None
    )
    walk_in = planned[0]
    for header in ("日期", "客户号", "姓名", "员工"):
        sheet.cell(spare, col[header], sheet.cell(walk_in, col[header]).value)
    sheet.cell(spare, col["方式"], "厅堂")
    sheet.cell(spare, col["结果"], "已成交")
    path = tmp_path / "filled.xlsx"
    book.save(path)

    got = read_contact_logs(
        [("filled.xlsx", path.read_bytes())],
        policy=POLICY,
        plan=plan,
        staff=ROSTER.names,
        customers=extra["seg"]["customer_id"],
    )
    calls = len(_log_rows(plan.loc[~batch_sms(plan, POLICY)], POLICY))
    assert got.rejections == [] and got.attempts == [] and got.warnings == []
    assert got.rows_read == calls + 1  # every planned call and the walk-in; ruled empty rows are not rows
    assert got.planned_unfilled == calls - len(filled)
    assert len(got.sheets) == len(ROSTER.names) and got.period.label == "2026-12"
    rows = got.rows.sort_values("row").reset_index(drop=True)
    expected = [
        (
            sheet.cell(r, col["日期"]).value,
            "李敏",
            sheet.cell(r, col["客户号"]).value,
            sheet.cell(r, col["方式"]).value,
            answer,
            f"备注{r}",
            r,
        )
        for r, answer in filled.items()
    ]
    expected.append(
        (
            sheet.cell(spare, col["日期"]).value,
            "李敏",
            sheet.cell(spare, col["客户号"]).value,
            "厅堂",
            "已成交",
            None,
            spare,
        )
    )
    expected.sort(key=lambda e: e[-1])
    actual = [
        (
            r.contact_date.to_pydatetime(),
            r.staff_name,
            r.customer_id,
            r.channel,
            r.result,
            None if pd.isna(r.note) else r.note,
            int(r.row),
        )
        for r in rows.itertuples(index=False)
    ]
    assert actual == expected
    assert set(rows["result"]) == {*answers, "已成交"}
    assert isinstance(expected[0][0], dt.datetime)


def test_customer_rows_are_as_tall_as_their_wrapped_offers_and_dates(book):
    sheet = book["李敏"]
    header = [c.value for c in sheet[1]]
    wrapped = {"到期业务": 24, "本月应联络日期": 16, "推荐": 26}
    checked = 0
    for r, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        lines = max(text_lines(row[header.index(h)], w) for h, w in wrapped.items())
        if lines > 1:
            assert sheet.row_dimensions[r].height == 15.0 * lines + 3
            checked += 1
    assert checked > 10


def test_every_list_staff_get_prints_at_nine_points_or_more_on_a4(book):
    for sheet in book.worksheets[1:]:  # 总览 is the head's overview of everyone
        assert printed_pt(sheet) >= A4_MIN_PT, sheet.title
        assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage


def test_the_assignment_page_offers_the_heads_unmasked_copy_of_the_whole_workbook(tmp_path):
    from tests.builders.app import database_env, page_test, seed_outlet

    data = seed_outlet(tmp_path / "console.db")
    with database_env(data.url):
        at = page_test("assignment", "branch_head")
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        box = at.checkbox(key="as_head_copy")
        assert box.value is False and box.label.startswith("整本工作簿为支局长自用")
