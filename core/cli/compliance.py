"""``python -m core compliance --period 2026-11``: the stored plan of an outlet against its logged contacts."""

from __future__ import annotations

import argparse
import datetime as dt

from core import clock
from core.calendar import parse_period
from core.cli.contacts import add_db_options, open_outlet
from core.errors import ConsoleError
from core.i18n import t
from core.services import deferred_count, operator, period_compliance, weekly_report


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("compliance", help="联络合规：计划应联络与实际联络记录对比")
    parser.add_argument(
        "--period", required=True, help="期间：2026-11（月）、2026-W48（周）或 2026-Q4（季度）"
    )
    add_db_options(parser)
    parser.add_argument("--as-of", type=_date, default=None, help="评估日期 YYYY-MM-DD，默认今天")
    parser.add_argument("--staff", default=None, help="只看某位员工")
    parser.add_argument("--out", default=None, help="写出一页的周报 Excel（如 周报.xlsx）")
    parser.set_defaults(func=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(t("cli.bad_date", "zh", text=text)) from exc


def run(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.db import current_user

    period = parse_period(args.period).label
    engine, outlet, policy = open_outlet(args)
    actor = operator(current_user(args))
    as_of = args.as_of or clock.today()
    figures = period_compliance(engine, actor, outlet, period, policy=policy, as_of=as_of, staff=args.staff)
    result = figures.result
    if args.out:  # written first: a week with nothing due yet still gets its sheet
        from core.cli.audit import audit_export

        weekly_report(engine, actor, outlet, result, policy, args.out)
        audit_export(
            args,
            kind="weekly_report",
            outlet=outlet,
            masked=False,
            rows=len(result.overdue),
            file_name=args.out,
            engine=engine,
        )
    if not result.required:
        raise ConsoleError("compliance.cli.no_plan", outlet=outlet, period=period)
    answer = result.summary()
    deferred = deferred_count(engine, actor, outlet, period, staff=args.staff)
    answer["deferred"] = {  # 延后 N of the period's published plans (none published: 0 and no month)
        "total": deferred.total,
        "by_staff": deferred.by_staff,
        "published": list(deferred.published),
    }
    if args.out:
        answer["weekly_report"] = str(args.out)
    emit(answer)
    return 0
