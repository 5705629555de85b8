"""Hostile files: every shape is refused before any parser sees it, with one Chinese line naming the limit.

Each file is built here. Through the CLI every refusal is one line on stderr and exit 2, in a child process whose
memory is capped (RLIMIT_AS) so that a reader that tried to allocate the claimed extent would die instead of pass;
nothing is stored. Random bytes and random tables (hypothesis) end in a result or one IngestError.
"""

from __future__ import annotations

import io
import json
import os
import pathlib
import resource
import subprocess
import sys
import zipfile

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import IngestError
from core.ingest import read_table
from core.ingest.guard import check_file
from core.ingest.limits import Limits, current_limits
from tests.builders.hostile import (
    SHAPES,
    TWO_CELLS,
    dimensions,
    number,
    ods,
    shared_references,
    sheet,
    xls,
    xlsx,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
MEMORY_CAP = 3 * 1024**3  # the child may map at most 3 GB: the 1.7 KB file once asked for ~500 GB


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_hostile_shape_is_refused_in_process_naming_its_limit(name):
    data, phrase = SHAPES[name]
    with pytest.raises(IngestError) as caught:
        read_table(data, file_name=name)
    assert phrase in str(caught.value)
    assert name in str(caught.value)
    assert "\n" not in str(caught.value)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_hostile_shape_is_refused_by_the_cli_with_one_line_and_exit_2_nothing_stored(name, tmp_path):
    data, phrase = SHAPES[name]
    path = tmp_path / name
    path.write_bytes(data)
    db = f"sqlite:///{tmp_path / 'console.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "core",
            "db",
            "import",
            str(path),
            "--outlet",
            "测试网点",
            "--as-of",
            "2026-11-30",
            "--db",
            db,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,  # a guard against a hang, not a speed claim
        preexec_fn=_limit_memory,
    )
    assert run.returncode == 2, run.stderr[-2000:]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and phrase in lines[0] and name in lines[0]
    listed = subprocess.run(
        [sys.executable, "-m", "core", "db", "list", "--db", db],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_a_well_formed_workbook_passes_the_guard():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    page = book.add_worksheet()
    for r, row in enumerate([["客户号", "资产余额"], ["C001", 12000], ["C002", 55000]]):
        page.write_row(r, 0, row)
    book.close()
    check_file(buffer.getvalue(), "ok.xlsx")
    assert read_table(buffer.getvalue(), file_name="ok.xlsx").frame.shape == (2, 2)


def test_empty_repeats_in_an_ods_sheet_are_not_counted():
    check_file(ods('<table:table-cell table:number-columns-repeated="16384"/>'), "formatted.ods")


def small(**changes) -> Limits:
    base = vars(current_limits()) | changes
    return Limits(**base)


def test_uncompressed_size_over_the_limit_is_refused_before_parsing():
    data = xlsx(sheet(None, TWO_CELLS * 40000))  # about 3 MB of XML
    with pytest.raises(IngestError, match="max_uncompressed_mb"):
        check_file(data, "big.xlsx", small(max_uncompressed_mb=2, max_ratio=1000))


def test_csv_with_more_lines_than_the_limit_is_refused():
    with pytest.raises(IngestError, match=r"有 101 行，超过行数上限 100 行（限额 max_csv_lines）"):
        check_file(b"a,b\n" * 101, "long.csv", small(max_csv_lines=100))


def test_file_over_the_size_limit_is_refused():
    with pytest.raises(IngestError, match="max_file_mb"):
        check_file(b"a,b\n" * (300 * 1024), "big.csv", small(max_file_mb=1))


def test_legacy_xls_dimensions_record_is_checked():
    data = xls([dimensions(60000, 255) + number(0, 0, 1)])  # claims 60,000 x 255: 15.3 M cells
    with pytest.raises(
        IngestError, match=r"声明的范围为 60000 行 × 255 列（15300000 格），超过单元格上限 1000000 格"
    ):
        check_file(data, "old.xls", small(max_cells=1000000))


def test_zip_member_count_is_limited():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for i in range(30):
            book.writestr(f"x{i}.xml", b"<a/>")
    with pytest.raises(IngestError, match="max_zip_members"):
        check_file(buffer.getvalue(), "many.xlsx", small(max_zip_members=20))


def test_limits_file_is_validated():
    with pytest.raises(Exception, match="max_rows 应为"):
        Limits.from_toml(
            "\n".join(f"{k} = {v}" for k, v in (vars(current_limits()) | {"max_rows": 0}).items())
        )
    with pytest.raises(Exception, match="未知项 max_foo"):
        Limits.from_toml("max_foo = 1")


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=4096), st.sampled_from(["x.csv", "x.xlsx"]))
def test_random_bytes_end_in_a_table_or_one_ingest_error(payload, name):
    for data in (payload, b"PK\x03\x04" + payload, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + payload):
        try:
            read_table(data, file_name=name)
        except IngestError as exc:
            assert str(exc) and "\n" not in str(exc).strip()


