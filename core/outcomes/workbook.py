"""The downloadable 经营成效 workbook and the 达标有礼 list (defused against formula injection by core.xlsx)."""

from __future__ import annotations

import io
import os
from typing import IO

import pandas as pd

from core.i18n import t
from core.outcomes.figures import Outcomes
from core.outcomes.gifts import Campaign
from core.policy import Policy
from core.xlsx import ColumnSpec, new_workbook, write_sheet

GROUP_SPECS = (
    ("customers", "int"),
    ("promoted", "int"),
    ("demoted", "int"),
    ("promoted_rate", "percent"),
    ("near", "int"),
    ("reached", "int"),
    ("reached_rate", "percent"),
    ("change", "money"),
)


def _col(key: str, kind: str, lang: str, width: float | None = None) -> ColumnSpec:
    return ColumnSpec(t(f"outcomes.col.{key}", lang), kind, width=width, key=key)


def summary_rows(result: Outcomes, lang: str = "zh") -> pd.DataFrame:
    """The headline figures as (figure, from, to) text rows, formatted as read: the page table and the 概要 sheet."""
    s = result.summary()

    def n(value) -> str:
        return "" if value is None else f"{value:,.0f}"

    def money(value) -> str:
        return "" if value is None else f"{value:,.2f}"

    def share(value) -> str:
        return "" if value is None else f"{value:.1%}"

    rows = [
        (t("outcomes.fig.customers", lang), n(s["customers"]["from"]), n(s["customers"]["to"])),
        (t("outcomes.fig.avg_assets", lang), money(s["avg_assets"]["from"]), money(s["avg_assets"]["to"])),
    ]
    for key, pair in s["share_at_least"].items():
        label = t("outcomes.col.share", lang, level=f"{float(key):,.0f}")
        rows.append((label, share(pair["from"]), share(pair["to"])))
    rows.append((t("outcomes.fig.promoted", lang), "", n(s["promoted"])))
    rows.append((t("outcomes.fig.demoted", lang), "", n(s["demoted"])))
    for key, reached in s["reached_level"].items():
        label = t("outcomes.fig.reached", lang, level=f"{float(key):,.0f}")
        rows.append((label, t("outcomes.fig.near_n", lang, n=s["near"][key]), n(reached)))
    rows.append((t("outcomes.fig.maturities", lang), "", n(s["maturities"]["items"])))
    rows.append((t("outcomes.fig.kept", lang), "", n(s["maturities"]["kept"])))
    return pd.DataFrame(rows, columns=["figure", "from", "to"])


