"""Legacy XLS (BIFF8 in an OLE2 compound file) is measured like an XLSX before calamine reads it: the shared-string
table across CONTINUE records, the text each sheet's cells expand to, real cells and extent, the memory all sheets
take together, and the compound file's chains. Every file here is written byte by byte (tests/builders/hostile.py);
the hostile shapes themselves (in process and through the CLI) are in test_hostile_files.py."""

from __future__ import annotations

import io
import pathlib
import struct

import pytest
import python_calamine

from core.errors import IngestError
from core.ingest import read_table
from core.ingest.guard import check_file
from core.ingest.limits import Limits, current_limits
from tests.builders.hostile import (
    cyclic_xls,
    label,
    labelsst,
    mulrk,
    number,
    xls,
    xls_shared_references,
)

FIXTURE = pathlib.Path(__file__).parent / "fixtures_ingest" / "branch_export.xls"


def small(**changes) -> Limits:
    return Limits(**(vars(current_limits()) | changes))


def test_a_workbook_within_the_limits_is_read_and_a_string_split_over_continue_records_is_whole():
    split = [
        "编号",
        "x" * 9000,
        "客户" * 3000,
    ]  # 9,002 characters compressed, then 6,000 in UTF-16 after a CONTINUE
    rows = label(0, 0, "客户号") + label(0, 1, "备注")
    rows += b"".join(number(r, 0, 1000 + r) + labelsst(r, 1, r % 2) for r in range(1, 6))
    data = xls([rows], ["短", split])
    check_file(data, "ok.xls")
    frame = read_table(data, file_name="ok.xls").frame
    assert frame.shape == (5, 2)
    notes = frame.iloc[:, 1].tolist()
    assert notes[0] == "编号" + "x" * 9000 + "客户" * 3000 and notes[1] == "短"


def test_the_flags_byte_of_each_continue_record_decides_the_width_of_what_follows():
    # 8,000 compressed characters, then 42,000 in UTF-16: 8,000 + 42,000 x 3 = 134,000 bytes as read (131 KB)
    data = xls_shared_references(10, ["x" * 8000, "客" * 42000])
    check_file(data, "ok.xls", small(max_cell_kb=131))
    with pytest.raises(IngestError, match=r"长 131 KB，超过单格文本上限 130 KB（限额 max_cell_kb）"):
        check_file(data, "split.xls", small(max_cell_kb=130))


def test_a_shared_string_counts_once_per_labelsst_cell():
    data = xls_shared_references(2000, "y" * 1000)  # 2,000 x 1,000 bytes, plus the header's 2: 1.9 MB
    check_file(data, "ok.xls", small(max_text_mb=2))
    with pytest.raises(
        IngestError, match=r"的工作表（Sheet1）单元格文本展开后有 1.9 MB，超过上限 1 MB（限额 max_text_mb）"
    ):
        check_file(data, "refs.xls", small(max_text_mb=1))


def test_shared_string_table_total_and_count_are_limited():
    data = xls([number(0, 0, 1)], ["a" * 60000] * 20)  # 1.2 M bytes in an SST and 145 CONTINUE records
    with pytest.raises(  # refused while reading the 18th string: 1,080,000 bytes so far
        IngestError, match=r"共享字符串共 1.0 MB，超过上限 1 MB（限额 max_shared_strings_mb）"
    ):
        check_file(data, "many.xls", small(max_shared_strings_mb=1))
    data = xls([number(0, 0, 1)], ["a"] * 101)
    with pytest.raises(IngestError, match=r"有 101 个共享字符串，超过单元格上限 100 个（限额 max_cells）"):
        check_file(data, "count.xls", small(max_cells=100))


def test_real_cells_are_measured_not_only_the_claimed_dimensions():
    data = xls([number(0, 0, 1) + number(3, 2000, 1)])  # no DIMENSIONS record; a cell in column 2,001
    with pytest.raises(
        IngestError, match=r"实际单元格范围有 2001 列，超过列数上限 1000 列（限额 max_columns）"
    ):
        check_file(data, "wide.xls")


def test_the_frame_estimate_counts_extent_cells_and_text():
    data = xls_shared_references(2000, "y" * 1000)
    # 2,001 x 2 cells of extent at 72 B + 2,002 real cells at 140 B + 2.0 M bytes of text at 4 B + the table's 1,032 B
    with pytest.raises(IngestError) as caught:
        check_file(data, "est.xls", small(max_frame_mb=8))
    assert "读取约需 9 MB 内存（2001 行 × 2 列，文本 1.9 MB），超过上限 8 MB（限额 max_frame_mb）" in str(
        caught.value
    )
    check_file(data, "est.xls", small(max_frame_mb=9))


def test_all_sheets_count_together_because_an_xls_is_read_whole():
    sheet = label(0, 0, "ID") + number(9999, 99, 1)  # 10,000 x 100 at 72 B: 69 MB a sheet
    check_file(xls([sheet]), "one.xls", small(max_frame_mb=100))
    with pytest.raises(IngestError, match=r"的 2 个工作表读取约需 138 MB 内存（XLS 打开时全部工作表一并读入"):
        check_file(xls([sheet, sheet]), "two.xls", small(max_frame_mb=100))


