"""Whole exports through read_table / read_customers: encodings, delimiters, Excel, row numbers, merge rules."""

from __future__ import annotations

import datetime as dt
import io
import pathlib
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from core.errors import IngestError
from core.ingest import CANONICAL, SYNONYMS, read_customers, read_table

AS_OF = dt.date(2026, 11, 30)
FIXTURES = pathlib.Path(__file__).parent / "fixtures_ingest"

# Lines as a branch export has them: titles, export date, header, one row per account, a blank line, 合计.
GBK_EXPORT = [
    "中国邮政储蓄银行某某市分行",  # 1
    "客户营销管理—目标客户查询",  # 2
    "导出日期：2026-11-30,,操作员：张三",  # 3
    "客户号,客户姓名,联系电话,所属网点,账户余额(元),到期日,管户人员,熟识程度",  # 4 header
    '001000000001,张三,13800000001,城关支局,"12,345.67",2026/12/10,李敏,熟悉',  # 5
    '001000000001,张三,,城关支局,"1,000.00",2026/12/03,,',  # 6
    "001000000002,李四,13800000002,城关支局,￥500元,2026/11/01,,较低",  # 7
    ",无名,,城关支局,100.00,,,",  # 8 no id
    "001000000003,王五,,城关支局,abc,,,",  # 9 text amount
    "001000000004,赵六,,城关支局,-50.00,,,",  # 10 negative
    '001000000003,王五,13800000003,城关支局,"2,000.00",,,',  # 11
    "",  # 12 blank
    "001000000002,李四,,城关支局,１，０００．００,2026/11/29,,",  # 13 full-width digits
    '合计,,,,"16,795.67",,,',  # 14
]


def write(
    tmp_path: pathlib.Path, lines: list[str], *, encoding: str, name: str = "export.csv", eol: str = "\r\n"
):
    path = tmp_path / name
    path.write_bytes(eol.join(lines).encode(encoding) + eol.encode(encoding))
    return path


@pytest.fixture
def gbk_result(tmp_path):
    return read_customers(write(tmp_path, GBK_EXPORT, encoding="gbk"), as_of=AS_OF)


def by_id(result) -> dict[str, dict]:
    return {row["customer_id"]: row for row in result.customers.to_dict("records")}


def test_gbk_export_is_detected_and_its_header_found_below_the_titles(gbk_result):
    assert gbk_result.encoding == "gb18030"
    assert gbk_result.header_row == 4
    assert gbk_result.file_name == "export.csv"
    assert gbk_result.mapping == {
        "customer_id": "客户号",
        "name": "客户姓名",
        "phone": "联系电话",
        "outlet": "所属网点",
        "assets": "账户余额(元)",
        "maturity_date": "到期日",
        "manager": "管户人员",
        "familiarity": "熟识程度",
    }
    assert gbk_result.unit_multipliers == {"assets": 1.0}


def test_blank_and_total_rows_are_not_data_rows(gbk_result):
    assert gbk_result.rows_read == 8
    assert gbk_result.total_rows == [14]


def test_rejections_name_the_physical_line_the_column_and_the_value(gbk_result):
    assert [(r.row, r.column, r.reason) for r in gbk_result.rejections] == [
        (8, "客户号", "客户号为空"),
        (9, "账户余额(元)", "账户余额(元)“abc”不是数字"),
        (10, "账户余额(元)", "账户余额(元)“-50.00”为负数"),
    ]
    assert {r.file for r in gbk_result.rejections} == {"export.csv"}


def test_account_rows_merge_into_customers_with_summed_assets(gbk_result):
    customers = by_id(gbk_result)
    assert list(customers) == ["001000000001", "001000000002", "001000000003"]
    assert customers["001000000001"]["assets"] == 13345.67
    assert customers["001000000001"]["accounts"] == 2
    assert customers["001000000002"]["assets"] == 1500.0
    assert customers["001000000002"]["accounts"] == 2


