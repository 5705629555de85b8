"""Charts more than one page draws: the tier migration heatmap (历史对比, 经营成效, the what-if on 分层策略)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from core.policy import Policy
from ui.context import Ctx


def migration_heatmap(
    cells: pd.DataFrame,
    order: Sequence[str],
    *,
    before_title: str,
    after_title: str,
    count_title: str,
    scheme: str = "greens",
    height: int = 260,
) -> alt.LayerChart:
    """Customers per (tier before, tier after) from an aggregated long frame (before, after, count): coloured
    cells on a symlog scale with the count written in each, white on the darker half."""
    base = alt.Chart(cells).encode(
        x=alt.X("after:N", sort=list(order), title=after_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("before:N", sort=list(order), title=before_title),
    )
    rect = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(type="symlog", scheme=scheme), title=count_title),
        tooltip=["before:N", "after:N", alt.Tooltip("count:Q", format=",")],
    )
    half = float(cells["count"].max()) / 2 if len(cells) else 0.0
    text = base.mark_text(fontSize=14).encode(
        text=alt.Text("count:Q", format=","),
        color=alt.condition(alt.datum.count > half, alt.value("white"), alt.value("black")),
    )
    return (rect + text).properties(height=height)


def tier_migration_heatmap(ctx: Ctx, matrix: pd.DataFrame, policy: Policy) -> alt.LayerChart:
    """The heatmap of a tier x tier matrix (index: tier before, columns: tier after, codes) with tier names."""
    names = {code: ctx.t(f"tier.{code}") for code in policy.tier_codes}
    cells = matrix.stack().rename("count").reset_index()
    cells["before"] = cells["before"].map(names)
    cells["after"] = cells["after"].map(names)
    return migration_heatmap(
        cells,
        list(names.values()),
        before_title=ctx.t("ui.history.before_tier"),
        after_title=ctx.t("ui.history.after_tier"),
        count_title=ctx.t("ui.col.count"),
    )
