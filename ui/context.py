"""Who is using the console right now: a small frozen context every page receives, and the role check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

import streamlit as st
from sqlalchemy.engine import Engine

from core import clock
from core.i18n import t
from core.roles import ADMIN, EVERYONE, HEAD, MANAGERS, ROLES, STAFF, Actor
from ui.auth import login_sid

__all__ = [
    "ADMIN",
    "EVERYONE",
    "HEAD",
    "MANAGERS",
    "ROLES",
    "STAFF",
    "Ctx",
    "read_only_notice",
    "require_outlet",
    "require_role",
]


@dataclass(frozen=True)
class Ctx:
    """The logged-in account as the pages see it; the engine is the shared cached one."""

    username: str
    name: str
    role: str
    outlet: str | None
    staff_name: str | None
    lang: str
    engine: Engine
    today: dt.date = field(default_factory=clock.today)  # injected by tests; the pages never ask the clock
    read_only: bool = False  # an admin drilled into an outlet from the city view: look, do not change
    # The session id of this login (its cookie's): download links are granted to it (ui/downloads.py); None
    # before login or in a run without one, and then no link is granted.
    sid: str | None = field(default_factory=login_sid, repr=False)

    def t(self, key: str, /, **fields: object) -> str:
        return t(key, self.lang, **fields)

    @property
    def actor(self) -> Actor:
        """The account as the service layer checks it."""
        return Actor(self.username, self.role, self.outlet, self.staff_name, read_only=self.read_only)


def read_only_notice(ctx: Ctx) -> bool:
    """True (after a one-line notice) when the page must not write: an admin drilled into an outlet."""
    if ctx.read_only:
        st.info(ctx.t("readonly.notice"))
    return ctx.read_only


def require_role(ctx: Ctx, allowed: Collection[str]) -> None:
    """Stop the page with a refusal unless the account's role is allowed: menus are not access control."""
    if ctx.role not in allowed:
        st.error(ctx.t("ui.refused", role=ctx.t(f"ui.role.{ctx.role}") if ctx.role in ROLES else ctx.role))
        st.stop()


def require_outlet(ctx: Ctx) -> str:
    """The outlet the page works on; stops with a hint when the account has none (an admin with no data yet)."""
    if not ctx.outlet:
        st.info(ctx.t("ui.no_outlet"))
        st.stop()
    return ctx.outlet