def test_a_rejected_row_does_not_contribute_to_its_customer(gbk_result):
    customer = by_id(gbk_result)["001000000003"]
    assert customer["assets"] == 2000.0
    assert customer["accounts"] == 1
    assert customer["source_row"] == 11
    assert customer["phone"] == "13800000003"
    assert "001000000004" not in by_id(gbk_result)


def test_earliest_maturity_on_or_after_as_of_is_kept_else_none(gbk_result):
    customers = by_id(gbk_result)
    assert customers["001000000001"]["maturity_date"] == pd.Timestamp("2026-12-03")
    assert pd.isna(customers["001000000002"]["maturity_date"])  # 11-01 and 11-29 are both past


def test_other_fields_come_from_the_first_row(gbk_result):
    first = by_id(gbk_result)["001000000001"]
    assert (first["name"], first["phone"], first["manager"], first["familiarity"], first["source_row"]) == (
        "张三",
        "13800000001",
        "李敏",
        5,
        5,
    )
    assert by_id(gbk_result)["001000000002"]["familiarity"] == 2


def test_customer_table_has_the_canonical_columns_and_dtypes(gbk_result):
    frame = gbk_result.customers
    assert list(frame.columns) == [*CANONICAL, "source_row", "accounts"]
    dtypes = {c: str(t) for c, t in frame.dtypes.items()}
    assert dtypes["customer_id"] == dtypes["name"] == dtypes["phone"] == "string"
    assert dtypes["assets"] == "float64"
    assert dtypes["maturity_date"].startswith("datetime64") and dtypes["birthday"].startswith("datetime64")
    assert dtypes["familiarity"] == "Int64"
    assert dtypes["source_row"] == dtypes["accounts"] == "int64"
    assert frame["birthday"].isna().all()  # no birthday column: NaT, not an error


def test_utf8_bom_with_semicolons(tmp_path):
    lines = ["客户编号;户名;资产余额", "0001;甲;1.000,5", "0002;乙;2000"]
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    result = read_customers(path, as_of=AS_OF)
    assert result.encoding == "utf-8-sig"
    assert result.header_row == 1
    assert result.customers["customer_id"].tolist() == ["0002"]
    assert [(r.row, r.reason) for r in result.rejections] == [(2, "资产余额“1.000,5”不是数字")]


def test_tab_delimited_with_thousands_separators(tmp_path):
    lines = ["客户号\t客户名称\t余额", "01\t甲\t1,234.00", "02\t乙\t56,789.10", "03\t丙\t7"]
    result = read_customers(write(tmp_path, lines, encoding="utf-8", eol="\n"), as_of=AS_OF)
    assert result.customers["assets"].tolist() == [1234.0, 56789.1, 7.0]
    assert result.customers["customer_id"].tolist() == ["01", "02", "03"]


