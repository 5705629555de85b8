"""Customer tables as the pages show them: the columns a head reads, headed in the chosen language."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.context import Ctx


def customer_view(ctx: Ctx, seg: pd.DataFrame) -> pd.DataFrame:
    """The columns a head reads, with Chinese headings (a new frame: the cached one is never touched)."""
    columns = {
        "customer_id": ctx.t("ingest.field.customer_id"),
        "name": ctx.t("ingest.field.name"),
        "phone": ctx.t("ingest.field.phone"),
        "tier_name": ctx.t("ui.col.tier"),
        "assets": ctx.t("ui.col.assets"),
        "near_level": ctx.t("ui.col.level"),
        "gap": ctx.t("ui.dist.gap"),
        "maturity_date": ctx.t("ingest.field.maturity_date"),
        "manager": ctx.t("ingest.field.manager"),
        "familiarity": ctx.t("ingest.field.familiarity"),
    }
    present = [c for c in columns if c in seg.columns]
    out = seg[present].rename(columns=columns)
    if "tier_name" in present and ctx.lang != "zh":
        out[columns["tier_name"]] = [ctx.t(f"tier.{code}") for code in seg["tier"]]
    return out


def customer_columns(ctx: Ctx) -> dict:
    """Column formats for customer_view tables: amounts with separators, dates without a time."""
    return {
        ctx.t("ui.col.assets"): st.column_config.NumberColumn(format="localized"),
        ctx.t("ui.col.level"): st.column_config.NumberColumn(format="localized"),
        ctx.t("ui.dist.gap"): st.column_config.NumberColumn(format="localized"),
        ctx.t("ingest.field.maturity_date"): st.column_config.DateColumn(format="YYYY-MM-DD"),
    }
