"""``python -m core policy``: list, show, save, activate and diff an outlet's policy versions; errors exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from core.cli import main
from core.policy import Policy
from core.services.reads import active_policy_version, audit_entries, list_outlets
from core.storage import ensure_schema, make_engine
from tests.builders.app import ROOT
from tests.builders.stored import ensure_outlet

OUTLET = "城东支局"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), err
    return json.loads(out)


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    ensure_outlet(engine, OUTLET)
    engine.dispose()
    return url


@pytest.fixture
def files(tmp_path) -> dict[str, str]:
    mid60 = tmp_path / "mid60.toml"
    Policy.default().with_tier_lowers({"mid": 60_000}).save(mid60)
    window = tmp_path / "window.toml"
    window.write_text("[maturity]\nwindow_days = 45\n", encoding="utf-8")  # the rest from the defaults
    return {"mid60": str(mid60), "window": str(window)}


def test_save_validates_stores_a_new_active_version_and_prints_its_fingerprint(capsys, db, files):
    payload = run_json(capsys, "policy", "save", files["mid60"], "--note", "试行", "--user", "周", "--db", db)
    expected = Policy.default().with_tier_lowers({"mid": 60_000})
    assert payload == {"version": 1, "fingerprint": expected.fingerprint(), "outlet": OUTLET}
    engine = make_engine(db)
    policy, version = active_policy_version(engine, OUTLET)
    assert version == 1 and policy.fingerprint() == expected.fingerprint()
    assert run_json(capsys, "policy", "save", files["window"], "--db", db)["version"] == 2
    saves = [e for e in audit_entries(engine, outlet=OUTLET) if e["action"] == "policy.save"]
    assert [e["detail"]["version"] for e in saves] == [2, 1]
    assert (saves[1]["username"], saves[1]["detail"]["note"]) == ("周", "试行")


def test_list_prints_the_versions_newest_first_with_the_active_flag(capsys, db, files):
    run_json(capsys, "policy", "save", files["mid60"], "--note", "试行", "--user", "周", "--db", db)
    run_json(capsys, "policy", "save", files["window"], "--user", "李", "--db", db)
    rows = run_json(capsys, "policy", "list", "--outlet", OUTLET, "--db", db)
    assert [(r["version"], r["active"], r["created_by"], r["note"]) for r in rows] == [
        (2, True, "李", ""),
        (1, False, "周", "试行"),
    ]
    assert all(r["outlet"] == OUTLET for r in rows)


def test_list_of_an_outlet_without_versions_is_empty(capsys, db):
    assert run_json(capsys, "policy", "list", "--db", db) == []


def test_show_prints_the_active_toml_or_a_given_version(capsys, db, files):
    code, out, err = run(capsys, "policy", "show", "--db", db)
    assert (code, err) == (0, "") and out == Policy.default().to_toml()  # nothing saved: the defaults
    run_json(capsys, "policy", "save", files["mid60"], "--db", db)
    run_json(capsys, "policy", "save", files["window"], "--db", db)
    _, out, _ = run(capsys, "policy", "show", "--db", db)
    assert Policy.from_toml(out).maturity.window_days == 45
    assert Policy.from_toml(out).tier("mid").lower == 50_000
    _, out, _ = run(capsys, "policy", "show", "--version", "1", "--outlet", OUTLET, "--db", db)
    assert Policy.from_toml(out).tier("mid").lower == 60_000


def test_activate_rolls_back_to_an_earlier_version(capsys, db, files):
    run_json(capsys, "policy", "save", files["mid60"], "--db", db)
    run_json(capsys, "policy", "save", files["window"], "--db", db)
    payload = run_json(capsys, "policy", "activate", "1", "--user", "周", "--db", db)
    assert payload["version"] == 1
    policy, version = active_policy_version(make_engine(db), OUTLET)
    assert version == 1 and policy.tier("mid").lower == 60_000
    assert payload["fingerprint"] == policy.fingerprint()
    restored = [e for e in audit_entries(make_engine(db), outlet=OUTLET) if e["action"] == "policy.activate"]
    assert [(e["username"], e["detail"]) for e in restored] == [("周", {"version": 1})]
    rows = run_json(capsys, "policy", "list", "--db", db)
    assert [(r["version"], r["active"]) for r in rows] == [(2, False), (1, True)]


def test_diff_lists_the_rules_that_differ_between_two_versions(capsys, db, files):
    run_json(capsys, "policy", "save", files["mid60"], "--db", db)
    run_json(capsys, "policy", "save", files["window"], "--db", db)
    assert run_json(capsys, "policy", "diff", "1", "2", "--db", db) == [
        {"key": "tiers.mid.lower", "a": 60_000.0, "b": 50_000.0},
        {"key": "maturity.window_days", "a": 30, "b": 45},
    ]
    assert run_json(capsys, "policy", "diff", "2", "2", "--db", db) == []


def _one_error_line(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.endswith("\n") and err.count("\n") == 1
    return err


def test_an_invalid_policy_file_is_refused_with_every_problem_and_nothing_stored(capsys, db, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[history]\noutflow_pct = 130\n[maturity]\nwindow_days = 0\n", encoding="utf-8")
    err = _one_error_line(capsys, "policy", "save", str(bad), "--db", db)
    assert "流失预警比例必须在 0 到 100 之间" in err and "到期提醒窗口必须至少 1 天" in err
    assert run_json(capsys, "policy", "list", "--db", db) == []


def test_a_file_that_is_not_toml_or_missing_is_refused(capsys, db, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("name = [\n", encoding="utf-8")
    assert "不是有效的 TOML" in _one_error_line(capsys, "policy", "save", str(broken), "--db", db)
    missing = str(tmp_path / "nope.toml")
    assert "无法读取策略文件" in _one_error_line(capsys, "policy", "save", missing, "--db", db)


def test_unknown_versions_are_refused(capsys, db, files):
    run_json(capsys, "policy", "save", files["mid60"], "--db", db)
    for argv in (("show", "--version", "7"), ("activate", "7"), ("diff", "1", "7")):
        err = _one_error_line(capsys, "policy", *argv, "--db", db)
        assert "没有版本号为 7 的策略" in err and OUTLET in err


def test_an_unknown_outlet_is_refused_not_created(capsys, db, files):
    for argv in (("list",), ("show",), ("save", files["mid60"]), ("activate", "1"), ("diff", "1", "2")):
        err = _one_error_line(capsys, "policy", *argv, "--outlet", "城西支局", "--db", db)
        assert "数据库中没有网点“城西支局”" in err
    assert list_outlets(make_engine(db)) == [OUTLET]


def test_without_outlet_the_database_must_hold_exactly_one(capsys, tmp_path, files):
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    assert "还没有网点" in _one_error_line(capsys, "policy", "list", "--db", empty)
    two = f"sqlite:///{tmp_path / 'two.db'}"
    engine = make_engine(two)
    ensure_schema(engine)
    ensure_outlet(engine, "甲支局")
    ensure_outlet(engine, "乙支局")
    err = _one_error_line(capsys, "policy", "save", files["mid60"], "--db", two)
    assert "--outlet" in err and "甲支局" in err and "乙支局" in err


def test_python_m_core_policy_runs_as_a_process(db, files):
    done = subprocess.run(
        [sys.executable, "-m", "core", "policy", "save", files["mid60"], "--db", db],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["version"] == 1
    done = subprocess.run(
        [sys.executable, "-m", "core", "policy", "activate", "9", "--db", db],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1
