"""The ``延后联络`` sheet: every contact the month's capacity could not carry, one row each, never dropped."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from xlsxwriter.workbook import Workbook

from core.i18n import t
from core.policy import Policy
from core.xlsx import ColumnSpec, write_sheet

DEFERRED_SHEET = t("export.sheet.deferred")


def deferred_columns() -> list[ColumnSpec]:
    """客户号, 姓名, 层级, 方式, 原定日期, 负责员工, 原因."""
    h = lambda key: t(f"export.deferred.col.{key}")  # noqa: E731
    return [
        ColumnSpec(h("customer_id"), "text", 14, "customer_id"),
        ColumnSpec(h("name"), "text", 10, "name"),
        ColumnSpec(h("tier"), "text", 10, "tier_name"),
        ColumnSpec(h("channel"), "text", 8, "channel_name"),
        ColumnSpec(h("due_date"), "date", 12, "due_date"),
        ColumnSpec(h("staff"), "text", 10, "staff"),
        ColumnSpec(h("reason"), "text", 40, "reason"),
    ]


def deferred_rows(deferred: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """``core.schedule.DEFERRED_COLUMNS`` rows with the tier and channel named as on the other sheets."""
    names = {tier.code: tier.name for tier in policy.tiers}
    return deferred.assign(
        tier_name=deferred["tier"].map(names).fillna(deferred["tier"]),
        channel_name=deferred["channel"].map(lambda c: t(f"channel.{c}")),
    )


def write_deferred_sheet(
    book: Workbook,
    deferred: pd.DataFrame,
    policy: Policy,
    *,
    month: str,
    staff: Iterable[str] | None = None,
) -> None:
    """Add the 延后联络 sheet (all of it, or the rows of ``staff``), written even when empty."""
    rows = deferred if staff is None else deferred.loc[deferred["staff"].isin(set(staff))]
    write_sheet(
        book,
        DEFERRED_SHEET,
        deferred_rows(rows, policy),
        columns=deferred_columns(),
        title=t("export.deferred.title", month=month, count=len(rows)),
    )
