"""``python -m core users``: console accounts (add, list, passwd). Passwords come from standard input."""

from __future__ import annotations

import argparse
import getpass
import sys

from core.errors import AuthError
from core.roles import ROLES
from core.services.accounts import add_user, list_users, set_password


def read_password(args: argparse.Namespace) -> str:
    """First line of stdin with --password-stdin; otherwise a hidden prompt on a terminal."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("密码：")
    else:
        password = ""
    if not password:
        raise AuthError("accounts.password.empty_stdin")
    return password


def run_add(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.db import current_user, open_engine

    engine = open_engine(args.db)
    user = add_user(
        engine,
        args.username,
        read_password(args),
        role=args.role,
        outlet=args.outlet,
        display_name=args.name,
        staff_name=args.staff_name,
        created_by=current_user(args),
    )
    emit(user)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.db import open_engine

    emit(list_users(open_engine(args.db)))
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.db import current_user, open_engine

    engine = open_engine(args.db)
    set_password(engine, args.username, read_password(args), changed_by=current_user(args))
    emit({"username": args.username.strip().lower(), "password_changed": True})
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("users", help="账号：添加、列出、修改密码")
    commands = parser.add_subparsers(dest="users_command", required=True)
    db_help = "数据库 URL，默认 DATABASE_URL 或 data/console.db"

    add = commands.add_parser("add", help="添加账号（admin 市分行 / branch_head 支局长 / staff 员工）")
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--outlet", help="所属网点（branch_head、staff 必填）")
    add.add_argument("--name", help="显示名称，默认同用户名")
    add.add_argument("--staff-name", help="员工账号对应员工名单中的姓名")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（第一行）")
    add.add_argument("--user", help="记录为操作人，默认当前系统用户")
    add.add_argument("--db", help=db_help)
    add.set_defaults(func=run_add)

    lst = commands.add_parser("list", help="列出账号（JSON，不含密码）")
    lst.add_argument("--db", help=db_help)
    lst.set_defaults(func=run_list)

    pw = commands.add_parser("passwd", help="修改密码")
    pw.add_argument("username", metavar="USERNAME")
    pw.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码（第一行）")
    pw.add_argument("--user", help="记录为操作人，默认当前系统用户")
    pw.add_argument("--db", help=db_help)
    pw.set_defaults(func=run_passwd)
