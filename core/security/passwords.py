"""Weak passwords: the deny-list in passwords.toml, keyboard walks, lucky numbers and the user name."""

from __future__ import annotations

import pathlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache

HERE = pathlib.Path(__file__).resolve().parent
LEET = str.maketrans({"@": "a", "0": "o", "1": "i", "3": "e", "$": "s", "5": "s", "!": "i"})
_RUN = re.compile(r"(.)\1{2,}")  # one character three times or more


@dataclass(frozen=True)
class DenyList:
    exact: frozenset[str]
    fragments: tuple[str, ...]  # longest first
    walks: tuple[str, ...]  # each forwards and backwards
    min_rest: int
    min_walk: int
    years: tuple[str, ...]  # every year of the range, as text


@cache
def deny_list(path: pathlib.Path = HERE / "passwords.toml") -> DenyList:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    walks = [w.lower() for w in data["walks"]]
    return DenyList(
        exact=frozenset(p.lower() for p in data["exact"]),
        fragments=tuple(sorted({f.lower() for f in data["fragments"]}, key=len, reverse=True)),
        walks=tuple(walks + [w[::-1] for w in walks]),
        min_rest=int(data["min_rest"]),
        min_walk=int(data["min_walk"]),
        years=tuple(str(y) for y in range(int(data["years"][0]), int(data["years"][1]) + 1)),
    )


def is_common(password: str, deny: DenyList | None = None) -> bool:
    """True for a password on the list itself (as typed or after the usual swaps)."""
    deny = deny or deny_list()
    typed = password.lower()
    return typed in deny.exact or typed.translate(LEET) in deny.exact


def is_weak(password: str, username: str | None = None, deny: DenyList | None = None) -> bool:
    """True for a password on the list, or one that is little more than predictable pieces.

    Checked as typed (lower case) and after the usual symbol/digit swaps (P@ssw0rd → password).
    """
    deny = deny or deny_list()
    typed = password.lower()
    name = (username or "").strip().lower()
    for text in dict.fromkeys((typed, typed.translate(LEET))):
        if text in deny.exact or len(_rest(text, name, deny)) < deny.min_rest:
            return True
    return False


def _rest(text: str, name: str, deny: DenyList) -> str:
    """What is left of ``text`` once walks, runs, the user name (either way round), years and fragments are taken
    out."""
    text = _without_walks(text, deny)
    text = _RUN.sub("", text)
    if len(name) >= 2:
        text = text.replace(name, "").replace(name[::-1], "")
    for fragment in (*deny.years, *deny.fragments):
        text = text.replace(fragment, "")
    return _without_walks(_RUN.sub("", text), deny)


def _without_walks(text: str, deny: DenyList) -> str:
    """``text`` without every piece (``min_walk`` characters or more) of a keyboard walk or counting sequence."""
    keep = [True] * len(text)
    for start in range(len(text)):
        for end in range(len(text), start + deny.min_walk - 1, -1):
            if any(text[start:end] in walk for walk in deny.walks):
                keep[start:end] = [False] * (end - start)
                break
    return "".join(c for c, k in zip(text, keep, strict=True) if k)