def test_utf16_export_with_bom(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("客户号\t余额\r\n007\t10\r\n".encode("utf-16"))
    result = read_customers(path, as_of=AS_OF)
    assert result.encoding == "utf-16"
    assert result.customers["customer_id"].tolist() == ["007"]


def test_quoted_line_breaks_keep_physical_line_numbers(tmp_path):
    lines = ["客户号,客户姓名,余额", '1,"张\n三",100', "2,李四,abc", "3,王五,300"]
    result = read_customers(write(tmp_path, lines, encoding="gbk"), as_of=AS_OF)
    assert [(r.row, r.reason) for r in result.rejections] == [(4, "余额“abc”不是数字")]
    assert result.customers["name"].tolist() == ["张\n三", "王五"]
    assert result.customers["source_row"].tolist() == [2, 5]


def test_ragged_rows_are_read_with_exact_line_numbers(tmp_path):
    lines = ["标题", "客户号,余额", "1,100", "2,abc,多余", "3", "4,400"]
    result = read_customers(write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF)
    assert [(r.row, r.reason) for r in result.rejections] == [(4, "余额“abc”不是数字"), (5, "余额为空")]
    assert result.customers["customer_id"].tolist() == ["1", "4"]


def test_short_total_row_and_trailing_blank_lines(tmp_path):
    lines = ["客户号,余额,到期日", "1,100,", "2,abc,", "小计,100", "", ""]
    result = read_customers(write(tmp_path, lines, encoding="gbk"), as_of=AS_OF)
    assert result.total_rows == [4]
    assert result.rows_read == 2
    assert [r.row for r in result.rejections] == [3]


def test_a_name_that_starts_like_a_total_is_a_customer(tmp_path):
    lines = ["客户号,客户姓名,余额", "1,小计划,100", "2,合计,100"]
    result = read_customers(write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF)
    assert result.customers["name"].tolist() == ["小计划"]
    assert result.total_rows == [3]


@pytest.mark.parametrize("cell", ["合计", "总计：", "小 计", " 合计(元)", "合计 共3户"])
def test_total_rows_in_any_of_the_first_cells(tmp_path, cell):
    lines = ["客户号,客户姓名,余额", "1,甲,100", f",{cell},100"]
    result = read_customers(write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF)
    assert result.total_rows == [3]
    assert result.rejections == []


def test_bytes_and_file_objects_are_accepted(tmp_path):
    raw = "客户号,余额\n1,5\n".encode()
    from_bytes = read_customers(raw, as_of=AS_OF, file_name="上传.csv")
    from_buffer = read_customers(io.BytesIO(raw), as_of=AS_OF, file_name="上传.csv")
    assert from_bytes.customers.equals(from_buffer.customers)
    assert from_bytes.sha256 == from_buffer.sha256 == __import__("hashlib").sha256(raw).hexdigest()


def test_unit_in_the_header_multiplies(tmp_path):
    lines = ["客户号,金融资产（万元）", "1,1.5", "2,０．０１"]
    result = read_customers(write(tmp_path, lines, encoding="gbk"), as_of=AS_OF)
    assert result.unit_multipliers == {"assets": 10000.0}
    assert result.customers["assets"].tolist() == [15000.0, 100.0]


def test_the_more_specific_synonym_wins_and_the_choice_is_recorded(tmp_path):
    lines = ["客户号,余额,资产余额,账户余额", "1,1,2,3"]
    result = read_customers(write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF)
    assert result.mapping["assets"] == "资产余额"
    assert result.customers["assets"].tolist() == [2.0]
    assert [w.reason for w in result.warnings] == [
        "“资产余额”与“账户余额”都可作为资产余额，已使用“资产余额”（可在列映射中改选）"
    ]


def test_an_explicit_mapping_wins(tmp_path):
    lines = ["客户号,资产余额,Balance", "1,2,3"]
    result = read_customers(
        write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF, columns={"assets": "balance"}
    )
    assert result.mapping["assets"] == "Balance"
    assert result.customers["assets"].tolist() == [3.0]


def test_unknown_field_in_the_mapping_is_refused_listing_fields_and_headers(tmp_path):
    path = write(tmp_path, ["客户号,余额", "1,2"], encoding="utf-8")
    with pytest.raises(IngestError) as err:
        read_customers(path, as_of=AS_OF, columns={"money": "余额"})
    assert "“money”" in str(err.value) and "assets" in str(err.value) and "“余额”" in str(err.value)


def test_mapped_header_absent_is_refused_listing_headers(tmp_path):
    path = write(tmp_path, ["客户号,余额", "1,2"], encoding="utf-8")
    with pytest.raises(IngestError) as err:
        read_customers(path, as_of=AS_OF, columns={"assets": "Balance"})
    message = str(err.value)
    assert "export.csv" in message and "“Balance”" in message and "“客户号”、“余额”" in message


def test_missing_id_column_is_one_error_naming_file_field_and_headers(tmp_path):
    path = write(tmp_path, ["标题行", "姓名,余额", "甲,2"], encoding="gbk")
    with pytest.raises(IngestError) as err:
        read_customers(path, as_of=AS_OF)
    message = str(err.value)
    assert "export.csv" in message and "客户号（customer_id）" in message and "“姓名”、“余额”" in message
    assert "第 2 行" in message


def test_missing_assets_column_is_refused(tmp_path):
    path = write(tmp_path, ["客户号,姓名", "1,甲"], encoding="utf-8")
    with pytest.raises(IngestError, match="资产余额（assets）"):
        read_customers(path, as_of=AS_OF)


def test_header_only_file_gives_no_customers(tmp_path):
    result = read_customers(write(tmp_path, ["客户号,客户姓名,余额"], encoding="gbk"), as_of=AS_OF)
    assert result.rows_read == 0
    assert result.rejections == []
    assert len(result.customers) == 0
    assert list(result.customers.columns) == [*CANONICAL, "source_row", "accounts"]
    assert str(result.customers["assets"].dtype) == "float64"


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b"", "是空的"),
        (b" \r\n\r\n  ", "是空的"),
        (bytes(range(256)) * 64, "不是 CSV"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "不是 CSV"),
        ("<html><body><table><tr><td>客户号</td></tr></table></body></html>".encode(), "网页"),
        (b"PK\x03\x04 broken zip", "Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel"),
    ],
)
def test_unusable_files_give_one_clear_error(payload, fragment):
    with pytest.raises(IngestError, match=fragment) as err:
        read_customers(payload, as_of=AS_OF, file_name="坏文件.csv")
    assert "坏文件.csv" in str(err.value)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(IngestError, match="Excel"):
        read_customers(buffer.getvalue(), as_of=AS_OF, file_name="a.xlsx")


