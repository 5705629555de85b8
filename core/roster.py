"""The outlet's staff roster: who works there, in which role, and how many contacts a week each can make.

A blank capacity takes the policy's default for the person's role (``policy.workload.capacity_of``);
``capacity_source`` says which ("roster" or "default") so the console can tell the head.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO

import pandas as pd

from core.errors import Message, RosterError, Sentences
from core.i18n import t
from core.policy import Policy

COLUMNS = ["name", "role", "outlet", "capacity_per_week"]
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "员工姓名", "员工", "人员姓名"),
    "role": ("岗位", "职位", "角色", "岗位名称"),
    "outlet": ("网点", "所属网点", "机构", "支局"),
    "capacity_per_week": ("容量", "每周容量", "每周联络能力", "联络容量"),
}


@dataclass(frozen=True)
class Roster:
    """Validated staff (one row per person, roster order) and the warnings a branch head should read."""

    staff: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    def heads(self, policy: Policy) -> list[str]:
        """Names of the staff in the branch-head role, roster order."""
        return self.staff.loc[self.staff["role"] == policy.branch_head.role, "name"].tolist()

    @property
    def names(self) -> list[str]:
        return self.staff["name"].tolist()


def read_roster(
    source: str | os.PathLike | IO[bytes], *, policy: Policy, file_name: str | None = None
) -> Roster:
    """Read a roster file (CSV / XLSX / XLS, title rows allowed) with 姓名, 岗位, 网点 and optional 容量."""
    from core.ingest import read_table

    hints = tuple(h for names in HEADERS.values() for h in names[:1])
    table = read_table(source, file_name=file_name, header_hints=hints)
    shown = file_name or table.file_name or str(source)
    frame = table.frame
    found: dict[str, str] = {}
    for key, names in HEADERS.items():
        for header in frame.columns:
            if _norm(header) in names:
                found[key] = header
                break
    missing = [HEADERS[k][0] for k in ("name", "role") if k not in found]
    if missing:
        raise RosterError("roster.missing_columns", file=shown, columns=list(missing))
    renamed = pd.DataFrame({key: frame[header] for key, header in found.items()})
    rows = list(table.row_numbers) if table.row_numbers is not None else None
    return roster_from_frame(renamed, policy=policy, row_numbers=rows, file_name=shown)


def roster_from_frame(
    frame: pd.DataFrame,
    *,
    policy: Policy,
    row_numbers: Sequence[int] | None = None,
    file_name: str = "员工名单",
) -> Roster:
    """Validate a frame with name, role, optional outlet and capacity_per_week (e.g. edited in the console).

    Blank rows are not people and are left out; every other problem is a RosterError naming its rows.
    A roster without a branch head is allowed with a warning (see ``core.assign`` for where their
    customers then go).
    """
    rows = list(row_numbers) if row_numbers is not None else [i + 2 for i in range(len(frame))]
    cells = {
        k: frame[k].astype(object).tolist() if k in frame.columns else [None] * len(frame) for k in COLUMNS
    }
    roles = set(policy.workload.roles)
    problems: list[Message] = []
    out: list[dict] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        name, role, outlet, capacity = (_cell(cells[k][i]) for k in COLUMNS)
        if not (name or role or outlet or capacity):
            continue
        if not name:
            problems.append(Message("roster.no_name", row=row))
            continue
        if not role:
            problems.append(Message("roster.no_role", row=row, name=name))
        elif role not in roles:
            problems.append(
                Message(
                    "roster.unknown_role",
                    row=row,
                    name=name,
                    role=role,
                    roles=list(policy.workload.roles),
                )
            )
        if name in seen:
            problems.append(Message("roster.duplicate", row=row, first=seen[name], name=name))
        else:
            seen[name] = row
        value = policy.workload.capacity_of(role)
        source = "default"
        if capacity:
            source = "roster"
            try:
                value = float(capacity.replace(",", ""))
            except ValueError:
                value = float("nan")
            if not value > 0 or value == float("inf"):
                problems.append(Message("roster.bad_capacity", row=row, name=name, value=capacity))
        out.append(
            {
                "name": name,
                "role": role,
                "outlet": outlet,
                "capacity_per_week": value,
                "capacity_source": source,
            }
        )
    if problems:
        raise RosterError("roster.problems", file=file_name, problems=Sentences(problems))
    if not out:
        raise RosterError("roster.empty", file=file_name)
    staff = pd.DataFrame(out, columns=[*COLUMNS, "capacity_source"])
    staff["capacity_per_week"] = staff["capacity_per_week"].astype("float64")
    warnings: list[str] = []
    if not (staff["role"] == policy.branch_head.role).any():
        warnings.append(
            t("roster.no_head", "zh", role=policy.branch_head.role, top_n=policy.branch_head.top_n)
        )
    return Roster(staff=staff, warnings=warnings)


def as_roster(roster: Roster | pd.DataFrame, policy: Policy) -> Roster:
    """Accept a Roster or a plain staff frame (validated on the way in)."""
    return roster if isinstance(roster, Roster) else roster_from_frame(roster, policy=policy)


def _norm(header: object) -> str:
    # Headers like "容量（次/周）" or " 姓名 " still match.
    text = re.sub(r"[（(].*?[)）]", "", str(header))
    return re.sub(r"\s+", "", text)


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
