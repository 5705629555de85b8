"""数据导入: the asset export (and maturity notices) in, the column mapping and validation report shown, a snapshot saved."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from core import services
from core.csvsafe import csv_bytes
from core.errors import ConsoleError
from core.ingest import CANONICAL
from core.ingest.export_date import ExportDate
from core.maturity import MaturityResult
from core.segment import quick_counts
from ui import data
from ui.context import MANAGERS, Ctx, read_only_notice, require_outlet, require_role
from ui.downloads import download
from ui.fmt import AMOUNT, COUNT, DATE, TEXT, count, yuan
from ui.snapshot_admin import snapshot_console
from ui.tables import show_table
from ui.text import plain

TYPES = ["csv", "xlsx", "xls"]
AUTO = ""  # selectbox value: let the synonym table decide


def render(ctx: Ctx) -> None:
    require_role(ctx, MANAGERS)
    outlet = require_outlet(ctx)
    st.title(ctx.t("ui.page.upload"))
    st.caption(ctx.t("ui.upload.intro", outlet=outlet))
    left, right = st.columns(2, gap="large")
    date_box = left.container()  # drawn above the uploader, filled once the file's own date is known
    upload = left.file_uploader(ctx.t("ui.upload.file"), type=TYPES, key="up_file")
    notices = right.file_uploader(
        ctx.t("ui.upload.maturities"), type=TYPES, accept_multiple_files=True, key="up_maturities"
    )
    if upload is None:
        date_input(ctx, date_box, None)
        st.info(ctx.t("ui.upload.waiting"))
        imported(ctx, outlet)
        return
    payload = upload.getvalue()
    digest = hashlib.sha256(payload).hexdigest()
    with st.spinner(ctx.t("ui.upload.reading", file=plain(upload.name))):
        try:
            headers, sheets = data.file_headers(digest, upload.name, None, payload)
        except ConsoleError as exc:
            date_input(ctx, date_box, None)
            st.error(plain(exc.text(ctx.lang)))
            st.stop()
    sheet = None
    if len(sheets) > 1:
        sheet = st.selectbox(ctx.t("ui.upload.sheet"), sheets, key=f"up_sheet_{digest[:12]}")
        headers, _ = data.file_headers(digest, upload.name, sheet, payload)
    found = data.upload_export_date(digest, upload.name, sheet, payload)
    as_of = date_input(ctx, date_box, found, digest)
    remembered = {f: h for f, h in data.remembered_mapping(ctx.engine, outlet).items() if h in headers}
    explicit = chosen_mapping(digest, headers, remembered)
    error = None
    with st.spinner(ctx.t("progress.upload.parsing", file=plain(upload.name))):
        try:
            result = data.parse_customers(
                digest, upload.name, as_of, tuple(sorted(explicit.items())), sheet, payload
            )
        except ConsoleError as exc:
            error, result = exc.text(ctx.lang), None
    if error:
        st.error(plain(error))
    mapping_editor(
        ctx, digest, headers, explicit, result.mapping if result else {}, expanded=error is not None
    )
    if result is None:
        st.stop()

    notices_read = read_notices(ctx, notices)
    export = services.read_export(result, notices_read, as_of)
    if export.merge is not None:
        st.caption(ctx.t("ui.upload.unmatched", n=count(len(export.merge.unmatched))))
    report(ctx, result, export.maturity_rejections)
    preview(ctx, outlet, export)
    confirmed = outlet_check(ctx, outlet, export.customers)
    save(ctx, outlet, export, explicit, remembered, confirmed=confirmed)


def date_input(ctx: Ctx, box, found: ExportDate | None, digest: str | None = None) -> dt.date:
    """数据日期: today until a file is chosen; then the file's own 导出日期 (title row or file name), set once per
    file and shown for confirmation, which the head may still change."""
    if digest is not None and st.session_state.get("up_as_of_file") != digest:
        st.session_state["up_as_of_file"] = digest
        if found is not None:
            st.session_state["up_as_of"] = found.day
    st.session_state.setdefault("up_as_of", ctx.today)
    as_of = box.date_input(ctx.t("ui.upload.as_of"), key="up_as_of", format="YYYY-MM-DD")
    if digest is None:
        return as_of
    if found is None:
        box.caption(ctx.t("ui.upload.date_none"))
    elif found.day == as_of:
        where = ctx.t(f"ui.upload.date_in_{found.source}", text=found.text)
        box.caption(ctx.t("ui.upload.date_found", day=found.day, where=where))
    else:
        box.warning(ctx.t("ui.upload.date_differs", day=found.day, as_of=as_of))
    return as_of


def chosen_mapping(digest: str, headers: list[str], remembered: dict[str, str]) -> dict[str, str]:
    """The outlet's remembered mapping overridden by what the user picked for this file (auto = left out)."""
    out = dict(remembered)
    for field in CANONICAL:
        key = f"up_map_{digest[:12]}_{field}"
        if key not in st.session_state:
            continue
        value = st.session_state[key]
        if value and value in headers:
            out[field] = value
        else:
            out.pop(field, None)
    return out