def test_the_guards_own_work_is_bounded():
    data = xls([b"".join(number(r, 0, r) for r in range(200))])
    check_file(data, "ok.xls", small(max_xls_records=300))
    with pytest.raises(
        IngestError, match=r"记录和共享字符串超过 100 条（已数到 101 条；限额 max_xls_records）"
    ):
        check_file(data, "long.xls", small(max_xls_records=100))


def _damaged() -> dict[str, bytes]:
    good = xls([number(0, 0, 1)], ["abc"])
    past_end = bytearray(good)
    at = past_end.index(
        struct.pack("<HH", 0x0203, 14)
    )  # the NUMBER record: its length now runs past the stream
    struct.pack_into("<H", past_end, at + 2, 0xFFF0)
    no_stream = good.replace("Workbook".encode("utf-16-le"), "Workbank".encode("utf-16-le"))
    return {
        "cut.xls": good[:700],
        "cyclic.xls": cyclic_xls(),
        "past_end.xls": bytes(past_end),
        "no_stream.xls": no_stream,
        "header.xls": good[:30] + b"\x07\x00" + good[32:],
    }


@pytest.mark.parametrize("name", sorted(_damaged()))
def test_a_damaged_file_is_one_chinese_line(name):
    with pytest.raises(IngestError) as caught:
        read_table(_damaged()[name], file_name=name)
    text = str(caught.value)
    assert text.startswith(f"文件“{name}”") and "\n" not in text
    assert "不是有效的 XLS 工作簿" in text  # the guard's line: calamine never sees the file


def test_a_large_file_with_a_difat_chain_is_measured_as_calamine_reads_it():
    # 65,535 rows x 20 MULRK cells: 8.6 MB, 137 FAT sectors, so 28 of them are listed in a DIFAT sector
    data = xls([label(0, 0, "ID") + b"".join(mulrk(r, 0, 20) for r in range(1, 65536))])
    check_file(data, "big.xls")
    with pytest.raises(IngestError, match=r"读取约需 265 MB 内存（65536 行 × 20 列"):
        check_file(data, "big.xls", small(max_frame_mb=264))
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    values = book.get_sheet_by_index(0).to_python()
    assert (len(values), len(values[0]), values[-1][-1]) == (65536, 20, 1.0)


def test_the_real_xls_fixture_passes():
    check_file(FIXTURE.read_bytes(), FIXTURE.name)


def test_a_dimensions_record_whose_first_row_is_after_its_last_is_judged_as_calamine_reserves_it():
    record = struct.pack(
        "<HHIIHHH", 0x0200, 14, 5, 3, 0, 2, 0
    )  # rows 5..2: calamine reserves 2 - 5 + 1 in u32
    with pytest.raises(
        IngestError, match=r"声明的范围有 4294967294 行，超过行数上限 1048576 行（限额 max_rows）"
    ):
        check_file(xls([record + number(0, 0, 1)]), "wrapped.xls")


_MUTATE = """
import io, random, sys
import python_calamine
from core.errors import IngestError
from core.ingest.guard import check_file
from tests.builders.hostile import label, labelsst, mulrk, number, xls

base = xls([label(0, 0, "ID") + labelsst(1, 0, 1) + number(1, 1, 3) + mulrk(2, 0, 5), number(0, 0, 1)],
           ["a", ["x" * 9000, "客" * 100], "z"])
rng = random.Random(11)
passed = 0
for _ in range(400):
    data = bytearray(base)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    try:
        check_file(bytes(data), "f.xls")
    except IngestError as exc:
        assert "\\n" not in str(exc)
        continue
    passed += 1
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(bytes(data)))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    except BaseException:  # calamine's own errors and panics are caught by the readers; an abort is not
        pass
print(passed)
"""


def test_damaged_files_that_pass_the_guard_never_abort_the_reader(tmp_path):
    import os
    import subprocess
    import sys

    root = pathlib.Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "-c", _MUTATE],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "RUST_BACKTRACE": "0"},
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout.strip()) > 0  # some damaged files do pass (a changed number, a changed letter)


def test_formula_text_follows_the_longest_name_a_token_can_write():
    from tests.builders.hostile import formula, names_added

    cells = b"".join(
        formula(r, 0, names_added(1360)) for r in range(3)
    )  # 2 + 5 + 1,360 x 6 = 8,167 bytes each
    short = xls([cells], defined=["N"])  # 5 bytes of text a token byte: 3 x 8,167 x 5 = 122,505 bytes
    check_file(short, "short.xls", small(max_text_mb=1))
    long = xls([cells], defined=["客" * 255])  # 765 bytes a name: (765 + 12) / 5 = 156 a byte, 3.6 MB
    with pytest.raises(IngestError, match=r"展开后有 3.6 MB，超过上限 3 MB（限额 max_text_mb）"):
        check_file(long, "long.xls", small(max_text_mb=3))
