"""Property tests: whatever the bytes or table, read_customers gives an IngestResult or one IngestError."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.errors import IngestError
from core.ingest import SYNONYMS, IngestResult, read_customers, read_table

# A traceback printed from inside pyarrow's row callback would break the CLI's one-line errors.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")

AS_OF = dt.date(2026, 11, 30)
ALPHABET = "0123456789０１２３４５,.;-/ ¥￥元()\"'\t\nabcXYZ客户号余额合计张三年月日=:"
HEADERS = [w for words in SYNONYMS.values() for w in words[:4]] + [
    "备注",
    "账户类型",
    "",
    "余额(万元)",
    "序号",
]
EXAMPLES = int(os.environ.get("INGEST_FUZZ_EXAMPLES", "150"))  # raise it for a longer hunt
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(payload: bytes, file_name: str = "x.csv") -> None:
    try:
        result = read_customers(payload, as_of=AS_OF, file_name=file_name)
    except IngestError as exc:
        assert str(exc)
        event("IngestError")
        return
    event("customers" if len(result.customers) else "no customers")
    assert isinstance(result, IngestResult)
    customers = result.customers
    assert customers["customer_id"].is_unique and customers["customer_id"].notna().all()
    assets = customers["assets"].to_numpy()
    assert np.isfinite(assets).all() and (assets >= 0).all()
    assert int(customers["accounts"].sum()) + len(result.rejections) == result.rows_read
    assert all(r.row > result.header_row for r in result.rejections)


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash(payload):
    check(payload)


@SETTINGS
@given(
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
    st.binary(max_size=1500),
)
def test_random_bytes_behind_real_magic_numbers_never_crash(prefix, payload):
    check(prefix + payload)


tables = st.fixed_dictionaries(
    {
        "headers": st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7),
        "rows": st.lists(st.lists(st.text(ALPHABET, max_size=12), max_size=8), max_size=12),
        "titles": st.lists(st.text(ALPHABET, max_size=20), max_size=3),
        "delimiter": st.sampled_from([",", ";", "\t", "|"]),
        "encoding": st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]),
        "eol": st.sampled_from(["\r\n", "\n", "\r"]),
    }
)


@SETTINGS
@given(tables)
def test_random_csv_tables_never_crash(spec):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=spec["delimiter"], lineterminator=spec["eol"])
    for title in spec["titles"]:
        writer.writerow([title])
    writer.writerow(spec["headers"])
    writer.writerows(spec["rows"])
    check(buffer.getvalue().encode(spec["encoding"], errors="replace"))


@settings(max_examples=max(EXAMPLES // 4, 10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tables,
    st.lists(st.one_of(st.floats(allow_nan=True), st.integers(-(10**12), 10**12), st.dates()), max_size=6),
)
def test_random_xlsx_tables_never_crash(spec, typed):
    book = openpyxl.Workbook()
    sheet = book.active
    for title in spec["titles"]:
        sheet.append([_excel_safe(title)])
    sheet.append([_excel_safe(h) for h in spec["headers"]])
    for row in spec["rows"]:
        sheet.append([_excel_safe(c) for c in row])
    sheet.append(typed)
    buffer = io.BytesIO()
    book.save(buffer)
    check(buffer.getvalue(), "x.xlsx")


def _excel_safe(text: str) -> str:
    # openpyxl refuses control characters and would treat a leading "=" as a formula.
    return "".join(c for c in text if c >= " ").lstrip("=")


cells = st.one_of(
    st.text(ALPHABET, max_size=10),
    st.integers(-5, 10**9).map(str),
    st.floats(-1e6, 1e9, allow_nan=False).map(lambda x: f"{x:,.2f}"),
    st.sampled_from(["", "合计", "001", "0010", "2026/12/05", "20261205", "abc", "-0", "１，０００"]),
)
usable = st.fixed_dictionaries(
    {
        "id": st.sampled_from(SYNONYMS["customer_id"]),
        "assets": st.sampled_from([*SYNONYMS["assets"], "余额(万元)", "资产余额（元）"]),
        "extra": st.lists(st.sampled_from(HEADERS), max_size=4),
        "rows": st.lists(st.lists(cells, min_size=1, max_size=7), max_size=15),
        "titles": st.lists(st.text(ALPHABET, max_size=20), max_size=2),
        "encoding": st.sampled_from(["utf-8", "gbk"]),
    }
)


@SETTINGS
@given(usable)
def test_random_exports_with_id_and_assets_never_crash(spec):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for title in spec["titles"]:
        writer.writerow([title])
    writer.writerow([spec["id"], spec["assets"], *spec["extra"]])
    writer.writerows(spec["rows"])
    check(buffer.getvalue().encode(spec["encoding"], errors="replace"))


@SETTINGS
@given(
    st.lists(
        st.tuples(st.booleans(), st.lists(st.text('a张1,"\n', max_size=6), min_size=3, max_size=3)),
        max_size=12,
    ),
    st.sampled_from(["\r\n", "\n"]),
    st.sampled_from(["utf-8", "gbk"]),
)
def test_row_numbers_are_the_lines_the_csv_module_sees(rows, eol, encoding):
    # Cells may hold quoted line breaks and blank lines may sit anywhere (a bare CR inside a cell is left out: the
    # csv module counts it as a line, most editors and our reader do not).
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=eol)
    writer.writerow(["客户号", "客户姓名", "余额"])
    for blank_before, cells in rows:
        if blank_before:
            buffer.write(eol)
        writer.writerow(cells)
    text = buffer.getvalue()
    expected, previous = [], 0
    reader = csv.reader(io.StringIO(text, newline=""))
    for index, cells in enumerate(reader):
        start, previous = previous + 1, reader.line_num
        if index and any(c.strip() for c in cells):  # a cell of only spaces or line breaks is empty
            expected.append(start)
    table = read_table(text.encode(encoding), file_name="t.csv", header_hints=["客户号", "余额"])
    assert table.header_row == 1
    assert table.row_numbers.tolist() == expected


@settings(max_examples=max(EXAMPLES // 4, 10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 2),
    st.lists(
        st.lists(st.one_of(st.none(), st.text("a张1 ", max_size=4), st.integers(0, 99)), max_size=4),
        max_size=10,
    ),
)
def test_xlsx_row_numbers_are_sheet_rows(titles, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for i in range(titles):
        sheet.append([f"标题{i}"])
    sheet.append(["客户号", "余额", "备注", "到期日"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    header_row = titles + 1
    expected = [
        header_row + 1 + i for i, row in enumerate(rows) if any(c is not None and str(c).strip() for c in row)
    ]
    table = read_table(buffer.getvalue(), file_name="t.xlsx", header_hints=["客户号", "余额"])
    assert table.header_row == header_row
    assert table.row_numbers.tolist() == expected
