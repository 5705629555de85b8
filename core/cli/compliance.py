"""``python -m core compliance --period 2026-11``: the stored plan of an outlet against its logged contacts."""

from __future__ import annotations

import argparse
import datetime as dt

from core.cli.contacts import add_db_options, open_outlet
from core.compliance import compliance, parse_period, requirements
from core.contact_store import load_contacts, load_period_plan
from core.errors import ConsoleError
from core.i18n import t


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
        raise argparse.ArgumentTypeError(f"日期“{text}”格式应为 YYYY-MM-DD") from exc


def run(args: argparse.Namespace) -> int:
    from core.cli import emit

    period = parse_period(args.period)
    engine, outlet, policy = open_outlet(args)
    plan = load_period_plan(engine, outlet, period)
    req = requirements(plan, policy, period)
    if args.staff is not None:
        req = req.loc[req["staff"] == args.staff].reset_index(drop=True)
    if not len(req):
        raise ConsoleError(t("compliance.cli.no_plan", "zh", outlet=outlet, period=period.label))
    start = req["window_start"].min().date()
    end = req["window_end"].max().date()
    contacts = load_contacts(engine, outlet, start=start, end=end)
    as_of = args.as_of or dt.date.today()
    result = compliance(req, contacts, policy, period, as_of=as_of)
    if args.out:  # written first: a week with nothing due yet still gets its sheet
        from core.weekly_report import write_outlet_weekly

        write_outlet_weekly(args.out, engine, outlet, result, policy)
    answer = result.summary()
    if args.out:
        answer["weekly_report"] = str(args.out)
    emit(answer)
    return 0
