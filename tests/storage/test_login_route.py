"""The server's login (ui/login_route.py): the form in front of every page, the cookie a right password sets, the
same hold for every refusal, no open redirect, no cross-site post, a busy database said in one line, and eight
logins at once — none lost, because no Streamlit session takes part."""

from __future__ import annotations

import asyncio
import datetime as dt
from urllib.parse import urlencode

import bcrypt
import pytest
from sqlalchemy.exc import OperationalError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from core.i18n import t
from core.services import accounts
from core.services.accounts import add_user, read_token, record_logout
from core.services.reads import audit_entries
from ui.login_route import COOKIE_NAME, LoginGate, LoginService, request_user, safe_next

KEY = "r" * 64


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch):
    real = bcrypt.gensalt
    monkeypatch.setattr(accounts.bcrypt, "gensalt", lambda rounds=4, prefix=b"2b": real(4, prefix))
    monkeypatch.setenv("CONSOLE_COOKIE_KEY", KEY)


class Clock:
    """A clock the route reads and a sleep that only records how long the route would wait."""

    def __init__(self):
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        self.now += 0.25  # every look at the clock: a quarter second later (the password check's cost)
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))


@pytest.fixture
def server(db_engine):
    add_user(db_engine, "head", "head-pass-123", role="branch_head", outlet="城东支局")
    clock = Clock()
    service = LoginService(lambda: db_engine, lambda: KEY, clock=clock, sleep=clock.sleep)

    async def streamlit(request):
        return PlainTextResponse("streamlit index")

    app = Starlette(
        routes=[*service.routes(), Route("/{path:path}", streamlit)],
        middleware=[Middleware(LoginGate, service=service)],
    )
    return app, db_engine, clock


def call(app, method: str, path: str, *, form=None, headers=None, scheme="http", client="10.0.0.5"):
    """One request through the ASGI app: (status, headers as a list of (name, value), body text)."""
    body = urlencode(form).encode() if form is not None else b""
    raw = [(b"host", b"console.local")] + [
        (k.lower().encode(), v.encode()) for k, v in (headers or {}).items()
    ]
    if form is not None:
        raw.append((b"content-type", b"application/x-www-form-urlencoded"))
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": raw,
        "scheme": scheme,
        "server": ("console.local", 443 if scheme == "https" else 80),
        "client": (client, 50000),
        "root_path": "",
        "http_version": "1.1",
    }
    return asyncio.run(_call(app, scope, body))


async def _call(app, scope, body):
    sent = []
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()
    return start["status"], [(k.decode(), v.decode()) for k, v in start["headers"]], text


PAGE = {"Accept": "text/html,application/xhtml+xml"}


def login(app, username, password, next_path="/strategy", **kwargs):
    form = {"username": username, "password": password, "next": next_path, "lang": "zh"}
    return call(app, "POST", "/_console/login", form=form, **kwargs)


def cookie_of(headers) -> str:
    return next(v for k, v in headers if k == "set-cookie")


def test_a_page_without_a_login_is_answered_with_the_form_that_returns_to_it(server):
    app, _, _ = server
    status, headers, body = call(app, "GET", "/strategy?tab=bounds", headers=PAGE)
    assert status == 200 and '<form method="post" action="/_console/login"' in body
    assert '<input type="hidden" name="next" value="/strategy?tab=bounds">' in body
    assert (
        dict(headers)["x-frame-options"] == "DENY"
        and "frame-ancestors 'none'" in dict(headers)["content-security-policy"]
    )
    # Streamlit's own endpoints and files pass untouched (they answer for themselves)
    for path in ("/_stcore/health", "/static/js/main.js", "/favicon.png", "/media/abc.csv"):
        assert call(app, "GET", path, headers=PAGE)[2] == "streamlit index", path


