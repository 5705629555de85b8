"""``python -m core policy``: an outlet's policy versions: list, show as TOML, save a file, activate, diff."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import Engine

from core.errors import StorageError
from core.policy import Policy, policy_diff
from core.services import activate_policy, operator, save_policy
from core.services.reads import active_policy_version, list_outlets, list_policies, load_policy_version


def outlet_for(engine: Engine, given: str | None) -> str:
    """``--outlet`` when it exists in the database (a typo must not start a new outlet), else the only one."""
    from core.cli.db import pick_outlet

    if given is None:
        if not list_outlets(engine):
            raise StorageError("ui.policy_cli.no_outlet")
        return pick_outlet(engine, None)
    name = " ".join(given.split())
    if name not in list_outlets(engine):
        raise StorageError("storage.outlet.unknown", outlet=name)
    return name


def _open(args: argparse.Namespace) -> tuple[Engine, str]:
    from core.cli.db import open_engine

    engine = open_engine(args.db)
    return engine, outlet_for(engine, args.outlet)


def run_list(args: argparse.Namespace) -> int:
    from core.cli import emit

    engine, outlet = _open(args)
    emit(list_policies(engine, outlet))
    return 0


def run_show(args: argparse.Namespace) -> int:
    engine, outlet = _open(args)
    if args.version is None:
        policy = active_policy_version(engine, outlet)[0]
    else:
        policy = load_policy_version(engine, args.version, outlet)
    sys.stdout.write(policy.to_toml())
    return 0


def run_save(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.db import current_user

    policy = Policy.load(args.file)  # validated before the database is touched
    engine, outlet = _open(args)
    version = save_policy(engine, operator(current_user(args)), outlet, policy, args.note)
    emit({"version": version, "fingerprint": policy.fingerprint(), "outlet": outlet})
    return 0


def run_activate(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.db import current_user

    engine, outlet = _open(args)
    policy = activate_policy(engine, operator(current_user(args)), outlet, args.version)
    emit({"version": args.version, "fingerprint": policy.fingerprint(), "outlet": outlet})
    return 0


def run_diff(args: argparse.Namespace) -> int:
    from core.cli import emit

    engine, outlet = _open(args)
    a = load_policy_version(engine, args.version_a, outlet)
    b = load_policy_version(engine, args.version_b, outlet)
    emit([{"key": key, "a": old, "b": new} for key, old, new in policy_diff(a, b)])
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("policy", help="经营策略版本：列出、查看、保存、恢复、比较")
    commands = parser.add_subparsers(dest="policy_command", required=True)

    def command(name: str, help_text: str, func) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--outlet", help="网点名称，数据库只有一个网点时可省略")
        sub.add_argument("--db", help="数据库 URL，默认 DATABASE_URL 或 data/console.db")
        sub.set_defaults(func=func)
        return sub

    command("list", "列出网点的策略版本（JSON，新版本在前）", run_list)
    show = command("show", "输出生效版本（或指定版本）的策略 TOML", run_show)
    show.add_argument("--version", type=int, help="版本号，默认当前生效的版本")
    save = command("save", "校验策略文件并保存为网点新的生效版本", run_save)
    save.add_argument("file", metavar="FILE.toml", help="策略文件（UTF-8 TOML）")
    save.add_argument("--note", default="", help="调整说明")
    save.add_argument("--user", help="记录为保存人，默认当前系统用户")
    activate = command("activate", "把某个历史版本恢复为生效版本", run_activate)
    activate.add_argument("version", metavar="N", type=int, help="版本号")
    activate.add_argument("--user", help="记录为操作人，默认当前系统用户")
    diff = command("diff", "比较两个版本：列出不同的规则（JSON）", run_diff)
    diff.add_argument("version_a", metavar="N", type=int, help="版本号")
    diff.add_argument("version_b", metavar="M", type=int, help="版本号")