def test_undecodable_bytes_after_the_sample_name_their_line(tmp_path):
    body = [f"{i:06d},张三,{i}.00" for i in range(1, 4001)]
    raw = ("客户号,客户姓名,余额\r\n" + "\r\n".join(body) + "\r\n").encode("gbk")
    cut = raw.index(b"003500,")
    raw = raw[:cut] + b"003500,\xff\xfe,1\r\n" + raw[cut:]
    assert cut > 64 * 1024
    with pytest.raises(IngestError, match="第 3501 行") as err:
        read_customers(raw, as_of=AS_OF, file_name="混合编码.csv")
    assert "GBK" in str(err.value)


def test_utf8_sample_followed_by_gbk_bytes_names_the_line():
    head = "客户号,余额\n" + "".join(f"{i},1\n" for i in range(20000))
    raw = head.encode("utf-8") + "99999,张三\n".encode("gbk")
    with pytest.raises(IngestError, match=r"第 20002 行.*UTF-8"):
        read_customers(raw, as_of=AS_OF, file_name="x.csv")


def test_read_table_with_hints_finds_a_roster_header():
    raw = "员工名单\n导出：2026-11-30\n姓名,岗位,网点,容量\n李敏,理财经理,城关支局,\n".encode("gbk")
    table = read_table(raw, file_name="roster.csv", header_hints=["姓名", "岗位"])
    assert table.header_row == 3
    assert table.headers == ["姓名", "岗位", "网点", "容量"]
    assert table.frame.iloc[0].tolist()[:3] == ["李敏", "理财经理", "城关支局"]
    assert pd.isna(table.frame.iloc[0, 3])
    assert table.row_numbers.tolist() == [4]


def test_read_table_without_hints_takes_the_widest_first_row():
    table = read_table("报表\na,b,c\n1,2,3\n".encode(), file_name="t.csv")
    assert table.header_row == 2 and table.headers == ["a", "b", "c"]


def test_duplicate_and_empty_headers_are_named_uniquely():
    table = read_table(
        "客户号,余额,余额,,x\n1,2,3,4,5\n".encode(), file_name="t.csv", header_hints=["客户号"]
    )
    assert table.headers == ["客户号", "余额", "余额(2)", "(第4列)", "x"]


def test_no_header_in_an_all_blank_sheet(tmp_path):
    book = openpyxl.Workbook()
    path = tmp_path / "blank.xlsx"
    book.save(path)
    with pytest.raises(IngestError, match="是空的"):
        read_table(path)


