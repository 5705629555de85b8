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

from core.accounts import credentials_for_authenticator, record_failed_login, record_login
from core.i18n import t

ROOT = pathlib.Path(__file__).resolve().parent.parent
COOKIE_NAME = "cunliang_console"
COOKIE_DAYS = 1.0
KEY_ENV = "CONSOLE_COOKIE_KEY"


def cookie_key(secrets_dir: pathlib.Path | None = None) -> str:
    """``CONSOLE_COOKIE_KEY`` if set; else a key generated once into data/secrets/cookie_key (mode 600)."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV]
    directory = secrets_dir or ROOT / "data" / "secrets"
    path = directory / "cookie_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    directory.mkdir(parents=True, exist_ok=True)
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
    auth = stauth.Authenticate(
        credentials_for_authenticator(engine),
        cookie_name=COOKIE_NAME,
        cookie_key=cookie_key(),
        cookie_expiry_days=COOKIE_DAYS,
        auto_hash=False,
    )
    _record_attempts(auth, engine)
    return auth


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
            record_login(engine, typed or str(st.session_state["username"]))
        elif ok is False and typed:
            record_failed_login(engine, typed)
        return ok

    controller.login = login


def login_form(auth: stauth.Authenticate, lang: str) -> None:
    """The login form in the chosen language (the library keeps the result in st.session_state).

    A cookie for an account locked or removed since makes the library raise: the cookie is dropped and
    the next run shows the form.
    """
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
