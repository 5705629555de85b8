"""The server ``make run`` starts: app.py as a Streamlit App, its download links (/media) behind the login."""

import streamlit as st
from starlette.middleware import Middleware

from ui.media_guard import MediaGuard

app = st.App("app.py", middleware=[Middleware(MediaGuard)])
