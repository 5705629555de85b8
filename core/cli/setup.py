"""``python -m core setup``: prepare the embedded database, the demo outlet and the first account.

Safe to run every time (``make run`` does): each step does only what is still missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys

from core import demo
from core.accounts import ensure_demo_account
from core.ingest import read_customers
from core.maturity import read_maturities
from core.policy import Policy
from core.roster import read_roster
from core.services import import_export, operator, read_export
from core.storage import (
    ensure_schema,
    list_snapshots,
    load_staff,
    make_engine,
    save_staff,
)


def run(args: argparse.Namespace) -> int:
    engine = make_engine(args.db)
    ensure_schema(engine)
    say = sys.stderr.write
    say(f"数据库已就绪：{engine.url.render_as_string(hide_password=True)}\n")
    if args.demo:
        prepare_demo(engine, pathlib.Path(args.demo), args.as_of or dt.date.today(), say)
    password = ensure_demo_account(engine, demo.OUTLET)
    if password:
        say(
            "\n首次运行：已为演示网点创建支局长账号（密码只显示这一次，请登录后妥善保管或修改）：\n"
            f"    用户名：zhiju\n    密码：{password}\n"
            "其他账号请用 python -m core users add 用户名 --role branch_head --outlet 网点 --password-stdin 创建。\n\n"
        )
    return 0


def prepare_demo(engine, directory: pathlib.Path, as_of: dt.date, say) -> None:
    """Write the demo files when missing and import them once as the demo outlet's first snapshot and roster."""
    paths = {
        "export": directory / "目标客户查询.csv",
        "maturities": directory / "到期业务提醒.csv",
        "roster": directory / "员工名单.csv",
    }
    if not all(p.is_file() for p in paths.values()):
        paths = demo.write_demo(directory, as_of)
        say(f"演示数据已生成：{directory}（数据日期 {as_of:%Y-%m-%d}）\n")
    policy = Policy.default()
    if load_staff(engine, demo.OUTLET).empty:
        roster = read_roster(paths["roster"], policy=policy, file_name=paths["roster"].name)
        save_staff(engine, demo.OUTLET, roster.staff, user="setup")
    if list_snapshots(engine, outlet=demo.OUTLET):
        return
    result = read_customers(paths["export"], as_of=as_of, file_name=paths["export"].name)
    notice = read_maturities(paths["maturities"], file_name=paths["maturities"].name)
    export = read_export(result, [notice], as_of)
    snapshot_id = import_export(engine, operator("setup"), demo.OUTLET, export)
    say(f"演示网点“{demo.OUTLET}”已导入：{len(result.customers)} 位客户（快照 {snapshot_id}）\n")


def register(subparsers: argparse._SubParsersAction) -> None:
    from core.cli.segment import parse_date

    parser = subparsers.add_parser("setup", help="准备数据库、演示网点和首个账号（可重复运行）")
    parser.add_argument("--db", help="数据库地址，默认 DATABASE_URL 或 data/console.db")
    parser.add_argument("--demo", metavar="DIR", help="演示数据目录：缺少时生成，并导入为演示网点的首个快照")
    parser.add_argument("--as-of", type=parse_date, default=None, help="演示数据日期，默认今天")
    parser.set_defaults(func=run)