CELLS = st.one_of(
    st.text(max_size=12), st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False)
)


@SETTINGS
@given(st.lists(st.lists(CELLS, min_size=1, max_size=8), min_size=1, max_size=30), st.integers(0, 200))
def test_random_tables_at_random_places_end_in_a_table_or_one_ingest_error(rows, offset):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    page = book.add_worksheet()
    for r, row in enumerate(rows):
        page.write_row(r + offset, offset % 7, row)
    book.close()
    try:
        read_table(buffer.getvalue(), file_name="random.xlsx")
    except IngestError as exc:
        assert str(exc)


def test_a_file_over_the_size_limit_is_refused_by_its_size_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:  # sparse: 3 GB claimed, nothing written
        handle.truncate(3 * 1024**3)
    monkeypatch.setattr(pathlib.Path, "read_bytes", lambda self: pytest.fail("read before the size check"))
    with pytest.raises(IngestError, match="超过单个文件上限 200 MB"):
        read_table(path)


def test_a_workbook_with_shared_strings_within_the_limits_is_read():
    data = shared_references(2000, "客户" * 50)  # 300 bytes referenced 2,000 times: 600 KB of text
    check_file(data, "fine.xlsx")
    table = read_table(data, file_name="fine.xlsx")
    assert table.frame.shape == (2000, 2)


def test_shared_string_table_total_is_limited():
    data = xlsx(sheet(None, TWO_CELLS), shared=["a" * 100 * 1024] * 11)  # 1.1 MB of shared strings
    with pytest.raises(
        IngestError, match=r"共享字符串共 1.1 MB，超过上限 1 MB（限额 max_shared_strings_mb）"
    ):
        check_file(data, "many.xlsx", small(max_shared_strings_mb=1, max_ratio=1000))


def test_shared_string_count_is_limited_by_max_cells():
    data = xlsx(sheet(None, TWO_CELLS), shared=["a"] * 101)
    with pytest.raises(IngestError, match=r"有 101 个共享字符串，超过单元格上限 100 个（限额 max_cells）"):
        check_file(data, "count.xlsx", small(max_cells=100))


def test_referenced_text_counts_once_per_referencing_cell():
    data = shared_references(2000, "y" * 1000)  # 2,000 x 1,000 bytes = 1.9 MB, plus the header's 3 bytes
    check_file(data, "ok.xlsx", small(max_text_mb=2))
    with pytest.raises(
        IngestError,
        match=r"（xl/worksheets/sheet1.xml）单元格文本展开后有 1.9 MB，超过上限 1 MB（限额 max_text_mb）",
    ):
        check_file(data, "refs.xlsx", small(max_text_mb=1))


def test_frame_estimate_names_the_extent_and_text():
    data = shared_references(2000, "y" * 1000)
    # 2,001 x 2 cells of extent at 72 B + 2,002 real cells at 140 B + 2.0 MB of text at 4 B + the table's 1,032 B
    with pytest.raises(IngestError) as caught:
        check_file(data, "est.xlsx", small(max_frame_mb=8))
    assert "读取约需 9 MB 内存（2001 行 × 2 列，文本 1.9 MB），超过上限 8 MB（限额 max_frame_mb）" in str(
        caught.value
    )
    check_file(data, "est.xlsx", small(max_frame_mb=9))


