"""Odd input handled plainly: NUL bytes, implausible values, Markdown in file text, deeply nested policy TOML, zip entry names."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import IngestError, PolicyError
from core.export.archive import _file_name
from core.ingest import read_customers
from core.policy import Policy
from ui.text import plain

AS_OF = dt.date(2026, 11, 30)
HEAD = "客户号,客户姓名,资产余额,出生日期,所属网点\n"


def test_a_nul_byte_far_into_a_csv_refuses_the_file_naming_its_line():
    body = "".join(f"C{i},客户{i},{1000 + i},1980-01-01,城东支局\n" for i in range(3000))
    data = (HEAD + body).encode("utf-8") + b"C9,\x00bad,5,1980-01-01,x\n"
    assert len(data) > 64 * 1024
    with pytest.raises(IngestError, match="第 3002 行含有空字符"):
        read_customers(data, as_of=AS_OF, file_name="nul.csv")


def test_a_huge_balance_is_rejected_and_a_future_birth_date_is_reported_and_left_empty():
    data = (HEAD + "C1,张三,1e300,1980-01-01,城东支局\nC2,李四,5000,9999-12-31,城东支局\n").encode()
    result = read_customers(data, as_of=AS_OF, file_name="odd.csv")
    assert [(r.row, r.reason) for r in result.rejections] == [
        (2, "资产余额“1e300”超出合理范围（限额 max_amount_yuan），请核对")
    ]
    assert [(r.row, r.reason) for r in result.warnings] == [
        (3, "出生日期“9999-12-31”不是合理的出生日期（晚于数据日期或早于 1900 年），已留空")
    ]
    assert result.customers["customer_id"].tolist() == ["C2"]
    assert result.customers["birthday"].isna().all()


def test_outlet_text_from_a_file_is_shown_literally_not_as_markdown():
    assert plain("[点我](http://evil.example)") == r"\[点我\]\(http\:\/\/evil\.example\)"
    assert plain("<img src=x onerror=alert(1)>") == r"\<img src\=x onerror\=alert\(1\)\>"
    assert plain("城东支局") == "城东支局"


@pytest.mark.parametrize(
    "text", ["a = " + "[" * 50000 + "]" * 50000, "a = " + "{b=" * 5000 + "1" + "}" * 5000]
)
def test_a_deeply_nested_policy_file_is_one_policy_error(text):
    with pytest.raises(PolicyError, match="嵌套层次过深"):
        Policy.from_toml(text)


def test_per_person_zip_entries_drop_device_names_bidi_controls_and_path_characters():
    used: set[str] = set()
    names = ["CON", "nul.txt", "李\u202e强gpj.exe", "a/../b", "COM1", "王五", "王五", "\u200b"]
    assert [_file_name(n, used) for n in names] == [
        "_CON.xlsx",
        "_nul.txt.xlsx",
        "李强gpj.exe.xlsx",
        "a_.._b.xlsx",
        "_COM1.xlsx",
        "王五.xlsx",
        "王五(2).xlsx",
        "staff.xlsx",
    ]
