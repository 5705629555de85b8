"""The published plan is the handout: what a branch head publishes is kept whole, and every workbook staff or the
head take away is written from it by one function, :func:`write_handout`.

A :class:`Handout` holds the frames of ``core.schema.HANDOUT_FRAMES`` (customers as segmented, assignment,
plan rows with the planner's notes, deferred contacts, workload, maturity items), the policy they were made
under and the warnings the head saw. The 任务分配 downloads (the whole book, one person's book),
``python -m core assign --out`` and a member of staff's own download on 我的客户 go through :func:`write_handout`;
the zip of one book per person (任务分配, ``assign --zip``) holds exactly the bytes :func:`write_handout` writes
for each person, built in one pass. The same published plan gives the same bytes wherever it is downloaded.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.assign import Assignment
from core.export import Target, staff_workbooks_zip, write_workbook
from core.policy import Policy
from core.schema import HANDOUT_FRAMES

ZIP_TIME = (
    1980,
    1,
    1,
    0,
    0,
    0,
)  # every zip entry dated alike (as xlsxwriter dates its parts): same plan, same bytes


@dataclass(frozen=True)
class Handout:
    """A month's plan as published for one outlet's snapshot."""

    outlet: str | None
    month: str
    as_of: dt.date
    policy: Policy
    seg: pd.DataFrame
    assignment: Assignment
    plan: pd.DataFrame
    deferred: pd.DataFrame
    workload: pd.DataFrame
    items: pd.DataFrame | None = None
    warnings: tuple[str, ...] = ()  # what the head saw on 任务分配 (assignment, fit and plan warnings)

    @property
    def staff(self) -> list[str]:
        """The people with a book, in roster order."""
        return self.workload["staff"].tolist()

    def frames(self) -> dict[str, pd.DataFrame | None]:
        """What is stored, by ``HANDOUT_FRAMES`` name."""
        frames = {
            "seg": self.seg,
            "assignment": self.assignment.table,
            "plan": self.plan,
            "deferred": self.deferred,
            "workload": self.workload,
            "items": self.items,
        }
        return {name: frames[name] for name in HANDOUT_FRAMES}

    def meta(self) -> dict[str, Any]:
        """What is stored beside the frames."""
        return {
            "warnings": list(self.warnings),
            "assignment_warnings": list(self.assignment.warnings),
            "staff": list(self.assignment.staff),
            "heads": list(self.assignment.heads),
        }

    @classmethod
    def from_stored(cls, outlet: str | None, stored: dict[str, Any]) -> Handout:
        """The handout from what ``core.storage.handouts.load_handout`` read back."""
        frames, meta = stored["frames"], stored["meta"]
        assignment = Assignment(
            table=frames["assignment"],
            warnings=list(meta.get("assignment_warnings", [])),
            staff=tuple(meta.get("staff", [])),
            heads=tuple(meta.get("heads", [])),
        )
        as_of = stored["as_of"]
        return cls(
            outlet=outlet,
            month=stored["period"],
            as_of=as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of)),
            policy=Policy.from_toml(stored["policy_toml"]),
            seg=frames["seg"],
            assignment=assignment,
            plan=frames["plan"],
            deferred=frames["deferred"],
            workload=frames["workload"],
            items=frames.get("items"),
            warnings=tuple(meta.get("warnings", [])),
        )


def write_handout(
    target: Target, handout: Handout, *, staff: Sequence[str] | None = None, head_copy: bool = False
) -> int:
    """The one writer of handed-out workbooks: everyone's book (``staff`` None: 总览 with the head's warnings) or
    the book of some people only (their sheets, their deferred contacts, no warnings meant for the head).

    The policy's ``[privacy]`` applies unless ``head_copy`` (the head's own copy). Returns the cells written."""
    return write_workbook(
        target,
        **_book_args(handout),
        staff=list(staff) if staff is not None else None,
        warnings=list(handout.warnings) if staff is None else [],
        head_copy=head_copy,
    )


def _book_args(handout: Handout) -> dict[str, object]:
    """What every workbook of a published plan is written from (the whole book, one person's, the zip)."""
    return {
        "seg": handout.seg,
        "assignment": handout.assignment,
        "plan": handout.plan,
        "workload": handout.workload,
        "policy": handout.policy,
        "as_of": handout.as_of,
        "maturity_items": handout.items,
        "outlet": handout.outlet,
        "month": handout.month,
        "deferred": handout.deferred,
    }


def handout_bytes(handout: Handout, *, staff: Sequence[str] | None = None, head_copy: bool = False) -> bytes:
    """:func:`write_handout` into memory."""
    buffer = io.BytesIO()
    write_handout(buffer, handout, staff=staff, head_copy=head_copy)
    return buffer.getvalue()


def handout_zip(handout: Handout) -> bytes:
    """One book per person (``<name>.xlsx``), each byte for byte the book :func:`write_handout` writes for that
    person alone (what they download on 我的客户; a test holds the two together). The customer lists are
    built once for everyone (``core.export.staff_workbooks_zip``), not once a person; the entries are dated
    alike so the same plan gives the same zip."""
    made = staff_workbooks_zip(**_book_args(handout))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(made)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive,
    ):
        for entry in source.infolist():
            archive.writestr(zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME), source.read(entry))
    return out.getvalue()