def mapping_editor(
    ctx: Ctx,
    digest: str,
    headers: list[str],
    explicit: dict[str, str],
    detected: dict[str, str],
    *,
    expanded: bool,
) -> None:
    """Detected headers per field; a selectbox per field overrides them (remembered for the outlet on save)."""
    with st.expander(ctx.t("ui.upload.mapping"), expanded=expanded):
        st.caption(ctx.t("ui.upload.mapping_help"))
        options = [AUTO, *headers]
        columns = st.columns(3)
        for i, field in enumerate(CANONICAL):
            current = explicit.get(field, AUTO)
            key = f"up_map_{digest[:12]}_{field}"
            if key not in st.session_state:
                st.session_state[key] = current if current in options else AUTO
            columns[i % 3].selectbox(
                ctx.t(f"ingest.field.{field}"),
                options,
                format_func=lambda h, f=field: h or ctx.t("ui.upload.auto", header=detected.get(f) or "—"),
                key=key,
            )


def read_notices(ctx: Ctx, notices: list) -> list[MaturityResult]:
    if not notices:
        return []
    results = []
    for notice in notices:
        body = notice.getvalue()
        try:
            results.append(data.parse_maturities(hashlib.sha256(body).hexdigest(), notice.name, body))
        except ConsoleError as exc:
            st.error(plain(exc.text(ctx.lang)))
            st.stop()
    rejections = [r for res in results for r in res.rejections]
    st.caption(
        ctx.t(
            "ui.upload.maturities_read",
            files=len(results),
            items=count(sum(len(r.items) for r in results)),
            rejected=count(len(rejections)),
        )
    )
    return results


def rejection_frame(ctx: Ctx, rejections: list) -> pd.DataFrame:
    return pd.DataFrame(
        {
            ctx.t("ui.col.file"): [r.file for r in rejections],
            ctx.t("ui.col.row"): [r.row for r in rejections],
            ctx.t("ui.col.column"): [r.column for r in rejections],
            ctx.t("ui.col.reason"): [r.reason for r in rejections],
        }
    )


def report(ctx: Ctx, result, maturity_rejections: list) -> None:
    """The validation report: what was read, what was rejected and why (downloadable)."""
    st.subheader(ctx.t("ui.upload.report"))
    c = st.columns(4)
    c[0].metric(ctx.t("ui.upload.rows_read"), count(result.rows_read))
    c[1].metric(ctx.t("ui.upload.rows_rejected"), count(len(result.rejections)))
    c[2].metric(ctx.t("ui.upload.customers"), count(len(result.customers)))
    c[3].metric(ctx.t("ui.upload.warnings"), count(len(result.warnings)))
    if result.total_rows:
        st.caption(ctx.t("ui.upload.total_rows", rows="、".join(str(r) for r in result.total_rows)))
    rejected = rejection_frame(ctx, list(result.rejections) + list(maturity_rejections))
    if len(rejected):
        st.warning(ctx.t("ui.upload.rejected_note", n=count(len(rejected))))
        show_table(rejected, {ctx.t("ui.col.row"): TEXT}, height=240)
        download(
            st,
            ctx,
            ctx.t("ui.upload.download_rejected"),
            csv_bytes(rejected),
            file_name=f"{result.file_name}-被拒绝的行.csv",
            mime="text/csv",
            key="up_dl_rejected",
            kind="rejected_rows",
            outlet=ctx.outlet,
            rows=len(rejected),
            masked=False,
        )
    if result.warnings:
        with st.expander(ctx.t("ui.upload.warnings_list", n=count(len(result.warnings)))):
            warned = rejection_frame(ctx, result.warnings)
            show_table(warned, {ctx.t("ui.col.row"): TEXT}, height=240)
            download(
                st,
                ctx,
                ctx.t("ui.upload.download_warnings"),
                csv_bytes(warned),
                file_name=f"{result.file_name}-提示.csv",
                mime="text/csv",
                key="up_dl_warnings",
                kind="warning_rows",
                outlet=ctx.outlet,
                rows=len(warned),
                masked=False,
            )


def preview(ctx: Ctx, outlet: str, export: services.ExportRead) -> None:
    """Tier counts under the active policy, so the head sees what the file holds before saving it."""
    policy, label = data.active_policy(ctx.engine, outlet, ctx.lang)
    items = export.items
    counts = quick_counts(export.customers["assets"].to_numpy(dtype="float64"), policy)
    st.subheader(ctx.t("ui.upload.preview", policy=label))
    for column, tier, n, assets in zip(
        st.columns(len(policy.tiers)), policy.tier_codes, counts.tier_count, counts.tier_assets, strict=True
    ):
        column.metric(
            ctx.t(f"tier.{tier}"), count(n), delta=yuan(assets), delta_color="off", delta_arrow="off"
        )
    if items is not None:
        st.caption(ctx.t("ui.upload.items_preview", items=count(len(items))))
    st.caption(ctx.t("ui.upload.first_rows"))
    show_table(*preview_frame(ctx, export.customers.head(200)), height=260)