def test_a_panic_inside_the_reader_is_one_ingest_error(monkeypatch):
    class Panic(BaseException):  # what pyo3 raises for a Rust panic: not an Exception
        pass

    def explode(*args, **kwargs):
        raise Panic("capacity overflow\nat src/xlsx.rs")

    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", explode)
    with pytest.raises(IngestError) as caught:
        read_table(xlsx(sheet(None, TWO_CELLS)), file_name="panic.xlsx")
    assert str(caught.value).startswith("文件“panic.xlsx”无法读取（capacity overflow），未导入")
    assert "\n" not in str(caught.value)


def test_memory_exhaustion_while_building_the_table_is_one_ingest_error(monkeypatch):
    import core.ingest.excel as excel

    def exhausted(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(excel, "arrow_body", exhausted)
    with pytest.raises(IngestError, match=r"^文件“oom.xlsx”无法读取（MemoryError），未导入"):
        read_table(xlsx(sheet(None, TWO_CELLS)), file_name="oom.xlsx")


def test_legacy_xls_extent_is_judged_by_the_memory_reading_it_takes():
    data = xls([dimensions(1000000, 20) + number(0, 0, 1)])  # rows 0..999,999, columns 0..19: 20 M cells
    with pytest.raises(
        IngestError, match=r"读取约需 1374 MB 内存（1000000 行 × 20 列，文本 0.0 MB），超过上限 1024 MB"
    ):
        check_file(data, "old.xls")


def _readers():
    from core.compliance.logs import read_log_tables
    from core.maturity import read_maturities
    from core.policy import Policy
    from core.roster import read_roster

    return {
        "maturities": lambda data, name: read_maturities(data, file_name=name),
        "roster": lambda data, name: read_roster(io.BytesIO(data), policy=Policy.default(), file_name=name),
        "contact_log": lambda data, name: read_log_tables([(name, data)]),
    }


@pytest.mark.parametrize("reader", ["maturities", "roster", "contact_log"])
@pytest.mark.parametrize(
    "name",
    [
        "shared_string_near_1mib_x2000.xlsx",
        "cells_a_million_rows_apart.xlsx",
        "xls_shared_string_64k_x20000.xls",
        "xls_cells_far_apart.xls",
    ],
)
def test_every_reader_refuses_what_a_file_expands_to(reader, name):
    data, phrase = SHAPES[name]
    with pytest.raises(IngestError) as caught:
        _readers()[reader](data, name)
    assert phrase in str(caught.value) and name in str(caught.value)


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="A{r}" t="s"><v>0</v></c>',
        '<c t="s" r="A{r}"><v>0</v></c>',
        '<c r="A{r}" s="3" t="s"><f>A1</f><v>0</v></c>',
        "<x:c r='A{r}' t='s' xmlns:x='urn:x'><x:v> 0 </x:v></x:c>",
    ],
)
def test_shared_references_are_counted_however_the_cell_is_written(cell):
    rows = b"".join(f'<row r="{r}">{cell.format(r=r)}</row>'.encode() for r in range(2, 1002))
    data = xlsx(sheet(None, TWO_CELLS + rows), shared=["y" * 2000])  # 1,000 x 2,000 bytes = 1.9 MB
    with pytest.raises(IngestError, match=r"展开后有 1.9 MB，超过上限 1 MB（限额 max_text_mb）"):
        check_file(data, "refs.xlsx", small(max_text_mb=1))


def test_csv_cells_are_counted_however_short():
    data = "客户号,资产余额\n".encode() + (b"1," * 99 + b"1\n") * 1000  # 2 + 100,000 cells on 1,001 lines
    check_file(data, "ok.csv", small(max_csv_cells=100_002))  # lines + delimiters: exactly the cells
    with pytest.raises(IngestError, match=r"约有 100002 个单元格，超过上限 100000 个（限额 max_csv_cells）"):
        check_file(data, "tiny.csv", small(max_csv_cells=100_000))
    tabbed = data.replace(b",", b"\t")
    with pytest.raises(IngestError, match="max_csv_cells"):
        check_file(tabbed, "tiny.tsv", small(max_csv_cells=100_000))
