"""``python -m core db``: import an export as a snapshot, list snapshots, compare two dates of an outlet."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import pathlib

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from core.errors import StorageError
from core.i18n import t
from core.ingest.export_date import read_export_date
from core.policy import Policy
from core.segment import segment
from core.services import (
    compare_snapshots,
    delete_snapshot,
    import_export,
    operator,
    redate_snapshot,
    snapshot_on,
)
from core.services.reads import (
    active_policy,
    ensure_schema,
    list_outlets,
    list_snapshots,
    make_engine,
)


def open_engine(url: str | None) -> Engine:
    """Engine for ``--db`` (else DATABASE_URL, else data/console.db) with the schema brought up to date."""
    engine = make_engine(url)
    try:
        ensure_schema(engine)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StorageError("storage.db.unreachable", error=reason) from exc
    return engine


def current_user(args: argparse.Namespace) -> str:
    if getattr(args, "user", None):
        return args.user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def outlet_of(customers, given: str | None) -> str:
    """``--outlet``, else the single outlet named in the file, else the default name."""
    if given:
        return given
    names = customers["outlet"].dropna().astype(str).str.strip() if "outlet" in customers.columns else None
    found = sorted({n for n in names if n}) if names is not None else []
    if len(found) > 1:
        shown = "、".join(found[:5]) + ("……" if len(found) > 5 else "")
        raise StorageError("storage.outlet.ambiguous", outlets=shown)
    return found[0] if found else t("storage.outlet.default", "zh")


def run_import(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.segment import load_inputs, summary_payload

    found = None
    path = pathlib.Path(args.input)
    if args.as_of is None and path.is_file():  # the export's own date (导出日期 line, title row or file name)
        found = read_export_date(path, file_name=path.name, sheet=args.sheet)
        if found is None:
            raise StorageError("storage.snapshot.no_as_of")
        args.as_of = found.day
    engine = open_engine(args.db)
    chosen = Policy.load(args.policy) if args.policy else active_policy(engine, args.outlet)
    inputs = load_inputs(args, chosen)
    outlet = outlet_of(inputs.result.customers, args.outlet)
    if not args.policy and not args.outlet:
        policy = active_policy(engine, outlet)  # the file named the outlet: its own policy applies
        if policy.fingerprint() != chosen.fingerprint():
            seg = segment(inputs.export.customers, policy, inputs.as_of)
            inputs = dataclasses.replace(inputs, policy=policy, seg=seg)
    snapshot_id = import_export(
        engine, operator(current_user(args)), outlet, inputs.export, replace=args.replace
    )
    dated = {"as_of": inputs.as_of.isoformat(), "as_of_from": found.source if found else "--as-of"}
    emit({"snapshot_id": snapshot_id, "outlet": outlet, **dated, **summary_payload(inputs)})
    return 0


def _snapshot_id(engine: Engine, actor, outlet: str, day) -> int:
    return int(snapshot_on(engine, actor, outlet, day)["id"])


def run_delete(args: argparse.Namespace) -> int:
    from core.cli import emit

    engine = open_engine(args.db)
    outlet = pick_outlet(engine, args.outlet)
    actor = operator(current_user(args))
    gone = delete_snapshot(
        engine, actor, outlet, _snapshot_id(engine, actor, outlet, args.date), confirm=args.confirm
    )
    emit({"deleted": gone["id"], "outlet": outlet, "as_of": gone["as_of"], "file": gone["file_name"]})
    return 0


def run_redate(args: argparse.Namespace) -> int:
    from core.cli import emit

    engine = open_engine(args.db)
    outlet = pick_outlet(engine, args.outlet)
    actor = operator(current_user(args))
    sid = _snapshot_id(engine, actor, outlet, args.date)
    was = redate_snapshot(engine, actor, outlet, sid, args.new_date, confirm=args.confirm)
    emit({"snapshot_id": sid, "outlet": outlet, "before": was["as_of"], "after": args.new_date.isoformat()})
    return 0


def run_list(args: argparse.Namespace) -> int:
    from core.cli import emit

    emit(list_snapshots(open_engine(args.db), args.outlet))
    return 0


def pick_outlet(engine: Engine, given: str | None) -> str:
    """``--outlet``, else the only outlet that has snapshots."""
    if given:
        return given
    names = sorted({s["outlet"] for s in list_snapshots(engine)}) or list_outlets(engine)
    if len(names) == 1:
        return names[0]
    raise StorageError("storage.outlet.choose", outlets=list(names) or "—")


def run_compare(args: argparse.Namespace) -> int:
    from core.cli import emit

    engine = open_engine(args.db)
    outlet = pick_outlet(engine, args.outlet)
    if args.date_a == args.date_b:
        raise StorageError("history.same_snapshot", as_of=args.date_a)
    actor = operator(current_user(args))
    before, after = (snapshot_on(engine, actor, outlet, as_of)["id"] for as_of in (args.date_a, args.date_b))
    policy = Policy.load(args.policy) if args.policy else active_policy(engine, outlet)
    emit(compare_snapshots(engine, actor, outlet, before, after, policy).summary())
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    from core.cli.segment import add_input_options, parse_date

    parser = subparsers.add_parser("db", help="数据库：导入快照、列出快照、比较两个日期、删除或改日期")
    commands = parser.add_subparsers(dest="db_command", required=True)
    db_help = "数据库 URL，默认 DATABASE_URL 或 data/console.db"

    imp = commands.add_parser("import", help="把客户导出文件导入为某网点某日期的快照（整体成功或不写入）")
    add_input_options(imp)
    imp.add_argument("--outlet", help="网点名称，默认取文件中唯一的网点")
    imp.add_argument("--replace", action="store_true", help="替换同网点同日期（或同一文件）的已有快照")
    imp.add_argument("--user", help="记录为导入人，默认当前系统用户")
    imp.add_argument("--db", help=db_help)
    imp.set_defaults(func=run_import)
    imp.description = "数据日期默认取文件中的导出日期（标题行或文件名中的日期）；没有时需用 --as-of 指定"

    dele = commands.add_parser(
        "delete", help="删除网点某日期的快照（误导入时用；有已发布计划依赖时需 --confirm）"
    )
    dele.add_argument("date", metavar="DATE", type=parse_date, help="快照日期 YYYY-MM-DD")
    dele.add_argument("--outlet", help="网点名称，数据库只有一个网点时可省略")
    dele.add_argument(
        "--confirm", action="store_true", help="确认删除，即使已发布的联络计划依据它（计划一并删除）"
    )
    dele.add_argument("--user", help="记入审计日志的操作人，默认当前系统用户")
    dele.add_argument("--db", help=db_help)
    dele.set_defaults(func=run_delete)

    red = commands.add_parser("redate", help="把网点某日期的快照改为另一日期（导出日期存错时用）")
    red.add_argument("date", metavar="DATE", type=parse_date, help="快照现在的日期 YYYY-MM-DD")
    red.add_argument("new_date", metavar="NEW_DATE", type=parse_date, help="正确的日期 YYYY-MM-DD")
    red.add_argument("--outlet", help="网点名称，数据库只有一个网点时可省略")
    red.add_argument("--confirm", action="store_true", help="确认修改，即使已发布的联络计划依据它")
    red.add_argument("--user", help="记入审计日志的操作人，默认当前系统用户")
    red.add_argument("--db", help=db_help)
    red.set_defaults(func=run_redate)

    lst = commands.add_parser("list", help="列出已导入的快照（JSON）")
    lst.add_argument("--outlet", help="只列出这个网点")
    lst.add_argument("--db", help=db_help)
    lst.set_defaults(func=run_list)

    cmp_ = commands.add_parser("compare", help="比较同一网点两个日期的快照：层级迁移、升降、新增流失、达标")
    cmp_.add_argument("date_a", metavar="DATE_A", type=parse_date, help="较早日期 YYYY-MM-DD")
    cmp_.add_argument("date_b", metavar="DATE_B", type=parse_date, help="较晚日期 YYYY-MM-DD")
    cmp_.add_argument("--outlet", help="网点名称，数据库只有一个网点时可省略")
    cmp_.add_argument("--policy", help="策略文件 TOML，默认使用该网点当前生效的策略")
    cmp_.add_argument("--db", help=db_help)
    cmp_.set_defaults(func=run_compare)
