"""Login with streamlit-authenticator against the accounts in the database; the cookie key kept out of git."""

from __future__ import annotations

import os
import pathlib
import secrets

import streamlit as st
import streamlit_authenticator as stauth
from sqlalchemy.engine import Engine

from core.accounts import credentials_for_authenticator
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
    """A fresh authenticator each run: it mutates its credentials dict, so it must never share a cached one."""
    return stauth.Authenticate(
        credentials_for_authenticator(engine),
        cookie_name=COOKIE_NAME,
        cookie_key=cookie_key(),
        cookie_expiry_days=COOKIE_DAYS,
        auto_hash=False,
    )


def login_form(auth: stauth.Authenticate, lang: str) -> None:
    """The login form in the chosen language (the library keeps the result in st.session_state)."""
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
