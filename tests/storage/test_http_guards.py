"""The server's own middleware (serve.py): uploads only after login and within a byte budget, security headers on
every response, /_stcore/metrics behind the login, download links only for the account that made them, in time."""

from __future__ import annotations

import asyncio
import time

import pytest

from core.i18n import t
from core.ingest.limits import current_limits
from core.services.accounts import add_user, issue_token, record_logout
from core.services.reads import audit_entries
from ui.http_headers import SecurityHeaders
from ui.media_guard import COOKIE_NAME, MediaGuard, MediaOwners
from ui.upload_guard import UploadGuard, upload_target

KEY = "k" * 64
MB = 1024 * 1024
SIDS = {name: f"{name}-first-login" for name in ("head", "limin", "dongjie")}  # each login's session id


def _limits(**changes):
    return type(current_limits())(**(vars(current_limits()) | changes))


async def _store_body(scope, receive, send):
    """Streamlit's upload route, as far as the guard can tell: reads the whole body, then answers 204."""
    while True:
        message = await receive()
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


async def _ok(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"file"})


def _call(
    app, path, *, method="GET", cookie=None, body=b"", chunk=MB, scheme="http", declared=True, client=None
):
    headers = [(b"cookie", cookie.encode("latin-1"))] if cookie else []
    if declared and body:
        headers.append((b"content-length", str(len(body)).encode()))
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
    sent = []

    async def receive():
        piece = pieces.pop(0) if pieces else b""
        return {"type": "http.request", "body": piece, "more_body": bool(pieces)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "method": method, "headers": headers, "scheme": scheme}
    if client:
        scope["client"] = (client, 50000)
    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def accounts(db_engine):
    add_user(db_engine, "head", "head-pass-123", role="branch_head", outlet="城关支局")
    add_user(db_engine, "limin", "staff-pass-123", role="staff", outlet="城关支局", staff_name="李敏")
    add_user(db_engine, "dongjie", "head-pass-456", role="branch_head", outlet="东街支局")
    cookie = {
        name: f"{COOKIE_NAME}={issue_token(db_engine, name, time.time() + 3600, KEY, sid=SIDS[name])}"
        for name in ("head", "limin", "dongjie")
    }
    return db_engine, cookie


def test_upload_paths_are_recognised_under_a_base_path_and_nothing_else():
    assert upload_target("/_stcore/upload_file/s1/f1") == ("s1", "f1")
    assert upload_target("/console/_stcore/upload_file/s1/f1") == ("s1", "f1")
    assert upload_target("/_stcore/upload_file/s1") is None
    assert upload_target("/media/abc") is None


def test_an_upload_without_a_current_login_is_refused_before_a_byte_is_read(accounts):
    engine, cookie = accounts
    guard = UploadGuard(
        _store_body, lambda: KEY, lambda: engine, alive=lambda s: True, release=lambda s: None
    )
    path = "/_stcore/upload_file/sess/f1"
    assert _call(guard, path, method="PUT", body=b"x" * 1000)[0] == 403
    assert _call(guard, path, method="PUT", body=b"x" * 1000, cookie=f"{COOKIE_NAME}=forged")[0] == 403
    assert _call(guard, path, method="DELETE")[0] == 403
    assert guard.used("sess") == 0
    assert _call(guard, path, method="PUT", body=b"x" * 1000, cookie=cookie["head"])[0] == 204
    assert guard.used("sess") == 1000
    record_logout(engine, "head")  # the copied cookie stops working at once
    assert (
        _call(guard, "/_stcore/upload_file/sess/f2", method="PUT", body=b"x", cookie=cookie["head"])[0] == 403
    )


