"""AppTests of the QA fixes: login bookkeeping and lockout, owner columns, upload preview, table formats."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import MAX_FAILED_LOGINS, add_user, get_user, set_password
from core.demo import OUTLET, ROSTER
from core.i18n import t
from core.storage.engine import make_engine
from tests.app_support import database_env, page_test, seed_outlet

APP = "../app.py"
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
    locked = t("ui.login.locked", "zh", username="guard", n=MAX_FAILED_LOGINS)
    assert [e.value for e in at.error] == [locked]
    assert "锁定" in locked and "管理员" in locked
    _try_login(at, "guard", "guard-pass-123")
    assert [e.value for e in at.error] == [locked]
    assert not at.title and at.session_state["authentication_status"] is not True
    set_password(engine, "guard", "guard-pass-456", changed_by="root")
    assert get_user(engine, "guard")["failed_logins"] == 0
    fresh = _run(AppTest.from_file(APP, default_timeout=60))
    _try_login(fresh, "guard", "guard-pass-456")
    assert fresh.title and not fresh.error
