"""The month's steps on 概览 and links from an empty page to the page whose one action fills it."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core import services
from core.guide import MonthGuide
from ui.context import Ctx

NAV_PAGES = (
    "nav_pages"  # session_state: url key -> st.Page of this session's menu (set by ui.nav.build_pages)
)


def link_to(ctx: Ctx, page: str, label: str | None = None) -> None:
    """A link to one of the console's pages (by its url key); a plain hint when that page is not in the menu."""
    text = label or ctx.t("guide.go", page=ctx.t(f"ui.page.{page}"))
    pages = st.session_state.get(NAV_PAGES) or {}
    if page in pages:
        st.page_link(pages[page], label=text, icon=":material/arrow_forward:")
    else:
        st.caption(f"→ {text}")


def month_steps(ctx: Ctx, outlet: str, today: dt.date | None = None) -> MonthGuide:
    """Draw the month's steps (done / next / later) with a link to each step's page; returns the guide."""
    guide = services.month_guide(ctx.engine, ctx.actor, outlet, today or ctx.today)
    nxt = guide.next
    title = ctx.t("guide.title", month=guide.month) if guide.month else ctx.t("guide.title_first")
    with st.container(border=True):
        st.subheader(title)
        columns = st.columns(len(guide.steps))
        for column, step in zip(columns, guide.steps, strict=True):
            state = "done" if step.done else ("next" if nxt is not None and step.key == nxt.key else "later")
            mark = {"done": ":green[✔]", "next": ":orange[➜]", "later": ":gray[○]"}[state]
            with column:
                st.markdown(f"{mark} **{ctx.t(f'guide.step.{step.key}')}**  \n{ctx.t(f'guide.{state}')}")
                st.caption(ctx.t(step.detail, **step.fields))
        if nxt is None:
            st.success(ctx.t("guide.all_done"))
        else:
            st.info(
                ctx.t(
                    "guide.next_line",
                    step=ctx.t(f"guide.step.{nxt.key}"),
                    detail=ctx.t(nxt.detail, **nxt.fields),
                )
            )
            link_to(ctx, nxt.page)
    return guide