def test_per_file_and_per_session_caps_stop_the_body_as_it_arrives(accounts):
    engine, cookie = accounts
    limits = _limits(upload_file_mb=1, upload_session_mb=2)
    guard = UploadGuard(
        _store_body, lambda: KEY, lambda: engine, lambda: limits, alive=lambda s: True, release=lambda s: None
    )
    head = cookie["head"]
    # Declared too large: refused from the header.
    status, _, text = _call(
        guard, "/_stcore/upload_file/s/big", method="PUT", cookie=head, body=b"x" * (2 * MB)
    )
    assert status == 413 and "单个文件 1 MB，每个会话 2 MB" in text.decode()
    # Undeclared (chunked): counted while streaming and stopped.
    status, _, _ = _call(
        guard,
        "/_stcore/upload_file/s/big",
        method="PUT",
        cookie=head,
        body=b"x" * (2 * MB),
        chunk=256 * 1024,
        declared=False,
    )
    assert status == 413 and guard.used("s") == 0
    for n in (1, 2):
        assert (
            _call(guard, f"/_stcore/upload_file/s/f{n}", method="PUT", cookie=head, body=b"x" * (MB - 100))[0]
            == 204
        )
    assert guard.used("s") == 2 * (MB - 100)
    assert _call(guard, "/_stcore/upload_file/s/f3", method="PUT", cookie=head, body=b"x" * 1000)[0] == 413
    # Replacing a file counts it once; deleting one gives its room back; another session has its own budget.
    assert _call(guard, "/_stcore/upload_file/s/f2", method="PUT", cookie=head, body=b"x" * 500)[0] == 204
    assert guard.used("s") == MB - 100 + 500
    assert _call(guard, "/_stcore/upload_file/s/f1", method="DELETE", cookie=head)[0] == 204
    assert guard.used("s") == 500
    assert (
        _call(guard, "/_stcore/upload_file/t/f1", method="PUT", cookie=head, body=b"x" * (MB - 100))[0] == 204
    )


def test_what_an_ended_session_uploaded_is_released(accounts):
    engine, cookie = accounts
    alive, released = {"s1", "s2"}, []
    guard = UploadGuard(
        _store_body, lambda: KEY, lambda: engine, alive=alive.__contains__, release=released.append
    )
    for session in ("s1", "s2"):
        assert (
            _call(
                guard,
                f"/_stcore/upload_file/{session}/f",
                method="PUT",
                cookie=cookie["head"],
                body=b"x" * 10,
            )[0]
            == 204
        )
    alive.discard("s1")  # the browser closed and Streamlit dropped the session
    guard.sweep()
    assert released == ["s1"] and guard.used("s1") == 0 and guard.used("s2") == 10
    assert set(guard.owners) == {"s2"}  # the ended session's binding to its login goes with it


def test_security_headers_on_every_response_and_hsts_only_over_https(accounts):
    engine, _cookie = accounts
    app = SecurityHeaders(_ok, lambda: KEY, lambda: engine)
    _, headers, _ = _call(app, "/")
    assert headers[b"content-security-policy"] == b"frame-ancestors 'none'"
    assert headers[b"x-frame-options"] == b"DENY"
    assert b"strict-transport-security" not in headers
    _, headers, _ = _call(app, "/", scheme="https")
    assert headers[b"strict-transport-security"] == b"max-age=31536000"


def test_metrics_only_after_login(accounts):
    engine, cookie = accounts
    app = SecurityHeaders(_ok, lambda: KEY, lambda: engine)
    status, headers, _ = _call(app, "/_stcore/metrics")
    assert status == 403 and headers[b"x-frame-options"] == b"DENY"
    assert _call(app, "/console/_stcore/metrics", cookie=f"{COOKIE_NAME}=nope")[0] == 403
    assert _call(app, "/_stcore/metrics", cookie=cookie["head"])[0] == 200
    assert _call(app, "/_stcore/health")[0] == 200


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_download_link_answers_only_the_account_that_made_it_and_expires(accounts):
    engine, cookie = accounts
    clock = _Clock()
    owners = MediaOwners(clock=clock)
    guard = MediaGuard(_ok, lambda: KEY, lambda: engine, owners=owners, on_fetch=lambda *a: None)
    owners.grant("abc123", "head", SIDS["head"], minutes=10)
    assert _call(guard, "/media/abc123.csv", cookie=cookie["head"])[0] == 200
    assert _call(guard, "/media/abc123.csv", cookie=cookie["limin"])[0] == 403  # staff of the same outlet
    assert _call(guard, "/media/abc123.csv", cookie=cookie["dongjie"])[0] == 403  # another outlet's head
    assert _call(guard, "/media/unknown.csv", cookie=cookie["head"])[0] == 403
    clock.now += 10 * 60 + 1
    status, _, text = _call(guard, "/media/abc123.csv", cookie=cookie["head"])
    assert status == 403 and text.decode() == t("guard.media_not_yours")


