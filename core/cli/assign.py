"""``python -m core assign``: export + roster -> assignment, a monthly plan that fits capacity
(``core.schedule.plan_month``: moves, day scheduling, deferrals), workload and the staff workbook."""

from __future__ import annotations

import argparse
import pathlib

from core.calendar import default_plan_month, parse_month
from core.cli.segment import add_input_options, load_inputs, write_atomically
from core.errors import ConsoleError, RosterError
from core.plan import with_recorded_familiarity
from core.roster import read_roster
from core.schedule import fit_warnings
from core.services import handout_of, operator, plan_bundle, publish_plan, published_handout
from core.workload import capacity_use


def run(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.db import current_user
    from core.handout import handout_zip, write_handout

    staff_path = pathlib.Path(args.staff)
    if not staff_path.is_file():
        raise RosterError("cli.no_staff_file", file=str(staff_path))
    month = parse_month(args.month) if args.month else None
    inputs = load_inputs(args)
    policy, seg, as_of = inputs.policy, inputs.seg, inputs.as_of
    roster = read_roster(staff_path, policy=policy, file_name=staff_path.name)
    seg = with_recorded_familiarity(seg, _logged_familiarity(args, policy))
    engine = _engine(args)
    bundle = plan_bundle(
        seg,
        roster,
        policy,
        month or default_plan_month(as_of, policy),
        as_of,
        inputs.export.items,
        engine=engine,
        outlet=args.outlet if engine is not None else None,
    )
    result, plan, load, label, fitted = (
        bundle.assignment,
        bundle.plan,
        bundle.workload,
        bundle.month,
        bundle.fitted,
    )
    warnings = [*result.warnings, *fit_warnings(fitted), *bundle.warnings]
    handout = handout_of(bundle, policy, as_of, args.outlet if engine is not None else None)
    stored = None
    if engine is not None:  # published first: what staff get is what was stored
        actor = operator(current_user(args))
        stored = _store(args, inputs, bundle, engine, actor)
        handout = published_handout(engine, actor, args.outlet, label, snapshot_id=stored["snapshot_id"])
    archive = handout_zip(handout) if args.zip else None
    _write(args.out, lambda tmp: write_handout(tmp, handout, head_copy=args.head_copy))
    use = capacity_use(load, policy, fitted.deferred)  # the 使用率 任务分配 and 分层策略 show
    if archive is not None:
        _write(args.zip, lambda tmp: pathlib.Path(tmp).write_bytes(archive))
    audited = _audit(args, engine, policy, len(result.table))
    emit(
        {
            "staff": [
                {
                    "name": row.staff,
                    "role": row.role,
                    "customers": int(row.customers),
                    "contacts": int(row.contacts),
                    "contacts_per_month": round(float(person.planned), 2),
                    "owed_per_month": round(float(person.owed), 2),
                    "capacity_per_month": round(float(person.capacity), 2),
                    "use": round(float(person.use), 4),
                    "capacity_per_week": round(float(row.capacity_week), 2),
                    "capacity_source": row.capacity_source,
                    "overloaded": bool(row.overloaded),
                    "overloaded_days": int(row.over_days),
                    "deferred": int(person.deferred),
                }
                for row, person in zip(
                    load.itertuples(index=False), use.people.itertuples(index=False), strict=True
                )
            ],
            "roles": [
                {
                    "role": role.role,
                    "staff": int(role.staff),
                    "customers": int(role.customers),
                    "owed_per_month": round(float(role.owed), 2),
                    "contacts_per_month": round(float(role.planned), 2),
                    "deferred": int(role.deferred),
                    "capacity_per_month": round(float(role.capacity), 2),
                    "use": round(float(role.use), 4),
                }
                for role in use.roles.itertuples(index=False)
            ],
            "deferred": len(fitted.deferred),
            # 元 at stake in every contact owed, kept by the plan (less the moves' cost), and the solver's bound
            "value_due": fitted.value_due,
            "value_kept": fitted.value_kept,
            "bound": fitted.bound,
            "gap": round(fitted.gap, 4),
            "moves": [
                {
                    "customer_id": move.customer_id,
                    "name": move.name,
                    "tier": move.tier,
                    "from": move.from_staff,
                    "to": move.to_staff,
                    "effort": float(move.effort),
                    "value": float(move.value),
                    "cost": float(move.cost),
                    "reason": move.reason,
                }
                for move in fitted.moves.itertuples(index=False)
            ],
            "unassigned": int(result.table["staff"].isna().sum()),
            "warnings": warnings,
            "month": label,
            "contacts": int(load["contacts"].sum()),  # rows of the 联络表, as 总览 and 任务分配 count them
            "plan_rows": len(plan),
            **({"stored": stored} if stored is not None else {}),
            "audited": audited,
        }
    )
    return 0


def _logged_familiarity(args: argparse.Namespace, policy):
    """--contacts: the 熟识程度 written on filled-in 联络表 files (last per customer), as the console reads it from
    the stored log; None without files."""
    from core.compliance.logs import read_contact_logs

    if not args.contacts:
        return None
    sources = []
    for name in args.contacts:
        path = pathlib.Path(name)
        if not path.is_file():
            raise ConsoleError("contacts.cli.no_file", file=path)
        sources.append((path.name, path))
    rows = read_contact_logs(sources, policy=policy).rows
    rows = rows.sort_values("contact_date", kind="stable")
    return rows.loc[rows["familiarity"].notna(), ["customer_id", "familiarity"]]


def _engine(args: argparse.Namespace):
    """--db/--outlet: the database the plan reads the outlet's contact log from and is published to."""
    from core.cli.db import open_engine

    if not (args.db or args.outlet):
        return None
    if not args.outlet:
        raise ConsoleError("contacts.cli.assign_outlet")
    return open_engine(args.db)


def _store(args: argparse.Namespace, inputs, bundle, engine, actor) -> dict:
    """Publish the plan (the snapshot imported first when the outlet has none of that date)."""
    return publish_plan(
        engine, actor, args.outlet, bundle, policy=inputs.policy, as_of=inputs.as_of, export=inputs.export
    )


def _audit(args: argparse.Namespace, engine, policy, customers: int) -> bool:
    """One audit row per file written: the workbook (the head's copy unmasked) and the zip of staff workbooks."""
    from core.cli.audit import audit_export

    masked = policy.privacy.mask_phone
    audited = audit_export(
        args,
        kind="workbook",
        outlet=args.outlet,
        masked=masked and not args.head_copy,
        rows=customers,
        file_name=args.out,
        engine=engine,
    )
    if args.zip:
        audit_export(
            args,
            kind="zip",
            outlet=args.outlet,
            masked=masked,
            rows=customers,
            file_name=args.zip,
            engine=engine,
        )
    return audited


def _write(path: str, write) -> None:
    try:
        write_atomically(path, write)
    except OSError as exc:
        raise ConsoleError("export.write_failed", path=path, reason=exc.strerror or exc) from exc


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "assign", help="分配客户、按联络能力排期（调整负责人、延后超出部分）、生成员工工作簿，输出 JSON"
    )
    add_input_options(parser)
    parser.add_argument("--staff", required=True, metavar="FILE", help="员工名单（姓名、岗位、网点、容量）")
    parser.add_argument("--out", required=True, metavar="FILE.xlsx", help="员工工作簿输出路径")
    parser.add_argument(
        "--zip", metavar="FILE.zip", help="另存每人一个工作簿的压缩包（按策略隐藏手机号/余额）"
    )
    parser.add_argument(
        "--head-copy",
        action="store_true",
        help="--out 为支局长自留版：保留完整手机号与余额（不按策略 [privacy] 隐藏）；默认与员工版相同",
    )
    parser.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="计划月份；默认数据日期所在月份，月末（剩余工作日不足策略规定天数）时为下月",
    )
    parser.add_argument(
        "--db", default=None, help="同时保存客户数据、分配与联络计划的数据库 URL（需 --outlet）"
    )
    parser.add_argument("--outlet", default=None, help="网点名称：保存到数据库时必填")
    parser.add_argument(
        "--contacts",
        action="append",
        metavar="FILE",
        help="已填写的联络表（可重复）：按其中记录的熟识程度排列名单（--db 时另读数据库中的记录）",
    )
    parser.add_argument("--user", default=None, help="记入审计日志的操作人，默认当前系统用户")
    parser.set_defaults(func=run)
