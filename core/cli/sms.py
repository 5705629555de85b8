"""``python -m core sms --month 2026-12 --staff NAME --sent DATE``: confirm once that a person's greeting SMS batch
went out from the SMS platform (``core.services.sms``); compliance then counts every SMS on the list."""

from __future__ import annotations

import argparse
import datetime as dt

from core import clock
from core.cli.contacts import add_db_options, open_outlet
from core.i18n import t
from core.services import operator
from core.services.sms import confirm_sms_batch, sms_batch


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sms", help="确认群发短信已由短信平台发送（每人每月一次），输出 JSON")
    parser.add_argument("--month", required=True, metavar="YYYY-MM", help="计划月份")
    parser.add_argument("--staff", required=True, help="员工姓名（其“短信-姓名”名单）")
    parser.add_argument("--sent", type=_date, default=None, help="发送日期 YYYY-MM-DD，默认今天")
    add_db_options(parser)
    parser.set_defaults(func=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(t("cli.bad_date", "zh", text=text)) from exc


def run(args: argparse.Namespace) -> int:
    from core.cli import emit
    from core.cli.db import current_user

    engine, outlet, policy = open_outlet(args)
    actor = operator(current_user(args))
    day = args.sent or clock.today()
    listed = sms_batch(engine, actor, outlet, args.month, args.staff, policy=policy)
    stored = confirm_sms_batch(engine, actor, outlet, args.month, args.staff, day=day, policy=policy)
    emit(
        {
            "outlet": outlet,
            "month": args.month,
            "staff": args.staff,
            "sent": day,
            "customers": len(listed),
            "stored": stored,
        }
    )
    return 0
