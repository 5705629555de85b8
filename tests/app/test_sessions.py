"""Sessions that end: a copied login cookie stops working after logout, a password change or reset, and after
repeated wrong current passwords on 修改密码; wrong logins never end anyone's session; a cookie the server did not
sign as it signs them opens nothing; the account rules that go with it."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import time

import jwt
import pytest
from streamlit.testing.v1 import AppTest

from core.errors import AuthError
from core.i18n import t
from core.security.throttle import delay, login_rules
from core.services.accounts import (
    UNKNOWN_USER,
    add_user,
    attempt_login,
    change_own_password,
    issue_token,
    list_users,
    read_token,
    record_logout,
    session_version,
    set_password,
    verify,
)
from core.services.reads import audit_entries
from core.storage.engine import make_engine
from core.storage.models import utcnow
from tests.builders.app import database_env, seed_outlet

KEY = "k" * 64
LATER = time.time() + 3600
SID = "head-login-0123456"


@pytest.fixture
def account(db_engine):
    add_user(db_engine, "li", "correct horse", role="staff", outlet="城东支局", staff_name="李强")
    return db_engine


def test_a_fresh_token_opens_and_a_copy_stops_after_logout(account):
    token = issue_token(account, "li", LATER, KEY)
    assert read_token(account, token, KEY)["username"] == "li"
    record_logout(account, "li")
    assert read_token(account, token, KEY) is None
    assert read_token(account, issue_token(account, "li", LATER, KEY), KEY) is not None


def test_a_copied_token_stops_after_a_password_reset_or_change(account):
    token = issue_token(account, "li", LATER, KEY)
    set_password(account, "li", "battery staple", changed_by="city")
    assert read_token(account, token, KEY) is None
    token = issue_token(account, "li", LATER, KEY)
    change_own_password(account, "li", "battery staple", "staple battery 9")
    assert read_token(account, token, KEY) is None


def test_wrong_logins_from_anyone_never_end_the_owners_sessions(account):
    token = issue_token(account, "li", LATER, KEY)
    for _ in range(login_rules().account.free + 3):
        verify(account, "li", "wrong horse", client="10.0.0.66")
    assert read_token(account, token, KEY) is not None  # guessing delays logins; it does not log anyone out


def test_wrong_current_passwords_on_the_password_page_end_every_session(account):
    token = issue_token(account, "li", LATER, KEY)
    start = utcnow()
    for n in range(login_rules().end_sessions_after):
        assert read_token(account, token, KEY) is not None, n
        with pytest.raises(AuthError, match="当前密码不正确"):
            # each try after the account's delay has run out: counted, never refused unchecked
            change_own_password(
                account, "li", f"wrong horse {n}", "battery staple", now=start + dt.timedelta(minutes=5 * n)
            )
    assert read_token(account, token, KEY) is None
    audited = [(e["username"], e["action"]) for e in reversed(audit_entries(account))]
    assert audited[-2:] == [("li", "passwd.failed"), ("li", "passwd.lock")]
    assert audited.count(("li", "passwd.failed")) == login_rules().end_sessions_after
    # and the next try, one second after the fifth failure, waits the delay (5 s) like a login would
    last = start + dt.timedelta(minutes=5 * (login_rules().end_sessions_after - 1))
    with pytest.raises(AuthError, match="请 4 秒后再试"):
        change_own_password(
            account, "li", "correct horse", "battery staple", now=last + dt.timedelta(seconds=1)
        )
    assert audit_entries(account)[0]["action"] == "passwd.delayed"
    change_own_password(account, "li", "correct horse", "battery staple", now=last + dt.timedelta(seconds=5))
    assert verify(account, "li", "battery staple")


def test_logins_failures_and_logouts_are_audited_with_the_client_address(account):
    verify(account, "li", "correct horse", client="10.0.0.5")
    verify(account, "li", "wrong horse", client="10.0.0.6")
    verify(account, "woaini1314", "whatever 1", client="10.0.0.7")  # a password typed into the name box
    record_logout(account, "li", client="10.0.0.5")
    entries = list(reversed(audit_entries(account)))
    actions = [(e["username"], e["action"]) for e in entries]
    assert actions == [
        ("system", "user.add"),
        ("li", "login"),
        ("li", "login.failed"),
        (UNKNOWN_USER, "login.failed"),
        ("li", "logout"),
    ]
    assert [e["detail"]["client"] for e in entries[1:]] == ["10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.5"]
    assert entries[2]["detail"]["count"] == 1
    unknown = entries[3]["detail"]
    assert set(unknown) == {"client", "typed", "count"} and unknown["typed"].startswith("?")
    assert "woaini1314" not in json.dumps([e["detail"] for e in entries]) + json.dumps(actions)


def _forged(header: dict, payload: dict, signature: bytes = b"") -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return ".".join([part(json.dumps(header).encode()), part(json.dumps(payload).encode()), part(signature)])


def test_tokens_not_signed_as_the_server_signs_them_are_refused(account):
    version = session_version(account, "li")
    good = {"username": "li", "exp_date": LATER, "ver": version, "sid": "li-login-0123456"}
    refused = [
        _forged({"alg": "none", "typ": "JWT"}, good),
        jwt.encode(good, KEY, algorithm="HS512"),
        jwt.encode(good, "another key" * 4, algorithm="HS256"),
        jwt.encode({"username": "li", "exp_date": LATER}, KEY, algorithm="HS256"),  # the library's old shape
        jwt.encode({"username": "li", "exp_date": "soon", "ver": version}, KEY, algorithm="HS256"),
        jwt.encode({"username": ["li"], "exp_date": LATER, "ver": version}, KEY, algorithm="HS256"),
        jwt.encode({"username": "ghost", "exp_date": LATER, "ver": 0}, KEY, algorithm="HS256"),
        # made before logins had session ids (the holder logs in again), or with one the server never makes
        jwt.encode({"username": "li", "exp_date": LATER, "ver": version}, KEY, algorithm="HS256"),
        jwt.encode(good | {"sid": ""}, KEY, algorithm="HS256"),
        jwt.encode(good | {"sid": "short"}, KEY, algorithm="HS256"),
        jwt.encode(good | {"sid": "li-login-0123456\n"}, KEY, algorithm="HS256"),
        jwt.encode(good | {"sid": ["li-login-0123456"]}, KEY, algorithm="HS256"),
        "not a token",
        "",
        "a.b.c",
    ]
    assert [read_token(account, token, KEY) for token in refused] == [None] * len(refused)
    assert read_token(account, jwt.encode(good, KEY, algorithm="HS256"), KEY) == good


def test_every_token_carries_its_own_login_session_id(account):
    sids = {read_token(account, issue_token(account, "li", LATER, KEY), KEY)["sid"] for _ in range(20)}
    assert len(sids) == 20 and all(len(sid) == 22 for sid in sids)  # 128 random bits each
    kept = issue_token(account, "li", LATER, KEY, sid="li-login-0123456")
    assert read_token(account, kept, KEY)["sid"] == "li-login-0123456"
    with pytest.raises(ValueError):
        issue_token(account, "li", LATER, KEY, sid="short")


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("12345678", "accounts.password.denied"),
        ("password", "accounts.password.denied"),
        ("Password", "accounts.password.denied"),
        ("aaaaaaaaaa", "accounts.password.denied"),
        ("aaaa1111", "accounts.password.denied"),
        ("abcdefghij", "accounts.password.kinds"),
        ("1234567890123", "accounts.password.kinds"),
        (" padded pass1", "accounts.password.spaces"),
        ("padded pass1 ", "accounts.password.spaces"),
        ("zhangwei", "accounts.password.kinds"),
    ],
)
def test_password_rule_refuses_common_simple_and_untypeable_passwords(db_engine, password, key):
    with pytest.raises(AuthError) as refused:
        add_user(db_engine, "zhangwei", password, role="staff", outlet="城东支局")
    assert str(refused.value) == t(key, "zh")


def test_a_password_that_is_the_username_is_refused(db_engine):
    with pytest.raises(AuthError, match="不能与用户名相同"):
        add_user(db_engine, "wang.fang1", "wang.fang1", role="staff", outlet="城东支局")


def test_two_accounts_cannot_map_to_the_same_staff_member_of_one_outlet(account):
    with pytest.raises(AuthError, match="李强"):
        add_user(account, "li2", "correct horse 2", role="staff", outlet="城东支局", staff_name="李强")
    add_user(
        account, "li3", "correct horse 3", role="staff", outlet="城西支局", staff_name="李强"
    )  # another outlet


def test_changing_ones_own_password_needs_the_current_one(account):
    with pytest.raises(AuthError, match="当前密码不正确"):
        change_own_password(account, "li", "wrong horse", "battery staple")
    with pytest.raises(AuthError, match="不能与当前密码相同"):
        change_own_password(account, "li", "correct horse", "correct horse")
    change_own_password(account, "li", "correct horse", "battery staple")
    assert verify(account, "li", "battery staple") and not verify(account, "li", "correct horse")


def test_an_empty_or_short_cookie_key_file_is_replaced_and_a_short_environment_key_refused(
    tmp_path, monkeypatch
):
    from core.services.accounts import KEY_ENV, cookie_key

    monkeypatch.delenv(KEY_ENV, raising=False)
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "cookie_key").write_text("")
    key = cookie_key(tmp_path / "s")
    assert len(key) == 64 and (tmp_path / "s" / "cookie_key").read_text() == key
    assert (tmp_path / "s" / "cookie_key").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(AuthError, match="太短"):
        cookie_key(tmp_path / "s")
    monkeypatch.setenv(KEY_ENV, "")
    with pytest.raises(AuthError, match="太短"):
        cookie_key(tmp_path / "s")


# ---------------------------------------------------------------------------------------- the running frame

APP = "../../app.py"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("sessions") / "console.db")
    with database_env(data.url):
        engine = make_engine(data.url)
        add_user(
            engine, "head", "head-pass-123", role="branch_head", outlet="城东支局", display_name="周建国"
        )
        yield engine


def _logged_in(engine, username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {
        "authentication_status": True,
        "username": username,
        "roles": ["branch_head"],
        "console_token_version": session_version(engine, username),
    }.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("ending", ["reset", "logout elsewhere", "password guesses"])
def test_an_open_session_ends_on_its_next_run_after_a_reset_a_logout_elsewhere_or_password_guesses(
    seeded, ending
):
    set_password(seeded, "head", "head-pass-123", changed_by="test")  # delays cleared, a fresh version
    at = _logged_in(seeded, "head")
    assert at.title and at.session_state["authentication_status"] is True
    if ending == "reset":
        set_password(seeded, "head", "head-pass-456", changed_by="root")
    elif ending == "logout elsewhere":
        record_logout(seeded, "head")
    else:
        for n in range(login_rules().end_sessions_after):
            with pytest.raises(AuthError, match="当前密码不正确"):  # within the free tries: no delay yet
                change_own_password(seeded, "head", f"wrong-pass-{n}", "head-pass-456")
    at.run()
    assert not at.exception
    assert at.session_state["authentication_status"] is not True and not at.title
    assert [w.value for w in at.warning] == [t("ui.session.ended", "zh")]
    assert login_link(at) == "/_console/login?next=/"  # the way back to the login form


def test_logout_ends_every_copy_of_the_cookie(seeded):
    set_password(seeded, "head", "head-pass-123", changed_by="test")
    at = _logged_in(seeded, "head")
    copy = issue_token(seeded, "head", LATER, KEY)  # what a copied cookie would hold
    assert read_token(seeded, copy, KEY) is not None
    at.sidebar.button(key="logout_button").click()
    at.run()
    assert not at.exception and at.session_state["authentication_status"] is not True
    assert read_token(seeded, copy, KEY) is None


def test_a_session_without_a_token_version_is_not_trusted(seeded):
    set_password(seeded, "head", "head-pass-123", changed_by="test")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "head"
    at.session_state["roles"] = ["branch_head"]
    at.run()
    assert not at.exception and not at.title and at.session_state["authentication_status"] is not True
    assert os.environ["DATABASE_URL"]


def test_the_password_page_changes_ones_own_password_and_keeps_this_session(seeded):
    from tests.builders.app import page_test

    if "branch_head_user" not in {u["username"] for u in list_users(seeded)}:
        add_user(
            seeded, "branch_head_user", "first-pass-1", role="branch_head", outlet="城东支局", staff_name="甲"
        )
    set_password(seeded, "branch_head_user", "first-pass-1", changed_by="test")
    at = page_test("password", "branch_head")
    at.run()
    at.text_input(key="passwd_current").input("wrong-pass-1")
    at.text_input(key="passwd_new").input("second-pass-2")
    at.text_input(key="passwd_again").input("second-pass-2")
    at.button[0].click()
    at.run()
    assert [e.value for e in at.error] == [t("accounts.password.current_wrong", "zh")]
    at.text_input(key="passwd_current").input("first-pass-1")
    at.text_input(key="passwd_new").input("12345678")
    at.text_input(key="passwd_again").input("12345678")
    at.button[0].click()
    at.run()
    assert [e.value for e in at.error] == [t("accounts.password.denied", "zh")]
    copy = issue_token(seeded, "branch_head_user", LATER, KEY)
    at.text_input(key="passwd_current").input("first-pass-1")
    at.text_input(key="passwd_new").input("second-pass-2")
    at.text_input(key="passwd_again").input("second-pass-2")
    at.button[0].click()
    at.run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [t("ui.passwd.done", "zh")]
    assert verify(seeded, "branch_head_user", "second-pass-2")
    assert read_token(seeded, copy, KEY) is None
    assert at.session_state["console_token_version"] == session_version(seeded, "branch_head_user")


def login_link(at: AppTest) -> str | None:
    """The href of the frame's link to the login form, if the run showed one."""
    for md in at.markdown:
        if 'data-testid="console-login-link"' in md.value:
            return md.value.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    return None