PREVIEW_FIELDS = {
    "source_row": ("ui.col.row", TEXT),
    "customer_id": ("ingest.field.customer_id", None),
    "name": ("ingest.field.name", None),
    "phone": ("ingest.field.phone", None),
    "outlet": ("ingest.field.outlet", None),
    "assets": ("export.col.assets", AMOUNT),
    "accounts": ("ui.col.accounts", COUNT),
    "maturity_date": ("ingest.field.maturity_date", DATE),
    "birthday": ("ingest.field.birthday", DATE),
    "manager": ("ingest.field.manager", None),
    "familiarity": ("ingest.field.familiarity", None),
}


def preview_frame(ctx: Ctx, customers: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The parsed customers as the export's own fields (Chinese headings) and their formats; internals left out."""
    present = [c for c in PREVIEW_FIELDS if c in customers.columns]
    frame = customers[present].rename(columns={c: ctx.t(PREVIEW_FIELDS[c][0]) for c in present})
    kinds = {ctx.t(key): kind for c, (key, kind) in PREVIEW_FIELDS.items() if c in present and kind}
    return frame, kinds


def outlets_in(customers: pd.DataFrame) -> pd.Series:
    """Customers per 所属网点 value in the file (most first); empty when the file has no outlet column."""
    if "outlet" not in customers.columns:
        return pd.Series(dtype="int64")
    return customers["outlet"].astype("string").str.strip().dropna().loc[lambda s: s != ""].value_counts()


def outlet_check(ctx: Ctx, outlet: str, customers: pd.DataFrame) -> bool:
    """Warn when the file's 所属网点 are not this outlet; saving then needs an explicit confirmation."""
    found = outlets_in(customers)
    if found.empty:
        return True
    listed = "、".join(ctx.t("ui.upload.outlet_count", outlet=plain(o), n=count(n)) for o, n in found.items())
    if outlet.strip() in found.index:
        if len(found) > 1:
            st.info(listed)
        return True
    st.warning(ctx.t("ui.upload.other_outlet", found=listed, outlet=plain(outlet)))
    return st.checkbox(ctx.t("ui.upload.confirm_outlet", outlet=plain(outlet)), key="up_other_outlet_ok")


def save(
    ctx: Ctx,
    outlet: str,
    export: services.ExportRead,
    explicit: dict[str, str],
    remembered: dict[str, str],
    *,
    confirmed: bool = True,
) -> None:
    st.subheader(ctx.t("ui.upload.save_title"))
    read_only = read_only_notice(ctx)
    replace = st.checkbox(ctx.t("ui.upload.replace"), key="up_replace", disabled=read_only)
    if not st.button(
        ctx.t("ui.upload.save"), type="primary", key="up_save", disabled=not confirmed or read_only
    ):
        return
    refused = None
    with st.status(
        ctx.t("progress.upload.saving", customers=count(len(export.customers))), expanded=False
    ) as box:
        try:
            snapshot_id = services.import_export(ctx.engine, ctx.actor, outlet, export, replace=replace)
        except ConsoleError as exc:
            refused = exc.text(ctx.lang)
            box.update(label=ctx.t("progress.upload.failed"), state="error")
        else:
            box.update(
                label=ctx.t("progress.upload.saved", customers=count(len(export.customers))), state="complete"
            )
    if refused is not None:  # the reason in the message itself, not inside the collapsed box
        st.error(ctx.t("ui.upload.refused", reason=plain(refused)))
        st.stop()
    if explicit != remembered:
        services.remember_mapping(ctx.engine, ctx.actor, outlet, explicit)
    st.success(
        ctx.t("ui.upload.saved", id=snapshot_id, customers=count(len(export.customers)), as_of=export.as_of)
    )


def imported(ctx: Ctx, outlet: str) -> None:
    """The exports imported so far (newest first), so the page shows where the outlet stands before a new file."""
    snaps = data.snapshots(ctx.engine, outlet)
    if not snaps:
        return
    st.subheader(ctx.t("guide.imported"))
    show_table(
        pd.DataFrame(
            {
                ctx.t("ui.upload.as_of"): [s.as_of for s in snaps],
                ctx.t("guide.imported_file"): [s.file_name or "—" for s in snaps],
                ctx.t("guide.imported_rows"): [s.rows_read for s in snaps],
                ctx.t("guide.imported_rejected"): [s.rows_rejected for s in snaps],
            }
        ),
        {
            ctx.t("guide.imported_rows"): COUNT,
            ctx.t("guide.imported_rejected"): COUNT,
            ctx.t("ui.upload.as_of"): DATE,
        },
    )
    snapshot_console(ctx, outlet)
