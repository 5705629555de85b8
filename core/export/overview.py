"""The 总览 sheet: per person the customers by tier, contacts by channel, effort against capacity; its footer states
the as-of date, month, policy and fingerprint, tiers, bands, roles and warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.export.common import MATURING, _cadence_text, _h
from core.export.customers import _Lists
from core.i18n import t
from core.policy import CHANNELS, Policy
from core.workload import capacity_use
from core.xlsx import ColumnSpec


def _overview(
    load: pd.DataFrame, lists: _Lists, policy: Policy, *, hide_assets: bool = False
) -> tuple[pd.DataFrame, list[ColumnSpec]]:
    cust = lists.customers
    tiers = [t.name for t in policy.tiers]
    counts = pd.crosstab(cust["staff"], cust["tier_name"]).reindex(
        index=load["staff"], columns=tiers, fill_value=0
    )
    assets = cust.groupby("staff")["assets"].sum().reindex(load["staff"], fill_value=0.0)
    frame = load.copy()
    for name in tiers:
        frame[name] = counts[name].to_numpy()
    frame["assets"] = assets.to_numpy()
    frame["overloaded_text"] = np.where(frame["overloaded"], t("export.overloaded"), "")
    columns = [
        ColumnSpec(_h("staff"), "text", 10, "staff"),
        ColumnSpec(_h("role"), "text", 9, "role"),
        *[ColumnSpec(name, "int", 9, name) for name in tiers],
        ColumnSpec(_h("customers"), "int", 9, "customers"),
        *([] if hide_assets else [ColumnSpec(_h("assets_total"), "money", 17, "assets")]),
        ColumnSpec(_h("contacts"), "int", 12, "contacts"),
        *[ColumnSpec(t(f"channel.{c}"), "int", 8, c) for c in CHANNELS],
        ColumnSpec(_h("effort_month"), "number", 12, "effort_month"),
        ColumnSpec(_h("effort_week"), "number", 12, "effort_week"),
        ColumnSpec(_h("capacity_week"), "number", 10, "capacity_week"),
        ColumnSpec(_h("capacity_month"), "number", 10, "capacity_month"),
        ColumnSpec(_h("utilisation"), "percent", 11, "utilisation"),
        ColumnSpec(_h("overloaded"), "text", 10, "overloaded_text"),
    ]
    return frame, columns


def _footer(
    policy: Policy,
    as_of: dt.date,
    month: str,
    outlet: str | None,
    load: pd.DataFrame,
    warnings: Sequence[str],
    unmatched: int,
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if outlet:
        rows.append((t("export.f.outlet"), outlet))
    rows += [
        (t("export.f.as_of"), as_of.isoformat()),
        (t("export.f.month"), month),
        (t("export.f.policy"), policy.name),
        (t("export.f.fingerprint"), policy.fingerprint()),
        (t("export.f.head"), t("export.f.head_text", top_n=policy.branch_head.top_n)),
        (
            t("export.f.maturity"),
            t(
                "export.f.maturity_text",
                days=policy.maturity.window_days,
                offsets="、".join(str(o) for o in policy.maturity.reminder_offsets),
            )
            + (t("export.f.weekend") if policy.maturity.shift_weekends else ""),
        ),
    ]
    cadence = _cadence_text(policy)
    for tier, text in zip(policy.tiers, cadence, strict=True):
        rows.append(
            (tier.name, t("export.f.tier", lower=tier.lower, roles="、".join(tier.owner_roles), cadence=text))
        )
    for band in policy.bands:
        rows.append(
            (
                t("export.f.band", level=band.level),
                t(
                    "export.f.band_text",
                    lower=band.lower,
                    level=band.level,
                    gift=band.gift or t("export.f.gift_open"),
                    multiplier=band.points_multiplier,
                ),
            )
        )
    for role in capacity_use(load, policy).roles.itertuples(index=False):
        rows.append(
            (
                t("export.f.role", role=role.role),
                t(
                    "export.f.role_text",
                    staff=role.staff,
                    customers=role.customers,
                    effort=role.planned,
                    capacity=role.capacity,
                    share=role.use,
                    overloaded=role.overloaded,
                ),
            )
        )
    if unmatched:
        rows.append((t("export.f.unmatched"), t("export.f.unmatched_text", count=unmatched, sheet=MATURING)))
    for i, text in enumerate(warnings, 1):
        rows.append((t("export.f.warning", n=i), text))
    return rows
