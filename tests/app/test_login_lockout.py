"""Logging in through the frame: failed logins counted, five lock the account until an admin resets it, the sidebar names the role once."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import LOCK_MINUTES, MAX_FAILED_LOGINS, add_user, get_user, session_version, set_password
from core.demo import OUTLET, ROSTER
from core.i18n import t
from core.storage.engine import make_engine
from tests.builders.app import database_env, page_test, seed_outlet

APP = "../../app.py"
STAFF_NAME = ROSTER[1][0]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("fixes") / "console.db")
    engine = make_engine(data.url)
    add_user(engine, "head", "head-pass-123", role="branch_head", outlet=OUTLET, display_name="周建国")
    add_user(engine, "guard", "guard-pass-123", role="branch_head", outlet=OUTLET, display_name="支局长")
    os.environ.setdefault("CONSOLE_COOKIE_KEY", "k" * 64)
    with database_env(data.url):
        yield data, engine
    engine.dispose()


def _run(at: AppTest) -> AppTest:
    at._finished_page_script_hash = ""  # rerun from app.py, as a browser reloading "/" does
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _try_login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    return _run(at)


def test_a_wrong_password_is_counted_and_a_right_one_stamps_the_last_login(seeded):
    _, engine = seeded
    set_password(engine, "head", "head-pass-123")
    at = _run(AppTest.from_file(APP, default_timeout=60))
    _try_login(at, "head", "wrong-pass-1")
    assert get_user(engine, "head")["failed_logins"] == 1
    _try_login(at, "HEAD", "wrong-pass-2")
    assert get_user(engine, "head")["failed_logins"] == 2
    before = get_user(engine, "head")["last_login_at"]
    _try_login(at, "head", "head-pass-123")
    assert at.title
    after = get_user(engine, "head")
    assert after["failed_logins"] == 0 and after["last_login_at"] and after["last_login_at"] != before
    stamp = after["last_login_at"]
    _run(at)  # a rerun of a logged-in session is not a new login
    _run(at)
    assert get_user(engine, "head")["last_login_at"] == stamp


def test_five_wrong_passwords_lock_the_account_until_an_admin_resets_it(seeded):
    _, engine = seeded
    at = _run(AppTest.from_file(APP, default_timeout=60))
    for attempt in range(MAX_FAILED_LOGINS):
        _try_login(at, "guard", f"wrong-pass-{attempt}")
    generic = t("ui.login.failed", "zh")  # the same words as for a wrong password: no telling who exists
    assert [e.value for e in at.error] == [generic]
    assert get_user(engine, "guard")["locked"] is True
    _try_login(at, "guard", "guard-pass-123")
    assert [e.value for e in at.error] == [generic]
    assert not at.title and at.session_state["authentication_status"] is not True
    set_password(engine, "guard", "guard-pass-456", changed_by="root")
    assert get_user(engine, "guard")["failed_logins"] == 0
    fresh = _run(AppTest.from_file(APP, default_timeout=60))
    _try_login(fresh, "guard", "guard-pass-456")
    assert fresh.title and not fresh.error


def _page(page: str, role: str, **kwargs) -> AppTest:
    at = page_test(page, role, **kwargs)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _session(username: str) -> dict:
    """A logged-in session as the login records it, with the account's token version."""
    version = session_version(make_engine(os.environ["DATABASE_URL"]), username)
    return {
        "authentication_status": True,
        "username": username,
        "roles": ["branch_head"],
        "console_token_version": version,
    }


def test_sidebar_names_the_role_once_when_the_display_name_is_the_role(seeded):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in _session("guard").items():
        at.session_state[key] = value
    _run(at)
    lines = [m.value for m in at.sidebar.markdown]
    assert "**支局长**" in lines and not any("支局长** · 支局长" in line for line in lines)
    other = AppTest.from_file(APP, default_timeout=60)
    for key, value in _session("head").items():
        other.session_state[key] = value
    _run(other)
    assert "**周建国** · 支局长" in [m.value for m in other.sidebar.markdown]


def test_accounts_page_flags_a_locked_account_and_its_reset_unlocks_it(seeded):
    _, engine = seeded
    add_user(engine, "wang", "wang-pass-123", role="staff", outlet=OUTLET, staff_name=STAFF_NAME)
    at = _run(AppTest.from_file(APP, default_timeout=60))
    for attempt in range(MAX_FAILED_LOGINS):
        _try_login(at, "wang", f"wrong-pass-{attempt}")
    admin = _page("accounts", "admin", outlet=None)
    assert [w.value for w in admin.warning] == [
        t("ui.acc.locked_until", n=MAX_FAILED_LOGINS, minutes=LOCK_MINUTES, names="wang")
    ]
    form = {w.label: w for w in admin.text_input}
    reset = [s for s in admin.selectbox if s.label == t("ui.login.username")][-1]
    reset.set_value("wang")
    form[t("ui.acc.new_password")].input("wang-pass-456")
    [w for w in admin.text_input if w.label == t("ui.acc.password_again")][-1].input("wang-pass-456")
    next(b for b in admin.button if b.label == t("ui.acc.reset_submit")).click()
    admin.run()
    assert not admin.exception and not admin.warning
    assert get_user(engine, "wang")["failed_logins"] == 0
    fresh = _run(AppTest.from_file(APP, default_timeout=60))
    _try_login(fresh, "wang", "wang-pass-456")
    assert fresh.title and not fresh.error
