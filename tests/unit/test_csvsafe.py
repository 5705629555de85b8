"""Downloads are defused: a customer named like a formula comes out as text, and no writer bypasses the helper."""

from __future__ import annotations

import csv
import io
import pathlib
import re

import pandas as pd

from core.csvsafe import csv_bytes, defuse, defuse_frame

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOSTILE = ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(1,1)", "\tTAB", "\rCR", " =1+1", "张三"]


def test_every_formula_start_is_prefixed_and_plain_text_is_not():
    assert [defuse(v) for v in HOSTILE] == [
        '\'=HYPERLINK("http://x","点我")',
        "'+1+1",
        "'-2+3",
        "'@SUM(1,1)",
        "'\tTAB",
        "'\rCR",
        "' =1+1",
        "张三",
    ]
    assert defuse(-5.0) == -5.0 and defuse(None) is None


def test_a_download_of_hostile_names_reads_back_as_text_with_numbers_intact():
    frame = pd.DataFrame(
        {
            "客户姓名": pd.array(HOSTILE, dtype="string"),
            "资产余额": [-1.5, 2, 3, 4, 5, 6, 7, 8],
            "=表头": list("abcdefgh"),
        }
    )
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["客户姓名", "资产余额", "'=表头"]
    names = [r[0] for r in rows[1:]]
    assert all(not re.match(r"[=+\-@\t\r]", n) for n in names)
    assert names[-1] == "张三" and rows[1][1] == "-1.5"


def test_defusing_leaves_the_original_frame_alone():
    frame = pd.DataFrame({"a": ["=1"]})
    out = defuse_frame(frame)
    assert frame.loc[0, "a"] == "=1" and out.loc[0, "a"] == "'=1"


def test_no_page_or_cli_command_writes_csv_without_the_helper():
    raw = []
    for folder in ("views", "ui", "core/cli"):
        for path in (ROOT / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if (".to_csv(" in line and "hashlib" not in line) or "csv.writer(" in line:
                    raw.append(f"{path.relative_to(ROOT)}:{number}")
    assert raw == []
