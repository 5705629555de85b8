"""Streamlit serves download files at ``/media/<id>`` without asking who wants them; this ASGI middleware does.

A request under ``/media/`` passes only with a login cookie that the console itself would accept (signed with
the server's key, HS256, the account's current token version, a session id, not locked, not expired), and only for
a file that this same login — the same account *and* the same session id, so not the same person logged in on
another PC — made within the last ``media_link_minutes`` (``core/ingest/limits.toml``): the page that offers a
download records its owner (``ui/downloads.py``) when the file is handed to Streamlit. Anything else is 403, and a
link refused to a login (another login's, expired, unknown) is logged. Logout and a password change or reset end
the cookie, and with it every link it made. It is mounted by ``serve.py`` (``st.App``), which ``make run`` and
``make run-lan`` start.

``ui.login_route.cookie_login`` is the one check of a login cookie; ``CookieLogin`` applies it with the server's
key and database for this guard, the upload endpoint and /_stcore/metrics.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from core.i18n import t
from core.ingest.limits import current_limits
from core.services.reads import make_engine
from ui.login_route import COOKIE_NAME, Login, cookie_login

__all__ = [
    "COOKIE_NAME",
    "CookieLogin",
    "Grant",
    "Login",
    "MediaGuard",
    "MediaOwners",
    "login_user",
    "media_id",
]

MEDIA = "/media/"
STATIC = (
    "/static"  # the front end's own files: /static/media/ holds its fonts (icons, KaTeX), public by design
)
_FILE_ID = re.compile(r"/media/([^/.?#]+)")
log = logging.getLogger(__name__)


def protected(path: str) -> bool:
    """A download link: ``/media/<id>`` (also under a base URL path), but not the front end's /static/media/
    fonts (blocking those turns every Material icon into its name before and after login)."""
    head, found, _ = path.partition(MEDIA)
    return bool(found) and not head.endswith(STATIC)


def media_id(url_or_path: str) -> str | None:
    """The file id in ``/media/<id>.<ext>`` (Streamlit looks files up by id and ignores the extension)."""
    found = _FILE_ID.search(url_or_path)
    return found.group(1) if found else None


def login_user(cookie_header: str, key: str, engine) -> str | None:
    """The account name of a current login cookie in ``cookie_header`` (``cookie_login``), or None."""
    login = cookie_login(cookie_header, key, engine)
    return None if login is None else login.username


class CookieLogin:
    """``cookie_login`` with the server's key and database, found when first needed (tests pass their own)."""

    def __init__(self, key_source=None, engine_source=None):
        self._key_source = key_source
        self._engine_source = engine_source
        self._engine = None

    def _key(self) -> str:
        if self._key_source is not None:
            return self._key_source()
        from ui.auth import cookie_key

        return cookie_key()

    def engine(self):
        if self._engine is None:
            self._engine = self._engine_source() if self._engine_source else make_engine()
        return self._engine

    def login(self, cookie_header: str) -> Login | None:
        return cookie_login(cookie_header, self._key(), self.engine())

    def user(self, cookie_header: str) -> str | None:
        login = self.login(cookie_header)
        return None if login is None else login.username

    def login_of(self, scope) -> Login | None:
        headers = dict(scope.get("headers") or [])
        return self.login(headers.get(b"cookie", b"").decode("latin-1"))

    def user_of(self, scope) -> str | None:
        login = self.login_of(scope)
        return None if login is None else login.username


@dataclass
class Grant:
    """One login's right to one download file, and what the file holds (written to the audit log when fetched)."""

    user: str
    sid: str
    expires: float
    audit: dict[str, Any] = field(default_factory=dict)