def make_workbook(path: pathlib.Path) -> pathlib.Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "明细"
    sheet.append(["目标客户查询结果"])  # row 1
    sheet.append([])  # row 2
    sheet.append(["客户号", "客户姓名", "账户余额", "到期日", "出生日期", "熟识程度"])  # row 3
    sheet.append(["00123", "甲", 1000.5, dt.datetime(2026, 12, 5), dt.datetime(1980, 3, 15), 3])  # row 4
    sheet.append(["00123", "甲", "2,000", 46366, None, None])  # row 5: serial 46366 = 2026-12-10
    sheet.append([])  # row 6
    sheet.append([None, "乙", 5, None, None, None])  # row 7: no id
    sheet.append([98765, "丙", -1, None, None, "很熟"])  # row 8: negative, numeric id
    sheet.append([98765, "丙", 7, "2026年12月1日", "1990-01-01", "很熟"])  # row 9
    sheet.append(["合计", None, 3006.5, None, None, None])  # row 10
    other = book.create_sheet("汇总")
    other.append(["客户号", "余额"])
    other.append(["X1", "=1+1"])
    book.save(path)
    return path


def test_xlsx_reads_typed_cells_and_exact_excel_rows(tmp_path):
    result = read_customers(make_workbook(tmp_path / "明细.xlsx"), as_of=AS_OF)
    assert result.sheet == "明细" and result.header_row == 3 and result.encoding is None
    assert [(r.row, r.reason) for r in result.rejections] == [(7, "客户号为空"), (8, "账户余额“-1”为负数")]
    customers = by_id(result)
    assert list(customers) == ["00123", "98765"]
    assert customers["00123"]["assets"] == 3000.5
    assert customers["00123"]["maturity_date"] == pd.Timestamp("2026-12-05")
    assert customers["00123"]["birthday"] == pd.Timestamp("1980-03-15")
    assert customers["00123"]["familiarity"] == 3
    assert customers["98765"]["maturity_date"] == pd.Timestamp("2026-12-01")
    assert customers["98765"]["source_row"] == 9
    assert result.total_rows == [10]


def test_xlsx_named_sheet_and_missing_sheet(tmp_path):
    path = make_workbook(tmp_path / "b.xlsx")
    table = read_table(path, sheet="汇总")
    assert table.sheet == "汇总" and table.headers == ["客户号", "余额"]
    assert table.sheets == ["明细", "汇总"]
    with pytest.raises(IngestError, match="没有名为“月报”的工作表；现有工作表：“明细”、“汇总”"):
        read_table(path, sheet="月报")


def test_xlsx_excel_cells_keep_the_typed_values(tmp_path):
    table = read_table(make_workbook(tmp_path / "c.xlsx"), header_hints=SYNONYMS["customer_id"])
    cells = table.excel_cells
    assert cells is not None and len(cells) == len(table.frame) == 5
    assert cells.loc[0, "账户余额"] == 1000.5
    assert cells.loc[0, "到期日"] in (dt.date(2026, 12, 5), dt.datetime(2026, 12, 5))
    assert table.frame.loc[0, "到期日"] == "2026-12-05"
    assert table.row_numbers.tolist() == [4, 5, 7, 8, 9]
    assert table.total_rows == [10]


def test_legacy_xls_fixture(tmp_path):
    # tests/fixtures_ingest/branch_export.xls: made by LibreOffice from an openpyxl workbook (sheet 客户清单):
    # rows 1-2 titles, 3 header (客户号, 客户姓名, 账户余额（万元）, 到期日, 出生日期), 4-7 data, 8 合计.
    result = read_customers(FIXTURES / "branch_export.xls", as_of=AS_OF)
    assert result.sheet == "客户清单" and result.header_row == 3
    assert result.unit_multipliers == {"assets": 10000.0}
    customers = by_id(result)
    assert customers["001000000001"]["assets"] == 20000.0
    assert customers["001000000001"]["accounts"] == 2
    assert customers["001000000001"]["maturity_date"] == pd.Timestamp("2026-12-01")
    assert customers["001000000002"]["assets"] == 22500.0
    assert customers["001000000002"]["birthday"] == pd.Timestamp("1980-03-15")
    assert [(r.row, r.reason) for r in result.rejections] == [(7, "账户余额（万元）“abc”不是数字")]
    assert result.total_rows == [8]


