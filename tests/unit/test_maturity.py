"""Maturity notices (到期业务提醒): reading, rejections, combining files and merging into the customers."""

from __future__ import annotations

import datetime as dt
import pathlib

import pandas as pd
import pytest

from core.errors import IngestError
from core.maturity import ITEM_COLUMNS, combine_maturities, merge_maturities, read_maturities

AS_OF = dt.date(2026, 11, 30)

NOTICE = [
    "到期业务提醒（2026年11月30日起）",  # 1
    "客户号,客户姓名,业务种类,到期金额,到期日期,网点",  # 2
    '001,张三,定期,"50,000.00",2026-12-05,城关支局',  # 3
    '001,张三,凭证式国债,"10,000.00",2026/12/02,城关支局',  # 4
    '002,李四,保险,"8,000.00",2027-03-01,城关支局',  # 5 outside any 30-day window: still an item
    '003,,理财,"20,000.00",20261210,城关支局',  # 6 not in the asset export
    ",王五,定期,100,2026-12-08,城关支局",  # 7 no id
    "004,赵六,定期,100,2026-13-01,城关支局",  # 8 bad date
    "005,钱七,定期,100,,城关支局",  # 9 no date
    "006,孙八,定期,abc,2026-12-08,城关支局",  # 10 bad amount
    "002,李四,一本通,,2026-11-20,城关支局",  # 11 already past, amount unknown
    '007,周九,理财,"5,000",2026-12-31,城关支局',  # 12 not in the asset export
]


def write(tmp_path: pathlib.Path, lines: list[str], name: str = "到期提醒.csv", encoding: str = "gbk"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.fixture
def notice(tmp_path):
    return read_maturities(write(tmp_path, NOTICE))


@pytest.fixture
def customers():
    return pd.DataFrame(
        {
            "customer_id": pd.array(["001", "002", "008", "009"], dtype="string"),
            "assets": [1.0, 2.0, 3.0, 4.0],
            "maturity_date": pd.to_datetime(["2026-12-20", None, "2026-12-01", "2026-11-01"]),
        }
    )


def test_gbk_notice_with_a_title_row_is_read(notice):
    assert notice.rows_read == 10
    assert notice.file_name == "到期提醒.csv"
    assert notice.mapping == {
        "customer_id": "客户号",
        "name": "客户姓名",
        "product": "业务种类",
        "amount": "到期金额",
        "maturity_date": "到期日期",
        "outlet": "网点",
    }
    items = notice.items
    assert list(items.columns) == ITEM_COLUMNS
    assert items["customer_id"].tolist() == ["001", "001", "002", "003", "002", "007"]
    assert items["product"].tolist() == ["定期", "凭证式国债", "保险", "理财", "一本通", "理财"]
    assert items["amount"].iloc[0] == 50000.0 and pd.isna(items["amount"].iloc[4])
    assert items["maturity_date"].iloc[3] == pd.Timestamp("2026-12-10")
    assert items["source_row"].tolist() == [3, 4, 5, 6, 11, 12]
    assert set(items["file"]) == {"到期提醒.csv"}
    assert str(items["customer_id"].dtype) == "string" and str(items["amount"].dtype) == "float64"


def test_rows_without_id_or_readable_date_or_amount_are_rejected(notice):
    assert [(r.row, r.reason) for r in notice.rejections] == [
        (7, "客户号为空"),
        (8, "到期日期“2026-13-01”不是日期"),
        (9, "到期日期为空"),
        (10, "到期金额“abc”不是数字"),
    ]
    assert {r.file for r in notice.rejections} == {"到期提醒.csv"}


def test_merge_keeps_every_item_and_takes_the_earliest_coming_maturity(notice, customers):
    merged = merge_maturities(customers, notice.items, as_of=AS_OF)
    out = merged.customers.set_index("customer_id")
    assert out.loc["001", "maturity_date"] == pd.Timestamp("2026-12-02")  # item beats the export's 12-20
    assert out.loc["002", "maturity_date"] == pd.Timestamp("2027-03-01")  # 11-20 is past
    assert out.loc["008", "maturity_date"] == pd.Timestamp("2026-12-01")  # export only
    assert pd.isna(out.loc["009", "maturity_date"])  # export date is past, no item
    assert out["maturity_items"].tolist() == [2, 2, 0, 0]
    assert len(merged.items) == 6
    assert merged.items["matched"].tolist() == [True, True, True, False, True, False]
    assert merged.unmatched["customer_id"].tolist() == ["003", "007"]
    assert list(merged.customers["assets"]) == [1.0, 2.0, 3.0, 4.0]


def test_several_files_combine_in_order(tmp_path, notice, customers):
    second = read_maturities(
        write(tmp_path, ["客户号,产品名称,本金,到期日", "001,理财,1000,2026-12-01"], "第二批.csv", "utf-8")
    )
    items = combine_maturities([notice, second])
    assert len(items) == 7
    assert items["file"].tolist()[-2:] == ["到期提醒.csv", "第二批.csv"]
    merged = merge_maturities(customers, items, as_of=AS_OF)
    out = merged.customers.set_index("customer_id")
    assert out.loc["001", "maturity_date"] == pd.Timestamp("2026-12-01")
    assert out.loc["001", "maturity_items"] == 3
    assert len(merged.unmatched) == 2


def test_no_files_combine_to_an_empty_items_frame(customers):
    items = combine_maturities([])
    assert list(items.columns) == ITEM_COLUMNS and len(items) == 0
    merged = merge_maturities(customers, items, as_of=AS_OF)
    assert merged.customers["maturity_items"].tolist() == [0, 0, 0, 0]
    assert merged.customers.set_index("customer_id").loc["001", "maturity_date"] == pd.Timestamp("2026-12-20")
    assert len(merged.unmatched) == 0


def test_a_notice_without_a_date_column_is_refused(tmp_path):
    with pytest.raises(IngestError, match=r"到期日（maturity_date）.*“客户号”、“金额”"):
        read_maturities(write(tmp_path, ["客户号,金额", "001,5"]))


def test_explicit_columns_for_a_notice(tmp_path):
    path = write(tmp_path, ["Cust,Due,Kind", "9,2026-12-09,定期"], encoding="utf-8")
    result = read_maturities(path, columns={"customer_id": "Cust", "maturity_date": "Due", "product": "Kind"})
    assert result.items[["customer_id", "product"]].values.tolist() == [["9", "定期"]]
    assert pd.isna(result.items["amount"].iloc[0])


def test_a_unit_above_the_notice_header_scales_amounts_and_is_reported(tmp_path):
    result = read_maturities(
        write(tmp_path, ["到期提醒 单位：万元", "客户号,到期金额,到期日", "001,5,2026-12-09"])
    )
    assert result.items["amount"].tolist() == [50000.0]
    assert [w.reason for w in result.warnings] == [
        "表头上方注明“单位：万元”，“到期金额”的数值已乘以 10,000 折算为元"
    ]
