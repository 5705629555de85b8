"""Streamlit's upload endpoint, ``PUT /_stcore/upload_file/<session>/<file>``, behind the login and within a budget.

Streamlit accepts an upload from any browser that holds a session id and the page's XSRF token, which the login
page hands out to everyone; each file stays in the server's memory until its session ends. This ASGI middleware
(mounted by ``serve.py``) lets a PUT or DELETE through only with a current login cookie (the one check,
``ui.login_route.cookie_login``), counts the bytes of the body as they arrive and stops a file over
``upload_file_mb`` or a session over ``upload_session_mb`` (``core/ingest/limits.toml``) with 413 before Streamlit
has kept it. The first upload into a Streamlit session binds that session to its login (account and the cookie's
session id): a later PUT or DELETE there from any other login — the same account on another PC included — is 403.
A session's count and binding are dropped, and what it uploaded released through the runtime's uploaded-file
manager, once the session is gone.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time

from core.i18n import t
from core.ingest.limits import current_limits
from ui.media_guard import CookieLogin, Login, _refuse

MB = 1024 * 1024
_UPLOAD = re.compile(r"/_stcore/upload_file/([^/]+)/([^/]+)/?$")
SWEEP_SECONDS = 30  # how often (at most) ended sessions are looked for
_FRAMING = 64 * 1024  # the multipart envelope around the file: boundary lines and part headers


def upload_target(path: str) -> tuple[str, str] | None:
    """(session id, file id) of an upload path (also under a base URL path); None for any other path."""
    found = _UPLOAD.search(path)
    return (found.group(1), found.group(2)) if found else None


def _runtime_alive(session_id: str) -> bool:
    """True while the session is connected. Streamlit keeps a disconnected session for a reconnect but, when it
    drops it later, never frees its uploads; they are freed here once the connection is gone (a browser that
    reconnects after that uploads its file again)."""
    from streamlit import runtime

    if not runtime.exists():
        return True
    return runtime.get_instance().get_app_session(session_id) is not None


def _runtime_release(session_id: str) -> None:
    """Free what a session that ended uploaded (Streamlit frees it on a clean shutdown only)."""
    from streamlit import runtime

    if runtime.exists():
        runtime.get_instance().uploaded_file_mgr.remove_session_files(session_id)


class _TooLarge(Exception):
    pass


class UploadGuard:
    """ASGI middleware for the upload endpoint: login first, then a per-file and a per-session byte cap."""

    def __init__(
        self,
        app,
        key_source=None,
        engine_source=None,
        limits_source=None,
        alive=None,
        release=None,
        clock=time.monotonic,
    ):
        self.app = app
        self.login = CookieLogin(key_source, engine_source)
        self._limits = limits_source or current_limits
        self._alive = alive or _runtime_alive
        self._release = release or _runtime_release
        self._lock = threading.Lock()
        self.sessions: dict[str, dict[str, int]] = {}  # session id -> file id -> bytes kept by Streamlit
        self.owners: dict[str, Login] = {}  # session id -> the login that uploaded into it first
        self._clock = clock
        self._swept = clock()

    def used(self, session_id: str) -> int:
        with self._lock:
            return sum(self.sessions.get(session_id, {}).values())

    def sweep(self) -> None:
        """Forget (and free) the uploads of every session Streamlit no longer knows."""
        with self._lock:
            gone = [s for s in {*self.sessions, *self.owners} if not self._alive(s)]
            for session_id in gone:
                self.sessions.pop(session_id, None)
                self.owners.pop(session_id, None)
        for session_id in sorted(gone):
            self._release(session_id)

    async def __call__(self, scope, receive, send):
        if (
            self.sessions or self.owners
        ) and self._clock() - self._swept > SWEEP_SECONDS:  # any request will do: no timer thread
            self._swept = self._clock()
            self.sweep()
        target = upload_target(scope.get("path", "")) if scope.get("type") == "http" else None
        if target is None:
            await self.app(scope, receive, send)
            return
        method = scope.get("method", "GET")
        if method == "OPTIONS":
            await self.app(scope, receive, send)
            return
        login = self.login.login_of(scope)
        if login is None:
            await _refuse(403, t("guard.login_required"))(send)
            return
        session_id, file_id = target
        if not self._owned_by(session_id, login, claim=method == "PUT"):
            await _refuse(403, t("guard.upload_not_yours"))(send)
            return
        if method == "DELETE":
            await self.app(
                scope, receive, _forget_on_success(send, lambda: self._forget(session_id, file_id))
            )
            return
        if method != "PUT":
            await self.app(scope, receive, send)
            return
        await self._put(scope, receive, send, session_id, file_id)

    def _owned_by(self, session_id: str, login: Login, *, claim: bool) -> bool:
        """True when ``session_id``'s uploads are ``login``'s, or nobody's yet (an upload then claims them)."""
        with self._lock:
            owner = self.owners.get(session_id)
            if owner is None and claim:
                self.owners[session_id] = owner = login
        return owner is None or owner == login

    def _forget(self, session_id: str, file_id: str) -> None:
        with self._lock:
            self.sessions.get(session_id, {}).pop(file_id, None)

    async def _put(self, scope, receive, send, session_id: str, file_id: str) -> None:
        self.sweep()
        limits = self._limits()
        per_file = limits.upload_file_mb * MB
        with self._lock:
            others = sum(n for f, n in self.sessions.get(session_id, {}).items() if f != file_id)
        # A file may bring its multipart envelope on top of its cap (as Streamlit allows); a session may not.
        room = min(per_file + _FRAMING, limits.upload_session_mb * MB - others)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").strip()
        too_large = _refuse(
            413,
            t("guard.upload_too_large", file_mb=limits.upload_file_mb, session_mb=limits.upload_session_mb),
        )
        if room <= 0 or (declared.isdigit() and int(declared) > room):
            await too_large(send)
            return
        received = 0
        over = False

        async def counted():
            nonlocal received, over
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > room:
                    over = True
                    raise _TooLarge
            return message

        started: list[dict] = []

        async def answer(message):  # once the body went over, whatever the route answers (a 500) is replaced
            if over:
                return
            if message["type"] == "http.response.start":
                started.append(message)
            await send(message)

        with contextlib.suppress(_TooLarge):  # raised into the route by ``counted``; answered below
            await self.app(scope, counted, answer)
        if over:
            if not started:
                await too_large(send)
            return
        if started and started[0].get("status") in (200, 204):
            with self._lock:
                self.sessions.setdefault(session_id, {})[file_id] = received


def _forget_on_success(send, forget):
    async def wrapped(message):
        if message["type"] == "http.response.start" and message.get("status") in (200, 204):
            forget()
        await send(message)

    return wrapped