def write_outcomes(
    target: str | os.PathLike | IO[bytes],
    result: Outcomes,
    policy: Policy,
    *,
    outlet: str,
    lang: str = "zh",
    gifts: Campaign | None = None,
) -> None:
    """Summary, migration, contacted vs not, per staff, levels reached, maturities, and the gift list when given."""
    book = new_workbook(target)
    title = t("outcomes.title", lang, outlet=outlet, date_from=result.date_from, date_to=result.date_to)
    write_sheet(
        book,
        t("outcomes.sheet.summary", lang),
        summary_rows(result, lang),
        columns=[
            ColumnSpec(t("outcomes.col.figure", lang), "text", width=28, key="figure"),
            ColumnSpec(t("outcomes.col.from", lang), "text", width=18, key="from"),
            ColumnSpec(t("outcomes.col.to", lang), "text", width=18, key="to"),
        ],
        title=title,
        footer=[
            ("", t("outcomes.rule.contacted", lang, results="、".join(policy.outcomes.reached_results))),
            (
                "",
                t("outcomes.rule.maturity", lang, let=f"{(1 - policy.outcomes.maturity_kept_share) * 100:g}"),
            ),
        ],
        autofilter=False,
    )
    names = {code: t(f"tier.{code}", lang) for code in policy.tier_codes}
    matrix = result.matrix.rename(index=names, columns=names).reset_index()
    matrix.columns = ["before", *matrix.columns[1:]]
    write_sheet(
        book,
        t("outcomes.sheet.migration", lang),
        matrix,
        columns=[ColumnSpec(t("outcomes.col.tier_before", lang), "text", key="before")]
        + [ColumnSpec(name, "int", key=name) for name in names.values()],
        title=title,
    )
    groups = result.groups.reset_index(names="group")
    groups["group"] = [t(f"outcomes.group.{g}", lang) for g in groups["group"]]
    specs = [_col(key, kind, lang) for key, kind in GROUP_SPECS]
    write_sheet(book, t("outcomes.sheet.groups", lang), groups, columns=[_col("group", "text", lang), *specs])
    write_sheet(
        book, t("outcomes.sheet.staff", lang), result.by_staff, columns=[_col("staff", "text", lang), *specs]
    )
    reached = result.customers.loc[result.customers["reached"]].rename(columns={"near_level": "level"})
    reached = reached.assign(
        contacted=[t("outcomes.yes" if c else "outcomes.no", lang) for c in reached["contacted"]]
    )
    write_sheet(
        book,
        t("outcomes.sheet.reached", lang),
        reached,
        columns=[
            _col("customer_id", "text", lang, 18),
            _col("name", "text", lang),
            _col("level", "money", lang),
            _col("assets_before", "money", lang),
            _col("assets_after", "money", lang),
            _col("contacted", "text", lang),
        ],
    )
    mat = result.maturities.assign(
        kept=[t("outcomes.yes" if k else "outcomes.no", lang) for k in result.maturities["kept"]]
    )
    write_sheet(
        book,
        t("outcomes.sheet.maturities", lang),
        mat,
        columns=[
            _col("customer_id", "text", lang, 18),
            _col("product", "text", lang),
            _col("amount", "money", lang),
            _col("maturity_date", "date", lang),
            _col("assets_before", "money", lang),
            _col("assets_after", "money", lang),
            _col("kept", "text", lang),
        ],
    )
    if gifts is not None:
        _gift_sheet(book, gifts, lang)
    book.close()


def _gift_sheet(book, gifts: Campaign, lang: str) -> None:
    table = gifts.table.assign(
        handed=[t("outcomes.yes" if h else "outcomes.no", lang) for h in gifts.table["handed"]]
    )
    s = gifts.summary
    write_sheet(
        book,
        t("outcomes.sheet.gifts", lang),
        table,
        columns=[
            _col("customer_id", "text", lang, 18),
            _col("name", "text", lang),
            _col("level", "money", lang),
            _col("gift", "text", lang),
            _col("gift_value", "money", lang),
            _col("assets_before", "money", lang),
            _col("assets_after", "money", lang),
            _col("handed", "text", lang),
            _col("handed_on", "date", lang),
            _col("handed_by", "text", lang),
            _col("handed_source", "text", lang, 24),
        ],
        title=f"{t('outcomes.gifts.window', lang)} {gifts.start} ~ {gifts.end}",
        footer=[
            (t("outcomes.gifts.budget", lang), f"{s['budget']:,.2f}"),
            (t("outcomes.gifts.handed_value", lang), f"{s['handed_value']:,.2f}"),
            (t("outcomes.gifts.owed_value", lang), f"{s['owed_value']:,.2f}"),
            (t("outcomes.gifts.remaining", lang), f"{s['remaining']:,.2f}"),
        ],
    )


def gifts_workbook(gifts: Campaign, lang: str = "zh") -> bytes:
    """The 达标有礼 list alone, as bytes for a download button."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    _gift_sheet(book, gifts, lang)
    book.close()
    return buffer.getvalue()


def outcomes_workbook(
    result: Outcomes, policy: Policy, *, outlet: str, lang: str = "zh", gifts: Campaign | None = None
) -> bytes:
    buffer = io.BytesIO()
    write_outcomes(buffer, result, policy, outlet=outlet, lang=lang, gifts=gifts)
    return buffer.getvalue()


__all__ = ["gifts_workbook", "outcomes_workbook", "summary_rows", "write_outcomes"]
