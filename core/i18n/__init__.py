"""User-facing text in one place. Chinese is the default; English is selectable.

Each area keeps its messages in a module of this package as ``MESSAGES = {key: {"zh": ..., "en": ...}}``;
``t(key, lang, **fields)`` formats one. Keys are namespaced by area: ``ingest.*``, ``policy.*``, ``ui.*``.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

DEFAULT_LANG = "zh"
LANGS = ("zh", "en")


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All messages of every module in this package, merged; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise KeyError(f"message key {key!r} defined twice (again in {info.name})")
            merged[key] = texts
    return merged


def t(key: str, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """The message ``key`` in ``lang`` with ``fields`` filled in."""
    texts = catalog()[key]
    template = texts.get(lang) or texts[DEFAULT_LANG]
    return template.format(**fields) if fields else template
