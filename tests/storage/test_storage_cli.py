"""``python -m core db`` and ``users``: import, refuse, list, compare; accounts with --password-stdin."""

from __future__ import annotations

import io
import json
import sys

import pytest

from core.cli import main
from core.services import accounts
from tests.builders.history import AFTER, BEFORE


def write_export(path, amounts: dict[str, float], outlet: str = "城东支局") -> str:
    lines = ["客户号,姓名,网点,资产余额"]
    lines += [f"{cid},客户{cid},{outlet},{amount:.2f}" for cid, amount in amounts.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def run_cli(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, object, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_db_import_prints_the_snapshot_id_and_the_segment_summary(tmp_path, capsys, db):
    export = write_export(tmp_path / "10月.csv", BEFORE)
    code, payload, err = run_cli(capsys, "db", "import", export, "--as-of", "2026-10-31", "--db", db)
    assert (code, err) == (0, "")
    assert payload["snapshot_id"] == 1 and payload["outlet"] == "城东支局"
    assert payload["customers"] == 12
    assert {k: v["count"] for k, v in payload["tiers"].items()} == {
        "potential": 3,
        "basic": 3,
        "mid": 4,
        "high": 2,
    }


def test_importing_the_same_outlet_and_date_again_exits_2_with_one_line(tmp_path, capsys, db):
    export = write_export(tmp_path / "10月.csv", BEFORE)
    run_cli(capsys, "db", "import", export, "--as-of", "2026-10-31", "--db", db)
    code, payload, err = run_cli(capsys, "db", "import", export, "--as-of", "2026-10-31", "--db", db)
    assert code == 2 and payload is None
    assert err.count("\n") == 1 and "已经导入过" in err and "--replace" in err
    code, payload, _ = run_cli(
        capsys, "db", "import", export, "--as-of", "2026-10-31", "--replace", "--db", db
    )
    assert code == 0 and payload["snapshot_id"] == 2


def test_db_import_needs_a_date(tmp_path, capsys, db):
    export = write_export(tmp_path / "10月.csv", BEFORE)
    code, _, err = run_cli(capsys, "db", "import", export, "--db", db)
    assert code == 2 and "--as-of" in err


def test_db_list_prints_the_snapshots_as_json(tmp_path, capsys, db):
    run_cli(
        capsys, "db", "import", write_export(tmp_path / "a.csv", BEFORE), "--as-of", "2026-10-31", "--db", db
    )
    run_cli(
        capsys, "db", "import", write_export(tmp_path / "b.csv", AFTER), "--as-of", "2026-11-30", "--db", db
    )
    code, listing, _ = run_cli(capsys, "db", "list", "--db", db)
    assert code == 0
    assert [(s["id"], s["outlet"], s["as_of"], s["file_name"], s["customers"]) for s in listing] == [
        (1, "城东支局", "2026-10-31", "a.csv", 12),
        (2, "城东支局", "2026-11-30", "b.csv", 13),
    ]


def test_db_compare_prints_the_documented_shape(tmp_path, capsys, db):
    run_cli(
        capsys, "db", "import", write_export(tmp_path / "a.csv", BEFORE), "--as-of", "2026-10-31", "--db", db
    )
    run_cli(
        capsys, "db", "import", write_export(tmp_path / "b.csv", AFTER), "--as-of", "2026-11-30", "--db", db
    )
    code, payload, err = run_cli(capsys, "db", "compare", "2026-10-31", "2026-11-30", "--db", db)
    assert (code, err) == (0, "")
    assert payload == {
        "migration": {
            "potential->potential": 1,
            "potential->basic": 2,
            "basic->potential": 1,
            "basic->basic": 1,
            "basic->mid": 1,
            "mid->potential": 1,
            "mid->mid": 2,
            "mid->high": 1,
            "high->mid": 1,
        },
        "up": 4,
        "down": 3,
        "new": 2,
        "gone": 1,
        "outflow_alerts": 3,
        "reward_fulfilment": 3,
    }


def test_db_compare_names_the_dates_it_has_when_one_is_missing(tmp_path, capsys, db):
    run_cli(
        capsys, "db", "import", write_export(tmp_path / "a.csv", BEFORE), "--as-of", "2026-10-31", "--db", db
    )
    code, _, err = run_cli(capsys, "db", "compare", "2026-10-31", "2026-11-30", "--db", db)
    assert code == 2 and "没有 2026-11-30 的快照" in err and "2026-10-31" in err


def test_db_compare_asks_for_the_outlet_when_there_are_several(tmp_path, capsys, db):
    for outlet, name in (("城东支局", "e.csv"), ("城西支局", "w.csv")):
        export = write_export(tmp_path / name, BEFORE, outlet)
        run_cli(capsys, "db", "import", export, "--as-of", "2026-10-31", "--db", db)
    code, _, err = run_cli(capsys, "db", "compare", "2026-10-31", "2026-11-30", "--db", db)
    assert code == 2 and "--outlet" in err


def test_database_url_from_the_environment_is_used_without_db(tmp_path, capsys, monkeypatch, db):
    monkeypatch.setenv("DATABASE_URL", db)
    run_cli(capsys, "db", "import", write_export(tmp_path / "a.csv", BEFORE), "--as-of", "2026-10-31")
    assert (tmp_path / "cli.db").exists()
    _, listing, _ = run_cli(capsys, "db", "list")
    assert len(listing) == 1


def test_users_add_list_and_passwd_with_password_stdin(capsys, monkeypatch, db):
    real = accounts.bcrypt.gensalt
    monkeypatch.setattr(accounts.bcrypt, "gensalt", lambda rounds=4, prefix=b"2b": real(4, prefix))
    code, user, _ = run_cli(
        capsys,
        "users", "add", "wangfang", "--role", "branch_head", "--outlet", "城东支局", "--password-stdin", "--db", db,
        stdin="first password\n",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0
    assert (user["username"], user["role"], user["outlet"]) == ("wangfang", "branch_head", "城东支局")
    code, users, _ = run_cli(capsys, "users", "list", "--db", db)
    assert [u["username"] for u in users] == ["wangfang"] and "password_hash" not in users[0]
    code, done, _ = run_cli(
        capsys, "users", "passwd", "wangfang", "--password-stdin", "--db", db,
        stdin="second password\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0 and done == {"username": "wangfang", "password_changed": True}
    from core.storage import make_engine

    assert accounts.verify(make_engine(db), "wangfang", "second password")


def test_users_add_refuses_a_short_password_with_one_line(capsys, monkeypatch, db):
    code, _, err = run_cli(
        capsys, "users", "add", "li", "--role", "staff", "--outlet", "城东支局", "--password-stdin", "--db", db,
        stdin="short\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 2 and err.count("\n") == 1 and "至少需要 8 个字符" in err


def test_db_import_stores_maturity_notices_beside_the_snapshot(tmp_path, capsys, db):
    import datetime as dt

    from core import demo
    from core.services.reads import list_snapshots, load_customers, load_maturities
    from core.storage import make_engine

    paths = demo.write_demo(tmp_path / "demo", dt.date(2026, 10, 31), customers=300)
    code, payload, err = run_cli(
        capsys, "db", "import", str(paths["export"]), "--as-of", "2026-10-31",
        "--maturities", str(paths["maturities"]), "--db", db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    engine = make_engine(db)
    items = load_maturities(engine, payload["snapshot_id"])
    assert len(items) == payload["maturity_items"] > 0
    assert int((~items["matched"]).sum()) == payload["maturity_unmatched"]
    [info] = list_snapshots(engine)
    assert info["maturity_files"][0]["file"] == paths["maturities"].name
    assert info["maturity_files"][0]["items"] == payload["maturity_items"]
    assert len(load_customers(engine, payload["snapshot_id"])) == payload["customers"]