class MediaOwners:
    """Which login (account and session id) made which download file, until when. Files are content-addressed by
    Streamlit, so two logins that produce the same bytes each hold their own grant."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._grants: dict[str, list[Grant]] = {}
        self._lock = threading.Lock()

    def grant(
        self,
        file_id: str,
        user: str,
        sid: str,
        minutes: float | None = None,
        audit: dict[str, Any] | None = None,
    ) -> None:
        if not file_id or not user or not sid:
            raise ValueError("a download is granted to one login: file id, account and session id")
        minutes = current_limits().media_link_minutes if minutes is None else minutes
        now = self._clock()
        with self._lock:
            kept = [
                g for g in self._grants.get(file_id, []) if (g.user, g.sid) != (user, sid) and g.expires > now
            ]
            self._grants[file_id] = [*kept, Grant(user, sid, now + minutes * 60, dict(audit or {}))]
            for other in [f for f, gs in self._grants.items() if all(g.expires <= now for g in gs)]:
                del self._grants[other]

    def allowed(self, file_id: str | None, user: str | None, sid: str | None) -> Grant | None:
        """The grant that lets this login (``user``, ``sid``) fetch ``file_id`` now, or None."""
        if not file_id or not user or not sid:
            return None
        now = self._clock()
        with self._lock:
            return next(
                (
                    g
                    for g in self._grants.get(file_id, [])
                    if g.user == user and g.sid == sid and g.expires > now
                ),
                None,
            )

    def refusal(self, file_id: str | None, user: str) -> str:
        """Why a login holds no grant for ``file_id``, for the log: the file is another login's of the same
        account, another account's, or no current link at all (expired or never made)."""
        now = self._clock()
        with self._lock:
            holders = [g for g in self._grants.get(file_id or "", []) if g.expires > now]
        if any(g.user == user for g in holders):
            return "another login of the same account"
        return "another account" if holders else "expired or unknown"


OWNERS = MediaOwners()  # one per server process: the pages record into it, the middleware reads it


def _downloadable(file_id: str | None) -> bool:
    """True unless Streamlit holds ``file_id`` as page media (the page icon, an image), which any logged-in browser
    may load; a download file, a deferred download or an unknown id needs its owner."""
    from streamlit import runtime
    from streamlit.runtime.media_file_storage import MediaFileKind

    if not file_id or not runtime.exists():
        return True
    manager = runtime.get_instance().media_file_mgr
    if not manager.can_read_files:
        return True
    try:
        found = manager.read_file(file_id)
    except Exception:  # the storage refuses to read: treat it as a download
        return True
    return found is None or found.kind != MediaFileKind.MEDIA


def _refuse(status: int, text: str):
    async def respond(send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": text.encode()})

    return respond


class MediaGuard:
    """ASGI middleware: 403 for a protected path without a current login cookie of the login that made it."""

    def __init__(
        self,
        app,
        key_source=None,
        engine_source=None,
        owners: MediaOwners | None = None,
        on_fetch=None,
        downloadable=None,
    ):
        self.app = app
        self.login = CookieLogin(key_source, engine_source)
        self.owners = owners or OWNERS
        self._on_fetch = (
            on_fetch  # called with (user, grant, client) when a file is handed out (the audit row)
        )
        self._downloadable = downloadable or _downloadable

    def allowed(self, cookie_header: str) -> bool:
        return self.login.login(cookie_header) is not None

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope.get("type") == "http" and protected(path):
            login = self.login.login_of(scope)
            if login is None:
                await _refuse(403, t("guard.login_required"))(send)
                return
            file_id = media_id(path)
            if not self._downloadable(file_id):  # page media (the icon): any current login
                await self.app(scope, receive, send)
                return
            client = (scope.get("client") or ("", 0))[0]
            grant = self.owners.allowed(file_id, login.username, login.sid)
            if grant is None:
                log.warning(
                    "download link refused to %s from %s: %s",
                    login.username,
                    client or "?",
                    self.owners.refusal(file_id, login.username),
                )
                await _refuse(403, t("guard.media_not_yours"))(send)
                return
            if self._on_fetch is not None:
                self._on_fetch(login.username, grant, client)
            else:
                _audit_fetch(self.login.engine(), login.username, grant, client)
        await self.app(scope, receive, send)


def _audit_fetch(engine, user: str, grant: Grant, client: str) -> None:
    """The audit row of a console download: what the page recorded when it offered the file, plus who fetched it
    from which address."""
    if not grant.audit:
        return
    from core.services.exports import record_export

    record_export(engine, user, **grant.audit, client=client)
