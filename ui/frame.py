"""The frame's parts: language, role and context from the session, the sidebar."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from core.errors import AuthError
from core.i18n import DEFAULT_LANG, LANGS, t
from core.services.accounts import get_user
from ui.context import ROLES, STAFF, Ctx
from ui.data import active_policy, known_outlets
from ui.text import plain
from ui.zh_widgets import chinese_widgets

LANG_NAMES = {"zh": "中文", "en": "English"}
DRILL_KEY = "admin_drill_outlet"  # set by the city view: the outlet the admin opened read-only


def drill_into(outlet: str) -> None:
    """Button callback of the city view: the admin's outlet choice becomes ``outlet``, viewed read-only."""
    st.session_state["outlet_choice"] = outlet
    st.session_state[DRILL_KEY] = outlet


def language_select() -> str:
    """The language chosen in the sidebar: Chinese by default, or the one chosen on the login form (?lang=en)."""
    asked = st.query_params.get("lang")
    lang = st.sidebar.selectbox(
        "语言 / Language",
        LANGS,
        format_func=LANG_NAMES.get,
        key="lang",
        index=LANGS.index(asked if asked in LANGS else DEFAULT_LANG),
    )
    chinese_widgets(lang)  # Streamlit's own widget texts in the chosen language (ui/zh_widgets.py)
    return lang


def session_role() -> str | None:
    """The logged-in account's console role, or None before login."""
    if not st.session_state.get("authentication_status"):
        return None
    roles = st.session_state.get("roles") or []
    for role in ROLES:  # ROLES is ordered by privilege: an account with several gets the highest
        if role in roles:
            return role
    return STAFF


def build_context(engine: Engine, lang: str) -> Ctx:
    """The logged-in account as a Ctx; an account deleted since its cookie was issued gets nothing."""
    username = str(st.session_state.get("username") or "")
    try:
        entry = get_user(engine, username)
    except AuthError:
        st.error(t("ui.login.gone", lang))
        st.stop()
    role = entry.get("role") if entry.get("role") in ROLES else STAFF
    outlet = entry.get("outlet") or None
    if role == "admin":
        outlets = known_outlets(engine)
        if outlet and outlet not in outlets:
            outlets = [outlet, *outlets]
        if outlets:
            default = outlets.index(outlet) if outlet in outlets else 0
            outlet = st.sidebar.selectbox(
                t("ui.sidebar.outlet", lang), outlets, index=default, key="outlet_choice"
            )
    name = str(entry.get("display_name") or st.session_state.get("name") or username).strip() or username
    return Ctx(
        username=username,
        name=name,
        role=role,
        outlet=outlet,
        staff_name=entry.get("staff_name") or None,
        lang=lang,
        engine=engine,
        read_only=role == "admin" and bool(outlet) and st.session_state.get(DRILL_KEY) == outlet,
    )


def sidebar(ctx: Ctx) -> None:
    """Who is logged in, the outlet and the active policy version."""
    side = st.sidebar
    side.markdown(who_line(ctx))
    if ctx.role != "admin":
        side.caption(ctx.t("ui.sidebar.outlet_is", outlet=plain(ctx.outlet or "—")))
    if ctx.read_only:
        side.warning(ctx.t("ui.readonly_banner", outlet=plain(ctx.outlet)))
        side.button(
            ctx.t("ui.readonly_leave"),
            key="leave_drill",
            on_click=st.session_state.pop,
            args=(DRILL_KEY, None),
        )
    if ctx.outlet:
        _, label = active_policy(ctx.engine, ctx.outlet, ctx.lang)
        side.caption(ctx.t("ui.sidebar.policy", version=label))


def who_line(ctx: Ctx) -> str:
    """ "**name** · role", or the role alone when the display name is the role (the demo account 支局长)."""
    role = ctx.t(f"ui.role.{ctx.role}")
    return f"**{role}**" if ctx.name.strip() == role else f"**{plain(ctx.name)}** · {role}"
