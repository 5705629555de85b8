"""``python -m core setup``: prepare the embedded database, the demo outlets and the first accounts.

Safe to run every time (``make run`` does): each step does only what is still missing, so a second run keeps
whatever the user did in the console since the first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys
import time

from core import clock, demo
from core.errors import AuthError
from core.services.accounts import add_user, ensure_demo_account, new_password
from core.services.reads import ensure_schema, make_engine

DEMO_OUTLETS = (
    # outlet, roster, customers, seed
    (demo.OUTLET, demo.LIVED_ROSTER, 3000, 20260831),
    (demo.SECOND_OUTLET, demo.SECOND_ROSTER, 1200, 20260901),
)
DEMO_MONTHS = 4


def run(args: argparse.Namespace) -> int:
    engine = make_engine(args.db)
    ensure_schema(engine)
    say = sys.stderr.write
    say(f"数据库已就绪：{engine.url.render_as_string(hide_password=True)}\n")
    if args.demo:
        prepare_demo(engine, pathlib.Path(args.demo), args.as_of or clock.today(), say)
    password = ensure_demo_account(engine, demo.OUTLET)
    if password:
        accounts = [("zhiju", "branch_head", demo.OUTLET, password)]
        if args.demo:
            accounts += demo_accounts(engine)
        say("\n首次运行：已创建以下账号（密码只显示这一次，请登录后妥善保管或修改）：\n")
        for username, role, outlet, secret in accounts:
            say(f"    {ROLE_NAMES[role]}（{outlet or '全市'}）  用户名：{username}  密码：{secret}\n")
        say(
            "其他账号请用 python -m core users add 用户名 --role branch_head --outlet 网点 --password-stdin 创建。\n\n"
        )
    return 0


ROLE_NAMES = {"admin": "管理员", "branch_head": "支局长", "staff": "员工"}


def demo_accounts(engine) -> list[tuple[str, str, str | None, str]]:
    """The demo's admin, staff and second-outlet head accounts with random passwords (created once)."""
    made = []
    for username, role, outlet, staff_name in demo.DEMO_ACCOUNTS:
        password = new_password()
        try:
            add_user(
                engine,
                username,
                password,
                role=role,
                outlet=outlet,
                staff_name=staff_name,
                display_name=staff_name,
                created_by="setup",
            )
        except AuthError:
            continue  # already there (created by hand before the demo): keep it as it is
        made.append((username, role, outlet, password))
    return made


def prepare_demo(engine, directory: pathlib.Path, as_of: dt.date, say) -> None:
    """Build each demo outlet that has no snapshot yet: four months of exports, plans and contact logs."""
    start = time.perf_counter()
    for outlet, roster, customers, seed in DEMO_OUTLETS:
        built = demo.build_outlet(
            engine,
            outlet,
            roster,
            customers=customers,
            seed=seed,
            as_of=as_of,
            months=DEMO_MONTHS,
            directory=directory,
        )
        if built is None:
            continue
        say(
            f"演示网点“{outlet}”已建立：{len(built['snapshots'])} 个月度快照，"
            f"已发布计划 {'、'.join(built['periods'])}，联络记录 {built['contacts']} 条；"
            "本月计划待支局长在“任务分配”页发布。\n"
        )
    say(f"演示数据准备用时 {time.perf_counter() - start:.1f} 秒（数据文件在 {directory}）\n")


def register(subparsers: argparse._SubParsersAction) -> None:
    from core.cli.segment import parse_date

    parser = subparsers.add_parser("setup", help="准备数据库、演示网点和首个账号（可重复运行）")
    parser.add_argument("--db", help="数据库地址，默认 DATABASE_URL 或 data/console.db")
    parser.add_argument(
        "--demo", metavar="DIR", help="演示数据目录：缺少演示网点时生成四个月的数据、计划和联络记录并导入"
    )
    parser.add_argument("--as-of", type=parse_date, default=None, help="演示数据日期，默认今天")
    parser.set_defaults(func=run)
