"""The embedded database file: a held SQLite lock gives one line and exit 2, the file is private to its owner."""

from __future__ import annotations

import os
import pathlib
import sqlite3
import subprocess
import sys

from core.storage.engine import make_engine

ROOT = pathlib.Path(__file__).resolve().parents[2]
HEAD = "客户号,客户姓名,资产余额,出生日期,所属网点\n"


def test_a_held_sqlite_lock_gives_one_line_and_exit_2(tmp_path):
    db = tmp_path / "console.db"
    export = tmp_path / "export.csv"
    export.write_text(HEAD + "C1,张三,12000,1980-01-01,城东支局\n", encoding="utf-8")
    url = f"sqlite:///{db}"
    env = {**os.environ, "CONSOLE_SQLITE_BUSY_MS": "200", "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "core", "db", "import", str(export), "--as-of", "2026-11-30", "--db", url]
    first = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env)
    assert first.returncode == 0, first.stderr
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        run = subprocess.run(
            [*args, "--replace"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
        )
    finally:
        holder.close()
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "database is locked" in lines[0] and "Traceback" not in run.stderr


def test_the_sqlite_file_is_created_readable_by_its_owner_only(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new' / 'console.db'}")
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
    assert (tmp_path / "new" / "console.db").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700
