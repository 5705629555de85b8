"""The 分层策略 page's version list: the outlet's saved policies, restoring one, and what differs from it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core import services
from core.errors import ConsoleError
from core.localtime import local_text
from core.policy import Policy, policy_diff
from core.services.reads import list_policies, load_policy_version
from ui.context import Ctx
from ui.policy_editor import reset
from ui.text import plain


def versions(ctx: Ctx, outlet: str, saved: Policy, label: str) -> None:
    """The outlet's saved versions: restore one as the active policy, or see which rules differ from it."""
    st.divider()
    st.subheader(ctx.t("ui.strategy.versions"))
    rows = list_policies(ctx.engine, outlet)
    if not rows:
        st.caption(ctx.t("ui.strategy.no_versions", policy=label))
        return
    st.dataframe(
        pd.DataFrame(
            {
                ctx.t("ui.col.version"): [r["version"] for r in rows],
                ctx.t("ui.col.saved_by"): [r["created_by"] for r in rows],
                ctx.t("ui.col.saved_at"): [_when(r["created_at"]) for r in rows],
                ctx.t("ui.col.note"): [r["note"] or "" for r in rows],
                ctx.t("ui.col.active"): [bool(r["active"]) for r in rows],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    by_version = {r["version"]: r for r in rows}
    # the newest version (the one just saved) until the head picks another; a save or restore sets the pick
    wanted = st.session_state.pop("pv_pick_next", None)  # set by a save or restore of the last run
    if wanted in by_version:
        st.session_state["pv_pick"] = wanted
    if st.session_state.get("pv_pick") not in by_version:
        st.session_state["pv_pick"] = rows[0]["version"]
    picked = st.selectbox(
        ctx.t("ui.strategy.pick_version"),
        options=list(by_version),
        format_func=lambda v: ctx.t(
            "ui.strategy.version_label",
            version=v,
            who=by_version[v]["created_by"],
            when=_when(by_version[v]["created_at"]),
        ),
        key="pv_pick",
    )
    c1, c2 = st.columns(2)
    if c1.button(
        ctx.t("ui.strategy.restore"),
        disabled=bool(by_version[picked]["active"]) or ctx.read_only,  # read-only: notice above, at 保存
        key="pv_restore",
    ):
        try:
            services.activate_policy(ctx.engine, ctx.actor, outlet, picked)
        except ConsoleError as exc:
            st.error(plain(exc.text(ctx.lang)))
            return
        reset()
        st.session_state["pv_pick_next"] = picked
        st.session_state["flash"] = ctx.t("ui.strategy.restored", version=picked)
        st.rerun()
    if c2.button(ctx.t("ui.strategy.compare"), key="pv_compare"):
        diff = policy_diff(load_policy_version(ctx.engine, picked, outlet), saved)
        if not diff:
            st.info(ctx.t("ui.strategy.same", version=picked))
            return
        st.caption(ctx.t("ui.strategy.diff_caption", version=picked, policy=label, count=len(diff)))
        st.table(
            pd.DataFrame(
                {
                    ctx.t("ui.col.rule"): [key for key, _, _ in diff],
                    ctx.t("ui.col.in_version", version=picked): [_shown(a) for _, a, _ in diff],
                    ctx.t("ui.col.in_active"): [_shown(b) for _, _, b in diff],
                }
            )
        )


def _when(value: object) -> str:
    """A save time (stored in UTC) in the console's local time."""
    return local_text(value)


def _shown(value: Any) -> str:
    """One cell of the diff table: lists joined, absent rules as a dash (a table column holds one type)."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value) if value else "[]"
    if isinstance(value, dict):
        return " ".join(f"{k}={_shown(v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return str(value)
