"""The console's login, answered by the server itself (mounted by serve.py), not by a Streamlit session.

A browser asking for a page of the console without a current login cookie gets the login form instead
(:class:`LoginGate`), at the same URL, so a deep link (/strategy) survives it. The form is plain HTML posted to
``/_console/login``: no script, no websocket and no Streamlit session is involved, so a login typed as soon as the
form shows (a password manager) is never lost. A right password sets the login cookie — httpOnly, SameSite=Strict,
Secure over HTTPS — holding the account's token version and a new random session id for this login
(core.services.accounts.issue_token) and sends the browser back to the page it asked for; the Streamlit session
reads the cookie (ui.auth). A browser that logs in again while its cookie of the same account is still current
keeps that cookie's session id, so its open pages' download links keep working. Every refusal (unknown name, wrong
password, a delay still running) is answered after the same ``refusal_seconds`` and says why in one line.

:func:`cookie_login` is the one check of that cookie for every server-side guard (the gate, /media, uploads,
metrics); :func:`request_login` and :func:`request_user` apply it to a request.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from core.errors import AuthError
from core.i18n import t
from core.security.throttle import login_rules
from core.services.accounts import attempt_login, cookie_key, issue_token, list_users, read_token
from core.services.reads import make_engine

COOKIE_NAME = "cunliang_console"
LOGIN_PATH = "/_console/login"
# Streamlit's own endpoints and files, and ours: never answered with the login form.
OPEN_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/", "/_console/")
MAX_FORM_BYTES = 8 * 1024
LANGS = ("zh", "en")
log = logging.getLogger(__name__)

_engine = None


def default_engine():
    """The server's engine for ``DATABASE_URL`` (one per process)."""
    global _engine
    if _engine is None:
        _engine = make_engine()
    return _engine


@dataclass(frozen=True)
class Login:
    """One login of an account: its name and the random session id its cookie was issued with (``sid``). Two
    logins of the same account (another PC, another browser) are two different Logins."""

    username: str
    sid: str


def cookie_login(cookie_header: str, key: str, engine) -> Login | None:
    """The login of a current login cookie in a Cookie header; None for no cookie, a malformed header, a token this
    server did not sign as it signs them, an old token version (logout, password change or reset, lock), an expired
    one or one without a session id (made before logins had them). The one check of a login cookie: the login
    gate, /media, uploads and /_stcore/metrics all come here."""
    token = _cookie(cookie_header)
    if not token:
        return None
    payload = read_token(engine, token, key)
    return None if payload is None else Login(str(payload["username"]), str(payload["sid"]))


def request_login(
    conn: HTTPConnection | Mapping[str, Any],
    *,
    engine_source: Callable[[], Any] | None = None,
    key_source: Callable[[], str] | None = None,
) -> Login | None:
    """:func:`cookie_login` of a request (a Starlette Request/WebSocket or an ASGI scope)."""
    scope = conn.scope if isinstance(conn, HTTPConnection) else conn
    headers = dict(scope.get("headers") or [])
    header = headers.get(b"cookie", b"").decode("latin-1")
    if not _cookie(header):
        return None
    return cookie_login(header, (key_source or cookie_key)(), (engine_source or default_engine)())


def request_user(
    conn: HTTPConnection | Mapping[str, Any],
    *,
    engine_source: Callable[[], Any] | None = None,
    key_source: Callable[[], str] | None = None,
) -> str | None:
    """The account name of a request's current login cookie, or None (no cookie, forged, expired, logged out,
    password changed or reset since, no session id). ``conn``: a Starlette Request/WebSocket or an ASGI scope."""
    login = request_login(conn, engine_source=engine_source, key_source=key_source)
    return None if login is None else login.username


def _cookie(header: str) -> str | None:
    cookies = SimpleCookie()
    try:
        cookies.load(header)
    except Exception:  # a malformed Cookie header: no login
        return None
    morsel = cookies.get(COOKIE_NAME)
    return morsel.value if morsel is not None else None


def safe_next(target: str | None) -> str:
    """A path on this server to return to after login ("/" for anything else: no open redirect)."""
    target = str(target or "")
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or parts.scheme
        or parts.netloc
        or parts.path.startswith("/_")
        or any(ord(c) < 32 for c in target)
    ):
        return "/"
    return target


