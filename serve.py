"""The server ``make run`` starts: app.py as a Streamlit App behind the console's own middleware: security headers and
/_stcore/metrics behind the login, uploads only after login and within a byte budget, download links (/media) only
for the account that made them."""

import streamlit as st
from starlette.middleware import Middleware

from ui.http_headers import SecurityHeaders
from ui.media_guard import MediaGuard
from ui.upload_guard import UploadGuard

app = st.App(
    "app.py",
    middleware=[
        Middleware(SecurityHeaders),
        Middleware(UploadGuard),
        Middleware(MediaGuard),
    ],
)
