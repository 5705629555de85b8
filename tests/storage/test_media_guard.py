"""Download links (/media) answer only a browser holding a current login cookie of the login that made them."""

from __future__ import annotations

import asyncio
import time

import jwt
import pytest

from core.services.accounts import add_user, issue_token, record_logout, session_version
from ui.media_guard import COOKIE_NAME, MediaGuard, MediaOwners

KEY = "m" * 64
SID = "head-first-login"  # the session id of the login that made the files


async def _inner(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"file"})


def _status(guard: MediaGuard, path: str, cookie: str | None) -> int:
    sent = []
    headers = [(b"cookie", cookie.encode("latin-1"))] if cookie is not None else []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    asyncio.run(guard({"type": "http", "path": path, "headers": headers}, receive, send))
    return sent[0]["status"]


@pytest.fixture
def guard(db_engine):
    add_user(db_engine, "head", "head-pass-123", role="branch_head", outlet="城东支局")
    owners = MediaOwners()
    for file_id in ("abc", "0a1b"):  # what this account made (the pages record it when they offer a download)
        owners.grant(file_id, "head", SID, minutes=10)
    guard = MediaGuard(_inner, key_source=lambda: KEY, engine_source=lambda: db_engine, owners=owners)
    return guard, db_engine


def test_media_needs_a_current_login_cookie_and_other_paths_do_not(guard):
    media, engine = guard
    token = issue_token(engine, "head", time.time() + 3600, KEY, sid=SID)
    assert _status(media, "/media/abc.csv", None) == 403
    assert _status(media, "/media/abc.csv", "other=1") == 403
    assert _status(media, "/media/abc.csv", f"{COOKIE_NAME}=garbage") == 403
    assert _status(media, "/media/abc.csv", f"x=1; {COOKIE_NAME}={token}") == 200
    assert _status(media, "/_stcore/health", None) == 200
    # Streamlit looks media up by id and ignores the extension: no suffix may open a file without a login.
    assert _status(media, "/media/0a1b.png", None) == 403
    expired = issue_token(engine, "head", time.time() - 1, KEY, sid=SID)
    assert _status(media, "/media/abc.csv", f"{COOKIE_NAME}={expired}") == 403
    forged = jwt.encode(
        {
            "username": "head",
            "exp_date": time.time() + 3600,
            "ver": session_version(engine, "head"),
            "sid": SID,
        },
        KEY,
        algorithm="HS512",
    )
    assert _status(media, "/media/abc.csv", f"{COOKIE_NAME}={forged}") == 403
    record_logout(engine, "head")
    assert _status(media, "/media/abc.csv", f"{COOKIE_NAME}={token}") == 403


def test_the_front_ends_own_fonts_stay_public_and_every_download_path_does_not(guard):
    """/static/media/ holds the icon font: refusing it shows "dashboard" instead of the menu icon."""
    media, _ = guard
    assert _status(media, "/static/media/MaterialSymbolsRounded.woff2", None) == 200
    assert _status(media, "/static/media/KaTeX_Main-Regular.woff2", None) == 200
    assert _status(media, "/console/media/abc.csv", None) == 403  # under a base URL path
    assert _status(media, "/media/static/abc.csv", None) == 403
    assert _status(media, "/static/../media/abc.csv", None) == 403
