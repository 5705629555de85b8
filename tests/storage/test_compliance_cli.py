"""``python -m core contacts import`` and ``python -m core compliance`` against a seeded SQLite database."""

from __future__ import annotations

import json

import pytest

from core.cli import main
from core.storage.engine import ensure_schema, make_engine
from tests.builders.contacts import NOVEMBER, OUTLET, seed_outlet, write_log


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    seed_outlet(engine)
    engine.dispose()
    return url


def run(capsys, *argv: str) -> tuple[int, dict | None, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_contacts_import_prints_counts_and_reasons_and_a_second_import_imports_nothing(
    db_url, tmp_path, capsys
):
    log = write_log(tmp_path / "联络表.csv", NOVEMBER)
    code, out, _ = run(capsys, "contacts", "import", log, "--db", db_url, "--user", "zhangwei")
    assert code == 0
    assert (out["imported"], out["rejected"]) == (5, 1)
    assert out["rejections"] == [
        {"file": "联络表.csv", "row": 8, "reason": "客户号“C009”不在本网点客户名单中"}
    ]
    assert (out["outlet"], out["period"], out["planned_unfilled"]) == (OUTLET, "2026-11", 1)
    code, again, _ = run(capsys, "contacts", "import", log, "--db", db_url)
    assert (code, again["imported"], again["updated"], again["kept"]) == (0, 0, 0, 5)


def test_a_corrected_log_imported_again_updates_warns_and_refuses_and_says_so(db_url, tmp_path, capsys):
    run(capsys, "contacts", "import", write_log(tmp_path / "联络表.csv", NOVEMBER), "--db", db_url)
    corrected = [
        NOVEMBER[1].replace("未接通", "已联络") + "回拨",  # the call-back reached him
        *NOVEMBER[:1],
        *NOVEMBER[2:],
        "2026-11-12,李娜,C001,孙三,电话,已联络,",  # C001 is 赵一, not 孙三
    ]
    code, out, _ = run(
        capsys, "contacts", "import", write_log(tmp_path / "更正.csv", corrected), "--db", db_url
    )
    assert code == 0
    assert (out["imported"], out["updated"], out["kept"], out["warned"], out["rejected"]) == (0, 1, 4, 0, 2)
    assert out["changes"][0]["changes"] == {
        "result": {"before": "未接通", "after": "已联络"},
        "note": {"before": None, "after": "回拨"},
    }
    assert out["rejections"][-1]["reason"] == (
        "客户号 C001 的姓名写的是“孙三”，但客户数据中该客户号是“赵一”：请核对客户号"
    )


def test_compliance_prints_the_rates_of_the_stored_plan(db_url, tmp_path, capsys):
    run(capsys, "contacts", "import", write_log(tmp_path / "log.csv", NOVEMBER), "--db", db_url)
    code, out, _ = run(
        capsys,
        "compliance",
        "--period",
        "2026-11",
        "--outlet",
        OUTLET,
        "--db",
        db_url,
        "--as-of",
        "2026-12-10",
    )
    assert code == 0
    # plan: C001 sms; C002 phone+sms; C003 five weekly calls + one visit = 9 required, 5 met
    assert out == {
        "overall": 5 / 9,
        "by_tier": {"potential": 1.0, "basic": 0.5, "mid": 3 / 6},
        "by_staff": {"李娜": 3 / 6, "王强": 2 / 3},
        "overdue": 4,
        "deferred": {"total": 0, "by_staff": {}, "published": []},  # the plan was stored, not published whole
    }


def test_compliance_of_one_week_and_one_staff_member(db_url, tmp_path, capsys):
    run(capsys, "contacts", "import", write_log(tmp_path / "log.csv", NOVEMBER), "--db", db_url)
    code, out, _ = run(
        capsys,
        "compliance",
        "--period",
        "2026-W46",
        "--db",
        db_url,
        "--staff",
        "李娜",
        "--as-of",
        "2026-12-10",
    )
    assert code == 0
    # week 46 (9–15 Nov): 李娜's weekly call (met by the unanswered call) and the visit due on the 11th (met)
    assert out == {
        "overall": 1.0,
        "by_tier": {"mid": 1.0},
        "by_staff": {"李娜": 1.0},
        "overdue": 0,
        "deferred": {"total": 0, "by_staff": {}, "published": []},
    }


def test_compliance_mid_month_counts_only_what_is_due(db_url, tmp_path, capsys):
    run(capsys, "contacts", "import", write_log(tmp_path / "log.csv", NOVEMBER), "--db", db_url)
    code, out, _ = run(capsys, "compliance", "--period", "2026-11", "--db", db_url, "--as-of", "2026-11-22")
    assert code == 0
    # Sunday 22nd. Due: C001 SMS and C002 phone (met early), C003 weeks 45, 46 (met), 47 (missed) and the visit
    # (met early) = 6, 5 met. Pending: C002's SMS (month still open), C003 weeks 48 and 49.
    assert out == {
        "overall": 5 / 6,
        "by_tier": {"potential": 1.0, "basic": 1.0, "mid": 3 / 4},
        "by_staff": {"李娜": 3 / 4, "王强": 1.0},
        "overdue": 1,
        "deferred": {"total": 0, "by_staff": {}, "published": []},
    }


def test_compliance_with_nothing_due_yet_exits_2_naming_the_date_and_pending_count(db_url, tmp_path, capsys):
    run(capsys, "contacts", "import", write_log(tmp_path / "log.csv", NOVEMBER), "--db", db_url)
    code, out, err = run(capsys, "compliance", "--period", "2026-11", "--db", db_url, "--as-of", "2026-11-01")
    assert (code, out) == (2, None)
    assert err.count("\n") == 1
    assert "截至 2026-11-01 还没有已到期的应联络（未到期 9 项）" in err


def test_compliance_without_a_stored_plan_exits_2_with_one_line(db_url, capsys):
    code, out, err = run(capsys, "compliance", "--period", "2026-12", "--db", db_url)
    assert (code, out) == (2, None)
    assert err.count("\n") == 1 and "没有保存的联络计划" in err


def test_a_bad_period_exits_2(db_url, capsys):
    code, _, err = run(capsys, "compliance", "--period", "2026-13", "--db", db_url)
    assert code == 2 and "2026-W48" in err


def test_contacts_import_of_a_missing_file_exits_2(db_url, capsys):
    code, _, err = run(capsys, "contacts", "import", "nowhere.csv", "--db", db_url)
    assert code == 2 and "nowhere.csv" in err
