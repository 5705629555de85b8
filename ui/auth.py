"""Who this Streamlit session belongs to: the login cookie the server set (ui/login_route.py), read once a session
starts and re-checked against the account's token version on every run; logout in the sidebar. The session keeps
its cookie's session id (``SID``, the login's own random id): the download links it makes are bound to that login,
and /media refuses them to any other (ui/media_guard.py).

The session itself never sees a password: the login form is the server's (``/_console/login``).
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping

import streamlit as st
from sqlalchemy.engine import Engine

from core.errors import AuthError
from core.i18n import t
from core.services.accounts import cookie_key, get_user, read_token, record_logout, session_version
from ui.login_route import COOKIE_NAME, login_url

__all__ = [
    "COOKIE_NAME",
    "cookie_key",
    "establish_session",
    "is_authenticated",
    "login_needed",
    "login_sid",
    "logout_button",
]

VERSION = "console_token_version"  # session_state: the account's token version this session was opened with
EXPIRES = (
    "console_token_expires"  # session_state: when the cookie that opened this session runs out (epoch s)
)
SID = "console_login_sid"  # session_state: the session id of the login cookie that opened this session
ENDED = "console_session_ended"
LOGGED_OUT = "console_logged_out"
SESSION_KEYS = ("name", "username", "authentication_status", "roles", VERSION, EXPIRES, SID)


def request_cookies() -> Mapping[str, str]:
    """The cookies of the request that opened this session (none in a test without a browser)."""
    try:
        cookies = st.context.cookies
    except Exception:  # no browser request behind this run
        return {}
    return cookies if isinstance(cookies, Mapping) else {}


def client_address() -> str | None:
    """The browser's address as the server saw it (None without a browser)."""
    try:
        address = st.context.ip_address
    except Exception:
        return None
    return address if isinstance(address, str) else None


def establish_session(engine: Engine) -> None:
    """Every run: keep a session whose account still has the version it was opened with and whose cookie has not
    run out, end one that does not (removed, logged out elsewhere, new password, expired), and open one from a
    current login cookie."""
    state = st.session_state
    if state.get("authentication_status"):
        current = session_version(engine, str(state.get("username") or ""))
        expires = state.get(EXPIRES)
        if (
            current is not None
            and state.get(VERSION) == current
            and (expires is None or expires > time.time())
        ):
            return
        _clear()
        state[ENDED] = True
        return
    if state.get(LOGGED_OUT):
        return  # the browser still holds the cookie this session logged out of; it no longer opens anything
    token = request_cookies().get(COOKIE_NAME)
    if not isinstance(token, str) or not token:
        return
    payload = read_token(engine, token, cookie_key())
    if payload is None:
        state[ENDED] = True
        return
    try:
        user = get_user(engine, payload["username"])
    except AuthError:
        state[ENDED] = True
        return
    state.update(
        authentication_status=True,
        username=user["username"],
        name=user["display_name"],
        roles=[user["role"]],
        **{VERSION: payload["ver"], EXPIRES: float(payload["exp_date"]), SID: payload["sid"]},
    )
    state.pop(ENDED, None)


def login_sid() -> str | None:
    """The session id of the login this session was opened with (None before login, or without a browser)."""
    if not st.runtime.exists():  # no server behind this call (a Ctx made in a plain test)
        return None
    sid = st.session_state.get(SID)
    return sid if isinstance(sid, str) and sid else None


def _clear() -> None:
    for key in SESSION_KEYS:
        st.session_state[key] = None


def is_authenticated() -> bool:
    return bool(st.session_state.get("authentication_status"))


def login_needed(lang: str, url_path: str) -> None:
    """Shown instead of a page when this session has no login: why, and the way to the login form."""
    if st.session_state.get(LOGGED_OUT):
        st.info(t("ui.logged_out", lang))
    elif st.session_state.get(ENDED):
        st.warning(t("ui.session.ended", lang))
    else:
        st.info(t("ui.login.needed", lang))
    # An anchor of our own (st.link_button opens a new tab): the login form replaces this page.
    href = html.escape(login_url("/" + url_path.strip("/"), lang), quote=True)
    st.markdown(
        f'<a href="{href}" target="_self" data-testid="console-login-link">{t("ui.login.again", lang)}</a>',
        unsafe_allow_html=True,
    )


def _logout(engine: Engine) -> None:
    username = str(st.session_state.get("username") or "")
    if username:
        record_logout(engine, username, client=client_address())  # every copy of this account's cookie stops
    _clear()
    st.session_state[LOGGED_OUT] = True


def logout_button(engine: Engine, lang: str) -> None:
    """退出登录 in the sidebar: ends this login everywhere (the cookie's version is no longer the account's)."""
    st.sidebar.button(t("ui.logout", lang), key="logout_button", on_click=_logout, args=(engine,))