def test_a_console_download_is_audited_when_fetched_with_the_client_address(accounts):
    engine, cookie = accounts
    owners = MediaOwners()
    guard = MediaGuard(_ok, lambda: KEY, lambda: engine, owners=owners)
    owners.grant(
        "f00d",
        "head",
        SIDS["head"],
        audit={
            "kind": "customers",
            "outlet": "城关支局",
            "masked": False,
            "rows": 872,
            "file_name": "客户.csv",
        },
    )
    assert _call(guard, "/media/f00d.csv", cookie=cookie["head"], client="10.1.2.3")[0] == 200
    entry = audit_entries(engine, outlet="城关支局", limit=1)[0]
    assert entry["username"] == "head" and entry["action"] == "export.customers"
    assert entry["detail"] == {
        "masked": False,
        "rows": 872,
        "file_name": "客户.csv",
        "client": "10.1.2.3",
        "via": "console",
    }


def test_ended_sessions_are_released_on_a_later_request_of_any_kind(accounts):
    engine, cookie = accounts
    alive, released, clock = {"s1"}, [], _Clock()
    guard = UploadGuard(
        _store_body,
        lambda: KEY,
        lambda: engine,
        alive=alive.__contains__,
        release=released.append,
        clock=clock,
    )
    assert (
        _call(guard, "/_stcore/upload_file/s1/f", method="PUT", cookie=cookie["head"], body=b"x" * 10)[0]
        == 204
    )
    alive.clear()
    _call(guard, "/_stcore/health")
    assert released == []  # looked for at most every 30 s
    clock.now += 31
    _call(guard, "/_stcore/health")
    assert released == ["s1"] and guard.used("s1") == 0


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_py_mounts_the_guards_on_the_real_server(tmp_path):
    """`streamlit run serve.py` as `make run` starts it: headers on the page, metrics, uploads and media refused
    without a login (the logged-in paths are the browser journey's)."""
    import contextlib
    import os
    import pathlib
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    root = pathlib.Path(__file__).resolve().parents[2]
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'console.db'}", CONSOLE_COOKIE_KEY="c" * 64)
    with (tmp_path / "streamlit.log").open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                    break
            time.sleep(0.3)

        def answer(path, method="GET", body=None):
            request = urllib.request.Request(base + path, data=body, method=method)
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status, response.headers, response.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.headers, exc.read()

        status, headers, _ = answer("/")
        assert status == 200
        assert (
            headers["Content-Security-Policy"] == "frame-ancestors 'none'"
            and headers["X-Frame-Options"] == "DENY"
        )
        assert "Strict-Transport-Security" not in headers  # plain HTTP on 127.0.0.1: HSTS only over HTTPS
        assert answer("/_stcore/metrics")[0] == 403
        status, _, text = answer("/_stcore/upload_file/any/file", "PUT", b"x" * 100_000)
        assert (status, text.decode()) == (403, t("guard.login_required"))
        assert answer("/media/0123456789abcdef.csv")[0] == 403
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _starlette_upload_app(kept: list):
    """A Starlette route that reads the upload as Streamlit's does (the body streamed into a multipart form)."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    async def put(request):
        form = await request.form()
        upload = next(iter(form.values()))
        kept.append(len(await upload.read()))
        return Response(status_code=204)

    return Starlette(routes=[Route("/_stcore/upload_file/{session_id}/{file_id}", put, methods=["PUT"])])


def _multipart(payload: bytes) -> tuple[bytes, bytes]:
    boundary = b"----console-test"
    body = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="x.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + payload + b"\r\n--" + boundary + b"--\r\n"
    )
    return body, b"multipart/form-data; boundary=" + boundary


def test_a_real_multipart_upload_passes_within_the_cap_and_is_cut_off_beyond_it(accounts):
    engine, cookie = accounts
    kept: list[int] = []
    limits = _limits(upload_file_mb=1, upload_session_mb=4)
    guard = UploadGuard(
        _starlette_upload_app(kept), lambda: KEY, lambda: engine, lambda: limits, alive=lambda s: True,
        release=lambda s: None,
    )  # fmt: skip

    def put(file_id, size, declared=True):
        body, kind = _multipart(b"y" * size)
        headers = [(b"cookie", cookie["head"].encode()), (b"content-type", kind)]
        if declared:
            headers.append((b"content-length", str(len(body)).encode()))
        pieces = [body[i : i + 65536] for i in range(0, len(body), 65536)]
        sent = []

        async def receive():
            piece = pieces.pop(0) if pieces else b""
            return {"type": "http.request", "body": piece, "more_body": bool(pieces)}

        async def send(message):
            sent.append(message)

        scope = {
            "type": "http", "method": "PUT", "path": f"/_stcore/upload_file/s/{file_id}", "headers": headers,
            "query_string": b"", "scheme": "http", "server": ("127.0.0.1", 80), "root_path": "",
        }  # fmt: skip
        asyncio.run(guard(scope, receive, send))
        return sent[0]["status"]

    assert put("ok", 500_000) == 204 and kept == [500_000]
    assert put("big", 3 * MB, declared=False) == 413 and kept == [500_000]  # cut off while streaming
    assert put("big", 3 * MB) == 413  # refused from its Content-Length
    assert guard.used("s") > 500_000


def test_page_media_such_as_the_icon_needs_a_login_but_no_owner(accounts):
    engine, cookie = accounts
    guard = MediaGuard(
        _ok, lambda: KEY, lambda: engine, owners=MediaOwners(), downloadable=lambda file_id: file_id != "icon"
    )
    assert _call(guard, "/media/icon.png")[0] == 403
    assert _call(guard, "/media/icon.png", cookie=cookie["limin"])[0] == 200
    assert _call(guard, "/media/report.xlsx", cookie=cookie["limin"])[0] == 403


# ------------------------------------------------------------ one login, not one account (issue 22 item 7)

PASSWORD = "head-pass-123"


@pytest.fixture
def console(db_engine, monkeypatch):
    """serve.py's stack on a Starlette app: the login route and gate, the guards, Streamlit answering 200 behind
    them; the owners' clock and the login's sleep are the test's."""
    import bcrypt
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from core.services import accounts
    from ui.login_route import LoginGate, LoginService

    real = bcrypt.gensalt
    monkeypatch.setattr(accounts.bcrypt, "gensalt", lambda rounds=4, prefix=b"2b": real(4, prefix))
    add_user(db_engine, "head", PASSWORD, role="branch_head", outlet="城关支局")
    clock = _Clock()
    owners = MediaOwners(clock=clock)
    fetched: list[tuple[str, dict]] = []

    async def no_wait(seconds):
        return None

    service = LoginService(lambda: db_engine, lambda: KEY, sleep=no_wait)

    async def streamlit(request):  # Streamlit's routes: an upload is read whole and answered 204
        if request.method == "PUT":
            await request.body()
            return PlainTextResponse("", status_code=204)
        return PlainTextResponse("streamlit")

    app = Starlette(
        routes=[*service.routes(), Route("/{path:path}", streamlit, methods=["GET", "PUT", "DELETE"])],
        middleware=[
            Middleware(SecurityHeaders, key_source=lambda: KEY, engine_source=lambda: db_engine),
            Middleware(LoginGate, service=service),
            Middleware(
                UploadGuard, key_source=lambda: KEY, engine_source=lambda: db_engine, alive=lambda s: True,
                release=lambda s: None,
            ),
            Middleware(
                MediaGuard, key_source=lambda: KEY, engine_source=lambda: db_engine, owners=owners,
                on_fetch=lambda user, grant, client: fetched.append((user, grant.audit)),
            ),
        ],
    )  # fmt: skip
    return app, db_engine, owners, clock, fetched


