"""The loop closes: assign --db stores the plan, staff fill in the workbook's 联络表 sheets, the log is imported
and compliance comes back with figures that follow from what was filled in."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from core.cli import main
from core.demo import demo_export, demo_maturities, demo_roster
from core.policy import Policy
from core.services.reads import load_period_plan
from core.storage.engine import make_engine

AS_OF = dt.date(2026, 11, 30)
OUTLET = "城东支局"


def run(capsys, *argv) -> dict:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    root = tmp_path_factory.mktemp("roundtrip")
    (root / "export.csv").write_bytes(demo_export(AS_OF, customers=300, seed=3))
    (root / "maturities.csv").write_bytes(demo_maturities(AS_OF, customers=300, items=40, seed=4))
    (root / "roster.csv").write_bytes(demo_roster())
    return root


def test_plan_workbook_filled_log_import_and_figures(planned, tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'console.db'}"
    plan_book = tmp_path / "plan.xlsx"
    assigned = run(
        capsys, "assign", planned / "export.csv", "--staff", planned / "roster.csv", "--out", plan_book,
        "--as-of", AS_OF, "--month", "2026-12", "--maturities", planned / "maturities.csv",
        "--db", db, "--outlet", OUTLET, "--user", "head",
    )  # fmt: skip
    assert assigned["stored"] == {
        "outlet": OUTLET,
        "snapshot_id": 1,
        "snapshot": "imported",
        "period": "2026-12",
        "plan_rows": assigned["plan_rows"],
    }

    # Staff fill in the workbook: the first person logs every planned contact, the others nothing; one made-up
    # customer and one date outside the month are added by hand.
    book = openpyxl.load_workbook(plan_book)
    logs = [name for name in book.sheetnames if name.startswith("联络表-")]
    header = [c.value for c in book[logs[0]][1]]
    col = {h: i for i, h in enumerate(header)}
    date, who, cid, how, result = (col[h] for h in ("日期", "员工", "客户号", "方式", "结果"))

    def line(**cells) -> list:
        return [cells.get(h) for h in header]

    rows = {
        name: [r for r in book[name].iter_rows(min_row=2, values_only=True) if r[cid] is not None]
        for name in logs
    }
    keys = [(r[date], r[who], r[cid], r[how]) for sheet_rows in rows.values() for r in sheet_rows]
    assert len(keys) == len(set(keys))  # one row per call: a reminder due on a cadence day shares its row
    # one number: the rows of the 联络表 are the contacts the JSON (and 总览, 任务分配) count
    assert len(keys) == assigned["contacts"] <= assigned["plan_rows"]
    busy, idle = logs[0], logs[1]
    person = busy.removeprefix("联络表-")
    sheet = book[busy]
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(row=r, column=cid + 1).value is not None:
            sheet.cell(row=r, column=result + 1, value="已联络")
    sheet.append(
        line(
            日期=dt.datetime(2026, 12, 3), 员工=person, 客户号="X999", 姓名="某人", 方式="电话", 结果="已联络"
        )
    )
    bad_row = sheet.max_row
    book[idle].append(
        line(
            日期=dt.datetime(2027, 1, 4),
            员工=idle.removeprefix("联络表-"),
            客户号=rows[idle][0][cid],
            方式="电话",
            结果="已联络",
        )
    )
    idle_row = book[idle].max_row
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    unique = {(r[who], str(r[cid]), r[how], r[date]) for r in rows[busy]}
    imported = run(capsys, "contacts", "import", filled, "--db", db, "--outlet", OUTLET)
    assert imported["imported"] == len(unique)
    assert imported["rejections"] == [
        {"file": f"filled.xlsx[{busy}]", "row": bad_row, "reason": "客户号“X999”不在本网点客户名单中"},
        {
            "file": f"filled.xlsx[{idle}]",
            "row": idle_row,
            "reason": "日期 2027-01-04 不在计划期间 2026-12 内",
        },
    ]
    assert imported["planned_unfilled"] == len(keys) - len(rows[busy])
    assert len(imported["earlier_attempts"]) == len(rows[busy]) - len(unique)
    again = run(capsys, "contacts", "import", filled, "--db", db, "--outlet", OUTLET)
    assert again["imported"] == 0

    figures = run(
        capsys, "compliance", "--period", "2026-12", "--db", db, "--outlet", OUTLET, "--as-of", "2027-01-31"
    )
    # The busy person called every customer on every row of their log, and a row covers every requirement
    # planned for that customer, channel and day: all of their requirements are met, nobody else's.
    plan = load_period_plan(make_engine(db), OUTLET, "2026-12")
    mine = plan["staff"] == person
    assert figures["overall"] == pytest.approx(mine.sum() / assigned["plan_rows"])
    assert figures["by_staff"] == {
        name.removeprefix("联络表-"): (1.0 if name == busy else 0.0) for name in logs if rows[name]
    }
    assert figures["overdue"] == assigned["plan_rows"] - mine.sum()
    by_tier = mine.groupby(plan["tier"]).mean()
    assert figures["by_tier"] == {code: pytest.approx(rate) for code, rate in by_tier.items()}


def _tiers(book, logs: list[str]) -> dict[str, str]:
    """Customer id -> tier code, from the staff sheets' 层级 column."""
    codes = {t.name: t.code for t in Policy.default().tiers}
    out = {}
    for name in logs:
        sheet = book[name.removeprefix("联络表-")]
        header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
        id_col, tier_col = header.index("客户号"), header.index("层级")
        for row in sheet.iter_rows(min_row=2, values_only=True):
            if row[id_col] is not None:
                out[str(row[id_col])] = codes.get(row[tier_col], row[tier_col])
    return out


def assign_args(planned, out, db, *extra) -> list:
    return [
        "assign", planned / "export.csv", "--staff", planned / "roster.csv", "--out", out,
        "--as-of", AS_OF, "--month", "2026-12", "--db", db, *extra,
    ]  # fmt: skip


def test_assign_again_with_the_same_file_reuses_the_snapshot_and_replaces_the_plan(planned, tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'console.db'}"
    first = run(capsys, *assign_args(planned, tmp_path / "a.xlsx", db, "--outlet", OUTLET))
    again = run(capsys, *assign_args(planned, tmp_path / "b.xlsx", db, "--outlet", OUTLET))
    assert (first["stored"]["snapshot"], again["stored"]["snapshot"]) == ("imported", "existing")
    assert again["stored"]["snapshot_id"] == first["stored"]["snapshot_id"]
    assert len(load_period_plan(make_engine(db), OUTLET, "2026-12")) == first["plan_rows"]


def test_assign_storing_without_an_outlet_or_over_another_files_snapshot_exits_2(planned, tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'console.db'}"
    assert main([str(a) for a in assign_args(planned, tmp_path / "a.xlsx", db)]) == 2
    assert "--outlet" in capsys.readouterr().err
    run(capsys, *assign_args(planned, tmp_path / "a.xlsx", db, "--outlet", OUTLET))
    other = tmp_path / "export2.csv"
    other.write_bytes(demo_export(AS_OF, customers=120, seed=9))
    args = assign_args(planned, tmp_path / "c.xlsx", db, "--outlet", OUTLET)
    args[1] = other
    assert main([str(a) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "export.csv" in err and "--replace" in err
    assert not (tmp_path / "c.xlsx").exists()
