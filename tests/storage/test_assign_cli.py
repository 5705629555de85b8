"""``python -m core assign`` end to end on the demo outlet: JSON shape, workbook, zip, exit 2 on bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import openpyxl
import pytest

from core.cli import main
from core.demo import demo_export, demo_maturities, demo_roster

AS_OF = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("assign")
    (root / "export.csv").write_bytes(demo_export(AS_OF, customers=600, seed=3))
    (root / "maturities.csv").write_bytes(demo_maturities(AS_OF, customers=600, items=80, seed=4))
    (root / "roster.csv").write_bytes(demo_roster())
    return root


def run(capsys, *argv) -> tuple[int, dict | None, str]:
    code = main(["assign", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_assign_prints_the_staff_figures_and_writes_the_workbook_and_zip(files, capsys):
    out, archive = files / "plan.xlsx", files / "plan.zip"
    code, payload, err = run(
        capsys,
        files / "export.csv",
        "--staff", files / "roster.csv",
        "--out", out,
        "--as-of", "2026-11-30",
        "--month", "2026-12",
        "--maturities", files / "maturities.csv",
        "--zip", archive,
    )  # fmt: skip
    assert code == 0, err
    assert set(payload) >= {"staff", "unassigned", "warnings"}
    assert [s["name"] for s in payload["staff"]] == ["周建国", "李敏", "王海燕", "陈静", "刘洋", "赵丽"]
    assert set(payload["staff"][0]) == {
        "name", "role", "customers", "contacts_per_month", "capacity_per_month", "overloaded",
        "capacity_per_week", "capacity_source", "overloaded_days", "deferred", "contacts",
        "owed_per_month", "use",
    }  # fmt: skip
    # per role, the capacity use 任务分配 and 分层策略 show (core.workload.capacity_use): sums of the people
    roles = {r["role"]: r for r in payload["roles"]}
    assert list(roles) == ["支局长", "理财经理", "大堂经理", "高柜"]
    tellers = [s for s in payload["staff"] if s["role"] == "高柜"]
    assert roles["高柜"]["capacity_per_month"] == pytest.approx(sum(s["capacity_per_month"] for s in tellers))
    assert roles["高柜"]["use"] == pytest.approx(
        sum(s["contacts_per_month"] for s in tellers) / sum(s["capacity_per_month"] for s in tellers),
        abs=1e-4,
    )
    assert payload["unassigned"] == 0
    # December 2026 has 23 working days: a month's capacity is 23 daily shares (weekly / 5).
    assert payload["staff"][-1]["capacity_per_month"] == pytest.approx(120 / 5 * 23)
    assert [s["capacity_source"] for s in payload["staff"]] == ["default"] * 5 + ["roster"]
    assert [s["capacity_per_week"] for s in payload["staff"]] == [40, 120, 120, 80, 60, 120]
    assert payload["deferred"] == 0 and payload["moves"] == []  # the demo outlet's 600 customers fit
    # Everything owed fits: the plan keeps all the value at stake, the solver's bound.
    assert payload["value_due"] == payload["value_kept"] == payload["bound"] and payload["gap"] == 0.0
    assert payload["value_due"] == 249582.65
    assert not any(s["overloaded"] for s in payload["staff"])
    assert all(s["contacts_per_month"] <= s["capacity_per_month"] for s in payload["staff"])
    assert any("孙丽华" in w for w in payload["warnings"])  # left the outlet: her customers were reassigned
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames[0] == "总览" and book.sheetnames[-4:] == [
        "临界客户",
        "到期客户",
        "延后联络",
        "推介产品目录",
    ]
    assert book["延后联络"].max_row == 2  # the title and the header: nothing deferred
    customers = sum(book[name].max_row - 1 for name in [s["name"] for s in payload["staff"]])
    assert customers == sum(s["customers"] for s in payload["staff"])
    names = zipfile.ZipFile(io.BytesIO(archive.read_bytes())).namelist()
    assert names == [f"{s['name']}.xlsx" for s in payload["staff"]]


def test_a_bad_roster_exits_2_with_one_line_and_writes_nothing(files, capsys):
    bad = files / "bad_roster.csv"
    bad.write_text("姓名,岗位\n周建国,支局长\n李敏,柜员\n", encoding="utf-8")
    out = files / "never.xlsx"
    code, payload, err = run(
        capsys, files / "export.csv", "--staff", bad, "--out", out, "--as-of", "2026-11-30"
    )
    assert code == 2 and payload is None
    assert err.count("\n") == 1 and "第 3 行“李敏”的岗位“柜员”" in err
    assert not out.exists()
    assert not list(files.glob(".never.xlsx.*"))


def test_missing_roster_file_and_bad_month_exit_2(files, capsys):
    out = files / "never2.xlsx"
    code, _, err = run(capsys, files / "export.csv", "--staff", files / "nope.csv", "--out", out)
    assert code == 2 and "找不到员工名单文件" in err
    code, _, err = run(
        capsys, files / "export.csv", "--staff", files / "roster.csv", "--out", out, "--month", "2026-13"
    )
    assert code == 2 and "YYYY-MM" in err and err.count("\n") == 1
    assert not out.exists()


def test_unwritable_output_exits_2(files, capsys):
    target = files / "no_such_dir" / "plan.xlsx"
    code, _, err = run(
        capsys,
        files / "export.csv",
        "--staff",
        files / "roster.csv",
        "--out",
        target,
        "--as-of",
        "2026-11-30",
    )
    assert code == 2 and "无法写入" in err


def test_every_notice_item_in_the_window_reaches_the_maturing_sheet_with_its_owner(files, capsys):
    out = files / "items.xlsx"
    code, payload, err = run(
        capsys,
        files / "export.csv",
        "--staff", files / "roster.csv",
        "--out", out,
        "--as-of", "2026-11-30",
        "--maturities", files / "maturities.csv",
    )  # fmt: skip
    assert code == 0, err
    rows = list(csv.reader(io.StringIO((files / "maturities.csv").read_bytes().decode("gbk"))))[2:]
    # a month after the data date, and every item December's 联络表 calls about (a 7-day call on 12-31 is
    # for 2027-01-07): 到期客户 carries each reminder's item
    end = dt.date(2027, 1, 7)
    expected = sorted(
        (r[0], r[2], float(r[3].replace(",", "")))
        for r in rows
        if AS_OF <= dt.date.fromisoformat(r[4]) <= end
    )
    sheet = openpyxl.load_workbook(out, read_only=True)["到期客户"]
    got = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted((r[0], r[5], float(r[6])) for r in got if r[5] is not None) == expected
    # Customers the notice does not mention keep the export's own maturity date (product unknown).
    noticed = {r[0] for r in rows}
    export = list(csv.reader(io.StringIO((files / "export.csv").read_bytes().decode("gbk"))))[3:-1]
    own: dict[str, dt.date] = {}
    for r in export:
        when = dt.datetime.strptime(r[6], "%Y/%m/%d").date() if r[6] else None
        if when and when >= AS_OF and r[0] not in noticed:
            own[r[0]] = min(when, own.get(r[0], when))
    from_export = sorted(cid for cid, when in own.items() if when <= end)
    assert sorted(r[0] for r in got if r[5] is None) == from_export
    staff = {s["name"] for s in payload["staff"]}
    assert all(r[4] in staff for r in got)  # every item has someone to call (unmatched ones: the 支局长)


def test_the_heads_copy_keeps_mobiles_while_the_default_book_masks_them(files, capsys):
    import re

    phones = {}
    for flag in ((), ("--head-copy",)):
        out = files / f"book{len(flag)}.xlsx"
        args = (files / "export.csv", "--staff", files / "roster.csv", "--out", out, "--as-of", "2026-11-30")
        code, _, err = run(capsys, *args, "--month", "2026-12", *flag)
        assert code == 0, err
        book = openpyxl.load_workbook(out, read_only=True)
        values = [str(c) for row in book["李敏"].iter_rows(values_only=True) for c in row if c is not None]
        phones[bool(flag)] = [v for v in values if re.fullmatch(r"1\d{2}(\*{4}|\d{4})\d{4}", v)]
    assert phones[False] and all("****" in p for p in phones[False])
    assert len(phones[True]) == len(phones[False]) and not any("****" in p for p in phones[True])
    assert [p[:3] + p[-4:] for p in phones[True]] == [p[:3] + p[-4:] for p in phones[False]]


def test_every_cli_export_writes_one_audit_row_with_masking_and_row_count(
    files, capsys, tmp_path, monkeypatch
):
    from core.services.reads import audit_entries
    from core.storage import make_engine

    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = f"sqlite:///{tmp_path / 'audit.db'}"
    head, archive, lists = tmp_path / "head.xlsx", tmp_path / "staff.zip", tmp_path / "lists.xlsx"
    code, payload, err = run(
        capsys,
        files / "export.csv",
        "--staff", files / "roster.csv",
        "--out", head, "--head-copy", "--zip", archive,
        "--as-of", "2026-11-30", "--month", "2026-12",
        "--db", db, "--outlet", "城关支局", "--user", "zhiju",
    )  # fmt: skip
    assert code == 0, err
    assert payload["audited"] is True
    assert (
        main(["segment", str(files / "export.csv"), "--as-of", "2026-11-30", "--out", str(lists), "--db", db])
        == 0
    )
    segment_payload = json.loads(capsys.readouterr().out)
    assert segment_payload["audited"] is True
    rows = {
        (e["action"], e["detail"]["file_name"]): (e["username"], e["outlet"], e["detail"])
        for e in audit_entries(make_engine(db))
        if e["action"].startswith("export.")
    }
    user, outlet, detail = rows[("export.workbook", "head.xlsx")]
    assert (user, outlet, detail["masked"], detail["rows"], detail["via"]) == (
        "zhiju",
        "城关支局",
        False,
        600,
        "cli",
    )
    assert rows[("export.zip", "staff.zip")][2]["rows"] == 600
    assert rows[("export.zip", "staff.zip")][2]["masked"] is True  # the demo policy masks the staff's mobiles
    segment = rows[("export.segment_lists", "lists.xlsx")][2]
    assert (segment["masked"], segment["rows"]) == (False, 600)


def test_an_export_with_no_database_anywhere_says_it_was_not_audited(files, capsys, tmp_path, monkeypatch):
    import core.cli.audit as cli_audit

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(cli_audit, "DEFAULT_DB", tmp_path / "none.db")
    out = tmp_path / "lists.xlsx"
    assert main(["segment", str(files / "export.csv"), "--as-of", "2026-11-30", "--out", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["audited"] is False
    assert not (tmp_path / "none.db").exists()


def test_assign_orders_the_lists_by_the_familiarity_logged_on_last_months_sheets(files, capsys):
    # Without --contacts the export's 熟识程度 orders the 中端 lists (least known first).
    first, logged = files / "first.xlsx", files / "logged.xlsx"
    base = ["--staff", files / "roster.csv", "--as-of", "2026-11-30", "--month", "2026-12"]
    code, _, err = run(capsys, files / "export.csv", *base, "--out", first)
    assert code == 0, err
    rows = list(openpyxl.load_workbook(first, read_only=True)["李敏"].iter_rows(min_row=2, values_only=True))
    mid = [r for r in rows if r[3] == "中端客户"]
    last = mid[-1]  # the best known 中端 customer of 李敏 comes last
    assert last[10] > mid[0][10]
    # The 联络表 李敏 filled in November says she barely knows that customer: the list puts them first.
    log = files / "november_log.csv"
    log.write_text(
        "日期,员工,客户号,姓名,方式,结果,熟识程度,备注\n"
        f"2026-11-20,李敏,{last[0]},{last[1]},电话,已联络,1,\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, files / "export.csv", *base, "--out", logged, "--contacts", log)
    assert code == 0, err
    rows = list(openpyxl.load_workbook(logged, read_only=True)["李敏"].iter_rows(min_row=2, values_only=True))
    mid = [r for r in rows if r[3] == "中端客户"]
    ones = [r[0] for r in mid if r[10] == 1]
    assert last[0] in ones and [r[0] for r in mid][: len(ones)] == ones  # among the least known, first
