"""Accounts: roles and outlets, bcrypt hashes with checked lengths, password checks counted, demo account."""

from __future__ import annotations

import bcrypt
import pytest
from sqlalchemy import select

from core.errors import AuthError
from core.services import accounts
from core.services.accounts import (
    ACCOUNT,
    add_user,
    ensure_demo_account,
    get_user,
    list_users,
    set_password,
    verify,
)
from core.services.reads import audit_entries


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch):
    """Four rounds instead of twelve: the hash format and checks are the same, the tests ten times faster."""
    real = bcrypt.gensalt
    monkeypatch.setattr(accounts.bcrypt, "gensalt", lambda rounds=4, prefix=b"2b": real(4, prefix))
    monkeypatch.setenv("CONSOLE_COOKIE_KEY", "a" * 64)  # keys the hash of unknown names


def test_a_branch_head_account_stores_a_bcrypt_hash_not_the_password(db_engine):
    user = add_user(
        db_engine, "WangFang", "春天的花开了123", role="branch_head", outlet="城东支局", display_name="王芳"
    )
    assert (user["username"], user["role"], user["outlet"], user["display_name"]) == (
        "wangfang",
        "branch_head",
        "城东支局",
        "王芳",
    )
    with db_engine.connect() as conn:
        digest = conn.scalar(select(ACCOUNT.c.password_hash).where(ACCOUNT.c.username == "wangfang"))
    assert digest.startswith("$2b$") and "春天" not in digest
    assert bcrypt.checkpw("春天的花开了123".encode(), digest.encode())


def test_verify_accepts_the_right_password_and_counts_wrong_ones(db_engine):
    add_user(db_engine, "li", "correct horse", role="staff", outlet="城东支局", staff_name="李强")
    assert verify(db_engine, "li", "wrong horse") is False
    assert verify(db_engine, "li", "wrong again") is False
    assert get_user(db_engine, "li")["failed_logins"] == 2
    assert verify(db_engine, "LI", "correct horse") is True
    user = get_user(db_engine, "li")
    assert user["failed_logins"] == 0 and user["last_login_at"] is not None
    assert user["staff_name"] == "李强" and user["display_name"] == "李强"
    assert verify(db_engine, "nobody", "correct horse") is False


@pytest.mark.parametrize(
    ("password", "message"),
    [("1234567", "至少需要 8 个字符"), ("长" * 25, "最多 72 字节"), ("a" * 73, "最多 72 字节")],
)
def test_passwords_too_short_or_over_72_bytes_are_refused_in_chinese(db_engine, password, message):
    with pytest.raises(AuthError, match=message):
        add_user(db_engine, "zhang", password, role="staff", outlet="城东支局")
    assert list_users(db_engine) == []


def test_exactly_72_bytes_is_accepted(db_engine):
    password = (
        "春夏秋冬风花雪月江河湖海山川日升星辰天地人和好" + "1a!"
    )  # 69 + 3 bytes (one character 23 times is weak)
    add_user(db_engine, "zhang", password, role="staff", outlet="城东支局")
    assert verify(db_engine, "zhang", password)


@pytest.mark.parametrize(
    ("role", "outlet", "message"),
    [
        ("manager", "城东支局", "角色“manager”无效"),
        ("branch_head", None, "必须指定所属网点"),
        ("staff", "", "必须指定所属网点"),
        ("admin", "城东支局", "不能指定所属网点"),
    ],
)
def test_roles_and_outlets_must_agree(db_engine, role, outlet, message):
    with pytest.raises(AuthError, match=message):
        add_user(db_engine, "zhang", "long enough", role=role, outlet=outlet)


def test_an_admin_has_no_outlet_and_usernames_are_unique(db_engine):
    add_user(db_engine, "city", "long enough", role="admin")
    assert get_user(db_engine, "city")["outlet"] is None
    with pytest.raises(AuthError, match="用户名“city”已存在"):
        add_user(db_engine, "City", "long enough 2", role="admin")
    with pytest.raises(AuthError, match="无效"):
        add_user(db_engine, "王芳", "long enough", role="admin")


def test_passwd_replaces_the_password_and_is_audited(db_engine):
    add_user(db_engine, "li", "old password", role="staff", outlet="城东支局")
    set_password(db_engine, "li", "new password", changed_by="city")
    assert not verify(db_engine, "li", "old password")
    assert verify(db_engine, "li", "new password")
    actions = [e["action"] for e in audit_entries(db_engine)]  # newest first; the logins are audited too
    assert actions == ["login", "login.failed", "user.passwd", "user.add"]
    with pytest.raises(AuthError, match="没有用户“ghost”"):
        set_password(db_engine, "ghost", "new password")


def test_the_demo_branch_head_is_created_once_with_a_random_password(db_engine):
    password = ensure_demo_account(db_engine, "演示支局")
    assert password and len(password) >= 12
    user = get_user(db_engine, "zhiju")
    assert (user["role"], user["outlet"], user["display_name"]) == ("branch_head", "演示支局", "支局长")
    assert verify(db_engine, "zhiju", password)
    assert ensure_demo_account(db_engine, "演示支局") is None
    assert ensure_demo_account(db_engine, "别的支局") is None
