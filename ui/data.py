"""Cache at the boundary: the engine once per process, parsed uploads by file hash, segmentations by policy,
and cached reads around the services (a month's plan bundle, a comparison, a period's compliance).

Nothing here writes: every write a page starts is a call to ``core.services``. Cached functions that check a
role (comparison, compliance) take the actor as part of their key, so a cached answer is never another
user's. Cached functions depend only on their arguments. Underscored arguments are not hashed: each such call also
takes a cheap key (file digest, database URL, snapshot id, policy fingerprint) that identifies them.
Callers never mutate what these return.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from core import services
from core.handout import Handout
from core.history import Comparison
from core.i18n import t
from core.ingest import SYNONYMS, IngestResult, RawTable, read_table
from core.ingest.customers import customers_from_raw
from core.ingest.export_date import ExportDate, export_date
from core.ingest.mapping import hint_words
from core.maturity import MaturityResult, read_maturities
from core.policy import Policy
from core.roles import Actor
from core.roster import Roster
from core.segment import segment
from core.services.plans import OutletRecords, outlet_records
from core.services.reads import (
    active_policy_version,
    contacts_version,
    list_outlets,
    list_snapshots,
    load_customers_with_maturities,
    load_maturities,
    load_setting,
    load_staff,
    open_database,
)
from ui.upload_cache import upload_cache


@st.cache_resource(show_spinner=False)
def _engine_for(url: str | None) -> Engine:
    return open_database(url)


def get_engine() -> Engine:
    """The shared engine for ``DATABASE_URL`` (or the default SQLite file), schema ensured once."""
    return _engine_for(os.environ.get("DATABASE_URL") or None)


def db_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def parse_customers(
    digest: str,
    file_name: str,
    as_of: dt.date,
    mapping: tuple[tuple[str, str], ...],
    sheet: str | None,
    _data: bytes,
) -> IngestResult:
    """The upload read once per (file hash, as-of date, column mapping, sheet), from the table read once per file."""

    def make() -> IngestResult:
        raw = upload_table(digest, file_name, sheet, _data)
        if not {h for _, h in mapping} <= set(raw.headers):  # a mapped header may sit on another header row
            raw = read_table(
                _data, file_name=file_name, sheet=sheet, header_hints=hint_words(SYNONYMS, dict(mapping))
            )
        return customers_from_raw(raw, as_of=as_of, columns=dict(mapping) or None)

    return upload_cache().get_or_make(("customers", digest, file_name, as_of, mapping, sheet), make)


@st.cache_data(show_spinner=False, max_entries=16)
def snapshot_customers(db: str, snapshot_id: int, _engine: Engine) -> pd.DataFrame:
    """A stored snapshot's customers, its maturity notices merged in."""
    return load_customers_with_maturities(_engine, snapshot_id)


