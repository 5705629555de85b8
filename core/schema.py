"""One definition per row: the columns and dtypes of a plan row, a contact row and a snapshot customer row.

Frames in core use these names. The storage renames only at its boundary (``PLAN_STORED_AS``: frame column ->
table column) and gives rows back with these dtypes (``core.storage.bulk.typed``). Text of a plan row is
``object`` (None where missing), as ``build_plan`` makes it; text of a snapshot row is ``string``, as ingest does.

- a plan row (``core.plan.build_plan``): one contact a staff member owes; stored with ``required_count`` and the
  cadence's ``period_kind`` (week, month, quarter) so later policy edits do not change what was owed;
- a contact row (``core.compliance.logs``, ``core.storage.contacts``): one logged contact;
- a snapshot customer row (``core.ingest.read_customers``, ``core.storage.snapshots``): one customer of an export;
- a maturity item row (``core.maturity``, ``core.storage.snapshots``): one notice of a deposit coming due;
- the frames of a published plan (``HANDOUT_FRAMES``, ``core.handout``, ``core.storage.handouts``): stored whole,
  every column with its dtype, so a column the planner adds later survives storage without a migration.
"""

from __future__ import annotations

PLAN_ROW: dict[str, str] = {
    "staff": "object",
    "customer_id": "object",
    "name": "object",
    "tier": "object",
    "channel": "object",
    "kind": "object",
    "due_date": "datetime64[us]",
    "offset": "Int64",
    "product": "object",
    "amount": "float64",
    "maturity_date": "datetime64[us]",
}
STORED_PLAN_ROW: dict[str, str] = {
    **{c: d for c, d in PLAN_ROW.items() if c not in ("product", "amount", "maturity_date")},
    "required_count": "Int64",
    "period_kind": "object",
    "product": "object",
    "amount": "float64",
    "maturity_date": "datetime64[us]",
}
PLAN_STORED_AS: dict[str, str] = {"staff": "staff_name", "offset": "reminder_offset"}

# A contact the month could not hold (``core.schedule``): who, what (channel and kind: cadence, reminder_731,
# birthday, winback), the day it was planned for (``due_date``, kept as the original date when it comes back next
# month), its person, the maturing amount for a reminder (NaN otherwise), its value in 元 (``core.value``) and
# the reason in words a head understands.
DEFERRED_ROW: dict[str, str] = {
    "customer_id": "object",
    "name": "object",
    "tier": "object",
    "channel": "object",
    "kind": "object",
    "due_date": "datetime64[us]",
    "staff": "object",
    "amount": "float64",
    "value": "float64",
    "reason": "object",
}

CONTACT_ROW: dict[str, str] = {
    "contact_date": "datetime64[us]",
    "staff_name": "string",
    "customer_id": "string",
    "name": "string",
    "channel": "string",
    "result": "string",
    "note": "object",  # free text, None when blank
}

SNAPSHOT_ROW: dict[str, str] = {
    "customer_id": "string",
    "name": "string",
    "phone": "string",
    "outlet": "string",
    "assets": "float64",
    "maturity_date": "datetime64[us]",
    "birthday": "datetime64[us]",
    "manager": "string",
    "familiarity": "Int64",
    "source_row": "int64",
    "accounts": "int64",
}

MATURITY_ROW: dict[str, str] = {
    "customer_id": "string",
    "name": "string",
    "product": "string",
    "amount": "float64",
    "maturity_date": "datetime64[us]",
    "outlet": "string",
    "matched": "boolean",
    "source_row": "Int64",
    "file": "string",
}

# What a published plan keeps (core.handout.Handout), each frame as the planner made it: the workbooks handed to
# staff are written from exactly these. Deferred contacts are their own frame, never rows of the plan.
HANDOUT_FRAMES: dict[str, str] = {
    "seg": "the snapshot's customers as segmented under the published policy (core.segment.segment)",
    "assignment": "who looks after whom: customer_id, staff, role, reason (core.assign.Assignment.table)",
    "plan": "the month's contacts: PLAN_ROW with the planner's notes (补提醒, covers both) and any later column",
    "deferred": "contacts that did not fit, in the policy's order (core.schedule DEFERRED_COLUMNS)",
    "workload": "each person's load against capacity (core.workload)",
    "items": "the maturity notices' items (MATURITY_ROW); absent when the export came without notices",
}


def stored_name(column: str) -> str:
    """The table column a plan frame column is stored in."""
    return PLAN_STORED_AS.get(column, column)
