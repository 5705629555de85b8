"""账户管理 (admin): the accounts, adding one, resetting a password, lifting a login delay."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import ConsoleError
from core.services.accounts import MIN_PASSWORD, add_user, list_users, login_wait, set_password, unlock
from ui import data
from ui.context import ADMIN, ROLES, Ctx, require_role
from ui.fmt import DATETIME
from ui.tables import show_table
from ui.text import plain


def render(ctx: Ctx) -> None:
    require_role(ctx, {ADMIN})
    st.title(ctx.t("ui.page.accounts"))
    if flash := st.session_state.pop("acc_flash", None):
        st.success(flash)
    users = pd.DataFrame(list_users(ctx.engine))
    shown = users.drop(columns=["locked", "locked_until"], errors="ignore").assign(
        role=[ctx.t(f"ui.role.{r}") if r in ROLES else r for r in users.get("role", [])]
    )
    times = {ctx.t("ui.acc.created_at"): DATETIME, ctx.t("ui.acc.last_login_at"): DATETIME}
    show_table(
        shown.rename(
            columns={
                "username": ctx.t("ui.login.username"),
                "display_name": ctx.t("ui.col.name"),
                "role": ctx.t("ui.col.role"),
                "outlet": ctx.t("ui.sidebar.outlet"),
                "staff_name": ctx.t("ui.acc.staff_name"),
                "created_at": ctx.t("ui.acc.created_at"),
                "failed_logins": ctx.t("ui.acc.failed_logins"),
                "last_login_at": ctx.t("ui.acc.last_login_at"),
            }
        ),
        times,
    )
    names = users["username"].tolist() if len(users) else []
    delayed = [name for name in names if login_wait(ctx.engine, name) > 0]
    if delayed:
        st.warning(ctx.t("ui.acc.delayed", names="、".join(plain(name) for name in delayed)))
        unlock_form(ctx, delayed)
    left, right = st.columns(2, gap="large")
    with left:
        add_form(ctx)
    with right:
        reset_form(ctx, names)


def add_form(ctx: Ctx) -> None:
    outlets = data.known_outlets(ctx.engine)
    with st.form("acc_add", clear_on_submit=True):
        st.subheader(ctx.t("ui.acc.add"))
        username = st.text_input(ctx.t("ui.login.username"), help=ctx.t("ui.acc.username_help"))
        display = st.text_input(ctx.t("ui.col.name"))
        role = st.selectbox(ctx.t("ui.col.role"), ROLES, format_func=lambda r: ctx.t(f"ui.role.{r}"))
        outlet = st.selectbox(
            ctx.t("ui.sidebar.outlet"),
            ["", *outlets],
            format_func=lambda o: o or ctx.t("ui.acc.no_outlet"),  # not Streamlit's "Choose an option"
            help=ctx.t("ui.acc.outlet_help"),
        )
        new_outlet = st.text_input(ctx.t("ui.acc.new_outlet"))
        staff_name = st.text_input(ctx.t("ui.acc.staff_name"), help=ctx.t("ui.acc.staff_help"))
        password = st.text_input(
            ctx.t("ui.login.password"), type="password", help=ctx.t("ui.passwd.rule", min=MIN_PASSWORD)
        )
        again = st.text_input(ctx.t("ui.acc.password_again"), type="password")
        if not st.form_submit_button(ctx.t("ui.acc.add_submit"), type="primary"):
            return
    if password != again:
        st.error(ctx.t("ui.acc.mismatch"))
        return
    try:
        add_user(
            ctx.engine,
            username,
            password,
            role=role,
            outlet=(new_outlet.strip() or outlet or None) if role != ADMIN else None,
            display_name=display.strip() or None,
            staff_name=staff_name.strip() or None,
            created_by=ctx.username,
        )
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        return
    st.session_state["acc_flash"] = ctx.t("ui.acc.added", username=plain(username.strip().lower()))
    st.rerun()


def reset_form(ctx: Ctx, usernames: list[str]) -> None:
    with st.form("acc_reset", clear_on_submit=True):
        st.subheader(ctx.t("ui.acc.reset"))
        username = st.selectbox(ctx.t("ui.login.username"), usernames)
        password = st.text_input(
            ctx.t("ui.acc.new_password"),
            type="password",
            help=ctx.t("ui.passwd.rule", min=MIN_PASSWORD),
        )
        again = st.text_input(ctx.t("ui.acc.password_again"), type="password")
        if not st.form_submit_button(ctx.t("ui.acc.reset_submit")):
            return
    if password != again:
        st.error(ctx.t("ui.acc.mismatch"))
        return
    try:
        set_password(ctx.engine, username, password, changed_by=ctx.username)
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        return
    st.session_state["acc_flash"] = ctx.t("ui.acc.reset_done", username=plain(username))
    st.rerun()


def unlock_form(ctx: Ctx, delayed: list[str]) -> None:
    with st.form("acc_unlock"):
        username = st.selectbox(ctx.t("ui.acc.unlock"), delayed, key="acc_unlock_user")
        if not st.form_submit_button(ctx.t("ui.acc.unlock_submit")):
            return
    try:
        unlock(ctx.engine, username, by=ctx.username)
    except ConsoleError as exc:
        st.error(plain(exc.text(ctx.lang)))
        return
    st.session_state["acc_flash"] = ctx.t("ui.acc.unlocked", username=plain(username))
    st.rerun()
