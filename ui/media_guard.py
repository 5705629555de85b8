"""Streamlit serves download files at ``/media/<id>`` without asking who wants them; this ASGI middleware does.

A request under ``/media/`` passes only with a login cookie that the console itself would accept (signed with
the server's key, HS256, the account's current token version, not locked, not expired); anything else is 403.
It is mounted by ``serve.py`` (``st.App``), which ``make run`` and ``make run-lan`` start.
"""

from __future__ import annotations

import time
from http.cookies import SimpleCookie

from core.accounts import read_token
from core.storage.engine import make_engine

COOKIE_NAME = "cunliang_console"  # the same name as ui.auth.COOKIE_NAME (kept free of streamlit imports)
MEDIA = "/media/"
STATIC = (
    "/static"  # the front end's own files: /static/media/ holds its fonts (icons, KaTeX), public by design
)


def protected(path: str) -> bool:
    """A download link: ``/media/<id>`` (also under a base URL path), but not the front end's /static/media/
    fonts (blocking those turns every Material icon into its name before and after login)."""
    head, found, _ = path.partition(MEDIA)
    return bool(found) and not head.endswith(STATIC)


class MediaGuard:
    """ASGI middleware: 403 for a protected path without a current login cookie."""

    def __init__(self, app, key_source=None, engine_source=None):
        self.app = app
        self._key_source = key_source
        self._engine_source = engine_source
        self._engine = None

    def _key(self) -> str:
        if self._key_source is not None:
            return self._key_source()
        from ui.auth import cookie_key

        return cookie_key()

    def _engine_for(self):
        if self._engine is None:
            self._engine = self._engine_source() if self._engine_source else make_engine()
        return self._engine

    def allowed(self, cookie_header: str) -> bool:
        cookies = SimpleCookie()
        try:
            cookies.load(cookie_header)
        except Exception:  # a malformed Cookie header: no login
            return False
        morsel = cookies.get(COOKIE_NAME)
        if morsel is None:
            return False
        payload = read_token(self._engine_for(), morsel.value, self._key())
        return payload is not None and float(payload["exp_date"]) > time.time()

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope.get("type") == "http" and protected(path):
            headers = dict(scope.get("headers") or [])
            cookie = headers.get(b"cookie", b"").decode("latin-1")
            if not self.allowed(cookie):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 403,
                        "headers": [(b"content-type", b"text/plain")],
                    }
                )
                await send({"type": "http.response.body", "body": "需要登录".encode()})
                return
        await self.app(scope, receive, send)
