"""The staff workbook (``write_workbook``, one person's sheets or everyone's) and the head's tier lists
(``write_segment_lists``): the sheets of this package in their order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.assign import Assignment
from core.calendar import parse_month, with_statutory_calendar
from core.export.calls import CALL_SPECS, FAMILIARITY_LEVELS, _call_lookup, _call_rows, _log_rows
from core.export.catalog import write_catalog
from core.export.common import CATALOG, LOG_PREFIX, MATURING, NEAR, OVERVIEW, Target, _h, _header_safe
from core.export.customers import _Lists, _lists, customer_columns, person_columns
from core.export.deferred import write_deferred_sheet
from core.export.maturity import maturity_columns, near_columns
from core.export.overview import _footer, _overview
from core.export.privacy import _privacy
from core.export.sms import write_sms_sheet
from core.i18n import t
from core.plan import batch_sms
from core.policy import Policy
from core.xlsx import Validation, gc_paused, new_workbook, write_form, write_sheet


def write_workbook(
    path_or_buffer: Target,
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
    staff: Sequence[str] | None = None,
    warnings: Sequence[str] | None = None,
    deferred: pd.DataFrame | None = None,
    head_copy: bool = False,
) -> int:
    """The staff workbook (see the module docstring); returns the number of cells written.
    With ``deferred`` (``core.schedule``) the book ends with the 延后联络 sheet.

    ``staff`` limits it to some people (one-person books); ``month`` labels the plan (default: the as-of
    month); ``warnings`` (shown on 总览) default to the assignment's. The ``[privacy]`` rules of the policy
    apply unless ``head_copy`` (the branch head's own copy keeps mobiles and balances)."""
    mask, hide = _privacy(policy, head_copy)
    dated = _with_calendar(policy, as_of, month)  # the 731 dates as the plan has them
    lists = _lists(seg, assignment, plan, dated, as_of, maturity_items, mask=mask, hide_assets=hide)
    with gc_paused():
        return _write_staff_book(
            path_or_buffer,
            lists=lists,
            plan=plan,
            load=workload,
            policy=policy,
            as_of=as_of,
            outlet=outlet,
            month=month or f"{as_of:%Y-%m}",
            staff=list(staff) if staff is not None else None,
            warnings=list(assignment.warnings if warnings is None else warnings),
            deferred=deferred,
            hide_assets=hide,
        )


def _with_calendar(policy: Policy, as_of: dt.date, month: str | None) -> Policy:
    """The policy with the statutory calendar of the plan's years, as ``core.schedule.plan_month`` plans with it:
    the 731 dates on 到期客户 are the plan's."""
    years = {as_of.year, parse_month(month)[0] if month else as_of.year}
    return with_statutory_calendar(policy, sorted(years))[0]


def _write_staff_book(
    target: Target,
    *,
    lists: _Lists,
    plan: pd.DataFrame,
    load: pd.DataFrame,
    policy: Policy,
    as_of: dt.date,
    outlet: str | None,
    month: str,
    staff: list[str] | None,
    warnings: list[str],
    deferred: pd.DataFrame | None = None,
    hide_assets: bool = False,
) -> int:
    everyone = staff is None
    staff = load["staff"].tolist() if staff is None else staff
    book = new_workbook(target)
    book.console_names.update(
        [OVERVIEW, NEAR, MATURING, CATALOG]
    )  # fixed sheets win a name clash with a person
    try:
        wanted = set(staff)
        load = load.loc[load["staff"].isin(wanted)].reset_index(drop=True)
        overview, columns = _overview(load, lists, policy, hide_assets=hide_assets)
        unmatched = int((~lists.items["matched"].astype(bool)).sum()) if len(lists.items) else 0
        book.console_names.discard(OVERVIEW)
        title = t(
            "export.title", outlet=f"{outlet} " if outlet else "", month=month, as_of=f"{as_of:%Y-%m-%d}"
        )
        write_sheet(
            book,
            OVERVIEW,
            overview,
            columns=columns,
            title=title,
            footer=_footer(policy, as_of, month, outlet, load, warnings, unmatched),
        )
        cust_cols = person_columns(hide_assets=hide_assets)
        by_staff = lists.customers.groupby("staff", sort=False).indices
        batch = batch_sms(plan, policy)
        log = _log_rows(plan.loc[~batch], policy, hide_assets=hide_assets)
        sms_by_staff = (
            plan.loc[batch].groupby("staff", sort=False)["customer_id"].agg(lambda c: set(c.astype(str)))
        )
        log_by_staff = log.groupby("staff", sort=False).indices if len(log) else {}
        log_validations = [
            Validation(_h("result"), tuple(policy.compliance.log_results)),
            Validation(_h("method"), tuple(policy.compliance.log_channels)),
            Validation(_h("familiarity"), FAMILIARITY_LEVELS),
        ]
        footer = t("export.call.footer", results=" ".join(policy.compliance.log_results))
        lookup = _call_lookup(lists.customers)
        for name in staff:
            rows = by_staff.get(name, np.empty(0, dtype=np.int64))
            write_sheet(book, name, lists.customers.iloc[rows], columns=cust_cols)
            plan_rows = log_by_staff.get(name, np.empty(0, dtype=np.int64))
            calls, heights, breaks = _call_rows(log.iloc[plan_rows], lookup)
            write_form(
                book,
                f"{LOG_PREFIX}{name}",
                calls,
                columns=CALL_SPECS,
                heights=heights,
                breaks=breaks,
                header=t("export.call.header", name=_header_safe(name), month=month),
                footer=footer,
                validations=log_validations,
            )
            texted = sms_by_staff.get(name, set())
            if texted:
                write_sms_sheet(book, name, lists.customers.iloc[rows], texted, month)
        book.console_names.difference_update([NEAR, MATURING, CATALOG])
        near = lists.near.loc[lists.near["staff"].isin(wanted)]
        write_sheet(book, NEAR, near, columns=near_columns(with_staff=True, hide_assets=hide_assets))
        items = lists.items if everyone else lists.items.loc[lists.items["staff"].isin(wanted)]
        write_sheet(
            book, MATURING, items, columns=maturity_columns(policy, with_staff=True, hide_assets=hide_assets)
        )
        if deferred is not None:
            write_deferred_sheet(book, deferred, policy, month=month, staff=None if everyone else wanted)
        write_catalog(book, policy)
    finally:
        book.close()
    return book.console_cells


def write_segment_lists(
    path_or_buffer: Target,
    seg: pd.DataFrame,
    policy: Policy,
    as_of: dt.date,
    maturity_items: pd.DataFrame | None = None,
) -> None:
    """The tier lists: a sheet per tier (named by the tier), 临界客户 and 到期客户, no staff columns."""
    lists = _lists(seg, None, None, policy, as_of, maturity_items)
    with gc_paused():
        _write_lists(path_or_buffer, lists, policy)


def _write_lists(path_or_buffer: Target, lists: _Lists, policy: Policy) -> None:
    book = new_workbook(path_or_buffer)
    try:
        cols = customer_columns(policy, with_plan=False)
        by_tier = lists.customers.groupby("tier_name", sort=False).indices
        for tier in policy.tiers:
            rows = by_tier.get(tier.name, np.empty(0, dtype=np.int64))
            write_sheet(book, tier.name, lists.customers.iloc[rows], columns=cols)
        write_sheet(book, NEAR, lists.near, columns=near_columns(with_staff=False))
        write_sheet(book, MATURING, lists.items, columns=maturity_columns(policy, with_staff=False))
    finally:
        book.close()
