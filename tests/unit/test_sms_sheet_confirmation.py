"""A greeting SMS list (短信-<name>) confirmed on its sheet: 已发送 / 发送日期 filled in beside the labels make the
contacts import read every customer on it as one 短信 contact of that day (the batch confirmation)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from core.assign import assign
from core.compliance.logs import read_contact_logs
from core.export import write_workbook
from core.i18n import t
from core.plan import build_plan
from core.policy import Policy
from core.segment import segment
from core.workload import workload
from tests.builders.customers import AS_OF
from tests.builders.export import ITEMS, ROSTER, sample

POLICY = Policy.default()


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[bytes, set[str]]:
    seg = segment(sample(), POLICY, AS_OF)
    result = assign(seg, ROSTER, POLICY)
    plan = build_plan(seg, result, POLICY, "2026-12", maturity_items=ITEMS)
    load = workload(plan, ROSTER, POLICY, result)
    path = tmp_path_factory.mktemp("book") / "plan.xlsx"
    write_workbook(
        path,
        seg=seg,
        assignment=result,
        plan=plan,
        workload=load,
        policy=POLICY,
        as_of=AS_OF,
        maturity_items=ITEMS,
        outlet="城关支局",
        month="2026-12",
    )
    return path.read_bytes(), set(seg["customer_id"].astype(str))


def filled(data: bytes, cells: dict[str, tuple[object, object]]) -> bytes:
    """The workbook with (已发送, 发送日期) written beside the labels of the named SMS sheets."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet, (sent, day) in cells.items():
        for row in book[sheet].iter_rows():
            if row[0].value == "已发送":
                row[1].value = sent
            if row[0].value == "发送日期":
                row[1].value = day
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(data: bytes, customers: set[str]):
    return read_contact_logs(
        [("plan.xlsx", data)], policy=POLICY, staff=set(ROSTER.names), customers=customers, period="2026-12"
    )


def test_the_sheet_has_the_two_cells_to_fill_below_the_list(written):
    rows = list(openpyxl.load_workbook(io.BytesIO(written[0]))["短信-陈静"].iter_rows(values_only=True))
    assert [r[:2] for r in rows[-4:]] == [
        ("发送确认", t("export.sms.confirm", "zh")),
        ("填写方法", "也可在下面两行右侧填写“是”和发送日期（YYYY-MM-DD），随联络表导入即确认"),
        ("已发送", None),
        ("发送日期", None),
    ]


def test_an_unfilled_list_is_not_read(written):
    got = read(written[0], written[1])
    assert len(got.rows) == 0 and got.rejections == []
    assert not any(s["sheet"].startswith("短信-") for s in got.sheets)


def test_a_list_confirmed_on_the_sheet_is_one_sms_contact_per_customer_on_the_day_sent(written):
    data = filled(written[0], {"短信-陈静": ("是", "2026-12-02"), "短信-刘洋": ("否", "2026-12-03")})
    got = read(data, written[1])
    assert got.rejections == []
    rows = got.rows
    assert len(rows) == 85  # 陈静's list: 85 customers, as the sheet's title says
    assert set(rows["staff_name"]) == {"陈静"} and set(rows["sheet"]) == {"短信-陈静"}
    assert set(rows["channel"]) == {POLICY.compliance.channel_map["sms"][0]} == {"短信"}
    assert set(rows["result"]) == {POLICY.compliance.counted_results[0]}
    assert set(rows["note"]) == {t("sms.confirm.note", "zh")}
    assert set(rows["contact_date"].dt.date) == {dt.date(2026, 12, 2)}
    assert rows["row"].tolist() == list(range(3, 88))  # the list's rows under the title and the header
    assert {"file": "plan.xlsx", "sheet": "短信-陈静", "rows": 85} in got.sheets


def test_sent_without_a_date_refuses_the_list_and_a_date_outside_the_month_each_row(written):
    data = filled(written[0], {"短信-陈静": ("是", None), "短信-赵丽": (None, "2027-01-04")})
    got = read(data, written[1])
    assert len(got.rows) == 0
    mine = [r for r in got.rejections if r["sheet"] == "短信-陈静"]
    assert mine == [
        {
            "file": "plan.xlsx",
            "sheet": "短信-陈静",
            "row": 92,
            "reason": "群发短信名单写了已发送，但“发送日期”没有填写，整张名单未导入",
        }
    ]
    others = [r for r in got.rejections if r["sheet"] == "短信-赵丽"]
    assert others and all("2027-01-04" in r["reason"] for r in others)
