"""AppTests of the frame (app.py): no page before login, each role lands on its own default page, menus by role.

The login form itself is the server's (ui/login_route.py): tests/storage/test_login_route.py."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.demo import OUTLET, ROSTER
from core.i18n import t
from core.services.accounts import add_user, session_version
from core.storage.engine import make_engine
from tests.builders.app import database_env, seed_outlet

APP = "../../app.py"
PASSWORDS = {"head": "head-pass-123", "limin": "staff-pass-123", "root": "admin-pass-123"}
STAFF_NAME = ROSTER[1][0]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("frame") / "console.db")
    engine = make_engine(data.url)
    add_user(engine, "head", PASSWORDS["head"], role="branch_head", outlet=OUTLET, display_name="周建国")
    add_user(engine, "limin", PASSWORDS["limin"], role="staff", outlet=OUTLET, staff_name=STAFF_NAME)
    add_user(engine, "root", PASSWORDS["root"], role="admin", display_name="市分行管理员")
    engine.dispose()
    os.environ.setdefault("CONSOLE_COOKIE_KEY", "k" * 64)
    with database_env(data.url):
        yield data


def _app(**session) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _rerun(at: AppTest) -> AppTest:
    """Run again, as the browser does after a widget event."""
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _logged_in(username: str, role: str) -> AppTest:
    """A session opened by a login: it carries the account's token version, as a password login records it."""
    version = session_version(make_engine(os.environ["DATABASE_URL"]), username)
    return _app(
        authentication_status=True,
        username=username,
        roles=[role],
        name=username,
        console_token_version=version,
    )


def test_without_a_login_no_page_shows_only_the_way_to_the_login_form(seeded):
    at = _app()
    assert [i.value for i in at.info] == [t("ui.login.needed")]
    assert '<a href="/_console/login?next=/" target="_self"' in at.markdown[0].value
    assert not at.title and not at.metric and not at.dataframe and not at.text_input


def test_branch_head_lands_on_the_outlet_overview_with_sidebar_identity(seeded):
    at = _logged_in("head", "branch_head")
    assert at.title[0].value == t("ui.home.title", outlet=OUTLET)
    assert at.sidebar.markdown[0].value == f"**周建国** · {t('ui.role.branch_head')}"
    assert t("ui.sidebar.outlet_is", outlet=OUTLET) in [c.value for c in at.sidebar.caption]


def test_staff_lands_on_their_own_customers(seeded):
    at = _logged_in("limin", "staff")
    assert at.title[0].value == t("ui.my.title", name=STAFF_NAME)


def test_admin_can_switch_outlet_in_the_sidebar(seeded):
    at = _logged_in("root", "admin")
    assert at.sidebar.selectbox(key="outlet_choice").options == [OUTLET]
    assert at.title[0].value == t("ui.home.title", outlet=OUTLET)


def test_english_labels_when_english_is_chosen(seeded):
    at = _logged_in("head", "branch_head")
    at.sidebar.selectbox(key="lang").set_value("en")
    _rerun(at)
    assert at.title[0].value == t("ui.home.title", "en", outlet=OUTLET)


def test_logout_clears_the_session_and_leads_to_the_login_form(seeded):
    at = _logged_in("head", "branch_head")
    at.sidebar.button(key="logout_button").click()
    _rerun(at)
    assert not at.session_state["authentication_status"] and not at.title
    assert [i.value for i in at.info] == [t("ui.logged_out")]
    assert "/_console/login?next=/" in at.markdown[0].value


def test_cookie_key_is_generated_once_private_and_the_environment_wins(tmp_path, monkeypatch):
    from core.services.accounts import KEY_ENV, cookie_key

    monkeypatch.delenv(KEY_ENV, raising=False)
    first = cookie_key(tmp_path / "secrets")
    path = tmp_path / "secrets" / "cookie_key"
    assert len(first) == 64 and path.read_text() == first
    assert path.stat().st_mode & 0o777 == 0o600
    assert cookie_key(tmp_path / "secrets") == first
    monkeypatch.setenv(KEY_ENV, "from-the-environment-" + "k" * 16)
    assert cookie_key(tmp_path / "secrets") == "from-the-environment-" + "k" * 16


def test_a_locked_database_when_a_session_opens_is_one_chinese_line(seeded, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def locked(engine):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr("ui.auth.establish_session", locked)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert (
        [e.value for e in at.error] == [t("ui.login.db_busy")] == ["数据库正忙，暂时无法登录，请稍后再试。"]
    )
    assert not at.title


def test_the_language_chosen_on_the_login_form_is_the_consoles(seeded):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    for key, value in {
        "authentication_status": True,
        "username": "head",
        "roles": ["branch_head"],
        "console_token_version": session_version(make_engine(os.environ["DATABASE_URL"]), "head"),
    }.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception and at.title[0].value == t("ui.home.title", "en", outlet=OUTLET)


def test_an_unusable_cookie_key_is_one_line_for_it_not_a_traceback(seeded, monkeypatch):
    monkeypatch.setenv("CONSOLE_COOKIE_KEY", "short")
    monkeypatch.setattr("ui.auth.request_cookies", lambda: {"cunliang_console": "a.b.c"})
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception and not at.title
    assert [e.value for e in at.error] == [t("accounts.cookie_key.short", source="CONSOLE_COOKIE_KEY", n=5)]