def _authenticated(at: AppTest) -> bool:
    try:
        return at.session_state["authentication_status"] is True
    except KeyError:
        return False


def _with_cookie(monkeypatch, cookie: str | None) -> AppTest:
    """app.py for a browser whose request carried ``cookie`` (st.context.cookies cannot be seeded in AppTest)."""
    monkeypatch.setattr(
        "ui.auth.request_cookies", lambda: {} if cookie is None else {"cunliang_console": cookie}
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize(
    "kind",
    [
        "alg none",
        "HS512",
        "other key",
        "old shape",
        "no session id",
        "garbage",
        "copy after logout",
        "expired",
        "current",
    ],
)
def test_the_running_console_opens_only_for_a_current_cookie(seeded, monkeypatch, kind):
    monkeypatch.setenv("CONSOLE_COOKIE_KEY", KEY)
    set_password(seeded, "head", "head-pass-123", changed_by="test")
    good = {"username": "head", "exp_date": LATER, "ver": session_version(seeded, "head"), "sid": SID}
    cookie = {
        "alg none": _forged({"alg": "none", "typ": "JWT"}, good),
        "HS512": jwt.encode(good, KEY, algorithm="HS512"),
        "other key": jwt.encode(good, "x" * 64, algorithm="HS256"),
        "old shape": jwt.encode({"username": "head", "exp_date": LATER}, KEY, algorithm="HS256"),
        "no session id": jwt.encode({k: v for k, v in good.items() if k != "sid"}, KEY, algorithm="HS256"),
        "garbage": "%%%",
        "copy after logout": jwt.encode(good, KEY, algorithm="HS256"),
        "expired": jwt.encode(good | {"exp_date": time.time() - 1}, KEY, algorithm="HS256"),
        "current": jwt.encode(good, KEY, algorithm="HS256"),
    }[kind]
    if kind == "copy after logout":
        record_logout(seeded, "head")
    at = _with_cookie(monkeypatch, cookie)
    if kind == "current":
        assert _authenticated(at) and at.session_state["username"] == "head"
        assert at.session_state["console_login_sid"] == SID  # the page's downloads are bound to this login
        assert at.title and login_link(at) is None
    else:
        assert not _authenticated(at) and not at.title
        assert [w.value for w in at.warning] == [t("ui.session.ended", "zh")]
        assert login_link(at) == "/_console/login?next=/"


def test_a_login_made_before_the_pages_first_render_opens_that_render(seeded, monkeypatch):
    """The race of issue 22 item 3: the login lands before any Streamlit session exists; the first run sees it."""
    monkeypatch.setenv("CONSOLE_COOKIE_KEY", KEY)
    set_password(seeded, "head", "head-pass-123", changed_by="test")
    result = attempt_login(seeded, "head", "head-pass-123", client="127.0.0.1")
    cookie = issue_token(seeded, result.username, LATER, KEY)  # what /_console/login sets (tests/storage)
    at = _with_cookie(monkeypatch, cookie)  # the page's first render, after the login
    assert at.session_state["authentication_status"] is True and at.title
    logins = [e for e in audit_entries(seeded) if e["action"] == "login" and e["username"] == "head"]
    assert logins[0]["detail"] == {"client": "127.0.0.1"}


def _guessed_until_a_minute_wait(engine, username: str) -> None:
    """Nine wrong passwords, each just after the wait of the one before, the last a second ago: a 60 s wait."""
    rules = login_rules().account
    offsets, total = [], 0.0
    for n in range(9):
        offsets.append(total)
        total += delay(n + 1, rules)
    end = utcnow() - dt.timedelta(seconds=1)
    for offset in offsets:
        stamp = end - dt.timedelta(seconds=offsets[-1] - offset)
        assert attempt_login(engine, username, "wrong-pass-0", client=None, now=stamp).ok is False


def test_the_accounts_page_shows_a_delayed_account_and_lifts_the_delay(seeded):
    from tests.builders.app import page_test

    if "wang_li" not in {u["username"] for u in list_users(seeded)}:
        add_user(seeded, "wang_li", "wang-pass-123", role="staff", outlet="城东支局", staff_name="王")
    _guessed_until_a_minute_wait(seeded, "wang_li")
    assert not verify(seeded, "wang_li", "wang-pass-123")  # the right password, during the wait
    admin = page_test("accounts", "admin", outlet=None)
    admin.run()
    assert [w.value for w in admin.warning] == [t("ui.acc.delayed", "zh", names="wang\\_li")]  # no italics
    admin.selectbox(key="acc_unlock_user").set_value("wang_li")
    next(b for b in admin.button if b.label == t("ui.acc.unlock_submit", "zh")).click()
    admin.run()
    assert not admin.exception and not admin.warning
    assert [s.value for s in admin.success] == [t("ui.acc.unlocked", "zh", username="wang\\_li")]
    assert verify(seeded, "wang_li", "wang-pass-123")
    assert audit_entries(seeded)[1]["action"] == "user.unlock"


def test_a_session_ends_when_the_cookie_that_opened_it_runs_out(seeded, monkeypatch):
    monkeypatch.setenv("CONSOLE_COOKIE_KEY", KEY)
    set_password(seeded, "head", "head-pass-123", changed_by="test")
    soon = time.time() + 3
    cookie = jwt.encode(
        {"username": "head", "exp_date": soon, "ver": session_version(seeded, "head"), "sid": SID}, KEY
    )
    at = _with_cookie(monkeypatch, cookie)
    assert _authenticated(at) and at.session_state["console_token_expires"] == soon
    at.session_state["console_token_expires"] = time.time() - 1  # as if the hours had passed
    at.run()
    assert not _authenticated(at) and not at.title
    assert [w.value for w in at.warning] == [t("ui.session.ended", "zh")]


def test_the_fifth_wrong_current_password_on_the_page_ends_this_session_at_once(seeded):
    from tests.builders.app import page_test

    if "branch_head_user" not in {u["username"] for u in list_users(seeded)}:
        add_user(
            seeded, "branch_head_user", "first-pass-1", role="branch_head", outlet="城东支局", staff_name="甲"
        )
    set_password(seeded, "branch_head_user", "first-pass-1", changed_by="test")
    at = page_test("password", "branch_head")
    at.session_state["console_token_version"] = session_version(seeded, "branch_head_user")
    at.run()
    shown = []
    for n in range(login_rules().end_sessions_after):
        at.text_input(key="passwd_current").input(f"wrong-pass-{n}")
        at.text_input(key="passwd_new").input("second-pass-2")
        at.text_input(key="passwd_again").input("second-pass-2")
        at.button[0].click()
        at.run()
        assert not at.exception
        shown.append([e.value for e in at.error])
    wrong = [t("accounts.password.current_wrong", "zh")]
    assert shown == [wrong] * (login_rules().end_sessions_after - 1) + [
        []
    ]  # the last run started over: ended
    assert session_version(seeded, "branch_head_user") != at.session_state["console_token_version"]
    assert audit_entries(seeded)[0]["action"] == "passwd.lock"