def _post_login(app, username: str, password: str, cookie: str | None = None) -> str:
    """POST /_console/login as the browser's form does; the cookie the answer sets (name=value)."""
    from urllib.parse import urlencode

    body = urlencode({"username": username, "password": password, "next": "/", "lang": "zh"}).encode()
    headers = [
        (b"host", b"console.local"),
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"content-length", str(len(body)).encode()),
    ]
    if cookie:
        headers.append((b"cookie", cookie.encode("latin-1")))
    sent = []
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "method": "POST", "path": "/_console/login", "raw_path": b"/_console/login",
        "query_string": b"", "headers": headers, "scheme": "http", "server": ("console.local", 80),
        "client": ("10.0.0.5", 50000), "root_path": "", "http_version": "1.1",
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    start = sent[0]
    assert start["status"] == 303, start
    set_cookie = next(v.decode("latin-1") for k, v in start["headers"] if k == b"set-cookie")
    return set_cookie.split(";", 1)[0]


def _sid(engine, cookie: str) -> str:
    """The session id of a login cookie, as the page reads it when its session opens (ui.auth)."""
    from core.services.accounts import read_token

    return read_token(engine, cookie.split("=", 1)[1], KEY)["sid"]


def test_a_link_answers_only_the_login_that_made_it_not_the_same_account_logged_in_elsewhere(console, caplog):
    app, engine, owners, _clock, fetched = console
    office = _post_login(app, "head", PASSWORD)  # the branch head at the office PC
    home = _post_login(app, "head", PASSWORD)  # the same account, another PC: another login
    assert office != home and _sid(engine, office) != _sid(engine, home)
    # the office page offers the customer list (ui/downloads.py records it for its own login)
    owners.grant("c5v", "head", _sid(engine, office), audit={"kind": "customers", "rows": 872})
    assert _call(app, "/media/c5v.csv", cookie=office)[0] == 200
    with caplog.at_level("WARNING", logger="ui.media_guard"):
        status, headers, text = _call(app, "/media/c5v.csv", cookie=home, client="10.9.9.9")
    assert (status, text.decode()) == (403, t("guard.media_not_yours"))
    assert headers[b"x-frame-options"] == b"DENY"  # refused inside serve.py's stack
    assert [r.getMessage() for r in caplog.records] == [
        "download link refused to head from 10.9.9.9: another login of the same account"
    ]
    assert fetched == [("head", {"kind": "customers", "rows": 872})]  # audited once: the owner's fetch
    # the other login makes its own link to the same bytes (same id): each fetches through its own grant
    owners.grant("c5v", "head", _sid(engine, home), audit={"kind": "customers", "rows": 872})
    assert _call(app, "/media/c5v.csv", cookie=home)[0] == 200
    assert _call(app, "/media/c5v.csv", cookie=office)[0] == 200
    assert len(fetched) == 3


