"""The audit row of every file a CLI command writes with customers in it (``core.services.exports.record_export``).

The row goes to the command's database: ``--db``, else ``DATABASE_URL``, else the console's ``data/console.db``.
A machine with none of these has no audit log to write to (a headless ``segment`` on a file); the command's JSON
then says ``"audited": false``.
"""

from __future__ import annotations

import argparse
import os

from core.services.exports import record_export
from core.services.reads import DEFAULT_DB


def audit_export(
    args: argparse.Namespace,
    *,
    kind: str,
    outlet: str | None,
    masked: bool,
    rows: int,
    file_name: str,
    engine=None,
) -> bool:
    """Write the row; False when there is no database to write it to."""
    from core.cli.db import current_user, open_engine

    if engine is None:
        url = getattr(args, "db", None) or os.environ.get("DATABASE_URL")
        if not url and not DEFAULT_DB.exists():
            return False
        engine = open_engine(url)
    record_export(
        engine,
        current_user(args),
        kind=kind,
        outlet=outlet,
        masked=masked,
        rows=rows,
        file_name=os.path.basename(str(file_name)),
        via="cli",
        detail={"path": os.path.abspath(str(file_name))},
    )
    return True
