"""Tables as the pages show them: headings in the chosen language, every cell formatted by ui.fmt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from core.i18n import t
from ui.context import Ctx
from ui.fmt import AMOUNT, DATE, display_frame, numeric_columns

CUSTOMER_FIELDS = {
    "customer_id": "ingest.field.customer_id",
    "name": "ingest.field.name",
    "phone": "ingest.field.phone",
    "tier_name": "ui.col.tier",
    "assets": "ui.col.assets",
    "near_level": "ui.col.level",
    "gap": "ui.dist.gap",
    "maturity_date": "ingest.field.maturity_date",
    "owner": "ui.col.owner",
    "manager": "ui.col.export_manager",
    "familiarity": "ingest.field.familiarity",
}
HIGHLIGHT = "background-color: #fde2e1"
CUSTOMER_KINDS = {"assets": AMOUNT, "near_level": AMOUNT, "gap": AMOUNT, "maturity_date": DATE}


def show_table(
    frame: pd.DataFrame,
    kinds: Mapping[str, str] | None = None,
    *,
    highlight: Sequence[bool] | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """st.dataframe of ``frame`` as formatted text (numbers right-aligned); returns what was shown.

    ``highlight`` marks rows (one flag per row) with a light red background, e.g. overloaded staff.
    """
    shown = display_frame(frame, kinds)
    if shown.empty:  # the grid would draw an English "empty" on its canvas
        st.caption(t("ui.widget.empty", st.session_state.get("lang", "zh")))
        return shown
    config = {c: st.column_config.TextColumn(alignment="right") for c in numeric_columns(frame, kinds)}
    config.update(kwargs.pop("column_config", None) or {})
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    body: pd.DataFrame | Styler = shown
    if highlight is not None and any(highlight):
        marks = [HIGHLIGHT if flag else "" for flag in highlight]
        body = shown.style.apply(lambda _column: marks, axis=0)
    st.dataframe(body, column_config=config, **kwargs)
    return shown


def customer_view(ctx: Ctx, seg: pd.DataFrame) -> pd.DataFrame:
    """The columns a head reads, with headings in the chosen language (a new frame: the cached one is untouched).

    ``owner`` (负责员工, the assigned staff) comes before the export's own manager (原管户人员).
    """
    present = [c for c in CUSTOMER_FIELDS if c in seg.columns]
    out = seg[present].copy()
    if "tier_name" in present and ctx.lang != "zh":
        out["tier_name"] = [ctx.t(f"tier.{code}") for code in seg["tier"]]
    return out.rename(columns={c: ctx.t(CUSTOMER_FIELDS[c]) for c in present})


def customer_kinds(ctx: Ctx) -> dict[str, str]:
    """Formats of the customer_view columns, by their heading in the chosen language."""
    return {ctx.t(CUSTOMER_FIELDS[c]): kind for c, kind in CUSTOMER_KINDS.items()}


def show_customers(ctx: Ctx, seg: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
    """customer_view shown formatted; returns the unformatted view (for a CSV download)."""
    view = customer_view(ctx, seg)
    show_table(view, customer_kinds(ctx), **kwargs)
    return view
