"""``python -m core contacts import FILE...``: read filled-in 联络表 logs and store them for an outlet."""

from __future__ import annotations

import argparse
import pathlib

from sqlalchemy import Engine

from core.errors import IngestError
from core.policy import Policy
from core.services import import_logs, operator, read_logs
from core.services.reads import active_policy


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("contacts", help="联络记录（每日计划联络表）")
    commands = parser.add_subparsers(dest="contacts_command", required=True)
    imp = commands.add_parser("import", help="导入填好的联络表（工作簿中的“联络表-姓名”工作表或同列的 CSV）")
    imp.add_argument("files", nargs="+", metavar="FILE", help="联络表文件（XLSX / XLS / CSV），可多个")
    add_db_options(imp)
    imp.add_argument("--period", help="计划月份 YYYY-MM，默认取多数联络日期所在的月份")
    imp.add_argument("--user", default=None, help="记入审计日志的操作人，默认当前系统用户")
    imp.set_defaults(func=run_import)


def add_db_options(parser: argparse.ArgumentParser) -> None:
    """--db, --outlet and --policy as the contacts and compliance commands take them."""
    parser.add_argument("--db", default=None, help="数据库 URL，默认 DATABASE_URL 或 data/console.db")
    parser.add_argument("--outlet", default=None, help="网点名称；数据库中只有一个网点时可省略")
    parser.add_argument("--policy", default=None, help="策略文件 TOML，默认使用数据库中生效的策略")


def open_outlet(args: argparse.Namespace) -> tuple[Engine, str, Policy]:
    """The engine (schema brought up to date), the outlet the command works on, and the policy to apply."""
    from core.cli.db import open_engine, pick_outlet

    engine = open_engine(args.db)
    outlet = pick_outlet(engine, args.outlet)
    policy = Policy.load(args.policy) if args.policy else active_policy(engine, outlet)
    return engine, outlet, policy


def run_import(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.db import current_user

    for name in args.files:
        if not pathlib.Path(name).is_file():
            raise IngestError("contacts.cli.no_file", file=name)
    engine, outlet, policy = open_outlet(args)
    sources = [(pathlib.Path(name).name, pathlib.Path(name)) for name in args.files]
    actor = operator(current_user(args))
    got = read_logs(engine, actor, outlet, sources, policy=policy, period=args.period)
    stored = import_logs(engine, actor, outlet, got, "、".join(n for n, _ in sources))

    def where(r: dict) -> str:
        return f"{r['file']}[{r['sheet']}]" if r["sheet"] else r["file"]

    emit(
        {
            "imported": stored.new,
            "updated": stored.updated,
            "kept": stored.kept,
            "warned": len(got.warnings),
            "rejected": len(got.rejections),
            "rejections": [
                {"file": where(r), "row": r["row"], "reason": r["reason"]} for r in got.rejections
            ],
            "warnings": [{"file": where(r), "row": r["row"], "reason": r["reason"]} for r in got.warnings],
            "changes": list(stored.changes),
            "outlet": outlet,
            "period": got.period.label if got.period else None,
            "rows_read": got.rows_read,
            "contacts": len(got.rows),
            "planned_unfilled": got.planned_unfilled,
            "earlier_attempts": got.attempts,
        }
    )
    return 0
