"""The page registry: url path, module, icon and the roles that see each page in the menu."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from core.i18n import t
from ui.context import ADMIN, EVERYONE, MANAGERS, STAFF, Ctx


@dataclass(frozen=True)
class PageSpec:
    key: str
    module: str
    icon: str
    roles: frozenset[str]


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "views.home", ":material/dashboard:", EVERYONE),
    PageSpec("upload", "views.upload", ":material/upload_file:", MANAGERS),
    PageSpec("strategy", "views.strategy", ":material/tune:", MANAGERS),
    PageSpec("distribution", "views.distribution", ":material/bar_chart:", MANAGERS),
    PageSpec("assignment", "views.assignment", ":material/assignment_ind:", MANAGERS),
    PageSpec("history", "views.history", ":material/compare_arrows:", MANAGERS),
    PageSpec("compliance", "views.compliance", ":material/fact_check:", EVERYONE),
    PageSpec("outcomes", "views.outcomes", ":material/trending_up:", MANAGERS),
    PageSpec("city", "views.city", ":material/location_city:", frozenset({ADMIN})),
    PageSpec("accounts", "views.accounts", ":material/manage_accounts:", frozenset({ADMIN})),
    PageSpec("password", "views.password", ":material/password:", EVERYONE),
)


def build_pages(role: str | None, lang: str, ctx_box: dict[str, Ctx]) -> list[st.Page]:
    """st.Page entries for ``role`` (every page before login, so that deep links survive the login form).

    Each page is a callable reading the context that app.py puts in ``ctx_box`` before ``page.run()``.
    For staff the home page is their own customer list (我的客户).
    """
    pages = []
    for spec in PAGES:
        if role is not None and role not in spec.roles:
            continue
        title_key = "ui.page.my_customers" if spec.key == "home" and role == STAFF else f"ui.page.{spec.key}"
        pages.append(
            st.Page(
                _runner(spec.module, ctx_box),
                title=t(title_key, lang),
                icon=spec.icon,
                url_path=spec.key,
                default=spec.key == "home",
            )
        )
    st.session_state["nav_pages"] = {page.url_path or "home": page for page in pages}  # links from ui.guide
    return pages


def _runner(module_name: str, ctx_box: dict[str, Ctx]) -> Callable[[], None]:
    def run() -> None:
        importlib.import_module(module_name).render(ctx_box["ctx"])

    run.__name__ = module_name.rsplit(".", 1)[-1]
    return run
