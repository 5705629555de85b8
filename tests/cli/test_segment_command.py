"""``python -m core segment`` end to end on the demo outlet's GBK export, checked against a plain-csv tally."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from collections import defaultdict

import pytest

from core.cli import main
from core.demo import demo_export, demo_maturities

AS_OF = dt.date(2026, 11, 30)
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def export_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "目标客户查询.csv"
    path.write_bytes(demo_export(AS_OF, customers=1200, seed=11))
    return path


def tally(raw: bytes) -> dict:
    """The expected answer, computed with nothing but the csv module and the domain guide's defaults."""
    rows = list(csv.reader(io.StringIO(raw.decode("gbk"))))
    data = [r for r in rows[3:] if r[0] != "合计"]
    assets: dict[str, float] = defaultdict(float)
    maturities: dict[str, list[dt.date]] = defaultdict(list)
    for r in data:
        assets[r[0]] += float(r[5].replace(",", ""))
        if r[6]:
            maturities[r[0]].append(dt.datetime.strptime(r[6], "%Y/%m/%d").date())
    tiers = {"potential": [0, 0.0], "basic": [0, 0.0], "mid": [0, 0.0], "high": [0, 0.0]}
    near = {"10000": 0, "50000": 0, "100000": 0, "200000": 0}
    bands = {"10000": 7000, "50000": 30000, "100000": 70000, "200000": 150000}
    for value in assets.values():
        value = round(value, 2)
        code = (
            "high"
            if value >= 200000
            else "mid"
            if value >= 50000
            else "basic"
            if value >= 10000
            else "potential"
        )
        tiers[code][0] += 1
        tiers[code][1] += value
        for level, lower in bands.items():
            near[level] += lower <= value < int(level)
    maturing = sum(
        1
        for days in maturities.values()
        if (future := [d for d in days if d >= AS_OF]) and min(future) <= AS_OF + dt.timedelta(days=30)
    )
    return {"rows": len(data), "customers": len(assets), "tiers": tiers, "near": near, "maturing": maturing}


def run_cli(capsys, *args: str) -> tuple[int, dict | None, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_segment_of_the_demo_export_matches_a_plain_tally(export_path, capsys):
    expected = tally(export_path.read_bytes())
    code, payload, _ = run_cli(capsys, "segment", str(export_path), "--as-of", AS_OF.isoformat())
    assert code == 0
    assert payload["rows_read"] == expected["rows"]
    assert payload["rows_rejected"] == 0
    assert payload["customers"] == expected["customers"] == 1200
    for code_, (count, total) in expected["tiers"].items():
        assert payload["tiers"][code_]["count"] == count
        assert payload["tiers"][code_]["assets"] == pytest.approx(total, abs=0.01)
    assert payload["near_threshold"] == expected["near"]
    assert payload["maturing"] == expected["maturing"]


def test_segment_json_has_exactly_the_documented_keys(export_path, capsys):
    _, payload, _ = run_cli(capsys, "segment", str(export_path), "--as-of", AS_OF.isoformat())
    assert set(payload) == {
        "rows_read",
        "rows_rejected",
        "rejections",
        "warnings",
        "customers",
        "tiers",
        "near_threshold",
        "maturing",
    }
    assert set(payload["tiers"]) == {"potential", "basic", "mid", "high"}
    assert all(set(v) == {"count", "assets"} for v in payload["tiers"].values())


def test_a_policy_file_changes_the_figures(export_path, tmp_path, capsys):
    from core.policy import Policy

    policy_file = tmp_path / "p.toml"
    Policy.default().with_tier_lowers({"mid": 60000}).save(policy_file)
    _, base, _ = run_cli(capsys, "segment", str(export_path), "--as-of", AS_OF.isoformat())
    _, moved, _ = run_cli(
        capsys, "segment", str(export_path), "--as-of", AS_OF.isoformat(), "--policy", str(policy_file)
    )
    assert moved["tiers"]["mid"]["count"] < base["tiers"]["mid"]["count"]
    assert (
        moved["tiers"]["basic"]["count"] + moved["tiers"]["mid"]["count"]
        == base["tiers"]["basic"]["count"] + base["tiers"]["mid"]["count"]
    )


def test_maturity_notices_add_items_and_unmatched_counts(export_path, tmp_path, capsys):
    notice = tmp_path / "到期业务提醒.csv"
    notice.write_bytes(demo_maturities(AS_OF, customers=1200, items=200, seed=5))
    rows = list(csv.reader(io.StringIO(notice.read_bytes().decode("gbk"))))[2:]
    known = {f"0010{i:08d}" for i in range(1, 1201)}
    code, payload, _ = run_cli(
        capsys, "segment", str(export_path), "--as-of", AS_OF.isoformat(), "--maturities", str(notice)
    )
    assert code == 0
    assert payload["maturity_items"] == 200
    assert payload["maturity_unmatched"] == sum(r[0] not in known for r in rows)


def test_unusable_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bank.csv"
    bad.write_text("age;job;balance\n58;management;2143\n", encoding="utf-8")
    out = tmp_path / "lists.xlsx"
    code, payload, err = run_cli(capsys, "segment", str(bad), "--out", str(out))
    assert code == 2
    assert payload is None
    assert err.count("\n") == 1 and "客户号" in err
    assert not out.exists()


def test_missing_file_exits_2(tmp_path, capsys):
    code, _, err = run_cli(capsys, "segment", str(tmp_path / "nope.csv"))
    assert code == 2
    assert "找不到文件" in err


def test_out_writes_a_sheet_per_tier_and_the_two_groups(export_path, tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "lists.xlsx"
    code, payload, _ = run_cli(
        capsys, "segment", str(export_path), "--as-of", AS_OF.isoformat(), "--out", str(out)
    )
    assert code == 0
    book = load_workbook(out, read_only=True)
    names = book.sheetnames
    for tier in ("潜力客户", "基础客户", "中端客户", "高端客户", "临界客户", "到期客户"):
        assert tier in names
    rows = sum(book[name].max_row - 1 for name in ("潜力客户", "基础客户", "中端客户", "高端客户"))
    assert rows == payload["customers"]


def test_module_entry_point_runs_as_a_process(export_path):
    done = subprocess.run(
        [sys.executable, "-m", "core", "segment", str(export_path), "--as-of", AS_OF.isoformat()],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["customers"] == 1200


def test_written_lists_get_the_usual_file_mode_not_a_private_temp_mode(export_path, tmp_path, capsys):
    import os

    out = tmp_path / "lists.xlsx"
    assert main(["segment", str(export_path), "--as-of", AS_OF.isoformat(), "--out", str(out)]) == 0
    capsys.readouterr()
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
