"""存量客户经营台: the frame. Navigation by role, login, sidebar; every page is a render(ctx) in views/."""

from __future__ import annotations

import pathlib

import streamlit as st

from ui.auth import authenticator, is_authenticated, login_form, logout_button
from ui.context import Ctx
from ui.data import get_engine
from ui.frame import build_context, language_select, login_notice, menu_links, session_role, sidebar
from ui.nav import build_pages

st.set_page_config(
    page_title="存量客户经营台",
    page_icon=str(pathlib.Path(__file__).parent / "ui" / "icon.png"),
    layout="wide",
)

lang = language_select()
engine = get_engine()
role = session_role()
ctx_box: dict[str, Ctx] = {}
# Navigation before login, so that a deep link (/strategy) survives the login form.
pages = build_pages(role, lang, ctx_box)
page = st.navigation(pages, position="sidebar" if role else "hidden")
auth = authenticator(engine)
if is_authenticated():
    logout_button(auth, lang)
login_form(auth, lang)
if not is_authenticated():
    login_notice(engine, lang)
    st.stop()

ctx = build_context(engine, lang)
if role is None:
    menu_links(ctx, pages)  # this run logged in: its menu was built hidden, before the role was known
sidebar(ctx)
ctx_box["ctx"] = ctx
page.run()
