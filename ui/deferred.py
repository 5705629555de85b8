"""延后 N in words, the same on every page that shows a compliance figure (core.services.deferred)."""

from __future__ import annotations

from core.services import DeferredCount
from ui.context import Ctx
from ui.fmt import count


def deferred_caption(ctx: Ctx, deferred: DeferredCount, *, per_person: bool = False) -> str:
    """延后 N of the period's published plans, or 延后 — when none of its plans was published; with
    ``per_person`` each person's N after it (most first)."""
    if not deferred.published:
        return ctx.t("deferred.caption.none", period=deferred.period)
    text = ctx.t("deferred.caption", n=count(deferred.total), period=deferred.period)
    people = sorted(deferred.by_staff.items(), key=lambda kv: (-kv[1], kv[0]))
    if per_person and people:
        text += ctx.t("deferred.per_person", people="、".join(f"{k} {count(v)}" for k, v in people))
    return text


def deferred_figure(deferred: DeferredCount) -> str:
    """The figure beside a metric: N, or — when none of the period's plans was published."""
    return count(deferred.total) if deferred.published else "—"
