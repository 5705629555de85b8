"""The frame's sidebar names a logged-in account: its display name and role, the role once when they are the same."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.demo import OUTLET
from core.services.accounts import add_user, session_version
from core.storage.engine import make_engine
from tests.builders.app import database_env, seed_outlet

APP = "../../app.py"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("sidebar") / "console.db")
    engine = make_engine(data.url)
    add_user(engine, "head", "head-pass-123", role="branch_head", outlet=OUTLET, display_name="周建国")
    add_user(engine, "guard", "guard-pass-123", role="branch_head", outlet=OUTLET, display_name="支局长")
    os.environ.setdefault("CONSOLE_COOKIE_KEY", "k" * 64)
    with database_env(data.url):
        yield data, engine
    engine.dispose()


def _run(at: AppTest) -> AppTest:
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
