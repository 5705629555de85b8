"""``python -m core segment``: read an export, place every customer under the policy, print the summary."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
import tempfile
from dataclasses import dataclass

import pandas as pd

from core import clock
from core.errors import ConsoleError, IngestError
from core.i18n import t
from core.ingest import IngestResult, read_customers
from core.maturity import MaturityMerge, read_maturities
from core.policy import Policy
from core.segment import segment, summarize
from core.services import ExportRead, read_export


@dataclass
class Inputs:
    """What every command that starts from an export needs: policy, date, the export read, segmentation."""

    policy: Policy
    as_of: dt.date
    export: ExportRead
    seg: pd.DataFrame

    @property
    def result(self) -> IngestResult:
        return self.export.result

    @property
    def maturity(self) -> MaturityMerge | None:
        return self.export.merge

    @property
    def maturity_rows_read(self) -> int:
        return sum(n.rows_read for n in self.export.notices)

    @property
    def maturity_rejections(self) -> list:
        return self.export.maturity_rejections


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(t("cli.bad_date", "zh", text=text)) from exc


def parse_mapping(pairs: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        field, sep, header = pair.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise IngestError("cli.bad_column", pair=pair)
        mapping[field.strip()] = header.strip()
    return mapping


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """INPUT and the options shared by segment, assign and db import."""
    parser.add_argument("input", metavar="INPUT", help="客户导出文件（CSV / XLSX / XLS）")
    parser.add_argument("--as-of", type=parse_date, default=None, help="数据日期 YYYY-MM-DD，默认今天")
    parser.add_argument("--policy", help="策略文件 TOML，默认使用内置默认策略")
    parser.add_argument("--column", action="append", metavar="FIELD=HEADER", help="指定列映射，可重复")
    parser.add_argument("--sheet", help="Excel 工作表名称，默认第一个")
    parser.add_argument("--maturities", action="append", metavar="FILE", help="到期业务提醒文件，可重复")


def load_policy(path: str | None) -> Policy:
    return Policy.load(path) if path else Policy.default()


def load_inputs(args: argparse.Namespace, policy: Policy | None = None) -> Inputs:
    """Read the export (and maturity notices) named by ``args`` and segment it."""
    policy = policy or load_policy(args.policy)
    as_of = args.as_of or clock.today()
    path = pathlib.Path(args.input)
    if not path.is_file():
        raise IngestError("contacts.cli.no_file", file=str(path))
    result = read_customers(
        path, as_of=as_of, file_name=path.name, columns=parse_mapping(args.column) or None, sheet=args.sheet
    )
    notices = []
    for name in args.maturities or ():
        notice_path = pathlib.Path(name)
        if not notice_path.is_file():
            raise IngestError("cli.no_maturity_file", file=str(notice_path))
        notices.append(read_maturities(notice_path, file_name=notice_path.name))
    export = read_export(result, notices, as_of)
    return Inputs(policy, as_of, export, segment(export.customers, policy, as_of))


def summary_payload(inputs: Inputs) -> dict:
    """The segment summary in the documented JSON shape (also part of ``db import``'s answer)."""
    seg, policy, result = inputs.seg, inputs.policy, inputs.result
    by_tier = summarize(seg, policy).set_index("tier")
    near = seg["near_level"].value_counts()
    payload = {
        "rows_read": result.rows_read,
        "rows_rejected": len(result.rejections),
        "rejections": [{"row": r.row, "reason": r.reason} for r in result.rejections],
        "warnings": [{"row": r.row, "reason": r.reason} for r in result.warnings],
        "customers": len(seg),
        "tiers": {
            code: {
                "count": int(by_tier.loc[code, "count"]),
                "assets": round(float(by_tier.loc[code, "assets"]), 2),
            }
            for code in policy.tier_codes
        },
        "near_threshold": {f"{level:g}": int(near.get(level, 0)) for level in policy.reward_levels},
        "maturing": int(seg["maturing"].sum()),
    }
    if inputs.maturity is not None:
        payload["maturity_items"] = len(inputs.maturity.items)
        payload["maturity_unmatched"] = len(inputs.maturity.unmatched)
        payload["maturity_rows_read"] = inputs.maturity_rows_read
        payload["maturity_rejections"] = [
            {"file": r.file, "row": r.row, "reason": r.reason} for r in inputs.maturity_rejections
        ]
    return payload


def write_atomically(path: str | os.PathLike, write) -> None:
    """Call ``write(tmp_path)`` then move the file into place: a failure leaves nothing at ``path``."""
    target = pathlib.Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a workbook to hand out gets the usual mode
        os.replace(tmp, target)
    except BaseException:
        pathlib.Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    from core.cli import emit

    inputs = load_inputs(args)
    payload = summary_payload(inputs)
    if args.out:
        from core.export import write_segment_lists

        items = inputs.maturity.items if inputs.maturity is not None else None
        try:
            write_atomically(
                args.out, lambda tmp: write_segment_lists(tmp, inputs.seg, inputs.policy, inputs.as_of, items)
            )
        except OSError as exc:
            raise ConsoleError("export.write_failed", path=args.out, reason=exc.strerror or str(exc)) from exc
        from core.cli.audit import audit_export

        payload["audited"] = audit_export(
            args, kind="segment_lists", outlet=None, masked=False, rows=len(inputs.seg), file_name=args.out
        )
    emit(payload)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("segment", help="客户分层：读取导出文件并输出各层级汇总 JSON")
    add_input_options(parser)
    parser.add_argument("--out", help="把分层名单写入 Excel 文件（每层一个工作表，另有临界客户、到期客户）")
    parser.add_argument(
        "--db", default=None, help="记录导出审计的数据库 URL，默认 DATABASE_URL 或 data/console.db"
    )
    parser.add_argument("--user", default=None, help="记入审计日志的操作人，默认当前系统用户")
    parser.set_defaults(func=run)
