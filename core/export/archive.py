"""One workbook per person in a zip (``staff_workbooks_zip``), each entry named so Windows can extract it."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile

import pandas as pd

from core.assign import Assignment
from core.export.customers import _Lists, _lists
from core.export.privacy import _privacy
from core.export.workbook import _with_calendar, _write_staff_book
from core.policy import Policy
from core.xlsx import gc_paused


def staff_workbooks_zip(
    *,
    seg: pd.DataFrame,
    assignment: Assignment,
    plan: pd.DataFrame,
    workload: pd.DataFrame,
    policy: Policy,
    as_of: dt.date,
    maturity_items: pd.DataFrame | None = None,
    outlet: str | None = None,
    month: str | None = None,
    deferred: pd.DataFrame | None = None,
) -> bytes:
    """A zip of one workbook per person (``<name>.xlsx``), each with that person's sheets only (with
    ``deferred``, their own 延后联络 rows too); the policy's ``[privacy]`` rules apply (these go to staff)."""
    mask, hide = _privacy(policy, head_copy=False)
    dated = _with_calendar(policy, as_of, month)  # the 731 dates as the plan has them
    lists = _lists(seg, assignment, plan, dated, as_of, maturity_items, mask=mask, hide_assets=hide)
    with gc_paused():
        return _zip_books(lists, plan, workload, policy, as_of, outlet, month, hide, deferred)


def _zip_books(
    lists: _Lists,
    plan: pd.DataFrame,
    workload: pd.DataFrame,
    policy: Policy,
    as_of: dt.date,
    outlet: str | None,
    month: str | None,
    hide_assets: bool,
    deferred: pd.DataFrame | None = None,
) -> bytes:
    out = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in workload["staff"].tolist():
            buffer = io.BytesIO()
            _write_staff_book(
                buffer,
                lists=lists,
                plan=plan.loc[plan["staff"] == name],
                load=workload,
                policy=policy,
                as_of=as_of,
                outlet=outlet,
                month=month or f"{as_of:%Y-%m}",
                staff=[name],
                warnings=[],
                hide_assets=hide_assets,
                deferred=deferred,
            )
            archive.writestr(_file_name(name, used), buffer.getvalue())
    return out.getvalue()


_WINDOWS_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")


def _file_name(name: str, used: set[str]) -> str:
    """A zip entry name Windows can extract and a reader cannot be misled by: no path or reserved characters, no
    bidi or other invisible format characters (Unicode Cf), no device name (CON, NUL, COM1, ...), at most 60."""
    visible = "".join(c for c in str(name) if unicodedata.category(c) != "Cf")
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", visible).strip(" .")[:60].strip(" .") or "staff"
    if _WINDOWS_RESERVED.match(stem):
        stem = f"_{stem}"
    candidate, n = f"{stem}.xlsx", 2
    while candidate.casefold() in used:
        candidate, n = f"{stem}({n}).xlsx", n + 1
    used.add(candidate.casefold())
    return candidate