def test_a_link_expires_after_media_link_minutes(console):
    app, engine, owners, clock, _ = console
    office = _post_login(app, "head", PASSWORD)
    owners.grant("c5v", "head", _sid(engine, office))  # for limits.toml's media_link_minutes
    minutes = current_limits().media_link_minutes
    clock.now += minutes * 60 - 1
    assert _call(app, "/media/c5v.csv", cookie=office)[0] == 200
    clock.now += 2
    status, _, text = _call(app, "/media/c5v.csv", cookie=office)
    assert (status, text.decode()) == (403, t("guard.media_not_yours"))


@pytest.mark.parametrize("ending", ["logout", "password change", "password reset"])
def test_a_link_dies_with_its_login(console, ending):
    from core.services.accounts import change_own_password, set_password

    app, engine, owners, _, _ = console
    office = _post_login(app, "head", PASSWORD)
    sid = _sid(engine, office)
    owners.grant("c5v", "head", sid)
    assert _call(app, "/media/c5v.csv", cookie=office)[0] == 200
    if ending == "logout":
        record_logout(engine, "head")
    elif ending == "password change":
        change_own_password(engine, "head", PASSWORD, "head-pass-456")
    else:
        set_password(engine, "head", "head-pass-789", changed_by="city")
    status, _, text = _call(app, "/media/c5v.csv", cookie=office)
    assert (status, text.decode()) == (403, t("guard.login_required"))
    # logging in again is a new login: the old link is not its
    password = {"logout": PASSWORD, "password change": "head-pass-456", "password reset": "head-pass-789"}
    again = _post_login(app, "head", password[ending])
    assert _sid(engine, again) != sid
    assert _call(app, "/media/c5v.csv", cookie=again)[0] == 403


