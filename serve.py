"""The server ``make run`` starts: app.py as a Streamlit App behind the console's own login form, its download
links (/media) behind the login."""

import streamlit as st
from starlette.middleware import Middleware

from ui.login_route import LoginGate, LoginService
from ui.media_guard import MediaGuard

login = LoginService()  # the login form and its endpoint (/_console/login): see ui/login_route.py
app = st.App(
    "app.py", routes=login.routes(), middleware=[Middleware(LoginGate, service=login), Middleware(MediaGuard)]
)
