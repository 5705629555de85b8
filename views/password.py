"""修改密码 (every user): the account's own password, after the current one; other sessions of the account end."""

from __future__ import annotations

import streamlit as st

from core.errors import ConsoleError
from core.services.accounts import MIN_PASSWORD, change_own_password, session_version
from ui.auth import VERSION, client_address
from ui.context import Ctx
from ui.text import plain


def render(ctx: Ctx) -> None:
    st.title(ctx.t("ui.page.password"))
    st.caption(ctx.t("ui.passwd.intro"))
    if flash := st.session_state.pop("passwd_flash", None):
        st.success(flash)
    with st.form("passwd", clear_on_submit=True):
        current = st.text_input(ctx.t("ui.passwd.current"), type="password", key="passwd_current")
        new = st.text_input(
            ctx.t("ui.passwd.new"),
            type="password",
            help=ctx.t("ui.passwd.rule", min=MIN_PASSWORD),
            key="passwd_new",
        )
        again = st.text_input(ctx.t("ui.acc.password_again"), type="password", key="passwd_again")
        if not st.form_submit_button(ctx.t("ui.passwd.submit"), type="primary"):
            return
    if new != again:
        st.error(ctx.t("ui.acc.mismatch"))
        return
    try:
        change_own_password(ctx.engine, ctx.username, current, new, client=client_address())
    except ConsoleError as exc:
        opened_with = st.session_state.get(VERSION)
        if opened_with is not None and session_version(ctx.engine, ctx.username) != opened_with:
            st.rerun()  # too many wrong current passwords ended every session of the account: this one too, now
        st.error(plain(exc.text(ctx.lang)))
        return
    # This session goes on under the new version; every other one (a copied cookie too) ends on its next run.
    st.session_state[VERSION] = session_version(ctx.engine, ctx.username)
    st.session_state["passwd_flash"] = ctx.t("ui.passwd.done")
    st.rerun()
