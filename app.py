"""存量客户经营台: the frame. Navigation by role, the session's login, sidebar; every page is a render(ctx) in views/.

The login form itself is the server's (ui/login_route.py, mounted by serve.py): a browser reaches this script
with its login cookie already set.
"""

from __future__ import annotations

import pathlib

import streamlit as st
from sqlalchemy.exc import DBAPIError

from core.errors import AuthError
from core.i18n import t
from ui.auth import establish_session, is_authenticated, login_needed, logout_button
from ui.context import Ctx
from ui.data import get_engine
from ui.frame import build_context, language_select, session_role, sidebar
from ui.nav import build_pages

st.set_page_config(
    page_title="存量客户经营台",
    page_icon=str(pathlib.Path(__file__).parent / "ui" / "icon.png"),
    layout="wide",
)

lang = language_select()
engine = get_engine()
try:
    establish_session(engine)
except DBAPIError:  # a long write lock (SQLite) or the database server gone: one line, no traceback
    st.error(t("ui.login.db_busy", lang))
    st.stop()
except AuthError as exc:  # the server's cookie key is unusable (too short): IT must set it
    st.error(exc.text(lang))
    st.stop()
role = session_role()
ctx_box: dict[str, Ctx] = {}
# Every page is routed before the login check, so that a deep link (/strategy) keeps its page.
pages = build_pages(role, lang, ctx_box)
page = st.navigation(pages, position="sidebar" if role else "hidden")
if not is_authenticated():
    login_needed(lang, page.url_path)
    st.stop()

logout_button(engine, lang)
ctx = build_context(engine, lang)
sidebar(ctx)
ctx_box["ctx"] = ctx
page.run()
