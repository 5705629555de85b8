"""Streamlit glue shared by the pages: session context, login, cached data access, formatting.

Only the console imports this package; core/ never does.
"""
