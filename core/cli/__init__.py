"""``python -m core``: the console's core without the browser. One module per command group."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError

from core.errors import ConsoleError
from core.i18n import t

# Each module in core/cli/ named here exposes ``register(subparsers)``; its parsers set ``func``.
COMMANDS = ["segment", "assign", "contacts", "compliance", "setup", "db", "users", "policy", "outcomes"]
COMMANDS += ["sms"]  # confirm a greeting SMS batch (issue 19)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description="存量客户经营台 命令行")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def emit(payload: object) -> None:
    """Print one JSON object on stdout, Chinese kept readable."""
    json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def fail(message: str) -> int:
    """One line on stderr; exit code 2."""
    sys.stderr.write(" ".join(str(message).split()) + "\n")
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConsoleError as exc:
        return fail(str(exc))
    except OperationalError as exc:  # a database held by another program, unreachable, or its disk full
        return fail(t("storage.unavailable", "zh", error=str(exc.orig or exc).splitlines()[0][:200]))
