"""The server ``make run`` starts: app.py as a Streamlit App behind the console's own login form and middleware:
security headers and /_stcore/metrics behind the login, uploads only after login and within a byte budget, download
links (/media) only for the login that made them."""

import streamlit as st
from starlette.middleware import Middleware

from ui.http_headers import SecurityHeaders
from ui.login_route import LoginGate, LoginService
from ui.media_guard import MediaGuard
from ui.upload_guard import UploadGuard

login = LoginService()  # the login form and its endpoint (/_console/login): see ui/login_route.py
app = st.App(
    "app.py",
    routes=login.routes(),
    middleware=[
        Middleware(SecurityHeaders),
        Middleware(LoginGate, service=login),
        Middleware(UploadGuard),
        Middleware(MediaGuard),
    ],
)
