"""Deep links after a server start: route Streamlit's legacy pages/ runner back through app.py.

A folder named pages/ beside app.py makes Streamlit start every process in its legacy mode, where a URL such as
/strategy runs pages/strategy.py by itself (no login, no context: a blank page) until some session has run
app.py's st.navigation once. A page module run that way calls :func:`reroute` at its end: it switches the
process to st.navigation and reruns, and the rerun goes through app.py (login first) to the same url path.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def reroute(module_name: str) -> None:
    if module_name != "__main__":
        return
    PagesManager.uses_pages_directory = False
    st.rerun()