def test_bad_dates_in_the_export_keep_the_row_and_are_reported(tmp_path):
    lines = ["客户号,余额,到期日,出生日期", "1,10,2026-02-30,19800101", "2,20,,生日不详"]
    result = read_customers(write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF)
    assert len(result.customers) == 2 and result.rejections == []
    assert [(w.row, w.reason) for w in result.warnings] == [
        (2, "到期日“2026-02-30”不是日期，该值已留空"),
        (3, "出生日期“生日不详”不是日期，该值已留空"),
    ]
    assert result.customers["birthday"].iloc[0] == pd.Timestamp("1980-01-01")


def test_many_accounts_of_one_customer_sum_exactly_to_the_cent(tmp_path):
    lines = ["客户号,余额", "1,3333.33", "1,3333.33", "1,3333.34"]
    result = read_customers(write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF)
    assert result.customers["assets"].tolist() == [10000.0]
    assert np.float64(result.customers["assets"].iloc[0]) >= 10000.0


@pytest.mark.parametrize(
    ("text", "rows", "totals"),
    [
        ("客户号,余额\r\n1,100\r\n\r\n2,abc\r\n小计,100\r\n\r\n\r\n", [2, 4], [5]),
        ("客户号,余额\n1,100\n\n\n2,5\n", [2, 5], []),
        ("客户号\n1\n\n2\n", [2, 4], []),
        ("客户号,余额\n1,2\n   \n3,4\n", [2, 4], []),
        ('客户号,余额\n1,"2\n"\n\n3,4\n', [2, 5], []),
        ("客户号,余额\r1,2\r\r3,4\r", [2, 4], []),
        ('客户号,余额\n1,张"三\n2,5\n', [2, 3], []),
        ('客户号,余额\n1,"a\n\nb"\n\n合计\n\n3,4\n', [2, 8], [6]),
        ('客户号,客户姓名,余额\n1,"张\n三",100\n2,李四,abc\n3,王五,300', [2, 4, 5], []),
    ],
)
def test_blank_lines_anywhere_keep_row_numbers_exact(text, rows, totals):
    table = read_table(text.encode("gbk"), file_name="t.csv", header_hints=["客户号"])
    assert table.row_numbers.tolist() == rows
    assert table.total_rows == totals


def test_trailing_delimiters_leave_no_empty_column_but_unnamed_data_is_kept():
    table = read_table("客户号,余额,\n1,2,\n3,4,\n".encode(), file_name="t.csv", header_hints=["客户号"])
    assert table.headers == ["客户号", "余额"]
    table = read_table("客户号,余额,\n1,2,备注\n".encode(), file_name="t.csv", header_hints=["客户号"])
    assert table.headers == ["客户号", "余额", "(第3列)"]
    assert table.frame["(第3列)"].tolist() == ["备注"]


def test_ids_lost_to_excel_scientific_notation_are_rejected(tmp_path):
    lines = ["客户号,余额", "6.22848E+18,100", "622848000000000001,200", "C5E+12,1"]
    result = read_customers(write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF)
    assert [(r.row, r.reason) for r in result.rejections] == [
        (2, "客户号“6.22848E+18”是科学计数法，原号码已丢失（文件可能被 Excel 另存过），请从系统重新导出")
    ]
    assert result.customers["customer_id"].tolist() == ["622848000000000001", "C5E+12"]


def test_a_paged_export_repeating_its_header_reads_every_page(tmp_path):
    lines = ["客户号,客户姓名,余额", "1,甲,100", "", "客户号,客户姓名,余额", "2,乙,200", "3,丙,x"]
    result = read_customers(write(tmp_path, lines, encoding="gbk"), as_of=AS_OF)
    assert result.repeated_headers == [4]
    assert result.rows_read == 3
    assert result.customers["customer_id"].tolist() == ["1", "2"]
    assert [r.row for r in result.rejections] == [6]


