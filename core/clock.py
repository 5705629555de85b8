"""The console's one calendar day: every "today" in core, the CLI and the pages comes from :func:`today`.

Nothing else reads the date from the wall clock, so the suite (and a demo) can be run as if it were another day:
``CONSOLE_TODAY=2026-12-31 make test``. Timestamps of events (audit rows, lockouts, sessions) are not days and keep
reading the real time.
"""

from __future__ import annotations

import datetime as dt
import os

ENV = "CONSOLE_TODAY"


def today() -> dt.date:
    """The day the console works on: ``CONSOLE_TODAY`` (YYYY-MM-DD) when set, else the machine's local date."""
    fixed = os.environ.get(ENV, "").strip()
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        raise SystemExit(f"{ENV}={fixed!r} is not a date (YYYY-MM-DD)") from None
