"""What every response of the console says to the browser, and Streamlit's metrics behind the login.

Mounted by ``serve.py``: each response carries ``Content-Security-Policy: frame-ancestors 'none'`` and
``X-Frame-Options: DENY`` (no other site may frame the console: clickjacking), ``X-Content-Type-Options: nosniff``
and ``Referrer-Policy: same-origin``; over HTTPS (``make run-lan``) also ``Strict-Transport-Security``, so a
browser that once reached the console over TLS never falls back to plain HTTP. ``/_stcore/metrics`` (sessions,
caches, memory) answers only a current login (``ui.media_guard.login_user``).
"""

from __future__ import annotations

from core.i18n import t
from ui.media_guard import CookieLogin, _refuse

HSTS = b"max-age=31536000"
FRAME = [
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
METRICS = "/_stcore/metrics"


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response, and /_stcore/metrics refused before login."""

    def __init__(self, app, key_source=None, engine_source=None):
        self.app = app
        self.login = CookieLogin(key_source, engine_source)

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("path", "").rstrip("/").endswith(METRICS) and self.login.user_of(scope) is None:
            await _refuse(403, t("guard.login_required"))(_with_headers(send, scope))
            return
        await self.app(scope, receive, _with_headers(send, scope))


def _with_headers(send, scope):
    extra = list(FRAME)
    if scope.get("scheme") == "https":
        extra.append((b"strict-transport-security", HSTS))

    async def wrapped(message):
        if message["type"] == "http.response.start":
            names = {name.lower() for name, _ in message.get("headers") or []}
            message = {
                **message,
                "headers": [*(message.get("headers") or []), *((k, v) for k, v in extra if k not in names)],
            }
        await send(message)

    return wrapped