def test_a_right_password_sets_an_httponly_strict_cookie_and_returns_to_the_deep_link(server):
    app, engine, _ = server
    status, headers, _ = login(app, "head", "head-pass-123")
    assert status == 303 and dict(headers)["location"] == "/strategy"
    cookie = cookie_of(headers)
    assert cookie.startswith(f"{COOKIE_NAME}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie and "Max-Age=43200" in cookie  # plain http on this PC; 12 hours
    token = cookie.split(";")[0].split("=", 1)[1]
    assert read_token(engine, token, KEY)["username"] == "head"
    assert len(read_token(engine, token, KEY)["sid"]) == 22  # this login's own random session id
    # with the cookie, the page is the console's, and request_user names its account
    status, _, body = call(app, "GET", "/strategy", headers=PAGE | {"Cookie": f"{COOKIE_NAME}={token}"})
    assert body == "streamlit index"
    scope = {"type": "http", "headers": [(b"cookie", f"{COOKIE_NAME}={token}".encode())]}
    assert request_user(scope, engine_source=lambda: engine, key_source=lambda: KEY) == "head"
    record_logout(engine, "head")
    assert request_user(scope, engine_source=lambda: engine, key_source=lambda: KEY) is None
    assert "<form" in call(app, "GET", "/strategy", headers=PAGE | {"Cookie": f"{COOKIE_NAME}={token}"})[2]


def test_over_https_the_cookie_is_secure(server):
    app, _, _ = server
    status, headers, _ = login(app, "head", "head-pass-123", scheme="https")
    assert status == 303 and "Secure" in cookie_of(headers)


def test_every_refusal_is_held_to_the_same_time_and_says_why(server):
    app, _, clock = server
    answers = []
    for username, password in [("head", "wrong-pass-1"), ("ghost", "wrong-pass-1"), ("", "")]:
        status, _, body = login(app, username, password)
        answers.append((status, t("ui.login.failed") in body))
    assert answers == [(401, True)] * 3
    # the route waits until one refusal_seconds (1.0 s) after it started: the check took 0.25 s of it
    assert clock.slept == [0.75, 0.75, 0.75]
    for n in range(4):
        login(app, "head", f"wrong-pass-{n}", client=f"10.9.0.{n}")
    status, _, body = login(app, "head", "head-pass-123", client="10.9.9.9")
    assert status == 429 and "密码错误次数过多，请" in body and "秒后再试" in body
    assert clock.slept[-1] == 0.75  # a delayed attempt is answered after the same hold
    assert 'value="head"' in body  # the name stays filled in; the password does not


def test_the_return_path_stays_on_this_server(server):
    app, _, _ = server
    for target in (
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "/_stcore/x",
    ):
        assert safe_next(target) == "/", target
    status, headers, _ = login(app, "head", "head-pass-123", next_path="//evil.example/x")
    assert status == 303 and dict(headers)["location"] == "/"


def test_a_login_posted_from_another_site_is_refused(server):
    app, engine, _ = server
    status, headers, body = login(app, "head", "head-pass-123", headers={"Origin": "https://evil.example"})
    assert status == 400 and t("ui.login.bad_request") in body
    assert not any(k == "set-cookie" and "Max-Age=43200" in v for k, v in headers)
    status, _, _ = login(app, "head", "head-pass-123", headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 400
    assert login(app, "head", "head-pass-123", headers={"Origin": "http://console.local"})[0] == 303
    assert [e["action"] for e in audit_entries(engine)][:1] == ["login"]  # the refused posts checked nothing


def test_a_locked_database_at_login_says_so_in_one_line(server, monkeypatch):
    app, _, _ = server

    def locked(*args, **kwargs):
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    monkeypatch.setattr("ui.login_route.attempt_login", locked)
    status, _, body = login(app, "head", "head-pass-123")
    assert status == 503 and t("ui.login.db_busy") in body and "Traceback" not in body
    assert "database is locked" not in body


def test_eight_logins_at_once_all_succeed_and_each_is_audited_with_its_address(server):
    app, engine, _ = server
    for n in range(8):
        add_user(engine, f"user{n}", f"pass-word-{n}x", role="staff", outlet="城东支局")

    async def all_at_once():
        async def one(n):
            form = urlencode({"username": f"user{n}", "password": f"pass-word-{n}x", "next": "/"}).encode()
            scope = {
                "type": "http",
                "method": "POST",
                "path": "/_console/login",
                "raw_path": b"/_console/login",
                "query_string": b"",
                "headers": [(b"host", b"c"), (b"content-type", b"application/x-www-form-urlencoded")],
                "scheme": "http",
                "server": ("c", 80),
                "client": (f"10.0.8.{n}", 5000),
                "root_path": "",
            }
            return await _call(app, scope, form)

        return await asyncio.gather(*(one(n) for n in range(8)))

    results = asyncio.run(all_at_once())
    assert [status for status, _, _ in results] == [303] * 8
    logins = {e["username"]: e["detail"]["client"] for e in audit_entries(engine) if e["action"] == "login"}
    assert logins == {f"user{n}": f"10.0.8.{n}" for n in range(8)}
    assert all(
        dt.datetime.fromisoformat(accounts.get_user(engine, f"user{n}")["last_login_at"]) for n in range(8)
    )


def test_a_login_in_english_opens_the_console_in_english(server):
    app, _, _ = server
    status, _, body = call(app, "GET", "/_console/login?next=/history&lang=en")
    assert (
        status == 200 and "Log in to the Customer Tier Console" in body and 'name="lang" value="en"' in body
    )
    form = {"username": "head", "password": "head-pass-123", "next": "/history", "lang": "en"}
    status, headers, _ = call(app, "POST", "/_console/login", form=form)
    assert status == 303 and dict(headers)["location"] == "/history?lang=en"


def test_an_unusable_cookie_key_lets_nobody_in_and_says_why(db_engine, monkeypatch):
    from core.errors import AuthError

    add_user(db_engine, "head", "head-pass-123", role="branch_head", outlet="城东支局")

    def short_key():
        raise AuthError(t("accounts.cookie_key.short", "zh", source="CONSOLE_COOKIE_KEY", n=5))

    clock = Clock()
    service = LoginService(lambda: db_engine, short_key, clock=clock, sleep=clock.sleep)

    async def streamlit(request):
        return PlainTextResponse("streamlit index")

    app = Starlette(
        routes=[*service.routes(), Route("/{path:path}", streamlit)],
        middleware=[Middleware(LoginGate, service=service)],
    )
    status, headers, body = login(app, "head", "head-pass-123")
    assert status == 503 and "登录密钥 CONSOLE_COOKIE_KEY 太短" in body
    assert not any(k == "set-cookie" for k, _ in headers)
    assert "<form" in call(app, "GET", "/", headers=PAGE | {"Cookie": f"{COOKIE_NAME}=x.y.z"})[2]
