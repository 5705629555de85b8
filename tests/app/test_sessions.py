"""Sessions that end: a copied login cookie stops working after logout, a password change or reset, and a lock;
a cookie the server did not sign as it signs them is dropped; the account rules that go with it."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import time

import jwt
import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from core.accounts import (
    ACCOUNT,
    LOCK_MINUTES,
    MAX_FAILED_LOGINS,
    add_user,
    change_own_password,
    get_user,
    issue_token,
    list_users,
    read_token,
    record_failed_login,
    record_logout,
    session_version,
    set_password,
    verify,
)
from core.errors import AuthError
from core.i18n import t
from core.services.reads import audit_entries
from core.storage.engine import make_engine
from core.storage.models import utcnow
from tests.builders.app import database_env, seed_outlet

KEY = "k" * 64
LATER = time.time() + 3600


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


def test_a_lock_ends_every_session_and_runs_out_after_the_lock_time(account):
    token = issue_token(account, "li", LATER, KEY)
    for _ in range(MAX_FAILED_LOGINS):
        record_failed_login(account, "li")
    assert get_user(account, "li")["locked"] is True
    assert read_token(account, token, KEY) is None
    assert session_version(account, "li") is None
    assert not verify(account, "li", "correct horse")  # the right password while locked: still refused
    with account.begin() as conn:  # the lock ran out
        conn.execute(update(ACCOUNT).values(locked_until=utcnow() - dt.timedelta(seconds=1)))
    assert verify(account, "li", "correct horse")
    assert get_user(account, "li")["failed_logins"] == 0 and not get_user(account, "li")["locked"]
    assert read_token(account, token, KEY) is None  # the lock bumped the version: the old copy stays dead


def test_logins_failures_locks_and_logouts_are_in_the_audit_log(account):
    verify(account, "li", "correct horse")
    for _ in range(MAX_FAILED_LOGINS):
        verify(account, "li", "wrong horse")
    verify(account, "nobody", "whatever 1")
    record_logout(account, "li")
    actions = [(e["username"], e["action"]) for e in reversed(audit_entries(account))]
    assert actions == [
        ("system", "user.add"),
        ("li", "login"),
        *[("li", "login.failed")] * MAX_FAILED_LOGINS,
        ("li", "login.lock"),
        ("nobody", "login.failed"),
        ("li", "logout"),
    ]
    lock = next(e for e in audit_entries(account) if e["action"] == "login.lock")
    assert lock["detail"] == {"minutes": LOCK_MINUTES}


def _forged(header: dict, payload: dict, signature: bytes = b"") -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return ".".join([part(json.dumps(header).encode()), part(json.dumps(payload).encode()), part(signature)])


def test_tokens_not_signed_as_the_server_signs_them_are_refused(account):
    version = session_version(account, "li")
    good = {"username": "li", "exp_date": LATER, "ver": version}
    refused = [
        _forged({"alg": "none", "typ": "JWT"}, good),
        jwt.encode(good, KEY, algorithm="HS512"),
        jwt.encode(good, "another key" * 4, algorithm="HS256"),
        jwt.encode({"username": "li", "exp_date": LATER}, KEY, algorithm="HS256"),  # the library's old shape
        jwt.encode({"username": "li", "exp_date": "soon", "ver": version}, KEY, algorithm="HS256"),
        jwt.encode({"username": ["li"], "exp_date": LATER, "ver": version}, KEY, algorithm="HS256"),
        jwt.encode({"username": "ghost", "exp_date": LATER, "ver": 0}, KEY, algorithm="HS256"),
        "not a token",
        "",
        "a.b.c",
    ]
    assert [read_token(account, token, KEY) for token in refused] == [None] * len(refused)
    assert read_token(account, jwt.encode(good, KEY, algorithm="HS256"), KEY) == good


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("12345678", "accounts.password.denied"),
        ("password", "accounts.password.denied"),
        ("Password", "accounts.password.denied"),
        ("aaaaaaaaaa", "accounts.password.denied"),
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
    from ui.auth import KEY_ENV, cookie_key

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


@pytest.mark.parametrize("ending", ["reset", "logout elsewhere", "lock"])
def test_an_open_session_ends_on_its_next_run_after_a_reset_a_logout_elsewhere_or_a_lock(seeded, ending):
    set_password(seeded, "head", "head-pass-123", changed_by="test")  # unlocked, a fresh version
    at = _logged_in(seeded, "head")
    assert at.title and at.session_state["authentication_status"] is True
    if ending == "reset":
        set_password(seeded, "head", "head-pass-456", changed_by="root")
    elif ending == "logout elsewhere":
        record_logout(seeded, "head")
    else:
        for _ in range(MAX_FAILED_LOGINS):
            record_failed_login(seeded, "head")
    at.run()
    assert not at.exception
    assert at.session_state["authentication_status"] is not True and not at.title
    assert [w.value for w in at.warning] == [t("ui.session.ended", "zh")]
    assert [b.label for b in at.button] == [t("ui.login.submit", "zh")]  # the login form is back


def test_logout_ends_every_copy_of_the_cookie(seeded):
    set_password(seeded, "head", "head-pass-123", changed_by="test")
    at = _logged_in(seeded, "head")
    copy = issue_token(seeded, "head", LATER, KEY)  # what a copied cookie would hold
    assert read_token(seeded, copy, KEY) is not None
    at.sidebar.button(key="logout_button").click()
    at._finished_page_script_hash = ""  # run from the main script, as a browser's rerun of "/" does
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


COOKIE_SCRIPT = """
import streamlit as st
from ui.auth import authenticator
from ui.data import get_engine

auth = authenticator(get_engine())
deleted = []
auth.cookie_controller.delete_cookie = lambda: deleted.append(1)
model = auth.cookie_controller.cookie_model
model.token = st.session_state["cookie"]
result = model._token_decode()
st.write(("accepted" if result else "refused") + f" {len(deleted)}")
"""


@pytest.mark.parametrize(
    "kind", ["alg none", "HS512", "other key", "old shape", "garbage", "copy after logout", "current"]
)
def test_the_running_console_drops_a_bad_cookie_and_keeps_a_current_one(seeded, monkeypatch, kind):
    monkeypatch.setenv("CONSOLE_COOKIE_KEY", KEY)
    set_password(seeded, "head", "head-pass-123", changed_by="test")
    good = {"username": "head", "exp_date": LATER, "ver": session_version(seeded, "head")}
    cookie = {
        "alg none": _forged({"alg": "none", "typ": "JWT"}, good),
        "HS512": jwt.encode(good, KEY, algorithm="HS512"),
        "other key": jwt.encode(good, "x" * 64, algorithm="HS256"),
        "old shape": jwt.encode({"username": "head", "exp_date": LATER}, KEY, algorithm="HS256"),
        "garbage": "%%%",
        "copy after logout": jwt.encode(good, KEY, algorithm="HS256"),
        "current": jwt.encode(good, KEY, algorithm="HS256"),
    }[kind]
    if kind == "copy after logout":
        record_logout(seeded, "head")
    at = AppTest.from_string(COOKIE_SCRIPT, default_timeout=60)
    at.session_state["cookie"] = cookie
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    expected = "accepted 0" if kind == "current" else "refused 1"
    assert [m.value for m in at.markdown] == [expected]
