"""Every file with personal data that leaves the console or the CLI leaves one audit row: ``record_export``.

The console records when the browser fetches the file (``ui/media_guard.py``: who, from which address, what the
page said the file holds); each CLI command that writes a file records it when written. The row says what kind of
file it was, whether its phones and balances were masked, how many rows of customers it holds and under which
name it went out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from core.services.uow import unit_of_work
from core.storage.audit import audit


def record_export(
    engine: Engine,
    user: str,
    *,
    kind: str,
    outlet: str | None,
    masked: bool,
    rows: int,
    file_name: str,
    client: str | None = None,
    via: str = "console",
    detail: dict[str, Any] | None = None,
) -> None:
    """One ``export.<kind>`` audit row: masked or not, the row count, the file name, the client address (console)."""
    entry: dict[str, Any] = {"masked": bool(masked), "rows": int(rows), "file_name": str(file_name)}
    if client:
        entry["client"] = client
    entry["via"] = via
    with unit_of_work(engine) as conn:
        audit(conn, user, f"export.{kind}", outlet, {**(detail or {}), **entry})