def test_a_token_made_before_logins_had_session_ids_is_refused_everywhere(console):
    """Cookies issued before this change carry no ``sid``: every guard refuses them and the page asks for a new
    login (the gate shows the form and drops the cookie)."""
    import jwt

    from core.services.accounts import session_version

    app, engine, owners, _, _ = console
    old = {"username": "head", "exp_date": time.time() + 3600, "ver": session_version(engine, "head")}
    cookie = f"{COOKIE_NAME}={jwt.encode(old, KEY, algorithm='HS256')}"
    owners.grant("c5v", "head", "head-first-login")
    assert _call(app, "/media/c5v.csv", cookie=cookie)[:3:2] == (403, t("guard.login_required").encode())
    assert _call(app, "/_stcore/upload_file/s/f", method="PUT", cookie=cookie, body=b"x")[0] == 403
    assert _call(app, "/_stcore/metrics", cookie=cookie)[0] == 403
    page = []

    async def send(message):
        page.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http", "method": "GET", "path": "/strategy", "query_string": b"", "scheme": "http",
        "headers": [(b"accept", b"text/html"), (b"cookie", cookie.encode())],
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    headers = page[0]["headers"]
    assert page[0]["status"] == 200 and b'action="/_console/login"' in b"".join(
        m.get("body", b"") for m in page
    )
    assert any(k == b"set-cookie" and v.startswith(f'{COOKIE_NAME}="";'.encode()) for k, v in headers)
    # the same account with a current cookie (it has a sid) passes
    assert _call(app, "/_stcore/metrics", cookie=_post_login(app, "head", PASSWORD))[0] == 200


def test_a_browser_that_logs_in_again_keeps_its_session_id_and_another_browser_does_not(console):
    app, engine, owners, _, _ = console
    office = _post_login(app, "head", PASSWORD)
    again = _post_login(
        app, "head", PASSWORD, cookie=office
    )  # a second login form submitted in the same browser
    assert _sid(engine, again) == _sid(engine, office)
    owners.grant("c5v", "head", _sid(engine, office))  # the page opened with the first cookie made this link
    assert _call(app, "/media/c5v.csv", cookie=again)[0] == 200
    assert _sid(engine, _post_login(app, "head", PASSWORD)) != _sid(engine, office)  # no cookie: a new login


def test_a_page_sessions_uploads_belong_to_the_login_that_made_them(console):
    app, _engine, _, _, _ = console
    office = _post_login(app, "head", PASSWORD)
    home = _post_login(app, "head", PASSWORD)
    guard = next(m for m in _middleware(app) if isinstance(m, UploadGuard))
    put = "/_stcore/upload_file/s1/f1"
    assert _call(app, put, method="PUT", cookie=office, body=b"x" * 100)[0] == 204
    status, _, text = _call(app, put, method="PUT", cookie=home, body=b"y" * 100)
    assert (status, text.decode()) == (403, t("guard.upload_not_yours"))
    assert _call(app, put, method="DELETE", cookie=home)[0] == 403
    assert guard.used("s1") == 100  # the office's file is untouched
    assert _call(app, "/_stcore/upload_file/s2/f1", method="PUT", cookie=home, body=b"y" * 50)[0] == 204
    assert _call(app, put, method="DELETE", cookie=office)[0] == 200
    assert guard.used("s1") == 0 and guard.used("s2") == 50


def _middleware(app):
    """The middleware instances of a Starlette app's stack, outermost first (built on its first request)."""
    layer, found = app.middleware_stack, []
    while layer is not None:
        found.append(layer)
        layer = getattr(layer, "app", None)
    return found