@st.cache_data(show_spinner=False, max_entries=16)
def segmented(
    db: str, snapshot_id: int, fingerprint: str, as_of: dt.date, _engine: Engine, _policy: Policy
) -> pd.DataFrame:
    """A stored snapshot placed under a policy; keyed on (database, snapshot, policy fingerprint, as-of)."""
    return segment(snapshot_customers(db, snapshot_id, _engine), _policy, as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def snapshot_assets(db: str, snapshot_id: int, _engine: Engine) -> np.ndarray:
    """The what-if hot path's only input: the assets column as one float64 array."""
    return snapshot_customers(db, snapshot_id, _engine)["assets"].to_numpy(dtype=np.float64)


# --------------------------------------------------------------------------------------- reads of stored data


@dataclass(frozen=True)
class SnapInfo:
    """One stored snapshot as the pages list it."""

    id: int
    outlet: str
    as_of: dt.date
    file_name: str | None
    rows_read: int
    rows_rejected: int
    customers: int
    created_by: str
    created_at: dt.datetime

    def label(self) -> str:
        return f"{self.as_of:%Y-%m-%d} · {self.file_name or '—'} · #{self.id}"


def known_outlets(engine: Engine) -> list[str]:
    return list_outlets(engine)


def snapshots(engine: Engine, outlet: str) -> list[SnapInfo]:
    """The outlet's snapshots, newest as-of date first."""
    infos = [
        SnapInfo(
            id=r["id"],
            outlet=r["outlet"],
            as_of=dt.date.fromisoformat(r["as_of"]),
            file_name=r["file_name"],
            rows_read=r["rows_read"],
            rows_rejected=r["rows_rejected"],
            customers=r["customers"],
            created_by=r["created_by"],
            created_at=dt.datetime.fromisoformat(r["created_at"]),
        )
        for r in list_snapshots(engine, outlet=outlet)
    ]
    return sorted(infos, key=lambda info: (info.as_of, info.id), reverse=True)


def latest_snapshot(engine: Engine, outlet: str) -> SnapInfo | None:
    found = snapshots(engine, outlet)
    return found[0] if found else None


def snapshot_segmented(engine: Engine, snap: SnapInfo, policy: Policy) -> pd.DataFrame:
    return segmented(db_key(engine), snap.id, policy.fingerprint(), snap.as_of, engine, policy)


def active_policy(engine: Engine, outlet: str | None, lang: str = "zh") -> tuple[Policy, str]:
    """The outlet's active policy version (else the branch-wide one, else the defaults) and its label."""
    policy, version = active_policy_version(engine, outlet)
    if version is None:
        return policy, t("ui.policy.default", lang)
    return policy, t("ui.policy.version", lang, version=version)


def roster_frame(engine: Engine, outlet: str, policy: Policy) -> pd.DataFrame | None:
    """The outlet's active staff (name, role, outlet, capacity_per_week; blank = the role's policy default)."""
    frame = load_staff(engine, outlet)
    if frame.empty:
        return None
    return frame


def remembered_mapping(engine: Engine, outlet: str) -> dict[str, str]:
    """The column mapping last confirmed for the outlet."""
    value = load_setting(engine, outlet, services.imports.MAPPING_KEY) or {}
    return {str(k): str(v) for k, v in value.items()}


# ------------------------------------------------------------------------------------------- parsing uploads


def upload_table(digest: str, file_name: str, sheet: str | None, _data: bytes) -> RawTable:
    """An upload read once (checked against the input limits first), kept within the upload cache's memory budget."""
    hints = hint_words(SYNONYMS, None)
    return upload_cache().get_or_make(
        ("table", digest, file_name, sheet),
        lambda: read_table(_data, file_name=file_name, sheet=sheet, header_hints=hints),
    )


def file_headers(digest: str, file_name: str, sheet: str | None, _data: bytes) -> tuple[list[str], list[str]]:
    """(headers, sheet names) of an upload, for the mapping editor."""
    raw = upload_table(digest, file_name, sheet, _data)
    return raw.headers, list(raw.sheets)


def upload_export_date(digest: str, file_name: str, sheet: str | None, _data: bytes) -> ExportDate | None:
    """The export's own date (导出日期 line, title row or file name) of an upload, from the table read once."""
    raw = upload_table(digest, file_name, sheet, _data)
    return export_date(raw.titles, file_name)


@st.cache_data(show_spinner=False, max_entries=16)
def parse_maturities(digest: str, file_name: str, _data: bytes) -> MaturityResult:
    return read_maturities(_data, file_name=file_name)


# ------------------------------------------------------------------------------- assignment, plan, workload


@st.cache_data(show_spinner=False, max_entries=16)
def snapshot_maturities(db: str, snapshot_id: int, _engine: Engine) -> pd.DataFrame | None:
    items = load_maturities(_engine, snapshot_id)
    return items if len(items) else None


def roster_key(roster: pd.DataFrame) -> str:
    return hashlib.sha256(roster.to_csv(index=False).encode("utf-8")).hexdigest()[:16]


@st.cache_data(show_spinner=False, max_entries=8)
def _plan_bundle(
    db: str,
    snapshot_id: int,
    fingerprint: str,
    roster_hash: str,
    month: str,
    as_of: dt.date,
    outlet: str,
    log_version: int,
    stored_version: int,
    _engine: Engine,
    _policy: Policy,
    _roster: Roster,
) -> services.PlanBundle:
    seg = segmented(db, snapshot_id, fingerprint, as_of, _engine, _policy)
    items = snapshot_maturities(db, snapshot_id, _engine)
    records = _outlet_records(db, outlet, month, as_of, log_version, stored_version, _engine)
    return services.plan_bundle(seg, _roster, _policy, month, as_of, items, records=records)


@st.cache_data(show_spinner=False, max_entries=4)
def _outlet_records(
    db: str, outlet: str, month: str, as_of: dt.date, log_version: int, stored_version: int, _engine: Engine
) -> OutletRecords:
    """What the outlet's storage tells a month's plan, read once for every policy the what-if tries."""
    return outlet_records(_engine, outlet, month, as_of)


def plan_bundle(
    engine: Engine, snap: SnapInfo, policy: Policy, roster: Roster, month: str
) -> services.PlanBundle:
    return _plan_bundle(
        db_key(engine),
        snap.id,
        policy.fingerprint(),
        roster_key(roster.staff),
        month,
        snap.as_of,
        snap.outlet,
        contacts_version(engine, snap.outlet),  # the log's quarterly duties and 熟识程度 feed the plan
        services.data_version(engine),  # last month's published deferrals and the snapshots' outflow too
        engine,
        policy,
        roster,
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _comparison(
    db: str,
    actor: Actor,
    outlet: str,
    before_id: int,
    after_id: int,
    fingerprint: str,
    _engine: Engine,
    _policy: Policy,
) -> Comparison:
    return services.compare_snapshots(_engine, actor, outlet, before_id, after_id, _policy)


def comparison(engine: Engine, actor: Actor, before: SnapInfo, after: SnapInfo, policy: Policy) -> Comparison:
    """The two snapshots compared (services.compare_snapshots), keyed on who asks: the role check is kept."""
    return _comparison(
        db_key(engine), actor, after.outlet, before.id, after.id, policy.fingerprint(), engine, policy
    )


# ------------------------------------------------------------------------------------------------- compliance


@st.cache_data(show_spinner=False, max_entries=16)
def _compliance(
    db: str,
    actor: Actor,
    outlet: str,
    period: str,
    as_of: dt.date,
    fingerprint: str,
    version: int,
    trend_months: tuple[str, ...],
    _engine: Engine,
    _policy: Policy,
) -> services.ComplianceFigures:
    return services.period_compliance(
        _engine, actor, outlet, period, policy=_policy, as_of=as_of, trend_months=trend_months
    )


def compliance_figures(
    engine: Engine,
    actor: Actor,
    outlet: str,
    period: str,
    policy: Policy,
    as_of: dt.date,
    trend_months: tuple[str, ...],
) -> services.ComplianceFigures:
    """services.period_compliance, keyed on the outlet's contact data version so any change recomputes."""
    version = contacts_version(engine, outlet)
    return _compliance(
        db_key(engine),
        actor,
        outlet,
        period,
        as_of,
        policy.fingerprint(),
        version,
        trend_months,
        engine,
        policy,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _current_compliance(
    db: str, actor: Actor, outlet: str, as_of: dt.date, fingerprint: str, version: int, _engine, _policy
):
    return services.current_compliance(_engine, actor, outlet, policy=_policy, as_of=as_of)


def current_compliance(
    engine: Engine, actor: Actor, outlet: str, policy: Policy, as_of: dt.date
) -> services.MonthCompliance | None:
    """services.current_compliance, keyed like :func:`compliance_figures` (any contact or plan change recomputes)."""
    version = contacts_version(engine, outlet)
    return _current_compliance(
        db_key(engine), actor, outlet, as_of, policy.fingerprint(), version, engine, policy
    )


# -------------------------------------------------------------------------------------------- published plans


@st.cache_data(show_spinner=False, max_entries=8)
def _published_handout(
    db: str, actor: Actor, outlet: str, period: str, snapshot_id: int, version: int, _engine: Engine
) -> Handout | None:
    return services.published_handout(_engine, actor, outlet, period, snapshot_id=snapshot_id)


def published_handout(
    engine: Engine, actor: Actor, outlet: str, period: str, snapshot_id: int
) -> Handout | None:
    """services.published_handout, keyed on who asks and the outlet's audit version (a new publish moves it)."""
    version = contacts_version(engine, outlet)
    return _published_handout(db_key(engine), actor, outlet, period, snapshot_id, version, engine)