@pytest.mark.parametrize(
    "other", ["A12", "99"]
)  # letters take the text grouping, digits only the integer one
def test_ids_differing_only_in_leading_zeros_are_different_customers(tmp_path, other):
    lines = ["客户号,余额", "0012,1", "012,2", "12,3", "0012,4", f"{other},5", "12,6"]
    result = read_customers(write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF)
    assert result.customers[["customer_id", "assets", "accounts"]].values.tolist() == [
        ["0012", 5.0, 2],
        ["012", 2.0, 1],
        ["12", 9.0, 2],
        [other, 5.0, 1],
    ]


def test_bad_bytes_in_a_utf8_bom_export_name_their_line():
    raw = b"\xef\xbb\xbf" + "客户号,余额\n1,2\n".encode() + b"2,\xff\xfe\n3,4\n"
    with pytest.raises(IngestError, match=r"第 3 行.*UTF-8"):
        read_customers(raw, as_of=AS_OF, file_name="bom.csv")


def test_an_empty_first_sheet_names_the_other_sheets(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.create_sheet("数据").append(["客户号", "余额"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    with pytest.raises(IngestError, match="工作表“封面”是空的；现有工作表：“封面”、“数据”"):
        read_customers(path, as_of=AS_OF)
    assert read_customers(path, as_of=AS_OF, sheet="数据").rows_read == 0


def test_a_field_missing_on_the_first_row_comes_from_the_next_row_that_has_it(tmp_path):
    lines = ["客户号,联系电话,管户人员,余额", "1,,,10", "1,13800000001,李敏,20", "1,13900000002,王芳,30"]
    customer = read_customers(write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF).customers.iloc[0]
    assert (customer["phone"], customer["manager"], customer["assets"], customer["source_row"]) == (
        "13800000001",
        "李敏",
        60.0,
        2,
    )


def test_gbk_detected_even_when_the_first_64k_are_ascii():
    ascii_rows = "".join(f"{i:08d},name{i},{i}.00\r\n" for i in range(1, 4001))
    raw = ("customer_id,name,balance\r\n" + ascii_rows + "00009999,张三,5.00\r\n").encode("gbk")
    assert raw.index("张".encode("gbk")) > 64 * 1024
    result = read_customers(raw, as_of=AS_OF, file_name="late.csv")
    assert result.encoding == "gb18030"
    assert result.customers["name"].iloc[-1] == "张三"


def test_a_unit_stated_above_the_header_counts_and_is_reported(tmp_path):
    lines = ["客户资产查询", "机构：城关支局,金额单位：万元", "客户号,资产余额", "1,1.5", "2,0.25"]
    result = read_customers(write(tmp_path, lines, encoding="gbk"), as_of=AS_OF)
    assert result.unit_multipliers == {"assets": 10000.0}
    assert result.customers["assets"].tolist() == [15000.0, 2500.0]
    assert [w.reason for w in result.warnings] == [
        "表头上方注明“单位：万元”，“资产余额”的数值已乘以 10,000 折算为元"
    ]


def test_a_unit_in_the_header_wins_over_one_above_it(tmp_path):
    lines = ["单位：万元", "客户号,资产余额(元)", "1,1.5"]
    result = read_customers(write(tmp_path, lines, encoding="gbk"), as_of=AS_OF)
    assert result.customers["assets"].tolist() == [1.5]
    assert result.warnings == []


def test_a_mapped_header_that_appears_twice_is_reported(tmp_path):
    lines = ["客户号,余额,余额", "1,10,20"]
    result = read_customers(write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF)
    assert result.customers["assets"].tolist() == [10.0]
    assert [w.reason for w in result.warnings] == [
        "表头“余额”出现了 2 次，资产余额只读取了第一列（可在列映射中改选其他列）"
    ]
    picked = read_customers(
        write(tmp_path, lines, encoding="utf-8"), as_of=AS_OF, columns={"assets": "余额(2)"}
    )
    assert picked.customers["assets"].tolist() == [20.0]