def login_url(next_path: str, lang: str = "zh") -> str:
    return f"{LOGIN_PATH}?next={quote(safe_next(next_path), safe='/')}" + ("&lang=en" if lang == "en" else "")


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def login_page(
    lang: str,
    next_path: str,
    *,
    message: str | None = None,
    notice: str | None = None,
    username: str = "",
    status: int = 200,
) -> HTMLResponse:
    """The login form (every value escaped); ``message`` in red, ``notice`` in grey below the form."""
    lang = lang if lang in LANGS else "zh"
    e = html.escape
    other = "en" if lang == "zh" else "zh"
    switch = f"{LOGIN_PATH}?next={quote(safe_next(next_path), safe='/')}&lang={other}"
    error = f'<p class="error" role="alert">{e(message)}</p>' if message else ""
    hint = f'<p class="hint">{e(notice)}</p>' if notice else ""
    body = f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(t("ui.app_title", lang))}</title>
<style>
body{{font-family:system-ui,"Microsoft YaHei","PingFang SC",sans-serif;background:#f5f7f6;margin:0}}
main{{max-width:380px;margin:12vh auto;background:#fff;padding:28px 32px;border-radius:10px;
box-shadow:0 1px 6px rgba(0,0,0,.12)}}
h1{{font-size:1.3rem;margin:0 0 18px}} label{{display:block;margin:12px 0 4px;font-size:.95rem}}
input[type=text],input[type=password]{{width:100%;box-sizing:border-box;padding:8px;font-size:1rem;
border:1px solid #bbb;border-radius:6px}}
button{{margin-top:18px;width:100%;padding:9px;font-size:1rem;background:#007a4d;color:#fff;border:0;
border-radius:6px;cursor:pointer}}
.error{{color:#b00020;margin:14px 0 0}} .hint{{color:#555;font-size:.9rem;margin:14px 0 0}}
.lang{{float:right;font-size:.85rem;color:#007a4d}}
</style></head>
<body><main>
<a class="lang" href="{e(switch)}">{e(t("ui.login.language", lang))}</a>
<h1>{e(t("ui.login.title", lang))}</h1>
<form method="post" action="{LOGIN_PATH}" autocomplete="on">
<input type="hidden" name="next" value="{e(safe_next(next_path))}">
<input type="hidden" name="lang" value="{lang}">
<label for="username">{e(t("ui.login.username", lang))}</label>
<input type="text" id="username" name="username" value="{e(username)}" autocomplete="username"
 autocapitalize="none" spellcheck="false" maxlength="64" required{"" if username else " autofocus"}>
<label for="password">{e(t("ui.login.password", lang))}</label>
<input type="password" id="password" name="password" autocomplete="current-password" maxlength="200"
 required{" autofocus" if username else ""}>
<button type="submit">{e(t("ui.login.submit", lang))}</button>
</form>
{error}{hint}
</main></body></html>"""
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def _forget_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(COOKIE_NAME, path="/", secure=secure, httponly=True, samesite="strict")


class LoginService:
    """The login endpoint and the gate in front of the pages, sharing one engine, key, clock and sleep."""

    def __init__(
        self,
        engine_source: Callable[[], Any] | None = None,
        key_source: Callable[[], str] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ):
        self.engine_source = engine_source or default_engine
        self.key_source = key_source or cookie_key
        self.clock = clock
        self.sleep = sleep

    def user(self, conn: HTTPConnection | Mapping[str, Any]) -> str | None:
        return request_user(conn, engine_source=self.engine_source, key_source=self.key_source)

    def notice(self, lang: str) -> str:
        """Under the form: how to get an account (or, on a new server, how to make the first one)."""
        try:
            has_accounts = bool(list_users(self.engine_source()))
        except DBAPIError:
            return t("ui.login.db_busy", lang)
        return t("ui.login.hint" if has_accounts else "ui.login.no_accounts", lang)

    def routes(self) -> list[Route]:
        return [Route(LOGIN_PATH, self.endpoint, methods=["GET", "POST"])]

    async def endpoint(self, request: Request) -> Response:
        if request.method == "GET":
            lang = request.query_params.get("lang", "zh")
            notice = await run_in_threadpool(self.notice, lang)
            page = login_page(lang, request.query_params.get("next", "/"), notice=notice)
            if _cookie(request.headers.get("cookie", "")):  # a stale cookie: the browser logs in again
                _forget_cookie(page, request.url.scheme == "https")
            return page
        return await self.login(request)

    def _token(self, engine, username: str, hours: float, request: Request) -> str:
        """The new cookie: a new session id, or the one of this browser's current cookie of the same account."""
        key = self.key_source()
        held = cookie_login(request.headers.get("cookie", ""), key, engine)
        sid = held.sid if held is not None and held.username == username else None
        return issue_token(engine, username, time.time() + hours * 3600, key, sid=sid)

    async def login(self, request: Request) -> Response:
        started = self.clock()
        secure = request.url.scheme == "https"
        form = await _small_form(request)
        lang = (form or {}).get("lang", "zh")
        lang = lang if lang in LANGS else "zh"
        next_path = safe_next((form or {}).get("next"))
        if form is None or not _same_origin(request):
            return login_page(lang, next_path, message=t("ui.login.bad_request", lang), status=400)
        username = form.get("username", "")[:64]
        client = request.client.host if request.client else None
        engine = self.engine_source()
        try:
            result = await run_in_threadpool(
                attempt_login, engine, username, form.get("password", ""), client=client
            )
            if result.ok:
                hours = login_rules().cookie_hours
                token = await run_in_threadpool(self._token, engine, result.username, hours, request)
        except DBAPIError as exc:  # a long write lock (SQLite) or the database gone: one line, no trace
            log.warning("login refused, database unavailable: %s", type(exc.orig or exc).__name__)
            return login_page(
                lang, next_path, message=t("ui.login.db_busy", lang), username=username, status=503
            )
        except AuthError as exc:  # the server's cookie key is unusable: say so, set nothing
            return login_page(lang, next_path, message=str(exc), username=username, status=503)
        if result.ok:
            if lang != "zh":  # the console opens in the language the form was in
                next_path += ("&" if "?" in next_path else "?") + f"lang={lang}"
            response = RedirectResponse(next_path, status_code=303, headers={"Cache-Control": "no-store"})
            response.set_cookie(
                COOKIE_NAME,
                token,
                max_age=int(hours * 3600),
                path="/",
                secure=secure,
                httponly=True,
                samesite="strict",
            )
            return response
        await self.sleep(max(0.0, started + login_rules().refusal_seconds - self.clock()))
        if result.throttled:
            seconds = max(1, int(-(-result.wait_seconds // 1)))
            message, status = t("accounts.login.wait", lang, seconds=seconds), 429
        else:
            message, status = t("ui.login.failed", lang), 401
        page = login_page(lang, next_path, message=message, username=username, status=status)
        _forget_cookie(page, secure)
        return page


async def _small_form(request: Request) -> dict[str, str] | None:
    """The urlencoded form, or None when it is too long or not a form."""
    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=8, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return None
    return {key: values[0] for key, values in fields.items()}


def _same_origin(request: Request) -> bool:
    """A cross-site post (login CSRF) is refused: the browser says where the form came from."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _wants_page(scope: Mapping[str, Any]) -> bool:
    """A browser opening one of the console's pages (not a file, not one of Streamlit's endpoints)."""
    path = scope.get("path", "")
    if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD"):
        return False
    if path.startswith(OPEN_PREFIXES) or "." in path.rsplit("/", 1)[-1]:
        return False
    accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
    return "text/html" in accept


class LoginGate:
    """ASGI middleware: a page asked for without a current login cookie is answered with the login form."""

    def __init__(self, app, service: LoginService | None = None):
        self.app = app
        self.service = service or LoginService()

    async def __call__(self, scope, receive, send):
        if _wants_page(scope):
            try:
                user = await run_in_threadpool(self.service.user, scope)
            except (DBAPIError, AuthError):  # no database or no usable key: nobody is let in
                user = None
            if user is None:
                query = scope.get("query_string", b"").decode("latin-1")
                path = scope.get("path", "/") + (f"?{query}" if query else "")
                lang = parse_qs(query).get("lang", ["zh"])[0]
                page = login_page(lang, path, notice=await run_in_threadpool(self.service.notice, lang))
                if _cookie(dict(scope.get("headers") or []).get(b"cookie", b"").decode("latin-1")):
                    _forget_cookie(page, scope.get("scheme") == "https")
                await page(scope, receive, send)
                return
        await self.app(scope, receive, send)
