"""Login with streamlit-authenticator against the accounts in the database; the cookie key kept out of git."""

from __future__ import annotations

import os
import pathlib
import secrets
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth
from sqlalchemy.engine import Engine
from streamlit_authenticator.utilities import LoginError

from core.accounts import (
    credentials_for_authenticator,
    issue_token,
    read_token,
    record_failed_login,
    record_login,
    record_logout,
    session_version,
)
from core.errors import AuthError
from core.i18n import t

ROOT = pathlib.Path(__file__).resolve().parent.parent
COOKIE_NAME = "cunliang_console"
COOKIE_DAYS = 1.0
KEY_ENV = "CONSOLE_COOKIE_KEY"
MIN_KEY = 32  # characters of the HS256 signing key
VERSION = "console_token_version"  # session_state: the account's token version this session was opened with
ENDED = "console_session_ended"


def cookie_key(secrets_dir: pathlib.Path | None = None) -> str:
    """``CONSOLE_COOKIE_KEY`` if set (at least 32 characters); else a key generated once into
    data/secrets/cookie_key (mode 600). A key file left empty or short (a crash while writing it) is replaced."""
    if KEY_ENV in os.environ:
        key = os.environ[KEY_ENV].strip()
        if len(key) < MIN_KEY:
            raise AuthError(t("accounts.cookie_key.short", "zh", source=KEY_ENV, n=len(key)))
        return key
    directory = secrets_dir or ROOT / "data" / "secrets"
    path = directory / "cookie_key"
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= MIN_KEY:
            return key
        # Replaced atomically: every process that finds it short writes its own and the last rename wins;
        # all of them read the winner back.
        spare = directory / f"cookie_key.{secrets.token_hex(4)}"
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
        os.replace(spare, path)
        return path.read_text(encoding="utf-8").strip()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_hex(32)
    # O_EXCL: two first sessions at once must agree on one key, the loser reads the winner's.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def authenticator(engine: Engine) -> stauth.Authenticate:
    """A fresh authenticator each run (it mutates its credentials dict); its login attempts are recorded."""
    try:
        key = cookie_key()
    except AuthError as exc:
        st.error(str(exc))
        st.stop()
    auth = stauth.Authenticate(
        credentials_for_authenticator(engine),
        cookie_name=COOKIE_NAME,
        cookie_key=key,
        cookie_expiry_days=COOKIE_DAYS,
        auto_hash=False,
    )
    _record_attempts(auth, engine)
    _versioned_cookies(auth, engine)
    _end_stale_session(auth, engine)
    return auth


def _versioned_cookies(auth: stauth.Authenticate, engine: Engine) -> None:
    """The login cookie carries the account's token version; a cookie that does not decode, has the wrong shape,
    or whose version is no longer the account's (logout, password change or reset, lock) is dropped.

    streamlit-authenticator 0.4.2 (pinned) signs ``{username, exp_date}`` and lets anything but a bad signature
    (alg none, HS512, no exp_date) raise on every page: its two token methods are replaced here.
    """
    model = auth.cookie_controller.cookie_model

    def encode() -> str:
        return issue_token(
            engine, str(st.session_state.get("username") or ""), model.exp_date, model.cookie_key
        )

    def decode() -> dict[str, Any] | bool:
        payload = read_token(engine, model.token, model.cookie_key)
        if payload is None:
            auth.cookie_controller.delete_cookie()
            return False
        st.session_state[VERSION] = payload["ver"]
        return payload

    model._token_encode = encode
    model._token_decode = decode


def _end_stale_session(auth: stauth.Authenticate, engine: Engine) -> None:
    """Every run: a session whose account was locked, removed, logged out elsewhere or given a new password ends."""
    if not st.session_state.get("authentication_status"):
        return
    username = str(st.session_state.get("username") or "")
    current = session_version(engine, username)
    if current is not None and st.session_state.get(VERSION) == current:
        return
    for key in ("name", "username", "authentication_status", "email", "roles", VERSION):
        st.session_state[key] = None
    st.session_state["logout"] = True  # the library then ignores the cookie until the next login
    auth.cookie_controller.delete_cookie()
    st.session_state[ENDED] = True


TYPED = "login_typed_username"


def _record_attempts(auth: stauth.Authenticate, engine: Engine) -> None:
    """Have each login attempt the library makes counted in core.accounts (failures, last login).

    The library checks passwords inside its own controller and tells nobody who tried: wrapping that one
    call (streamlit-authenticator 0.4.2 is pinned) is the only place that sees the typed username.
    """
    controller = auth.authentication_controller
    original = controller.login

    def login(username: str | None = None, password: str | None = None, *args: Any, **kwargs: Any) -> Any:
        typed = str(username or "").strip().lower()
        if typed:
            st.session_state[TYPED] = typed
        ok = original(username, password, *args, **kwargs)
        if ok and (typed or st.session_state.get("username")):
            who = typed or str(st.session_state["username"])
            record_login(engine, who, audited=bool(typed))  # a cookie re-entry is not a new login
            if typed:
                st.session_state[VERSION] = session_version(engine, who)
                st.session_state.pop(ENDED, None)
        elif ok is False and typed:
            record_failed_login(engine, typed)
        return ok

    controller.login = login
    original_logout = controller.logout

    def logout(*args: Any, **kwargs: Any) -> Any:
        username = str(st.session_state.get("username") or "")
        if username:
            record_logout(engine, username)  # every copy of this account's cookie stops working
        st.session_state[VERSION] = None
        return original_logout(*args, **kwargs)

    controller.logout = logout


def login_form(auth: stauth.Authenticate, lang: str) -> None:
    """The login form in the chosen language (the library keeps the result in st.session_state).

    A cookie for an account locked or removed since makes the library raise: the cookie is dropped and
    the next run shows the form.
    """
    if st.session_state.get(ENDED) and not st.session_state.get("authentication_status"):
        st.warning(t("ui.session.ended", lang))
    try:
        _login(auth, lang)
    except LoginError:
        auth.cookie_controller.delete_cookie()
        st.session_state["authentication_status"] = None
        st.error(t("ui.login.failed", lang))


def _login(auth: stauth.Authenticate, lang: str) -> None:
    auth.login(
        location="main",
        fields={
            "Form name": t("ui.login.title", lang),
            "Username": t("ui.login.username", lang),
            "Password": t("ui.login.password", lang),
            "Login": t("ui.login.submit", lang),
        },
    )


def is_authenticated() -> bool:
    return bool(st.session_state.get("authentication_status"))


def logout_button(auth: stauth.Authenticate, lang: str) -> None:
    """Logout in the sidebar; the cookie is deleted by the component rendered in this same run."""
    auth.logout(t("ui.logout", lang), location="sidebar", key="logout_button")
