"""Import an export: the customer export and its maturity notices, stored as one snapshot of an outlet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine

from core.ingest import IngestResult, Rejection
from core.maturity import MaturityMerge, MaturityResult, combine_maturities, merge_maturities
from core.roles import MANAGERS, Actor
from core.services.access import require, require_writable
from core.services.uow import unit_of_work
from core.storage.settings import save_setting
from core.storage.snapshots import import_snapshot


@dataclass(frozen=True)
class ExportRead:
    """An export as read and its notices folded in: what the head reviews before it is stored."""

    result: IngestResult
    notices: tuple[MaturityResult, ...]
    merge: MaturityMerge | None
    as_of: dt.date

    @property
    def customers(self) -> pd.DataFrame:
        """The customers with the notices' maturities merged in (what segmentation and previews read)."""
        return self.merge.customers if self.merge is not None else self.result.customers

    @property
    def items(self) -> pd.DataFrame | None:
        """Every notice item, flagged matched or not; None without notices."""
        return self.merge.items if self.merge is not None else None

    @property
    def maturity_rejections(self) -> list[Rejection]:
        return [r for n in self.notices for r in n.rejections]

    def notice_files(self) -> list[dict] | None:
        """What the snapshot records of each notice file."""
        if not self.notices:
            return None
        items = self.items
        return [
            {
                "file": n.file_name,
                "sha256": n.sha256,
                "rows_read": n.rows_read,
                "items": int((items["file"] == n.file_name).sum()) if items is not None else 0,
                "rows_rejected": len(n.rejections),
            }
            for n in self.notices
        ]


def read_export(result: IngestResult, notices: Sequence[MaturityResult], as_of: dt.date) -> ExportRead:
    """Fold the notices' items into the export's customers (nothing stored)."""
    notices = tuple(notices)
    merge = merge_maturities(result.customers, combine_maturities(notices), as_of=as_of) if notices else None
    return ExportRead(result=result, notices=notices, merge=merge, as_of=as_of)


def import_export(
    engine: Engine, actor: Actor, outlet: str, export: ExportRead, *, replace: bool = False
) -> int:
    """Store ``export`` as the outlet's snapshot of its as-of date, whole or not at all; returns its id.

    The export is stored as read and the notice items beside it (they are merged again when loaded), so a
    snapshot always shows the export's own maturity dates next to the notices'.
    """
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    with unit_of_work(engine) as conn:
        return store_export(conn, actor, outlet, export, replace=replace)


def store_export(
    conn: Connection, actor: Actor, outlet: str, export: ExportRead, *, replace: bool = False
) -> int:
    """:func:`import_export` inside the caller's unit of work (publishing imports the export it plans from)."""
    return import_snapshot(
        conn,
        export.result,
        outlet=outlet,
        as_of=export.as_of,
        user=actor.username,
        replace=replace,
        maturities=export.items,
        maturity_files=export.notice_files(),
        maturity_rejections=export.maturity_rejections,
    )


MAPPING_KEY = "column_mapping"


def remember_mapping(engine: Engine, actor: Actor, outlet: str, mapping: dict[str, str]) -> None:
    """Keep the column mapping the head confirmed for the outlet's next export."""
    remember_setting(engine, actor, outlet, MAPPING_KEY, mapping)


def remember_setting(engine: Engine, actor: Actor, outlet: str, key: str, value: dict) -> None:
    """Keep one of the outlet's settings (``key``: the column mapping, the demo's marker), audit-logged."""
    require(actor, MANAGERS, outlet)
    require_writable(actor, outlet)
    with unit_of_work(engine) as conn:
        save_setting(conn, outlet, key, dict(value), user=actor.username)
