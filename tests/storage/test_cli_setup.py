"""``python -m core setup``: first run prepares everything once; later runs change nothing."""

from __future__ import annotations

from core import demo
from core.accounts import verify
from core.cli import main
from core.storage import list_snapshots, load_customers, load_staff, make_engine


def test_first_run_imports_the_demo_outlet_and_prints_a_password_once(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    args = ["setup", "--db", url, "--demo", str(tmp_path / "demo"), "--as-of", "2026-11-30"]
    assert main(args) == 0
    first = capsys.readouterr().err
    password = next(line.split("：", 1)[1].strip() for line in first.splitlines() if "密码：" in line)
    engine = make_engine(url)
    assert verify(engine, "zhiju", password)
    snapshots = list_snapshots(engine, outlet=demo.OUTLET)
    assert [s["as_of"] for s in snapshots] == ["2026-11-30"]
    assert len(load_customers(engine, snapshots[0]["id"])) == 5000
    assert load_staff(engine, demo.OUTLET)["name"].tolist() == [name for name, _, _ in demo.ROSTER]

    assert main(args) == 0
    again = capsys.readouterr().err
    assert "密码" not in again
    assert len(list_snapshots(engine, outlet=demo.OUTLET)) == 1
