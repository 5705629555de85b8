"""``python -m core outcomes --from DATE --to DATE``: did the contacts move money between two snapshots?"""

from __future__ import annotations

import argparse
import pathlib

from core import services
from core.errors import ConsoleError
from core.outcomes.workbook import write_outcomes
from core.policy import Policy
from core.services.reads import active_policy


def register(subparsers: argparse._SubParsersAction) -> None:
    from core.cli.segment import parse_date

    parser = subparsers.add_parser(
        "outcomes", help="经营成效：两期快照之间的户均余额、层级迁移、达标、到期留存、触达与未触达对比"
    )
    parser.add_argument(
        "--from", dest="date_from", required=True, type=parse_date, help="起始快照日期 YYYY-MM-DD"
    )
    parser.add_argument(
        "--to", dest="date_to", required=True, type=parse_date, help="截止快照日期 YYYY-MM-DD"
    )
    parser.add_argument("--outlet", default=None, help="网点名称；数据库只有一个网点时可省略")
    parser.add_argument("--out", default=None, help="另存为 Excel 工作簿（.xlsx）")
    parser.add_argument("--policy", default=None, help="策略文件 TOML，默认使用该网点当前生效的策略")
    parser.add_argument("--db", default=None, help="数据库 URL，默认 DATABASE_URL 或 data/console.db")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.db import current_user, open_engine, pick_outlet

    engine = open_engine(args.db)
    outlet = pick_outlet(engine, args.outlet)
    policy = Policy.load(args.policy) if args.policy else active_policy(engine, outlet)
    actor = services.operator(current_user(args))
    result = services.outcomes_between(engine, actor, outlet, args.date_from, args.date_to, policy)
    payload = {"outlet": outlet, **result.summary()}
    if args.out:
        try:
            gifts = services.gift_campaign(engine, actor, outlet, policy)
        except (
            ConsoleError
        ) as exc:  # no campaign window or snapshots for it: the workbook goes without the list
            gifts, payload["campaign"] = None, {"error": str(exc)}
        else:
            payload["campaign"] = {k: v for k, v in gifts.summary.items() if k != "by_level"}
        path = pathlib.Path(args.out)
        write_outcomes(path, result, policy, outlet=outlet, gifts=gifts)
        payload["out"] = str(path)
        from core.cli.audit import audit_export

        audit_export(
            args,
            kind="outcomes",
            outlet=outlet,
            masked=False,
            rows=len(result.maturities) + (len(gifts.table) if gifts is not None else 0),
            file_name=path,
            engine=engine,
        )
    emit(payload)
    return 0
